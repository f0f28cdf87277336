"""The two external systems the assets touch: the article source and the warehouse.

Both are configured from environment variables (or the launchpad), so the same code runs
against Sina, a folder of saved pages, or a loopback test server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.ingest.archive import RawArchive
from pipelines.ingest.settings import IngestSettings, parse_channels, parse_hosts
from pipelines.sources import SourceConfig
from pipelines.warehouse.db import open_warehouse

DEFAULT_WAREHOUSE = "warehouse/capex.duckdb"


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file and the raw page archive kept beside it."""

    path: str = DEFAULT_WAREHOUSE
    archive_dir: str = ""  # default: the `raw` folder beside the warehouse file

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with open_warehouse(self.path) as con:
            yield con

    def archive(self) -> RawArchive:
        root = Path(self.archive_dir) if self.archive_dir else Path(self.path).parent / "raw"
        return RawArchive(root)


class ArticleSourceResource(dg.ConfigurableResource):
    """Where articles come from: `live` (Sina), `samples` (shipped pages) or `archive` (a folder).

    Empty live settings fall back to the CAPEX_* environment variables, then to defaults.
    """

    kind: str = "live"
    archive_path: str = ""
    roll_url: str = ""
    channels: str = ""  # "153:2518,384:2672"
    allowed_hosts: str = ""  # "sina.com.cn,sina.cn"
    concurrency: int = 0
    rate_limit: float = 0.0
    timeout: float = 0.0

    def config(self) -> SourceConfig:
        overrides: dict[str, object] = {}
        if self.roll_url:
            overrides["roll_url"] = self.roll_url
        if self.channels:
            overrides["channels"] = parse_channels(self.channels)
        if self.allowed_hosts:
            overrides["allowed_hosts"] = parse_hosts(self.allowed_hosts)
        for name in ("concurrency", "rate_limit", "timeout"):
            if getattr(self, name):
                overrides[name] = getattr(self, name)
        return SourceConfig(
            kind=self.kind,  # type: ignore[arg-type]
            folder=Path(self.archive_path) if self.archive_path else None,
            settings=IngestSettings.from_env(**overrides),
        )


def default_resources() -> dict[str, dg.ConfigurableResource]:
    """Resources as the environment configures them; `capex run` passes its own."""
    return {
        "source": ArticleSourceResource(
            kind=os.environ.get("CAPEX_SOURCE", "live"),
            archive_path=os.environ.get("CAPEX_ARCHIVE", ""),
        ),
        "warehouse": WarehouseResource(path=os.environ.get("CAPEX_WAREHOUSE", DEFAULT_WAREHOUSE)),
    }
