"""Sensors: the inbox folder, and the one that runs declarative automation under the daemon."""

from __future__ import annotations

import os
from datetime import datetime

import dagster as dg

from pipelines.defs.automation.inbox import (
    change_key,
    changed_entries,
    decode_cursor,
    encode_cursor,
    inbox_dir,
    inbox_versions,
)
from pipelines.defs.automation.jobs import ingest_job
from pipelines.defs.automation.schedules import BEIJING, beijing_day

INBOX_INTERVAL_SECONDS = 30


def automation_interval_seconds() -> int:
    """How often downstream assets are checked for changed inputs: CAPEX_AUTOMATION_SECONDS."""
    return int(os.environ.get("CAPEX_AUTOMATION_SECONDS") or 30)


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=INBOX_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Ingests the articles saved in the inbox folder (CAPEX_INBOX, default "
    "warehouse/inbox) whenever a file there is new or has changed.",
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    folder = inbox_dir()
    if not folder.is_dir():
        return dg.SkipReason(f"no inbox folder at {folder.resolve()}: create it to use it")
    seen = decode_cursor(context.cursor)
    current = inbox_versions(folder)
    changed = changed_entries(seen, current)
    if not changed:
        return dg.SkipReason(f"nothing new among {len(current)} articles in {folder}")
    # A folder source lists everything it holds, filed under the day it is read.
    day = beijing_day(datetime.now(BEIJING))
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"inbox:{change_key(current, changed)}",
                partition_key=day,
                run_config={
                    "resources": {
                        "source": {
                            "config": {"kind": "archive", "archive_path": str(folder.resolve())}
                        }
                    }
                },
                tags={"capex/trigger": "inbox", "capex/changed": str(len(changed))},
            )
        ],
        cursor=encode_cursor(current),
    )


# Dagster's own default automation sensor starts stopped; this one is on from the start, so
# `dagster dev` refreshes downstream assets without anyone visiting the Automation page.
automation_sensor = dg.AutomationConditionSensorDefinition(
    "capex_automation",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=automation_interval_seconds(),
    description="Refreshes facts and models when the assets they read change.",
)
