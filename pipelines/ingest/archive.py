"""The raw page archive: every page's exact bytes on disk, so nothing is ever fetched twice.

Layout under the root:
    pages/<shard>/<article_id>.<ext>        the bytes exactly as they arrived
    pages/<shard>/<article_id>.json         sidecar: where, when, what, sha256
The sidecar is written after the bytes and is what makes a page visible, and both are
written to a temporary file then renamed, so a run killed mid-write leaves either the old
state or the new one, never half a page.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path

from pipelines.records import RawPage

_EXTENSIONS = {"sina_html": ".html", "markdown": ".md", "corpus_json": ".jsonl", "text": ".txt"}
_SIDECAR = ".json"


class RawArchive:
    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._pages = self.root / "pages"

    # pages

    def has(self, article_id: str) -> bool:
        return self._sidecar_path(article_id).is_file()

    def put(
        self,
        page: RawPage,
        headers: Mapping[str, str] | None = None,
        *,
        final_url: str | None = None,
    ) -> bool:
        """Archive `page`; False when these exact bytes are already there for its id.

        `headers` are the response headers worth keeping; `final_url` where redirects ended.
        """
        digest = hashlib.sha256(page.content).hexdigest()
        sidecar_path = self._sidecar_path(page.article_id)
        existing = _read_json(sidecar_path)
        if existing is not None and existing.get("sha256") == digest:
            return False
        content_path = self._content_path(page.article_id, page.format)
        _write_atomically(content_path, page.content)
        sidecar = {
            "article_id": page.article_id,
            "url": page.url,
            "final_url": final_url or page.url,
            "format": page.format,
            "status": page.status,
            "charset": page.charset,
            "headers": dict(headers or {}),
            "fetched_at": page.fetched_at.isoformat(),
            "listed_at": page.listed_at.isoformat() if page.listed_at else None,
            "origin": page.origin,
            "sha256": digest,
            "size": len(page.content),
            "file": content_path.name,
        }
        _write_atomically(sidecar_path, _json_bytes(sidecar))
        # A page stored under another format earlier leaves a file nobody points to.
        if existing is not None and existing.get("file") not in (None, content_path.name):
            (sidecar_path.parent / existing["file"]).unlink(missing_ok=True)
        return True

    def get(self, article_id: str) -> RawPage:
        sidecar = _read_json(self._sidecar_path(article_id))
        if sidecar is None:
            raise KeyError(article_id)
        return self._page_from_sidecar(sidecar)

    def sidecar(self, article_id: str) -> dict:
        """The stored metadata of a page (headers, sha256, size...)."""
        sidecar = _read_json(self._sidecar_path(article_id))
        if sidecar is None:
            raise KeyError(article_id)
        return sidecar

    def ids(self) -> set[str]:
        return {path.stem for path in self._sidecar_paths()}

    def iter_pages(self) -> Iterator[RawPage]:
        """Every archived page, ordered by article id."""
        for path in sorted(self._sidecar_paths(), key=lambda p: p.stem):
            sidecar = _read_json(path)
            if sidecar is not None:
                yield self._page_from_sidecar(sidecar)

    def __len__(self) -> int:
        return sum(1 for _ in self._sidecar_paths())

    # paths

    def _shard(self, article_id: str) -> Path:
        # Two trailing characters spread ids (which share their first letters) over folders.
        return self._pages / _safe_name(article_id)[-2:]

    def _sidecar_path(self, article_id: str) -> Path:
        return self._shard(article_id) / (_safe_name(article_id) + _SIDECAR)

    def _content_path(self, article_id: str, page_format: str) -> Path:
        extension = _EXTENSIONS.get(page_format, ".bin")
        return self._shard(article_id) / (_safe_name(article_id) + extension)

    def _sidecar_paths(self) -> Iterator[Path]:
        if self._pages.is_dir():
            yield from self._pages.glob("*/*" + _SIDECAR)

    def _page_from_sidecar(self, sidecar: dict) -> RawPage:
        content_path = self._shard(sidecar["article_id"]) / sidecar["file"]
        content = content_path.read_bytes()
        if hashlib.sha256(content).hexdigest() != sidecar["sha256"]:
            raise ValueError(f"archived page {content_path} does not match its recorded sha256")
        listed_at = sidecar.get("listed_at")
        return RawPage(
            article_id=sidecar["article_id"],
            url=sidecar.get("url"),
            format=sidecar["format"],
            content=content,
            fetched_at=datetime.fromisoformat(sidecar["fetched_at"]),
            status=sidecar.get("status"),
            charset=sidecar.get("charset"),
            listed_at=datetime.fromisoformat(listed_at) if listed_at else None,
            origin=sidecar.get("origin"),
        )


def _safe_name(article_id: str) -> str:
    """Article ids are `i` + doc id or `h` + hex; refuse anything that could leave the folder."""
    if not article_id or not article_id.isascii() or not article_id.isalnum():
        raise ValueError(f"article id {article_id!r} is not a plain alphanumeric name")
    return article_id


def _json_bytes(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_bytes())
    except FileNotFoundError:
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
