"""A corpus record (one JSON Lines object holding a real `div#artibody`) to an Article."""

from __future__ import annotations

from typing import Any

from pipelines.parse.body import body_text, clean_paragraph
from pipelines.parse.sina_page import parse_beijing_time, source_from_body
from pipelines.records import Article, ParseError
from pipelines.sina_ids import article_id_for_url


def parse_corpus_record(record: dict[str, Any]) -> Article:
    """Article from a record with doc_id, url, title, listed_at (Beijing time), article_html.

    The record has no page chrome, so the listing time stands in for the publication time.
    """
    url = record.get("url") or None
    article_id = record.get("doc_id") or (article_id_for_url(url) if url else None)
    if not article_id:
        raise ParseError("corpus record has neither doc_id nor url")
    title = clean_paragraph(record.get("title") or "")
    if not title:
        raise ParseError(f"corpus record {article_id} has no title")
    published_at = parse_beijing_time(str(record.get("listed_at") or ""))
    if published_at is None:
        raise ParseError(f"corpus record {article_id} has no readable listed_at")
    html = record.get("article_html") or ""
    body = body_text(html) if html.strip() else ""
    if not body:
        raise ParseError(f"corpus record {article_id} has no article text in article_html")
    return Article(
        article_id=article_id,
        url=url,
        title=title,
        published_at=published_at,
        source=source_from_body(body),
        body=body,
    )
