"""Each model answers its question from warehouses built by materialising the real assets.

Three in-process runs of the whole graph (each 2 to 5 s): the shipped samples, three
articles of our own in which Alphabet raises its guidance twice, and, when the reference
material is present, the 226-article corpus.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import dagster as dg
import pytest

from pipelines.cli import main
from pipelines.defs.reports.assets import capex_chart
from pipelines.defs.resources import WarehouseResource
from pipelines.running import RunReport, run_pipeline
from pipelines.warehouse.models import load_models

GROUP = "AMZN+GOOGL+META+MSFT"
BILLION = 1e9

# Alphabet's 2025 plan as three articles tell it over the year (our own wording).
REVISION_ARTICLES = {
    "inrevis0000001": (
        "2025-02-05 06:30:00",
        "Alphabet公布2025年投资计划",
        "谷歌母公司Alphabet在财报电话会上表示，公司2025年的资本支出预计为750亿美元，"
        "主要投向服务器和数据中心。",
    ),
    "inrevis0000002": (
        "2025-07-24 06:10:00",
        "Alphabet上调全年资本开支预期",
        "Alphabet周三盘后发布第二季度财报。\n"
        "公司表示，由于云业务需求强劲，已将2025年资本支出预期从750亿美元上调至850亿美元。",
    ),
    "inrevis0000003": (
        "2025-10-30 06:05:00",
        "Alphabet再度提高资本开支指引",
        "Alphabet周三表示，公司把2025年资本支出预期从850亿美元进一步上调至910亿至930亿美元。",
    ),
}


def _query(warehouse: Path, sql: str, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    capsys.readouterr()
    assert main(["sql", "--warehouse", str(warehouse), "--format", "json", sql]) == 0
    return json.loads(capsys.readouterr().out)


def _one(warehouse: Path, sql: str, capsys: pytest.CaptureFixture[str]) -> dict:
    rows = _query(warehouse, sql, capsys)
    assert len(rows) == 1, rows
    return rows[0]


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunReport]:
    warehouse = tmp_path_factory.mktemp("samples") / "capex.duckdb"
    report = run_pipeline(
        source="samples", archive=None, warehouse=warehouse, partition="2025-02-07"
    )
    return warehouse, report


def test_every_model_check_passes_on_the_samples(samples: tuple[Path, RunReport]) -> None:
    _, report = samples
    models = {model.name for model in load_models()}
    assert not [line for line in report.failed_checks if line.split(" on ")[1].split()[0] in models]
    assert models | {"capex_chart"} <= {line.split()[1] for line in report.built}


def test_yoy_four_companies_and_amazon_quarter(samples, capsys) -> None:
    warehouse, _ = samples
    group = _one(warehouse, f"select * from capex_yoy where company = '{GROUP}'", capsys)
    assert (group["prior_period"], group["period"]) == ("2023", "2024")
    assert group["growth"] == pytest.approx(0.629, abs=0.001)
    amazon = _one(warehouse, "select * from capex_yoy where company = 'AMZN'", capsys)
    assert (amazon["prior_period"], amazon["period"]) == ("2023Q4", "2024Q4")
    assert amazon["growth"] == pytest.approx(0.904, abs=0.001)


def test_guided_growth_amazon_2025_against_2024(samples, capsys) -> None:
    warehouse, _ = samples
    amazon = _one(
        warehouse,
        "select guidance_usd, prior_period, prior_actual_usd, growth from capex_guided_growth "
        "where company = 'AMZN' and period = '2025'",
        capsys,
    )
    assert amazon == {
        "guidance_usd": 100 * BILLION,
        "prior_period": "2024",
        "prior_actual_usd": 83 * BILLION,
        "growth": pytest.approx(0.205, abs=0.001),
    }
    # The four companies' "over 320 bn" gives at least +30%, flagged as a lower bound.
    group = _one(warehouse, f"select * from capex_guided_growth where company = '{GROUP}'", capsys)
    assert group["is_lower_bound"] and group["growth_high"] is None
    assert group["growth"] == pytest.approx(0.301, abs=0.001)


def test_surprise_amazon_fourth_quarter(samples, capsys) -> None:
    warehouse, _ = samples
    rows = _query(
        warehouse,
        "select period, value_usd, consensus_usd, surprise, versus_consensus "
        "from capex_surprise where company = 'AMZN' and basis = 'actual'",
        capsys,
    )
    assert rows == [
        {
            "period": "2024Q4",
            "value_usd": 27.8 * BILLION,
            "consensus_usd": 22.3 * BILLION,
            "surprise": pytest.approx(0.247, abs=0.001),
            "versus_consensus": "above",
        }
    ]


def test_reconciliation_the_seed_63_percent_agrees(samples, capsys) -> None:
    warehouse, _ = samples
    row = _one(warehouse, "select * from capex_growth_reconciliation", capsys)
    assert (row["company"], row["from_period"], row["to_period"]) == (GROUP, "2023", "2024")
    assert row["stated_growth"] == pytest.approx(0.63)
    assert row["computed_growth"] == pytest.approx(0.629, abs=0.001)
    assert row["status"] == "agrees"


def test_chart_asset_writes_a_png_and_shows_it_in_metadata(samples) -> None:
    warehouse, _ = samples
    result = dg.materialize(
        [capex_chart], resources={"warehouse": WarehouseResource(path=str(warehouse))}
    )
    metadata = result.asset_materializations_for_node("capex_chart")[0].metadata
    path = Path(metadata["path"].value)
    assert path == (warehouse.parent / "reports" / "capex_by_company.png").resolve()
    png = path.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    markdown = metadata["chart"].value
    prefix = "![capex by company](data:image/png;base64,"
    assert markdown.startswith(prefix) and markdown.endswith(")")
    assert base64.b64decode(markdown[len(prefix) : -1]) == png
    assert metadata["companies"].value == 5  # the group, Amazon, Alphabet, Meta, Microsoft


@pytest.fixture(scope="module")
def revisions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("revision_articles")
    for article_id, (published, title, body) in REVISION_ARTICLES.items():
        url = f"https://finance.sina.com.cn/stock/usstock/c/{published[:10]}/doc-{article_id}.shtml"
        (folder / f"{article_id}.md").write_text(
            f'---\ntitle: "{title}"\ndate: "{published}"\n---\n{body}\n\n[sina_us_stock]({url})\n',
            encoding="utf-8",
        )
    warehouse = tmp_path_factory.mktemp("revisions") / "capex.duckdb"
    run_pipeline(source="archive", archive=folder, warehouse=warehouse, partition="2025-10-30")
    return warehouse


def test_guidance_revisions_over_the_year(revisions: Path, capsys) -> None:
    steps = _query(
        revisions,
        "select article_id, guidance_low_usd, guidance_high_usd, direction, change_usd "
        "from capex_guidance_revisions where company = 'GOOGL' and period = '2025' "
        "order by revision_number",
        capsys,
    )
    assert [
        (s["article_id"], s["guidance_low_usd"] / BILLION, s["guidance_high_usd"] / BILLION)
        for s in steps
    ] == [
        ("inrevis0000001", 75, 75),
        ("inrevis0000002", 75, 75),  # "from 75 ..." restates the plan, then
        ("inrevis0000002", 85, 85),  # "... to 85": old before new, in text order
        ("inrevis0000003", 85, 85),
        ("inrevis0000003", 91, 93),
    ]
    assert [s["direction"] for s in steps] == [
        "initial",
        "reiterated",
        "raised",
        "reiterated",
        "raised",
    ]
    assert steps[-1]["change_usd"] == 7 * BILLION  # 85 bn to the 92 bn midpoint
    # Guided growth and the chart use the latest plan, not an average of the three.
    headline = _one(
        revisions,
        "select value_usd, values_disagree from capex_facts_consolidated "
        "where company = 'GOOGL' and basis = 'guidance'",
        capsys,
    )
    assert headline == {"value_usd": 92 * BILLION, "values_disagree": True}


def test_alphabet_surprise_and_disagreeing_consensus_in_the_corpus(
    shared_dir: Path, tmp_path: Path, capsys
) -> None:
    warehouse = tmp_path / "capex.duckdb"
    run_pipeline(
        source="archive", archive=shared_dir / "corpus", warehouse=warehouse, partition="2025-02-05"
    )
    quarter = _one(
        warehouse,
        "select * from capex_surprise where company = 'GOOGL' and period = '2024Q4'",
        capsys,
    )
    assert (quarter["value_usd"], quarter["consensus_usd"]) == (14 * BILLION, 13.26 * BILLION)
    assert quarter["surprise"] == pytest.approx(0.056, abs=0.001)
    # Two sources expected 58.8 and 57.9 bn for 2025: both stay visible, neither is averaged.
    plan = _one(
        warehouse,
        "select * from capex_surprise where company = 'GOOGL' and period = '2025'",
        capsys,
    )
    assert plan["consensus_values_disagree"]
    assert (plan["consensus_lowest_usd"], plan["consensus_highest_usd"]) == (
        57.9 * BILLION,
        58.8 * BILLION,
    )
    assert plan["surprise_low"] == pytest.approx(75 / 58.8 - 1)
    assert plan["surprise_high"] == pytest.approx(75 / 57.9 - 1)
