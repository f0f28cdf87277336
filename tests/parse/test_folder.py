"""Importing a folder of article files: Sina pages, Markdown, corpus JSON Lines."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from pipelines.ingest.folder import FolderImportError, read_folder
from pipelines.parse import BEIJING, parse_raw_page
from pipelines.records import RawPage
from tests.parse.bodies import CLEAN_LINES, CLUTTERED_BODY
from tests.parse.test_markdown import OWN_ARTICLE
from tests.support.sina_pages import render_article_page

PUBLISHED = datetime(2025, 2, 6, 9, 30, tzinfo=BEIJING)


def _record(doc_id: str, text: str) -> str:
    return json.dumps(
        {
            "doc_id": doc_id,
            "url": f"https://finance.sina.com.cn/stock/usstock/c/2025-02-06/doc-{doc_id}.shtml",
            "title": "示例记录",
            "listed_at": "2025-02-06 09:30:00",
            "article_html": f'<div class="article" id="artibody"><p>　　{text}</p></div>',
        },
        ensure_ascii=False,
    )


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    page = render_article_page(
        doc_id="inekxef1111111",
        title="示例页面",
        published_at=PUBLISHED,
        source="示例财经",
        body_html=CLUTTERED_BODY,
        charset="gbk",
    )
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "b.shtml").write_bytes(page)
    (tmp_path / "a.md").write_text(OWN_ARTICLE, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("没有前置元数据的笔记。\n", encoding="utf-8")
    lines = [
        _record("inekxgh2222222", "第一条。"),
        "{not json",
        "",
        _record("inekxij3333333", "第三条。"),
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# 说明\n", encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    return tmp_path


def test_mixed_folder(mixed_folder: Path) -> None:
    items = list(read_folder(mixed_folder))
    pages = [item for item in items if isinstance(item, RawPage)]
    errors = [item for item in items if isinstance(item, FolderImportError)]
    assert [(page.format, page.article_id) for page in pages] == [
        ("markdown", "inekxcd7654321"),
        ("corpus_json", "inekxgh2222222"),
        ("corpus_json", "inekxij3333333"),
        ("sina_html", "inekxef1111111"),
    ]
    assert [(error.path.name, error.line) for error in errors] == [
        ("c.jsonl", 2),
        ("notes.txt", None),
    ]
    assert "JSON" in errors[0].reason and "front matter" in errors[1].reason

    html = pages[-1]
    assert html.content == (mixed_folder / "pages" / "b.shtml").read_bytes()
    assert (
        html.url
        == "https://finance.sina.com.cn/stock/usstock/c/2025-02-06/doc-inekxef1111111.shtml"
    )
    assert pages[1].listed_at == PUBLISHED
    assert all(page.fetched_at.tzinfo is not None for page in pages)

    articles = [parse_raw_page(page) for page in pages]
    assert articles[-1].body.split("\n") == CLEAN_LINES
    assert articles[1].body == "第一条。"
    assert articles[0].title == "Meta上调今年投入计划"


def test_order_is_stable(mixed_folder: Path) -> None:
    first = [getattr(item, "article_id", None) or str(item) for item in read_folder(mixed_folder)]
    again = [getattr(item, "article_id", None) or str(item) for item in read_folder(mixed_folder)]
    assert first == again


def test_single_file(mixed_folder: Path) -> None:
    [page] = read_folder(mixed_folder / "a.md")
    assert isinstance(page, RawPage) and page.format == "markdown"
    [error] = read_folder(mixed_folder / "logo.png")
    assert isinstance(error, FolderImportError) and "unsupported" in error.reason


def test_page_without_ids_gets_a_content_hash(tmp_path: Path) -> None:
    (tmp_path / "x.html").write_bytes(b"<html><body><p>no ids here</p></body></html>")
    [page] = read_folder(tmp_path)
    assert page.url is None and page.article_id.startswith("h")


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(read_folder(tmp_path / "absent"))
