"""The sample pages shipped in pipelines/samples: they parse, except the deliberately broken one."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.ingest.folder import FolderImportError, read_folder
from pipelines.parse import parse_markdown_article, parse_raw_page
from pipelines.records import ParseError, RawPage

SAMPLES = Path(__file__).resolve().parents[2] / "pipelines" / "samples"
BROKEN = "inekqbrk5550001"


@pytest.fixture(scope="module")
def pages() -> list[RawPage]:
    items = list(read_folder(SAMPLES))
    assert not [item for item in items if isinstance(item, FolderImportError)]
    return items


def test_every_sample_parses_but_the_broken_one(pages: list[RawPage]) -> None:
    assert len(pages) == 6
    for page in pages:
        assert page.format == "sina_html"
        assert Path(page.origin).name == f"doc-{page.article_id}.shtml"
        if page.article_id == BROKEN:
            with pytest.raises(ParseError, match="no article body"):
                parse_raw_page(page)
            continue
        article = parse_raw_page(page)
        assert article.title and article.source
        assert (article.published_at.year, article.published_at.month) == (2025, 2)
        for clutter in ("责任编辑", "海量资讯", "扫码", "脚本", "news_keyword"):
            assert clutter not in article.body


def test_samples_state_the_reported_figures(pages: list[RawPage]) -> None:
    text = "\n".join(parse_raw_page(page).body for page in pages if page.article_id != BROKEN)
    for figure in (
        "1510亿美元", "2460亿美元", "63%", "3200亿美元", "158亿美元", "800亿美元",
        "750亿美元", "588亿美元", "160亿美元和180亿美元", "143亿美元", "278亿美元",
        "223亿美元", "146亿美元", "830亿美元", "1000亿美元", "600亿至650亿美元",
    ):  # fmt: skip
        assert figure in text


def test_samples_are_not_copied_from_the_seed(shared_dir: Path, pages: list[RawPage]) -> None:
    seed = parse_markdown_article((shared_dir / "seeds/000_cc014803480a18ee.txt").read_text())
    seed_sentences = [s for s in seed.body.replace("\n", "。").split("。") if len(s) >= 12]
    assert seed_sentences
    for page in pages:
        if page.article_id != BROKEN:
            body = parse_raw_page(page).body
            assert not [sentence for sentence in seed_sentences if sentence in body]
