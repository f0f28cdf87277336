"""Import article files from a folder: saved Sina pages, front-matter Markdown, corpus JSONL.

Every file becomes RawPages with its bytes untouched, so the same parsers read imported and
fetched pages alike. A file that cannot be imported yields a FolderImportError saying why and
where, instead of stopping the import.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipelines.records import RawPage
from pipelines.sina_ids import article_id_for_url, content_id

# The parser (bs4, lxml) is imported in the functions that read a file: the Dagster
# definitions and the live source import this module too, and never read one.

HTML_SUFFIXES = frozenset({".html", ".shtml", ".htm"})
MARKDOWN_SUFFIXES = frozenset({".md", ".txt"})
JSONL_SUFFIXES = frozenset({".jsonl"})


@dataclass(frozen=True)
class FolderImportError:
    """A file, or one line of a JSONL file, that could not be imported, and why."""

    path: Path
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.reason}"


def _is_documentation(path: Path) -> bool:
    # A folder's README describes the articles; it is not one.
    return path.stem.upper() == "README"


def _article_files(path: Path) -> list[Path]:
    """Importable files under `path` (or `path` itself), in a stable order."""
    if path.is_file():
        return [path]
    suffixes = HTML_SUFFIXES | MARKDOWN_SUFFIXES | JSONL_SUFFIXES
    files = [
        file
        for file in path.rglob("*")
        if file.is_file()
        and file.suffix.lower() in suffixes
        and not _is_documentation(file)
        and not any(part.startswith(".") for part in file.relative_to(path).parts)
    ]
    return sorted(files, key=lambda file: file.relative_to(path).as_posix())


def _modified_at(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def _html_page(path: Path, content: bytes) -> RawPage:
    from pipelines.parse.sina_page import page_identity

    url, article_id = page_identity(content)
    return RawPage(
        article_id=article_id,
        url=url,
        format="sina_html",
        content=content,
        fetched_at=_modified_at(path),
        origin=str(path),
    )


def _markdown_page(path: Path, content: bytes) -> RawPage | FolderImportError:
    from pipelines.parse.markdown import has_front_matter, source_link

    text = content.decode("utf-8", errors="replace")
    if not has_front_matter(text):
        return FolderImportError(path, None, "no YAML front matter (expected a first line '---')")
    url = source_link(text)
    return RawPage(
        article_id=article_id_for_url(url) if url else content_id(content),
        url=url,
        format="markdown",
        content=content,
        fetched_at=_modified_at(path),
        origin=str(path),
    )


def _listed_at(value: object) -> datetime | None:
    from pipelines.parse.sina_page import parse_beijing_time

    return parse_beijing_time(value) if isinstance(value, str) else None


def _jsonl_pages(path: Path, content: bytes) -> Iterator[RawPage | FolderImportError]:
    fetched_at = _modified_at(path)
    for number, line in enumerate(content.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            yield FolderImportError(path, number, f"not a JSON object: {error}")
            continue
        if not isinstance(record, dict):
            yield FolderImportError(path, number, "not a JSON object")
            continue
        url = record.get("url") if isinstance(record.get("url"), str) else None
        article_id = record.get("doc_id") or (article_id_for_url(url) if url else None)
        if not isinstance(article_id, str) or not article_id:
            yield FolderImportError(path, number, "record has neither doc_id nor url")
            continue
        yield RawPage(
            article_id=article_id,
            url=url,
            format="corpus_json",
            content=line,
            fetched_at=fetched_at,
            listed_at=_listed_at(record.get("listed_at")),
            origin=str(path),
        )


def read_folder(path: Path) -> Iterator[RawPage | FolderImportError]:
    """RawPages for every article file under `path` (a folder, walked recursively, or a file).

    `.html/.shtml/.htm` are Sina pages, `.md/.txt` front-matter Markdown, `.jsonl` corpus
    records (one page a line). Files named README and hidden files are skipped.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {path}")
    for file in _article_files(path):
        suffix = file.suffix.lower()
        try:
            content = file.read_bytes()
        except OSError as error:
            yield FolderImportError(file, None, f"cannot read: {error}")
            continue
        if suffix in HTML_SUFFIXES:
            yield _html_page(file, content)
        elif suffix in MARKDOWN_SUFFIXES:
            yield _markdown_page(file, content)
        elif suffix in JSONL_SUFFIXES:
            yield from _jsonl_pages(file, content)
        else:
            yield FolderImportError(file, None, f"unsupported file type {suffix or '(none)'}")
