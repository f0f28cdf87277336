"""One article, one id: Sina URLs in all their forms reduced to the article's doc id.

PC pages end `doc-iX.shtml`, mobile pages `detail-iX.d.html`, the roll API says `comos:X`;
all three name the same article X. Self-media pages have their own id space, so they fall
back to a hash of the normalised URL.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit, urlunsplit

_DOC_ID_IN_URL = re.compile(r"(?:doc|detail)-i([a-z]{4}[a-z0-9]{3,16})\.(?:d\.html|shtml|html)")
_DOC_ID_IN_DOCID = re.compile(r"^comos:([a-z]{4}[a-z0-9]{3,16})$")


def normalize_url(url: str) -> str:
    """Scheme-less, query-less, fragment-less, lower-cased host: the form two copies share."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    path = parts.path or "/"
    return urlunsplit(("https", host, path, "", ""))


def doc_id_from_url(url: str) -> str | None:
    """The Sina doc id (`neisiaa7509581`, without the `i` prefix) a URL names, if any."""
    match = _DOC_ID_IN_URL.search(urlsplit(url).path)
    return match.group(1) if match else None


def doc_id_from_roll_docid(docid: str) -> str | None:
    match = _DOC_ID_IN_DOCID.match(docid.strip())
    return match.group(1) if match else None


def article_id_for_url(url: str) -> str:
    """Stable article id: `i` + doc id as Sina writes it in URLs, else a hash of the URL.

    The `i` prefix matches the ids the corpus and the gold files use (`ineisiaa7509581`).
    """
    doc_id = doc_id_from_url(url)
    if doc_id:
        return "i" + doc_id
    return content_id(normalize_url(url).encode())


def content_id(data: bytes) -> str:
    """An id for a document that has no Sina id: a short hash of its identifying bytes."""
    return "h" + hashlib.sha256(data).hexdigest()[:16]
