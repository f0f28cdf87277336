"""The inbox: a folder where people drop saved articles for the pipeline to pick up.

Pure functions over the folder and the sensor's cursor, so the sensor stays a thin shell.
A file's version is the sha256 of each article it holds, not its timestamp: touching or
copying a file again does not start a run, editing an article does.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

from pipelines.ingest.folder import FolderImportError, read_folder

DEFAULT_INBOX = "warehouse/inbox"
# Import errors are versioned under their file's path, marked so they never clash with ids.
_ERROR_PREFIX = "!"


def inbox_dir() -> Path:
    """The folder the inbox sensor watches: CAPEX_INBOX, else warehouse/inbox."""
    return Path(os.environ.get("CAPEX_INBOX") or DEFAULT_INBOX)


def inbox_versions(folder: Path) -> dict[str, str]:
    """Every article in `folder` → a short hash of its bytes; unreadable files → their error."""
    versions: dict[str, str] = {}
    for item in read_folder(folder):
        if isinstance(item, FolderImportError):
            versions[f"{_ERROR_PREFIX}{item}"] = "error"
        else:
            versions[item.article_id] = hashlib.sha256(item.content).hexdigest()[:16]
    return versions


def changed_entries(previous: Mapping[str, str], current: Mapping[str, str]) -> list[str]:
    """Keys that are new in `current` or whose version differs; removals are not changes."""
    return sorted(key for key, version in current.items() if previous.get(key) != version)


def change_key(current: Mapping[str, str], changed: list[str]) -> str:
    """A run key naming exactly this set of new versions, so the same change runs once."""
    digest = hashlib.sha256()
    for key in changed:
        digest.update(f"{key}={current[key]}\n".encode())
    return digest.hexdigest()[:20]


def encode_cursor(versions: Mapping[str, str]) -> str:
    return json.dumps(dict(sorted(versions.items())), separators=(",", ":"))


def decode_cursor(cursor: str | None) -> dict[str, str]:
    """The versions seen last time; an empty or unreadable cursor means nothing was seen."""
    if not cursor:
        return {}
    try:
        decoded = json.loads(cursor)
    except ValueError:
        return {}
    if not isinstance(decoded, dict):
        return {}
    return {str(key): str(value) for key, value in decoded.items()}
