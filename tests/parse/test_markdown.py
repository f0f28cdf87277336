"""Markdown articles with YAML front matter, the layout of the seed article."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from pipelines.parse import BEIJING, parse_markdown_article
from pipelines.records import ParseError

SEED = "seeds/000_cc014803480a18ee.txt"

OWN_ARTICLE = """---
title: "Meta上调今年投入计划"
date: "2025-02-05 08:15:00"
categories:
  - "sina_us_stock"
tags:
  - "sina_us_stock"
---

　　来源：示例财经

Meta表示，今年的资本支出预计在600亿至650亿美元之间。

![机房](//n.sinaimg.cn/finance/d.png)
公司还在[官方博客](https://example.com/blog)上介绍了**新的数据中心**。

海量资讯、精准解读，尽在新浪财经APP

[sina_us_stock](https://finance.sina.com.cn/stock/usstock/c/2025-02-05/doc-inekxcd7654321.shtml)
"""


def test_own_markdown_article() -> None:
    article = parse_markdown_article(OWN_ARTICLE)
    assert article.article_id == "inekxcd7654321"
    assert article.url.endswith("doc-inekxcd7654321.shtml")
    assert article.title == "Meta上调今年投入计划"
    assert article.published_at == datetime(2025, 2, 5, 8, 15, tzinfo=BEIJING)
    assert article.source == "示例财经"
    assert article.body.split("\n") == [
        "来源：示例财经",
        "Meta表示，今年的资本支出预计在600亿至650亿美元之间。",
        "机房",
        "公司还在官方博客上介绍了新的数据中心。",
    ]


def test_unquoted_yaml_date_is_beijing_time() -> None:
    text = OWN_ARTICLE.replace('date: "2025-02-05 08:15:00"', "date: 2025-02-05 08:15:00")
    assert parse_markdown_article(text).published_at == datetime(2025, 2, 5, 8, 15, tzinfo=BEIJING)


def test_without_source_link_the_fallback_id_is_used() -> None:
    text = OWN_ARTICLE[: OWN_ARTICLE.index("[sina_us_stock]")]
    article = parse_markdown_article(text, fallback_id="hfallback")
    assert (article.article_id, article.url) == ("hfallback", None)


def test_no_front_matter_raises() -> None:
    with pytest.raises(ParseError, match="no YAML front matter"):
        parse_markdown_article("Meta表示，今年的资本支出会增加。\n")


def test_seed_article(shared_dir: Path) -> None:
    article = parse_markdown_article((shared_dir / SEED).read_text(encoding="utf-8"))
    assert article.article_id == "ineisiaa7509581"
    assert article.published_at == datetime(2025, 2, 7, 20, 6, 3, tzinfo=BEIJING)
    assert "3200亿美元" in article.title
    for marker in ("![", "](", "---", "海量资讯", "sinaimg"):
        assert marker not in article.body
    gold = [json.loads(line) for line in (shared_dir / "gold/dev.jsonl").read_text().splitlines()]
    sentences = {fact["sentence"] for fact in gold if fact["article_id"] == article.article_id}
    assert sentences
    for sentence in sentences:
        assert sentence in article.body
