"""Replacing rows by key: a rerun that lists what it listed before writes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from pipelines.warehouse import db
from pipelines.warehouse.db import fetch_dicts, open_warehouse
from pipelines.warehouse.loading import load_index, record_failures

BEIJING = ZoneInfo("Asia/Shanghai")
DAY = date(2025, 3, 3)


@pytest.fixture
def warehouse(tmp_path: Path):
    with open_warehouse(tmp_path / "w.duckdb") as con:
        yield con


def _listing(article_id: str, title: str, listed_at: datetime) -> dict:
    return {
        "article_id": article_id,
        "url": f"https://finance.sina.com.cn/doc-{article_id}.shtml",
        "title": title,
        "listed_at": listed_at,
        "channel": "153:2518",
        "media_name": None,
        "origin": "live",
    }


def _inserted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Row counts of every insert_frame call from here on."""
    heights: list[int] = []
    real = db.insert_frame

    def spy(con, table: str, frame: pl.DataFrame) -> None:
        heights.append(frame.height)
        real(con, table, frame)

    monkeypatch.setattr(db, "insert_frame", spy)
    return heights


def test_a_listing_seen_before_is_not_written_again(warehouse, monkeypatch) -> None:
    noon = datetime(2025, 3, 3, 12, tzinfo=BEIJING)
    rows = [_listing("ia", "A", noon), _listing("ib", "B", noon)]
    load_index(warehouse, rows, DAY, live=True)
    inserted = _inserted(monkeypatch)
    # The same instants, given in another zone, are the same values.
    again = [{**row, "listed_at": noon.astimezone(UTC)} for row in rows]
    assert load_index(warehouse, again, DAY, live=True) == 2
    assert inserted == [0]


def test_a_changed_listing_replaces_only_its_own_row(warehouse, monkeypatch) -> None:
    noon = datetime(2025, 3, 3, 12, tzinfo=BEIJING)
    load_index(warehouse, [_listing("ia", "A", noon), _listing("ib", "B", noon)], DAY, live=True)
    inserted = _inserted(monkeypatch)
    rows = [
        _listing("ia", "A, retitled", noon),
        _listing("ib", "B", noon),
        _listing("ic", "C", noon),
    ]
    load_index(warehouse, rows, DAY, live=True)
    assert inserted == [2]
    titles = warehouse.execute("select article_id, title from article_index order by 1").fetchall()
    assert titles == [("ia", "A, retitled"), ("ib", "B"), ("ic", "C")]


def test_failures_are_replaced_and_cleared_by_key_within_their_stages(warehouse) -> None:
    def failure(stage: str, article_id: str, reason: str) -> dict:
        return {
            "stage": stage,
            "article_id": article_id,
            "url": None,
            "reason": reason,
            "attempts": 1,
            "failed_at": datetime(2025, 3, 3, tzinfo=UTC),
        }

    record_failures(
        warehouse,
        [failure("fetch", "ia", "timeout"), failure("fetch", "ib", "timeout")],
        stages=("fetch",),
    )
    record_failures(warehouse, [failure("parse", "ia", "no body")], stages=("parse",))
    record_failures(
        warehouse, [failure("fetch", "ib", "503")], stages=("fetch", "rejected"), clear=["ia"]
    )
    left = warehouse.execute("select stage, article_id, reason from failures order by 1, 2")
    assert left.fetchall() == [("fetch", "ib", "503"), ("parse", "ia", "no body")]


def test_a_failure_met_again_unchanged_keeps_when_it_was_first_seen(warehouse) -> None:
    def rejection(article_id: str, reason: str, day: int) -> dict:
        return {
            "stage": "rejected",
            "article_id": article_id,
            "url": f"https://example.com/{article_id}",
            "reason": reason,
            "attempts": 0,
            "failed_at": datetime(2025, 3, day, tzinfo=UTC),
        }

    stages = ("list", "rejected")
    record_failures(warehouse, [rejection("ia", "off the allowlist", 3)], stages=stages)
    # The same problem a day later, a new one, and one with another reason.
    record_failures(
        warehouse,
        [rejection("ia", "off the allowlist", 4), rejection("ib", "no URL", 4)],
        stages=stages,
    )
    record_failures(
        warehouse,
        [rejection("ia", "off the allowlist", 5), rejection("ib", "malformed URL", 5)],
        stages=stages,
    )
    rows = warehouse.execute(
        "select article_id, reason, day(failed_at) from failures order by 1"
    ).fetchall()
    assert rows == [("ia", "off the allowlist", 3), ("ib", "malformed URL", 5)]
    # A folder re-read whole: what it no longer meets is dropped, the rest kept as stored.
    record_failures(
        warehouse, [rejection("ib", "malformed URL", 6)], stages=stages, replace_all=True
    )
    rows = warehouse.execute("select article_id, day(failed_at) from failures").fetchall()
    assert rows == [("ib", 5)]


def test_fetched_rows_carry_timestamps_in_utc_whatever_the_session_zone(warehouse) -> None:
    warehouse.execute("set TimeZone = 'Asia/Shanghai'")
    noon = datetime(2025, 3, 3, 12, tzinfo=BEIJING)
    load_index(warehouse, [_listing("ia", "A", noon)], DAY, live=True)
    sql = "select article_id, listed_at, partition_date from article_index"
    [row] = fetch_dicts(warehouse, sql)
    assert row == {"article_id": "ia", "listed_at": noon, "partition_date": DAY}
    assert row["listed_at"].isoformat() == "2025-03-03T04:00:00+00:00"
