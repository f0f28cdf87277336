"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The read-only reference material (corpus, gold facts, seed article) sits beside the project.
SHARED_DIR = Path(
    os.environ.get("CAPEX_SHARED_DIR", Path(__file__).resolve().parents[1].parent / "shared")
)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder; tests that need it are skipped, saying why, when it is absent."""
    if not (SHARED_DIR / "corpus").is_dir():
        pytest.skip(f"reference material not found at {SHARED_DIR} (set CAPEX_SHARED_DIR)")
    return SHARED_DIR
