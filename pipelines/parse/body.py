"""An article body's HTML to clean text: one paragraph a line, clutter gone, link text kept.

The extractor quotes sentences verbatim from this text, so the cleaner only removes what is
not the article (app promotions, editor lines, market charts, scripts) and never rewrites
the words: inline elements (stock links, bold runs) join their neighbours without spaces.

lxml (in C) prunes the clutter and flattens inline markup first; BeautifulSoup then reads
the slim block structure. BeautifulSoup over a raw body is several times slower.
"""

from __future__ import annotations

import re

import lxml.html
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import CData, Declaration, Doctype, ProcessingInstruction
from lxml import etree


def has_class(*names: str) -> str:
    """XPath test: the element's class list holds one of `names`.

    The plain substring test runs first: it is cheap and rules out almost every element.
    """
    return " or ".join(
        f"(contains(@class, '{n}')"
        f" and contains(concat(' ', normalize-space(@class), ' '), ' {n} '))"
        for n in names
    )


# Elements inside Sina bodies that are not the article.
_CLUTTER_TAGS = ("script", "style", "noscript", "iframe", "template", "img", "head", "title")
_CLUTTER = etree.XPath(
    ".//*[@id='app-kaihu-stock' or @id='app-qihuo-kaihu-qr' or @id='gtx-trans'"
    f" or (self::div and ({has_class('appendQr_wrap', 'ct_hqimg', 'to_page')}))"
    f" or (self::p and ({has_class('article-editor', 'finance_web_article_v17_futurestg')}))"
    f" or (self::span and ({has_class('img_descr')}))]"
)
# Inline markup whose text is part of the sentence around it.
_INLINE_TAGS = (
    "a", "abbr", "b", "big", "cite", "code", "del", "em", "font", "i", "ins", "label", "mark",
    "q", "s", "small", "span", "strike", "strong", "sub", "sup", "time", "u",
)  # fmt: skip

# Elements that start a new line; everything else is inline and joins its neighbours.
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "thead",
        "tfoot", "tr", "ul", "body", "html",
    }
)  # fmt: skip
_CELL_TAGS = frozenset({"td", "th"})
# Strings that are markup rather than text.
_NOT_TEXT = (Comment, CData, Declaration, Doctype, ProcessingInstruction)

# Six real articles keep their last paragraph only inside this comment; the page script
# re-inserts it, so the text belongs to the article.
_ADLIST_OPEN = "article_adlist["
_ADLIST_CLOSE = "]article_adlist"

# Spaces that collapse inside a paragraph; U+3000 is only trimmed at the ends (indentation).
_RUN_OF_SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")
_EDGE_SPACES = " \t\r\n\f\v\xa0\u3000"


def _unwrap_adlist_comments(article: lxml.html.HtmlElement) -> None:
    """Put the HTML held in `<!--article_adlist[...]article_adlist-->` in the comment's place."""
    for comment in list(article.iter(etree.Comment)):
        text = comment.text or ""
        if not (text.startswith(_ADLIST_OPEN) and text.endswith(_ADLIST_CLOSE)):
            continue
        inner = text[len(_ADLIST_OPEN) : -len(_ADLIST_CLOSE)]
        if not inner.strip():
            continue
        held = lxml.html.fragment_fromstring(inner, create_parent="div")
        held.tail = comment.tail
        comment.getparent().replace(comment, held)


def clean_paragraph(text: str) -> str:
    """One paragraph's text: indentation trimmed, runs of spaces and newlines made one space."""
    return _RUN_OF_SPACES.sub(" ", text).strip(_EDGE_SPACES)


class _Paragraphs:
    """Collects text runs and cuts them into paragraphs at block boundaries."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._runs: list[str] = []

    def add(self, text: str) -> None:
        self._runs.append(text)

    def cut(self) -> None:
        if not self._runs:
            return
        line = clean_paragraph("".join(self._runs))
        self._runs.clear()
        if line:
            self.lines.append(line)


def _walk(node: Tag, out: _Paragraphs) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, _NOT_TEXT):
                out.add(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name in _BLOCK_TAGS:
            out.cut()
            _walk(child, out)
            out.cut()
        elif name in _CELL_TAGS:
            out.add(" ")
            _walk(child, out)
            out.add(" ")
        else:
            _walk(child, out)


def _prune(article: lxml.html.HtmlElement) -> None:
    """Drop clutter and comments and flatten inline markup, keeping all article text."""
    _unwrap_adlist_comments(article)
    for clutter in _CLUTTER(article):
        clutter.drop_tree()  # keeps the text that follows the element
    etree.strip_elements(article, etree.Comment, etree.PI, *_CLUTTER_TAGS, with_tail=False)
    etree.strip_tags(article, *_INLINE_TAGS)


def article_element_text(article: lxml.html.HtmlElement) -> str:
    """Clean text of an article element from a parsed page (modifies the element)."""
    _prune(article)
    soup = BeautifulSoup(lxml.html.tostring(article, encoding="unicode", with_tail=False), "lxml")
    out = _Paragraphs()
    _walk(soup, out)
    out.cut()
    return "\n".join(out.lines)


def body_text(article_html: str) -> str:
    """Clean text of an article element's HTML (e.g. `div#artibody`), one paragraph a line."""
    if not article_html.strip():
        return ""
    try:
        article = lxml.html.fragment_fromstring(article_html, create_parent="div")
    except etree.ParserError:
        return ""
    return article_element_text(article)
