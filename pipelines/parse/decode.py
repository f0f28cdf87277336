"""Bytes to text for pages whose charset may be stated in the header, the page, or nowhere.

Sina serves current pages as UTF-8 and some older ones as GBK/GB2312; a wrong guess turns
Chinese text into mojibake, which would silently break every quote taken from the body.
"""

from __future__ import annotations

import codecs
import re

# The charset declaration must sit near the top of a page; Sina heads stay well under this.
_HEAD_BYTES = 16_384
# `<meta charset="gbk">` and `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`
_CHARSET_IN_TAG = re.compile(rb"charset\s{0,5}=\s{0,5}[\"']?\s{0,5}([a-z0-9_.:-]{1,40})")

# GB18030 is a superset of both, and real "GBK" pages carry characters outside GB2312.
_WIDER_CHARSET = {"gbk": "gb18030", "gb2312": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


def declared_charset(content: bytes) -> str | None:
    """The charset a page declares for itself in a `<meta>` tag, lower-cased, if any."""
    head = content[:_HEAD_BYTES].lower()
    start = head.find(b"<meta")
    while start >= 0:
        end = head.find(b">", start)
        match = _CHARSET_IN_TAG.search(head, start, end if end >= 0 else len(head))
        if match:
            return match.group(1).decode("ascii")
        start = head.find(b"<meta", start + 5)
    return None


def _codec_for(charset: str | None) -> str | None:
    """A Python codec name for a declared charset, widening GBK/GB2312; None if unknown."""
    if not charset:
        return None
    name = charset.strip().strip("\"'").lower()
    name = _WIDER_CHARSET.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def page_codec(content: bytes, header_charset: str | None = None) -> str:
    """The codec to read a page with: header charset, else the page's declaration, else UTF-8
    when the bytes are valid UTF-8, else GB18030 (Python codec names, e.g. "utf-8")."""
    codec = _codec_for(header_charset) or _codec_for(declared_charset(content))
    if codec is not None:
        return codec
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def decode_html(content: bytes, header_charset: str | None = None) -> str:
    """Decode a page: header charset, else the page's own declaration, else UTF-8, else GB18030.

    Never raises on bad bytes: undecodable sequences become U+FFFD so one broken byte does not
    cost the whole article.
    """
    codec = page_codec(content, header_charset)
    if codec == "utf-8" and content.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    return content.decode(codec, errors="replace")
