"""Normalisation and segmentation: offsets must survive, so quoted sentences stay verbatim."""

from __future__ import annotations

import pytest

from pipelines.extract.normalize import normalize
from pipelines.extract.segment import clauses, sentences


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("資本開支為１５８億美元", "资本开支为158亿美元"),
        ("微軟預計本財年", "微软预计本财年"),
        ("７００－７２０億美元", "700-720亿美元"),
        ("９１０億—９３０億", "910亿-930亿"),
        ("增長１２％，", "增长12%，"),
        ("亞馬遜、輝達和臺積電", "亚马逊、辉达和台积电"),
        ("ＦａｃｔＳｅｔ的數據：", "FactSet的数据："),
    ],
)
def test_normalize_maps_to_half_width_simplified(original: str, expected: str) -> None:
    assert normalize(original) == expected


@pytest.mark.parametrize("text", ["", "abc", "　全角空格　", "資本支出\n第二段", "😀𠀀財年"])
def test_normalize_keeps_every_offset(text: str) -> None:
    assert len(normalize(text)) == len(text)


def test_sentences_cut_at_stops_and_keep_closing_quotes() -> None:
    text = "他说：“投资会继续。”随后股价上涨！\n  第二段没有句号"
    spans = sentences(text)
    assert [text[s.start : s.end] for s in spans] == [
        "他说：“投资会继续。”",
        "随后股价上涨！",
        "第二段没有句号",
    ]


def test_semicolons_end_sentences_but_decimal_points_do_not() -> None:
    text = "首先是服务器，约12.5亿美元；其次是数据中心。"
    assert [text[s.start : s.end] for s in sentences(text)] == [
        "首先是服务器，约12.5亿美元；",
        "其次是数据中心。",
    ]


def test_clauses_do_not_split_thousands_separators() -> None:
    text = "公司表示，今年将投入1,000亿美元，远超去年。"
    (sentence,) = sentences(text)
    parts = [text[c.start : c.end] for c in clauses(text, sentence)]
    assert parts == ["公司表示，", "今年将投入1,000亿美元，", "远超去年。"]
