"""Read-only queries for people: `capex sql`.

The warehouse is opened read-only, and anything but a query is refused before it reaches
DuckDB, with a message that says why, instead of a stack trace.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import sqlglot
from sqlglot import exp

from pipelines.warehouse.db import WarehouseBusy, connect

# How long a query waits for a run that holds the warehouse before saying so.
QUERY_WAIT_SECONDS = 15.0
_READ_STATEMENTS = (exp.Query, exp.Describe, exp.Show, exp.Pragma)


class QueryRefused(Exception):
    """The statement is not a read-only query, or the warehouse cannot answer it now."""


def check_read_only(sql: str) -> None:
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except sqlglot.errors.ParseError:
        return  # let DuckDB report the syntax error in its own words
    for statement in statements:
        if not isinstance(statement, _READ_STATEMENTS):
            kind = statement.key.upper()
            raise QueryRefused(
                f"refused: {kind} is not a read-only query; `capex sql` only reads the "
                "warehouse (`capex run` is what writes it)"
            )


def run_query(
    warehouse: Path, sql: str, *, wait_seconds: float = QUERY_WAIT_SECONDS
) -> pl.DataFrame:
    check_read_only(sql)
    try:
        con = connect(warehouse, read_only=True, wait_seconds=wait_seconds)
    except WarehouseBusy as error:
        raise QueryRefused(str(error)) from None
    try:
        relation = con.sql(sql)
        if relation is None:
            return pl.DataFrame()
        return relation.pl()
    except duckdb.Error as error:
        raise QueryRefused(f"query failed: {error}") from None
    finally:
        con.close()
