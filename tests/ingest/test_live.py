"""A day of live ingestion against the loopback site, over real HTTP on 127.0.0.1.

Each test drives the product path for one day as a run does: `list_articles`, then
`collect_pages` (pipelines.sources). What a run keeps for the next one (failures to retry)
is in the warehouse, so retries across runs are tested in tests/test_live_pipeline.py.
"""

from __future__ import annotations

import itertools
import socket
import time
from datetime import date, datetime

import pytest

from pipelines.ingest.archive import RawArchive
from pipelines.ingest.fetch import SourceUnreachable
from pipelines.ingest.roll import list_day
from pipelines.ingest.settings import IngestSettings
from pipelines.sources import (
    ListingOutcome,
    PagesOutcome,
    SourceConfig,
    collect_pages,
    list_articles,
)
from tests.support.replay_server import (
    BEIJING,
    FIXTURE_DAY,
    Fault,
    ReplayArticle,
    ReplayServer,
    fixture_articles,
)

GOOD, FLAKY, LIMITED, SLOW, CUT, MOVED = (a.article_id for a in fixture_articles())
CORPUS_FILE = "corpus/sina_us_stock_2025-02-04_06.jsonl"


def run_day(
    settings: IngestSettings, archive: RawArchive, day: date = FIXTURE_DAY
) -> tuple[ListingOutcome, PagesOutcome]:
    """What a run does for one day: list what the archive lacks, then fetch and archive it."""
    config = SourceConfig(kind="live", settings=settings)
    listing = list_articles(config, day, frozenset(archive.ids()))
    return listing, collect_pages(config, listing.rows, archive)


def by_id(rows: list[dict]) -> dict[str, dict]:
    return {row["article_id"]: row for row in rows}


def test_every_article_is_archived_once_with_its_exact_bytes(server, archive):
    listing, pages = run_day(server.settings(), archive)

    expected = {a.article_id for a in server.articles()}
    assert archive.ids() == expected
    assert set(by_id(listing.rows)) == set(by_id(pages.archived)) == expected
    assert (pages.already_archived, pages.failures, listing.problems) == (0, [], [])
    for article_id in expected:
        assert len(server.page_requests(article_id)) == 1
        stored = archive.get(article_id)
        assert stored.content == server.page_bytes(article_id)
        assert (stored.status, stored.charset, stored.origin) == (200, "utf-8", "live")
        assert stored.listed_at.date() == FIXTURE_DAY
        assert stored.url == server.url_of(article_id)
    assert pages.requests == len(server.page_requests()) == 6
    assert listing.requests == len(server.roll_requests())


def test_requests_look_like_a_browser_coming_from_sina(server, archive):
    run_day(server.settings(), archive)
    for request in server.requests:
        assert request.user_agent.startswith("Mozilla/5.0")
        assert request.referer == "https://finance.sina.com.cn/"


def test_duplicate_listings_across_pages_channels_and_url_forms_are_fetched_once(archive):
    base = fixture_articles()[0]
    both_channels = ((153, 2518), (384, 2672))
    articles = [
        ReplayArticle(
            article_id=f"idupl{n:07d}",
            title=f"重复条目{n}",
            published_at=base.published_at.replace(minute=n),
            body_html=f"<p>　　第{n}条。</p>",
            channels=both_channels,
            variants=("mobile", "tracking", "http"),
        )
        for n in range(5)
    ]
    with ReplayServer(articles) as server:
        # Two items a page: each article's four URL forms are spread over several pages.
        listing, pages = run_day(server.settings(page_size=2), archive)
        assert len(listing.rows) == 5
        assert archive.ids() == {a.article_id for a in articles}
        assert len(server.page_requests()) == pages.requests == 5
        # The PC page is the one fetched, and archived under its canonical URL.
        assert all("/doc-" in r.path for r in server.page_requests())
        assert all("?" not in archive.get(a.article_id).url for a in articles)
        # 20 entries a channel at 2 a page, as `total` says: no request past the end.
        assert listing.requests == 2 * 10


def test_transient_faults_are_retried_until_the_page_arrives(server, archive):
    server.set_fault(FLAKY, Fault(errors=(500, 502)))
    server.set_fault(SLOW, Fault(slow_times=1, slow_seconds=1.5))
    server.set_fault(CUT, Fault(truncate_times=2))
    _, pages = run_day(server.settings(timeout=0.5, max_attempts=3), archive)

    assert pages.failures == []
    assert len(server.page_requests(FLAKY)) == 3
    assert len(server.page_requests(SLOW)) == 2
    assert len(server.page_requests(CUT)) == 3
    for article_id in (FLAKY, SLOW, CUT):
        assert archive.get(article_id).content == server.page_bytes(article_id)


def test_permanent_faults_are_recorded_with_their_reason_after_the_attempt_cap(server, archive):
    server.set_fault(FLAKY, Fault(always=503))
    server.set_fault(SLOW, Fault(always=404))
    server.set_fault(CUT, Fault(truncate_times=99))
    server.set_fault(GOOD, Fault(oversized_bytes=300_000))
    server.set_fault(LIMITED, Fault(oversized_bytes=300_000, no_length=True))
    settings = server.settings(max_attempts=3, max_page_bytes=200_000)
    _, pages = run_day(settings, archive)

    failed = by_id(pages.failures)
    assert set(failed) == {FLAKY, SLOW, CUT, GOOD, LIMITED}
    assert "HTTP 503" in failed[FLAKY]["reason"] and failed[FLAKY]["attempts"] == 3
    assert len(server.page_requests(FLAKY)) == 3  # gave up at the cap
    assert "HTTP 404" in failed[SLOW]["reason"] and len(server.page_requests(SLOW)) == 1
    assert "truncated" in failed[CUT]["reason"] and failed[CUT]["attempts"] == 3
    assert "too large" in failed[GOOD]["reason"] and len(server.page_requests(GOOD)) == 1
    # Without a declared length the cap is enforced while reading.
    assert "over the 200000-byte cap" in failed[LIMITED]["reason"]
    # An answer that would be the same next time is "gone"; the others may pass later.
    stages = {article_id: row["stage"] for article_id, row in failed.items()}
    assert stages == {FLAKY: "fetch", CUT: "fetch", SLOW: "gone", GOOD: "gone", LIMITED: "gone"}
    assert all(row["url"] == server.url_of(article_id) for article_id, row in failed.items())
    assert not archive.ids() & set(failed)
    assert [row["article_id"] for row in pages.archived] == [MOVED]


def test_retry_after_is_honoured(server, archive):
    server.set_fault(LIMITED, Fault(errors=(429,), retry_after="1"))
    run_day(server.settings(), archive)
    first, second = server.page_requests(LIMITED)
    assert second.at - first.at >= 0.95
    assert archive.has(LIMITED)


def test_a_long_retry_after_is_capped(server, archive):
    server.set_fault(LIMITED, Fault(errors=(429,), retry_after="3600"))
    started = time.monotonic()
    run_day(server.settings(retry_after_cap=0.5), archive)
    assert time.monotonic() - started < 5
    first, second = server.page_requests(LIMITED)
    assert second.at - first.at >= 0.45
    assert archive.has(LIMITED)


def test_a_403_slows_down_the_whole_host(server, archive):
    server.set_fault(LIMITED, Fault(errors=(403,), retry_after="1"))
    run_day(server.settings(concurrency=1), archive)
    banned_at = server.page_requests(LIMITED)[0].at
    later = [r for r in server.page_requests() if r.at > banned_at]
    assert later, "other pages should still be fetched after the pause"
    assert min(r.at for r in later) - banned_at >= 0.95
    assert len(archive.ids()) == 6


def test_nothing_is_fetched_off_the_allowlist(server, archive):
    server.set_fault(MOVED, Fault(redirect_off_site=True))
    when = datetime(2025, 2, 10, 12, 0, tzinfo=BEIJING)
    server.add_listing_entry(
        server.other_base_url + "/stock/c/doc-ioffs0000001.shtml", title="外站", published_at=when
    )
    server.add_listing_entry(
        "ftp://127.0.0.1/doc-ioffs0000002.shtml", title="ftp", published_at=when
    )
    listing, pages = run_day(server.settings(), archive)

    assert server.other_host_requests() == []
    # Off-allowlist entries are rejected while listing, an off-site redirect while fetching.
    problems = [*listing.problems, *pages.failures]
    assert {row["stage"] for row in problems} == {"rejected"}
    rejected = {row["article_id"]: row["reason"] for row in problems}
    assert "redirected off the allowlist" in rejected[MOVED]
    assert "127.0.0.2 is not on the allowlist" in rejected["ioffs0000001"]
    assert "scheme 'ftp'" in rejected["ioffs0000002"]
    assert not archive.has(MOVED)
    assert len(archive.ids()) == 5


def test_a_gbk_page_is_archived_byte_for_byte(archive):
    gbk_article = ReplayArticle(
        article_id="igbkp0000001",
        title="老页面用国标编码",
        published_at=datetime(2025, 2, 10, 9, 30, tzinfo=BEIJING),
        body_html="<p>　　这一页以GBK编码发送，字节必须原样保存。</p>",
        charset="gbk",
    )
    with ReplayServer([gbk_article]) as server:
        run_day(server.settings(), archive)
        stored = archive.get("igbkp0000001")
        assert stored.content == server.page_bytes("igbkp0000001")
    assert stored.charset == "gbk"
    assert "字节必须原样保存" in stored.content.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        stored.content.decode("utf-8")


def test_a_rerun_with_nothing_new_only_lists(server, archive):
    run_day(server.settings(), archive)
    server.clear_log()

    listing, pages = run_day(server.settings(), archive)
    assert server.page_requests() == []
    assert len(server.roll_requests()) == listing.requests > 0
    assert (pages.archived, pages.failures, pages.requests) == ([], [], 0)
    assert pages.already_archived == len(listing.rows) > 0


def test_recorded_pages_are_not_looked_for_and_unrecorded_ones_not_refetched(server, archive):
    listing, first = run_day(server.settings(), archive)
    ids = sorted(by_id(first.archived))
    server.clear_log()
    config = SourceConfig(kind="live", settings=server.settings())
    # As after a run killed before it recorded its last page: the rest are recorded.
    pages = collect_pages(config, listing.rows, archive, recorded=set(ids[1:]))
    assert server.page_requests() == []
    assert pages.unrecorded == [ids[0]]
    assert pages.already_archived == len(ids)


def test_stop_at_known_reads_only_the_first_page_of_a_known_day(server, archive):
    settings = server.settings(page_size=2)
    first, _ = run_day(settings, archive)
    assert first.requests > 2  # nothing known yet: every page of the day is read
    server.clear_log()
    listing, _ = run_day(settings, archive)
    # One page on the channel with articles, one empty page on the other.
    assert listing.requests == len(server.roll_requests()) == 2
    assert server.page_requests() == []


def test_an_unknown_channel_is_reported_and_the_others_still_ingest(server, archive):
    settings = server.settings(channels=((999, 1), (153, 2518)))
    listing, _ = run_day(settings, archive)
    [problem] = listing.problems
    assert (problem["stage"], problem["article_id"]) == ("rejected", "channel:999:1")
    assert "code 11" in problem["reason"]
    assert len(archive.ids()) == 6


@pytest.mark.parametrize("entry_point", ["run_day", "list_day"])
def test_an_unreachable_source_fails_fast_with_the_offline_options(archive, entry_point):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    # Production pace and retries: only the first-contact rule keeps this short.
    settings = IngestSettings(
        roll_url=f"http://127.0.0.1:{closed_port}/api/roll/get", allowed_hosts=("127.0.0.1",)
    )
    started = time.monotonic()
    with pytest.raises(SourceUnreachable) as raised:
        if entry_point == "run_day":
            run_day(settings, archive)
        else:
            list_day(FIXTURE_DAY, settings)
    assert time.monotonic() - started < 5
    assert "capex run --source samples" in str(raised.value)
    assert "capex run --source archive --archive PATH" in str(raised.value)
    assert archive.ids() == set()


def test_pace_and_connection_limits_hold(archive):
    articles = [
        ReplayArticle(
            article_id=f"ipace{n:07d}",
            title=f"节奏{n}",
            published_at=datetime(2025, 2, 10, 10, n, tzinfo=BEIJING),
            body_html="<p>　　慢慢来。</p>",
            fault=Fault(slow_times=1, slow_seconds=0.4),
        )
        for n in range(8)
    ]
    with ReplayServer(articles) as server:
        run_day(server.settings(rate_limit=10, concurrency=2), archive)
        times = sorted(r.at for r in server.requests)
        assert server.most_in_flight <= 2
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    # 10 a second to one host; a loaded machine may log a request late, hence the slack.
    assert times[-1] - times[0] >= 0.095 * len(gaps)
    assert min(gaps) >= 0.05
    assert len(archive.ids()) == 8


def test_the_real_corpus_days_are_ingested_completely(shared_dir, archive):
    with ReplayServer([]) as server:
        articles = server.add_corpus(shared_dir / CORPUS_FILE, padding_kb=100)
        days = sorted({a.published_at.date() for a in articles})
        listed = 0
        for day in days:
            listing, pages = run_day(server.settings(concurrency=8, rate_limit=1000), archive, day)
            assert listing.problems == [] and pages.failures == []
            listed += len(listing.rows)
        assert listed == len(articles) == len(archive.ids())
        assert len(server.page_requests()) == len(articles)
        sample = articles[len(articles) // 2]
        assert archive.get(sample.article_id).content == server.page_bytes(sample.article_id)


def test_list_day_alone_lists_without_fetching(server):
    listing = list_day(FIXTURE_DAY, server.settings())
    assert {item.article_id for item in listing.listings} == {
        a.article_id for a in server.articles()
    }
    assert all(item.listed_at.tzinfo is not None for item in listing.listings)
    assert server.page_requests() == []
    assert listing.requests == len(server.roll_requests())
    # The day before has nothing.
    assert list_day(date(2025, 2, 9), server.settings()).listings == []
