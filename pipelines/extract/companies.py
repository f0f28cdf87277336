"""Company aliases from `companies.toml`, and finding company mentions in text.

A mention is an alias, an enumeration of several companies ("微软、谷歌和Meta"), a group
word that points back to an enumeration ("四家巨头"), or a pronoun that points back to the
last subject ("公司", "该公司", "其").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from pipelines.extract.amounts import CHINESE_DIGITS

DEFAULT_TABLE = Path(__file__).with_name("companies.toml")


@dataclass(frozen=True)
class Company:
    ticker: str
    aliases: tuple[str, ...]
    fiscal_year_end_month: int = 12
    currency: str = "USD"


class Mention(NamedTuple):
    """`kind`: alias, enumeration, group (number of members in `size`), pronoun or plural."""

    start: int
    end: int
    kind: str
    tickers: tuple[str, ...] = ()  # in the order the text names them
    size: int = 0


@dataclass(frozen=True)
class CompanyTable:
    companies: dict[str, Company]
    pattern: re.Pattern[str]
    by_alias: dict[str, str]

    def fiscal_year_end_month(self, company: str) -> int:
        """Groups use calendar periods; a single company its own fiscal calendar."""
        found = self.companies.get(company)
        return found.fiscal_year_end_month if found else 12

    def currency(self, company: str) -> str:
        found = self.companies.get(company)
        return found.currency if found else "USD"


def load_table(path: Path | str = DEFAULT_TABLE) -> CompanyTable:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    companies: dict[str, Company] = {}
    by_alias: dict[str, str] = {}
    for row in data.get("company", []):
        company = Company(
            ticker=row["ticker"],
            aliases=tuple(row.get("aliases", [])),
            fiscal_year_end_month=int(row.get("fiscal_year_end_month", 12)),
            currency=row.get("currency", "USD"),
        )
        companies[company.ticker] = company
        for alias in company.aliases:
            by_alias[alias] = company.ticker
    return CompanyTable(companies, _alias_pattern(by_alias), by_alias)


def _alias_pattern(by_alias: dict[str, str]) -> re.Pattern[str]:
    """Longest alias first. English names only as whole words ("Meta" is not the start of
    "Metaverse"); they share one boundary check, since a name that starts with a letter and
    one that starts with a Chinese character never match at the same place."""
    english, others = [], []
    for alias in sorted(by_alias, key=len, reverse=True):
        escaped = re.escape(alias)
        if alias[-1].isascii() and alias[-1].isalnum():
            escaped += r"(?![A-Za-z])"
        (english if alias[0].isascii() and alias[0].isalnum() else others).append(escaped)
    if not by_alias:
        return re.compile(r"(?!)")
    branches = []
    if english:
        branches.append(rf"(?<![A-Za-z0-9])(?=[A-Za-z0-9])(?:{'|'.join(english)})")
    if others:
        branches.append(f"(?:{'|'.join(others)})")
    # A look-ahead on the possible first characters lets the scanner skip most positions
    # without trying every alias there (tens of times faster on long text).
    first_chars = "".join(sorted({re.escape(alias[0]) for alias in by_alias}))
    return re.compile(f"(?=[{first_chars}])(?:{'|'.join(branches)})")


@lru_cache(maxsize=1)
def default_table() -> CompanyTable:
    return load_table(DEFAULT_TABLE)


# Words between two names that make them one enumeration.
_JOINERS = re.compile(r"(?:\s|,|、|和|与|及|以及|跟|同|还有|and|&|/)*")
_NUMERALS = {**CHINESE_DIGITS, "十": 10}
_GROUP = re.compile(
    r"(?=[两二三四五六七八九十])(?P<n>[两二三四五六七八九十])(?:家|大|个)?(?:美国|美股|科技|云计算|云|AI)?"
    r"(?:科技巨头|巨头|大厂|科技公司|公司|企业|云厂商|云服务商|超大规模企业|厂商)"
)
# Names the press gives the four largest US cloud spenders, read as those four even when the
# article never lists them. Other counts ("七巨头") need an enumeration to point back to.
_BIG_FOUR = ("AMZN", "GOOGL", "META", "MSFT")
_BIG_FOUR_NAMES = re.compile(
    r"(?=[美科四])(?:(?:美国|美股)?科技四巨头|四大(?:美国|美股)?(?:科技巨头|科技公司|云厂商|云计算巨头|云计算厂商"
    r"|云服务商|云巨头|超大规模云服务商|超大规模云厂商|超大规模企业|超大规模公司|超大规模运营商"
    # Taiwan's press: 四大雲端業者, 四大雲端服務供應商, 四大CSP.
    r"|云端业者|云端服务供应商|云端服务商|云端巨头|云端大厂|CSP))"
)
# The look-aheads on first characters let the scanner skip most positions at once.
_PLURAL = re.compile(
    r"(?=[这巨他它上])(?:这些公司|这些巨头|巨头们|他们|它们|这几家公司|上述公司|上述企业)"
)
_PRONOUN = re.compile(
    r"(?=[该这本公其我])"
    r"(?:该公司|这家公司|该集团|本公司|(?<![子分母])公司|(?<![尤极与])其(?![中他它实次余])|我们)"
)


def find_mentions(text: str, start: int, end: int, table: CompanyTable) -> list[Mention]:
    """All company mentions in text[start:end], in order, with adjacent names merged into
    enumerations. Group words and pronouns are resolved later, against earlier mentions."""
    aliases = [
        Mention(m.start(), m.end(), "alias", (table.by_alias[m.group()],))
        for m in table.pattern.finditer(text, start, end)
    ]
    merged: list[Mention] = []
    for mention in aliases:
        if merged:
            last = merged[-1]
            gap = _JOINERS.fullmatch(text, last.end, mention.start)
            if gap is not None:
                tickers = last.tickers + tuple(t for t in mention.tickers if t not in last.tickers)
                kind = "enumeration" if len(tickers) > 1 else "alias"
                merged[-1] = Mention(last.start, mention.end, kind, tickers)
                continue
        merged.append(mention)
    # Named groups first: where "四大云厂商" is also a plain count, the name wins the tie.
    others = [
        Mention(m.start(), m.end(), "group", _BIG_FOUR, size=4)
        for m in _BIG_FOUR_NAMES.finditer(text, start, end)
    ]
    others += [
        Mention(m.start(), m.end(), "group", size=_NUMERALS[m.group("n")])
        for m in _GROUP.finditer(text, start, end)
    ]
    others += [Mention(m.start(), m.end(), "plural") for m in _PLURAL.finditer(text, start, end)]
    others += [Mention(m.start(), m.end(), "pronoun") for m in _PRONOUN.finditer(text, start, end)]
    # One sweep in text order; where two overlap, names win, then the longer phrase
    # ("四家公司" over the "公司" inside it).
    rank = {"alias": 0, "enumeration": 0, "group": 1, "plural": 2, "pronoun": 3}
    candidates = sorted(merged + others, key=lambda m: (m.start, rank[m.kind], m.start - m.end))
    kept: list[Mention] = []
    for mention in candidates:
        if kept and mention.start < kept[-1].end:
            if rank[mention.kind] == 0 and rank[kept[-1].kind] > 0:
                kept[-1] = mention  # a name never loses to a word that started just before it
            continue
        kept.append(mention)
    return kept


def group_id(tickers: tuple[str, ...] | list[str]) -> str:
    """Canonical id of one or several companies: member tickers sorted, joined by '+'."""
    return "+".join(sorted(set(tickers)))
