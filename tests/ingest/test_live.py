"""A day of live ingestion against the loopback site, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import itertools
import socket
import time
from dataclasses import replace
from datetime import date, datetime

import pytest

from pipelines.ingest.live import SourceUnreachable, ingest_day
from pipelines.ingest.roll import list_day
from pipelines.ingest.settings import IngestSettings
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


def test_every_article_is_archived_once_with_its_exact_bytes(server, archive):
    report = ingest_day(FIXTURE_DAY, server.settings(), archive)

    expected = {a.article_id for a in server.articles()}
    assert archive.ids() == expected
    assert (report.listed, report.new, report.fetched, report.failed) == (6, 6, 6, 0)
    for article_id in expected:
        assert len(server.page_requests(article_id)) == 1
        stored = archive.get(article_id)
        assert stored.content == server.page_bytes(article_id)
        assert (stored.status, stored.charset, stored.origin) == (200, "utf-8", "live")
        assert stored.listed_at.date() == FIXTURE_DAY
        assert stored.url == server.url_of(article_id)
    assert report.page_requests == len(server.page_requests()) == 6
    assert report.list_requests == len(server.roll_requests())


def test_requests_look_like_a_browser_coming_from_sina(server, archive):
    ingest_day(FIXTURE_DAY, server.settings(), archive)
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
        report = ingest_day(FIXTURE_DAY, server.settings(page_size=2), archive)
        assert report.listed == 5
        assert archive.ids() == {a.article_id for a in articles}
        assert len(server.page_requests()) == 5
        # The PC page is the one fetched, and archived under its canonical URL.
        assert all("/doc-" in r.path for r in server.page_requests())
        assert all("?" not in archive.get(a.article_id).url for a in articles)
        # 20 entries a channel at 2 a page, as `total` says: no request past the end.
        assert report.list_requests == 2 * 10


def test_transient_faults_are_retried_until_the_page_arrives(server, archive):
    server.set_fault(FLAKY, Fault(errors=(500, 502)))
    server.set_fault(SLOW, Fault(slow_times=1, slow_seconds=1.5))
    server.set_fault(CUT, Fault(truncate_times=2))
    report = ingest_day(FIXTURE_DAY, server.settings(timeout=0.5, max_attempts=3), archive)

    assert report.failed == 0
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
    report = ingest_day(FIXTURE_DAY, settings, archive)

    reasons = {f.article_id: f for f in report.failures}
    assert set(reasons) == {FLAKY, SLOW, CUT, GOOD, LIMITED}
    assert "HTTP 503" in reasons[FLAKY].last_error and reasons[FLAKY].attempts == 3
    assert len(server.page_requests(FLAKY)) == 3  # gave up at the cap
    assert "HTTP 404" in reasons[SLOW].last_error and len(server.page_requests(SLOW)) == 1
    assert "truncated" in reasons[CUT].last_error and reasons[CUT].attempts == 3
    assert "too large" in reasons[GOOD].last_error and len(server.page_requests(GOOD)) == 1
    # Without a declared length the cap is enforced while reading.
    assert "over the 200000-byte cap" in reasons[LIMITED].last_error
    assert not archive.ids() & set(reasons)
    assert {f.article_id for f in archive.failures()} == set(reasons)
    assert report.fetched == 1


def test_retry_after_is_honoured(server, archive):
    server.set_fault(LIMITED, Fault(errors=(429,), retry_after="1"))
    ingest_day(FIXTURE_DAY, server.settings(), archive)
    first, second = server.page_requests(LIMITED)
    assert second.at - first.at >= 0.95
    assert archive.has(LIMITED)


def test_a_long_retry_after_is_capped(server, archive):
    server.set_fault(LIMITED, Fault(errors=(429,), retry_after="3600"))
    started = time.monotonic()
    ingest_day(FIXTURE_DAY, server.settings(retry_after_cap=0.5), archive)
    assert time.monotonic() - started < 5
    first, second = server.page_requests(LIMITED)
    assert second.at - first.at >= 0.45
    assert archive.has(LIMITED)


def test_a_403_slows_down_the_whole_host(server, archive):
    server.set_fault(LIMITED, Fault(errors=(403,), retry_after="1"))
    ingest_day(FIXTURE_DAY, server.settings(concurrency=1), archive)
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
    report = ingest_day(FIXTURE_DAY, server.settings(), archive)

    assert server.other_host_requests() == []
    rejected = {r.article_id: r.reason for r in report.rejections}
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
        ingest_day(FIXTURE_DAY, server.settings(), archive)
        stored = archive.get("igbkp0000001")
        assert stored.content == server.page_bytes("igbkp0000001")
    assert stored.charset == "gbk"
    assert "字节必须原样保存" in stored.content.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        stored.content.decode("utf-8")


def test_a_rerun_with_nothing_new_only_lists(server, archive):
    server.set_fault(MOVED, Fault(redirect_off_site=True))
    ingest_day(FIXTURE_DAY, server.settings(), archive)
    server.clear_log()

    report = ingest_day(FIXTURE_DAY, server.settings(), archive)
    assert server.page_requests() == []
    assert len(server.roll_requests()) == report.list_requests > 0
    assert (report.new, report.fetched, report.page_requests) == (0, 0, 0)


def test_stop_at_known_reads_only_the_first_page_of_a_known_day(server, archive):
    settings = server.settings(page_size=2)
    ingest_day(FIXTURE_DAY, settings, archive)
    server.clear_log()
    report = ingest_day(FIXTURE_DAY, settings, archive, stop_at_known=True)
    # One page on the channel with articles, one empty page on the other.
    assert report.list_requests == 2
    assert server.page_requests() == []


def test_a_failed_page_is_retried_and_cleared_by_the_next_run(server, archive):
    server.set_fault(FLAKY, Fault(always=503))
    first = ingest_day(FIXTURE_DAY, server.settings(max_attempts=2), archive)
    assert [f.article_id for f in first.failures] == [FLAKY]
    assert [f.article_id for f in archive.failures()] == [FLAKY]

    server.set_fault(FLAKY, Fault())
    server.clear_log()
    second = ingest_day(FIXTURE_DAY, server.settings(), archive)
    assert (second.new, second.fetched, second.recovered, second.failed) == (1, 1, 1, 0)
    assert [r.article_id for r in server.page_requests()] == [FLAKY]
    assert archive.failures() == []
    assert archive.get(FLAKY).content == server.page_bytes(FLAKY)


def test_a_failure_no_longer_listed_is_still_retried_on_its_day(server, archive):
    server.set_fault(FLAKY, Fault(always=503))
    ingest_day(FIXTURE_DAY, server.settings(max_attempts=1), archive)
    server.set_fault(FLAKY, Fault())
    # The roll API no longer lists it (it fell off the channel), but the page is still up.
    server.add_article(replace(server_article(server, FLAKY), channels=((1, 1),)))
    report = ingest_day(FIXTURE_DAY, server.settings(), archive)
    assert report.retried == 1 and report.recovered == 1
    assert archive.has(FLAKY) and archive.failures() == []


def server_article(server: ReplayServer, article_id: str) -> ReplayArticle:
    return next(a for a in server.articles() if a.article_id == article_id)


def test_an_unknown_channel_is_reported_and_the_others_still_ingest(server, archive):
    settings = server.settings(channels=((999, 1), (153, 2518)))
    report = ingest_day(FIXTURE_DAY, settings, archive)
    assert [e.channel for e in report.channel_errors] == ["999:1"]
    assert "code 11" in report.channel_errors[0].reason
    assert len(archive.ids()) == 6


@pytest.mark.parametrize("entry_point", ["ingest_day", "list_day"])
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
        if entry_point == "ingest_day":
            ingest_day(FIXTURE_DAY, settings, archive)
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
        ingest_day(FIXTURE_DAY, server.settings(rate_limit=10, concurrency=2), archive)
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
            report = ingest_day(day, server.settings(concurrency=8, rate_limit=1000), archive)
            assert report.failed == 0 and report.rejected == 0
            listed += report.listed
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
