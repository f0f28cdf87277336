"""Running the whole asset graph in-process for `capex run`, and summarising the result."""

from __future__ import annotations

import atexit
import fcntl
import gc
import hashlib
import logging
import os
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import dagster as dg

from pipelines.warehouse.db import connect

# The tables a summary counts, in pipeline order.
SUMMARY_TABLES = (
    "article_index",
    "raw_pages",
    "articles",
    "failures",
    "capex_facts",
    "capex_stated_growth",
    "capex_yoy",
)


@cache
def _skip_collections_at_exit() -> None:
    """A run is most of a process's life. At exit the interpreter's last garbage collections
    would walk every object Dagster and the run left behind (half a second or more) only to
    free memory the system takes back anyway; frozen objects are skipped."""
    atexit.register(gc.freeze)


class RunFailed(RuntimeError):
    """The Dagster run did not succeed; the message is the first step failure's."""


@dataclass(frozen=True)
class RunReport:
    built: list[str]  # one line per table built
    failed_checks: list[str]  # one line per check that did not pass
    blocking_failure: bool  # an ERROR-severity check failed: the data needs a look


def run_pipeline(
    *,
    source: str,
    archive: Path | None,
    warehouse: Path,
    partition: str,
    until: str | None = None,
) -> RunReport:
    """Materialise every asset (and run every check) for one Beijing day's partition, or, with
    `until`, for every day from `partition` to `until` in one run."""
    from pipelines.definitions import all_assets
    from pipelines.defs.resources import ArticleSourceResource, WarehouseResource

    _skip_collections_at_exit()

    resources = {
        "source": ArticleSourceResource(kind=source, archive_path=str(archive) if archive else ""),
        "warehouse": WarehouseResource(path=str(warehouse)),
    }
    # With DAGSTER_HOME set the run is recorded where the UI shows it; else it is ephemeral.
    instance = _recording_instance()
    if instance is not None:
        fail_runs_of_dead_processes(instance)
    with _quiet_skipped_checks():
        result = dg.materialize(
            all_assets,
            resources=resources,
            partition_key=partition if not until or until == partition else None,
            instance=instance,
            raise_on_error=False,
            tags={"capex/source": source, **_process_tags(), **_range_tags(partition, until)},
            # Dagster's event stream (and its tracebacks) belongs in the UI; the terminal gets
            # one line per table and, on failure, the reason.
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
        )
    if not result.success:
        raise RunFailed(_first_failure(result))
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed]
    return RunReport(
        built=[_materialized_line(event) for event in result.get_asset_materialization_events()],
        failed_checks=[_check_line(evaluation) for evaluation in failed],
        blocking_failure=any(e.severity == dg.AssetCheckSeverity.ERROR for e in failed),
    )


@contextmanager
def _quiet_skipped_checks() -> Iterator[None]:
    """Steps skipped because nothing is new log that their blocking checks "emitted no
    result": true, expected, and noise in a terminal."""

    def keep(record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Blocking asset check")

    plan_logger = logging.getLogger("dagster._core.execution.plan.active")
    plan_logger.addFilter(keep)
    try:
        yield
    finally:
        plan_logger.removeFilter(keep)


def _range_tags(first: str, last: str | None) -> dict[str, str]:
    """How Dagster is told that one run covers a range of partitions."""
    if not last or last == first:
        return {}
    return {
        "dagster/asset_partition_range_start": first,
        "dagster/asset_partition_range_end": last,
    }


def _recording_instance() -> dg.DagsterInstance | None:
    """The instance DAGSTER_HOME configures, or None (an ephemeral one) when it is unset."""
    home = os.environ.get("DAGSTER_HOME")
    if not home:
        return None
    # Two processes creating a brand-new instance's storage at once race in Dagster's schema
    # setup ("table alembic_version already exists"): let them open it one at a time.
    digest = hashlib.sha256(str(Path(home).resolve()).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"capex-dagster-{digest}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return dg.DagsterInstance.get()


def _process_tags() -> dict[str, str]:
    return {"capex/host": socket.gethostname(), "capex/pid": str(os.getpid())}


def fail_runs_of_dead_processes(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the runs a killed `capex run` left "started"; returns their ids.

    Nothing else ever ends them, and a started run holds the warehouse pool, so the daemon
    would keep every later run queued behind it.
    """
    stale = instance.get_runs(
        filters=dg.RunsFilter(
            statuses=[dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED],
            tags={"capex/host": socket.gethostname()},
        )
    )
    ended = []
    for run in stale:
        pid = int(run.tags.get("capex/pid", "0"))
        if pid and not _process_alive(pid):
            instance.report_run_failed(
                run, f"the `capex run` process (pid {pid}) ended without finishing this run"
            )
            ended.append(run.run_id)
    return ended


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def _check_line(evaluation: dg.AssetCheckEvaluation) -> str:
    details = ", ".join(
        f"{key}={entry.value}"
        for key, entry in evaluation.metadata.items()
        if isinstance(entry.value, int | float | str)
    )
    return (
        f"check {evaluation.asset_check_key.name} on "
        f"{evaluation.asset_key.to_user_string()} failed ({evaluation.severity.value})"
        + (f": {details}" if details else "")
    )


def _materialized_line(event: dg.DagsterEvent) -> str:
    materialization = event.step_materialization_data.materialization
    metadata = materialization.metadata
    rows = metadata.get("dagster/row_count")
    count = f"{rows.value:>8,} rows" if rows is not None else ""
    return f"  built {materialization.asset_key.to_user_string():<28}{count}"


def _first_failure(result: dg.ExecuteInProcessResult) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data:
            error = event.step_failure_data.user_failure_data
            if error is not None and error.description:
                return f"{event.step_key}: {error.description}"
            failure = event.step_failure_data.error
            while failure is not None and failure.cause is not None:
                failure = failure.cause
            if failure is not None:
                return f"{event.step_key}: {failure.message.strip()}"
    return "see the Dagster logs above"


def summary_lines(warehouse: Path) -> list[str]:
    con = connect(warehouse, read_only=True)
    try:
        lines = [f"warehouse: {warehouse.resolve()}"]
        present = {row[0] for row in con.execute("show tables").fetchall()}
        counts = [
            f"{table}={con.execute(f'select count(*) from {table}').fetchone()[0]}"
            for table in SUMMARY_TABLES
            if table in present
        ]
        lines.append("rows: " + ", ".join(counts))
        if "capex_yoy" in present:
            lines.append("year-over-year growth of actual capex (capex_yoy):")
            rows = con.execute(
                """
                select company, period, prior_period, value_usd / 1e9, prior_value_usd / 1e9,
                       growth
                from capex_yoy order by period desc, company limit 8
                """
            ).fetchall()
            for company, period, prior, value, prior_value, growth in rows:
                lines.append(
                    f"  {company:<22} {prior}→{period}  {prior_value:,.1f} → {value:,.1f} bn USD"
                    f"  {growth:+.1%}"
                )
            if not rows:
                lines.append("  (no company has actuals for two comparable periods yet)")
        return lines
    finally:
        con.close()
