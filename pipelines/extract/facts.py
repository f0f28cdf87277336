"""The facts the extractor emits: capex values and stated growth, each with its source sentence."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from operator import attrgetter
from typing import Any, ClassVar, Literal

Basis = Literal["actual", "guidance", "consensus"]
Qualifier = Literal["exact", "approx", "over", "at_least", "up_to", "range"]
Field = Literal["body", "title"]


_WHO = ("company", "metric", "basis")


# Slots: dense articles make thousands of these, and slotted instances are quicker to make.
@dataclass(frozen=True, slots=True)
class _Stated:
    """Who a statement is about, on which basis; subclasses add what and where."""

    article_id: str
    company: str
    metric: str
    basis: Basis

    # What makes two statements the same (used to drop exact repeats in an article).
    _key_of: ClassVar[attrgetter[Any]] = attrgetter(*_WHO)

    def key(self) -> tuple[Any, ...]:
        return self._key_of(self)


@dataclass(frozen=True, slots=True)
class CapexFact(_Stated):
    """One amount an article states for one entity, metric, basis and period."""

    period: str
    value_low_usd: float
    value_high_usd: float | None
    qualifier: Qualifier
    sentence: str
    field: Field
    sentence_start: int
    sentence_end: int
    # A guidance figure the same sentence says was replaced ("从750亿美元上调至850亿美元",
    # "下调至300亿美元，此前预期为340亿美元"): still a fact, but not the current outlook.
    superseded: bool = False

    _key_of: ClassVar[attrgetter[Any]] = attrgetter(
        *_WHO, "period", "value_low_usd", "value_high_usd"
    )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class StatedGrowth(_Stated):
    """A growth rate the article states between two named periods (飙升63%, 同比增长42.7%)."""

    from_period: str
    to_period: str
    growth_pct: float
    sentence: str
    field: Field
    sentence_start: int
    sentence_end: int

    _key_of: ClassVar[attrgetter[Any]] = attrgetter(*_WHO, "from_period", "to_period", "growth_pct")

    def to_dict(self) -> dict[str, Any]:
        # The gold files mark growth lines with a kind, so produced lines carry it too.
        return {"kind": "stated_growth", **asdict(self)}


@dataclass
class Extraction:
    """Everything one article yields, in text order."""

    facts: list[CapexFact] = field(default_factory=list)
    growth: list[StatedGrowth] = field(default_factory=list)
    skipped_non_usd: int = 0
