"""Raw page bytes to clean Articles: Sina HTML pages, Markdown files, corpus records, text."""

from __future__ import annotations

import dataclasses
import json

from pipelines.parse.body import body_text
from pipelines.parse.corpus import parse_corpus_record
from pipelines.parse.decode import decode_html
from pipelines.parse.markdown import parse_markdown_article
from pipelines.parse.sina_page import BEIJING, parse_beijing_time, parse_sina_page
from pipelines.records import Article, ParseError, RawPage

__all__ = [
    "BEIJING",
    "body_text",
    "decode_html",
    "parse_beijing_time",
    "parse_corpus_record",
    "parse_markdown_article",
    "parse_raw_page",
    "parse_sina_page",
    "parse_text_article",
]


def parse_text_article(page: RawPage) -> Article:
    """A plain-text page: the first non-empty line is the title, the rest the body."""
    text = decode_html(page.content, page.charset)
    lines = [line.strip(" \t\r\u3000") for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < 2:
        raise ParseError("text page needs a title line and at least one body line")
    published_at = page.listed_at or page.fetched_at
    return Article(
        article_id=page.article_id,
        url=page.url,
        title=lines[0],
        published_at=published_at.astimezone(BEIJING),
        source=None,
        body="\n".join(lines[1:]),
    )


def _corpus_line(page: RawPage) -> Article:
    try:
        record = json.loads(page.content)
    except (ValueError, UnicodeDecodeError) as error:
        raise ParseError(f"corpus line is not JSON: {error}") from error
    if not isinstance(record, dict):
        raise ParseError("corpus line is not a JSON object")
    return parse_corpus_record(record)


def parse_raw_page(page: RawPage) -> Article:
    """Parse a RawPage by its format; the Article keeps the page's id, the key of the raw layer."""
    if page.format == "sina_html":
        article = parse_sina_page(
            page.content, url=page.url, charset=page.charset, listed_at=page.listed_at
        )
    elif page.format == "markdown":
        text = decode_html(page.content, page.charset or "utf-8")
        article = parse_markdown_article(text, fallback_id=page.article_id)
    elif page.format == "corpus_json":
        article = _corpus_line(page)
    elif page.format == "text":
        return parse_text_article(page)
    else:
        raise ParseError(f"unknown page format {page.format!r}")
    if page.article_id and article.article_id != page.article_id:
        article = dataclasses.replace(article, article_id=page.article_id)
    return article
