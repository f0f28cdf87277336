"""One day of live ingestion: list, fetch what is new or failed before, archive, report."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from pipelines.ingest.archive import RawArchive
from pipelines.ingest.fetch import (
    FetchFailure,
    HttpSession,
    fetch_listings_async,
    run_with_session,
)
from pipelines.ingest.roll import (
    BEIJING,
    ChannelError,
    Listing,
    Rejected,
    SourceUnreachable,
    list_day_async,
    off_allowlist_reason,
)
from pipelines.ingest.settings import IngestSettings

log = logging.getLogger(__name__)

__all__ = ["IngestReport", "SourceUnreachable", "ingest_day"]


@dataclass
class IngestReport:
    day: date
    listed: int = 0  # distinct articles the roll API listed for the day
    new: int = 0  # listed and not archived before this run
    retried: int = 0  # earlier failures of this day tried again
    fetched: int = 0  # pages archived by this run
    failed: int = 0
    rejected: int = 0
    recovered: int = 0  # earlier failures that succeeded this time
    list_requests: int = 0
    page_requests: int = 0
    failures: list[FetchFailure] = field(default_factory=list)
    rejections: list[Rejected] = field(default_factory=list)
    channel_errors: list[ChannelError] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.day}: {self.listed} listed, {self.new} new, {self.fetched} fetched, "
            f"{self.failed} failed, {self.rejected} rejected, {self.recovered} recovered; "
            f"{self.list_requests} list and {self.page_requests} page requests"
            + (f"; channel errors: {self.channel_errors}" if self.channel_errors else "")
        )


def ingest_day(
    day: date,
    settings: IngestSettings,
    archive: RawArchive,
    *,
    stop_at_known: bool = False,
) -> IngestReport:
    """List `day` (Beijing) on every channel, fetch what the archive lacks, keep it.

    Earlier failures of the same day are retried and cleared when they succeed. With
    `stop_at_known`, a channel's paging stops at the first page holding nothing new (for
    frequent polling of a day already read in full). Raises SourceUnreachable, within
    seconds, when the roll API cannot be reached at all.
    """
    return run_with_session(
        settings, lambda session: _ingest_day(session, day, archive, stop_at_known)
    )


async def _ingest_day(
    session: HttpSession, day: date, archive: RawArchive, stop_at_known: bool
) -> IngestReport:
    archived = frozenset(archive.ids())
    settled = archived | {r.article_id for r in archive.rejections() if r.article_id}
    listing = await list_day_async(session, day, known_ids=settled, stop_at_known=stop_at_known)
    report = IngestReport(
        day=day,
        listed=len(listing.listings),
        rejected=len(listing.rejected),
        list_requests=listing.requests,
        rejections=list(listing.rejected),
        channel_errors=list(listing.errors),
    )
    for error in listing.errors:
        log.warning("roll channel %s failed for %s: %s", error.channel, day, error.reason)

    to_fetch: dict[str, Listing] = {
        item.article_id: item for item in listing.listings if item.article_id not in archived
    }
    # A page that redirected off the allowlist is not asked for again while that host stays
    # off the list; widening the allowlist makes it eligible again.
    settings = session.settings
    for rejected in archive.rejections():
        if rejected.article_id not in to_fetch:
            continue
        if off_allowlist_reason(rejected.url, settings.allowed_hosts):
            del to_fetch[rejected.article_id]
            report.rejections.append(rejected)
        else:
            archive.clear_rejection(rejected.article_id)
    report.new = len(to_fetch)
    earlier_failures = {f.article_id: f for f in archive.failures()}
    for failure in earlier_failures.values():
        if failure.article_id in archived:
            archive.clear_failure(failure.article_id)
        elif _listed_on(failure, day):
            report.retried += 1
            to_fetch.setdefault(failure.article_id, _listing_from_failure(failure))

    result = await fetch_listings_async(session, to_fetch.values())
    report.page_requests = result.requests
    for fetched in result.pages:
        archive.put(fetched.page, fetched.headers, final_url=fetched.final_url)
        if fetched.page.article_id in earlier_failures:
            archive.clear_failure(fetched.page.article_id)
            report.recovered += 1
    for failure in result.failures:
        archive.record_failure(failure)
        log.warning("could not fetch %s: %s", failure.url, failure.last_error)
    report.fetched = len(result.pages)
    report.failed = len(result.failures)
    report.failures = result.failures
    for rejected in result.rejected:
        archive.record_rejection(rejected)
    report.rejections.extend(result.rejected)
    report.rejected = len(report.rejections)
    log.info("%s", report.summary())
    return report


def _listed_on(failure: FetchFailure, day: date) -> bool:
    return failure.listed_at is not None and failure.listed_at.astimezone(BEIJING).date() == day


def _listing_from_failure(failure: FetchFailure) -> Listing:
    return Listing(
        article_id=failure.article_id,
        url=failure.url,
        title="",
        listed_at=failure.listed_at,
        channel="retry",
    )
