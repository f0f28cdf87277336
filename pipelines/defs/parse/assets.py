"""Parsing: archived page bytes → clean articles."""

import dagster as dg

from pipelines.defs.metadata import table_metadata
from pipelines.defs.resources import WarehouseResource
from pipelines.warehouse.loading import code_version, pages_to_parse, parse_pages


@dg.asset(
    deps=["raw_pages"],
    group_name="parse",
    kinds={"python", "duckdb"},
    pool="warehouse",
    automation_condition=dg.AutomationCondition.eager(),
    check_specs=[
        dg.AssetCheckSpec(
            "parse_failures",
            asset="articles",
            description="Archived pages that could not be parsed (kept, with the reason, in "
            "the failures table). Warns, because one odd page must not block the rest.",
        )
    ],
)
def articles(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """One row per article: id, url, title, publication time (Asia/Shanghai), source and
    clean body text. Only pages whose bytes or parser changed since the last run are read."""
    parser_version = code_version("pipelines.parse")
    archive = warehouse.archive()
    with warehouse.connect() as con:
        pending = pages_to_parse(con, parser_version)
        summary = parse_pages(con, (archive.get(i) for i in pending), parser_version)
        failed_total = con.execute(
            "select count(*) from failures where stage = 'parse'"
        ).fetchone()[0]
        metadata = table_metadata(con, "articles")
    context.log.info(f"parsed {summary.parsed} pages, {summary.failed} could not be parsed")
    yield dg.MaterializeResult(
        metadata={
            **metadata,
            "parsed_this_run": summary.parsed,
            "failed_this_run": summary.failed,
            "parser_version": parser_version,
        }
    )
    yield dg.AssetCheckResult(
        check_name="parse_failures",
        asset_key="articles",
        passed=failed_total == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "failed_pages": failed_total,
            "reasons": dg.MetadataValue.json(
                [{"article_id": f["article_id"], "reason": f["reason"]} for f in summary.failures]
            ),
        },
    )
