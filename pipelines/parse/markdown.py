"""A Markdown article with YAML front matter (the seed's layout) to an Article.

Front matter gives the title and the Beijing publication time; the last line,
`[channel](url)`, links the original page and so gives the article id.
"""

from __future__ import annotations

import re
from datetime import datetime

import yaml

from pipelines.parse.body import clean_paragraph
from pipelines.parse.sina_page import BEIJING, parse_beijing_time, source_from_body
from pipelines.records import Article, ParseError
from pipelines.sina_ids import article_id_for_url, content_id

_FENCE = "---"
_SOURCE_LINK = re.compile(r"^\[[^\]\n]{0,200}\]\((\S{1,2000})\)$")
_IMAGE = re.compile(r"!\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_LINK = re.compile(r"\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_LINE_MARKUP = re.compile(r"^(?:#{1,6}\s|>\s?|[-*+]\s)")
_EMPHASIS = ("**", "__")
# The app slogan that closes every Sina page (div.appendQr_wrap), rendered into Markdown.
_APP_SLOGAN = "海量资讯、精准解读，尽在新浪财经APP"


def has_front_matter(text: str) -> bool:
    """Whether the text opens with a `---` line, as front-matter Markdown does."""
    return text.lstrip("\ufeff").lstrip().split("\n", 1)[0].strip() == _FENCE


def source_link(text: str) -> str | None:
    """The URL of the closing `[channel](url)` line, if the article ends with one."""
    for line in reversed(text.rstrip().rsplit("\n", 3)):
        if line.strip():
            match = _SOURCE_LINK.match(line.strip())
            return match.group(1) if match else None
    return None


def _split_front_matter(text: str) -> tuple[dict, str]:
    lines = text.lstrip("\ufeff").lstrip().split("\n")
    if not has_front_matter(text):
        raise ParseError("no YAML front matter (the file must start with a '---' line)")
    for index in range(1, len(lines)):
        if lines[index].strip() == _FENCE:
            try:
                meta = yaml.safe_load("\n".join(lines[1:index])) or {}
            except yaml.YAMLError as error:
                raise ParseError(f"YAML front matter does not parse: {error}") from error
            if not isinstance(meta, dict):
                raise ParseError("YAML front matter is not a mapping of fields")
            return meta, "\n".join(lines[index + 1 :])
    raise ParseError("no YAML front matter (no closing '---' line)")


def _published_at(value: object) -> datetime:
    if isinstance(value, datetime):
        parsed = value if value.tzinfo else value.replace(tzinfo=BEIJING)
        return parsed.astimezone(BEIJING)
    parsed = parse_beijing_time(str(value)) if value else None
    if parsed is None:
        raise ParseError(f"front matter date {value!r} is not a time like '2025-02-07 20:06:03'")
    return parsed


def _plain_paragraph(line: str) -> str:
    line = _LINE_MARKUP.sub("", line.strip())
    line = _LINK.sub(r"\1", _IMAGE.sub(r"\1", line))
    for marker in _EMPHASIS:
        line = line.replace(marker, "")
    return clean_paragraph(line)


def parse_markdown_article(text: str, *, fallback_id: str | None = None) -> Article:
    """Parse a front-matter Markdown article; ParseError when the front matter is missing."""
    meta, markdown = _split_front_matter(text)
    title = str(meta.get("title") or "").strip()
    if not title:
        raise ParseError("front matter has no title")
    lines = [line.strip() for line in markdown.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    url = None
    if lines:
        link = _SOURCE_LINK.match(lines[-1])
        if link:
            url = link.group(1)
            lines.pop()
    paragraphs = [_plain_paragraph(line) for line in lines]
    body = "\n".join(p for p in paragraphs if p and p != _APP_SLOGAN)
    if not body:
        raise ParseError("Markdown article has no body text")
    fallback = fallback_id or content_id(text.encode("utf-8"))
    article_id = article_id_for_url(url) if url else fallback
    return Article(
        article_id=article_id,
        url=url,
        title=title,
        published_at=_published_at(meta.get("date")),
        source=source_from_body(body),
        body=body,
    )
