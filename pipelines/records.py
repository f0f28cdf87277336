"""The records that pass between stages: a raw page as fetched or imported, and a parsed article.

Every stage speaks in these types, so fetching, importing, parsing and extraction stay
independent of each other and of Dagster.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

# How a raw page's bytes are laid out, which decides the parser that reads them.
PageFormat = Literal["sina_html", "markdown", "corpus_json", "text"]


@dataclass(frozen=True)
class RawPage:
    """One document's bytes exactly as they arrived, before any parsing.

    `content` is kept byte for byte so a better parser can re-read it later without a refetch.
    """

    article_id: str
    url: str | None
    format: PageFormat
    content: bytes
    fetched_at: datetime  # timezone-aware
    status: int | None = None  # HTTP status, None for pages imported from files
    charset: str | None = None  # from the Content-Type header, when there was one
    listed_at: datetime | None = None  # when the listing said it was published (Beijing time)
    origin: str | None = None  # where it came from: "live", "samples", or the imported file path


@dataclass(frozen=True)
class Article:
    """A parsed article: what a reader sees, with the page chrome and clutter removed."""

    article_id: str
    url: str | None
    title: str
    published_at: datetime  # timezone-aware, Asia/Shanghai
    source: str | None  # the outlet the page credits (来源), when it names one
    body: str  # clean text, one paragraph a line, link text kept


class ParseError(ValueError):
    """A page that cannot become an Article; the message is the reason users will read."""
