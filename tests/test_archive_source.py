"""`capex run --source archive`: a folder of saved articles in every supported format."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.sources import SAMPLES_DIR
from pipelines.warehouse.db import connect

MARKDOWN = """---
title: "Meta sets its 2025 spending plan"
date: "2025-01-30 07:15:00"
categories:
  - "sina_us_stock"
---

Meta表示，公司预计2025年资本支出在600亿美元至650亿美元之间。

[sina_us_stock](https://finance.sina.com.cn/stock/usstock/c/2025-01-30/doc-inefmeta1234567.shtml)
"""

CORPUS_LINE = {
    "doc_id": "ineftsla7654321",
    "url": "https://finance.sina.com.cn/stock/usstock/c/2025-01-30/doc-ineftsla7654321.shtml",
    "title": "Tesla results",
    "intro": "",
    "author": "",
    "listed_at": "2025-01-30 06:40:00",
    "oid": "1",
    "article_html": (
        '<div class="article" id="artibody">'
        "<p>　　特斯拉预计今年资本支出将超过110亿美元。</p></div>"
    ),
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "saved"
    (root / "pages").mkdir(parents=True)
    shutil.copy(SAMPLES_DIR / "doc-inekpwmz4302187.shtml", root / "pages")
    (root / "meta.md").write_text(MARKDOWN, encoding="utf-8")
    (root / "notes.md").write_text("just a note, no front matter\n", encoding="utf-8")
    lines = [json.dumps(CORPUS_LINE, ensure_ascii=False), "{not json"]
    (root / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_every_format_loads_and_bad_files_are_recorded(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "capex.duckdb"
    code = main(
        [
            "run",
            "--source",
            "archive",
            "--archive",
            str(folder),
            "--warehouse",
            str(warehouse),
            "--date",
            "2025-02-08",
        ]
    )
    assert code == 0, capsys.readouterr().err
    con = connect(warehouse, read_only=True)
    try:
        articles = {row[0] for row in con.execute("select article_id from articles").fetchall()}
        failures = con.execute("select stage, article_id, reason from failures").fetchall()
        facts = con.execute(
            "select company, basis, period, value_low_usd, value_high_usd from capex_facts "
            "where article_id in ('inefmeta1234567', 'ineftsla7654321') order by 1"
        ).fetchall()
    finally:
        con.close()
    assert articles == {"inekpwmz4302187", "inefmeta1234567", "ineftsla7654321"}
    reasons = {Path(where).name.split(":")[0]: reason for stage, where, reason in failures}
    assert {stage for stage, _, _ in failures} == {"import"}
    assert "front matter" in reasons["notes.md"]
    assert "records.jsonl" in reasons
    assert ("META", "guidance", "2025", 60e9, 65e9) in facts


def test_a_missing_archive_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["run", "--source", "archive", "--archive", str(tmp_path / "nope")])
    assert code == 2
    assert "archive folder not found" in capsys.readouterr().err
