"""Period grammar and fiscal calendars.

Mentions are found in the normalised text (2025年第一季度, Q4, 四季度, 第二财季, FY2025,
2025财年, 今年, 上财季, 上年同期 ...) and resolved to "YYYY" or "YYYYQn" in a company's fiscal
calendar. Spans that are neither a fiscal year nor a quarter (上半年, 前三季度, year to date,
未来数年) are recognised so that an amount next to them is skipped rather than misdated.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

_CHINESE_MONTHS = {name: n for n, name in enumerate("一二三四五六七八九十", start=1)}
_CHINESE_MONTHS.update({"十一": 11, "十二": 12})
_QUARTER_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_SPAN_WORDS = (
    r"上半年|下半年|上半财年|下半财年|前三季度|前三个季度|前两个?季度|前[一二三四五六七八九十\d]{1,2}个月"
    r"|年初至今|年初以来|今年迄今|今年以来|年内迄今|截至目前|year-to-date|YTD|(?<![A-Za-z])H[12](?![0-9])"
    r"|未来[几数两三四五六七八九十\d]{1,2}年|过去[几数两三四五六七八九十\d]{1,2}年|近[几数两三四五\d]{1,2}年"
    r"|[几数]年内|多年来|每年|(?<![截增升降减涨调高低长加大])(?:到|至)(?:19|20)\d{2}年(?:底|末|前)?"
    r"|(?:过去|最近)(?:十二|12|\d{1,2})个月|TTM"
)
# The first characters of the span words: checking them first spares trying each word.
_SPAN_STARTS = "上下前年今截yYH未过近几数多每到至最T"
# "2025-2027年", "2025至2027财年": several years together.
_YEAR_RANGE = r"(?:19|20)\d{2}\s?(?:财年|年)?\s?[-至到]\s?(?:19|20)\d{2}\s?(?:财年|年)?"


def _quarter_after_year(tag: str) -> str:
    """A quarter phrase right after a year; group names carry a tag to stay unique."""
    return (
        rf"(?:的)?(?:第(?P<{tag}1>[一二三四1-4])(?:个)?(?:财季|财政季度|季度|季)"
        rf"|(?P<{tag}2>[一二三四])季度|\s?Q(?P<{tag}3>[1-4])(?![0-9]))"
    )


# The characters a period phrase can start with (see each alternative below): a look-ahead on
# them lets the scanner skip most positions without trying every alternative there.
_STARTS = "0-9FQTYHy财第一二三四此前上下去全整今本明来当这该年截未过近几数多每到至最"
# "截至2024年12月31日的三个月", "截至9月底的季度", "截至6月30日的2025财年": the quarter or
# fiscal year that ends in the month named.
_ENDING = (
    r"截至\s?(?:(?P<end_year>(?:19|20)\d{2})\s?年)?\s?(?P<end_month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s?月"
    r"(?:\s?[0-3]?\d\s?日|底|末)?(?:止|为止)?(?:的|之)?"
    r"(?:(?P<end_quarter>三个月|3个月|(?:第[一二三四1-4](?:个)?)?(?:财季|财政季度|季度|季))"
    r"|(?:(?P<end_fy>(?:19|20)\d{2})\s?)?(?:财年|财政年度|会计年度|年度|十二个月|12个月))"
)
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:\s?[0-3]?\d\s?[日号])?"
# "2024年10月至12月": three calendar months make the quarter ending in the last of them,
# twelve the fiscal year ending then; "2024年12月31日" alone is a date, never a fiscal year.
_CALENDAR = (
    rf"(?P<cal_year>(?:19|20)\d{{2}})\s?年\s?(?P<cal_from>{_MONTH})\s?月(?:份)?{_DAY}"
    rf"(?:\s?(?:至|到|-|—|–|~)\s?(?:(?P<cal_to_year>(?:19|20)\d{{2}})\s?年)?\s?"
    rf"(?P<cal_to>{_MONTH})\s?月(?:份)?{_DAY})?"
)
# Phrases that start with a digit (a year) and phrases that start with a word are tried
# apart: a position's first character picks one branch, so no position tries every
# alternative. Within each branch the order is the order of preference. A year starts a
# number (19xx, 20xx), never inside one.
_PATTERN = re.compile(
    rf"(?=[{_STARTS}])(?:(?=[0-9])(?<![0-9])(?:(?=[12])(?:(?P<calendar>{_CALENDAR})"
    # A year followed by a span: the year alone would misdate the amount.
    rf"|(?P<span_year>(?:19|20)\d{{2}})\s?(?:财年|年度|年)?(?:的)?(?:{_SPAN_WORDS})"
    rf"|(?P<year_range>{_YEAR_RANGE})"
    rf"|(?P<year>(?:19|20)\d{{2}})\s?(?P<fiscal>财年|财政年度|会计年度|年度|年)?"
    rf"(?:{_quarter_after_year('yq')}|(?:的)?(?:全年|全财年|整年))?"
    rf")|(?P<yy>\d{{2}})财年(?:{_quarter_after_year('sq')})?)"
    rf"|(?![0-9])(?:(?P<ending>{_ENDING})"
    rf"|(?=[{_SPAN_STARTS}])(?P<span>{_SPAN_WORDS})"
    rf"|(?:FY|财年)\s?(?P<fy>(?:19|20)?\d{{2}})(?![0-9])(?:{_quarter_after_year('fq')})?"
    r"|Q(?P<qy_q>[1-4])\s?(?P<qy_y>(?:19|20)\d{2})"
    r"|第(?P<lone1>[一二三四1-4])(?:个)?(?:财季|财政季度|季度|季)"
    r"|(?<![第上下本前这该])(?P<lone2>[一二三四])季度"
    r"|(?<![A-Za-z])Q(?P<lone3>[1-4])(?![0-9])"
    r"|(?P<prior_quarter>此前一季度?|前一季度?|上一季(?!度))"
    r"|(?P<same_last>上年同期|去年同期|上年同季|去年同季|上一年同期|上财年同期|去年同一季度)"
    r"|(?P<full_year>全年|全财年|整个财年|整年)"
    r"|(?=[今本去上明下来前当这该])(?P<rel>今年|本年度|本年|去年|上一年|上年|明年|下一年|来年|前年"
    r"|本财年|本财政年度|本会计年度|当前财年|这一财年|该财年|上一财年|上个财年|上财年|下一财年|下个财年|下财年"
    r"|本季度|本财季|本季|该季度|该财季|当季|这一季度|这个季度|当前季度|上季度|上一季度|上个季度|上季(?!度)"
    r"|上财季|上一财季|上个财季|下季度|下一季度|下个季度|下财季|下一财季|下个财季)"
    rf"(?:{_quarter_after_year('rq')})?))"
)

_RELATIVE_YEARS = {
    "今年": 0,
    "本年度": 0,
    "本年": 0,
    "本财年": 0,
    "本财政年度": 0,
    "本会计年度": 0,
    "当前财年": 0,
    "这一财年": 0,
    "该财年": 0,
    "去年": -1,
    "上一年": -1,
    "上年": -1,
    "上一财年": -1,
    "上个财年": -1,
    "上财年": -1,
    "前年": -2,
    "明年": 1,
    "下一年": 1,
    "来年": 1,
    "下一财年": 1,
    "下个财年": 1,
    "下财年": 1,
}
# Words that count from the period already named rather than from the publication date.
_ANAPHORIC_YEARS = {"上一财年", "上个财年", "上财年", "上年", "上一年"}
_REPORTED_QUARTER = {"本季度", "本财季", "本季", "该季度", "该财季", "当季", "这一季度", "这个季度"}
# How long after a quarter ends its results are still the news (the earnings season).
EARNINGS_SEASON_DAYS = 56
_CURRENT_QUARTER = {"当前季度"}
_LAST_QUARTER = {"上季度", "上一季度", "上个季度", "上季", "上财季", "上一财季", "上个财季"}
_NEXT_QUARTER = {"下季度", "下一季度", "下个季度", "下财季", "下一财季", "下个财季"}


# Kinds that name a period on their own (not a span, not one counted from another period).
DATED_KINDS = frozenset({"year", "quarter", "relative", "ending_quarter", "ending_year"})


class PeriodMention(NamedTuple):
    """A period phrase; `kind`: year, quarter, relative, full_year, prior_quarter, same_last,
    ending_quarter, ending_year (the quarter or fiscal year ending in `month`) or span."""

    start: int
    end: int
    kind: str
    year: int | None = None
    quarter: int | None = None
    word: str = ""
    month: int | None = None  # the month a "截至…月" period ends in


# What a matched phrase means depends only on its text, and articles repeat the same few
# phrases ("第四季度", "2025年"): each is read once (kept small; cleared when full).
_READ: dict[str, PeriodMention | None] = {}
_READ_LIMIT = 4096
_UNREAD = PeriodMention(0, 0, "unread")


def find_periods(text: str, start: int = 0, end: int | None = None) -> list[PeriodMention]:
    end = len(text) if end is None else end
    found = []
    for m in _PATTERN.finditer(text, start, end):
        phrase = m.group()
        read = _READ.get(phrase, _UNREAD)
        if read is _UNREAD:
            if len(_READ) >= _READ_LIMIT:
                _READ.clear()
            read = _READ[phrase] = _mention(m)
        if read is not None:  # the cached reading at this match's offsets (_make: no copying)
            found.append(PeriodMention._make((m.start(), m.end(), *read[2:])))
    return found


def _quarter_of(m: re.Match[str], tag: str) -> int | None:
    for index in "123":
        value = m.group(tag + index)
        if value:
            return _QUARTER_NUMBERS[value]
    return None


def _mention(m: re.Match[str]) -> PeriodMention | None:
    s, e = m.start(), m.end()
    if m.group("end_fy"):
        return PeriodMention(s, e, "year", int(m.group("end_fy")))  # the year is named outright
    if m.group("ending"):
        kind = "ending_quarter" if m.group("end_quarter") else "ending_year"
        year = int(m.group("end_year")) if m.group("end_year") else None
        month = m.group("end_month")
        return PeriodMention(s, e, kind, year, month=_month_number(month))
    if m.group("calendar"):
        return _calendar_months(m)
    if m.group("span_year") or m.group("year_range") or m.group("span"):
        return PeriodMention(s, e, "span", word=m.group())
    if m.group("fy"):
        digits = m.group("fy")
        year = int(digits) if len(digits) == 4 else 2000 + int(digits)
        return _year_or_quarter(s, e, year, _quarter_of(m, "fq"))
    if m.group("year"):
        year = int(m.group("year"))
        quarter = _quarter_of(m, "yq")
        # "2025" with no 年 or quarter after it is a model name or count, not a period.
        if not m.group("fiscal") and quarter is None:
            return None
        return _year_or_quarter(s, e, year, quarter)
    if m.group("yy"):
        return _year_or_quarter(s, e, 2000 + int(m.group("yy")), _quarter_of(m, "sq"))
    if m.group("qy_q"):
        return _year_or_quarter(s, e, int(m.group("qy_y")), int(m.group("qy_q")))
    for name in ("lone1", "lone2", "lone3"):
        if m.group(name):
            return PeriodMention(s, e, "quarter", None, _QUARTER_NUMBERS[m.group(name)])
    if m.group("full_year"):
        return PeriodMention(s, e, "full_year", word=m.group())
    if m.group("prior_quarter"):
        return PeriodMention(s, e, "prior_quarter", word=m.group())
    if m.group("same_last"):
        return PeriodMention(s, e, "same_last", word=m.group())
    # "去年第四季度": a relative year with a quarter in it.
    return PeriodMention(s, e, "relative", quarter=_quarter_of(m, "rq"), word=m.group("rel"))


def _month_number(text: str) -> int:
    return _CHINESE_MONTHS.get(text) or int(text)


def _calendar_months(m: re.Match[str]) -> PeriodMention | None:
    if not m.group("cal_to"):
        return None  # a date: it dates an event, not a fiscal period
    first_year = int(m.group("cal_year"))
    last_year = int(m.group("cal_to_year") or first_year)
    last_month = _month_number(m.group("cal_to"))
    months = _month_index(last_year, last_month) - _month_index(
        first_year, _month_number(m.group("cal_from"))
    )
    s, e = m.start(), m.end()
    if months == 2:
        return PeriodMention(s, e, "ending_quarter", last_year, month=last_month)
    if months == 11:
        return PeriodMention(s, e, "ending_year", last_year, month=last_month)
    return PeriodMention(s, e, "span", word=m.group())


def _year_or_quarter(s: int, e: int, year: int, quarter: int | None) -> PeriodMention:
    if quarter is None:
        return PeriodMention(s, e, "year", year)
    return PeriodMention(s, e, "quarter", year, quarter)


# --- fiscal calendars -------------------------------------------------------------------


def fiscal_year_of(day: date, fiscal_year_end_month: int) -> int:
    """The fiscal year a day falls in; a fiscal year is named after the year it ends in."""
    if fiscal_year_end_month == 12 or day.month <= fiscal_year_end_month:
        return day.year
    return day.year + 1


def fiscal_quarter_of(day: date, fiscal_year_end_month: int) -> tuple[int, int]:
    first_month = fiscal_year_end_month % 12 + 1
    quarter = ((day.month - first_month) % 12) // 3 + 1
    return fiscal_year_of(day, fiscal_year_end_month), quarter


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def period_end_month(period: str, fiscal_year_end_month: int) -> int:
    """Month index (year*12 + month-1) of the last month of a "YYYY" or "YYYYQn" period."""
    year = int(period[:4])
    end_of_year = _month_index(year, fiscal_year_end_month)
    if len(period) == 4:
        return end_of_year
    quarter = int(period[5])
    return end_of_year - 3 * (4 - quarter)


def is_past(period: str, fiscal_year_end_month: int, published: date) -> bool:
    """True when the whole period ended before the publication month began."""
    return period_end_month(period, fiscal_year_end_month) < _month_index(
        published.year, published.month
    )


def _shift_quarter(year: int, quarter: int, steps: int) -> tuple[int, int]:
    index = year * 4 + (quarter - 1) + steps
    return index // 4, index % 4 + 1


def last_completed_quarter(published: date, fiscal_year_end_month: int) -> tuple[int, int]:
    year, quarter = fiscal_quarter_of(published, fiscal_year_end_month)
    return _shift_quarter(year, quarter, -1)


def counts_back(mention: PeriodMention) -> bool:
    """ "上年同期", "前一季", "上一年": counted from the period already named, when there is one."""
    return mention.kind in ("same_last", "prior_quarter") or mention.word in _ANAPHORIC_YEARS


def names_reported_quarter(mention: PeriodMention) -> bool:
    """ "本季度", "该财季": in results news the quarter just reported."""
    return mention.kind == "relative" and mention.word in _REPORTED_QUARTER


def in_season(
    mention: PeriodMention, published: date, fiscal_year_end_month: int
) -> PeriodMention | None:
    """The quarter whose results season the publication date falls in (the last completed one,
    ended at most EARNINGS_SEASON_DAYS before), as a "截至…月的季度" phrase at the offsets of
    `mention`, so that every company reads it in its own calendar; None out of season."""
    year, quarter = last_completed_quarter(published, fiscal_year_end_month)
    end_month = period_end_month(f"{year}Q{quarter}", fiscal_year_end_month)
    first_day_after = date((end_month + 1) // 12, (end_month + 1) % 12 + 1, 1)
    if (published - first_day_after).days >= EARNINGS_SEASON_DAYS:
        return None
    return PeriodMention(
        mention.start, mention.end, "ending_quarter", end_month // 12, month=end_month % 12 + 1
    )


def shift_period(period: str, years: int = 0, quarters: int = 0) -> str:
    year = int(period[:4])
    if len(period) == 4:
        return str(year + years)
    y, q = _shift_quarter(year + years, int(period[5]), quarters)
    return f"{y}Q{q}"


def _nearest_year_for_quarter(quarter: int, published: date, fiscal_year_end_month: int) -> int:
    """A quarter named without a year is the one whose end lies closest to publication."""
    fiscal_year = fiscal_year_of(published, fiscal_year_end_month)
    now = _month_index(published.year, published.month)
    candidates = (fiscal_year - 1, fiscal_year, fiscal_year + 1)
    return min(
        candidates,
        key=lambda y: abs(period_end_month(f"{y}Q{quarter}", fiscal_year_end_month) - now),
    )


def _ending_in(mention: PeriodMention, month: int, published: date, fye: int) -> str:
    """The quarter or fiscal year ending in `month`: of the year named, else of the latest such
    month-end not after publication."""
    year = mention.year
    if year is None:
        year = published.year if month < published.month else published.year - 1
    day = date(year, month, 1)
    if mention.kind == "ending_year":
        return str(fiscal_year_of(day, fye))
    fiscal_year, quarter = fiscal_quarter_of(day, fye)
    return f"{fiscal_year}Q{quarter}"


def resolve(
    mention: PeriodMention,
    *,
    published: date,
    fiscal_year_end_month: int = 12,
    results_article: bool = False,
    reference: str | None = None,
) -> str | None:
    """The period a mention names, or None for spans and phrases that cannot be placed.

    `reference` is the period already established in the sentence (for 上年同期).
    In a results article 本季度 means the quarter just reported; elsewhere the current one.
    """
    fye = fiscal_year_end_month
    if mention.month is not None:
        return _ending_in(mention, mention.month, published, fye)
    if mention.kind == "year" and mention.year is not None:
        return str(mention.year)
    if mention.kind == "quarter" and mention.quarter is not None:
        year = mention.year
        if year is None:
            year = _nearest_year_for_quarter(mention.quarter, published, fye)
        return f"{year}Q{mention.quarter}"
    if mention.kind == "full_year":
        # "全年" alone: the year of the period in play, else the year just reported (in a
        # results article) or the one under way.
        if reference:
            return reference[:4]
        if results_article:
            return str(last_completed_quarter(published, fye)[0])
        return str(fiscal_year_of(published, fye))
    if mention.kind == "prior_quarter":
        return shift_period(reference, quarters=-1) if reference and "Q" in reference else None
    if mention.kind == "same_last":
        return shift_period(reference, years=-1) if reference else None
    if mention.kind != "relative":
        return None
    word = mention.word
    last_y, last_q = last_completed_quarter(published, fye)
    year: int | None = None
    if word in _ANAPHORIC_YEARS and reference:
        # "2024财年…，上一财年为…": counted from the year the sentence is about.
        year = int(reference[:4]) + _RELATIVE_YEARS[word]
    elif word in _RELATIVE_YEARS:
        # After results, 本财年/下一财年 count from the fiscal year just reported on.
        base = last_y if results_article and "财" in word else fiscal_year_of(published, fye)
        year = base + _RELATIVE_YEARS[word]
    if year is not None:
        return f"{year}Q{mention.quarter}" if mention.quarter else str(year)
    if word in _LAST_QUARTER:
        return f"{last_y}Q{last_q}"
    if word in _REPORTED_QUARTER and results_article:
        return f"{last_y}Q{last_q}"
    current_y, current_q = fiscal_quarter_of(published, fye)
    if word in _REPORTED_QUARTER or word in _CURRENT_QUARTER:
        return f"{current_y}Q{current_q}"
    if word in _NEXT_QUARTER:
        # After results, "next quarter" is the one under way; otherwise the one after it.
        y, q = _shift_quarter(current_y, current_q, 0 if results_article else 1)
        return f"{y}Q{q}"
    return None
