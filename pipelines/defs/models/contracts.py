"""What each SQL model promises (sql/contracts.yml), and whether a built table keeps it.

Pure functions over a DuckDB connection, so the rules are testable without Dagster; the
asset checks in checks.py only wrap these outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb
import yaml

from pipelines.warehouse.models import SQL_DIR

CONTRACTS_FILE = SQL_DIR / "contracts.yml"
SAMPLE_ROWS = 5  # offending rows shown with a failed check

Severity = Literal["error", "warn"]


@dataclass(frozen=True)
class RowRule:
    """Rows matching `fails_when` (a SQL condition over the model's columns) break the rule."""

    name: str
    description: str
    fails_when: str
    severity: Severity = "error"


@dataclass(frozen=True)
class ModelContract:
    model: str
    columns: dict[str, str]  # name -> DuckDB type, as `describe` prints it
    unique_key: tuple[str, ...]
    rules: tuple[RowRule, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """One check's verdict on one built table."""

    name: str
    passed: bool
    severity: Severity
    blocking: bool
    details: dict[str, object] = field(default_factory=dict)


SCHEMA_CHECK = "schema"
UNIQUE_KEY_CHECK = "unique_key"


def load_contracts(path: Path = CONTRACTS_FILE) -> dict[str, ModelContract]:
    """Every model's contract, by model name."""
    # libyaml's loader when PyYAML has it: every start loads the contracts, and the pure
    # Python one takes ~40 ms over this file.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(path.read_text("utf-8"), Loader=loader) or {}
    return {model: _contract(model, spec) for model, spec in raw.items()}


def _contract(model: str, spec: dict) -> ModelContract:
    rules = tuple(
        RowRule(
            name=name,
            description=" ".join(str(rule["description"]).split()),
            fails_when=rule["fails_when"],
            severity=rule.get("severity", "error"),
        )
        for name, rule in (spec.get("checks") or {}).items()
    )
    return ModelContract(
        model=model,
        columns={str(name): str(kind) for name, kind in spec["columns"].items()},
        unique_key=tuple(spec["unique_key"]),
        rules=rules,
    )


def check_schema(con: duckdb.DuckDBPyConnection, contract: ModelContract) -> Outcome:
    """The table has exactly the promised columns, each with its promised type."""
    actual = {name: kind for name, kind, *_ in con.execute(f"describe {contract.model}").fetchall()}
    missing = sorted(set(contract.columns) - set(actual))
    unexpected = sorted(set(actual) - set(contract.columns))
    retyped = sorted(
        f"{name}: {actual[name]} (expected {kind})"
        for name, kind in contract.columns.items()
        if name in actual and actual[name] != kind
    )
    details: dict[str, object] = {
        label: ", ".join(names)
        for label, names in (
            ("missing_columns", missing),
            ("unexpected_columns", unexpected),
            ("changed_types", retyped),
        )
        if names
    }
    return Outcome(SCHEMA_CHECK, not details, "error", blocking=True, details=details)


def check_unique_key(con: duckdb.DuckDBPyConnection, contract: ModelContract) -> Outcome:
    """No two rows share the key (a null in a key column counts as a value)."""
    key = ", ".join(contract.unique_key)
    duplicated = con.execute(
        f"select count(*) from (select {key} from {contract.model} "
        f"group by all having count(*) > 1)"
    ).fetchone()[0]
    details: dict[str, object] = {"duplicated_keys": duplicated}
    if duplicated:
        details["sample"] = _sample(
            con,
            f"select {key}, count(*) as row_count from {contract.model} "
            f"group by all having count(*) > 1 order by all limit {SAMPLE_ROWS}",
        )
    return Outcome(UNIQUE_KEY_CHECK, duplicated == 0, "error", blocking=True, details=details)


def check_rule(con: duckdb.DuckDBPyConnection, contract: ModelContract, rule: RowRule) -> Outcome:
    """No row matches the rule's failing condition."""
    where = f"from {contract.model} where coalesce({rule.fails_when}, false)"
    offending = con.execute(f"select count(*) {where}").fetchone()[0]
    details: dict[str, object] = {"failing_rows": offending}
    if offending:
        details["sample"] = _sample(con, f"select * {where} limit {SAMPLE_ROWS}")
    return Outcome(rule.name, offending == 0, rule.severity, blocking=False, details=details)


def evaluate(con: duckdb.DuckDBPyConnection, contract: ModelContract) -> list[Outcome]:
    """Every check of the contract; one whose query cannot run (a column is gone) fails."""
    checks = [
        (SCHEMA_CHECK, "error", True, lambda: check_schema(con, contract)),
        (UNIQUE_KEY_CHECK, "error", True, lambda: check_unique_key(con, contract)),
    ] + [
        (rule.name, rule.severity, False, lambda rule=rule: check_rule(con, contract, rule))
        for rule in contract.rules
    ]
    outcomes = []
    for name, severity, blocking, run in checks:
        try:
            outcomes.append(run())
        except duckdb.Error as error:
            outcomes.append(Outcome(name, False, severity, blocking, {"error": str(error)}))
    return outcomes


def _sample(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, object]]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [
        {
            name: value if isinstance(value, int | float | bool) else str(value)
            for name, value in zip(names, row, strict=True)
            if value is not None
        }
        for row in cursor.fetchall()
    ]
