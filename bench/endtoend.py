"""The whole pipeline over a loopback Sina: a full run, then the same run with nothing new.

The replay server runs here; the pipeline runs in a child process (`python -m bench.endtoend
...`), so its wall time and peak RSS are its own and the server's work is not counted in
them. The child calls `run_pipeline`, the function behind `capex run --date D --until E`,
once for the whole range of Beijing days, as a backfill does: the run lists each day through
the roll API, fetches and archives the new pages, parses, extracts, loads and rebuilds the
SQL models. With nothing new, it stops after the listing.

Articles are the benchmark bodies cycled under new ids, ARTICLES_PER_DAY to a day, at a
steady pace through each day, served as full ~100 KB pages.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.corpus import PAGE_WEIGHT_KB, REPO_ROOT, Body
from tests.support.replay_server import BEIJING, ReplayArticle, ReplayServer, _Site

# Sina's US-stock channel lists a few hundred articles a day; a thousand leaves headroom
# and stays within what one day's listing pages through (40 pages of 50).
ARTICLES_PER_DAY = 1000
FIRST_DAY = date(2025, 3, 3)
CHANNEL = (153, 2518)
# A pace the loopback site never reaches, and the crawler's own two connections (more only
# queue up in the single-process test server).
RATE_LIMIT = 10_000.0
CONCURRENCY = 2


@dataclass(frozen=True)
class RunFigures:
    """One child process: the pipeline over some days, as measured from outside and inside."""

    articles: int
    days: int
    wall_seconds: float  # the child process, from start to exit (imports included)
    pipeline_seconds: float  # the run_pipeline calls alone
    cpu_seconds: float  # the child's user + system CPU time: less swayed by other work
    peak_rss_bytes: int
    page_requests: int
    list_requests: int
    counts: dict[str, int]  # rows per table after the run
    code_versions: dict[str, str]  # parser and extractor versions the run used

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.pipeline_seconds if self.pipeline_seconds else 0.0


@dataclass(frozen=True)
class ScaleFigures:
    full: RunFigures
    rerun: RunFigures


class _IndexedSite(_Site):
    """The replay site with each channel's roll items built once, not on every roll request.

    The stand-in builds an item for every article it holds on each request; with 10,000
    articles that made it, not the pipeline, the slow side of listing (over 100 ms a
    request). The articles do not change during a benchmark, so the items are built once.
    """

    def __init__(self, channels: Iterable[tuple[int, int]]):
        super().__init__(channels)
        self._built: dict[tuple[int, int], list[dict[str, Any]]] = {}

    def roll_items(self, channel: tuple[int, int]) -> list[dict[str, Any]]:
        if channel not in self._built:
            self._built[channel] = super().roll_items(channel)
        return list(self._built[channel])  # the caller sorts what it gets


class BenchReplayServer(ReplayServer):
    """The loopback site of the tests, with roll items built once and connections kept."""

    def __init__(self, articles: Iterable[ReplayArticle], channels: Iterable[tuple[int, int]]):
        channels = list(channels)
        super().__init__([], channels)
        self._site = _IndexedSite(channels)
        for article in articles:
            self.add_article(article)

    def start(self) -> None:
        super().start()
        # Sina keeps connections alive; the stand-in's handler speaks HTTP/1.0 and closes
        # every one, which cost the crawler a new connection (~0.8 ms of its CPU) a page.
        for server in self._servers:
            server.RequestHandlerClass.protocol_version = "HTTP/1.1"


def replay_articles(bodies: Sequence[Body], count: int) -> list[ReplayArticle]:
    """`count` articles cycling through `bodies`, each with its own id and publication time."""
    spacing = timedelta(seconds=86400 // ARTICLES_PER_DAY)
    articles = []
    for number in range(count):
        body = bodies[number % len(bodies)]
        day = FIRST_DAY + timedelta(days=number // ARTICLES_PER_DAY)
        start = datetime(day.year, day.month, day.day, tzinfo=BEIJING)
        articles.append(
            ReplayArticle(
                article_id=f"ibenc{number:08d}",
                title=body.title,
                published_at=start + spacing * (number % ARTICLES_PER_DAY),
                body_html=body.html,
                channels=(CHANNEL,),
                padding_kb=PAGE_WEIGHT_KB,
            )
        )
    return articles


def days_covering(count: int) -> list[date]:
    days = -(-count // ARTICLES_PER_DAY)
    return [FIRST_DAY + timedelta(days=offset) for offset in range(days)]


def measure_scale(
    bodies: Sequence[Body], count: int, workdir: Path, repeats: int = 1
) -> ScaleFigures:
    """The full run and its rerun that took least wall time among `repeats` attempts."""
    attempts = [
        _measure_scale_once(bodies, count, workdir / f"attempt_{attempt}")
        for attempt in range(repeats)
    ]
    return min(attempts, key=lambda attempt: attempt.full.wall_seconds)


def _measure_scale_once(bodies: Sequence[Body], count: int, workdir: Path) -> ScaleFigures:
    """A full run of `count` articles into a fresh warehouse, then the same run again."""
    warehouse = workdir / f"e2e_{count}" / "capex.duckdb"
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    days = days_covering(count)
    with BenchReplayServer(replay_articles(bodies, count), channels=[CHANNEL]) as server:
        env = _child_env(server.roll_url)
        figures = []
        for label in ("full", "rerun"):
            server.clear_log()
            figures.append(
                _run_child(warehouse, days, env, count, workdir / f"e2e_{count}_{label}.json")
            )
            page_requests = len(server.page_requests())
            list_requests = len(server.roll_requests())
            figures[-1] = _with_requests(figures[-1], page_requests, list_requests)
    return ScaleFigures(full=figures[0], rerun=figures[1])


def _with_requests(figures: RunFigures, pages: int, lists: int) -> RunFigures:
    return RunFigures(**{**figures.__dict__, "page_requests": pages, "list_requests": lists})


def _child_env(roll_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CAPEX_")}
    # An ephemeral Dagster instance: the benchmark must not fill the project's run history.
    env.pop("DAGSTER_HOME", None)
    env.update(
        {
            "CAPEX_ROLL_URL": roll_url,
            "CAPEX_ROLL_CHANNELS": f"{CHANNEL[0]}:{CHANNEL[1]}",
            "CAPEX_ALLOWED_HOSTS": "127.0.0.1",
            "CAPEX_RATE_LIMIT": str(RATE_LIMIT),
            "CAPEX_CONCURRENCY": str(CONCURRENCY),
            "PYTHONPATH": str(REPO_ROOT),
        }
    )
    return env


def _run_child(
    warehouse: Path, days: list[date], env: dict[str, str], articles: int, out: Path
) -> RunFigures:
    command = [
        sys.executable,
        "-m",
        "bench.endtoend",
        "--warehouse",
        str(warehouse),
        "--days",
        ",".join(day.isoformat() for day in days),
        "--out",
        str(out),
    ]
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, cwd=REPO_ROOT)
    # wait4 gives this child's own resource use, whatever other children came before it.
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"pipeline run failed (exit {child.returncode}): {' '.join(command)}")
    inside = json.loads(out.read_text())
    return RunFigures(
        articles=articles,
        days=len(days),
        wall_seconds=wall,
        pipeline_seconds=inside["pipeline_seconds"],
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_bytes=usage.ru_maxrss * 1024,  # Linux reports kilobytes
        page_requests=0,
        list_requests=0,
        counts=inside["counts"],
        code_versions=inside["code_versions"],
    )


# --- the child ----------------------------------------------------------------------------


def child_main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="run the pipeline over days (benchmark child)")
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--days", required=True, help="comma-separated Beijing days")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    from pipelines.running import SUMMARY_TABLES, run_pipeline
    from pipelines.warehouse.db import connect
    from pipelines.warehouse.loading import code_version

    started = time.perf_counter()
    days = args.days.split(",")  # consecutive
    run_pipeline(
        source="live", archive=None, warehouse=args.warehouse, partition=days[0], until=days[-1]
    )
    pipeline_seconds = time.perf_counter() - started
    con = connect(args.warehouse, read_only=True)
    try:
        counts = {
            table: con.execute(f"select count(*) from {table}").fetchone()[0]
            for table in SUMMARY_TABLES
        }
    finally:
        con.close()
    args.out.write_text(
        json.dumps(
            {
                "pipeline_seconds": pipeline_seconds,
                "counts": counts,
                "code_versions": {
                    package: code_version(package)
                    for package in ("pipelines.parse", "pipelines.extract")
                },
                "own_peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(child_main())
