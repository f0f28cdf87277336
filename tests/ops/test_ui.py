"""The Dagster UI in a real browser: the asset graph, runs launched at once, their metadata.

Starts `dagster dev` the way the README does (a fresh DAGSTER_HOME with the repository's
dagster.yaml, on 127.0.0.1), on the shipped sample articles, and drives Debian's Chromium
through Playwright. Costs about a minute, most of it Dagster starting and the runs.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.ops.runs import dagster_home, process_env

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DAYS = ("2025-02-07", "2025-02-08")
LOCATION = "pipelines.definitions"
FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}
DEADLINE_SECONDS = 150


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Dagster:
    """A running `dagster dev` and its GraphQL API."""

    def __init__(self, url: str, home: Path, process: subprocess.Popen[bytes]):
        self.url, self.home, self.process = url, home, process

    def graphql(self, query: str, **variables: object) -> dict:
        response = httpx.post(
            f"{self.url}/graphql", json={"query": query, "variables": variables}, timeout=30
        )
        response.raise_for_status()
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def launch(self, job: str, partition: str) -> str:
        data = self.graphql(
            """
            mutation($params: ExecutionParams!) {
              launchRun(executionParams: $params) {
                __typename
                ... on LaunchRunSuccess { run { runId } }
                ... on PythonError { message }
              }
            }
            """,
            params={
                "selector": {
                    "repositoryLocationName": LOCATION,
                    "repositoryName": "__repository__",
                    "jobName": job,
                },
                "executionMetadata": {"tags": [{"key": "dagster/partition", "value": partition}]},
                "runConfigData": {},
            },
        )["launchRun"]
        assert data["__typename"] == "LaunchRunSuccess", data
        return data["run"]["runId"]

    def runs(self) -> list[dict]:
        return self.graphql(
            """
            { runsOrError { ... on Runs { results {
                runId status jobName startTime endTime assetSelection { path }
                tags { key value }
            } } } }
            """
        )["runsOrError"]["results"]


@pytest.fixture(scope="module")
def dagster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dagster]:
    root = tmp_path_factory.mktemp("ui")
    home = dagster_home(root / "home")
    port = _free_port()
    env = process_env(
        home,
        CAPEX_SOURCE="samples",
        CAPEX_WAREHOUSE=str(root / "warehouse" / "capex.duckdb"),
        CAPEX_INBOX=str(root / "inbox"),
        CAPEX_AUTOMATION_SECONDS="5",  # downstream follows within seconds, not half a minute
    )
    dagster_bin = Path(os.environ.get("VIRTUAL_ENV", "")) / "bin" / "dagster"
    if not dagster_bin.exists():
        dagster_bin = Path(__import__("sys").executable).parent / "dagster"
    # As the README says: the warehouse pool exists before the first two runs are queued.
    subprocess.run(
        [dagster_bin, "instance", "concurrency", "set", "warehouse", "1"],
        cwd=home, env=env, check=True, capture_output=True,
    )  # fmt: skip
    log = (root / "dagster-dev.log").open("wb")
    process = subprocess.Popen(
        [dagster_bin, "dev", "-h", "127.0.0.1", "-p", str(port), "-m", LOCATION],
        cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    server = Dagster(f"http://127.0.0.1:{port}", home, process)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, (root / "dagster-dev.log").read_text()[-3000:]
            try:
                if httpx.get(f"{server.url}/server_info", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "dagster dev did not come up within 90 s"
            time.sleep(0.5)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


def _browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is absent: install Debian's chromium package (.ci/run does) "
            "to run the browser test"
        )
    from playwright.sync_api import sync_playwright

    return sync_playwright()


def _dismiss_newsletter_prompt(page) -> None:
    """The UI asks a first visitor to join its newsletter a moment after loading."""
    page.wait_for_timeout(3000)
    skip = page.get_by_role("button", name="Skip")
    if skip.count():
        skip.click()


def _wait_for_runs(dagster: Dagster, wanted: int) -> list[dict]:
    """Every run once `wanted` of them exist and all have finished."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        runs = dagster.runs()
        if len(runs) >= wanted and all(run["status"] in FINISHED for run in runs):
            return runs
        assert time.monotonic() < deadline, f"runs still going after {DEADLINE_SECONDS} s: {runs}"
        time.sleep(1)


def _asset_edges(dagster: Dagster) -> tuple[set[str], set[tuple[str, str]]]:
    nodes = dagster.graphql("{ assetNodes { assetKey { path } dependencyKeys { path } } }")
    names, edges = set(), set()
    for node in nodes["assetNodes"]:
        name = "/".join(node["assetKey"]["path"])
        names.add(name)
        edges |= {("/".join(dep["path"]), name) for dep in node["dependencyKeys"]}
    return names, edges


def test_the_ui_shows_the_graph_queues_runs_and_refreshes_downstream_assets(
    dagster: Dagster, tmp_path: Path
) -> None:
    names, edges = _asset_edges(dagster)
    # Every asset descends from the listing: the graph is one piece from article_index on.
    reachable, frontier = {"article_index"}, ["article_index"]
    while frontier:
        parent = frontier.pop()
        for child in {child for source, child in edges if source == parent} - reachable:
            reachable.add(child)
            frontier.append(child)
    assert reachable == names and {"raw_pages", "articles", "capex_facts", "capex_yoy"} <= names

    # Two ingestion runs launched at the same moment: queued one after the other, both succeed,
    # then declarative automation refreshes everything downstream in one more run.
    launched = [dagster.launch("ingest", day) for day in DAYS]
    runs = _wait_for_runs(dagster, len(DAYS) + 1)
    by_id = {run["runId"]: run for run in runs}
    first, second = sorted((by_id[i] for i in launched), key=lambda run: run["startTime"])
    assert first["status"] == second["status"] == "SUCCESS"
    assert second["startTime"] >= first["endTime"], "two warehouse runs overlapped"
    automated = [run for run in runs if run["runId"] not in launched]
    assert [run["status"] for run in automated] == ["SUCCESS"]
    refreshed = {"/".join(key["path"]) for key in automated[0]["assetSelection"]}
    assert refreshed == names - {"article_index", "raw_pages"}

    with _browser() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 3600, "height": 2200})
            page.goto(f"{dagster.url}/asset-groups")
            page.get_by_text("Global asset lineage").wait_for()
            _dismiss_newsletter_prompt(page)
            page.mouse.click(2000, 150)  # focus the graph, then expand every group (⌥E)
            page.keyboard.press("Alt+e")
            for name in sorted(names):
                page.locator("svg").get_by_text(name, exact=True).wait_for(timeout=15000)
            drawn_edges = page.locator("svg path[marker-end]").count()
            assert drawn_edges >= len(edges)
            page.screenshot(path=str(tmp_path / "asset-graph.png"))

            # The model's page shows its latest materialisation: row count, columns, preview.
            page.goto(f"{dagster.url}/assets/capex_yoy")
            page.get_by_text("Latest materialization").first.wait_for(timeout=30000)
            for shown in ("Row count", "preview", "prior_value_usd", "AMZN+GOOGL+META+MSFT"):
                page.get_by_text(shown, exact=True).first.wait_for(timeout=15000)
            _dismiss_newsletter_prompt(page)
            page.screenshot(path=str(tmp_path / "capex_yoy-materialization.png"), full_page=True)
        finally:
            browser.close()
    for shot in ("asset-graph.png", "capex_yoy-materialization.png"):
        assert (tmp_path / shot).stat().st_size > 10_000
    print(f"screenshots in {tmp_path}")
