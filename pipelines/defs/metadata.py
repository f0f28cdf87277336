"""What every warehouse asset reports on materialisation: row count, columns, a preview."""

from __future__ import annotations

import dagster as dg
import duckdb

PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 60


def table_metadata(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, object]:
    """Row count, column schema and a small markdown preview of a warehouse table."""
    columns = con.execute(f"describe {table}").fetchall()
    row_count = con.execute(f"select count(*) from {table}").fetchone()[0]
    preview = con.execute(f"select * from {table} limit {PREVIEW_ROWS}").fetchall()
    return {
        "dagster/row_count": row_count,
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name=name, type=str(kind)) for name, kind, *_ in columns]
        ),
        "preview": dg.MetadataValue.md(_markdown_table([c[0] for c in columns], preview)),
    }


def _markdown_table(header: list[str], rows: list[tuple]) -> str:
    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        if len(text) > PREVIEW_CELL_CHARS:
            text = text[: PREVIEW_CELL_CHARS - 1] + "…"
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)
