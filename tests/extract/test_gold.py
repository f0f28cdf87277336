"""The extractor scored against the hand-labelled development gold (seed + corpus).

Reads ../shared at run time through the `shared_dir` fixture; skipped when it is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.extract import extract
from pipelines.extract.scoring import ScoreReport, format_report, load_gold, score
from pipelines.parse.corpus import parse_corpus_record
from pipelines.parse.markdown import parse_markdown_article
from pipelines.records import Article

SEED_ARTICLE_ID = "ineisiaa7509581"


def _articles(shared: Path) -> list[Article]:
    seed_text = (shared / "seeds" / "000_cc014803480a18ee.txt").read_text(encoding="utf-8")
    articles = [parse_markdown_article(seed_text)]
    for corpus_file in sorted((shared / "corpus").glob("*.jsonl")):
        with open(corpus_file, encoding="utf-8") as handle:
            articles += [parse_corpus_record(json.loads(line)) for line in handle if line.strip()]
    return articles


@pytest.fixture(scope="module")
def scored(shared_dir: Path) -> tuple[ScoreReport, dict[str, int], set[str]]:
    articles = _articles(shared_dir)
    gold = load_gold(shared_dir / "gold" / "dev.jsonl")
    produced: list[dict] = []
    facts_per_article: dict[str, int] = {}
    for article in articles:
        result = extract(
            article.body,
            published_at=article.published_at,
            article_id=article.article_id,
            title=article.title,
        )
        produced += [f.to_dict() for f in result.facts] + [g.to_dict() for g in result.growth]
        facts_per_article[article.article_id] = len(result.facts)
    report = score(produced, gold, article_ids=[a.article_id for a in articles])
    return report, facts_per_article, gold.article_ids


def test_seed_article_is_part_of_the_run(scored) -> None:
    _, facts_per_article, _ = scored
    assert facts_per_article[SEED_ARTICLE_ID] > 0


def test_value_facts_meet_targets(scored) -> None:
    report, _, _ = scored
    summary = format_report(report, verbose=True)
    assert report.values.precision >= 0.97, summary
    assert report.values.recall >= 0.95, summary


def test_stated_growth_is_found(scored) -> None:
    report, _, _ = scored
    assert report.growth.true_positives >= 1, format_report(report, verbose=True)


def test_articles_without_gold_yield_no_capex_fact(scored) -> None:
    _, facts_per_article, gold_articles = scored
    noisy = {a: n for a, n in facts_per_article.items() if a not in gold_articles and n}
    assert noisy == {}


def test_the_eval_command_passes_its_floors_on_the_dev_gold(
    shared_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipelines.cli import main

    code = main(
        [
            "eval",
            "--gold",
            str(shared_dir / "gold" / "dev.jsonl"),
            str(shared_dir / "seeds"),
            str(shared_dir / "corpus"),
            "--min-precision",
            "0.97",
            "--min-recall",
            "0.95",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "articles scored: 227" in out
