"""The amount grammar, one phrasing per row."""

from __future__ import annotations

import pytest

from pipelines.extract.amounts import find_amounts
from pipelines.extract.normalize import normalize

B = 1e9


@pytest.mark.parametrize(
    ("text", "low", "high", "currency", "qualifier"),
    [
        ("支出为158亿美元", 15.8 * B, 15.8 * B, "USD", "exact"),
        ("投入1,000亿美元", 100 * B, 100 * B, "USD", "exact"),
        ("规模1.2万亿美元", 1200 * B, 1200 * B, "USD", "exact"),
        ("约3.5千亿美元", 350 * B, 350 * B, "USD", "approx"),
        ("预估的579 亿美元", 57.9 * B, 57.9 * B, "USD", "exact"),
        ("为２６５億美元", 26.5 * B, 26.5 * B, "USD", "exact"),
        ("在160亿至180亿美元之间", 16 * B, 18 * B, "USD", "range"),
        ("在160亿美元至180亿美元之间", 16 * B, 18 * B, "USD", "range"),
        ("600亿到650亿美元", 60 * B, 65 * B, "USD", "range"),
        ("910亿—930亿美元", 91 * B, 93 * B, "USD", "range"),
        ("700-720亿美元", 70 * B, 72 * B, "USD", "range"),
        ("64～72億美元", 6.4 * B, 7.2 * B, "USD", "range"),
        ("介于600亿和650亿美元之间", 60 * B, 65 * B, "USD", "range"),
        ("超过800亿美元", 80 * B, None, "USD", "over"),
        ("逾300亿美元", 30 * B, None, "USD", "over"),
        ("超600亿美元", 60 * B, None, "USD", "over"),
        ("800多亿美元", 80 * B, None, "USD", "over"),
        ("1000亿美元以上", 100 * B, None, "USD", "over"),
        ("至少120亿美元", 12 * B, None, "USD", "at_least"),
        ("至多90亿美元", 9 * B, 9 * B, "USD", "up_to"),
        ("最高可达180亿美元", 18 * B, 18 * B, "USD", "up_to"),
        ("约750亿美元", 75 * B, 75 * B, "USD", "approx"),
        ("830亿美元左右", 83 * B, 83 * B, "USD", "approx"),
        ("近百亿美元", 10 * B, 10 * B, "USD", "approx"),
        ("逾千亿美元", 100 * B, None, "USD", "over"),
        ("大约四百亿美元", 40 * B, 40 * B, "USD", "approx"),
        ("$75 billion", 75 * B, 75 * B, "USD", "exact"),
        ("US$12.5bn", 12.5 * B, 12.5 * B, "USD", "exact"),
        ("317.75亿元", 31.775 * B, 31.775 * B, "CNY", "exact"),
        ("人民币480亿", 48 * B, 48 * B, "CNY", "exact"),
        ("1.2万亿日元", 1200 * B, 1200 * B, "JPY", "exact"),
        ("將達1兆美元", 1000 * B, 1000 * B, "USD", "exact"),  # Taiwan's trillion
        ("約1.2兆日圓", 1200 * B, 1200 * B, "JPY", "approx"),
        ("300亿港元", 30 * B, 30 * B, "HKD", "exact"),
        ("53万亿韩元", 53000 * B, 53000 * B, "KRW", "exact"),
        ("预计为400亿", 40 * B, 40 * B, None, "exact"),
    ],
)
def test_amount_grammar(
    text: str, low: float, high: float | None, currency: str | None, qualifier: str
) -> None:
    (amount,) = find_amounts(normalize(text))
    assert amount.low == pytest.approx(low)
    assert (amount.high is None) == (high is None)
    if high is not None:
        assert amount.high == pytest.approx(high)
    assert amount.currency == currency
    assert amount.qualifier == qualifier


@pytest.mark.parametrize(
    "text",
    [
        "数百亿美元",
        "上千亿美元",
        "几十亿美元",
        "增长了35%",
        "2024-2025年",
        "GB200芯片",
        "第一季度",
        "10-12月",
        "共有3000名员工",
    ],
)
def test_not_an_amount(text: str) -> None:
    assert find_amounts(normalize(text)) == []


def test_and_joins_two_amounts_only_inside_zhijian() -> None:
    amounts = find_amounts(normalize("微软为800亿美元和谷歌750亿美元"))
    assert [a.qualifier for a in amounts] == ["exact", "exact"]


def test_amount_span_covers_both_range_ends() -> None:
    text = normalize("预计在450亿至500亿美元之间")
    (amount,) = find_amounts(text)
    assert text[amount.start : amount.end] == "450亿至500亿美元"
