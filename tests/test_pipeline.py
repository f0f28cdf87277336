"""The whole asset graph, materialised for real into a temporary warehouse, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.running import run_pipeline
from pipelines.warehouse.db import connect

GROUP = "AMZN+GOOGL+META+MSFT"


def _counts(warehouse: Path) -> dict[str, int]:
    con = connect(warehouse, read_only=True)
    try:
        tables = [row[0] for row in con.execute("show tables").fetchall()]
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("samples") / "capex.duckdb"
    run_pipeline(source="samples", archive=None, warehouse=warehouse, partition="2025-02-07")
    return warehouse


def _query(warehouse: Path, sql: str, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert main(["sql", "--warehouse", str(warehouse), "--format", "json", sql]) == 0
    return json.loads(capsys.readouterr().out)


def test_growth_of_the_four_companies_is_computed_from_two_facts(
    sample_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _query(
        sample_warehouse,
        f"select growth, value_usd, prior_value_usd from capex_yoy "
        f"where company = '{GROUP}' and period = '2024'",
        capsys,
    )
    assert len(rows) == 1
    assert rows[0]["growth"] == pytest.approx(0.629, abs=0.001)
    assert rows[0]["value_usd"] == 246e9 and rows[0]["prior_value_usd"] == 151e9


def test_every_fact_keeps_its_sentence_and_provenance(
    sample_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _query(
        sample_warehouse,
        "select f.sentence, f.sentence_start, f.sentence_end, f.field, a.body, a.title, f.url "
        "from capex_facts f join articles a using (article_id)",
        capsys,
    )
    assert len(rows) >= 10
    for row in rows:
        text = row["body"] if row["field"] == "body" else row["title"]
        assert text[row["sentence_start"] : row["sentence_end"]] == row["sentence"]
        assert row["url"]


def test_a_broken_page_is_recorded_with_its_reason_and_the_rest_load(
    sample_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failures = _query(sample_warehouse, "select stage, reason from failures", capsys)
    assert [f["stage"] for f in failures] == ["parse"]
    assert "body" in failures[0]["reason"]
    articles = _query(sample_warehouse, "select count(*) as n from articles", capsys)
    raw = _query(sample_warehouse, "select count(*) as n from raw_pages", capsys)
    # Every archived page is either an article or a recorded failure: nothing is lost.
    assert articles[0]["n"] + len(failures) == raw[0]["n"]


def test_a_second_run_leaves_every_table_as_it_was(sample_warehouse: Path) -> None:
    before = _counts(sample_warehouse)
    report = run_pipeline(
        source="samples", archive=None, warehouse=sample_warehouse, partition="2025-02-07"
    )
    assert _counts(sample_warehouse) == before
    # Nothing new: the listing is read again and everything after it is skipped.
    assert [line.split()[1] for line in report.built] == ["article_index"]


def test_a_model_whose_sql_changed_is_rebuilt_without_new_data(sample_warehouse: Path) -> None:
    from pipelines.warehouse.db import open_warehouse

    with open_warehouse(sample_warehouse) as con:  # as if capex_yoy.sql had been edited
        con.execute("update model_builds set sql_version = 'old' where name = 'capex_yoy'")
    report = run_pipeline(
        source="samples", archive=None, warehouse=sample_warehouse, partition="2025-02-07"
    )
    assert "capex_yoy" in [line.split()[1] for line in report.built]
    con = connect(sample_warehouse, read_only=True)
    try:
        stale = con.execute("select count(*) from model_builds where sql_version = 'old'")
        assert stale.fetchone() == (0,)
    finally:
        con.close()


def test_sql_refuses_writes_and_formats_csv(
    sample_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sql", "--warehouse", str(sample_warehouse), "delete from capex_facts"]) == 2
    assert "read-only" in capsys.readouterr().err
    assert (
        main(
            [
                "sql",
                "--warehouse",
                str(sample_warehouse),
                "--format",
                "csv",
                "select company, period from capex_yoy order by 1, 2",
            ]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "company,period" and f"{GROUP},2024" in lines


def test_sql_on_a_missing_warehouse_says_how_to_build_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sql", "--warehouse", str(tmp_path / "none.duckdb"), "select 1"]) == 2
    assert "capex run" in capsys.readouterr().err
