"""The Dagster code location: every asset from the article listing to the SQL models.

Cross-cutting policy lives here, once: the main job and its retry policy. When things run
(schedule, inbox sensor, declarative automation) is in pipelines/defs/automation.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import dagster as dg

from pipelines.defs.automation import (
    automation_sensor,
    inbox_sensor,
    ingest_job,
    ingest_today,
    transient_failure_retries,
    with_input_driven_automation,
)
from pipelines.defs.facts import assets as facts_assets
from pipelines.defs.ingest import assets as ingest_assets
from pipelines.defs.models.assets import model_assets
from pipelines.defs.parse import assets as parse_assets
from pipelines.defs.reports import assets as report_assets
from pipelines.defs.resources import default_resources

BEIJING = ZoneInfo("Asia/Shanghai")

all_assets = [
    *dg.load_assets_from_modules([ingest_assets, parse_assets, facts_assets]),
    *model_assets(),
    *dg.load_assets_from_modules([report_assets]),
]

retry_policy = transient_failure_retries

capex_pipeline = dg.define_asset_job(
    "capex_pipeline",
    selection=dg.AssetSelection.all(),
    op_retry_policy=retry_policy,
    description="Ingest a Beijing day's articles, then parse, extract, load and rebuild models.",
)


defs = dg.Definitions(
    assets=with_input_driven_automation(all_assets),
    asset_checks=dg.load_asset_checks_from_modules([ingest_assets, parse_assets, facts_assets]),
    jobs=[capex_pipeline, ingest_job],
    schedules=[ingest_today],
    sensors=[inbox_sensor, automation_sensor],
    resources=default_resources(),
    # Every step writes the one DuckDB file, so steps never run side by side anyway; one
    # process per run instead of one per step saves seconds of start-up on each step.
    executor=dg.in_process_executor,
)
