"""The article bodies and full pages the benchmarks read.

Real bodies come from the shared corpus when it is beside the repository; otherwise the
project's own sample pages lend theirs. Either way every page is rebuilt at real weight
(~100 KB of navigation, scripts and related lists around the article), as Sina serves it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import lxml.html

from pipelines.sources import SAMPLES_DIR
from tests.support.sina_pages import BEIJING, render_article_page

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("CAPEX_SHARED_DIR", REPO_ROOT.parent / "shared"))
PAGE_WEIGHT_KB = 100


@dataclass(frozen=True)
class Body:
    """An article body as it sits in a page (`div#artibody`), with its title and time."""

    doc_id: str
    title: str
    published_at: datetime  # Beijing time
    html: str


def corpus_file(shared_dir: Path = SHARED_DIR) -> Path | None:
    files = sorted((shared_dir / "corpus").glob("*.jsonl"))
    return files[0] if files else None


def load_bodies(shared_dir: Path = SHARED_DIR) -> tuple[list[Body], str]:
    """The bodies to benchmark with, and a line saying where they came from."""
    path = corpus_file(shared_dir)
    if path is not None:
        bodies = list(_corpus_bodies(path))
        return bodies, f"{len(bodies)} real article bodies from ../shared/corpus/{path.name}"
    bodies = list(_sample_bodies(SAMPLES_DIR))
    return bodies, f"{len(bodies)} article bodies from the shipped samples (corpus absent)"


def _corpus_bodies(path: Path) -> Iterator[Body]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                yield Body(
                    doc_id=record["doc_id"],
                    title=record["title"],
                    published_at=datetime.fromisoformat(record["listed_at"]).replace(
                        tzinfo=BEIJING
                    ),
                    html=record["article_html"],
                )


def _sample_bodies(folder: Path) -> Iterator[Body]:
    for path in sorted(folder.glob("*.shtml")):
        tree = lxml.html.fromstring(path.read_bytes())
        found = tree.xpath("//div[@id='artibody']")
        titles = tree.xpath("//h1")
        stamps = tree.xpath("//meta[@property='article:published_time']/@content")
        if not found or not titles or not stamps:
            continue  # the sample whose body never arrived
        yield Body(
            doc_id=path.stem.removeprefix("doc-"),
            title=titles[0].text_content().strip(),
            published_at=datetime.fromisoformat(stamps[0]).astimezone(BEIJING),
            html=lxml.html.tostring(found[0], encoding="unicode"),
        )


def full_page(body: Body, padding_kb: int = PAGE_WEIGHT_KB) -> bytes:
    """The body inside a current-layout Sina PC page of about `padding_kb` KB."""
    return render_article_page(
        doc_id=body.doc_id,
        title=body.title,
        published_at=body.published_at,
        source="新浪财经",
        body_html=body.html,
        padding_kb=padding_kb,
    )
