"""parse_raw_page dispatches on the page format and keeps the raw layer's article id."""

from __future__ import annotations

from datetime import datetime

import pytest

from pipelines.parse import BEIJING, parse_raw_page
from pipelines.records import ParseError, RawPage
from tests.parse.test_markdown import OWN_ARTICLE

FETCHED = datetime(2025, 2, 7, 12, 0, tzinfo=BEIJING)


def _raw(fmt: str, content: bytes, **kwargs) -> RawPage:
    fields = {"article_id": "hraw0000000000001", "url": None, "fetched_at": FETCHED} | kwargs
    return RawPage(format=fmt, content=content, **fields)


def test_text_page_takes_its_first_line_as_title() -> None:
    listed = datetime(2025, 2, 6, 8, 0, tzinfo=BEIJING)
    text = "\n　　Meta今年的投入计划\n\nMeta预计今年资本支出为600亿至650亿美元。\n".encode()
    article = parse_raw_page(_raw("text", text, listed_at=listed))
    assert article.title == "Meta今年的投入计划"
    assert article.body == "Meta预计今年资本支出为600亿至650亿美元。"
    assert article.published_at == listed
    assert article.article_id == "hraw0000000000001"


def test_text_page_without_listing_time_uses_the_fetch_time() -> None:
    article = parse_raw_page(_raw("text", "标题\n正文。".encode()))
    assert article.published_at == FETCHED


def test_text_page_needs_a_body() -> None:
    with pytest.raises(ParseError, match="title line and at least one body line"):
        parse_raw_page(_raw("text", "只有标题".encode()))


def test_markdown_page() -> None:
    article = parse_raw_page(_raw("markdown", OWN_ARTICLE.encode(), article_id="inekxcd7654321"))
    assert article.title == "Meta上调今年投入计划"
    assert article.article_id == "inekxcd7654321"


def test_unknown_format_raises() -> None:
    with pytest.raises(ParseError, match="unknown page format"):
        parse_raw_page(_raw("pdf", b"%PDF"))
