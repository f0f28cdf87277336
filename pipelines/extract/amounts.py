"""Amount grammar: a number, an optional magnitude, a currency, an optional range partner and
the qualifier words around it.

    158亿美元 · 1,000亿美元 · 1.2万亿美元 · 3.5千亿 · 579 亿美元 · $75 billion · 五百亿美元
    160亿至180亿美元 · 700-720亿美元 (magnitude and currency shared by both ends)
    超过/逾/超 → over · 约/近/左右 → approx · 至少 → at_least · 至多/最多 → up_to

Vague amounts (数百亿, 上千亿) are not values. The scanner walks the text once; every
regular expression here is anchored at a known position and cannot backtrack without bound.
"""

from __future__ import annotations

import re
from typing import NamedTuple, TypeVar

from pipelines.extract.facts import Qualifier

T = TypeVar("T")

# Digits with optional thousands groups ("1,000", "1 250") and a decimal part.
_NUMBER = re.compile(r"\d+(?:[,，][0-9]{3}(?![0-9])|[ ][0-9]{3}(?![0-9]))*(?:\.\d+)?")
CHINESE_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
_CHINESE_NUMBER = re.compile(r"[零一二两三四五六七八九十百千]{1,8}")
# Words that make the following numeral vague: 数百亿, 几十亿, 上千亿, 成百亿.
_VAGUE_BEFORE = set("数几上成好")
_BARE_MAGNITUDE_AFTER = set("逾超过近约达到为")

# Longest first, so 万亿 wins over 万 and 亿.
_MAGNITUDES: tuple[tuple[str, float], ...] = (
    ("万亿", 1e12),
    ("兆", 1e12),  # Taiwan's trillion: 1兆美元
    ("千亿", 1e11),
    ("百亿", 1e10),
    ("十亿", 1e9),
    ("千万", 1e7),
    ("百万", 1e6),
    ("亿", 1e8),
    ("万", 1e4),
    ("trillion", 1e12),
    ("billion", 1e9),
    ("million", 1e6),
    ("bn", 1e9),
    ("tn", 1e12),
    ("mn", 1e6),
    ("B", 1e9),
    ("M", 1e6),
    ("T", 1e12),
)
_SUFFIX_CURRENCIES: tuple[tuple[str, str], ...] = (
    ("美元", "USD"),
    ("美金", "USD"),
    ("USD", "USD"),
    ("dollars", "USD"),
    ("人民币", "CNY"),
    ("港元", "HKD"),
    ("港币", "HKD"),
    ("日元", "JPY"),
    ("日圆", "JPY"),
    ("欧元", "EUR"),
    ("英镑", "GBP"),
    ("韩元", "KRW"),
    ("令吉", "MYR"),
    ("新台币", "TWD"),
    ("台币", "TWD"),
    ("卢比", "INR"),
    ("澳元", "AUD"),
    ("加元", "CAD"),
    ("瑞郎", "CHF"),
    ("元", "CNY"),
)
_PREFIX_CURRENCIES: tuple[tuple[str, str], ...] = (
    ("US$", "USD"),
    ("HK$", "HKD"),
    ("NT$", "TWD"),
    ("人民币", "CNY"),
    ("RMB", "CNY"),
    ("$", "USD"),
    ("¥", "CNY"),
    ("￥", "CNY"),
    ("€", "EUR"),
    ("£", "GBP"),
)
# Checked longest first against the text right before / after an amount.
_PREFIX_QUALIFIERS: tuple[tuple[str, Qualifier], ...] = (
    ("最高可达", "up_to"),
    ("最多可达", "up_to"),
    ("不超过", "up_to"),
    ("不高于", "up_to"),
    ("不低于", "at_least"),
    ("不少于", "at_least"),
    ("最高达", "up_to"),
    ("最高", "up_to"),
    ("最多", "up_to"),
    ("至多", "up_to"),
    ("至少", "at_least"),
    ("最少", "at_least"),
    ("超过", "over"),
    ("超出", "over"),
    ("多于", "over"),
    ("大于", "over"),
    ("高于", "over"),
    ("逾", "over"),
    ("超", "over"),
    ("大约", "approx"),
    ("大概", "approx"),
    ("将近", "approx"),
    ("接近", "approx"),
    ("约为", "approx"),
    ("约", "approx"),
    ("近", "approx"),
)
_SUFFIX_QUALIFIERS: tuple[tuple[str, Qualifier], ...] = (
    ("左右", "approx"),
    ("上下", "approx"),
    ("以上", "over"),
    ("之上", "over"),
    ("以下", "up_to"),
    ("以内", "up_to"),
)


def _english(word: str) -> str:
    # English words need a boundary so "B" does not swallow "Blackwell".
    escaped = re.escape(word)
    return escaped + "(?![A-Za-z])" if word[-1].isascii() and word[-1].isalpha() else escaped


_MAGNITUDE_BY_WORD = dict(_MAGNITUDES)
_SUFFIX_BY_WORD = dict(_SUFFIX_CURRENCIES)
_PREFIX_LAST_CHARS = {word[-1] for word, _ in _PREFIX_CURRENCIES}
# What may follow a number, in the order the grammar reads it: up to two spaces, 多, a
# magnitude, spaces, 多, a currency. Alternatives are literals tried longest first.
_TAIL = re.compile(
    r" {0,2}(?P<more>多)?"
    rf"(?:(?P<magnitude>{'|'.join(_english(w) for w, _ in _MAGNITUDES)}) {{0,2}}(?P<more2>多)?)?"
    rf"(?P<currency>{'|'.join(_english(w) for w, _ in _SUFFIX_CURRENCIES)})?"
)
# A range mark between two numbers, with up to two spaces either side.
_DIGITS_AND_TAIL = re.compile(f"(?P<number>{_NUMBER.pattern}){_TAIL.pattern}")
_RANGE_JOINT = re.compile(r" {0,2}(?:至|到|--|-|(?P<between>和|与)) {0,2}")
# Where an amount can start (what _is_number_start accepts), and only where the number is
# followed by what can make it money (多, a magnitude, a currency, a range mark) or comes
# after a currency sign: years, counts and percentages never reach the Python code. An
# Arabic number is read here with its tail at once (the usual case); the other starts are
# read by _piece_at.
_AFTER_NUMBER = "多万兆千百十亿tbmnBMTUd美人港日欧英韩令新台卢澳加瑞元至到和与-"
_CANDIDATE = re.compile(
    r"(?=[\d一二两三四五六七八九十千百万])"  # skips most positions at once
    rf"(?:(?<![\d.])(?:(?=\d[\d.,， ]{{0,24}}[{_AFTER_NUMBER}])"
    r"|(?:(?<=[$¥￥€£币B])|(?<=[$¥￥€£币B] )|(?<=[$¥￥€£币B]  ))(?=\d))"
    rf"{_DIGITS_AND_TAIL.pattern}"
    r"|(?<=[逾超过近约达到为])[千百万]"
    rf"|(?<![零一二两三四五六七八九十百千])[一二两三四五六七八九十]"
    rf"(?=[零一二两三四五六七八九十百千]{{0,7}}[{_AFTER_NUMBER}]))"
)
_PREFIX_BY_WORD = dict(_PREFIX_QUALIFIERS)
_SUFFIX_QUALIFIER_BY_WORD = dict(_SUFFIX_QUALIFIERS)
_LONGEST_PREFIX = max(len(word) for word in _PREFIX_BY_WORD)
_PREFIX_WORDS = "|".join(sorted(_PREFIX_BY_WORD, key=len, reverse=True))
# Searched in a short window that ends right before the amount ($ is that end): the leftmost
# match is the longest word, as the table intends. The word may come before a linking verb
# ("最多为180亿", "至少达到120亿").
_PREFIX_QUALIFIER = re.compile(rf"(?P<word>{_PREFIX_WORDS})(?:达到|为|达|是)?$")
_PERCENT = re.compile(" {0,2}%")
_SUFFIX_QUALIFIER = re.compile("|".join(_SUFFIX_QUALIFIER_BY_WORD))


class Amount(NamedTuple):
    """A money amount found in the text; `start`/`end` cover the whole span incl. range."""

    start: int
    end: int
    low: float
    high: float | None  # None when open-ended
    currency: str | None  # None when the text names none
    qualifier: Qualifier


class _Piece(NamedTuple):
    start: int
    end: int
    value: float
    magnitude: float | None
    currency: str | None
    more: bool  # "800多亿": more than the number says


def _chinese_value(token: str) -> float | None:
    total, current = 0, 0
    for ch in token:
        if ch in CHINESE_DIGITS:
            current = CHINESE_DIGITS[ch]
        elif ch in _CHINESE_UNITS:
            total += (current or 1) * _CHINESE_UNITS[ch]
            current = 0
    value = total + current
    return float(value) if value else None


def _skip_spaces(text: str, pos: int, limit: int = 2) -> int:
    while limit and pos < len(text) and text[pos] == " ":
        pos += 1
        limit -= 1
    return pos


def _prefix_currency(text: str, start: int) -> str | None:
    pos = start
    while pos > 0 and text[pos - 1] == " " and start - pos < 2:
        pos -= 1
    if pos == 0 or text[pos - 1] not in _PREFIX_LAST_CHARS:
        return None  # the usual case (a year, a count): no currency sign before the number
    for word, currency in _PREFIX_CURRENCIES:
        if text.endswith(word, max(0, pos - len(word)), pos):
            return currency
    return None


def _number_at(text: str, pos: int) -> tuple[int, float] | None:
    """(end, value) of an Arabic or Chinese numeral starting exactly at pos."""
    m = _NUMBER.match(text, pos)
    if m:
        digits = m.group().replace(",", "").replace("，", "").replace(" ", "")
        # Runs longer than any money figure are codes or noise, not amounts.
        if len(digits) > 18:
            return None
        return m.end(), float(digits)
    # "逾千亿美元", "近百亿": a bare magnitude after a qualifier means one of it.
    after_qualifier = pos > 0 and text[pos - 1] in _BARE_MAGNITUDE_AFTER
    if after_qualifier and text.startswith(("千亿", "百亿", "万亿"), pos):
        return pos, 1.0
    m = _CHINESE_NUMBER.match(text, pos)
    if m and m.group()[0] not in "零百千" and (pos == 0 or text[pos - 1] not in _VAGUE_BEFORE):
        value = _chinese_value(m.group())
        if value is not None:
            return m.end(), value
    return None


def _piece_at(text: str, pos: int) -> _Piece | None:
    tail = _DIGITS_AND_TAIL.match(text, pos)  # the usual case, read by one pattern
    if tail is not None:
        return _arabic_piece(text, tail)
    number = _number_at(text, pos)
    if number is None:
        return None
    end, value = number
    tail = _TAIL.match(text, end)
    if tail is None:  # cannot happen: every part of the tail is optional
        return None
    return _with_tail(text, pos, end, value, tail)


def _arabic_piece(text: str, read: re.Match[str]) -> _Piece | None:
    """A piece from a match of an Arabic number and its tail (groups of _DIGITS_AND_TAIL)."""
    digits = read.group("number").replace(",", "").replace("，", "").replace(" ", "")
    if len(digits) > 18:
        return None  # runs longer than any money figure are codes or noise
    return _with_tail(text, read.start(), read.end("number"), float(digits), read)


def _with_tail(text: str, pos: int, end: int, value: float, tail: re.Match[str]) -> _Piece:
    # 多 may come before the magnitude ("800多亿美元") or after it ("800亿多美元").
    more_before, more_after, magnitude_word, currency_word = tail.group(
        "more", "more2", "magnitude", "currency"
    )
    magnitude = _MAGNITUDE_BY_WORD[magnitude_word] if magnitude_word else None
    currency = _SUFFIX_BY_WORD[currency_word] if currency_word else _prefix_currency(text, pos)
    if magnitude_word or currency_word:
        end = tail.end()
    return _Piece(pos, end, value, magnitude, currency, bool(more_before or more_after))


def _qualifier(text: str, start: int, end: int) -> Qualifier:
    suffix = _SUFFIX_QUALIFIER.match(text, end)
    if suffix:
        return _SUFFIX_QUALIFIER_BY_WORD[suffix.group()]
    head = start
    while head > 0 and text[head - 1] in " $":
        head -= 1
    window = max(0, head - _LONGEST_PREFIX - 2)
    found = _PREFIX_QUALIFIER.search(text, window, head)
    return _PREFIX_BY_WORD[found.group("word")] if found else "exact"


def _is_number_start(text: str, i: int) -> bool:
    ch = text[i]
    if ch.isdigit():
        return i == 0 or not (text[i - 1].isdigit() or text[i - 1] == ".")
    if ch in "千百万" and i > 0 and text[i - 1] in _BARE_MAGNITUDE_AFTER:
        return True
    if ch in CHINESE_DIGITS or ch == "十":
        return i == 0 or (text[i - 1] not in CHINESE_DIGITS and text[i - 1] not in "十百千")
    return False


def find_amounts(text: str, start: int = 0, end: int | None = None) -> list[Amount]:
    """Money amounts in text[start:end], in order. A bare number without magnitude or
    currency (a year, a count) is not an amount; percentages are not amounts."""
    end = len(text) if end is None else end
    found: list[Amount] = []
    resume = start
    for candidate in _CANDIDATE.finditer(text, start, end):
        i = candidate.start()
        if i < resume:
            continue
        if candidate.group("number") is not None:
            first = _arabic_piece(text, candidate)
        else:
            first = _piece_at(text, i)
        if first is None:
            continue
        amount, resume = _assemble(text, first, end)
        if amount is not None:
            found.append(amount)
    return found


def _assemble(text: str, first: _Piece, limit: int) -> tuple[Amount | None, int]:
    """Joins a range partner when one follows, then applies magnitude, currency, qualifier."""
    second: _Piece | None = None
    joint = _RANGE_JOINT.match(text, first.end)
    if joint is not None:
        after = joint.end()
        if after < limit and (_is_number_start(text, after) or text[after] == "$"):
            num_pos = after + 1 if text[after] == "$" else after
            second = _piece_at(text, num_pos)
        # "介于600亿和650亿美元之间": 和/与 join a range only inside 之间.
        if joint.group("between") and second is not None:
            closing = _skip_spaces(text, second.end)
            if not text.startswith("之间", closing):
                second = None
    if second is not None and (second.magnitude or second.currency) and not first.more:
        magnitude = first.magnitude or second.magnitude or 1.0
        second_magnitude = second.magnitude or magnitude
        currency = first.currency or second.currency
        low = first.value * magnitude
        high = second.value * second_magnitude
        if 0 < low <= high:
            return Amount(first.start, second.end, low, high, currency, "range"), second.end
    if not (first.magnitude or first.currency):
        return None, first.end
    if _PERCENT.match(text, first.end):
        return None, first.end
    value = first.value * (first.magnitude or 1.0)
    if value <= 0:
        return None, first.end
    qualifier = "over" if first.more else _qualifier(text, first.start, first.end)
    high = None if qualifier in ("over", "at_least") else value
    return Amount(first.start, first.end, value, high, first.currency, qualifier), first.end
