"""Charset handling: header first, then the page's declaration, then UTF-8, then GB18030."""

from __future__ import annotations

import pytest

from pipelines.parse import decode_html
from pipelines.parse.decode import declared_charset

TEXT = "美股资本支出继续增长"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta charset="gbk">', "gbk"),
        ("<META CHARSET='GB2312'/>", "gb2312"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=gbk" />', "gbk"),
        ('<script charset="utf-8"></script><meta charset="gb2312">', "gb2312"),
        ("<title>charset=big5</title>", None),
    ],
)
def test_declared_charset_reads_meta_tags_only(head: str, expected: str | None) -> None:
    assert declared_charset(f"<html><head>{head}</head></html>".encode()) == expected


def test_gbk_declared_in_meta_decodes() -> None:
    page = f'<meta charset="gbk"><p>{TEXT}</p>'.encode("gbk")
    assert TEXT in decode_html(page)


def test_header_charset_wins_over_meta() -> None:
    page = f'<meta charset="utf-8"><p>{TEXT}</p>'.encode("gbk")
    assert TEXT in decode_html(page, header_charset="GB2312")


def test_gb2312_declaration_reads_gb18030_characters() -> None:
    # "㐀" is outside GB2312 and GBK; pages declared as either still carry such characters.
    page = '<meta charset="gb2312"><p>㐀资本</p>'.encode("gb18030")
    assert "㐀资本" in decode_html(page)


def test_undeclared_utf8_and_gb18030_are_told_apart() -> None:
    assert decode_html(f"<p>{TEXT}</p>".encode()) == f"<p>{TEXT}</p>"
    assert decode_html(f"<p>{TEXT}</p>".encode("gb18030")) == f"<p>{TEXT}</p>"


def test_bad_bytes_become_replacement_characters() -> None:
    page = '<meta charset="utf-8"><p>资本'.encode() + b"\xff\xfe" + "支出</p>".encode()
    text = decode_html(page)
    assert "资本" in text and "支出</p>" in text and "\ufffd" in text


def test_unknown_declared_charset_falls_back() -> None:
    page = f'<meta charset="no-such-charset"><p>{TEXT}</p>'.encode()
    assert TEXT in decode_html(page)


def test_utf8_bom_is_dropped() -> None:
    assert decode_html(b"\xef\xbb\xbf<p>ok</p>") == "<p>ok</p>"
