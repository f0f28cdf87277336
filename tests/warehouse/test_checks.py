"""The model checks run with every materialisation and fail when their rule is broken.

Two in-process Dagster runs over hand-made facts (about 2 s each): one with bad rows, where
the row rules fail and nothing is blocked, one with broken contracts, where schema and key
checks fail and block the models downstream.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import dagster as dg
import pytest

from pipelines.defs.models.assets import model_assets
from pipelines.defs.models.contracts import load_contracts
from pipelines.defs.resources import WarehouseResource
from pipelines.warehouse.db import insert_frame, open_warehouse, transaction
from pipelines.warehouse.loading import FACT_SCHEMA, GROWTH_SCHEMA
from pipelines.warehouse.models import load_models
from tests.warehouse.facts import fact, stated_growth

GROUP = "AMZN+GOOGL+META+MSFT"
GOOD_FACTS = [
    fact("good", GROUP, "actual", "2024", 246),
    fact("good", GROUP, "actual", "2023", 151, index=1),
    fact("good", "AMZN", "guidance", "2025", 100, index=2),
    fact("good", "AMZN", "actual", "2024", 83, index=3),
    fact("good", "AMZN", "consensus", "2025", 90, index=4),
]
BAD_FACTS = [
    {**fact("nosentence", "MSFT", "actual", "2024Q4", 15.8), "sentence": " "},
    fact("negative", "META", "actual", "2024Q4", -14.8),
    fact("reversed", "GOOGL", "guidance", "2025Q1", 18, 16),
]


def _run(tmp_path: Path, facts: list[dict], growth: list[dict], contracts=None):
    import polars as pl

    path = tmp_path / "w.duckdb"
    with open_warehouse(path) as con, transaction(con):
        insert_frame(con, "capex_facts", pl.DataFrame(facts, schema=FACT_SCHEMA))
        insert_frame(con, "capex_stated_growth", pl.DataFrame(growth, schema=GROWTH_SCHEMA))
    return dg.materialize(
        model_assets(contracts),
        resources={"warehouse": WarehouseResource(path=str(path))},
        raise_on_error=False,
    )


def _verdicts(result: dg.ExecuteInProcessResult) -> dict[tuple[str, str], dg.AssetCheckEvaluation]:
    return {
        (e.asset_key.to_user_string(), e.asset_check_key.name): e
        for e in result.get_asset_check_evaluations()
    }


def _built(result: dg.ExecuteInProcessResult) -> set[str]:
    return {
        e.step_materialization_data.materialization.asset_key.to_user_string()
        for e in result.get_asset_materialization_events()
    }


def test_every_model_has_a_contract_checked_by_the_assets_capex_run_materialises() -> None:
    from pipelines.definitions import all_assets

    contracts = load_contracts()
    assert {model.name for model in load_models()} == set(contracts)
    declared = {
        (key.asset_key.to_user_string(), key.name)
        for asset in all_assets
        for key in asset.check_keys
    }
    for name, contract in contracts.items():
        checks = {"schema", "unique_key"} | {rule.name for rule in contract.rules}
        assert {(name, check) for check in checks} <= declared


@pytest.fixture(scope="module")
def bad_rows_run(tmp_path_factory: pytest.TempPathFactory) -> dg.ExecuteInProcessResult:
    return _run(
        tmp_path_factory.mktemp("bad_rows"),
        GOOD_FACTS + BAD_FACTS,
        # the figures say +62.9%; an article saying +75% is a disagreement to look at
        [stated_growth("good", GROUP, "2023", "2024", 75.0)],
    )


@pytest.mark.parametrize(
    ("asset", "check", "severity", "culprit"),
    [
        ("stg_capex_facts", "sentence_present", "ERROR", "nosentence"),
        ("stg_capex_facts", "non_negative_values", "ERROR", "negative"),
        ("stg_capex_facts", "low_not_above_high", "ERROR", "reversed"),
        ("capex_facts_consolidated", "non_negative_values", "ERROR", "META"),
        ("capex_facts_consolidated", "low_not_above_high", "ERROR", "GOOGL"),
        ("capex_growth_reconciliation", "stated_growth_agrees", "WARN", GROUP),
    ],
)
def test_a_broken_row_rule_fails_its_check_and_names_the_row(
    bad_rows_run: dg.ExecuteInProcessResult, asset: str, check: str, severity: str, culprit: str
) -> None:
    verdict = _verdicts(bad_rows_run)[(asset, check)]
    assert not verdict.passed
    assert verdict.severity.value == severity
    assert verdict.metadata["failing_rows"].value == 1
    assert culprit in str(verdict.metadata["sample"].value)


def test_row_rules_block_nothing_and_the_rest_passes(
    bad_rows_run: dg.ExecuteInProcessResult,
) -> None:
    assert bad_rows_run.success
    assert _built(bad_rows_run) == {model.name for model in load_models()}
    failed = {key for key, verdict in _verdicts(bad_rows_run).items() if not verdict.passed}
    assert len(failed) == 6
    assert all(check not in {"schema", "unique_key"} for _, check in failed)


def test_a_broken_schema_or_key_blocks_the_models_downstream(tmp_path: Path) -> None:
    contracts = load_contracts()
    growth = contracts["stg_capex_stated_growth"]
    comparisons = contracts["int_capex_comparisons"]
    contracts["stg_capex_stated_growth"] = replace(
        growth, columns={**growth.columns, "growth_pct": "INTEGER", "source": "VARCHAR"}
    )
    # Amazon's guidance is compared twice (with 2024's actual, with consensus): basis alone
    # cannot be the key.
    contracts["int_capex_comparisons"] = replace(comparisons, unique_key=("basis",))
    result = _run(
        tmp_path, GOOD_FACTS, [stated_growth("good", GROUP, "2023", "2024", 63.0)], contracts
    )
    verdicts = _verdicts(result)
    schema = verdicts[("stg_capex_stated_growth", "schema")]
    assert not schema.passed
    assert schema.metadata["missing_columns"].value == "source"
    assert "growth_pct: DOUBLE (expected INTEGER)" in schema.metadata["changed_types"].value
    assert not verdicts[("int_capex_comparisons", "unique_key")].passed
    assert not result.success
    built = _built(result)
    assert {"stg_capex_stated_growth", "int_capex_comparisons", "capex_yoy"} <= built
    assert not {"capex_growth_reconciliation", "capex_guided_growth", "capex_surprise"} & built
