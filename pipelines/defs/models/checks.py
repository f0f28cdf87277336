"""Asset checks on the SQL models, declared in sql/contracts.yml and run with each build.

The checks are `check_specs` of the model's own asset, so they run on every materialisation
(`capex run`, a schedule, the UI) without a separate step: a broken schema or key blocks
the models downstream; a broken row rule is reported (error or warn) and blocks nothing.
"""

from __future__ import annotations

import dagster as dg
import duckdb

from pipelines.defs.models.contracts import (
    SCHEMA_CHECK,
    UNIQUE_KEY_CHECK,
    ModelContract,
    evaluate,
)

_SEVERITY = {"error": dg.AssetCheckSeverity.ERROR, "warn": dg.AssetCheckSeverity.WARN}


def check_specs(contract: ModelContract) -> list[dg.AssetCheckSpec]:
    """The checks a model's asset declares, in the order they are evaluated."""
    columns = ", ".join(contract.columns)
    specs = [
        dg.AssetCheckSpec(
            SCHEMA_CHECK,
            asset=contract.model,
            description=f"Exactly the promised columns and types: {columns}.",
            blocking=True,
        ),
        dg.AssetCheckSpec(
            UNIQUE_KEY_CHECK,
            asset=contract.model,
            description=f"One row per ({', '.join(contract.unique_key)}).",
            blocking=True,
        ),
    ]
    specs += [
        dg.AssetCheckSpec(rule.name, asset=contract.model, description=rule.description)
        for rule in contract.rules
    ]
    return specs


def check_results(
    con: duckdb.DuckDBPyConnection, contract: ModelContract
) -> list[dg.AssetCheckResult]:
    """Evaluate the contract on the freshly built table."""
    return [
        dg.AssetCheckResult(
            asset_key=contract.model,
            check_name=outcome.name,
            passed=outcome.passed,
            severity=_SEVERITY[outcome.severity],
            metadata={
                name: dg.MetadataValue.json(value) if isinstance(value, list) else value
                for name, value in outcome.details.items()
            },
        )
        for outcome in evaluate(con, contract)
    ]
