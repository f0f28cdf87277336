"""A folder of saved articles, and what one clean run makes of it, shared by the ops tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ops.runs import (
    archive_snapshot,
    make_source_folder,
    run_args,
    start_capex,
    warehouse_snapshot,
)


@dataclass(frozen=True)
class CleanRun:
    source: Path
    articles: int
    tables: dict[str, list[tuple]]
    archive: dict[str, str]


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> CleanRun:
    """One uninterrupted run on the source folder: what every other run must end up with."""
    root = tmp_path_factory.mktemp("clean")
    source = root / "source"
    articles = make_source_folder(source)
    warehouse = root / "warehouse" / "capex.duckdb"
    process = start_capex(*run_args(source, warehouse), cwd=root)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    tables = warehouse_snapshot(warehouse)
    assert len(tables["raw_pages"]) == articles  # the reference itself is complete
    return CleanRun(source, articles, tables, archive_snapshot(warehouse))
