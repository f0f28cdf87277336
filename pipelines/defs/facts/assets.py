"""Extraction: article text → capex facts and stated growth, each with its sentence."""

import dagster as dg

from pipelines.defs.metadata import table_metadata
from pipelines.defs.resources import WarehouseResource
from pipelines.warehouse.loading import code_version, extract_pending


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            "capex_facts",
            deps=["articles"],
            description="One row per capex figure an article states: company, period, basis "
            "(actual, guidance, consensus), value in US dollars, the sentence it came from "
            "with its offsets, and the article's url and publication time.",
            group_name="facts",
            kinds={"python", "polars", "duckdb"},
            automation_condition=dg.AutomationCondition.eager(),
        ),
        dg.AssetSpec(
            "capex_stated_growth",
            deps=["articles"],
            description="One row per capex growth rate an article states (飙升63%), with the "
            "two periods it compares: used to check the warehouse's own arithmetic.",
            group_name="facts",
            kinds={"python", "polars", "duckdb"},
            automation_condition=dg.AutomationCondition.eager(),
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            "values_well_formed",
            asset="capex_facts",
            description="Values are non-negative, low ≤ high, and every fact keeps its sentence.",
            blocking=True,
        )
    ],
    pool="warehouse",
)
def capex_facts(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Read every article whose text or extractor changed and replace its facts atomically."""
    extractor_version = code_version("pipelines.extract")
    with warehouse.connect() as con:
        summary = extract_pending(con, extractor_version)
        bad = con.execute(
            """
            select count(*) from capex_facts
            where value_low_usd < 0
               or value_high_usd < value_low_usd
               or coalesce(trim(sentence), '') = ''
            """
        ).fetchone()[0]
        facts_metadata = table_metadata(con, "capex_facts")
        growth_metadata = table_metadata(con, "capex_stated_growth")
    context.log.info(
        f"read {summary.articles_read} articles: {summary.facts} facts, {summary.growth} growth"
    )
    yield dg.MaterializeResult(
        asset_key="capex_facts",
        metadata={
            **facts_metadata,
            "articles_read_this_run": summary.articles_read,
            "extractor_version": extractor_version,
        },
    )
    yield dg.MaterializeResult(asset_key="capex_stated_growth", metadata=growth_metadata)
    yield dg.AssetCheckResult(
        check_name="values_well_formed",
        asset_key="capex_facts",
        passed=bad == 0,
        metadata={"malformed_rows": bad},
    )
