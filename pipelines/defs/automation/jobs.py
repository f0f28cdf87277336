"""The jobs that schedules and sensors launch, and the retry policy every job shares."""

from __future__ import annotations

import dagster as dg

# Transient failures (a warehouse busy past the lock wait, a flaky network) are worth two
# more tries, 10 s then 20 s later; a step that fails for good says so with allow_retries.
transient_failure_retries = dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL)

# Ingestion only: the listing and the archived pages for one Beijing day. Everything
# downstream refreshes on its own when these land (see conditions.py), so a schedule tick
# that finds nothing new costs two small steps and no model rebuild.
ingest_job = dg.define_asset_job(
    "ingest",
    selection=dg.AssetSelection.groups("ingest"),
    op_retry_policy=transient_failure_retries,
    description="List and archive a Beijing day's articles; downstream assets follow.",
)
