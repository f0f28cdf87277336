"""The SQL models in `sql/`: one file, one table, upstream tables read from the SQL itself.

Deriving lineage from the SQL keeps the Dagster graph honest: a model that starts reading
another table gains that edge without anyone editing Python. DuckDB's own parser reads it
(json_serialize_sql): the dialect the models run in, and already loaded, where importing and
running sqlglot cost a quarter of a second on every start.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from pipelines.warehouse.db import transaction

SQL_DIR = Path(os.environ.get("CAPEX_SQL_DIR", Path(__file__).resolve().parents[2] / "sql"))


@dataclass(frozen=True)
class SqlModel:
    name: str  # the table it builds, named after the file
    path: Path
    sql: str
    upstream: tuple[str, ...]  # tables the query reads, sorted
    description: str  # the file's leading comment block

    @property
    def sql_version(self) -> str:
        """A short hash of the SQL: a changed query means a stale table."""
        return hashlib.sha256(self.sql.encode()).hexdigest()[:12]


def _leading_comment(sql: str) -> str:
    lines = []
    for line in sql.splitlines():
        stripped = line.strip()
        if not stripped.startswith("--"):
            break
        lines.append(stripped.removeprefix("--").strip())
    return "\n".join(lines).strip()


def tables_read(sql: str, con: duckdb.DuckDBPyConnection | None = None) -> tuple[str, ...]:
    """The tables a query reads, without its own CTE names; `con` is any DuckDB connection."""
    if con is None:
        with duckdb.connect() as own:
            return tables_read(sql, own)
    tree = json.loads(con.execute("select json_serialize_sql(?)", [sql]).fetchone()[0])
    if tree["error"]:
        raise ValueError(f"DuckDB cannot read the query: {tree['error_message']}")
    nodes = list(_objects(tree))
    tables = {node["table_name"] for node in nodes if node.get("type") == "BASE_TABLE"}
    ctes = {cte["key"] for node in nodes for cte in (node.get("cte_map") or {}).get("map", ())}
    return tuple(sorted(tables - ctes))


def _objects(node: object) -> Iterator[dict]:
    """Every JSON object in a parsed tree, outermost first."""
    if isinstance(node, dict):
        yield node
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            yield from _objects(child)


@cache
def load_models(sql_dir: Path = SQL_DIR) -> tuple[SqlModel, ...]:
    """Every model in `sql_dir`, sorted by name."""
    if not sql_dir.is_dir():
        raise FileNotFoundError(f"SQL model folder not found: {sql_dir} (set CAPEX_SQL_DIR)")
    models = []
    with duckdb.connect() as con:  # in memory, only to parse: one for all files
        for path in sorted(sql_dir.glob("*.sql")):
            sql = path.read_text("utf-8")
            try:
                upstream = tables_read(sql, con)
            except ValueError as error:
                raise ValueError(f"{path}: {error}") from None
            models.append(
                SqlModel(
                    name=path.stem,
                    path=path,
                    sql=sql,
                    upstream=upstream,
                    description=_leading_comment(sql),
                )
            )
    return tuple(models)


def build_model(con: duckdb.DuckDBPyConnection, model: SqlModel) -> int:
    """(Re)build the model's table in one transaction, recording which SQL built it; returns
    its row count."""
    body = model.sql.strip().rstrip(";")
    with transaction(con):
        con.execute(f"create or replace table {model.name} as {body}")
        con.execute(
            "insert or replace into model_builds values (?, ?, now())",
            [model.name, model.sql_version],
        )
    return con.execute(f"select count(*) from {model.name}").fetchone()[0]


def stale_models(con: duckdb.DuckDBPyConnection, models: tuple[SqlModel, ...]) -> list[str]:
    """Models never built into this warehouse, or built from SQL that has changed since."""
    built = dict(con.execute("select name, sql_version from model_builds").fetchall())
    return [model.name for model in models if built.get(model.name) != model.sql_version]


def in_build_order(models: tuple[SqlModel, ...]) -> list[SqlModel]:
    """Models ordered so each comes after the models it reads; a cycle is an error."""
    by_name = {model.name: model for model in models}
    ordered: list[SqlModel] = []
    placed: set[str] = set()
    while len(ordered) < len(by_name):
        ready = [
            model
            for name, model in by_name.items()
            if name not in placed and all(u in placed or u not in by_name for u in model.upstream)
        ]
        if not ready:
            stuck = sorted(set(by_name) - placed)
            raise ValueError(f"SQL models read each other in a cycle: {', '.join(stuck)}")
        ordered.extend(ready)
        placed.update(model.name for model in ready)
    return ordered
