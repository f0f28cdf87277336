"""The scorer's matching rule, on small gold files written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.extract.scoring import format_report, load_gold, score


def _fact(article: str = "a1", period: str = "2025", low: float = 75e9, **extra) -> dict:
    return {
        "article_id": article,
        "company": "GOOGL",
        "metric": "capex",
        "basis": "guidance",
        "period": period,
        "value_low_usd": low,
        "value_high_usd": extra.pop("high", low),
        "qualifier": "exact",
        "sentence": "某句话。",
        **extra,
    }


def _growth(article: str = "a1", pct: float = 63.0) -> dict:
    return {
        "article_id": article,
        "kind": "stated_growth",
        "company": "GOOGL",
        "metric": "capex",
        "basis": "actual",
        "from_period": "2023",
        "to_period": "2024",
        "growth_pct": pct,
        "sentence": "某句话。",
    }


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    lines = [
        _fact(),
        _fact(period="2025Q1", low=16e9, high=18e9),
        _fact(period="2024", low=1e9, optional=True),
        _growth(),
        _fact(article="a2", period="2024"),
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    return path


def test_perfect_output_scores_one(gold_file: Path) -> None:
    gold = load_gold(gold_file)
    produced = [_fact(), _fact(period="2025Q1", low=16e9, high=18e9), _growth()]
    report = score(produced, gold, article_ids=["a1"])
    assert (report.values.precision, report.values.recall) == (1.0, 1.0)
    assert report.growth.true_positives == 1


def test_values_within_one_percent_match_and_others_do_not(gold_file: Path) -> None:
    gold = load_gold(gold_file)
    report = score([_fact(low=75.5e9), _fact(period="2025Q1", low=16e9, high=19e9)], gold)
    assert report.values.true_positives == 1
    assert report.values.false_positives == 1
    assert report.values.misses == 1


def test_restatements_count_once_and_optional_lines_are_free(gold_file: Path) -> None:
    gold = load_gold(gold_file)
    produced = [_fact(), _fact(sentence="另一句。"), _fact(period="2024", low=1e9)]
    report = score(produced, gold, article_ids=["a1"])
    assert report.values.true_positives == 1
    assert report.values.false_positives == 0


def test_basis_must_agree(gold_file: Path) -> None:
    report = score([_fact(basis="consensus")], load_gold(gold_file), article_ids=["a1"])
    assert report.values.true_positives == 0
    assert report.values.false_positives == 1


def test_recall_counts_only_scored_articles(gold_file: Path) -> None:
    gold = load_gold(gold_file)
    report = score([_fact(article="a2", period="2024")], gold)
    assert report.values.recall == 1.0
    report_all = score([_fact(article="a2", period="2024")], gold, article_ids=["a1", "a2"])
    assert report_all.values.misses == 2  # the two required a1 facts (the third is optional)


def test_growth_tolerance_is_half_a_point(gold_file: Path) -> None:
    gold = load_gold(gold_file)
    assert score([_growth(pct=63.4)], gold).growth.true_positives == 1
    assert score([_growth(pct=64.0)], gold).growth.false_positives == 1


def test_verbose_report_lists_misses_with_sentences(gold_file: Path) -> None:
    report = score([], load_gold(gold_file), article_ids=["a1"])
    text = format_report(report, verbose=True)
    assert "misses (3)" in text
    assert "某句话。" in text
    assert "recall 0.000" in format_report(report)
