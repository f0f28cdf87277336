"""Company aliases, enumerations and the extensible company table."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract
from pipelines.extract.companies import default_table, find_mentions, group_id, load_table
from pipelines.extract.normalize import normalize


def _tickers(text: str) -> list[tuple[str, ...]]:
    norm = normalize(text)
    return [m.tickers for m in find_mentions(norm, 0, len(norm), default_table()) if m.tickers]


@pytest.mark.parametrize(
    ("text", "ticker"),
    [
        ("谷歌母公司Alphabet周二发布财报", "GOOGL"),
        ("Google的云业务", "GOOGL"),
        ("脸书母公司", "META"),
        ("Facebook的广告", "META"),
        ("亞馬遜雲端", "AMZN"),
        ("AWS的营收", "AMZN"),
        ("微軟股價", "MSFT"),
        ("輝達新晶片", "NVDA"),
        ("英伟达的GPU", "NVDA"),
        ("甲骨文的数据中心", "ORCL"),
        ("台積電擴產", "TSM"),
        ("Tesla的工厂", "TSLA"),
        ("苹果手机", "AAPL"),
        ("阿里巴巴云业务", "BABA"),
        ("CoreWeave上市", "CRWV"),
    ],
)
def test_alias_resolves_to_ticker(text: str, ticker: str) -> None:
    assert _tickers(text) == [(ticker,)]


def test_english_alias_needs_a_word_boundary() -> None:
    assert _tickers("Metaverse和Metadata") == []


def test_adjacent_names_become_one_enumeration_in_text_order() -> None:
    assert _tickers("亚马逊、微软以及谷歌的报告") == [("AMZN", "MSFT", "GOOGL")]


def test_group_id_sorts_members() -> None:
    assert group_id(["MSFT", "META", "AMZN"]) == "AMZN+META+MSFT"


def test_a_company_added_to_the_table_is_recognised(tmp_path: Path) -> None:
    table_file = tmp_path / "companies.toml"
    table_file.write_text(
        '[[company]]\nticker = "ACME"\nfiscal_year_end_month = 3\naliases = ["艾克米", "Acme"]\n',
        encoding="utf-8",
    )
    table = load_table(table_file)
    norm = normalize("艾克米公司和Acme")
    mentions = find_mentions(norm, 0, len(norm), table)
    assert mentions[0].tickers == ("ACME",)
    assert table.fiscal_year_end_month("ACME") == 3


def test_default_table_carries_fiscal_calendars() -> None:
    table = default_table()
    assert table.fiscal_year_end_month("MSFT") == 6
    assert table.fiscal_year_end_month("AAPL") == 9
    assert table.fiscal_year_end_month("NVDA") == 1
    assert table.fiscal_year_end_month("ORCL") == 5
    assert table.fiscal_year_end_month("AMZN+MSFT") == 12


def test_fiscal_calendar_of_the_company_dates_its_quarter() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    published = datetime(2025, 5, 29, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    result = extract("英伟达上一财季的资本支出为10亿美元。", published_at=published, article_id="a")
    assert [(f.company, f.period) for f in result.facts] == [("NVDA", "2026Q1")]
