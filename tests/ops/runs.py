"""Helpers for tests that run `capex` as separate processes on one warehouse."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb

from pipelines.ingest.archive import RawArchive
from tests.conftest import SHARED_DIR
from tests.support.sina_pages import render_article_page

PARTITION = "2025-02-07"
REPO = Path(__file__).resolve().parents[2]
GENERATED_PAGES = 200


def make_source_folder(folder: Path) -> int:
    """A folder of saved articles big enough that a kill lands mid-run; returns how many.

    The corpus records when the reference material is there, else generated pages.
    """
    folder.mkdir(parents=True)
    corpus = sorted((SHARED_DIR / "corpus").glob("*.jsonl"))
    if corpus:
        for path in corpus:
            shutil.copy(path, folder / path.name)
        return sum(1 for path in corpus for line in path.read_bytes().splitlines() if line.strip())
    for number in range(GENERATED_PAGES):
        doc_id = f"itest{number:07d}"
        billions = 10 + number % 40
        (folder / f"{doc_id}.shtml").write_bytes(
            render_article_page(
                doc_id=doc_id,
                title=f"第{number}号公司披露投资计划",
                published_at=datetime(2025, 2, 7, 8, number % 60),
                source="新浪财经",
                body_html=f"<p>第{number}号公司表示，2025年资本支出预计约为{billions}亿美元。</p>",
                padding_kb=20,
            )
        )
    return GENERATED_PAGES


def dagster_home(folder: Path) -> Path:
    """A Dagster home with the repository's instance config; storage lands inside it."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "dagster.yaml", folder / "dagster.yaml")
    return folder


def process_env(home: Path | None = None, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CAPEX_", "DAGSTER_"))
    }
    if home is not None:
        env["DAGSTER_HOME"] = str(home)
    return {**env, **extra}


def start_capex(
    *args: str, cwd: Path, home: Path | None = None, **extra_env: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", *args],
        cwd=cwd,
        env=process_env(home, **extra_env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_args(source: Path, warehouse: Path) -> list[str]:
    return [
        "run", "--source", "archive", "--archive", str(source),
        "--warehouse", str(warehouse), "--date", PARTITION,
    ]  # fmt: skip


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.02)


# Columns that say when something happened or which code version did it, not what: they
# differ between two runs only because time passed or the code was edited in between.
_WHEN_COLUMNS = frozenset(
    {"failed_at", "built_at", "parser_version", "extractor_version", "code_version"}
)


def warehouse_snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without the columns that only say when."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        snapshot = {}
        for (table,) in con.execute("show tables").fetchall():
            columns = [
                row[0]
                for row in con.execute(f"describe {table}").fetchall()
                if row[0] not in _WHEN_COLUMNS
            ]
            selected = ", ".join(f'"{column}"' for column in columns)
            snapshot[table] = con.execute(f"select {selected} from {table} order by all").fetchall()
        return snapshot
    finally:
        con.close()


def archive_snapshot(warehouse: Path) -> dict[str, str]:
    """Archived page id → sha256 of its bytes (reading each page checks it too)."""
    archive = RawArchive(warehouse.parent / "raw")
    return {
        page.article_id: archive.sidecar(page.article_id)["sha256"] for page in archive.iter_pages()
    }
