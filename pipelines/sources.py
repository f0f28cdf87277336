"""Where articles come from: Sina's live site, the samples the project ships, or a folder.

All three answer the same two questions, so the Dagster assets do not care which is used:
which articles are listed for a day, and what are their pages' bytes. Live pages are fetched
politely; folder pages are read from disk. Either way every page lands in the raw archive
before anything parses it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from pipelines.ingest.archive import RawArchive
from pipelines.ingest.fetch import (
    FetchFailure,
    FetchResult,
    HttpSession,
    fetch_listings_async,
    run_with_session,
)
from pipelines.ingest.folder import FolderImportError, read_folder
from pipelines.ingest.roll import Listing, list_day
from pipelines.ingest.settings import IngestSettings
from pipelines.records import RawPage
from pipelines.warehouse.loading import raw_page_row

SourceKind = Literal["live", "samples", "archive"]
SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
# Live pages are fetched and archived in batches, so fetched bytes wait in memory for the
# disk a batch at a time, not a day at a time.
FETCH_BATCH = 100


@dataclass(frozen=True)
class SourceConfig:
    kind: SourceKind = "live"
    folder: Path | None = None  # the folder for kind "archive"
    settings: IngestSettings = field(default_factory=IngestSettings)

    def __post_init__(self) -> None:
        if self.kind not in ("live", "samples", "archive"):
            raise ValueError(f"unknown source {self.kind!r}: use live, samples or archive")
        if self.kind == "archive" and self.folder is None:
            raise ValueError("the archive source needs a folder (--archive PATH)")
        if self.kind == "archive" and not Path(self.folder).exists():
            raise FileNotFoundError(f"archive folder not found: {self.folder}")

    @property
    def path(self) -> Path:
        return SAMPLES_DIR if self.kind == "samples" else Path(self.folder)


@dataclass
class ListingOutcome:
    rows: list[dict] = field(default_factory=list)  # article_index rows
    problems: list[dict] = field(default_factory=list)  # failures rows (stage "list")
    requests: int = 0


@dataclass
class PagesOutcome:
    # References to new or changed pages (raw_pages rows): the bytes are on disk already, and
    # keeping them here would hold a whole backfill in memory.
    archived: list[dict] = field(default_factory=list)
    already_archived: int = 0
    # Ids archived by an earlier run that died before the warehouse recorded them.
    unrecorded: list[str] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)  # failures rows (fetch, gone, rejected)
    recovered: list[str] = field(default_factory=list)  # ids whose earlier failure is cured
    requests: int = 0


def list_articles(config: SourceConfig, day: date, known_ids: frozenset[str]) -> ListingOutcome:
    """The articles the source lists for `day` (folder sources list everything they hold)."""
    if config.kind == "live":
        return _list_live(config.settings, day, known_ids)
    outcome = ListingOutcome()
    for item in read_folder(config.path):
        if isinstance(item, FolderImportError):
            outcome.problems.append(_import_failure(item))
        else:
            outcome.rows.append(_index_row_for_page(item))
    return outcome


def collect_pages(
    config: SourceConfig,
    listed: Iterable[dict],
    archive: RawArchive,
    recorded: Set[str] = frozenset(),
) -> PagesOutcome:
    """Archive the bytes of every listed article not archived yet.

    `recorded` are the ids the warehouse already holds pages for. A live page never changes
    once archived, so those are not even looked for: what a run costs depends on what it
    lists, not on how large the archive has grown. Folder pages are read again, since a
    file may have changed."""
    wanted = {row["article_id"]: row for row in listed}
    outcome = PagesOutcome()
    if config.kind == "live":
        missing = []
        for article_id, row in wanted.items():
            if article_id in recorded:
                outcome.already_archived += 1
            elif archive.has(article_id):
                outcome.already_archived += 1
                outcome.unrecorded.append(article_id)
            else:
                missing.append(row)
        batches = [
            [_listing_from_row(row) for row in missing[start : start + FETCH_BATCH]]
            for start in range(0, len(missing), FETCH_BATCH)
        ]
        run_with_session(
            config.settings, lambda session: _fetch_and_archive(session, batches, archive, outcome)
        )
        return outcome
    for item in _folder_pages(config.path):
        if item.article_id not in wanted:
            continue
        if archive.put(item):
            outcome.archived.append(raw_page_row(item))
        else:
            outcome.already_archived += 1
            if item.article_id not in recorded:
                outcome.unrecorded.append(item.article_id)
        outcome.recovered.append(item.article_id)
    return outcome


async def _fetch_and_archive(
    session: HttpSession, batches: list[list[Listing]], archive: RawArchive, outcome: PagesOutcome
) -> None:
    """Fetch batch after batch on one session; each batch is archived in a worker thread
    while the next one is fetched, so disk writes (and their fsyncs) overlap network waits.
    Batches are archived one at a time, in order."""
    archiving: asyncio.Task | None = None
    for batch in batches:
        result = await fetch_listings_async(session, batch)
        if archiving is not None:
            await archiving
        archiving = asyncio.create_task(asyncio.to_thread(_archive, result, archive, outcome))
    if archiving is not None:
        await archiving


def _archive(result: FetchResult, archive: RawArchive, outcome: PagesOutcome) -> None:
    outcome.requests += result.requests
    for fetched in result.pages:
        archive.put(fetched.page, headers=fetched.headers, final_url=fetched.final_url)
        outcome.archived.append(raw_page_row(fetched.page))
        outcome.recovered.append(fetched.page.article_id)
    outcome.failures.extend(_fetch_failure(failure) for failure in result.failures)
    outcome.failures.extend(
        _rejection(rejected.article_id or "", rejected.url, rejected.reason)
        for rejected in result.rejected
    )


def _folder_pages(path: Path) -> Iterator[RawPage]:
    for item in read_folder(path):
        if isinstance(item, RawPage):
            yield item


def _list_live(settings: IngestSettings, day: date, known_ids: frozenset[str]) -> ListingOutcome:
    # Newest first: a page holding only archived articles means the rest of the day is known.
    listing = list_day(day, settings, known_ids=known_ids, stop_at_known=True)
    outcome = ListingOutcome(requests=listing.requests)
    outcome.rows = [_index_row_for_listing(item) for item in listing.listings]
    outcome.problems = [
        _rejection(rejected.article_id or "", rejected.url, rejected.reason)
        for rejected in listing.rejected
    ]
    outcome.problems += [
        _rejection(f"channel:{error.channel}", settings.roll_url, error.reason)
        for error in listing.errors
    ]
    return outcome


def _index_row_for_listing(item: Listing) -> dict:
    return {
        "article_id": item.article_id,
        "url": item.url,
        "title": item.title,
        "listed_at": item.listed_at,
        "channel": item.channel,
        "media_name": item.media_name or None,
        "origin": "live",
    }


def _index_row_for_page(page: RawPage) -> dict:
    return {
        "article_id": page.article_id,
        "url": page.url or "",
        "title": None,
        "listed_at": page.listed_at,
        "channel": None,
        "media_name": None,
        "origin": page.origin,
    }


def _listing_from_row(row: dict) -> Listing:
    return Listing(
        article_id=row["article_id"],
        url=row["url"],
        title=row.get("title") or "",
        listed_at=row.get("listed_at"),
        channel=row.get("channel") or "",
        media_name=row.get("media_name") or "",
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _import_failure(error: FolderImportError) -> dict:
    where = f"{error.path}:{error.line}" if error.line else str(error.path)
    return {
        "stage": "import",
        "article_id": where,
        "url": None,
        "reason": error.reason,
        "attempts": 1,
        "failed_at": _now(),
    }


def _fetch_failure(failure: FetchFailure) -> dict:
    # "gone": the site answered for good; only runs of the page's own day ask again.
    return {
        "stage": "gone" if failure.permanent else "fetch",
        "article_id": failure.article_id,
        "url": failure.url,
        "reason": failure.last_error,
        "attempts": failure.attempts,
        "failed_at": failure.failed_at,
    }


def _rejection(article_id: str, url: str, reason: str) -> dict:
    return {
        "stage": "rejected",
        "article_id": article_id or url,
        "url": url,
        "reason": reason,
        "attempts": 0,
        "failed_at": _now(),
    }
