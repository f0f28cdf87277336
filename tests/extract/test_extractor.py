"""Whole-sentence extraction: who, basis, period and value, in phrasings of our own."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pipelines.extract import CapexFact, Extraction, extract

SHANGHAI = ZoneInfo("Asia/Shanghai")
B = 1e9


def _run(text: str, published: str, title: str = "") -> Extraction:
    when = datetime.fromisoformat(published).replace(hour=9, tzinfo=SHANGHAI)
    return extract(text, published_at=when, article_id="test-article", title=title)


def _facts(text: str, published: str, title: str = "") -> list[tuple]:
    return [_row(f) for f in _run(text, published, title).facts]


def _row(fact: CapexFact) -> tuple:
    high = None if fact.value_high_usd is None else round(fact.value_high_usd / B, 2)
    return (fact.company, fact.basis, fact.period, round(fact.value_low_usd / B, 2), high)


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (
            "2025-04-30",
            "微軟上一財季資本開支為226億美元，高於市場預期的213億美元。",
            [("MSFT", "actual", "2025Q3", 22.6, 22.6), ("MSFT", "consensus", "2025Q3", 21.3, 21.3)],
        ),
        (
            "2025-05-02",
            "亞馬遜預計今年資本支出約為1000億美元。",
            [("AMZN", "guidance", "2025", 100.0, 100.0)],
        ),
        (
            "2025-04-30",
            "Meta将2025年资本支出指引从原先的600亿至650亿美元上调至640亿至720亿美元。",
            [("META", "guidance", "2025", 60.0, 65.0), ("META", "guidance", "2025", 64.0, 72.0)],
        ),
        (
            "2025-03-01",
            "据LSEG汇编的数据，分析师平均预计英伟达本财年资本支出为35亿美元。",
            [("NVDA", "consensus", "2026", 3.5, 3.5)],
        ),
        (
            "2025-02-01",
            "微软和Meta今年合计资本支出超过1500亿美元。",
            [("META+MSFT", "guidance", "2025", 150.0, None)],
        ),
        (
            "2025-01-30",
            "特斯拉表示，2025年资本支出将超过110亿美元。",
            [("TSLA", "guidance", "2025", 11.0, None)],
        ),
        (
            "2025-01-17",
            "台积电预计今年资本支出介于380亿美元到420亿美元之间。",
            [("TSM", "guidance", "2025", 38.0, 42.0)],
        ),
        (
            "2025-02-07",
            "亚马逊2024年全年资本支出为830亿美元，较2023年的484亿美元增长71%。",
            [("AMZN", "actual", "2024", 83.0, 83.0), ("AMZN", "actual", "2023", 48.4, 48.4)],
        ),
        (
            "2025-02-07",
            "微软、谷歌、亚马逊和Meta本周相继公布财报。科技四巨头今年的资本开支合计将超过3000亿美元。",
            [("AMZN+GOOGL+META+MSFT", "guidance", "2025", 300.0, None)],
        ),
        (
            "2025-01-30",
            "Meta周三公布了第四季度业绩。该公司第四季度资本支出为148亿美元。",
            [("META", "actual", "2024Q4", 14.8, 14.8)],
        ),
        (
            "2025-04-20",
            "StreetAccount的共识预期显示，Meta第一季度资本支出为140亿美元。",
            [("META", "consensus", "2025Q1", 14.0, 14.0)],
        ),
        (
            "2025-04-20",
            "彭博估计，谷歌2026年的资本开支将达到1000亿美元。",
            [("GOOGL", "consensus", "2026", 100.0, 100.0)],
        ),
        (
            "2025-05-10",
            "根据Visible Alpha的数据，分析师预计微软下一财年资本支出为1000亿美元。",
            [("MSFT", "consensus", "2026", 100.0, 100.0)],
        ),
        (  # Taiwan's press: 法人 are the institutions that forecast
            "2025-01-10",
            "法人預估台積電今年資本支出將達420億美元。",
            [("TSM", "consensus", "2025", 42.0, 42.0)],
        ),
        (
            "2026-02-05",
            "2026年，Alphabet计划将资本支出提高至1750亿至1850亿美元。",
            [("GOOGL", "guidance", "2026", 175.0, 185.0)],
        ),
        (
            "2025-01-30",
            "Meta Q4资本开支为148亿美元，全年为392亿美元。",
            [("META", "actual", "2024Q4", 14.8, 14.8), ("META", "actual", "2024", 39.2, 39.2)],
        ),
        (
            "2025-02-07",
            "Meta 2024年资本支出为392亿美元，上年同期为281亿美元。",
            [("META", "actual", "2024", 39.2, 39.2), ("META", "actual", "2023", 28.1, 28.1)],
        ),
        (
            "2025-02-07",
            "微软第二财季资本支出（含融资租赁）为226亿美元。",
            [("MSFT", "actual", "2025Q2", 22.6, 22.6)],
        ),
        (
            "2025-02-05",
            "谷歌２０２５年資本支出預計為７５０億美元。",
            [("GOOGL", "guidance", "2025", 75.0, 75.0)],
        ),
        (
            "2025-02-05",
            "超出市场预期，谷歌预计2025年资本支出为750亿美元。",
            [("GOOGL", "guidance", "2025", 75.0, 75.0)],
        ),
        (
            "2025-02-05",
            "华尔街此前预期谷歌2025年资本支出为588亿美元，而公司给出的数字为750亿美元。",
            [("GOOGL", "consensus", "2025", 58.8, 58.8), ("GOOGL", "guidance", "2025", 75.0, 75.0)],
        ),
        (
            "2023-10-26",
            "微软2024财年第一财季资本支出为112亿美元。",
            [("MSFT", "actual", "2024Q1", 11.2, 11.2)],
        ),
        (
            "2025-02-07",
            "谷歌和微软今年的资本支出都将超过800亿美元。",
            [("GOOGL", "guidance", "2025", 80.0, None), ("MSFT", "guidance", "2025", 80.0, None)],
        ),
        (
            "2025-02-07",
            "谷歌和微软今年的资本支出分别为750亿美元和800亿美元。",
            [("GOOGL", "guidance", "2025", 75.0, 75.0), ("MSFT", "guidance", "2025", 80.0, 80.0)],
        ),
        (
            "2025-05-01",
            "Meta上调全年资本支出指引至640亿-720亿美元。",
            [("META", "guidance", "2025", 64.0, 72.0)],
        ),
        (
            "2025-02-07",
            "亚马逊首席执行官贾西称，公司今年资本支出将达到1000亿美元左右。",
            [("AMZN", "guidance", "2025", 100.0, 100.0)],
        ),
        (
            "2025-02-07",
            "资本支出方面，谷歌今年计划投资750亿美元。",
            [("GOOGL", "guidance", "2025", 75.0, 75.0)],
        ),
        (
            "2025-02-07",
            "亚马逊第四季度资本支出为278亿美元，高于分析师预估的223亿美元，上年同期为146亿美元。",
            [
                ("AMZN", "actual", "2024Q4", 27.8, 27.8),
                ("AMZN", "consensus", "2024Q4", 22.3, 22.3),
                ("AMZN", "actual", "2023Q4", 14.6, 14.6),
            ],
        ),
        (
            "2024-07-31",
            "微软周二盘后发布财报。该公司表示，下一财年的资本开支将高于本财年的557亿美元。",
            [("MSFT", "actual", "2024", 55.7, 55.7)],
        ),
        (
            "2025-01-30",
            "微软在截至12月31日的第二财季中，资本支出（包括融资租赁）为226亿美元，"
            "高于分析师预期的208亿美元。",
            [("MSFT", "actual", "2025Q2", 22.6, 22.6), ("MSFT", "consensus", "2025Q2", 20.8, 20.8)],
        ),
        (
            "2025-02-05",
            "谷歌第四季度资本支出为140亿美元，超出预期的132亿美元。",
            [
                ("GOOGL", "actual", "2024Q4", 14.0, 14.0),
                ("GOOGL", "consensus", "2024Q4", 13.2, 13.2),
            ],
        ),
        (
            "2025-01-10",
            "Meta预计2024年资本支出在380亿至400亿美元之间。",
            [("META", "guidance", "2024", 38.0, 40.0)],
        ),
        (
            "2024-11-01",
            "苹果2024财年资本支出为94.5亿美元，上一财年为109.6亿美元。",
            [("AAPL", "actual", "2024", 9.45, 9.45), ("AAPL", "actual", "2023", 10.96, 10.96)],
        ),
        (
            "2025-05-01",
            "微軟表示，本財年第四財季的資本支出將環比增長，此前一季為214億美元。",
            [("MSFT", "actual", "2025Q3", 21.4, 21.4)],
        ),
        (
            "2025-02-07",
            "微软是OpenAI的最大投资者，其本财年资本支出将超过800亿美元。",
            [("MSFT", "guidance", "2025", 80.0, None)],
        ),
        (
            "2025-02-07",
            "微软上财季的资本支出为226亿美元，Meta为148亿美元。",
            [("MSFT", "actual", "2025Q2", 22.6, 22.6), ("META", "actual", "2024Q4", 14.8, 14.8)],
        ),
        (
            "2025-02-07",
            "亚马逊、微软、谷歌和Meta的财报显示，这四家公司今年的资本支出将超过3000亿美元。",
            [("AMZN+GOOGL+META+MSFT", "guidance", "2025", 300.0, None)],
        ),
        (
            "2025-02-07",
            "摩根士丹利预计，微软2026财年资本支出将达到1000亿美元。",
            [("MSFT", "consensus", "2026", 100.0, 100.0)],
        ),
        (
            "2025-07-31",
            "微软2025财年全年资本支出为880亿美元，预计2026财年第一财季资本支出将超过300亿美元。",
            [("MSFT", "actual", "2025", 88.0, 88.0), ("MSFT", "guidance", "2026Q1", 30.0, None)],
        ),
        (
            "2025-04-25",
            "英特尔将2025年总资本支出目标从200亿美元下调至180亿美元。",
            [("INTC", "guidance", "2025", 20.0, 20.0), ("INTC", "guidance", "2025", 18.0, 18.0)],
        ),
        (
            "2025-01-16",
            "台積電預計2025年資本支出為380億至420億美元，2024年為297.6億美元。",
            [("TSM", "guidance", "2025", 38.0, 42.0), ("TSM", "actual", "2024", 29.76, 29.76)],
        ),
        (
            "2025-04-17",
            "台積電今年資本支出維持380億至420億美元，第1季資本支出為100.6億美元。",
            [("TSM", "guidance", "2025", 38.0, 42.0), ("TSM", "actual", "2025Q1", 10.06, 10.06)],
        ),
        (
            "2025-05-01",
            "微軟上季資本支出達214億美元，略低於市場預估的225億美元。",
            [("MSFT", "actual", "2025Q3", 21.4, 21.4), ("MSFT", "consensus", "2025Q3", 22.5, 22.5)],
        ),
        (
            "2025-01-30",
            "Meta公布了2024年第四季度财报。资本支出为148亿美元，高于预期。",
            [("META", "actual", "2024Q4", 14.8, 14.8)],
        ),
        (
            "2024-07-24",
            "Alphabet第二季度资本支出为131亿美元，市场预估为122亿美元，去年同期为69亿美元。",
            [
                ("GOOGL", "actual", "2024Q2", 13.1, 13.1),
                ("GOOGL", "consensus", "2024Q2", 12.2, 12.2),
                ("GOOGL", "actual", "2023Q2", 6.9, 6.9),
            ],
        ),
        (
            "2025-06-12",
            "甲骨文预计2026财年资本支出将超过250亿美元，而2025财年为212亿美元。",
            [("ORCL", "guidance", "2026", 25.0, None), ("ORCL", "actual", "2025", 21.2, 21.2)],
        ),
        (
            "2025-02-07",
            "微软和谷歌上财季资本支出分别为226亿美元和143亿美元。",
            [("MSFT", "actual", "2025Q2", 22.6, 22.6), ("GOOGL", "actual", "2024Q4", 14.3, 14.3)],
        ),
        (
            "2025-02-05",
            "Alphabet第四季度业绩：营收964.7亿美元，预估966.7亿美元；资本支出140亿美元，预估132.6亿美元。",
            [
                ("GOOGL", "actual", "2024Q4", 14.0, 14.0),
                ("GOOGL", "consensus", "2024Q4", 13.26, 13.26),
            ],
        ),
        (
            "2025-01-30",
            "微软第二财季资本支出（含融资租赁）226亿美元（预期209亿美元）。",
            [("MSFT", "actual", "2025Q2", 22.6, 22.6), ("MSFT", "consensus", "2025Q2", 20.9, 20.9)],
        ),
        (
            "2025-02-07",
            "亚马逊今年资本支出将增加，预计为1000亿美元。",
            [("AMZN", "guidance", "2025", 100.0, 100.0)],
        ),
        (
            "2025-02-07",
            "Meta将今年资本支出指引上调了50亿美元，至700亿美元。",
            [("META", "guidance", "2025", 70.0, 70.0)],
        ),
        (
            "2025-02-07",
            "截至2024年12月31日的第二财季，微软资本支出为226亿美元。",
            [("MSFT", "actual", "2025Q2", 22.6, 22.6)],
        ),
        (
            "2025-02-07",
            "谷歌今年的资本支出将大幅增加，达到750亿美元，股价随之下跌，市值蒸发1700亿美元。",
            [("GOOGL", "guidance", "2025", 75.0, 75.0)],
        ),
        (
            "2025-02-07",
            "微软和Meta上季度资本支出合计达到370亿美元，高于分析师平均预期的350亿美元。",
            [
                ("META+MSFT", "actual", "2024Q4", 37.0, 37.0),
                ("META+MSFT", "consensus", "2024Q4", 35.0, 35.0),
            ],
        ),
        (
            "2025-01-30",
            "Meta公布了2024年第四季度财报。\n在数据中心方面，公司资本支出为148亿美元。",
            [("META", "actual", "2024Q4", 14.8, 14.8)],
        ),
        (
            "2025-02-07",
            "市场竞争加剧下Meta预计今年资本支出将达到650亿美元。",
            [("META", "guidance", "2025", 65.0, 65.0)],
        ),
        (
            "2024-02-02",
            "Meta在2023年的资本支出为281亿美元，低于此前指引的300亿至330亿美元区间。",
            [("META", "actual", "2023", 28.1, 28.1), ("META", "guidance", "2023", 30.0, 33.0)],
        ),
        (
            "2023-04-27",
            "Meta将2023年资本支出预期下调至300亿至330亿美元，此前预计为300亿至330亿美元。",
            [("META", "guidance", "2023", 30.0, 33.0)],
        ),
        (
            "2024-10-20",
            "据彭博社汇编的数据，分析师平均预计亚马逊2024年资本支出将达到约750亿美元。",
            [("AMZN", "consensus", "2024", 75.0, 75.0)],
        ),
        (
            "2026-01-30",
            "Meta预计2026年资本支出将在1150亿至1350亿美元之间，几乎是2025年722亿美元的两倍。",
            [("META", "guidance", "2026", 115.0, 135.0), ("META", "actual", "2025", 72.2, 72.2)],
        ),
    ],
)
def test_extracts_facts(published: str, text: str, expected: list[tuple]) -> None:
    assert _facts(text, published) == expected


@pytest.mark.parametrize(
    ("published", "text"),
    [
        ("2025-02-05", "谷歌资本支出大增，营收达到964亿美元。"),
        ("2025-02-07", "科技巨头今年的资本支出将达到数千亿美元。"),
        ("2025-02-07", "全球云计算行业今年的资本支出预计将达到4000亿美元。"),
        ("2024-11-01", "亚马逊前三季度资本支出合计为550亿美元。"),
        ("2025-02-07", "谷歌计划今年投入750亿美元。这一数字远高于去年的资本支出。"),
        ("2025-02-07", "苹果宣布1100亿美元股票回购计划，资本支出则保持稳定。"),
        ("2025-02-07", "该公司将削减资本支出，每年节省5亿至7亿美元。"),
        ("2025-02-07", "受资本开支狂飙拖累，微软股价下跌6%，市值蒸发2000亿美元。"),
        ("2025-02-07", "Meta资本支出增速放缓，但研发投入达到120亿美元。"),
        ("2025-02-07", "微软的云收入为409亿美元，资本支出增长了一倍。"),
        ("2025-02-07", "英伟达今年将投资5亿美元入股一家初创公司，资本开支保持不变。"),
        ("2025-02-07", "亚马逊未来数年的资本支出将累计超过2000亿美元。"),
        ("2025-01-30", "特斯拉预计，未来三年资本支出每年将超过110亿美元。"),
        ("2025-02-07", "亚马逊表示，资本支出将比2024年增加约20%，达到约1000亿美元。"),
        ("2025-02-07", "為支持資本支出，公司發行了250億美元債券。"),
        ("2025-02-07", "资本支出增加导致亚马逊自由现金流降至382亿美元。"),
        ("2025-02-07", "星际之门项目将投资5000亿美元，甲骨文的资本开支也随之上升。"),
        ("2025-03-20", "英伟达黄仁勋称，到2028年全球数据中心资本支出将达到1万亿美元。"),
        ("2025-02-07", "资本支出大增的同时，谷歌今年向股东返还了700亿美元。"),
        ("2025-02-07", "英伟达资本支出增加，并计划向OpenAI投资1000亿美元。"),
        ("2025-02-07", "博通CEO表示，三大客户2027年AI相关资本支出将达到600亿至900亿美元。"),
        ("2025-02-07", "科技巨头今年合计资本支出将超过3000亿美元。"),
        ("2025-01-30", "Meta发布了2024年第四季度财报。\n前面提到的650亿美元资本支出令人关注。"),
        ("2025-01-30", "Meta发布了2024年第四季度财报。\n公司资本支出将为650亿美元。"),
        ("2025-03-20", "英伟达举行大会。黄仁勋表示，到2028年数据中心资本支出将达到1万亿美元。"),
        ("2025-02-07", "亚马逊今年资本支出将增加200亿美元。"),
        ("2025-02-07", "亚马逊第四季度资本支出年化为1120亿美元。"),
        ("2025-02-07", "甲骨文资本支出飙升，公司计划今年在星际之门项目上投资1000亿美元。"),
        ("2025-02-07", "三家公司将在星际之门项目上投资5000亿美元，这将推高甲骨文今年的资本支出。"),
        ("2025-02-07", "微软、谷歌等科技巨头今年资本支出合计将超过3000亿美元。"),
        ("2025-02-07", "在激烈的市场竞争中公司预计今年资本支出将达到650亿美元。"),
    ],
)
def test_no_capex_fact(published: str, text: str) -> None:
    assert _facts(text, published) == []


def test_non_usd_capex_is_counted_not_emitted() -> None:
    result = _run("阿里巴巴本季度资本开支为317.75亿元人民币，腾讯为274.7亿元。", "2025-02-21")
    assert result.facts == []
    assert result.skipped_non_usd == 2


def test_qualifiers_are_kept() -> None:
    text = (
        "谷歌今年资本支出约为750亿美元。微软本财年资本支出将超过800亿美元。"
        "xAI今年的资本开支最多为180亿美元。"
    )
    facts = _run(text, "2025-02-07").facts
    assert [(f.company, f.qualifier, f.value_high_usd is None) for f in facts] == [
        ("GOOGL", "approx", False),
        ("MSFT", "over", True),
        ("XAI", "up_to", False),
    ]


def test_sentence_is_verbatim_with_offsets_in_the_original_text() -> None:
    text = "開場白。\n亞馬遜預計今年資本支出為１，０００億美元。\n結尾"
    (fact,) = _run(text, "2025-02-07").facts
    assert fact.sentence == "亞馬遜預計今年資本支出為１，０００億美元。"
    assert text[fact.sentence_start : fact.sentence_end] == fact.sentence
    assert fact.value_low_usd == pytest.approx(100 * B)
    assert fact.field == "body"


def test_title_stating_a_figure_is_read_like_a_sentence() -> None:
    title = "Meta预计2025年资本支出600亿至650亿美元"
    (fact,) = _run("Meta周三公布业绩。", "2025-01-30", title=title).facts
    assert (fact.field, fact.company, fact.period) == ("title", "META", "2025")
    assert title[fact.sentence_start : fact.sentence_end] == fact.sentence


def test_group_word_in_a_title_points_to_the_companies_the_body_lists() -> None:
    body = "亚马逊、微软、谷歌和Meta近日先后发布季度业绩。"
    (fact,) = _run(body, "2025-02-07", title="科技四巨头今年资本支出将超3200亿美元").facts
    assert (fact.field, fact.company, fact.period) == ("title", "AMZN+GOOGL+META+MSFT", "2025")


def test_currency_conversions_are_neither_facts_nor_skipped() -> None:
    result = _run("谷歌今年资本支出为750亿美元（约合人民币5400亿元）。", "2025-02-07")
    assert [_row(f) for f in result.facts] == [("GOOGL", "guidance", "2025", 75.0, 75.0)]
    assert result.skipped_non_usd == 0


def test_relative_words_follow_the_beijing_calendar_day() -> None:
    # 2024-12-31 20:00 UTC is already 2025-01-01 in Beijing: "今年" is 2025.
    published = datetime(2024, 12, 31, 20, 0, tzinfo=ZoneInfo("UTC"))
    result = extract(
        "特斯拉预计今年资本支出将超过110亿美元。", published_at=published, article_id="t"
    )
    assert [f.period for f in result.facts] == ["2025"]


def test_extraction_is_deterministic() -> None:
    text = "微软和谷歌上财季资本支出分别为226亿美元和143亿美元，同比增长97%。"
    assert _run(text, "2025-02-07") == _run(text, "2025-02-07")


def test_title_repeating_a_body_fact_is_emitted_once() -> None:
    body = "谷歌母公司Alphabet表示，2025年资本支出将达到750亿美元。"
    facts = _run(body, "2025-02-05", title="谷歌今年资本支出将达750亿美元").facts
    assert len(facts) == 1


def test_exact_repeats_collapse_but_revisions_stay() -> None:
    text = (
        "谷歌今年资本支出为750亿美元。重申一遍，谷歌今年资本支出为750亿美元。"
        "此前谷歌今年资本支出为700亿美元。"
    )
    facts = _run(text, "2025-02-05").facts
    assert [f.value_low_usd / B for f in facts] == [75.0, 70.0]


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (
            "2025-02-07",
            "亚马逊2024年全年资本支出为830亿美元，较2023年的484亿美元增长71%。",
            [("AMZN", "actual", "2023", "2024", 71.0)],
        ),
        (
            "2025-03-11",
            "甲骨文在2025财年第三财季的资本支出为58.6亿美元，同比增长近200%。",
            [("ORCL", "actual", "2024Q3", "2025Q3", 200.0)],
        ),
        (
            "2025-02-27",
            "英伟达第四财季资本支出为10亿美元，环比增长5%。",
            [("NVDA", "actual", "2025Q3", "2025Q4", 5.0)],
        ),
        (
            "2024-05-01",
            "Meta今年第一季度资本支出为67亿美元，同比下降6%。",
            [("META", "actual", "2023Q1", "2024Q1", -6.0)],
        ),
        (
            "2025-02-07",
            "四家公司都在扩张：微软、谷歌、亚马逊和Meta去年资本开支合计2460亿美元，"
            "比前年的1510亿美元猛增63%。",
            [("AMZN+GOOGL+META+MSFT", "actual", "2023", "2024", 63.0)],
        ),
        (
            "2024-10-31",
            "谷歌第三季度资本支出为131亿美元，环比增长2%，同比增长62%。",
            [
                ("GOOGL", "actual", "2024Q2", "2024Q3", 2.0),
                ("GOOGL", "actual", "2023Q3", "2024Q3", 62.0),
            ],
        ),
        (
            "2024-10-31",
            "Meta第三季度资本开支同比大增36%至92亿美元。",
            [("META", "actual", "2023Q3", "2024Q3", 36.0)],
        ),
        (
            "2025-05-01",
            "微軟上季資本支出達214億美元，年增53%。",
            [("MSFT", "actual", "2024Q3", "2025Q3", 53.0)],
        ),
        (
            "2025-02-27",
            "輝達第四財季資本支出為10.8億美元，季增20%。",
            [("NVDA", "actual", "2025Q3", "2025Q4", 20.0)],
        ),
    ],
)
def test_stated_growth(published: str, text: str, expected: list[tuple]) -> None:
    growth = _run(text, published).growth
    got = [(g.company, g.basis, g.from_period, g.to_period, g.growth_pct) for g in growth]
    assert got == expected


def test_growth_without_a_second_period_is_not_stated_growth() -> None:
    assert _run("谷歌资本支出为140亿美元，大增30%。", "2025-02-05").growth == []


def test_to_dict_uses_contract_field_names() -> None:
    (fact,) = _run("特斯拉预计2025年资本支出为110亿美元。", "2025-01-30").facts
    assert set(fact.to_dict()) == {
        "article_id",
        "company",
        "metric",
        "basis",
        "period",
        "value_low_usd",
        "value_high_usd",
        "qualifier",
        "sentence",
        "field",
        "sentence_start",
        "sentence_end",
        "superseded",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the figure a revision starts from is the outlook it replaced
        (
            "英特尔将2024年资本支出指引从270亿美元下调至250亿美元。",
            [("guidance", "2024", 270e8, True), ("guidance", "2024", 250e8, False)],
        ),
        (
            "微軟將本財年資本開支預期由800億美元上調到880億美元。",
            [("guidance", "2025", 800e8, True), ("guidance", "2025", 880e8, False)],
        ),
        # the old outlook may also come after the new one
        (
            "甲骨文将本财年资本支出目标上调至350亿美元，此前预期为250亿美元。",
            [("guidance", "2025", 350e8, False), ("guidance", "2025", 250e8, True)],
        ),
        # spending that rose from one year to the next replaces nothing
        (
            "特斯拉的资本支出从2023年的89亿美元提高至2024年的113亿美元。",
            [("actual", "2023", 89e8, False), ("actual", "2024", 113e8, False)],
        ),
    ],
)
def test_superseded_outlooks_are_marked(text: str, expected: list[tuple]) -> None:
    facts = _run(text, "2025-02-07").facts
    assert [(f.basis, f.period, f.value_low_usd, f.superseded) for f in facts] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an earlier forecast nobody else is named for, beside the company's new plan
        (
            "博通预计2025财年资本支出约为12亿美元，高于此前预测的9亿美元。",
            [("guidance", 12e8, False), ("guidance", 9e8, True)],
        ),
        (
            "特斯拉表示今年资本开支将超过110亿美元，低於先前預估的120億美元。",
            [("guidance", 110e8, False), ("guidance", 120e8, True)],
        ),
        # a named source keeps it the market's
        (
            "博通预计2025财年资本支出约为12亿美元，高于分析师此前预测的9亿美元。",
            [("consensus", 9e8, False)],
        ),
    ],
)
def test_an_earlier_forecast_beside_a_plan_is_the_replaced_outlook(
    text: str, expected: list[tuple]
) -> None:
    facts = _run(text, "2025-03-10").facts
    got = [(f.basis, f.value_low_usd, f.superseded) for f in facts]
    assert got[-len(expected) :] == expected


@pytest.mark.parametrize(
    ("text", "period"),
    [
        # three calendar months are the quarter ending in the last, in the company's calendar
        ("英伟达表示，公司2024年8月至10月的资本支出为8亿美元。", "2025Q3"),
        ("甲骨文上一财季（2024年9月至11月）资本支出为40亿美元。", "2025Q2"),
        ("Alphabet在2024年10月—12月的资本開支為143億美元。", "2024Q4"),
        # a date in brackets only dates the quarter already named
        ("微软上一财季（截至2024年12月31日）的资本支出为158亿美元。", "2025Q2"),
        # twelve months are a fiscal year
        ("Meta在2024年1月至12月的资本支出为392亿美元。", "2024"),
    ],
)
def test_calendar_months_name_a_fiscal_period(text: str, period: str) -> None:
    (fact,) = _run(text, "2025-02-05").facts
    assert fact.period == period


def test_a_span_of_calendar_months_that_is_no_period_is_skipped() -> None:
    assert _run("特斯拉2024年1月至6月的资本支出为50亿美元。", "2025-02-05").facts == []


def test_a_date_is_not_a_fiscal_year() -> None:
    (fact,) = _run("亚马逊2024年12月宣布，2025年资本支出将达到1000亿美元。", "2025-02-05").facts
    assert (fact.basis, fact.period) == ("guidance", "2025")
