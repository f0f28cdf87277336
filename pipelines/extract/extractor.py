"""From article text to capex facts.

Text with no 资本/資本/cap at all is left at once (most articles). Otherwise only sentences
that name capital expenditure and hold an amount are read closely. Inside such a sentence each
amount is linked to the metric that governs it by clause structure (the nearest metric word
before it in its clause, else the nearest after it, else the metric carried from the previous
clause); changes ("增加200亿美元") and run rates are not levels. Then company, period and basis
are resolved from cues bound to the amount:

    subject   nearest company mention before the amount in its clause; else the company of
              the previous amount of the sentence; else, for "公司/其", the first company the
              sentence names; else the nearest earlier mention in the text
    period    the last period phrase between the previous amount and this one (a compared
              period, "较2023年", dates only the amount right after it); else one named earlier
              in the sentence and not yet used; else the previous amount's period, re-read in
              this company's calendar; else the last period of the previous sentence of the
              same paragraph. "本季度…为X" in the weeks after a quarter ended is that quarter.
    basis     a consensus cue governing the amount (市场预期的, 分析师预估, 预估X beside a
              reported figure) → consensus; an ended period → actual, unless the company's
              forecast or revision words introduce it ("此前预期为X" after 上调 is the earlier
              guidance); otherwise → guidance
    bounds    after 下限/上限 only the new end is kept, as at_least / up_to

A sentence that only says "实际为X" right after an expectation for a named period gives the
actual for that company and period.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from pipelines.extract import cues
from pipelines.extract.amounts import Amount, find_amounts
from pipelines.extract.companies import (
    CompanyTable,
    Mention,
    default_table,
    find_mentions,
    group_id,
)
from pipelines.extract.facts import Basis, CapexFact, Extraction, Field, StatedGrowth
from pipelines.extract.normalize import normalize
from pipelines.extract.periods import (
    DATED_KINDS,
    PeriodMention,
    counts_back,
    find_periods,
    fiscal_year_of,
    in_season,
    is_past,
    names_reported_quarter,
    resolve,
    shift_period,
)
from pipelines.extract.segment import Span, clauses, sentences

_log = logging.getLogger(__name__)
BEIJING = ZoneInfo("Asia/Shanghai")


_END = attrgetter("end")


class _Term(NamedTuple):
    start: int
    end: int
    capex: bool


@dataclass
class _Article:
    """What the whole article shares while its sentences are read."""

    article_id: str
    published: datetime
    table: CompanyTable
    results: bool
    enumerations: list[Mention]  # from the body, for group words in the title
    reported: PeriodMention | None = None  # the quarter a results article reports, if named
    # Resolved periods by phrase (without its offsets), calendar and reference: dense text
    # names the same few periods over and over.
    periods: dict[tuple[Any, ...], str | None] = field(default_factory=dict)


@dataclass
class _Field:
    name: Field
    original: str
    norm: str
    mentions: list[Mention]
    starts: list[int] = field(default_factory=list)  # mention starts, for bisecting
    named_before: list[int] = field(default_factory=list)  # last non-pronoun index at or before i
    members: dict[int, tuple[str, ...]] = field(default_factory=dict)  # group/plural → tickers
    facts: list[CapexFact] = field(default_factory=list)
    growth: list[StatedGrowth] = field(default_factory=list)
    skipped_non_usd: int = 0


@dataclass
class _Resolved:
    """One amount of a sentence after linking: kept so later amounts can lean on it."""

    amount: Amount
    companies: list[str]
    period: str | None
    basis: Basis
    named_by: PeriodMention | None  # the phrase that dated it, None when carried over
    # The phrase its period goes back to, carried ones included: a later amount about another
    # company reads that phrase again in its own calendar.
    dated_by: PeriodMention | None = None


def extract(text: str, *, published_at: datetime, article_id: str, title: str = "") -> Extraction:
    """Capex facts and stated growth in an article, in text order (title first).

    Never raises: an article that cannot be read yields an empty Extraction.
    """
    try:
        return _extract(text or "", published_at, article_id, title or "")
    except Exception:  # the pipeline must keep going whatever one article contains
        _log.exception("capex extraction failed for article %s", article_id)
        return Extraction()


def _extract(text: str, published_at: datetime, article_id: str, title: str) -> Extraction:
    if published_at.tzinfo is not None:
        # Relative words ("今年", "上季度") are read on the Beijing calendar day.
        published_at = published_at.astimezone(BEIJING)
    if not (cues.MAY_NAME_CAPEX.search(text) or cues.MAY_NAME_CAPEX.search(title)):
        return Extraction()  # most articles never mention capex: skip all the reading
    table = default_table()
    body = _make_field("body", text, table)
    head = _make_field("title", title, table)
    results = bool(cues.RESULTS.search(body.norm) or cues.RESULTS.search(head.norm))
    enumerations = [m for m in body.mentions if m.kind == "enumeration"]
    article = _Article(article_id, published_at, table, results, enumerations)
    if results:
        article.reported = _reported_quarter(head.norm, body.norm)
    for part in (head, body):
        previous: Span | None = None
        last: list[_Resolved] = []  # what the previous sentence resolved, if it was read
        for whole in sentences(part.norm):
            for sentence in _reading_units(part.norm, whole):
                if cues.HAS_CAPEX.search(part.norm, sentence.start, sentence.end):
                    last = _read_sentence(article, part, sentence, previous)
                else:
                    if last and previous and "\n" not in part.norm[previous.end : sentence.start]:
                        _read_continuation(article, part, sentence, last[-1])
                    last = []
                previous = sentence
    return _merge(head, body)


def _read_continuation(article: _Article, part: _Field, sentence: Span, topic: _Resolved) -> None:
    """A sentence that only gives the other side of the previous one's figure continues its
    company and period: "分析师预计微软第二财季资本支出为208亿美元。实际为226亿美元。" (the
    actual after an expectation or plan for a named period), "该公司上一财季的资本支出为226亿
    美元。分析师此前预计为213亿美元。" (the market's figure after an actual)."""
    if topic.period is None:
        return
    basis: Basis
    if topic.basis == "actual":
        opening, basis = cues.EXPECTED_FIGURE, "consensus"
    elif topic.named_by is not None:
        opening, basis = cues.ACTUAL_FIGURE, "actual"
    else:
        return
    lead = opening.match(part.norm, sentence.start, sentence.end)
    if lead is None:
        return
    amounts = find_amounts(part.norm, lead.end(), sentence.end)
    if not amounts or amounts[0].start - lead.end() > 4:
        return  # the figure must follow the words at once
    amount = amounts[0]
    if (amount.currency or topic.amount.currency or "USD") != "USD":
        part.skipped_non_usd += 1
        return
    for company in topic.companies:
        part.facts.append(_fact(article, part, sentence, company, amount, topic.period, basis))


# Longer "sentences" (tables, text without stops) are read in pieces of whole clauses, which
# keeps the work per character bounded: reading stays linear in the length of the article.
MAX_SENTENCE_CHARS = 400


def _reading_units(norm: str, sentence: Span) -> list[Span]:
    if sentence.end - sentence.start <= MAX_SENTENCE_CHARS:
        return [sentence]
    units: list[Span] = []
    start = sentence.start
    for clause in clauses(norm, sentence):
        if clause.end - start > MAX_SENTENCE_CHARS and clause.start > start:
            units.append(Span(start, clause.start))
            start = clause.start
        while clause.end - start > MAX_SENTENCE_CHARS:  # one clause longer than the limit
            units.append(Span(start, start + MAX_SENTENCE_CHARS))
            start += MAX_SENTENCE_CHARS
    if start < sentence.end:
        units.append(Span(start, sentence.end))
    return units


def _reported_quarter(title: str, body: str) -> PeriodMention | None:
    """The quarter a results article is about: the first one its headline or opening
    paragraph names ("Alphabet Q4营收不及预期", "Meta公布2024年第四季度财报")."""
    opening = body[: body.find("\n")] if "\n" in body else body
    for text in (title, opening):
        for mention in find_periods(text):
            if mention.quarter is not None:
                return mention
    return None


def _carried_period(norm: str, previous: Span | None, sentence: Span) -> PeriodMention | None:
    """The last period the previous sentence of the same paragraph named, for a sentence
    that names none ("Meta公布了第四季度业绩。资本支出为148亿美元。")."""
    if previous is None or "\n" in norm[previous.end : sentence.start]:
        return None
    dated = [
        p
        for p in find_periods(norm, previous.start, previous.end)
        if p.kind in DATED_KINDS or p.kind == "full_year"
    ]
    return dated[-1] if dated else None


def _make_field(name: Field, original: str, table: CompanyTable) -> _Field:
    """Normalises once and indexes the mentions so each lookup later is a bisection."""
    norm = normalize(original)
    part = _Field(name, original, norm, find_mentions(norm, 0, len(norm), table))
    last_named = -1
    latest_by_size: dict[int, tuple[str, ...]] = {}
    latest: tuple[str, ...] = ()
    for index, mention in enumerate(part.mentions):
        part.starts.append(mention.start)
        if mention.kind == "enumeration":
            latest_by_size[len(mention.tickers)] = latest = mention.tickers
        elif mention.kind == "group" and mention.size in latest_by_size:
            part.members[index] = latest_by_size[mention.size]
        elif mention.kind == "group" and mention.tickers:
            part.members[index] = mention.tickers  # a named group ("四大云厂商") nobody listed
        elif mention.kind == "plural" and latest:
            part.members[index] = latest
        if mention.kind != "pronoun":
            last_named = index
        part.named_before.append(last_named)
    return part


def _merge(head: _Field, body: _Field) -> Extraction:
    """Title facts first; a title fact the body repeats is kept only once."""
    result = Extraction(skipped_non_usd=head.skipped_non_usd + body.skipped_non_usd)
    body_keys = [f.key() for f in body.facts]
    repeated = set(body_keys)
    seen: set[tuple[object, ...]] = set()
    for fact in head.facts:
        key = fact.key()
        if key not in seen and key not in repeated:
            seen.add(key)
            result.facts.append(fact)
    for fact, key in zip(body.facts, body_keys, strict=True):
        if key not in seen:
            seen.add(key)
            result.facts.append(fact)
    seen_growth: set[tuple[object, ...]] = set()
    for growth in head.growth + body.growth:
        key = growth.key()
        if key not in seen_growth:
            seen_growth.add(key)
            result.growth.append(growth)
    return result


# --- one sentence --------------------------------------------------------------------------


def _read_sentence(
    article: _Article, part: _Field, sentence: Span, previous: Span | None
) -> list[_Resolved]:
    norm = part.norm
    found = find_amounts(norm, sentence.start, sentence.end)
    if not found:
        return []  # no figure: nothing to resolve, and growth needs a figure to lean on
    clause_spans = clauses(norm, sentence)
    asides = _parenthesised(norm, sentence)
    terms = [
        _Term(m.start(), m.end(), m.group("capex") is not None)
        for m in cues.TERMS.finditer(norm, sentence.start, sentence.end)
        if not asides or not any(s <= m.start() < t for s, t in asides)
    ]
    bounds = cues.BOUND.search(norm, sentence.start, sentence.end) is not None
    periods = find_periods(norm, sentence.start, sentence.end)
    if not periods:
        carried = _carried_period(norm, previous, sentence)
        periods = [carried] if carried else []
    consensus = [
        cue
        for cue in cues.CONSENSUS.finditer(norm, sentence.start, sentence.end)
        if not _names_a_company(part, cue)
    ]
    resolved: list[_Resolved] = []
    used_periods: set[int] = set()
    window_start = sentence.start
    for amount in found:
        clause = _clause_of(clause_spans, amount.start)
        window = (window_start, amount.start)
        window_start = amount.end
        if not _governed_by_capex(norm, terms, clause_spans, clause, amount.start, amount.end):
            continue
        # "增加200亿美元" is a change, "（约合人民币5400亿元）" a restatement: neither a level.
        if cues.NOT_A_LEVEL.search(norm, max(clause.start, amount.start - 10), amount.start):
            continue
        if bounds and amount.qualifier != "range":
            bounded = _as_bound(norm, clause, amount)
            if bounded is None:
                continue
            amount = bounded
        currency = amount.currency or (resolved[-1].amount.currency if resolved else None)
        companies = _companies_for(article, part, sentence.start, clause, amount, resolved)
        if not companies:
            continue
        currency = currency or article.table.currency(companies[0])
        if currency != "USD":
            part.skipped_non_usd += 1
            continue
        fye = article.table.fiscal_year_end_month(companies[0])
        period, named_by = _period_for(article, norm, periods, window, resolved, used_periods, fye)
        if (
            period is None
            and named_by is None
            and _states_reported_level(norm, terms, clause, amount)
        ):
            period = _resolve_reported(article, fye)
        if named_by is not None and _reports_quarter_in_season(
            article, norm, clause, named_by, amount
        ):
            season = in_season(named_by, article.published.date(), fye)
            if season is not None:
                named_by, period = season, _resolve(article, season, fye, None)
        if period is None:
            continue
        period = _year_in_progress(article, norm, clause, named_by, amount, period, fye) or period
        after_actual = bool(resolved) and resolved[-1].basis == "actual"
        # "上调至700亿美元，此前预期为650亿美元": the company's own earlier figure, unless a
        # named source makes it the market's.
        after_guidance = bool(resolved) and resolved[-1].basis == "guidance"
        # The company's own replaced outlook, by the sentence's structure; no source is named.
        replaced = _revised_away(norm, clause, sentence, amount) or (
            after_guidance and _earlier_own_forecast(norm, clause, amount)
        )
        earlier_outlook = replaced or _previous_outlook_in_revision(
            norm, clause_spans, clause, amount
        )
        beside_actual = after_actual and not earlier_outlook
        if replaced:
            basis: Basis = "guidance"
        else:
            basis = _basis(
                norm, consensus, clause_spans, clause, window, amount, beside_actual
            ) or (
                "guidance"
                if earlier_outlook
                else _own_basis(article, norm, clause_spans, clause, amount, period, named_by, fye)
            )
        dated_by = named_by or (resolved[-1].dated_by if resolved else None)
        resolved.append(_Resolved(amount, companies, period, basis, named_by, dated_by))
        superseded = basis == "guidance" and earlier_outlook
        for company in companies:
            part.facts.append(
                _fact(article, part, sentence, company, amount, period, basis, superseded)
            )
    _read_growth(article, part, sentence, clause_spans, terms, periods, resolved)
    return resolved


def _as_bound(norm: str, clause: Span, amount: Amount) -> Amount | None:
    """ "预期下限从660亿美元上调至700亿美元": one end of a range, not the figure. The new end
    is kept with the qualifier that says what it bounds (a lower end: at least; an upper end:
    at most); the old end, after 从/由, is dropped. Other amounts pass unchanged."""
    bounds = list(cues.BOUND.finditer(norm, clause.start, amount.start))
    if not bounds:
        return amount
    bound = bounds[-1]
    if cues.FROM_END.search(norm, bound.end(), amount.start):
        return None
    if bound.group("lower"):
        return amount._replace(high=None, qualifier="at_least")
    return amount._replace(high=amount.low, qualifier="up_to")


_BRACKET = re.compile(r"[（()）]")


def _parenthesised(norm: str, sentence: Span) -> list[tuple[int, int]]:
    """Spans inside brackets: an aside such as "（含融资租赁）" does not govern amounts."""
    spans, opened = [], None
    for bracket in _BRACKET.finditer(norm, sentence.start, sentence.end):
        i = bracket.start()
        if norm[i] in "（(" and opened is None:
            opened = i
        elif norm[i] in "）)" and opened is not None:
            spans.append((opened, i + 1))
            opened = None
    return spans


def _clause_of(clause_spans: list[Span], position: int) -> Span:
    for clause in clause_spans:
        if clause.start <= position < clause.end:
            return clause
    return clause_spans[-1]


def _governed_by_capex(
    norm: str, terms: list[_Term], clause_spans: list[Span], clause: Span, start: int, end: int
) -> bool:
    """Whether the metric word that governs the amount at [start, end) is capex."""
    last_before: _Term | None = None
    first_after: _Term | None = None
    capex_in_clause = False
    for term in terms:  # one pass: terms are few and in text order
        if not clause.start <= term.start < clause.end:
            continue
        capex_in_clause = capex_in_clause or term.capex
        if term.end <= start:
            last_before = term
        elif first_after is None and term.start >= end:
            first_after = term
    if not capex_in_clause and cues.INVESTEE.search(norm, clause.start, start):
        return False
    if last_before is not None:
        return last_before.capex
    if first_after is not None:
        return first_after.capex
    if cues.DERIVED_CLAUSE.match(norm, clause.start):
        return False
    new_spending = cues.NEW_SPENDING.search(norm, clause.start, start) is not None
    for earlier in reversed([c for c in clause_spans if c.end <= clause.start]):
        inside = [t for t in terms if earlier.start <= t.start < earlier.end]
        if inside:
            if new_spending and not cues.TOPIC_END.search(norm, earlier.start, earlier.end):
                # "资本支出飙升，公司将在某项目上投资1000亿美元": a new outlay, not the capex
                # figure, unless the earlier clause only set capex as the topic ("资本支出方面，").
                return False
            return inside[-1].capex
    return False


# --- who ---------------------------------------------------------------------------------------


def _companies_for(
    article: _Article,
    part: _Field,
    sentence_start: int,
    clause: Span,
    amount: Amount,
    resolved: list[_Resolved],
) -> list[str]:
    """Tickers the amount is about (several when "各/都" spreads it over an enumeration)."""
    first = bisect_left(part.starts, clause.start)
    upto = bisect_left(part.starts, amount.start)
    in_clause = [k for k in range(first, upto) if part.mentions[k].end <= amount.start]
    named = [k for k in in_clause if part.mentions[k].kind != "pronoun"]
    if named:
        return _resolve_mention(article, part, named[-1], amount, sentence_start)
    if resolved:
        return resolved[-1].companies
    if not in_clause and cues.GENERIC_SUBJECT.search(part.norm, clause.start, amount.start):
        return []  # an industry-wide figure is not a company fact
    pronoun = part.mentions[in_clause[-1]] if in_clause else None
    earlier = part.named_before[first - 1] if first > 0 else -1
    if pronoun is not None:
        # "其"/"公司" points to the sentence's subject, usually the first company it names.
        in_sentence = bisect_left(part.starts, sentence_start)
        for k in range(in_sentence, first):
            if part.mentions[k].kind == "alias":
                earlier = k
                break
    if earlier < 0:
        return []
    mention = part.mentions[earlier]
    singular = pronoun is not None and part.norm[pronoun.start : pronoun.end] != "我们"
    if singular and mention.kind in ("enumeration", "group", "plural"):
        return []  # "公司"/"其" is one company: it cannot point back to several
    return _resolve_mention(article, part, earlier, amount, sentence_start)


def _resolve_mention(
    article: _Article, part: _Field, index: int, amount: Amount, sentence_start: int
) -> list[str]:
    mention = part.mentions[index]
    tickers = _members(article, part, index)
    if not tickers or part.norm.startswith("等", mention.end):
        return []  # "微软、谷歌等科技巨头": an open list is not a company or a group
    if len(tickers) == 1:
        return [tickers[0]]
    # Only the words of this sentence can spread the figure over the members.
    since = max(mention.end, sentence_start)
    between = part.norm[since : amount.start]
    split = between.find("分别")
    if split >= 0:
        offset = since + split
        index = len(find_amounts(part.norm, offset, amount.start))
        return [tickers[index]] if index < len(tickers) else []
    if cues.EACH.search(between) and not cues.TOTAL.search(between):
        return sorted(tickers)
    return [group_id(tickers)]


def _members(article: _Article, part: _Field, index: int) -> tuple[str, ...]:
    mention = part.mentions[index]
    if mention.kind in ("alias", "enumeration"):
        return mention.tickers
    if index in part.members:
        return part.members[index]
    if part.name == "title" and mention.kind == "group":
        # A headline's "四巨头" points forward to the companies the body lists.
        sized = [m for m in article.enumerations if len(m.tickers) == mention.size]
        return sized[0].tickers if sized else mention.tickers
    return ()


# --- when --------------------------------------------------------------------------------------


def _period_for(
    article: _Article,
    norm: str,
    periods: list[PeriodMention],
    window: tuple[int, int],
    resolved: list[_Resolved],
    used: set[int],
    fye: int,
) -> tuple[str | None, PeriodMention | None]:
    """The amount's period and the phrase that named it (None when it was carried over)."""
    reference = resolved[-1].period if resolved else None
    dated_by = resolved[-1].dated_by if resolved else None
    if dated_by is not None and not counts_back(dated_by):
        # "微软上财季为…，Meta为…": the same phrase, read in this company's calendar.
        reference = _resolve(article, dated_by, fye, reference)
    # Period phrases never overlap, so their ends are sorted like their starts.
    upto = bisect_right(periods, window[1], key=_END)
    chosen: PeriodMention | None = None
    for p in reversed(periods[:upto]):
        if p.start < window[0]:
            break
        if _dates_amount(norm, p, window[1]):
            chosen = p
            break
    if chosen is None:
        chosen = next(
            (
                p
                for p in periods[:upto]
                if p.start not in used and _dates_amount(norm, p, window[1])
            ),
            None,
        )
    if chosen is None:
        return reference, None
    used.add(chosen.start)
    if chosen.kind == "span":
        return None, chosen
    if counts_back(chosen) and reference is None:
        # 上年同期/前一季/上一年 with nothing dated yet: count from the last period named before.
        dated = [p for p in periods if p.kind in DATED_KINDS and p.end <= chosen.start]
        if dated:
            reference = _resolve(article, dated[-1], fye, None)
    return _resolve(article, chosen, fye, reference), chosen


def _year_in_progress(
    article: _Article,
    norm: str,
    clause: Span,
    named_by: PeriodMention | None,
    amount: Amount,
    period: str,
    fye: int,
) -> str | None:
    """ "第四季度资本支出148亿美元，全年预计600亿至650亿美元": 全年 counted from a reported
    quarter names that quarter's year, but nobody forecasts a year that has ended: a forward
    word after 全年 makes it the year in progress. Not for an earlier outlook ("此前预计全年
    为…")."""
    if named_by is None or named_by.kind != "full_year":
        return None
    if not is_past(period, fye, article.published.date()):
        return None
    if not cues.FORWARD.search(norm, named_by.end, amount.start):
        return None
    if cues.EARLIER.search(norm, clause.start, amount.start):
        return None
    return str(fiscal_year_of(article.published.date(), fye))


def _states_reported_level(norm: str, terms: list[_Term], clause: Span, amount: Amount) -> bool:
    """An undated "资本支出为140亿美元" in a results article states the reported quarter's
    figure: capex named right before the amount, linked by a plain verb, with no forward or
    comparison word in the clause."""
    before = [t for t in terms if clause.start <= t.start and t.end <= amount.start]
    if not before or not before[-1].capex:
        return False
    if (
        cues.GUIDANCE_CUE.search(norm, clause.start, amount.start)
        or "将" in norm[clause.start : amount.start]
    ):
        return False
    link = cues.ASIDE.sub("", norm[before[-1].end : amount.start]).strip()
    return cues.LEVEL_LINK.fullmatch(link) is not None


def _reports_quarter_in_season(
    article: _Article, norm: str, clause: Span, named_by: PeriodMention, amount: Amount
) -> bool:
    """ "本季度资本支出为214亿美元" a few weeks after a quarter ended reports that quarter,
    even in an article with no results word: a past verb states the figure and no forward word
    comes between the clause's start (or the period phrase) and the amount."""
    if article.results or not names_reported_quarter(named_by) or named_by.start > amount.start:
        return False
    start = min(clause.start, named_by.start)
    if cues.FORWARD.search(norm, start, amount.start):
        return False
    return cues.PAST_LEVEL.search(norm, max(start, amount.start - 8), amount.start) is not None


def _resolve_reported(article: _Article, fye: int) -> str | None:
    if article.reported is None:
        return None
    return _resolve(article, article.reported, fye, None)


def _dates_amount(norm: str, period: PeriodMention, amount_start: int) -> bool:
    """A period that is the base of a comparison ("比2024年增加30%") dates only the amount
    right after it ("较2023年的484亿美元"), not a later one."""
    if not cues.COMPARED_PERIOD.search(norm, max(0, period.start - 3), period.start):
        return True
    gap = norm[period.end : amount_start]
    return len(gap) <= 3 and not any(ch in gap for ch in "，,；;")


def _resolve(
    article: _Article, mention: PeriodMention, fye: int, reference: str | None
) -> str | None:
    key = (mention[2:], fye, reference)
    if key not in article.periods:
        article.periods[key] = resolve(
            mention,
            published=article.published.date(),
            fiscal_year_end_month=fye,
            results_article=article.results,
            reference=reference,
        )
    return article.periods[key]


# --- basis -------------------------------------------------------------------------------------


def _basis(
    norm: str,
    consensus: list[re.Match[str]],
    clause_spans: list[Span],
    clause: Span,
    window: tuple[int, int],
    amount: Amount,
    after_actual: bool,
) -> Basis | None:
    """Consensus when a consensus cue governs the amount; None leaves it to the period."""
    for cue in consensus:
        inside = window[0] <= cue.start() and cue.end() <= window[1]
        if inside and _cue_governs(norm, cue, clause_spans, amount):
            return "consensus"
    if after_actual and _expectation_beside_actual(norm, clause_spans, clause, window, amount):
        return "consensus"
    return None


def _revised_away(norm: str, clause: Span, sentence: Span, amount: Amount) -> bool:
    """ "将资本支出指引从750亿美元上调至850亿美元": the outlook a revision starts from.

    A change of outlook, not of spending: either an outlook-only verb (上调, 下修...) or a
    broad one (提高, 降低...) after an outlook word, so "从2023年的480亿美元提高至2024年的
    830亿美元" stays two actuals."""
    if not cues.FROM_END.search(norm, clause.start, amount.start):
        return False
    revision = cues.REVISED.search(norm, amount.end, sentence.end)
    if revision is None and cues.OUTLOOK_WORD.search(norm, sentence.start, amount.start):
        revision = cues.REVISION.search(norm, amount.end, sentence.end)
    if revision is None:
        return False
    return any(mark in norm[revision.end() : revision.end() + 4] for mark in "至到")


def _earlier_own_forecast(norm: str, clause: Span, amount: Amount) -> bool:
    """ "（预计…约为350亿美元，）高于此前预测的250亿美元": an earlier forecast with no source
    named in its clause, compared with the company's plan just stated."""
    return bool(
        cues.EARLIER_FORECAST.search(norm, clause.start, amount.start)
        and not cues.NAMED_SOURCE.search(norm, clause.start, amount.start)
    )


def _previous_outlook_in_revision(
    norm: str, clause_spans: list[Span], clause: Span, amount: Amount
) -> bool:
    """ "此前预期为X" in a clause after a revision of the figure ("上调至…")."""
    if clause.start == clause_spans[0].start:
        return False  # the revision must come in an earlier clause
    if not cues.REVISION.search(norm, clause_spans[0].start, clause.start):
        return False
    earlier = cues.PREVIOUS_OUTLOOK.search(norm, clause.start, amount.start)
    if earlier is None:
        return False
    # "此前为X" alone: the old outlook only when the change was to an outlook ("上调指引至…"),
    # not when the spending itself rose ("2024年资本支出提高至830亿美元，此前为484亿美元").
    sentence_start = clause_spans[0].start
    return bool(
        earlier.group("noun")
        or cues.REVISED.search(norm, sentence_start, clause.start)
        or cues.OUTLOOK_WORD.search(norm, sentence_start, clause.start)
    )


def _own_basis(
    article: _Article,
    norm: str,
    clause_spans: list[Span],
    clause: Span,
    amount: Amount,
    period: str,
    named_by: PeriodMention | None,
    fye: int,
) -> Basis:
    """The company's own figure: actual once its period has ended, unless the company's
    forecast or earlier outlook is what introduces it."""
    if not is_past(period, fye, article.published.date()):
        return "guidance"
    if _forecast_for_ended_period(norm, clause_spans, named_by, amount):
        return "guidance"
    if cues.REVISED.search(norm, clause.start, amount.start):
        return "guidance"
    introduced = cues.GUIDANCE_BEFORE.search(
        norm, max(clause.start, amount.start - 8), amount.start
    )
    return "guidance" if introduced else "actual"


def _expectation_beside_actual(
    norm: str, clause_spans: list[Span], clause: Span, window: tuple[int, int], amount: Amount
) -> bool:
    """Results flashes set the estimate beside the figure: "资本支出140亿美元，预估132.6亿美元"
    or "…140亿美元（预期133亿美元）". Only after another amount of the same sentence, so a
    company's own "预计为800亿美元" stays guidance."""
    if window[0] <= clause_spans[0].start:
        return False  # no earlier amount in the sentence
    start = max(clause.start, window[0])
    bracket = max(norm.rfind("（", start, amount.start), norm.rfind("(", start, amount.start))
    if bracket >= 0:
        start = bracket + 1
    return cues.BARE_EXPECTATION.fullmatch(norm[start : amount.start].strip(" ，,")) is not None


def _forecast_for_ended_period(
    norm: str, clause_spans: list[Span], named_by: PeriodMention | None, amount: Amount
) -> bool:
    """ "Meta预计2024年资本支出为…" written before the results: a forecast, though the year
    has ended. The forward word must come before the period phrase, in the same clause."""
    if named_by is None or cues.COMPARED_PERIOD.search(
        norm, max(0, named_by.start - 3), named_by.start
    ):
        return False  # "将从2024年的830亿美元增加至…": the base of a change is what was spent
    clause = _clause_of(clause_spans, named_by.start)
    if not clause.start <= amount.start < clause.end:
        return False
    return cues.GUIDANCE_CUE.search(norm, clause.start, named_by.start) is not None


def _names_a_company(part: _Field, cue: re.Match[str]) -> bool:
    """ "市场竞争加剧下公司预计…": a company between the source word and the verb makes the
    forecast the company's own."""
    first = bisect_left(part.starts, cue.start())
    return first < len(part.starts) and part.starts[first] < cue.end()


def _cue_governs(norm: str, cue: re.Match[str], clause_spans: list[Span], amount: Amount) -> bool:
    """A consensus cue governs an amount it introduces ("市场预期的143亿美元", "分析师预计，…"),
    not one it is only compared with ("超出市场预期，公司预计…")."""
    gap = norm[cue.end() : amount.start]
    clause = _clause_of(clause_spans, cue.start())
    compared = cue.group("bare") or cues.COMPARISON.search(
        norm, max(clause.start, cue.start() - 4), cue.start()
    )
    if compared:
        return len(gap.strip()) <= 4 and not any(ch in gap for ch in "，,；;")
    if clause.start <= amount.start < clause.end:
        return True
    # "分析师预计，…" or "FactSet的共识预期显示，…": the cue closes its clause.
    return len(norm[cue.end() : clause.end].strip(" ，,：:")) <= 6


# --- emitting ----------------------------------------------------------------------------------


def _fact(
    article: _Article,
    part: _Field,
    sentence: Span,
    company: str,
    amount: Amount,
    period: str,
    basis: Basis,
    superseded: bool = False,
) -> CapexFact:
    return CapexFact(
        article_id=article.article_id,
        company=company,
        metric="capex",
        basis=basis,
        period=period,
        value_low_usd=amount.low,
        value_high_usd=amount.high,
        qualifier=amount.qualifier,
        **_source(part, sentence),
        superseded=superseded,
    )


def _source(part: _Field, sentence: Span) -> dict[str, Any]:
    """Where a statement was read: the verbatim sentence and its offsets in the field."""
    return {
        "sentence": part.original[sentence.start : sentence.end],
        "field": part.name,
        "sentence_start": sentence.start,
        "sentence_end": sentence.end,
    }


# --- stated growth -----------------------------------------------------------------------------


def _read_growth(
    article: _Article,
    part: _Field,
    sentence: Span,
    clause_spans: list[Span],
    terms: list[_Term],
    periods: list[PeriodMention],
    resolved: list[_Resolved],
) -> None:
    norm = part.norm
    if not cues.GROWTH_MARK.search(norm, sentence.start, sentence.end):
        return
    for m in cues.GROWTH.finditer(norm, sentence.start, sentence.end):
        clause = _clause_of(clause_spans, m.end() - 1)
        if not _governed_by_capex(norm, terms, clause_spans, clause, m.start(), m.end()):
            continue
        near = [r for r in resolved if r.amount.start < m.start()] or resolved
        if not near:
            continue
        anchor = near[-1]
        company = anchor.companies[0] if len(anchor.companies) == 1 else None
        if company is None or anchor.period is None:
            continue
        fye = article.table.fiscal_year_end_month(company)
        span = _growth_periods(article, norm, m, clause, periods, resolved, anchor, fye)
        if span is None:
            continue
        from_period, to_period = span
        value = cues.growth_percent(m)
        basis = next((r.basis for r in resolved if r.period == to_period), anchor.basis)
        part.growth.append(
            StatedGrowth(
                article_id=article.article_id,
                company=company,
                metric="capex",
                basis=basis,
                from_period=from_period,
                to_period=to_period,
                growth_pct=value,
                **_source(part, sentence),
            )
        )


def _growth_periods(
    article: _Article,
    norm: str,
    match: re.Match[str],
    clause: Span,
    periods: list[PeriodMention],
    resolved: list[_Resolved],
    anchor: _Resolved,
    fye: int,
) -> tuple[str, str] | None:
    """(from, to): 同比 compares with a year earlier, 环比 with the previous quarter; otherwise
    the sentence must name exactly two periods around the growth."""
    cue = match.group("cue") or ""
    if cue in cues.GROWTH_CUES:
        # "年增" is year on year, but "今年增长" is not a cue at all.
        glued = match.start() > 0 and norm[match.start() - 1] in "今去明本该前"
        cue = "" if glued else cues.GROWTH_CUES[cue]
    to_period = anchor.period
    if to_period is None:
        return None
    if cue == "环比":
        return (shift_period(to_period, quarters=-1), to_period) if "Q" in to_period else None
    if cue:
        return shift_period(to_period, years=-1), to_period
    named: set[str] = set()
    for r in resolved:
        if r.period and (
            r.amount.start < match.start() or clause.start <= r.amount.start < clause.end
        ):
            named.add(r.period)
    for p in periods:
        if clause.start <= p.start < match.start():
            value = _resolve(article, p, fye, to_period)
            if value:
                named.add(value)
    if len(named) != 2:
        return None
    low, high = sorted(named, key=lambda p: (p[:4], p))
    return low, high
