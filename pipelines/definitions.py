"""The Dagster code location: every asset from the article listing to the SQL models.

Cross-cutting policy lives here, once: the main job, its retry policy, and its schedule.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg

from pipelines.defs.facts import assets as facts_assets
from pipelines.defs.ingest import assets as ingest_assets
from pipelines.defs.models.assets import model_assets
from pipelines.defs.parse import assets as parse_assets
from pipelines.defs.resources import default_resources

BEIJING = ZoneInfo("Asia/Shanghai")

all_assets = [
    *dg.load_assets_from_modules([ingest_assets, parse_assets, facts_assets]),
    *model_assets(),
]

# Transient failures (a busy warehouse, a flaky network) are worth two more tries.
retry_policy = dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL)

capex_pipeline = dg.define_asset_job(
    "capex_pipeline",
    selection=dg.AssetSelection.all(),
    op_retry_policy=retry_policy,
    description="Ingest a Beijing day's articles, then parse, extract, load and rebuild models.",
)


@dg.schedule(
    job=capex_pipeline,
    cron_schedule="*/15 * * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
def ingest_today(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Every 15 minutes, pick up what was published today (Beijing time)."""
    day = context.scheduled_execution_time.astimezone(BEIJING).date().isoformat()
    return dg.RunRequest(
        run_key=f"{day}@{context.scheduled_execution_time.isoformat()}", partition_key=day
    )


def today_partition(now: datetime | None = None) -> str:
    return (now or datetime.now(BEIJING)).astimezone(BEIJING).date().isoformat()


defs = dg.Definitions(
    assets=all_assets,
    asset_checks=dg.load_asset_checks_from_modules([ingest_assets, parse_assets, facts_assets]),
    jobs=[capex_pipeline],
    schedules=[ingest_today],
    resources=default_resources(),
)
