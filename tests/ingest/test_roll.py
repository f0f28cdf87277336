"""Listing entries reduced to one article id and one fetchable URL, without the network."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from pipelines.ingest.roll import (
    BEIJING,
    Listing,
    Rejected,
    RollError,
    canonical_url,
    day_query,
    listed_time,
    listing_from_item,
    merge_listing,
    off_allowlist_reason,
    parse_roll_answer,
)
from pipelines.ingest.settings import IngestSettings

SINA = IngestSettings()
PC = "https://finance.sina.com.cn/stock/usstock/c/2025-02-05/doc-ineiwxyz1234567.shtml"


@pytest.mark.parametrize(
    "url",
    [
        PC,
        "http://finance.sina.com.cn/stock/usstock/c/2025-02-05/doc-ineiwxyz1234567.shtml",
        PC + "?from=wap&utm_source=weibo&utm_medium=share",
        PC + "#comment",
        "HTTP://Finance.Sina.com.cn/stock/usstock/c/2025-02-05/doc-ineiwxyz1234567.shtml",
        "https://finance.sina.cn/stock/usstock/2025-02-05/detail-ineiwxyz1234567.d.html",
        "http://finance.sina.cn/stock/usstock/2025-02-05/detail-ineiwxyz1234567.d.html?vt=4",
    ],
)
def test_every_form_of_one_article_gets_one_id(url):
    entry = listing_from_item({"url": url, "title": "t", "ctime": "1738713600"}, "153:2518", SINA)
    assert isinstance(entry, Listing)
    assert entry.article_id == "ineiwxyz1234567"
    assert entry.url.startswith("https://")
    assert "utm_" not in entry.url and "from=" not in entry.url and "#" not in entry.url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (PC + "?from=wap", PC),
        (
            "http://finance.sina.com.cn/a/doc-ineiwxyz1234567.shtml",
            "https://finance.sina.com.cn/a/doc-ineiwxyz1234567.shtml",
        ),
        # Hosts not known to serve https keep their scheme, and their port.
        (
            "http://127.0.0.1:8123/a/doc-ineiwxyz1234567.shtml?utm_campaign=x",
            "http://127.0.0.1:8123/a/doc-ineiwxyz1234567.shtml",
        ),
        # Parameters that may choose the page are kept.
        (
            "https://k.sina.com.cn/article_123_abc.html?id=5&from=news",
            "https://k.sina.com.cn/article_123_abc.html?id=5",
        ),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url, SINA.https_hosts) == expected


def test_self_media_pages_fall_back_to_a_stable_url_hash():
    first = listing_from_item({"url": "https://k.sina.com.cn/article_1_a.html?from=x"}, "c", SINA)
    second = listing_from_item({"url": "http://k.sina.com.cn/article_1_a.html"}, "c", SINA)
    third = listing_from_item({"url": "https://k.sina.com.cn/article_2_b.html"}, "c", SINA)
    assert first.article_id == second.article_id != third.article_id
    assert first.article_id.startswith("h")


def test_roll_docid_names_the_article_when_the_url_does_not():
    entry = listing_from_item(
        {"docid": "comos:neiwxyz1234567", "url": "https://finance.sina.com.cn/roll/view.html"},
        "c",
        SINA,
    )
    assert entry.article_id == "ineiwxyz1234567"


@pytest.mark.parametrize(
    ("url", "reason_part"),
    [
        ("https://example.com/doc-ineiwxyz1234567.shtml", "example.com is not on the allowlist"),
        ("https://evilsina.com.cn/doc-ineiwxyz1234567.shtml", "evilsina.com.cn is not on"),
        ("https://sina.com.cn.example.org/x.shtml", "is not on the allowlist"),
        ("ftp://finance.sina.com.cn/doc-ineiwxyz1234567.shtml", "scheme 'ftp'"),
        ("javascript:alert(1)", "scheme 'javascript'"),
        ("https://finance.sina.com.cn:99999/doc-ineiwxyz1234567.shtml", "malformed URL"),
    ],
)
def test_entries_off_the_allowlist_are_rejected_with_a_reason(url, reason_part):
    entry = listing_from_item({"url": url, "title": "x"}, "153:2518", SINA)
    assert isinstance(entry, Rejected)
    assert reason_part in entry.reason


@pytest.mark.parametrize(
    "url", [PC, "https://sina.cn/x", "https://finance.sina.cn/x", "https://sina.com.cn./x"]
)
def test_allowed_hosts_match_on_label_boundaries(url):
    assert off_allowlist_reason(url, SINA.allowed_hosts) is None


def test_entry_without_url_is_rejected():
    entry = listing_from_item({"docid": "comos:neiwxyz1234567", "url": ""}, "c", SINA)
    assert isinstance(entry, Rejected)
    assert entry.article_id == "ineiwxyz1234567"
    assert "no URL" in entry.reason


def test_pc_url_wins_over_mobile_whoever_came_first():
    seen: dict[str, Listing] = {}
    mobile = "https://finance.sina.cn/stock/usstock/2025-02-05/detail-ineiwxyz1234567.d.html"
    for url, channel in ((mobile, "384:2672"), (PC, "153:2518")):
        merge_listing(seen, listing_from_item({"url": url, "title": "T"}, channel, SINA))
    assert list(seen) == ["ineiwxyz1234567"]
    assert seen["ineiwxyz1234567"].url == PC
    assert seen["ineiwxyz1234567"].channel == "384:2672"  # the first channel that listed it


def test_day_query_spans_the_beijing_day():
    query = day_query(date(2025, 2, 5), 153, 2518, page=2, num=50)
    midnight_beijing = datetime(2025, 2, 4, 16, 0, tzinfo=UTC).timestamp()
    assert int(query["etime"]) == midnight_beijing
    assert int(query["stime"]) == int(query["ctime"]) == midnight_beijing + 86400
    assert query["date"] == "2025-02-05"
    assert (query["pageid"], query["lid"], query["page"], query["num"]) == (
        "153",
        "2518",
        "2",
        "50",
    )
    assert "callback" not in query


@pytest.mark.parametrize(
    "item",
    [
        {"ctime": "1738713600"},
        {"ctime": 1738713600},
        {"ctime": "", "intime": "1738713600"},
        {"ctime": "0", "intime": None, "mtime": 1738713600},
    ],
)
def test_listed_time_reads_strings_and_numbers_in_beijing_time(item):
    listed = listed_time(item)
    assert listed == datetime(2025, 2, 5, 8, 0, tzinfo=BEIJING)
    assert listed.utcoffset().total_seconds() == 8 * 3600


def test_listed_time_missing():
    assert listed_time({"ctime": "soon"}) is None


def test_roll_answer_with_an_error_code_is_an_error():
    body = {"result": {"status": {"code": 11, "msg": "lid error"}, "data": []}}
    with pytest.raises(RollError, match="code 11"):
        parse_roll_answer(json.dumps(body).encode())


@pytest.mark.parametrize(
    "body", [b"<html>busy</html>", b'try{cb({"result":{}});}catch(e){};', b"[]"]
)
def test_roll_answer_that_is_not_the_expected_json_is_an_error(body):
    with pytest.raises(RollError):
        parse_roll_answer(body)


def test_roll_answer_items_and_total():
    body = {"result": {"status": {"code": 0}, "total": "120", "data": [{"url": PC}, "junk"]}}
    items, total = parse_roll_answer(json.dumps(body).encode())
    assert items == [{"url": PC}]
    assert total == 120
