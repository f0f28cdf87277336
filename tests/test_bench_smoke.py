"""`python -m bench --smoke`: the benchmark command runs every measurement and writes its report.

Benchmarks are not tests: this checks only that the command works end to end at a tiny size
(about 25 s, most of it two Dagster runs in child processes), never the figures themselves.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_smoke_run_writes_a_report_with_every_measurement(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    committed = REPO_ROOT / "BENCHMARKS.md"
    committed_before = committed.read_bytes() if committed.exists() else None

    finished = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(report)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )

    assert finished.returncode == 0, finished.stderr[-3000:]
    text = report.read_text(encoding="utf-8")
    assert "python -m bench --smoke --out" in text  # the command that produced the figures
    assert "CPUs (nproc)" in text
    for heading in (
        "## 1. Parse + extract against lxml and trafilatura",
        "## 2 and 3. End to end, and the same run again with nothing new",
        "## 4. SQL models over a million facts",
        "## 5. Extraction worst case: dense figures",
    ):
        assert heading in text
    # The smoke size is 20 articles: all fetched once, and nothing asked for again.
    assert "| 20 | full | 1 |" in text
    assert "0 page requests |" in text
    assert "articles 20," in text
    # The repository's own report is left alone.
    after = committed.read_bytes() if committed.exists() else None
    assert after == committed_before
