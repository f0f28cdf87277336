"""Period phrases resolved against publication date and fiscal calendars."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.extract.normalize import normalize
from pipelines.extract.periods import (
    find_periods,
    fiscal_quarter_of,
    fiscal_year_of,
    is_past,
    resolve,
)


def _resolve_one(
    text: str,
    published: date,
    fiscal_year_end_month: int = 12,
    results: bool = False,
    reference: str | None = None,
) -> str | None:
    (mention,) = find_periods(normalize(text))
    return resolve(
        mention,
        published=published,
        fiscal_year_end_month=fiscal_year_end_month,
        results_article=results,
        reference=reference,
    )


@pytest.mark.parametrize(
    ("text", "published", "fye", "results", "reference", "expected"),
    [
        ("2026年第二季度", date(2026, 8, 1), 12, False, None, "2026Q2"),
        ("2023年Q3", date(2023, 11, 2), 12, False, None, "2023Q3"),
        ("Q1 2024", date(2024, 5, 2), 12, False, None, "2024Q1"),
        ("FY2026", date(2025, 9, 1), 6, False, None, "2026"),
        ("2025財年", date(2025, 3, 1), 1, False, None, "2025"),
        ("26财年第一财季", date(2025, 10, 30), 6, False, None, "2026Q1"),
        ("2024年全年", date(2025, 1, 30), 12, False, None, "2024"),
        # A quarter named without a year is the one nearest the publication date.
        ("第四季度", date(2025, 2, 3), 12, True, None, "2024Q4"),
        ("一季度", date(2025, 2, 3), 12, False, None, "2025Q1"),
        ("第三财季", date(2025, 4, 30), 6, True, None, "2025Q3"),
        ("第四财季", date(2025, 2, 26), 1, True, None, "2025Q4"),
        # Relative years follow the company's fiscal calendar.
        ("今年", date(2025, 2, 7), 12, False, None, "2025"),
        ("去年", date(2026, 3, 1), 12, False, None, "2025"),
        ("明年", date(2024, 12, 20), 12, False, None, "2025"),
        ("本财年", date(2025, 2, 7), 6, False, None, "2025"),
        ("本財年", date(2025, 8, 20), 6, False, None, "2026"),
        ("下一财年", date(2025, 7, 31), 6, False, None, "2027"),
        ("下一财年", date(2025, 7, 31), 6, True, None, "2026"),
        ("上一财年", date(2025, 7, 31), 6, False, None, "2025"),
        ("去年第四季度", date(2025, 8, 15), 12, False, None, "2024Q4"),
        ("今年一季度", date(2025, 8, 15), 12, False, None, "2025Q1"),
        ("本财年第三财季", date(2025, 2, 7), 6, False, None, "2025Q3"),
        # Quarters relative to the article: 上财季 is the last one finished.
        ("上财季", date(2025, 2, 7), 6, False, None, "2025Q2"),
        ("上季度", date(2024, 11, 5), 12, False, None, "2024Q3"),
        ("本季度", date(2025, 2, 5), 12, True, None, "2024Q4"),
        ("本季度", date(2025, 2, 5), 12, False, None, "2025Q1"),
        ("下季度", date(2025, 2, 5), 12, True, None, "2025Q1"),
        # 上年同期 and 全年 lean on the period already named in the sentence.
        ("上年同期", date(2025, 2, 7), 12, False, "2024Q4", "2023Q4"),
        ("去年同期", date(2025, 5, 1), 6, False, "2025Q3", "2024Q3"),
        ("全年", date(2025, 1, 30), 12, False, "2024Q4", "2024"),
        ("全年", date(2025, 5, 1), 12, True, None, "2025"),
    ],
)
def test_period_resolution(
    text: str, published: date, fye: int, results: bool, reference: str | None, expected: str
) -> None:
    assert _resolve_one(text, published, fye, results, reference) == expected


@pytest.mark.parametrize(
    "text",
    [
        "上半年",
        "2025年上半年",
        "前三季度",
        "今年迄今",
        "年初至今",
        "未来数年",
        "前9个月",
        "过去三年",
        "过去12个月",
        "2025-2027年",
        "2026至2028财年",
    ],
)
def test_spans_are_not_periods(text: str) -> None:
    (mention,) = find_periods(normalize(text))
    assert mention.kind == "span"
    assert resolve(mention, published=date(2025, 2, 7)) is None


@pytest.mark.parametrize("text", ["GB200", "GPT-4", "2025", "H100芯片", "Llama 3"])
def test_model_names_and_bare_numbers_are_not_periods(text: str) -> None:
    assert find_periods(normalize(text)) == []


@pytest.mark.parametrize(
    ("day", "fye", "year", "quarter"),
    [
        (date(2025, 2, 7), 12, 2025, 1),
        (date(2025, 2, 7), 6, 2025, 3),
        (date(2025, 7, 1), 6, 2026, 1),
        (date(2025, 2, 20), 1, 2026, 1),
        (date(2024, 10, 15), 9, 2025, 1),
        (date(2024, 6, 30), 5, 2025, 1),
    ],
)
def test_fiscal_calendar(day: date, fye: int, year: int, quarter: int) -> None:
    assert fiscal_year_of(day, fye) == year
    assert fiscal_quarter_of(day, fye) == (year, quarter)


def test_a_period_is_past_only_once_it_has_ended() -> None:
    assert is_past("2024Q4", 12, date(2025, 1, 3))
    assert not is_past("2025Q1", 12, date(2025, 3, 20))
    assert not is_past("2025", 6, date(2025, 2, 7))
    assert is_past("2025Q2", 6, date(2025, 2, 7))
