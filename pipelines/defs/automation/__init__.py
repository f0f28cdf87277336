"""When things run: the ingestion schedule, the inbox sensor and declarative automation."""

from pipelines.defs.automation.conditions import with_input_driven_automation
from pipelines.defs.automation.jobs import ingest_job, transient_failure_retries
from pipelines.defs.automation.schedules import ingest_today
from pipelines.defs.automation.sensors import automation_sensor, inbox_sensor

__all__ = [
    "automation_sensor",
    "inbox_sensor",
    "ingest_job",
    "ingest_today",
    "transient_failure_retries",
    "with_input_driven_automation",
]
