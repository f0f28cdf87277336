"""The live source through the whole Dagster graph, against a Sina-like site on 127.0.0.1.

The code path is the one that reaches the real site; only the base URL and allowlist differ,
set the way a user would set them: through CAPEX_* environment variables.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pipelines.ingest.archive import RawArchive
from pipelines.running import RunFailed, run_pipeline
from pipelines.warehouse.db import connect
from tests.support.replay_server import FIXTURE_DAY, Fault, ReplayServer

DAY = FIXTURE_DAY.isoformat()


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch):
    with ReplayServer() as server:
        ids = sorted(article.article_id for article in server.articles())
        # One page too big to keep, one that redirects off the allowlist.
        server.set_fault(ids[0], Fault(oversized_bytes=6_000_000))
        server.set_fault(ids[1], Fault(redirect_off_site=True))
        monkeypatch.setenv("CAPEX_ROLL_URL", server.roll_url)
        monkeypatch.setenv("CAPEX_ROLL_CHANNELS", "153:2518,384:2672")
        monkeypatch.setenv("CAPEX_ALLOWED_HOSTS", "127.0.0.1")
        monkeypatch.setenv("CAPEX_RATE_LIMIT", "200")
        monkeypatch.setenv("CAPEX_TIMEOUT", "2")
        yield server, ids


@pytest.fixture
def healthy_site(site: tuple[ReplayServer, list[str]]) -> tuple[ReplayServer, list[str]]:
    """The same site with every page served as it should be."""
    server, ids = site
    for article_id in ids[:2]:
        server.set_fault(article_id, Fault())
    return server, ids


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    con = connect(warehouse, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_live_run_ingests_good_pages_once_and_records_bad_ones(
    site: tuple[ReplayServer, list[str]], tmp_path: Path
) -> None:
    server, ids = site
    warehouse = tmp_path / "capex.duckdb"
    report = run_pipeline(source="live", archive=None, warehouse=warehouse, partition=DAY)

    good = set(ids[2:])
    assert {row[0] for row in _rows(warehouse, "select article_id from articles")} == good
    failures = dict(_rows(warehouse, "select article_id, stage from failures"))
    assert failures[ids[0]] == "gone"  # over the size cap: the same answer next time
    assert failures[ids[1]] == "rejected"
    assert server.other_host_requests() == []
    # Every good page was requested exactly once.
    for article_id in good:
        assert len(server.page_requests(article_id)) == 1
    # Two of six pages failed: more than the share the check tolerates.
    assert any("failed_page_share" in line for line in report.failed_checks)
    assert report.blocking_failure

    # A rerun lists again and retries only what failed; archived pages are not refetched.
    server.clear_log()
    run_pipeline(source="live", archive=None, warehouse=warehouse, partition=DAY)
    assert server.roll_requests()
    assert {r.article_id for r in server.page_requests()} <= {ids[0], ids[1]}
    assert len(_rows(warehouse, "select * from articles")) == len(good)


@pytest.mark.parametrize("still_listed", [True, False], ids=["listed", "no longer listed"])
def test_a_failed_page_is_retried_and_cleared_by_the_next_run(
    healthy_site: tuple[ReplayServer, list[str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    still_listed: bool,
) -> None:
    server, ids = healthy_site
    flaky = ids[2]
    server.set_fault(flaky, Fault(always=503))
    monkeypatch.setenv("CAPEX_MAX_ATTEMPTS", "1")  # no backoff waits in the test
    warehouse = tmp_path / "capex.duckdb"
    run_pipeline(source="live", archive=None, warehouse=warehouse, partition=DAY)
    assert _rows(warehouse, "select article_id, stage from failures") == [(flaky, "fetch")]

    server.set_fault(flaky, Fault())
    if not still_listed:
        # It fell off the roll API's channels, but the page is still up.
        article = next(a for a in server.articles() if a.article_id == flaky)
        server.add_article(replace(article, channels=((1, 1),)))
    server.clear_log()
    run_pipeline(source="live", archive=None, warehouse=warehouse, partition=DAY)
    assert [r.article_id for r in server.page_requests()] == [flaky]
    assert _rows(warehouse, "select * from failures") == []
    assert RawArchive(tmp_path / "raw").get(flaky).content == server.page_bytes(flaky)
    assert flaky in {row[0] for row in _rows(warehouse, "select article_id from articles")}


def test_a_rerun_with_nothing_new_makes_listing_requests_only(
    healthy_site: tuple[ReplayServer, list[str]], tmp_path: Path
) -> None:
    server, _ = healthy_site
    warehouse = tmp_path / "capex.duckdb"
    report = run_pipeline(source="live", archive=None, warehouse=warehouse, partition=DAY)
    assert report.failed_checks == []
    before = _rows(warehouse, "select article_id, page_sha256 from articles order by 1")
    server.clear_log()
    run_pipeline(source="live", archive=None, warehouse=warehouse, partition=DAY)
    assert server.page_requests() == []
    assert server.roll_requests()
    assert _rows(warehouse, "select article_id, page_sha256 from articles order by 1") == before


def test_an_unreachable_site_fails_fast_naming_the_offline_sources(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("CAPEX_ROLL_URL", f"http://127.0.0.1:{port}/api/roll/get")
    monkeypatch.setenv("CAPEX_ALLOWED_HOSTS", "127.0.0.1")
    with pytest.raises(RunFailed, match="--source samples"):
        run_pipeline(source="live", archive=None, warehouse=tmp_path / "w.duckdb", partition=DAY)


def test_backfill_of_a_date_range_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import timedelta

    from pipelines.cli import main
    from tests.support.replay_server import fixture_articles

    next_day = FIXTURE_DAY + timedelta(days=1)
    with ReplayServer([*fixture_articles(FIXTURE_DAY), *fixture_articles(next_day)]) as server:
        monkeypatch.setenv("CAPEX_ROLL_URL", server.roll_url)
        monkeypatch.setenv("CAPEX_ALLOWED_HOSTS", "127.0.0.1")
        monkeypatch.setenv("CAPEX_RATE_LIMIT", "200")
        warehouse = tmp_path / "capex.duckdb"
        code = main(
            ["run", "--warehouse", str(warehouse), "--date", DAY, "--until", next_day.isoformat()]
        )
        assert code == 0, capsys.readouterr().err
        listed = {a.article_id for a in server.articles()}
    by_day = _rows(
        warehouse, "select partition_date::varchar, count(*) from article_index group by 1"
    )
    assert dict(by_day) == {DAY: 6, next_day.isoformat(): 6}
    assert {row[0] for row in _rows(warehouse, "select article_id from articles")} == listed


def test_a_dead_link_is_asked_for_only_by_runs_of_its_own_day(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from datetime import timedelta

    from tests.support.replay_server import fixture_articles

    next_day = FIXTURE_DAY + timedelta(days=1)
    with ReplayServer([*fixture_articles(FIXTURE_DAY), *fixture_articles(next_day)]) as server:
        first_day = sorted(a.article_id for a in fixture_articles(FIXTURE_DAY))
        dead, overloaded = first_day[0], first_day[1]
        server.set_fault(dead, Fault(always=404))
        server.set_fault(overloaded, Fault(always=503))
        monkeypatch.setenv("CAPEX_ROLL_URL", server.roll_url)
        monkeypatch.setenv("CAPEX_ALLOWED_HOSTS", "127.0.0.1")
        monkeypatch.setenv("CAPEX_RATE_LIMIT", "200")
        monkeypatch.setenv("CAPEX_MAX_ATTEMPTS", "1")  # no backoff waits in the test
        warehouse = tmp_path / "capex.duckdb"
        run_pipeline(source="live", archive=None, warehouse=warehouse, partition=DAY)
        stages = dict(_rows(warehouse, "select article_id, stage from failures"))
        assert stages[dead] == "gone" and stages[overloaded] == "fetch"

        # The next day's run tries the page that may come back, not the dead link.
        server.clear_log()
        run_pipeline(
            source="live", archive=None, warehouse=warehouse, partition=next_day.isoformat()
        )
        asked = {r.article_id for r in server.page_requests()}
        assert overloaded in asked and dead not in asked

        # A run of the dead link's own day asks again; it is recorded once, not twice.
        server.clear_log()
        run_pipeline(source="live", archive=None, warehouse=warehouse, partition=DAY)
        assert dead in {r.article_id for r in server.page_requests()}
    rows = _rows(warehouse, f"select stage from failures where article_id = '{dead}'")
    assert rows == [("gone",)]


def test_a_folder_run_on_the_same_day_keeps_what_the_live_site_listed(
    healthy_site: tuple[ReplayServer, list[str]], tmp_path: Path
) -> None:
    from pipelines.sources import SAMPLES_DIR

    _, ids = healthy_site
    warehouse = tmp_path / "capex.duckdb"
    run_pipeline(source="live", archive=None, warehouse=warehouse, partition=DAY)
    run_pipeline(source="archive", archive=SAMPLES_DIR, warehouse=warehouse, partition=DAY)
    origins = dict(
        _rows(
            warehouse,
            "select origin = 'live', count(*) from article_index "
            f"where partition_date = '{DAY}' group by 1",
        )
    )
    assert origins[True] == len(ids)
    assert origins[False] == len(list(SAMPLES_DIR.glob("*.shtml")))
