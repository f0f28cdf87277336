"""The SQL models over a warehouse far bigger than the news will make: a million facts.

The facts are synthetic and go straight into `capex_facts` (DuckDB generates them from
`range`, so setting up takes seconds, not a day of extraction): a few dozen companies,
yearly and quarterly periods over a decade, every basis and qualifier, a third of them
ranges and a third open-ended, three facts an article, published over ten years, each
figure repeated by many articles and revised now and then, as the news does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from pipelines.warehouse.db import open_warehouse
from pipelines.warehouse.models import build_model, in_build_order, load_models

COMPANIES = 40
FACTS_PER_ARTICLE = 3
VALUE_VARIANTS = 8
DECADE_SECONDS = 10 * 365 * 86400


@dataclass(frozen=True)
class ModelTiming:
    name: str
    seconds: float
    rows: int


@dataclass(frozen=True)
class ModelsFigures:
    facts: int
    distinct: bool  # every fact a value of its own (the worst case), not repeated figures
    insert_seconds: float
    models: list[ModelTiming]

    @property
    def build_seconds(self) -> float:
        return sum(model.seconds for model in self.models)


def insert_synthetic_facts(con, count: int, *, distinct: bool = False) -> None:
    """`count` plausible facts into capex_facts (`con`: DuckDB), generated inside DuckDB.

    News repeats figures: each (company, basis, period) has one value at a time, revised
    VALUE_VARIANTS times over the decade, and every article of a time states that time's.
    With `distinct`, every fact states a value of its own instead: the worst case for the
    models that group and rank distinct values.
    """
    variant = (
        "hash(i, 'variant') % 1000000 / 10000"
        if distinct
        else f"seconds * {VALUE_VARIANTS} // {DECADE_SECONDS}"
    )
    con.execute(
        f"""
        insert into capex_facts by name
        select
            article_id,
            fact_index,
            company,
            'capex' as metric,
            basis,
            period,
            low as value_low_usd,
            case when range_kind = 0 then low * 1.15
                 when range_kind = 1 then low
                 else null end as value_high_usd,
            ['exact', 'approx', 'over', 'range'][1 + cast(hash(i, 'qual') % 4 as integer)]
                as qualifier,
            '公司表示本期资本开支约为' || cast(round(low / 1e8) as varchar) || '亿美元。'
                as sentence,
            false as superseded,
            'body' as field,
            0 as sentence_start,
            20 as sentence_end,
            'https://finance.sina.com.cn/stock/usstock/c/doc-' || article_id || '.shtml' as url,
            timestamptz '2015-01-01 00:00:00+08' + to_seconds(seconds) as published_at
        from (
            select
                *,
                (1e9 + hash(company, basis, period) % 80000 * 1e6)
                    * (1 + {variant} / 100) as low
            from (
                select
                    i,
                    'isyn' || lpad(cast(i // {FACTS_PER_ARTICLE} as varchar), 9, '0')
                        as article_id,
                    cast(i % {FACTS_PER_ARTICLE} as integer) as fact_index,
                    'company_' || cast(hash(i // {FACTS_PER_ARTICLE}) % {COMPANIES} as varchar)
                        as company,
                    ['actual', 'guidance', 'consensus'][1 + cast(hash(i, 'basis') % 3 as integer)]
                        as basis,
                    cast(2015 + hash(i, 'year') % 11 as varchar)
                        || case when hash(i, 'kind') % 2 = 0 then ''
                                else 'Q' || cast(1 + hash(i, 'q') % 4 as varchar) end as period,
                    hash(i, 'range') % 3 as range_kind,
                    cast(hash(i // {FACTS_PER_ARTICLE}) % {DECADE_SECONDS} as bigint) as seconds
                from range({count}) as r(i)
            )
        )
        """
    )


def measure_models(
    workdir: Path, facts: int, *, distinct: bool = False, repeats: int = 3
) -> ModelsFigures:
    label = "distinct" if distinct else "repeated"
    warehouse = workdir / f"models_{label}" / "capex.duckdb"
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with open_warehouse(warehouse) as con:
        con.execute("set enable_progress_bar = false")  # keeps the benchmark's output readable
        started = time.perf_counter()
        insert_synthetic_facts(con, facts, distinct=distinct)
        inserted = time.perf_counter() - started
        models = in_build_order(load_models())
        best: dict[str, ModelTiming] = {}
        # The whole chain is built `repeats` times and each model keeps its best time: a
        # build takes seconds, so one burst of other work would otherwise decide the figure.
        for _ in range(repeats):
            for model in models:
                started = time.perf_counter()
                rows = build_model(con, model)
                elapsed = time.perf_counter() - started
                if model.name not in best or elapsed < best[model.name].seconds:
                    best[model.name] = ModelTiming(model.name, elapsed, rows)
        timings = [best[model.name] for model in models]
    return ModelsFigures(facts=facts, distinct=distinct, insert_seconds=inserted, models=timings)
