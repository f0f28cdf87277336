"""Hand-made capex facts and a warehouse built from them by the real SQL models."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import polars as pl

from pipelines.warehouse.db import insert_frame, transaction
from pipelines.warehouse.loading import FACT_SCHEMA, GROWTH_SCHEMA
from pipelines.warehouse.models import build_model, in_build_order, load_models

BILLION = 1e9


def _provenance(article_id: str, index: int, day: int, sentence: str) -> dict:
    return {
        "article_id": article_id,
        "fact_index": index,
        "sentence": sentence,
        "field": "body",
        "sentence_start": 0,
        "sentence_end": len(sentence),
        "url": f"https://finance.sina.com.cn/{article_id}.shtml",
        "published_at": datetime(2025, 2, day, 12, tzinfo=UTC),
    }


def fact(
    article_id: str,
    company: str,
    basis: str,
    period: str,
    low: float,
    high: float | None = None,
    *,
    index: int = 0,
    day: int = 7,
    open_ended: bool = False,
    superseded: bool = False,
) -> dict:
    """A capex fact in billions: a point (`low`), a range (`low`, `high`) or "over `low`".

    `superseded` marks a guidance figure its own sentence says was replaced."""
    if open_ended:
        high_usd, qualifier = None, "over"
    else:
        high_usd = (high if high is not None else low) * BILLION
        qualifier = "exact" if high is None else "range"
    return {
        **_provenance(article_id, index, day, f"{company} {basis} {period} {low}"),
        "company": company,
        "metric": "capex",
        "basis": basis,
        "period": period,
        "value_low_usd": low * BILLION,
        "value_high_usd": high_usd,
        "qualifier": qualifier,
        "superseded": superseded,
    }


def stated_growth(
    article_id: str, company: str, from_period: str, to_period: str, pct: float, *, index: int = 0
) -> dict:
    """An article's own growth rate for actual capex, e.g. 63.0 for "up 63%"."""
    return {
        **_provenance(article_id, index, 8, f"{company} up {pct}% from {from_period}"),
        "company": company,
        "metric": "capex",
        "basis": "actual",
        "from_period": from_period,
        "to_period": to_period,
        "growth_pct": pct,
    }


def build(
    con: duckdb.DuckDBPyConnection, facts: list[dict], growth: list[dict] | None = None
) -> None:
    """Load the rows into the raw tables and build every SQL model on top, in order."""
    with transaction(con):
        insert_frame(con, "capex_facts", pl.DataFrame(facts, schema=FACT_SCHEMA))
        insert_frame(con, "capex_stated_growth", pl.DataFrame(growth or [], schema=GROWTH_SCHEMA))
    for model in in_build_order(load_models()):
        build_model(con, model)


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
