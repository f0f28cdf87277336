"""Two `capex run`s at once on one warehouse, and queries while a run writes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from pipelines.warehouse.query import QueryRefused, run_query
from tests.ops.conftest import CleanRun
from tests.ops.runs import (
    archive_snapshot,
    dagster_home,
    run_args,
    start_capex,
    warehouse_snapshot,
)

HOLD_THE_WAREHOUSE = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()
con.close()
"""


def test_two_runs_started_together_both_succeed_and_agree_with_one_clean_run(
    tmp_path: Path, clean_run: CleanRun
) -> None:
    home = dagster_home(tmp_path / "home")  # as the README runs it, with the run history kept
    warehouse = tmp_path / "warehouse" / "capex.duckdb"
    runs = [
        start_capex(*run_args(clean_run.source, warehouse), cwd=home, home=home) for _ in range(2)
    ]
    # Meanwhile a person queries: each answer is rows, or a plain "a run holds it".
    answers = []
    while any(run.poll() is None for run in runs):
        if warehouse.exists():
            query = start_capex(
                "sql", "--warehouse", str(warehouse), "select count(*) as n from raw_pages",
                cwd=tmp_path,
            )  # fmt: skip
            answers.append((query.wait(timeout=60), *query.communicate()))
        time.sleep(2)  # a person's pace, leaving the two cores to the runs
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "Traceback" not in err and "held by another process" not in err
        assert "conflicting lock" not in err.lower()
        assert f"raw_pages={clean_run.articles}" in out
    assert answers, "the runs ended before any query could be made"
    for code, out, err in answers:
        assert "Traceback" not in err
        assert (code == 0 and "n" in out) or (code == 2 and "held by another process" in err)
    assert warehouse_snapshot(warehouse) == clean_run.tables
    assert archive_snapshot(warehouse) == clean_run.archive


def test_a_query_while_the_warehouse_is_held_says_so_plainly(clean_run: CleanRun) -> None:
    warehouse = clean_run.source.parent / "warehouse" / "capex.duckdb"
    # Another process stands in for a run holding the write lock (DuckDB's lock is per process).
    writer = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_WAREHOUSE, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "holding"
        try:
            run_query(warehouse, "select count(*) from capex_facts", wait_seconds=0.5)
        except QueryRefused as refused:
            message = str(refused)
        else:
            raise AssertionError("a query got through while another process held the lock")
    finally:
        writer.communicate(input="", timeout=30)  # closing its stdin lets it go
    assert "held by another process" in message and "try again" in message
    assert run_query(warehouse, "select count(*) as n from capex_facts")["n"][0] == len(
        clean_run.tables["capex_facts"]
    )
