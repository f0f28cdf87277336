"""A whole Sina article page (current PC, older PC or mobile layout) to an Article.

Real pages weigh about 100 KB, almost all navigation and scripts around a few KB of article.
lxml reads the page once (fast, in C) to find the chrome and the article element; only that
element goes through BeautifulSoup for the careful body cleaning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

import lxml.html
from lxml import etree

from pipelines.parse.body import (
    article_element_text,
    body_text,
    has_class,
)
from pipelines.parse.decode import decode_html, page_codec
from pipelines.records import Article, ParseError
from pipelines.sina_ids import article_id_for_url, content_id

BEIJING = ZoneInfo("Asia/Shanghai")
_Found = TypeVar("_Found")

# Where each layout keeps its chrome, in order of preference. The title is looked for near
# the body and the date and source near the title before the whole page is scanned.
_H1 = etree.XPath(".//h1")
_TITLE_TESTS = [
    etree.XPath(f"boolean(self::h1[{has_class('main-title')}])"),  # current PC
    etree.XPath("boolean(self::h1[@id='artibodyTitle'])"),  # older PC
    etree.XPath(f"boolean(self::h1[{has_class('art_tit_h1')}])"),  # mobile
]
_DATE_PATHS = [
    etree.XPath(f".//*[{has_class('date-source')}]//span[{has_class('date')}]"),
    etree.XPath(".//span[@id='pub_date']"),
    etree.XPath(f".//*[{has_class('time-source')}]"),
    etree.XPath(f".//time[{has_class('art_time')}]"),
]
_SOURCE_PATHS = [
    etree.XPath(f".//*[self::a or self::span][{has_class('ent-source')}]"),
    etree.XPath(f".//*[{has_class('date-source')}]//*[{has_class('source')}]"),
    etree.XPath(".//*[@id='media_name']"),
    etree.XPath(f".//*[{has_class('time-source')}]//a"),
    etree.XPath(f".//cite[{has_class('art_cite')}]"),
]
# How many ancestors up chrome is looked for before the whole page is scanned.
_CHROME_LEVELS = 3
# id() is a hash lookup in libxml2; the class-based containers need a scan.
_BODY_PATHS = [
    ("div#artibody", etree.XPath("id('artibody')")),
    ("div.blkContainerSblk", etree.XPath(f"//div[{has_class('blkContainerSblk')}]")),
    ("section.art_content", etree.XPath(f"//section[{has_class('art_content')}]")),
]
_HEAD_META = etree.XPath("/html/head/meta[@content]")

# Older pages mark the article text with these comments and nothing else.
_OLD_BODY_START = "原始正文start"
_OLD_BODY_END = "原始正文end"

_CHINESE_TIME = re.compile(
    r"(\d{4})\s{0,3}年\s{0,3}(\d{1,2})\s{0,3}月\s{0,3}(\d{1,2})\s{0,3}日\s{0,3}"
    r"(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?"
)
_NUMERIC_TIME = re.compile(
    r"(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})[ T]{0,3}(\d{1,2}):(\d{2})(?::(\d{2}))?"
)
_SOURCE_LINE = re.compile(r"^(?:来源|转自|文章来源)[:：]\s{0,3}(\S{1,40})")
_PUBLISH_ID = re.compile(r"^[a-z]{4}[a-z0-9]{3,16}$")
_SPACES = re.compile(r"\s+")


def parse_beijing_time(text: str) -> datetime | None:
    """A Sina time string (`2025年02月07日 20:06`, `2018.05.09 12:52:37`, ISO) as Beijing time."""
    text = text.strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        match = _CHINESE_TIME.search(text) or _NUMERIC_TIME.search(text)
        if not match:
            return None
        year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
        try:
            parsed = datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=BEIJING)
    return parsed.astimezone(BEIJING)


def source_from_body(body: str) -> str | None:
    """The outlet an article credits in its first lines (`来源：环球网`, `转自：财联社`)."""
    for line in body.split("\n", 3)[:3]:
        match = _SOURCE_LINE.match(line)
        if match:
            return match.group(1)
    return None


def _text_of(element: etree._Element) -> str:
    return _SPACES.sub(" ", element.text_content()).strip()


def _first_text(scope: etree._Element, paths: list[etree.XPath]) -> str | None:
    for path in paths:
        for element in path(scope):
            text = _text_of(element)
            if text:
                return text
    return None


def _title_in(scope: etree._Element) -> etree._Element | None:
    headings = _H1(scope)
    for test in _TITLE_TESTS:
        for heading in headings:
            if test(heading):
                return heading
    return None


def _near(
    tree: etree._Element,
    anchor: etree._Element | None,
    find: Callable[[etree._Element], _Found | None],
) -> _Found | None:
    """What `find` finds in the subtree of the anchor's closest ancestors, else anywhere."""
    scope = anchor.getparent() if anchor is not None else None
    for _ in range(_CHROME_LEVELS):
        if scope is None:
            break
        found = find(scope)
        if found is not None:
            return found
        scope = scope.getparent()
    return find(tree)


def _body_container(tree: etree._Element) -> tuple[str, etree._Element] | None:
    for label, path in _BODY_PATHS:
        for element in path(tree):
            return label, element
    return None


def _head_meta(tree: etree._Element) -> dict[str, str]:
    """Head meta content by property or name; the first non-empty value of a key wins."""
    meta: dict[str, str] = {}
    for element in _HEAD_META(tree):
        key = element.get("property") or element.get("name")
        value = element.get("content", "").strip()
        if key and value and key not in meta:
            meta[key] = value
    return meta


def _between_old_body_comments(html: str) -> str | None:
    start = html.find(_OLD_BODY_START)
    if start < 0:
        return None
    start = html.find("-->", start)
    end = html.find(_OLD_BODY_END, start)
    if start < 0 or end < 0:
        return None
    end = html.rfind("<!--", start, end)
    return html[start + 3 : end] if end > start else None


def _article_body(
    container: tuple[str, etree._Element] | None, content: bytes, charset: str | None
) -> str:
    """Clean body text from the page's body container, or ParseError."""
    if container is not None:
        label, element = container
        text = article_element_text(element)
        if not text:
            raise ParseError(f"article body ({label}) has no text")
        return text
    old_body = _between_old_body_comments(decode_html(content, charset))
    text = body_text(old_body) if old_body is not None else ""
    if text:
        return text
    raise ParseError(
        "no article body (div#artibody, div.blkContainerSblk, section.art_content"
        " or 原始正文 comments) found"
    )


def _published_at(
    tree: etree._Element,
    title: etree._Element | None,
    meta: dict[str, str],
    listed_at: datetime | None,
) -> datetime:
    # Head meta carries seconds and an offset; the visible date is scanned for only when needed.
    text = meta.get("article:published_time")
    parsed = parse_beijing_time(text) if text else None
    if parsed is None:
        visible = _near(tree, title, lambda scope: _first_text(scope, _DATE_PATHS))
        text = visible or meta.get("weibo: article:create_at")
        parsed = parse_beijing_time(text) if text else None
    if parsed is not None:
        return parsed
    if listed_at is not None:
        return (
            listed_at.astimezone(BEIJING) if listed_at.tzinfo else listed_at.replace(tzinfo=BEIJING)
        )
    raise ParseError("no publication time (meta article:published_time or .date-source) found")


def _article_id(url: str | None, meta: dict[str, str], content: bytes) -> str:
    if url:
        return article_id_for_url(url)
    publish_id = meta.get("publishid", "")
    if _PUBLISH_ID.match(publish_id):
        return "i" + publish_id
    if "og:url" in meta:
        return article_id_for_url(meta["og:url"])
    return content_id(content)


# libxml2 decodes UTF-8 itself (bad bytes become U+FFFD), which saves building a Python str
# of the whole page; other charsets go through Python's codecs.
_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")


def _parse_tree(content: bytes, charset: str | None) -> etree._Element:
    try:
        if page_codec(content, charset) == "utf-8":
            return lxml.html.document_fromstring(content, parser=_UTF8_PARSER)
        html = decode_html(content, charset)
        # lxml refuses str input that still carries an XML encoding declaration.
        if html.startswith("<?xml"):
            html = html[html.find("?>") + 2 :]
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as error:
        raise ParseError(f"page is not HTML: {error}") from error


def parse_sina_page(
    content: bytes,
    *,
    url: str | None,
    charset: str | None = None,
    listed_at: datetime | None = None,
) -> Article:
    """Parse a Sina article page's bytes; ParseError names what is missing when it cannot."""
    tree = _parse_tree(content, charset)
    meta = _head_meta(tree)
    container = _body_container(tree)
    title_element = _near(tree, container[1] if container else None, _title_in)
    title = _text_of(title_element) if title_element is not None else meta.get("og:title")
    if not title:
        raise ParseError("no title (h1.main-title, h1#artibodyTitle, h1.art_tit_h1 or og:title)")
    published_at = _published_at(tree, title_element, meta, listed_at)
    source = _near(tree, title_element, lambda scope: _first_text(scope, _SOURCE_PATHS))
    body = _article_body(container, content, charset)
    return Article(
        article_id=_article_id(url, meta, content),
        url=url or meta.get("og:url"),
        title=title,
        published_at=published_at,
        source=source or source_from_body(body),
        body=body,
    )


def page_identity(content: bytes, charset: str | None = None) -> tuple[str | None, str]:
    """A page's own URL (og:url) and article id (publishid, og:url, else a content hash)."""
    try:
        meta = _head_meta(_parse_tree(content, charset))
    except ParseError:
        meta = {}
    return meta.get("og:url"), _article_id(None, meta, content)
