"""Classes of phrasing met in articles the extractor had not seen: each class with several
sentences of our own (other companies, years, Traditional script) and near-misses."""

from __future__ import annotations

import pytest

from tests.extract.test_extractor import B, _facts, _run

BIG_FOUR = "AMZN+GOOGL+META+MSFT"


def _growth(text: str, published: str) -> list[tuple]:
    growth = _run(text, published).growth
    return [(g.company, g.basis, g.from_period, g.to_period, g.growth_pct) for g in growth]


# --- "截至…月" names the quarter or fiscal year ending that month ------------------------------


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (
            "2024-11-02",
            "亚马逊在截至9月底的季度里资本开支为226亿美元。",
            [("AMZN", "actual", "2024Q3", 22.6, 22.6)],
        ),
        (
            "2026-01-29",
            "截至2025年12月31日的三个月，Meta的资本支出为221亿美元。",
            [("META", "actual", "2025Q4", 22.1, 22.1)],
        ),
        (
            # Microsoft's fiscal year ends in June: the quarter to March is its third.
            "2025-05-02",
            "微軟截至3月的季度資本支出為214億美元。",
            [("MSFT", "actual", "2025Q3", 21.4, 21.4)],
        ),
        (
            "2025-11-01",
            "谷歌在截至九月底的三個月裡資本支出為240億美元。",
            [("GOOGL", "actual", "2025Q3", 24.0, 24.0)],
        ),
        (
            "2024-08-01",
            "微软截至6月30日的财年资本支出为557亿美元。",
            [("MSFT", "actual", "2024", 55.7, 55.7)],
        ),
        (
            "2025-03-01",
            "英伟达截至1月26日的2025财年资本支出为32亿美元。",
            [("NVDA", "actual", "2025", 3.2, 3.2)],
        ),
        (
            # Apple's year ends in September: the quarter to December opens fiscal 2025.
            "2025-02-01",
            "苹果在截至12月28日的第一财季资本支出为29亿美元。",
            [("AAPL", "actual", "2025Q1", 2.9, 2.9)],
        ),
    ],
)
def test_period_ending_in_a_month(published: str, text: str, expected: list[tuple]) -> None:
    assert _facts(text, published) == expected


@pytest.mark.parametrize(
    ("published", "text"),
    [
        ("2025-02-07", "截至目前，谷歌的资本支出为140亿美元。"),
        ("2025-02-07", "截至发稿，亚马逊的资本开支为300亿美元。"),
        ("2025-02-07", "截至12月，甲骨文的员工人数有所减少，资本支出增长。"),
    ],
)
def test_up_to_now_is_not_a_period(published: str, text: str) -> None:
    assert _facts(text, published) == []


# --- named groups and English-comma lists ------------------------------------------------------


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (
            "2025-02-08",
            "四大科技巨头今年的资本支出合计将超过3200亿美元。",
            [(BIG_FOUR, "guidance", "2025", 320.0, None)],
        ),
        (
            "2026-02-06",
            "四大雲計算巨頭今年資本開支合計約6500億美元。",
            [(BIG_FOUR, "guidance", "2026", 650.0, 650.0)],
        ),
        (
            "2025-10-31",
            "分析师预计，四大超大规模云服务商明年的资本支出将达到5000亿美元。",
            [(BIG_FOUR, "consensus", "2026", 500.0, 500.0)],
        ),
        (
            "2025-02-08",
            "科技四巨头去年的资本开支合计为2300亿美元。",
            [(BIG_FOUR, "actual", "2024", 230.0, 230.0)],
        ),
        (
            "2025-11-10",
            "四大雲端業者明年資本支出合計將達1兆美元。",
            [(BIG_FOUR, "guidance", "2026", 1000.0, 1000.0)],
        ),
        (
            "2025-11-10",
            "四大CSP今年資本支出合計約4000億美元。",
            [(BIG_FOUR, "guidance", "2025", 400.0, 400.0)],
        ),
        (
            "2025-02-08",
            "Microsoft, Alphabet, Amazon and Meta表示，今年资本支出合计将超过3000亿美元。",
            [(BIG_FOUR, "guidance", "2025", 300.0, None)],
        ),
        (
            "2025-02-08",
            "微軟、Alphabet、亞馬遜與Meta今年資本支出合計將超過3000億美元。",
            [(BIG_FOUR, "guidance", "2025", 300.0, None)],
        ),
        (
            # An enumeration of four, when there is one, says who the four are.
            "2025-02-08",
            "苹果、微软、谷歌和亚马逊都在加码，四大科技巨头今年合计将超过2500亿美元资本支出。",
            [("AAPL+AMZN+GOOGL+MSFT", "guidance", "2025", 250.0, None)],
        ),
    ],
)
def test_named_groups(published: str, text: str, expected: list[tuple]) -> None:
    assert _facts(text, published) == expected


@pytest.mark.parametrize(
    "text",
    [
        "七巨头今年资本支出合计将超过4000亿美元。",
        "四大巨头今年资本支出合计将超过3000亿美元。",
        "三大云厂商今年资本支出合计将超过2500亿美元。",
    ],
)
def test_other_counted_groups_need_an_enumeration(text: str) -> None:
    assert _facts(text, "2025-02-08") == []


# --- growth in tenths (成) and doubling ----------------------------------------------------------


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (
            "2025-02-08",
            "亚马逊2024年资本支出为830亿美元，较2023年增长近7成。",
            [("AMZN", "actual", "2023", "2024", 70.0)],
        ),
        (
            "2024-02-03",
            "Meta 2023年資本支出281億美元，比2022年減少兩成。",
            [("META", "actual", "2022", "2023", -20.0)],
        ),
        (
            "2026-02-05",
            "谷歌预计2026年资本支出将较2025年翻倍，达到1800亿美元。",
            [("GOOGL", "guidance", "2025", "2026", 100.0)],
        ),
        (
            "2025-10-31",
            "微软本季度资本支出为349亿美元，同比翻了一番。",
            [("MSFT", "actual", "2025Q1", "2026Q1", 100.0)],
        ),
    ],
)
def test_growth_in_tenths_and_doubling(published: str, text: str, expected: list[tuple]) -> None:
    assert _growth(text, published) == expected


@pytest.mark.parametrize(
    "text",
    [
        "谷歌资本支出为140亿美元，大增三成。",  # one period only
        "甲骨文2025财年营收较2024财年增长两成，资本支出为212亿美元。",  # the growth is revenue's
        "特斯拉2024年资本支出为113亿美元，较2023年增长成为市场焦点。",  # 成为 is not a count
    ],
)
def test_tenths_without_two_periods_or_capex_are_not_growth(text: str) -> None:
    assert _growth(text, "2025-02-08") == []


# --- "本季度…为" in the weeks after a quarter ended: the quarter just reported -----------------


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (
            "2025-04-30",
            "微软表示，本季度资本支出为214亿美元。",
            [("MSFT", "actual", "2025Q3", 21.4, 21.4)],
        ),
        (
            "2024-10-31",
            "亚马逊该季度的资本开支达到226亿美元。",
            [("AMZN", "actual", "2024Q3", 22.6, 22.6)],
        ),
        (
            # Oracle's year ends in May: December to February is its third quarter.
            "2025-03-12",
            "甲骨文该季度的资本开支录得58.6亿美元。",
            [("ORCL", "actual", "2025Q3", 5.86, 5.86)],
        ),
        (
            # Apple's year ends in September: October to December is its first quarter.
            "2025-01-31",
            "蘋果本季度資本支出為27億美元。",
            [("AAPL", "actual", "2025Q1", 2.7, 2.7)],
        ),
        (
            # Nvidia's year ends in late January: February to April opens fiscal 2027.
            "2026-05-28",
            "英伟达本季度资本支出达到16亿美元。",
            [("NVDA", "actual", "2027Q1", 1.6, 1.6)],
        ),
    ],
)
def test_this_quarter_in_earnings_season(published: str, text: str, expected: list[tuple]) -> None:
    assert _facts(text, published) == expected


def test_reported_quarter_carries_to_the_rest_of_the_sentence() -> None:
    text = "微软本季度资本支出为214亿美元，高于市场预期的200亿美元，Meta为137亿美元。"
    assert _facts(text, "2025-04-30") == [
        ("MSFT", "actual", "2025Q3", 21.4, 21.4),
        ("MSFT", "consensus", "2025Q3", 20.0, 20.0),
        ("META", "actual", "2025Q1", 13.7, 13.7),
    ]


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (  # a forward word: the quarter under way, the company's plan
            "2025-04-30",
            "微软本季度资本支出将达到250亿美元。",
            [("MSFT", "guidance", "2025Q4", 25.0, 25.0)],
        ),
        (  # ten weeks after the quarter ended: no longer its results season
            "2025-03-15",
            "谷歌本季度资本支出为180亿美元。",
            [("GOOGL", "guidance", "2025Q1", 18.0, 18.0)],
        ),
        (  # a forecast made before the figure
            "2025-02-05",
            "Alphabet预计本季度资本支出为170亿美元。",
            [("GOOGL", "guidance", "2025Q1", 17.0, 17.0)],
        ),
    ],
)
def test_this_quarter_outside_the_reporting_reading(
    published: str, text: str, expected: list[tuple]
) -> None:
    assert _facts(text, published) == expected


# --- "从A增至B": both ends, each with its own period ----------------------------------------------


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (
            "2025-02-08",
            "亚马逊资本支出从2023年的484亿美元增至2024年的830亿美元。",
            [("AMZN", "actual", "2023", 48.4, 48.4), ("AMZN", "actual", "2024", 83.0, 83.0)],
        ),
        (
            "2024-08-02",
            "微軟資本支出從2023財年的282億美元增加到2024財年的557億美元。",
            [("MSFT", "actual", "2023", 28.2, 28.2), ("MSFT", "actual", "2024", 55.7, 55.7)],
        ),
        (
            "2026-02-06",
            "Meta的资本开支由2024年的392亿美元升至2025年的722亿美元。",
            [("META", "actual", "2024", 39.2, 39.2), ("META", "actual", "2025", 72.2, 72.2)],
        ),
        (
            # The sentence names the base as the year before the one it is about.
            "2025-02-08",
            "谷歌2024年资本支出从上一年的323亿美元增长到525亿美元。",
            [("GOOGL", "actual", "2023", 32.3, 32.3), ("GOOGL", "actual", "2024", 52.5, 52.5)],
        ),
        (
            # A plan: the base is what was spent last year, the target this year's guidance.
            "2025-02-08",
            "特斯拉今年资本支出将从去年的113亿美元增加到超过110亿美元。",
            [("TSLA", "actual", "2024", 11.3, 11.3), ("TSLA", "guidance", "2025", 11.0, None)],
        ),
    ],
)
def test_change_from_one_figure_to_another(
    published: str, text: str, expected: list[tuple]
) -> None:
    assert _facts(text, published) == expected


def test_by_a_year_is_still_a_span_without_a_change_verb() -> None:
    text = "英伟达黄仁勋称，到2028年全球数据中心资本支出将达到1万亿美元。"
    assert _facts(text, "2025-03-20") == []


# --- "此前预期为X" after a revision: the company's previous guidance ------------------------------


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (
            "2025-05-01",
            "Meta将2025年资本支出上调至700亿美元，此前预期为650亿美元。",
            [("META", "guidance", "2025", 70.0, 70.0), ("META", "guidance", "2025", 65.0, 65.0)],
        ),
        (
            "2025-07-31",
            "微軟將2026財年資本支出目標提高至1200億美元，之前預計為1000億美元。",
            [
                ("MSFT", "guidance", "2026", 120.0, 120.0),
                ("MSFT", "guidance", "2026", 100.0, 100.0),
            ],
        ),
        (
            "2025-04-25",
            "英特尔将今年资本支出下调至180亿美元，原先为200亿美元。",
            [("INTC", "guidance", "2025", 18.0, 18.0), ("INTC", "guidance", "2025", 20.0, 20.0)],
        ),
        (
            # A revision of a year that has since ended is still guidance, both ends of it.
            "2025-01-20",
            "Meta曾将2024年资本支出收窄至380亿至400亿美元，此前指引为370亿至400亿美元。",
            [("META", "guidance", "2024", 38.0, 40.0), ("META", "guidance", "2024", 37.0, 40.0)],
        ),
    ],
)
def test_previous_outlook_in_a_revision_is_guidance(
    published: str, text: str, expected: list[tuple]
) -> None:
    assert _facts(text, published) == expected


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (  # a named source makes the earlier figure the market's
            "2025-05-01",
            "Alphabet将2025年资本支出上调至850亿美元，此前市场预期为780亿美元。",
            [("GOOGL", "guidance", "2025", 85.0, 85.0), ("GOOGL", "consensus", "2025", 78.0, 78.0)],
        ),
        (
            "2025-05-01",
            "亚马逊将今年资本支出提高至1100亿美元，分析师此前预期为1050亿美元。",
            [
                ("AMZN", "guidance", "2025", 110.0, 110.0),
                ("AMZN", "consensus", "2025", 105.0, 105.0),
            ],
        ),
        (  # no revision: an expectation beside a reported figure stays the consensus
            "2025-02-01",
            "Meta 2024年资本支出为392亿美元，此前预期为380亿美元。",
            [("META", "actual", "2024", 39.2, 39.2), ("META", "consensus", "2024", 38.0, 38.0)],
        ),
    ],
)
def test_named_expectations_stay_consensus(
    published: str, text: str, expected: list[tuple]
) -> None:
    assert _facts(text, published) == expected


def test_earlier_level_after_spending_rose_is_not_guidance() -> None:
    # The spending itself rose: "此前为X" is no earlier outlook here.
    facts = _facts("亚马逊2024年资本支出提高至830亿美元，此前为484亿美元。", "2025-02-08")
    assert [f for f in facts if f[1] == "guidance"] == []
    assert ("AMZN", "actual", "2024", 83.0, 83.0) in facts


# --- "实际为X" continues the previous sentence's company and period -------------------------------


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (
            "2025-01-31",
            "分析师预计微软第二财季资本支出为208亿美元。实际为226亿美元。",
            [("MSFT", "consensus", "2025Q2", 20.8, 20.8), ("MSFT", "actual", "2025Q2", 22.6, 22.6)],
        ),
        (
            "2025-02-06",
            "據FactSet統計，市場預期谷歌第四季度資本開支為132億美元。實際數字為140億美元。",
            [
                ("GOOGL", "consensus", "2024Q4", 13.2, 13.2),
                ("GOOGL", "actual", "2024Q4", 14.0, 14.0),
            ],
        ),
        (
            "2025-02-01",
            "Meta去年10月预计2024年资本支出为380亿至400亿美元。而最终的数字为392亿美元。",
            [("META", "guidance", "2024", 38.0, 40.0), ("META", "actual", "2024", 39.2, 39.2)],
        ),
    ],
)
def test_actual_figure_after_an_expectation(
    published: str, text: str, expected: list[tuple]
) -> None:
    assert _facts(text, published) == expected


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (  # a new paragraph starts a new topic
            "2025-01-31",
            "分析师预计微软第二财季资本支出为208亿美元。\n实际为226亿美元。",
            [("MSFT", "consensus", "2025Q2", 20.8, 20.8)],
        ),
        (  # the previous figure was already the actual one
            "2025-02-06",
            "谷歌第四季度资本支出为140亿美元。实际为市场所料。",
            [("GOOGL", "actual", "2024Q4", 14.0, 14.0)],
        ),
        (  # a sentence in between breaks the thread
            "2025-01-31",
            "分析师预计微软第二财季资本支出为208亿美元。股价盘后下跌。实际为226亿美元。",
            [("MSFT", "consensus", "2025Q2", 20.8, 20.8)],
        ),
        (  # the expectation named no period
            "2025-01-31",
            "分析师预计微软资本支出将继续增加。实际为226亿美元。",
            [],
        ),
    ],
)
def test_actual_figure_needs_the_previous_sentence(
    published: str, text: str, expected: list[tuple]
) -> None:
    assert _facts(text, published) == expected


# --- a revised end of a range is not a point value -----------------------------------------------


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (
            "2025-05-01",
            "Meta将今年资本支出预期下限从660亿美元上调至700亿美元，预计在700亿至720亿美元之间。",
            [("META", "guidance", "2025", 70.0, None), ("META", "guidance", "2025", 70.0, 72.0)],
        ),
        (
            "2025-10-30",
            "微軟將本財年資本支出指引區間的低端由1100億美元提高到1150億美元。",
            [("MSFT", "guidance", "2026", 115.0, None)],
        ),
        (  # a lowered upper end caps the figure
            "2025-07-25",
            "英特尔把今年资本支出上限从200亿美元下调至180亿美元，区间调整为160亿至180亿美元。",
            [("INTC", "guidance", "2025", 18.0, 18.0), ("INTC", "guidance", "2025", 16.0, 18.0)],
        ),
    ],
)
def test_revised_end_of_a_range(published: str, text: str, expected: list[tuple]) -> None:
    assert _facts(text, published) == expected


def test_revised_end_keeps_the_qualifier_that_fits() -> None:
    facts = _run(
        "Meta将今年资本支出预期下限从660亿美元上调至700亿美元，预计在700亿至720亿美元之间。",
        "2025-05-01",
    ).facts
    assert [f.qualifier for f in facts] == ["at_least", "range"]


def test_high_end_products_are_not_a_bound() -> None:
    text = "英伟达今年用于高端芯片的资本支出为50亿美元。"
    facts = _run(text, "2025-03-01").facts
    assert [(f.value_low_usd / B, f.qualifier) for f in facts] == [(5.0, "exact")]


# --- the market's figure in the sentence after the actual --------------------------------------


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (
            "2025-01-30",
            "微软周三公布财报。该公司上一财季的资本支出为226亿美元。分析师此前预计为213亿美元。",
            [("MSFT", "actual", "2025Q2", 22.6, 22.6), ("MSFT", "consensus", "2025Q2", 21.3, 21.3)],
        ),
        (
            "2025-10-30",
            "Meta第三季度资本开支为193.7亿美元。據LSEG數據，分析師預估為186億美元。",
            [
                ("META", "actual", "2025Q3", 19.37, 19.37),
                ("META", "consensus", "2025Q3", 18.6, 18.6),
            ],
        ),
        (
            "2025-02-05",
            "谷歌第四季度资本支出为143亿美元。市场普遍预期为132亿美元。",
            [
                ("GOOGL", "actual", "2024Q4", 14.3, 14.3),
                ("GOOGL", "consensus", "2024Q4", 13.2, 13.2),
            ],
        ),
        (  # another period: not the topic's
            "2025-02-07",
            "亚马逊第四季度资本支出为278亿美元。分析师预计下季度为250亿美元。",
            [("AMZN", "actual", "2024Q4", 27.8, 27.8)],
        ),
        (  # the company's own figure is no market figure
            "2025-02-07",
            "亚马逊第四季度资本支出为278亿美元。公司此前预计为260亿美元。",
            [("AMZN", "actual", "2024Q4", 27.8, 27.8)],
        ),
        (  # a new paragraph starts a new topic
            "2025-02-05",
            "谷歌第四季度资本支出为143亿美元。\n市场预期为132亿美元。",
            [("GOOGL", "actual", "2024Q4", 14.3, 14.3)],
        ),
    ],
)
def test_expected_figure_after_the_actual(published: str, text: str, expected: list[tuple]) -> None:
    assert _facts(text, published) == expected


# --- 全年 after a reported quarter: the year in progress when the figure is a forecast -------


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (
            "2025-01-30",
            "Meta第四季度资本支出为148亿美元，全年资本支出将达到600亿美元以上。",
            [("META", "actual", "2024Q4", 14.8, 14.8), ("META", "guidance", "2025", 60.0, None)],
        ),
        (
            # Microsoft's fiscal 2025 ended in June: the forecast is for fiscal 2026.
            "2025-07-31",
            "微软第四财季资本支出为242亿美元，全财年预计将超过800亿美元。",
            [("MSFT", "actual", "2025Q4", 24.2, 24.2), ("MSFT", "guidance", "2026", 80.0, None)],
        ),
        (  # a reported total for the year that ended
            "2025-01-30",
            "Meta第四季度资本支出为148亿美元，全年为392亿美元。",
            [("META", "actual", "2024Q4", 14.8, 14.8), ("META", "actual", "2024", 39.2, 39.2)],
        ),
        (  # the earlier outlook for the year that ended
            "2025-01-30",
            "Meta第四季度资本支出为148亿美元，此前预计全年为380亿至400亿美元。",
            [("META", "actual", "2024Q4", 14.8, 14.8), ("META", "guidance", "2024", 38.0, 40.0)],
        ),
        (  # the year is still in progress: nothing to move
            "2024-10-31",
            "Meta第三季度资本支出为92亿美元，预计全年资本支出为380亿至400亿美元。",
            [("META", "actual", "2024Q3", 9.2, 9.2), ("META", "guidance", "2024", 38.0, 40.0)],
        ),
    ],
)
def test_full_year_forecast_after_a_reported_quarter(
    published: str, text: str, expected: list[tuple]
) -> None:
    assert _facts(text, published) == expected


def test_a_headline_forecast_for_the_full_year_matches_the_body() -> None:
    title = "Meta第四季度资本支出148亿美元 全年预计600亿至650亿美元"
    body = "Meta周三公布了第四季度业绩。公司表示，2025年资本支出将在600亿至650亿美元之间。"
    assert _facts(body, "2025-01-30", title) == [
        ("META", "actual", "2024Q4", 14.8, 14.8),
        ("META", "guidance", "2025", 60.0, 65.0),
    ]
