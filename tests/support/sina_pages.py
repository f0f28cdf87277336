"""Sina-like article pages for tests, the loopback replay server and benchmarks.

A page is built around an article body the way finance.sina.com.cn (current PC), the older
PC pages and the mobile site lay theirs out: head meta, title, date and source, the body
element, and on request about as much navigation, script and related-news weight as a real
page carries (~100 KB), so parsers are measured against what they will really read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
Layout = Literal["pc", "old", "mobile"]

# Corpus records hold the whole `div.article#artibody`; such a body is used as it is.
_ARTICLE_ELEMENT_START = '<div class="article" id="artibody"'


def article_url(doc_id: str, published_at: datetime, layout: Layout = "pc") -> str:
    """The URL Sina would give the article `doc_id` (`i` + doc id, as in the corpus)."""
    day = published_at.astimezone(BEIJING).strftime("%Y-%m-%d")
    if layout == "mobile":
        return f"https://finance.sina.cn/stock/usstock/{day}/detail-{doc_id}.d.html"
    return f"https://finance.sina.com.cn/stock/usstock/c/{day}/doc-{doc_id}.shtml"


def _head(
    *,
    doc_id: str,
    title: str,
    url: str,
    published_at: datetime,
    source: str,
    charset: str,
    layout: Layout,
) -> str:
    # Only current PC pages carry the machine-readable time; older and mobile pages show it.
    published_meta = ""
    if layout == "pc":
        iso = published_at.isoformat(timespec="seconds")
        published_meta = f'<meta property="article:published_time" content="{iso}"/>\n'
        created = published_at.strftime("%Y-%m-%d %H:%M:%S")
        published_meta += f'<meta name="weibo: article:create_at" content="{created}"/>\n'

    publish_id = doc_id[1:] if doc_id.startswith("i") else doc_id
    title_attr = escape(title)
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="{charset}"/>
<title>{title_attr}_新浪财经_新浪网</title>
<meta name="keywords" content="美股,科技股,{escape(source)}"/>
<meta name="description" content="{title_attr}"/>
<meta property="og:type" content="news"/>
<meta property="og:title" content="{title_attr}"/>
<meta property="og:description" content="{title_attr}"/>
<meta property="og:url" content="{escape(url)}"/>
<meta property="og:image" content="https://n.sinaimg.cn/finance/default.png"/>
{published_meta}<meta property="article:author" content="{escape(source)}"/>
<meta name="publishid" content="{escape(publish_id)}"/>
<meta name="sudameta" content="allCIDs:51894,222,258,56588;dataid:{escape(publish_id)}"/>
<meta name="mediaid" content="{escape(source)}"/>
<link rel="canonical" href="{escape(url)}"/>
<link rel="stylesheet" href="//n.sinaimg.cn/finance/article/css/main.css"/>
</head>
"""


def _chrome_pc(*, title: str, published_at: datetime, source: str, article: str) -> str:
    shown = published_at.astimezone(BEIJING).strftime("%Y年%m月%d日 %H:%M")
    return f"""<div class="main-content w1240">
<h1 class="main-title">{escape(title)}</h1>
<div class="top-bar-wrap"><div class="top-bar clearfix">
<div class="date-source">
<span class="date">{shown}</span>
<a href="https://finance.sina.com.cn/" class="source ent-source" rel="nofollow">{escape(source)}</a>
</div>
<div class="tool-icon"><a class="share" href="javascript:;">分享</a></div>
</div></div>
<div class="article-content clearfix">
<div class="article-content-left">
{article}
<div id="keywords" class="keywords" data-wbkey="美股">关键词：<a href="#">美股</a></div>
</div></div></div>
"""


def _chrome_old(*, title: str, published_at: datetime, source: str, body_html: str) -> str:
    shown = published_at.astimezone(BEIJING).strftime("%Y年%m月%d日%H:%M")
    return f"""<div class="blkTop">
<h1 id="artibodyTitle">{escape(title)}</h1>
<div class="time-source"><span id="pub_date">{shown}</span>
<span id="media_name"><a href="#">{escape(source)}</a></span></div>
</div>
<div class="blkContainerSblk">
<!-- 原始正文start -->
{body_html}
<!-- 原始正文end -->
</div>
"""


def _chrome_mobile(*, title: str, published_at: datetime, source: str, body_html: str) -> str:
    shown = published_at.astimezone(BEIJING).strftime("%Y.%m.%d %H:%M:%S")
    return f"""<section class="j_main_art">
<h1 class="art_tit_h1">{escape(title)}</h1>
<section class="art_info"><time class="art_time">{shown}</time>
<cite class="art_cite">{escape(source)}</cite></section>
<section class="art_pic_card art_content">
{body_html}
</section>
</section>
"""


# Filler modelled on the real chrome: top navigation, inline scripts, rolling news lists.
_NAV = """<div class="sina-header"><ul class="nav">
<li><a href="https://finance.sina.com.cn/">财经首页</a></li><li><a href="https://finance.sina.com.cn/stock/">股票</a></li>
<li><a href="https://finance.sina.com.cn/stock/usstock/">美股</a></li><li><a href="https://finance.sina.com.cn/stock/hkstock/">港股</a></li>
<li><a href="https://finance.sina.com.cn/fund/">基金</a></li><li><a href="https://finance.sina.com.cn/futuremarket/">期货</a></li>
<li><a href="https://finance.sina.com.cn/forex/">外汇</a></li><li><a href="https://finance.sina.com.cn/money/">理财</a></li>
</ul></div>
"""
_SCRIPT = """<script type="text/javascript">
(function(){var cfg={channel:'finance',sub:'usstock',ver:'20250207',items:[%d,%d,%d]};
window.__SINA_CFG__=cfg;function load(u){var s=document.createElement('script');s.src=u;
s.async=true;document.getElementsByTagName('head')[0].appendChild(s);}
if(window.innerWidth>1000){load('//n.sinaimg.cn/finance/js/feed.%d.js');}
for(var i=0;i<cfg.items.length;i++){if(cfg.items[i]>%d){cfg.items[i]-=1;}}})();
</script>
"""
_HEADLINES = (
    "美股盘前要闻：科技股期货走势分化",
    "热门中概股周报：交易量较上周变化不大",
    "美元指数早盘窄幅波动，市场等待非农数据",
)
_FOOTER = (
    '<div class="footer"><p>新浪财经免费提供股票、基金、债券、外汇等行情数据，'
    "仅作为用户获取信息之目的，并不构成投资建议。</p>\n"
    "<p>Copyright &copy; 1996-2025 SINA Corporation, All Rights Reserved</p></div>\n"
)


def _related(index: int) -> str:
    """A related-news list; its `span.date` items must not be taken for the article's date."""
    day = 1 + index % 9
    items = []
    for offset, headline in enumerate(_HEADLINES):
        channel = f"https://finance.sina.com.cn/stock/usstock/c/2025-02-0{day}"
        link = f"{channel}/doc-inrel{index + offset:07d}.shtml"
        items.append(
            f'<li><a href="{link}">{headline}</a>'
            f'<span class="date">02月0{day}日 {8 + offset:02d}:{index % 60:02d}</span></li>'
        )
    return '<div class="blk-related"><h2>相关阅读</h2><ul>\n' + "\n".join(items) + "\n</ul></div>\n"


def _padding(index: int) -> str:
    return _SCRIPT % (index, index + 1, index + 2, index, index % 7) + _related(index)


def _padded(top: str, article_part: str, padding_kb: int) -> str:
    """Navigation and scripts before the article, related lists after, to about padding_kb."""
    target = padding_kb * 1024
    before: list[str] = [_NAV]
    after: list[str] = []
    size = len((top + article_part).encode("utf-8")) + len(_NAV) + len(_FOOTER)
    index = 0
    while size < target:
        chunk = _padding(index)
        (before if index % 2 == 0 else after).append(chunk)
        size += len(chunk.encode("utf-8"))
        index += 1
    return top + "<body>\n" + "".join(before) + article_part + "".join(after) + _FOOTER


def render_article_page(
    *,
    doc_id: str,
    title: str,
    published_at: datetime,
    source: str,
    body_html: str,
    layout: Layout = "pc",
    charset: str = "utf-8",
    padding_kb: int = 0,
    url: str | None = None,
) -> bytes:
    """A full Sina-like page around `body_html`, encoded in `charset` (declared in a meta tag).

    `doc_id` is the article id as the corpus writes it (`ineisiaa7509581`). On the PC layout
    `body_html` goes inside `div.article#artibody`, unless it already is that element (as a
    corpus record's article_html is). `published_at` naive means Beijing time.
    """
    if published_at.tzinfo is None:
        published_at = published_at.replace(tzinfo=BEIJING)
    page_url = url or article_url(doc_id, published_at, layout)
    top = _head(
        doc_id=doc_id,
        title=title,
        url=page_url,
        published_at=published_at.astimezone(BEIJING),
        source=source,
        charset=charset,
        layout=layout,
    )
    if layout == "pc":
        article = body_html
        if not body_html.lstrip().startswith(_ARTICLE_ELEMENT_START):
            article = f'<div class="article" id="artibody">\n{body_html}\n</div>'
        part = _chrome_pc(title=title, published_at=published_at, source=source, article=article)
    elif layout == "old":
        part = _chrome_old(
            title=title, published_at=published_at, source=source, body_html=body_html
        )
    else:
        part = _chrome_mobile(
            title=title, published_at=published_at, source=source, body_html=body_html
        )
    page = _padded(top, part, padding_kb) + "</body>\n</html>\n"
    return page.encode(charset, errors="xmlcharrefreplace")


def corpus_pages(corpus_path: Path, padding_kb: int = 100) -> Iterator[tuple[dict, bytes]]:
    """Each corpus record with a full PC page built around its article_html."""
    with corpus_path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            listed_at = datetime.fromisoformat(record["listed_at"]).replace(tzinfo=BEIJING)
            page = render_article_page(
                doc_id=record["doc_id"],
                title=record["title"],
                published_at=listed_at,
                source="新浪财经",
                body_html=record["article_html"],
                padding_kb=padding_kb,
                url=record.get("url"),
            )
            yield record, page
