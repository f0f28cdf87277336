"""The 226 real article bodies of the corpus: every one parses, clean and complete."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import lxml.html
import pytest

from pipelines.parse import parse_corpus_record, parse_raw_page, parse_sina_page
from pipelines.parse.body import clean_paragraph
from pipelines.records import Article, ParseError, RawPage
from tests.support.sina_pages import corpus_pages

CORPUS = "corpus/sina_us_stock_2025-02-04_06.jsonl"
ADLIST_OPEN, ADLIST_CLOSE = "<!--article_adlist[", "]article_adlist-->"


@pytest.fixture(scope="module")
def records(shared_dir: Path) -> list[dict]:
    lines = (shared_dir / CORPUS).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def articles(records: list[dict]) -> dict[str, Article]:
    return {record["doc_id"]: parse_corpus_record(record) for record in records}


def test_every_record_parses(records: list[dict], articles: dict[str, Article]) -> None:
    assert len(articles) == len(records) == 226
    for record in records:
        article = articles[record["doc_id"]]
        assert article.title and article.body
        assert article.url == record["url"]
        assert article.published_at.utcoffset() == timedelta(hours=8)
        assert article.published_at.strftime("%Y-%m-%d %H:%M:%S") == record["listed_at"]


def test_bodies_hold_no_clutter_or_markup(articles: dict[str, Article]) -> None:
    for article in articles.values():
        for marker in (
            "海量资讯、精准解读",
            "责任编辑",
            "查看最新行情",
            "</",
            "<p",
            "news_keyword",
        ):
            assert marker not in article.body, (article.article_id, marker)
        for line in article.body.split("\n"):
            assert line == line.strip(" \u3000"), (article.article_id, line)


def _adlist_text(html: str) -> str:
    start = html.index(ADLIST_OPEN) + len(ADLIST_OPEN)
    inner = html[start : html.index(ADLIST_CLOSE, start)]
    held = lxml.html.fragment_fromstring(inner, create_parent="div")
    return clean_paragraph(held.text_content().split("\n")[0])


def test_adlist_comment_articles_keep_their_last_paragraph(
    records: list[dict], articles: dict[str, Article]
) -> None:
    with_adlist = [record for record in records if ADLIST_OPEN in record["article_html"]]
    assert len(with_adlist) == 6
    for record in with_adlist:
        held = _adlist_text(record["article_html"])
        assert held and held in articles[record["doc_id"]].body, record["doc_id"]


def test_stock_links_stay_inside_their_sentence(
    records: list[dict], articles: dict[str, Article]
) -> None:
    linked = [record for record in records if 'id="usstock_' in record["article_html"]]
    assert linked
    for record in linked:
        body = articles[record["doc_id"]].body
        for anchor in lxml.html.fragment_fromstring(record["article_html"]).iterfind(
            ".//a[@class='keyword']"
        ):
            name = anchor.text_content()
            around = clean_paragraph(f"{name}{anchor.tail or ''}")[:12]
            assert around in body, (record["doc_id"], around)


def test_gold_sentences_are_found_verbatim(shared_dir: Path, articles: dict[str, Article]) -> None:
    gold = [json.loads(line) for line in (shared_dir / "gold/dev.jsonl").read_text().splitlines()]
    quoted = [fact for fact in gold if fact["article_id"] in articles]
    assert quoted
    for fact in quoted:
        assert fact["sentence"] in articles[fact["article_id"]].body, fact["sentence"]


def test_padded_pages_parse_like_their_records(shared_dir: Path, articles: dict) -> None:
    for record, page in corpus_pages(shared_dir / CORPUS, padding_kb=100):
        from_page = parse_sina_page(page, url=record["url"])
        expected = articles[record["doc_id"]]
        assert (from_page.article_id, from_page.title, from_page.body) == (
            expected.article_id,
            expected.title,
            expected.body,
        )
        assert from_page.published_at == expected.published_at


def test_corpus_line_as_raw_page(records: list[dict], articles: dict[str, Article]) -> None:
    record = records[0]
    page = RawPage(
        article_id=record["doc_id"],
        url=record["url"],
        format="corpus_json",
        content=json.dumps(record, ensure_ascii=False).encode(),
        fetched_at=articles[record["doc_id"]].published_at,
    )
    assert parse_raw_page(page) == articles[record["doc_id"]]
    broken = RawPage(**{**page.__dict__, "content": b'{"doc_id": "x", '})
    with pytest.raises(ParseError, match="not JSON"):
        parse_raw_page(broken)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"article_html": '<div class="article" id="artibody"><script>x()</script></div>'},
            "no article text",
        ),
        ({"title": "  "}, "no title"),
        ({"listed_at": "yesterday"}, "listed_at"),
    ],
)
def test_unusable_records_raise_with_reason(records: list[dict], change: dict, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_corpus_record({**records[0], **change})
