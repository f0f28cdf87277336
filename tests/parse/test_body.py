"""The body cleaner on its own: paragraphs, inline markup, and no text lost."""

from __future__ import annotations

from html import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.parse import body_text
from pipelines.parse.body import clean_paragraph


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>第一行<br/>第二行</p>", "第一行\n第二行"),
        ("<p>　　缩进被去掉，　中间的全角空格保留</p>", "缩进被去掉，　中间的全角空格保留"),
        ("<p>a\n\t  b&nbsp;&nbsp;c</p>", "a b c"),
        ("<p></p><p>  </p><p>唯一一段</p>", "唯一一段"),
        (
            "<blockquote><ul><li><p>要点一</p></li><li>要点二</li></ul></blockquote>",
            "要点一\n要点二",
        ),
        ("<table><tr><td>营收</td><td>1243亿美元</td></tr></table>", "营收 1243亿美元"),
        ("<p>前<!-- 注释 -->后</p>", "前后"),
        ("<p>公司<em>称</em>，<b>投入</b><i>增加</i>。</p>", "公司称，投入增加。"),
        ("<div>段落外的文字<p>段落</p>尾巴</div>", "段落外的文字\n段落\n尾巴"),
        ("", ""),
    ],
)
def test_structure(html: str, expected: str) -> None:
    assert body_text(html) == expected


# Runs of text, each optionally wrapped in an inline tag, make one paragraph.
_RUN_TEXT = st.text(
    alphabet=st.sampled_from("资本支出亿美元增长，。、（）%0123456789 ABCxyz<>&\"'\u3000\n"),
    min_size=1,
    max_size=12,
)
_INLINE = st.sampled_from(["", "a", "span", "strong", "font", "em"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_RUN_TEXT, _INLINE), min_size=1, max_size=6))
def test_inline_markup_never_loses_or_adds_characters(runs: list[tuple[str, str]]) -> None:
    html = "".join(f"<{tag}>{escape(text)}</{tag}>" if tag else escape(text) for text, tag in runs)
    expected = clean_paragraph("".join(text for text, _ in runs))
    assert body_text(f"<p>{html}</p>") == expected
