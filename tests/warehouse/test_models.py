"""The SQL models answer from facts loaded into a real DuckDB warehouse."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from pipelines.warehouse.db import insert_frame, open_warehouse, transaction
from pipelines.warehouse.loading import FACT_SCHEMA
from pipelines.warehouse.models import build_model, in_build_order, load_models, tables_read

BILLION = 1e9


def fact(
    article_id: str,
    company: str,
    basis: str,
    period: str,
    low: float,
    high: float | None = None,
    *,
    index: int = 0,
    day: int = 7,
) -> dict:
    return {
        "article_id": article_id,
        "fact_index": index,
        "company": company,
        "metric": "capex",
        "basis": basis,
        "period": period,
        "value_low_usd": low * BILLION,
        "value_high_usd": (high if high is not None else low) * BILLION,
        "qualifier": "exact" if high is None else "range",
        "sentence": f"{company} {period} {low}",
        "field": "body",
        "sentence_start": 0,
        "sentence_end": 10,
        "url": f"https://finance.sina.com.cn/{article_id}.shtml",
        "published_at": datetime(2025, 2, day, 12, tzinfo=UTC),
    }


@pytest.fixture
def warehouse(tmp_path: Path):
    with open_warehouse(tmp_path / "w.duckdb") as con:
        yield con


def build(con, rows: list[dict]) -> None:
    with transaction(con):
        insert_frame(con, "capex_facts", pl.DataFrame(rows, schema=FACT_SCHEMA))
    for model in in_build_order(load_models()):
        build_model(con, model)


def test_lineage_is_read_from_the_sql() -> None:
    assert tables_read("with a as (select * from x) select * from a join y using (k)") == (
        "x",
        "y",
    )
    by_name = {model.name: model.upstream for model in load_models()}
    assert by_name["stg_capex_facts"] == ("capex_facts",)
    assert by_name["capex_yoy"] == ("capex_facts_consolidated",)


def test_yoy_growth_for_years_and_quarters(warehouse) -> None:
    build(
        warehouse,
        [
            fact("a1", "AMZN+GOOGL+META+MSFT", "actual", "2024", 246, index=0),
            fact("a1", "AMZN+GOOGL+META+MSFT", "actual", "2023", 151, index=1),
            fact("a1", "AMZN+GOOGL+META+MSFT", "guidance", "2025", 320, index=2),
            fact("a2", "AMZN", "actual", "2024Q4", 27.8, index=0),
            fact("a2", "AMZN", "actual", "2023Q4", 14.6, index=1),
            fact("a2", "AMZN", "actual", "2024Q3", 22.6, index=2),
        ],
    )
    rows = {
        (company, period): (prior, growth)
        for company, period, prior, growth in warehouse.execute(
            "select company, period, prior_period, growth from capex_yoy"
        ).fetchall()
    }
    prior, growth = rows[("AMZN+GOOGL+META+MSFT", "2024")]
    assert prior == "2023" and growth == pytest.approx(0.629, abs=0.001)
    prior, growth = rows[("AMZN", "2024Q4")]
    assert prior == "2023Q4" and growth == pytest.approx(0.904, abs=0.001)
    # A quarter is never compared with a year, nor with a different quarter; guidance is no actual.
    assert set(rows) == {("AMZN+GOOGL+META+MSFT", "2024"), ("AMZN", "2024Q4")}


def test_consolidation_keeps_disagreeing_values_side_by_side(warehouse) -> None:
    build(
        warehouse,
        [
            fact("a1", "GOOGL", "guidance", "2025", 75, day=5),
            fact("a2", "GOOGL", "guidance", "2025", 75, day=6),
            fact("a3", "GOOGL", "guidance", "2025", 70, day=7),
            fact("a1", "GOOGL", "guidance", "2025Q1", 16, 18, index=1),
        ],
    )
    row = warehouse.execute(
        """
        select value_usd, article_count, statement_count, distinct_value_count,
               values_disagree, len(stated_values)
        from capex_facts_consolidated where company = 'GOOGL' and period = '2025'
        """
    ).fetchone()
    assert row == (75 * BILLION, 2, 3, 2, True, 2)
    low, high, mid, disagree = warehouse.execute(
        """
        select value_low_usd, value_high_usd, value_usd, values_disagree
        from capex_facts_consolidated where period = '2025Q1'
        """
    ).fetchone()
    assert (low, high, mid, disagree) == (16 * BILLION, 18 * BILLION, 17 * BILLION, False)
