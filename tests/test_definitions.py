"""The code location loads, and its lineage graph connects the listing to every SQL model."""

from __future__ import annotations

import subprocess
import sys

import dagster as dg

from pipelines.definitions import defs
from pipelines.warehouse.models import load_models

EXPECTED_EDGES = {
    ("article_index", "raw_pages"),
    ("raw_pages", "articles"),
    ("articles", "capex_facts"),
    ("articles", "capex_stated_growth"),
    ("capex_facts", "stg_capex_facts"),
    ("stg_capex_facts", "capex_facts_consolidated"),
    ("capex_facts_consolidated", "capex_yoy"),
}


def _graph() -> dg.AssetGraph:
    return defs.resolve_asset_graph()


def test_every_expected_edge_is_in_the_graph() -> None:
    graph = _graph()
    edges = {
        (parent.to_user_string(), key.to_user_string())
        for key in graph.get_all_asset_keys()
        for parent in graph.get(key).parent_keys
    }
    assert edges >= EXPECTED_EDGES


def test_every_sql_model_is_an_asset_downstream_of_the_listing() -> None:
    graph = _graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    models = {model.name for model in load_models()}
    assert models <= keys
    downstream: set[str] = set()
    frontier = [dg.AssetKey("article_index")]
    while frontier:
        for child in graph.get(frontier.pop()).child_keys:
            if child.to_user_string() not in downstream:
                downstream.add(child.to_user_string())
                frontier.append(child)
    assert models <= downstream


def test_the_main_job_and_schedule_resolve() -> None:
    job = defs.resolve_job_def("capex_pipeline")
    assert job.partitions_def is not None
    assert defs.resolve_schedule_def("ingest_today").cron_schedule == "*/15 * * * *"


def test_loading_the_definitions_leaves_parsing_and_arrow_alone() -> None:
    """Every run, even one with nothing new, loads the definitions first: the parser (bs4),
    the extractor, sqlglot and pyarrow cost it most of a second and are imported only where
    pages are parsed, facts extracted or frames written."""
    heavy = ["bs4", "pipelines.parse", "pipelines.extract", "sqlglot", "pyarrow"]
    code = (
        "import sys, pipelines.definitions\n"
        "from pipelines.warehouse.loading import code_version\n"
        "code_version('pipelines.parse'), code_version('pipelines.extract')\n"
        f"print(sorted(set({heavy!r}) & set(sys.modules)))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"
