"""Opening the DuckDB warehouse and replacing rows in it, safely under concurrent use.

DuckDB lets one process write a file at a time. A second writer (another run) or a reader
during a run gets a lock error at connect time; waiting briefly and retrying turns that
race into a queue, and a clear `WarehouseBusy` replaces the stack trace when the wait ends.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import duckdb
import polars as pl

DEFAULT_WAIT_SECONDS = 120.0


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse's write lock for longer than we were willing to wait."""


def _is_lock_conflict(error: duckdb.Error) -> bool:
    text = str(error).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def connect(
    path: Path | str, *, read_only: bool = False, wait_seconds: float = DEFAULT_WAIT_SECONDS
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, waiting up to `wait_seconds` while another process holds its lock."""
    path = Path(path)
    if read_only and not path.exists():
        raise FileNotFoundError(
            f"no warehouse at {path}: build it first with `capex run` (or pass --warehouse)"
        )
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as error:
            if not _is_lock_conflict(error):
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"the warehouse {path} is held by another process (a run in progress?) "
                    f"and did not come free within {wait_seconds:.0f} s; try again when it ends"
                ) from error
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


@contextmanager
def open_warehouse(
    path: Path | str, *, wait_seconds: float = DEFAULT_WAIT_SECONDS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable connection with the raw tables in place, closed on exit."""
    con = connect(path, wait_seconds=wait_seconds)
    try:
        con.execute(resources.files(__package__).joinpath("schema.sql").read_text("utf-8"))
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: a crash or an error inside leaves the tables as they were."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()
) -> list[dict]:
    """A query's rows as dicts, timestamps in UTC as Polars gives them, without going through
    Arrow: importing pyarrow costs a run that writes nothing ~0.3 s."""
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [
        {name: _in_utc(value) for name, value in zip(names, row, strict=True)}
        for row in cursor.fetchall()
    ]


def _in_utc(value: object) -> object:
    return value.astimezone(UTC) if isinstance(value, datetime) and value.tzinfo else value


# Table and column names below come from the code, never from user text.


def delete_keys(
    con: duckdb.DuckDBPyConnection,
    table: str,
    key_column: str,
    keys: Sequence[str],
    *,
    where: str = "",
    where_params: Sequence[object] = (),
) -> None:
    """Delete the rows whose key is in `keys` (and that match `where`)."""
    if not keys:
        return
    condition = f"{key_column} in (select unnest(?::varchar[]))" + (
        f" and ({where})" if where else ""
    )
    con.execute(f"delete from {table} where {condition}", [list(keys), *where_params])


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Append a Polars frame through Arrow, matching columns by name."""
    if frame.height:
        con.register("_incoming", frame)
        con.execute(f"insert into {table} by name select * from _incoming")
        con.unregister("_incoming")


def upsert(
    con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, key_column: str
) -> None:
    """Replace the rows that share a key with `frame`, then insert `frame`. Rows the table
    already holds exactly as they are are left alone: a rerun that lists what it listed
    before writes nothing."""
    frame = not_stored(con, table, frame, key_column)
    delete_keys(con, table, key_column, frame[key_column].to_list())
    insert_frame(con, table, frame)


def not_stored(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pl.DataFrame,
    key_column: str,
    columns: Sequence[str] = (),
) -> pl.DataFrame:
    """The rows of `frame` that `table` does not hold with exactly these values in `columns`
    (every column of `frame` by default)."""
    if not frame.height:
        return frame
    columns = list(columns or frame.columns)
    stored = con.execute(
        f"select {', '.join(columns)} from {table} "
        f"where {key_column} in (select unnest(?::varchar[]))",
        [frame[key_column].to_list()],
    ).fetchall()
    # Timestamps compare as instants, whatever zone each side gives them in.
    known = set(stored)
    return frame.filter(
        pl.Series([row not in known for row in frame.select(columns).rows()], dtype=pl.Boolean)
    )
