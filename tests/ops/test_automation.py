"""What the schedule, the inbox sensor and declarative automation decide to run."""

from __future__ import annotations

import os
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest
import yaml

from pipelines.definitions import all_assets, defs
from pipelines.defs.automation.schedules import beijing_day, build_ingest_schedule, schedule_cron
from pipelines.defs.automation.sensors import inbox_sensor
from pipelines.defs.resources import ArticleSourceResource, WarehouseResource
from pipelines.warehouse.db import connect
from tests.support.sina_pages import render_article_page

REPO = Path(__file__).resolve().parents[2]
INGEST = {"article_index", "raw_pages"}


def _page(doc_id: str, sentence: str) -> bytes:
    return render_article_page(
        doc_id=doc_id,
        title=f"测试文章 {doc_id}",
        published_at=datetime(2025, 2, 7, 9, 30),
        source="新浪财经",
        body_html=f"<p>{sentence}</p>",
    )


def _beijing_days_around_now() -> set[str]:
    # A sensor files the inbox under the day it reads it; a test may straddle midnight.
    return {beijing_day(datetime.now(UTC)), beijing_day(datetime.now(UTC) + timedelta(minutes=1))}


# --- schedule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("utc_moment", "beijing_day"),
    [
        (datetime(2025, 2, 6, 16, 0, tzinfo=UTC), "2025-02-07"),  # 00:00 in Beijing
        (datetime(2025, 2, 6, 15, 45, tzinfo=UTC), "2025-02-06"),  # 23:45 in Beijing
    ],
)
def test_the_schedule_ingests_the_beijing_day_it_fires_in(
    utc_moment: datetime, beijing_day: str
) -> None:
    schedule = defs.resolve_schedule_def("ingest_today")
    context = dg.build_schedule_context(
        scheduled_execution_time=utc_moment, repository_def=defs.get_repository_def()
    )
    [request] = schedule.evaluate_tick(context).run_requests
    assert request.partition_key == beijing_day
    job = defs.resolve_job_def(schedule.job_name)
    assert {key.to_user_string() for key in job.asset_layer.executable_asset_keys} == INGEST
    assert schedule.execution_timezone == "Asia/Shanghai"
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED


def test_the_schedule_runs_every_15_minutes_unless_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CAPEX_SCHEDULE_CRON", raising=False)
    assert schedule_cron() == "*/15 * * * *"
    monkeypatch.setenv("CAPEX_SCHEDULE_CRON", "0 * * * *")
    assert build_ingest_schedule(schedule_cron()).cron_schedule == "0 * * * *"
    with pytest.raises(ValueError, match="CAPEX_SCHEDULE_CRON"):
        build_ingest_schedule("every so often")


# --- inbox sensor -----------------------------------------------------------------------


def _tick(cursor: str | None = None) -> tuple[list[dg.RunRequest], str | None, str | None]:
    """One evaluation: its run requests, its skip reason and the cursor it leaves."""
    context = dg.build_sensor_context(cursor=cursor, repository_def=defs.get_repository_def())
    data = inbox_sensor.evaluate_tick(context)
    skip = data.skip_message
    return list(data.run_requests or []), skip, data.cursor if data.cursor is not None else cursor


@pytest.fixture
def inbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "inbox"
    monkeypatch.setenv("CAPEX_INBOX", str(folder))
    return folder


def test_without_an_inbox_folder_the_sensor_says_where_to_create_it(inbox: Path) -> None:
    requests, skip, _ = _tick()
    assert requests == [] and str(inbox) in skip


def test_the_sensor_runs_once_per_new_or_changed_file(inbox: Path) -> None:
    inbox.mkdir()
    first = inbox / "a.shtml"
    first.write_bytes(_page("iaaaa0000001", "甲公司今年的资本支出预计为100亿美元。"))
    (inbox / "README.md").write_text("这里放保存的文章。", encoding="utf-8")

    [request], _, cursor = _tick()
    assert request.partition_key in _beijing_days_around_now()
    source = request.run_config["resources"]["source"]["config"]
    assert source == {"kind": "archive", "archive_path": str(inbox.resolve())}

    # Unchanged, or only touched: nothing to do.
    assert _tick(cursor)[0] == []
    os.utime(first, (first.stat().st_atime + 60, first.stat().st_mtime + 60))
    requests, skip, cursor = _tick(cursor)
    assert requests == [] and "nothing new" in skip

    # A new file, then an edited one: one run each, under different run keys.
    (inbox / "b.shtml").write_bytes(_page("ibbbb0000002", "乙公司没有披露新的投资计划。"))
    [added], _, cursor = _tick(cursor)
    first.write_bytes(_page("iaaaa0000001", "甲公司把今年的资本支出上调至120亿美元。"))
    [edited], _, cursor = _tick(cursor)
    assert len({request.run_key, added.run_key, edited.run_key}) == 3
    assert _tick(cursor)[0] == []

    # A file removed is not a change worth a run.
    (inbox / "b.shtml").unlink()
    assert _tick(cursor)[0] == []


def test_the_sensors_run_request_ingests_the_inbox(inbox: Path, tmp_path: Path) -> None:
    inbox.mkdir()
    (inbox / "a.shtml").write_bytes(_page("iaaaa0000001", "甲公司今年的资本支出预计为100亿美元。"))
    [request], _, _ = _tick()
    job = defs.resolve_job_def(inbox_sensor.job_name)
    warehouse = tmp_path / "w" / "capex.duckdb"
    run_config = {"resources": {**request.run_config["resources"]}}
    run_config["resources"]["warehouse"] = {"config": {"path": str(warehouse)}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = job.execute_in_process(
            run_config=run_config, partition_key=request.partition_key, raise_on_error=False
        )
    assert result.success
    con = connect(warehouse, read_only=True)
    try:
        rows = con.execute(
            "select article_id, partition_date::varchar from article_index"
        ).fetchall()
        pages = con.execute("select article_id from raw_pages").fetchall()
    finally:
        con.close()
    assert rows == [("iaaaa0000001", request.partition_key)]
    assert pages == [("iaaaa0000001",)]


# --- declarative automation -------------------------------------------------------------


def test_downstream_assets_refresh_when_ingestion_lands_and_only_then(tmp_path: Path) -> None:
    resources = {
        "source": ArticleSourceResource(kind="samples"),
        "warehouse": WarehouseResource(path=str(tmp_path / "capex.duckdb")),
    }
    downstream = {
        key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()
    } - INGEST

    def requested(cursor):
        result = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=cursor)
        keys = {r.key.to_user_string() for r in result.results if r.true_subset.size}
        return keys, result.cursor

    with warnings.catch_warnings(), dg.DagsterInstance.ephemeral() as instance:
        warnings.simplefilter("ignore")
        keys, cursor = requested(None)
        assert keys == set()  # nothing ingested yet: nothing to refresh
        dg.materialize(
            all_assets,
            selection=sorted(INGEST),
            resources=resources,
            partition_key="2025-02-07",
            instance=instance,
        )
        keys, cursor = requested(cursor)
        assert keys == downstream  # one partition landed: every downstream asset follows
        dg.materialize(all_assets, selection=sorted(keys), resources=resources, instance=instance)
        keys, cursor = requested(cursor)
        assert keys == set()  # no timers: unchanged inputs mean no run
        dg.materialize(
            all_assets, resources=resources, partition_key="2025-02-08", instance=instance
        )
        keys, cursor = requested(cursor)
        assert keys == set()  # a whole-graph run already refreshed everything


def test_automation_and_the_inbox_sensor_are_on_from_the_start() -> None:
    sensors = {sensor.name: sensor for sensor in defs.get_repository_def().sensor_defs}
    assert sensors["capex_automation"].default_status == dg.DefaultSensorStatus.RUNNING
    assert sensors["inbox_sensor"].default_status == dg.DefaultSensorStatus.RUNNING
    assert "default_automation_condition_sensor" not in sensors


# --- one writer at a time -----------------------------------------------------------------


def test_every_asset_writes_through_the_one_warehouse_pool_limited_to_one_run() -> None:
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        assert graph.get(key).pools == {"warehouse"}, key.to_user_string()
    config = yaml.safe_load((REPO / "dagster.yaml").read_text(encoding="utf-8"))
    assert config["concurrency"]["pools"] == {"granularity": "run", "default_limit": 1}
    assert config["telemetry"] == {"enabled": False}
