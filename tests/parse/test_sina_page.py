"""Whole Sina pages (current PC, older PC, mobile) to Articles."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from pipelines.parse import BEIJING, parse_beijing_time, parse_raw_page, parse_sina_page
from pipelines.records import ParseError, RawPage
from tests.parse.bodies import CLEAN_LINES, CLUTTER_MARKERS, CLUTTERED_BODY, MOBILE_BODY
from tests.support.sina_pages import article_url, render_article_page

DOC_ID = "inekxab1234567"
TITLE = "微软数据中心投入再创新高"
PUBLISHED = datetime(2025, 2, 7, 20, 6, 3, tzinfo=BEIJING)


def _page(layout: str = "pc", charset: str = "utf-8", padding_kb: int = 0, **kwargs) -> bytes:
    fields = {
        "doc_id": DOC_ID,
        "title": TITLE,
        "published_at": PUBLISHED,
        "source": "示例财经",
        "body_html": CLUTTERED_BODY,
    } | kwargs
    return render_article_page(layout=layout, charset=charset, padding_kb=padding_kb, **fields)


def test_pc_page_gives_title_time_source_and_clean_body() -> None:
    url = article_url(DOC_ID, PUBLISHED)
    article = parse_sina_page(_page(padding_kb=100), url=url)
    assert article.article_id == DOC_ID
    assert article.url == url
    assert article.title == TITLE
    assert article.published_at == PUBLISHED
    assert article.published_at.utcoffset() == timedelta(hours=8)
    assert article.source == "示例财经"
    assert article.body.split("\n") == CLEAN_LINES


@pytest.mark.parametrize("marker", CLUTTER_MARKERS)
def test_clutter_is_removed(marker: str) -> None:
    assert marker in CLUTTERED_BODY
    assert marker not in parse_sina_page(_page(), url=None).body


def test_padding_reaches_real_page_weight_without_changing_the_article() -> None:
    bare, padded = _page(), _page(padding_kb=100)
    assert 95 * 1024 <= len(padded) <= 110 * 1024
    assert parse_sina_page(padded, url=None) == parse_sina_page(bare, url=None)


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("2025年02月07日 20:06", datetime(2025, 2, 7, 20, 6)),
        ("2025年02月07日20:06", datetime(2025, 2, 7, 20, 6)),
        ("2016年09月27日07:54", datetime(2016, 9, 27, 7, 54)),
        ("2018.05.09 12:52:37", datetime(2018, 5, 9, 12, 52, 37)),
        ("2025-02-07T20:06:03+08:00", datetime(2025, 2, 7, 20, 6, 3)),
        ("2025-02-07T12:06:03+00:00", datetime(2025, 2, 7, 20, 6, 3)),
        ("2025-02-07 20:06:03", datetime(2025, 2, 7, 20, 6, 3)),
    ],
)
def test_times_are_read_as_beijing_time(shown: str, expected: datetime) -> None:
    parsed = parse_beijing_time(shown)
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=8)
    assert parsed.replace(tzinfo=None) == expected


def test_visible_date_without_space_is_used_when_meta_is_missing() -> None:
    page = _page().replace(b'<meta property="article:published_time"', b"<meta property='x'")
    page = page.replace(b'name="weibo: article:create_at"', b'name="unused"')
    page = page.replace("2025年02月07日 20:06".encode(), "2025年02月07日20:06".encode())
    assert parse_sina_page(page, url=None).published_at == PUBLISHED.replace(second=0)


def test_old_layout() -> None:
    article = parse_sina_page(_page(layout="old"), url=None)
    assert article.title == TITLE
    assert article.published_at == PUBLISHED.replace(second=0)
    assert article.source == "示例财经"
    assert article.body.split("\n") == CLEAN_LINES


def test_old_page_with_body_only_between_comments() -> None:
    page = f"""<html><head><meta charset="utf-8"></head><body>
<h1 id="artibodyTitle">{TITLE}</h1><span id="pub_date">2016年09月27日07:54</span>
<div class="nav"><p>导航栏文字</p></div>
<!-- 原始正文start --><p>　　旧版正文第一段。</p><p>　　第二段。</p><!-- 原始正文end -->
<div class="footer"><p>页脚文字</p></div></body></html>""".encode()
    article = parse_sina_page(page, url=None)
    assert article.body == "旧版正文第一段。\n第二段。"
    assert article.published_at == datetime(2016, 9, 27, 7, 54, tzinfo=BEIJING)


def test_mobile_layout() -> None:
    url = article_url(DOC_ID, PUBLISHED, layout="mobile")
    article = parse_sina_page(_page(layout="mobile", body_html=MOBILE_BODY), url=url)
    assert article.article_id == DOC_ID
    assert article.title == TITLE
    assert article.published_at == PUBLISHED
    assert article.source == "示例财经"
    assert article.body == "亚马逊表示，物流网络的扩建仍在继续。\n公司没有给出新的时间表。"


@pytest.mark.parametrize("header", [None, "GBK", "gb2312"])
def test_gbk_page(header: str | None) -> None:
    page = _page(charset="gbk")
    assert b'<meta charset="gbk"/>' in page
    assert "微软".encode() not in page  # really GBK bytes, not UTF-8
    article = parse_sina_page(page, url=None, charset=header)
    assert article.title == TITLE
    assert article.body.split("\n") == CLEAN_LINES


def test_article_id_without_url_comes_from_publishid_then_og_url_then_content() -> None:
    page = _page()
    assert parse_sina_page(page, url=None).article_id == DOC_ID
    no_publishid = page.replace(b'name="publishid"', b'name="unused"')
    assert parse_sina_page(no_publishid, url=None).article_id == DOC_ID  # from og:url
    anonymous = no_publishid.replace(b'property="og:url"', b'property="unused"')
    first = parse_sina_page(anonymous, url=None).article_id
    assert first.startswith("h")
    assert first == parse_sina_page(anonymous, url=None).article_id
    other = anonymous.replace("创下新高".encode(), "再创新高".encode())
    assert parse_sina_page(other, url=None).article_id != first


def test_listed_at_is_the_last_resort_for_the_time() -> None:
    page = f"""<html><body><h1 class="main-title">{TITLE}</h1>
<div class="article" id="artibody"><p>正文。</p></div></body></html>""".encode()
    listed = datetime(2025, 2, 5, 9, 30, tzinfo=BEIJING)
    assert parse_sina_page(page, url=None, listed_at=listed).published_at == listed
    with pytest.raises(ParseError, match="no publication time"):
        parse_sina_page(page, url=None)


def test_page_without_body_raises_with_reason() -> None:
    page = f"""<html><head><meta charset="utf-8"></head><body>
<h1 class="main-title">{TITLE}</h1>
<div class="date-source"><span class="date">2025年02月07日 20:06</span></div>
<div class="blk-related"><p>相关阅读</p></div></body></html>""".encode()
    with pytest.raises(ParseError, match=r"no article body \(div#artibody"):
        parse_sina_page(page, url=None)


def test_page_without_title_raises_with_reason() -> None:
    page = _page().replace(b'class="main-title"', b'class="x"')
    page = page.replace(b'property="og:title"', b'property="unused"')
    with pytest.raises(ParseError, match="no title"):
        parse_sina_page(page, url=None)


def test_body_of_clutter_only_raises() -> None:
    page = _page(body_html='<p class="article-editor">责任编辑：某人</p><script>x()</script>')
    with pytest.raises(ParseError, match="has no text"):
        parse_sina_page(page, url=None)


def test_raw_page_keeps_the_raw_layer_id() -> None:
    page = RawPage(
        article_id="h0123456789abcdef",  # an id the raw layer chose, unlike the page's own
        url=None,
        format="sina_html",
        content=_page(charset="gbk"),
        fetched_at=datetime(2025, 2, 7, 13, 0, tzinfo=BEIJING),
        charset="gbk",
    )
    article = parse_raw_page(page)
    assert article.article_id == page.article_id
    assert article.body.split("\n") == CLEAN_LINES
