"""Scoring produced facts against hand-labelled gold facts.

Matching rule (spec/capex-facts.md): company, metric, basis and period equal and the values
within 1% (a point value compares low; a range compares low and high). Restatements count
once: facts are reduced to distinct (article, company, metric, basis, period, value) tuples.
Gold lines marked "optional" are neither required nor penalised. Stated growth is scored
separately: company, metric, basis, from and to periods equal, growth within 0.5 points.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

VALUE_TOLERANCE = 0.01
GROWTH_TOLERANCE_POINTS = 0.5


@dataclass(frozen=True)
class _Value:
    article_id: str
    company: str
    metric: str
    basis: str
    period: str
    low: float
    high: float | None  # None for a point value or an open-ended one
    sentence: str = ""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.article_id, self.company, self.metric, self.basis, self.period)


@dataclass(frozen=True)
class _Growth:
    article_id: str
    company: str
    metric: str
    basis: str
    from_period: str
    to_period: str
    growth_pct: float
    sentence: str = ""

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        return (
            self.article_id,
            self.company,
            self.metric,
            self.basis,
            self.from_period,
            self.to_period,
        )


Item = TypeVar("Item", "_Value", "_Growth")


@dataclass
class GoldSet:
    values: list[_Value] = field(default_factory=list)
    optional_values: list[_Value] = field(default_factory=list)
    growth: list[_Growth] = field(default_factory=list)
    optional_growth: list[_Growth] = field(default_factory=list)

    @property
    def article_ids(self) -> set[str]:
        return {v.article_id for v in self.values + self.optional_values} | {
            g.article_id for g in self.growth + self.optional_growth
        }


@dataclass
class Counts:
    true_positives: int = 0
    false_positives: int = 0
    misses: int = 0

    @property
    def precision(self) -> float:
        produced = self.true_positives + self.false_positives
        return self.true_positives / produced if produced else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.misses
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class ScoreReport:
    values: Counts
    growth: Counts
    false_positives: list[dict[str, Any]]
    misses: list[dict[str, Any]]
    articles: int


def _is_growth(line: dict[str, Any]) -> bool:
    return line.get("kind") == "stated_growth" or "growth_pct" in line


def _value_of(line: dict[str, Any]) -> _Value:
    low = float(line["value_low_usd"])
    raw_high = line.get("value_high_usd")
    high = None if raw_high is None or float(raw_high) == low else float(raw_high)
    return _Value(
        str(line["article_id"]),
        str(line["company"]),
        str(line.get("metric", "capex")),
        str(line["basis"]),
        str(line["period"]),
        low,
        high,
        str(line.get("sentence", "")),
    )


def _growth_of(line: dict[str, Any]) -> _Growth:
    return _Growth(
        str(line["article_id"]),
        str(line["company"]),
        str(line.get("metric", "capex")),
        str(line["basis"]),
        str(line["from_period"]),
        str(line["to_period"]),
        float(line["growth_pct"]),
        str(line.get("sentence", "")),
    )


def load_gold(path: Path | str) -> GoldSet:
    """Gold lines from a JSON-lines file; blank lines are ignored."""
    gold = GoldSet()
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            if not raw.strip():
                continue
            line = json.loads(raw)
            optional = bool(line.get("optional"))
            if _is_growth(line):
                (gold.optional_growth if optional else gold.growth).append(_growth_of(line))
            else:
                (gold.optional_values if optional else gold.values).append(_value_of(line))
    return gold


def _close(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def _values_match(a: _Value, b: _Value) -> bool:
    if a.key != b.key or not _close(a.low, b.low, VALUE_TOLERANCE):
        return False
    if a.high is None or b.high is None:
        return a.high is None and b.high is None
    return _close(a.high, b.high, VALUE_TOLERANCE)


def _growth_match(a: _Growth, b: _Growth) -> bool:
    return a.key == b.key and abs(a.growth_pct - b.growth_pct) <= GROWTH_TOLERANCE_POINTS


def _distinct_values(values: Iterable[_Value]) -> list[_Value]:
    seen: dict[tuple[Any, ...], _Value] = {}
    for v in values:
        seen.setdefault((*v.key, round(v.low), None if v.high is None else round(v.high)), v)
    return list(seen.values())


def _distinct_growth(items: Iterable[_Growth]) -> list[_Growth]:
    seen: dict[tuple[Any, ...], _Growth] = {}
    for g in items:
        seen.setdefault((*g.key, round(g.growth_pct, 3)), g)
    return list(seen.values())


def _tally(
    produced: list[Item],
    required: list[Item],
    optional: list[Item],
    same: Callable[[Item, Item], bool],
    counts: Counts,
    report: ScoreReport,
    kind: str,
) -> None:
    """Greedy one-to-one matching of produced items to required gold items."""
    open_gold = list(required)
    for item in produced:
        hit = next((g for g in open_gold if same(item, g)), None)
        if hit is not None:
            open_gold.remove(hit)
            counts.true_positives += 1
        elif any(same(item, g) for g in optional):
            continue
        elif any(same(item, g) for g in required):
            continue  # a second restatement of a gold fact already matched
        else:
            counts.false_positives += 1
            report.false_positives.append({"kind": kind, **item.__dict__})
    counts.misses += len(open_gold)
    report.misses.extend({"kind": kind, **g.__dict__} for g in open_gold)


def score(
    produced: Iterable[dict[str, Any]],
    gold: GoldSet,
    *,
    article_ids: Iterable[str] | None = None,
) -> ScoreReport:
    """Precision and recall of produced fact dicts (CapexFact/StatedGrowth.to_dict()).

    Recall counts only the articles that were scored: `article_ids` when given (pass every
    article you ran, including those that yielded nothing), else the articles seen in
    `produced`. Any produced fact without a matching gold line is a false positive.
    """
    lines = list(produced)
    scored = set(article_ids) if article_ids is not None else {str(d["article_id"]) for d in lines}
    values = _distinct_values(_value_of(d) for d in lines if not _is_growth(d))
    growth = _distinct_growth(_growth_of(d) for d in lines if _is_growth(d))
    report = ScoreReport(Counts(), Counts(), [], [], len(scored))

    def in_scope(items: list[Item]) -> list[Item]:
        return [x for x in items if x.article_id in scored]

    required, optional = in_scope(gold.values), in_scope(gold.optional_values)
    _tally(values, required, optional, _values_match, report.values, report, "value")
    required_g, optional_g = in_scope(gold.growth), in_scope(gold.optional_growth)
    _tally(growth, required_g, optional_g, _growth_match, report.growth, report, "stated_growth")
    return report


def _describe(item: dict[str, Any]) -> str:
    if item["kind"] == "stated_growth":
        what = f"{item['from_period']}->{item['to_period']} {item['growth_pct']:+.1f}%"
    else:
        high = item["high"]
        what = f"{item['period']} {item['low'] / 1e8:g}亿" + (
            f"-{high / 1e8:g}亿" if high is not None else ""
        )
    return (
        f"  {item['article_id']} {item['company']} {item['metric']} {item['basis']} {what}\n"
        f"    {item['sentence']}"
    )


def format_report(report: ScoreReport, verbose: bool = False) -> str:
    """A short summary; with verbose, every false positive and miss with its sentence."""
    lines = [f"articles scored: {report.articles}"]
    for name, counts in (("value facts", report.values), ("stated growth", report.growth)):
        lines.append(
            f"{name}: precision {counts.precision:.3f}  recall {counts.recall:.3f}  "
            f"F1 {counts.f1:.3f}  (tp {counts.true_positives}, fp {counts.false_positives}, "
            f"missed {counts.misses})"
        )
    if verbose:
        lines.append(f"false positives ({len(report.false_positives)}):")
        lines.extend(_describe(item) for item in report.false_positives)
        lines.append(f"misses ({len(report.misses)}):")
        lines.extend(_describe(item) for item in report.misses)
    return "\n".join(lines)
