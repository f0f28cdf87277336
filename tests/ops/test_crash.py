"""A run killed with SIGKILL at several points, then run again, ends where a clean run does."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.ingest.archive import RawArchive
from tests.ops.conftest import CleanRun
from tests.ops.runs import (
    PARTITION,
    archive_snapshot,
    dagster_home,
    run_args,
    start_capex,
    wait_for,
    warehouse_snapshot,
)

RUN_TIMEOUT = 120


def _archived(warehouse: Path) -> int:
    return len(RawArchive(warehouse.parent / "raw"))


def _step_started(instance: dg.DagsterInstance, step: str) -> Callable[[], bool]:
    """True once the latest run has started `step`, as Dagster's event log records it."""

    def started() -> bool:
        runs = instance.get_runs(limit=1)
        if not runs:
            return False
        events = instance.all_logs(runs[0].run_id, of_type=dg.DagsterEventType.STEP_START)
        return any(event.step_key == step for event in events)

    return started


def _assert_nothing_half_written(warehouse: Path, articles: int) -> None:
    """What a killed run leaves is whole: listings, pages, articles and facts all-or-nothing."""
    archive = RawArchive(warehouse.parent / "raw")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        listed = con.execute(
            "select count(*) from article_index where partition_date = ?", [PARTITION]
        ).fetchone()[0]
        assert listed in (0, articles), "a partition's listing is half loaded"
        for article_id, sha in con.execute("select article_id, sha256 from raw_pages").fetchall():
            assert archive.sidecar(article_id)["sha256"] == sha  # recorded means archived
        stale = con.execute(
            "select count(*) from articles anti join raw_pages using (article_id)"
        ).fetchone()[0]
        assert stale == 0
        uneven = con.execute(
            """
            select count(*) from extractions e
            where fact_count != (select count(*) from capex_facts f
                                 where f.article_id = e.article_id)
               or growth_count != (select count(*) from capex_stated_growth g
                                   where g.article_id = e.article_id)
            """
        ).fetchone()[0]
        assert uneven == 0, "an article's facts are partly loaded"
        orphan_facts = con.execute(
            "select count(*) from capex_facts anti join extractions using (article_id)"
        ).fetchone()[0]
        assert orphan_facts == 0
    finally:
        con.close()


def _kill_when(process: subprocess.Popen[str], condition: Callable[[], bool], what: str) -> None:
    try:
        wait_for(lambda: condition() or process.poll() is not None, timeout=RUN_TIMEOUT, what=what)
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, f"the run ended before {what}"


@pytest.mark.timeout(400)
def test_runs_killed_mid_ingestion_and_mid_loading_recover_to_the_clean_result(
    tmp_path: Path, clean_run: CleanRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = dagster_home(tmp_path / "home")
    monkeypatch.chdir(home)  # the instance config's storage paths are relative to here
    instance = dg.DagsterInstance.from_config(str(home))
    warehouse = tmp_path / "warehouse" / "capex.duckdb"
    args = run_args(clean_run.source, warehouse)
    third = clean_run.articles // 3
    # Each run is killed a little further on; each leaves a warehouse with nothing half done.
    kill_points = [
        ("a third of the pages archived", lambda: _archived(warehouse) >= third),
        ("parsing", _step_started(instance, "articles")),
        ("extracting facts", _step_started(instance, "capex_facts")),
        ("building the first SQL model", _step_started(instance, "stg_capex_facts")),
    ]
    for what, condition in kill_points:
        run = start_capex(*args, cwd=home, home=home)
        _kill_when(run, condition, what)
        if what.startswith("a third"):
            assert _archived(warehouse) < clean_run.articles, "the kill came after ingestion"
        if warehouse.exists():
            _assert_nothing_half_written(warehouse, clean_run.articles)
        time.sleep(0.05)

    final = start_capex(*args, cwd=home, home=home)
    _, err = final.communicate(timeout=RUN_TIMEOUT)
    assert final.returncode == 0, err
    assert warehouse_snapshot(warehouse) == clean_run.tables
    assert archive_snapshot(warehouse) == clean_run.archive
    # The UI shows no run stuck "in progress" (one would hold the warehouse pool for good).
    statuses = sorted(run.status.value for run in instance.get_runs())
    assert statuses == ["FAILURE"] * len(kill_points) + ["SUCCESS"]
    instance.dispose()
