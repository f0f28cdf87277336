"""Parse + extract against lxml's bare parse (the floor) and trafilatura (the usual peer).

Every contender reads the same full pages. They take turns page by page, in an order that
rotates with the page and the round, so a burst of machine noise lands on all of them
alike; each page's time is its median over the rounds. trafilatura is two orders of
magnitude slower, so it reads an evenly spread subset of the pages, and its ratio is taken
on that subset only.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import lxml.html

from bench.corpus import Body, full_page
from pipelines.extract import extract
from pipelines.parse import parse_raw_page
from pipelines.records import RawPage

PARSE_EXTRACT = "parse + extract (the project)"
PARSE_ONLY = "parse alone (the project)"
LXML = "lxml.html.fromstring"
TRAFILATURA = "trafilatura.extract"


@dataclass(frozen=True)
class Contender:
    name: str
    per_page_seconds: dict[int, float]  # page index -> median over rounds

    def mean_on(self, pages: Sequence[int]) -> float:
        return statistics.fmean(self.per_page_seconds[page] for page in pages)

    @property
    def median(self) -> float:
        return statistics.median(self.per_page_seconds.values())

    @property
    def mean(self) -> float:
        return statistics.fmean(self.per_page_seconds.values())


@dataclass(frozen=True)
class ParsingFigures:
    pages: int
    mean_page_bytes: int
    rounds: int
    contenders: dict[str, Contender]
    peer_pages: list[int]  # the pages trafilatura read (empty when it is not installed)

    def ratio(self, name: str, base: str) -> float:
        """Mean time of `name` over mean time of `base` on the pages both read."""
        pages = self.peer_pages if TRAFILATURA in (name, base) else range(self.pages)
        return self.contenders[name].mean_on(pages) / self.contenders[base].mean_on(pages)


def raw_page(body: Body, content: bytes) -> RawPage:
    return RawPage(
        article_id=body.doc_id,
        url=None,
        format="sina_html",
        content=content,
        fetched_at=datetime.now(UTC),
        status=200,
        charset="utf-8",
    )


def parse_and_extract(page: RawPage) -> int:
    """The project's whole step from page bytes to facts; returns the facts found."""
    article = parse_raw_page(page)
    result = extract(
        article.body,
        published_at=article.published_at,
        article_id=article.article_id,
        title=article.title,
    )
    return len(result.facts)


def _trafilatura() -> Callable[[bytes], object] | None:
    try:
        import trafilatura
    except ImportError:
        return None
    return trafilatura.extract


def measure_parsing(bodies: Sequence[Body], rounds: int, peer_pages: int) -> ParsingFigures:
    pages = [raw_page(body, full_page(body)) for body in bodies]
    contenders: dict[str, Callable[[RawPage], object]] = {
        PARSE_EXTRACT: parse_and_extract,
        PARSE_ONLY: parse_raw_page,
        LXML: lambda page: lxml.html.fromstring(page.content),
    }
    peer = _trafilatura()
    step = max(1, len(pages) // peer_pages) if peer_pages else 0
    peer_set = set(range(0, len(pages), step)[:peer_pages]) if peer and step else set()
    if peer is not None:
        contenders[TRAFILATURA] = lambda page: peer(page.content)
    samples: dict[str, dict[int, list[float]]] = {name: {} for name in contenders}
    names = list(contenders)
    for page in pages[: min(len(pages), 5)]:  # warm imports and caches before timing
        for name in names:
            contenders[name](page)
    for round_number in range(rounds):
        for index, page in enumerate(pages):
            shift = (index + round_number) % len(names)
            for name in names[shift:] + names[:shift]:
                if name == TRAFILATURA and index not in peer_set:
                    continue
                started = time.perf_counter()
                contenders[name](page)
                elapsed = time.perf_counter() - started
                samples[name].setdefault(index, []).append(elapsed)
    return ParsingFigures(
        pages=len(pages),
        mean_page_bytes=sum(len(page.content) for page in pages) // len(pages),
        rounds=rounds,
        contenders={
            name: Contender(name, {i: statistics.median(s) for i, s in per_page.items()})
            for name, per_page in samples.items()
        },
        peer_pages=sorted(peer_set),
    )


# --- the extractor's worst case -----------------------------------------------------------

# Sentences in the project's own words, every one thick with amounts, periods and companies.
_DENSE_SENTENCES = (
    "{company}第{quarter}季度资本支出为{a}亿美元，上年同期为{b}亿美元，同比增长{pct}%。",
    "{company}预计{year}年资本开支将达到{a}亿至{c}亿美元，高于市场预期的{b}亿美元。",
    "分析师此前预估{company}{year}年的资本支出约为{b}亿美元，公司实际投入超过{a}亿美元。",
    "{company}表示，{year}财年资本开支至少为{c}亿美元，其中约{pct}%用于数据中心。",
)
_COMPANIES = ("微软", "谷歌", "亚马逊", "Meta", "苹果", "甲骨文", "特斯拉", "英伟达")


def dense_article(size_bytes: int) -> str:
    """An article of about `size_bytes` UTF-8 bytes, paragraphs of dense capex figures."""
    paragraphs = []
    size = 0
    number = 0
    while size < size_bytes:
        sentences = []
        for offset in range(4):
            index = number + offset
            template = _DENSE_SENTENCES[index % len(_DENSE_SENTENCES)]
            sentences.append(
                template.format(
                    company=_COMPANIES[index % len(_COMPANIES)],
                    quarter="一二三四"[index % 4],
                    year=2020 + index % 6,
                    a=100 + index % 700,
                    b=90 + index % 650,
                    c=120 + index % 800,
                    pct=5 + index % 90,
                )
            )
        number += 4
        paragraph = "".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    return "\n".join(paragraphs)


def news_article(bodies: Sequence[Body], size_bytes: int) -> str:
    """An article of about `size_bytes` UTF-8 bytes made of real article text: the bodies'
    paragraphs one after another, from the first body again when they run out."""
    paragraphs: list[str] = []
    for body in bodies:
        tree = lxml.html.fromstring(body.html)
        paragraphs += [p.text_content().strip() for p in tree.iter("p") if p.text_content().strip()]
    if not paragraphs:
        return ""
    article: list[str] = []
    size = 0
    while size < size_bytes:
        paragraph = paragraphs[len(article) % len(paragraphs)]
        article.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    return "\n".join(article)


DENSE = "dense figures"
NEWS = "real news text"


@dataclass(frozen=True)
class WorstCase:
    kind: str  # DENSE or NEWS
    size_bytes: int
    seconds: float
    facts: int


def measure_worst_case(
    sizes: Sequence[int], bodies: Sequence[Body], repeats: int = 5
) -> list[WorstCase]:
    """extract() over articles of each size, best of `repeats` (the cost, not noise): dense
    ones, every sentence a capex sentence, and real article text of the same size."""
    published = datetime(2025, 2, 8, 9, 0, tzinfo=UTC)
    results = []
    for size in sizes:
        for kind, text in ((DENSE, dense_article(size)), (NEWS, news_article(bodies, size))):
            if not text:
                continue
            times = []
            facts = 0
            for _ in range(repeats):
                started = time.perf_counter()
                facts = len(extract(text, published_at=published, article_id="iworst").facts)
                times.append(time.perf_counter() - started)
            results.append(WorstCase(kind, len(text.encode("utf-8")), min(times), facts))
    return results
