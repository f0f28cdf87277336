"""The SQL models answer from hand-made facts loaded into a real DuckDB warehouse.

Each test builds every model over a few facts (about 0.1 s each) to pin one rule an analyst
relies on: what is compared with what, and what is never averaged away.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.warehouse.db import open_warehouse
from pipelines.warehouse.models import load_models, tables_read
from tests.warehouse.facts import BILLION, build, fact, rows, stated_growth

GROUP = "AMZN+GOOGL+META+MSFT"


@pytest.fixture
def warehouse(tmp_path: Path):
    with open_warehouse(tmp_path / "w.duckdb") as con:
        yield con


def test_lineage_is_read_from_the_sql() -> None:
    assert tables_read("with a as (select * from x) select * from a join y using (k)") == (
        "x",
        "y",
    )
    # Subqueries, set operations and schema-qualified names count; CTEs anywhere do not.
    assert tables_read(
        "select * from main.x where k in (select k from y) "
        "union all (with z as (select * from w) select * from z)"
    ) == ("w", "x", "y")
    by_name = {model.name: model.upstream for model in load_models()}
    assert by_name["stg_capex_facts"] == ("capex_facts",)
    assert by_name["stg_capex_stated_growth"] == ("capex_stated_growth",)
    assert by_name["capex_yoy"] == ("capex_facts_consolidated",)
    assert by_name["capex_guidance_revisions"] == ("stg_capex_facts",)
    # Marts read staging or other models, never the raw tables.
    raw = {"capex_facts", "capex_stated_growth", "articles", "raw_pages", "article_index"}
    for name, upstream in by_name.items():
        if not name.startswith("stg_"):
            assert not raw & set(upstream), name


def test_a_model_duckdb_cannot_read_is_named(tmp_path: Path) -> None:
    (tmp_path / "broken.sql").write_text("selec * from capex_facts")
    with pytest.raises(ValueError, match=r"broken\.sql.*syntax error"):
        load_models(tmp_path)


def test_yoy_growth_for_years_and_quarters(warehouse) -> None:
    build(
        warehouse,
        [
            fact("a1", GROUP, "actual", "2024", 246, index=0),
            fact("a1", GROUP, "actual", "2023", 151, index=1),
            fact("a1", GROUP, "guidance", "2025", 320, index=2),
            fact("a2", "AMZN", "actual", "2024Q4", 27.8, index=0),
            fact("a2", "AMZN", "actual", "2023Q4", 14.6, index=1),
            fact("a2", "AMZN", "actual", "2024Q3", 22.6, index=2),
            fact("a2", "AMZN", "actual", "2023", 48.4, index=3),
        ],
    )
    found = {
        (row["company"], row["period"]): row for row in rows(warehouse, "select * from capex_yoy")
    }
    group = found[(GROUP, "2024")]
    assert group["prior_period"] == "2023" and group["growth"] == pytest.approx(0.629, abs=0.001)
    amazon = found[("AMZN", "2024Q4")]
    assert amazon["prior_period"] == "2023Q4"
    assert amazon["growth"] == pytest.approx(0.904, abs=0.001)
    # A quarter is never compared with a year, nor with a different quarter; guidance is no actual.
    assert set(found) == {(GROUP, "2024"), ("AMZN", "2024Q4")}


def test_consolidation_keeps_disagreeing_values_side_by_side(warehouse) -> None:
    build(
        warehouse,
        [
            fact("a1", "GOOGL", "consensus", "2025", 58.8, day=5),
            fact("a2", "GOOGL", "consensus", "2025", 58.8, day=6),
            fact("a3", "GOOGL", "consensus", "2025", 57.9, day=7),
            fact("a1", "GOOGL", "guidance", "2025Q1", 16, 18, index=1),
        ],
    )
    consensus = rows(
        warehouse,
        "select * from capex_facts_consolidated where basis = 'consensus' and period = '2025'",
    )[0]
    # The value most articles state leads; the other is kept, and the row is flagged.
    assert consensus["value_usd"] == 58.8 * BILLION
    assert (consensus["article_count"], consensus["statement_count"]) == (2, 3)
    assert consensus["values_disagree"] and consensus["distinct_value_count"] == 2
    assert [v["value_usd"] for v in consensus["stated_values"]] == [58.8 * BILLION, 57.9 * BILLION]
    assert (consensus["lowest_stated_usd"], consensus["highest_stated_usd"]) == (
        57.9 * BILLION,
        58.8 * BILLION,
    )
    quarter = rows(warehouse, "select * from capex_facts_consolidated where period = '2025Q1'")[0]
    assert (quarter["value_low_usd"], quarter["value_high_usd"], quarter["value_usd"]) == (
        16 * BILLION,
        18 * BILLION,
        17 * BILLION,
    )
    assert not quarter["values_disagree"]


def test_the_latest_guidance_is_the_headline_even_when_fewer_articles_state_it(warehouse) -> None:
    build(
        warehouse,
        [
            fact("a1", "GOOGL", "guidance", "2025", 75, day=5),
            fact("a2", "GOOGL", "guidance", "2025", 75, day=6),
            fact("a3", "GOOGL", "guidance", "2025", 75, index=0, day=20),
            fact("a3", "GOOGL", "guidance", "2025", 85, index=1, day=20),
        ],
    )
    row = rows(warehouse, "select * from capex_facts_consolidated")[0]
    assert row["value_usd"] == 85 * BILLION and row["values_disagree"]
    assert row["article_count"] == 1 and row["statement_count"] == 4


def test_guided_growth_compares_guidance_with_the_actual_just_before(warehouse) -> None:
    build(
        warehouse,
        [
            fact("a1", "AMZN", "actual", "2024", 83),
            fact("a1", "AMZN", "guidance", "2025", 100, index=1),
            fact("a2", "GOOGL", "actual", "2024Q4", 14.0),
            fact("a2", "GOOGL", "guidance", "2025Q1", 16, 18, index=1),
            fact("a2", "GOOGL", "actual", "2024", 52.5, index=2),
            fact("a3", GROUP, "actual", "2024", 246),
            fact("a3", GROUP, "guidance", "2025", 320, index=1, open_ended=True),
            # no 2024 actual for Meta: nothing to compare its guidance with
            fact("a4", "META", "guidance", "2025", 60, 65),
        ],
    )
    found = {
        (row["company"], row["period"]): row
        for row in rows(warehouse, "select * from capex_guided_growth")
    }
    assert set(found) == {("AMZN", "2025"), ("GOOGL", "2025Q1"), (GROUP, "2025")}
    amazon = found[("AMZN", "2025")]
    assert amazon["prior_period"] == "2024" and amazon["growth"] == pytest.approx(0.205, abs=0.001)
    # A quarter's guidance meets the quarter before, never the year; a range keeps its bounds.
    alphabet = found[("GOOGL", "2025Q1")]
    assert alphabet["prior_period"] == "2024Q4"
    assert alphabet["growth_low"] == pytest.approx(16 / 14 - 1)
    assert alphabet["growth_high"] == pytest.approx(18 / 14 - 1)
    # "Over 320 bn" is a lower bound: growth of at least 30%, no upper end.
    group = found[(GROUP, "2025")]
    assert group["is_lower_bound"] and group["growth_high"] is None
    assert group["growth"] == pytest.approx(320 / 246 - 1)


def test_surprise_keeps_every_consensus_source_visible(warehouse) -> None:
    build(
        warehouse,
        [
            fact("a1", "AMZN", "actual", "2024Q4", 27.8),
            fact("a1", "AMZN", "consensus", "2024Q4", 22.3, index=1),
            fact("a2", "GOOGL", "actual", "2024Q4", 14.0),
            fact("a2", "GOOGL", "consensus", "2024Q4", 13.26, index=1),
            fact("a3", "GOOGL", "guidance", "2025", 75),
            fact("a3", "GOOGL", "consensus", "2025", 58.8, index=1),
            fact("a4", "GOOGL", "consensus", "2025", 57.9),
            # a consensus for another period is not this quarter's expectation
            fact("a5", "META", "actual", "2024Q4", 14.8),
            fact("a5", "META", "consensus", "2025Q1", 15.0, index=1),
        ],
    )
    found = {
        (row["company"], row["basis"], row["period"]): row
        for row in rows(warehouse, "select * from capex_surprise")
    }
    assert set(found) == {
        ("AMZN", "actual", "2024Q4"),
        ("GOOGL", "actual", "2024Q4"),
        ("GOOGL", "guidance", "2025"),
    }
    amazon = found[("AMZN", "actual", "2024Q4")]
    assert amazon["surprise"] == pytest.approx(0.247, abs=0.001)
    assert amazon["versus_consensus"] == "above"
    assert found[("GOOGL", "actual", "2024Q4")]["surprise"] == pytest.approx(14 / 13.26 - 1)
    plan = found[("GOOGL", "guidance", "2025")]
    assert plan["consensus_values_disagree"] and plan["consensus_value_count"] == 2
    assert plan["surprise_low"] == pytest.approx(75 / 58.8 - 1)
    assert plan["surprise_high"] == pytest.approx(75 / 57.9 - 1)


def test_guidance_revisions_follow_publication_then_text_order(warehouse) -> None:
    build(
        warehouse,
        [
            # published later, stated first in the list: order comes from the articles
            fact("b2", "GOOGL", "guidance", "2025", 75, index=0, day=24),
            fact("b2", "GOOGL", "guidance", "2025", 85, index=1, day=24),
            fact("b2", "GOOGL", "guidance", "2025", 85, index=2, day=24),
            fact("b1", "GOOGL", "guidance", "2025", 75, day=5),
            fact("b3", "GOOGL", "guidance", "2025", 80, day=26),
            fact("b3", "GOOGL", "guidance", "2026", 90, index=1, day=26),
        ],
    )
    steps = rows(
        warehouse,
        "select article_id, fact_index, guidance_usd, change_usd, direction "
        "from capex_guidance_revisions where period = '2025' order by revision_number",
    )
    assert [(s["article_id"], s["guidance_usd"] / BILLION, s["direction"]) for s in steps] == [
        ("b1", 75, "initial"),
        ("b2", 75, "reiterated"),
        ("b2", 85, "raised"),
        ("b3", 80, "lowered"),
    ]
    assert steps[2]["change_usd"] == 10 * BILLION and steps[3]["change_usd"] == -5 * BILLION
    other = rows(warehouse, "select direction from capex_guidance_revisions where period = '2026'")
    assert other == [{"direction": "initial"}]


def test_an_outlook_replaced_in_the_same_sentence_comes_first_and_never_heads(
    warehouse,
) -> None:
    # "cut its 2023 plan to 30 bn from 34 bn": the new figure is stated before the old one
    build(
        warehouse,
        [
            fact("c1", "META", "guidance", "2023", 30, index=0, day=3),
            fact("c1", "META", "guidance", "2023", 34, index=1, day=3, superseded=True),
        ],
    )
    steps = rows(
        warehouse,
        "select guidance_usd, direction from capex_guidance_revisions order by revision_number",
    )
    assert [(s["guidance_usd"] / BILLION, s["direction"]) for s in steps] == [
        (34, "initial"),
        (30, "lowered"),
    ]
    (row,) = rows(warehouse, "select value_usd, values_disagree from capex_facts_consolidated")
    assert row == {"value_usd": 30 * BILLION, "values_disagree": True}


@pytest.mark.parametrize(
    ("stated_pct", "status"),
    [(63.0, "agrees"), (62.0, "agrees"), (60.0, "disagrees"), (70.0, "disagrees")],
)
def test_reconciliation_flags_stated_growth_beyond_rounding(
    warehouse, stated_pct: float, status: str
) -> None:
    build(
        warehouse,
        [
            fact("a1", GROUP, "actual", "2024", 246),
            fact("a1", GROUP, "actual", "2023", 151, index=1),
        ],
        [stated_growth("a1", GROUP, "2023", "2024", stated_pct)],
    )
    row = rows(warehouse, "select * from capex_growth_reconciliation")[0]
    assert row["computed_growth"] == pytest.approx(0.629, abs=0.001)
    assert row["status"] == status


def test_reconciliation_without_both_figures_is_unverifiable(warehouse) -> None:
    build(
        warehouse,
        [fact("a1", "MSFT", "actual", "2024", 55.7)],
        [stated_growth("a1", "MSFT", "2023", "2024", 58.0)],
    )
    row = rows(warehouse, "select status, computed_growth from capex_growth_reconciliation")[0]
    assert row == {"status": "unverifiable", "computed_growth": None}
