"""Discovery through Sina's roll API: which articles a channel listed on a Beijing day.

The roll API answers `{"result": {"status": {"code": 0}, "total": N, "data": [...]}}`,
newest first, `num` items a page. One article reaches us many times (several channels,
PC and mobile URLs, http and https, tracking query strings), so every entry is reduced to
its Sina doc id and a canonical URL before anything else looks at it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from pipelines.sina_ids import article_id_for_url, doc_id_from_roll_docid, doc_id_from_url

if TYPE_CHECKING:
    from pipelines.ingest.fetch import HttpSession
    from pipelines.ingest.settings import IngestSettings

BEIJING = ZoneInfo("Asia/Shanghai")

# Query keys that only say where a reader came from; they never change the page.
_TRACKING_KEYS = frozenset({"from", "sudaref", "spm", "wm", "vt", "pos", "cre", "mod", "loc", "r"})
_TRACKING_PREFIXES = ("utm_",)


@dataclass(frozen=True)
class Listing:
    """One article as the roll API listed it, reduced to the form used everywhere after."""

    article_id: str
    url: str
    title: str
    listed_at: datetime | None  # Asia/Shanghai
    channel: str  # "pageid:lid" of the first channel that listed it
    media_name: str = ""


@dataclass(frozen=True)
class Rejected:
    """An entry that is never fetched, and why."""

    article_id: str | None
    url: str
    reason: str


@dataclass(frozen=True)
class ChannelError:
    channel: str
    reason: str


@dataclass
class DayListing:
    day: date
    listings: list[Listing] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    errors: list[ChannelError] = field(default_factory=list)
    requests: int = 0


class RollError(Exception):
    """The roll API answered, but not with a usable list."""


class SourceUnreachable(RuntimeError):
    """The roll API cannot be reached at all (DNS failure, refused, unreachable network)."""


OFFLINE_HINT = (
    "To run without the network use `capex run --source samples`, or re-parse pages fetched "
    "earlier with `capex run --source archive --archive PATH`."
)


def channel_name(pageid: int, lid: int) -> str:
    return f"{pageid}:{lid}"


def host_on_allowlist(host: str, allowed_hosts: tuple[str, ...]) -> bool:
    """`finance.sina.com.cn` is on `sina.com.cn`; `evilsina.com.cn` is not (label boundary)."""
    host = host.lower().rstrip(".")
    return any(host == suffix or host.endswith("." + suffix) for suffix in allowed_hosts)


def off_allowlist_reason(url: str, allowed_hosts: tuple[str, ...]) -> str | None:
    """Why `url` may not be fetched, or None when it may."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme or '(none)'!r} is not http or https"
    host = parts.hostname or ""
    if not host:
        return "URL has no host"
    if not host_on_allowlist(host, allowed_hosts):
        return f"host {host} is not on the allowlist ({', '.join(allowed_hosts)})"
    return None


def canonical_url(url: str, https_hosts: tuple[str, ...] = ()) -> str:
    """The URL to fetch: tracking parameters and fragment dropped, http upgraded where known.

    Unlike `sina_ids.normalize_url` it keeps the port and meaningful query parameters, since
    this is a URL that will be requested, not only compared.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    scheme = parts.scheme.lower()
    if scheme == "http" and host_on_allowlist(host, https_hosts):
        scheme = "https"
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _TRACKING_KEYS and not key.lower().startswith(_TRACKING_PREFIXES)
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def is_mobile_url(url: str) -> bool:
    return "/detail-i" in urlsplit(url).path


def day_query(day: date, pageid: int, lid: int, page: int, num: int) -> dict[str, str]:
    """The by-day query: `etime` is the day's 00:00 Beijing, `stime` = `ctime` a day later."""
    start = int(datetime.combine(day, time(0, 0), tzinfo=BEIJING).timestamp())
    end = start + 86400
    return {
        "pageid": str(pageid),
        "lid": str(lid),
        "k": "",
        "num": str(num),
        "page": str(page),
        "date": day.isoformat(),
        "etime": str(start),
        "stime": str(end),
        "ctime": str(end),
    }


def parse_roll_answer(body: bytes) -> tuple[list[dict], int | None]:
    """The items and `total` of one roll page; RollError when it is not a good answer."""
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise RollError(f"answer is not JSON ({error})") from None
    result = answer.get("result") if isinstance(answer, dict) else None
    if not isinstance(result, dict):
        raise RollError("answer has no `result` object")
    status = result.get("status") or {}
    code = status.get("code") if isinstance(status, dict) else None
    if code not in (0, "0"):
        message = status.get("msg", "") if isinstance(status, dict) else ""
        raise RollError(f"roll API status code {code}: {message}".rstrip(": "))
    data = result.get("data") or []
    if not isinstance(data, list):
        raise RollError("`result.data` is not a list")
    total = result.get("total")
    try:
        total = int(total) if total is not None else None
    except (TypeError, ValueError):
        total = None
    return [item for item in data if isinstance(item, dict)], total


def listed_time(item: dict) -> datetime | None:
    """ctime, else intime, else mtime (epoch seconds, often strings) in Beijing time."""
    for key in ("ctime", "intime", "mtime"):
        value = item.get(key)
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            continue
        if seconds > 0:
            return datetime.fromtimestamp(seconds, tz=BEIJING)
    return None


def listing_from_item(item: dict, channel: str, settings: IngestSettings) -> Listing | Rejected:
    raw_url = str(item.get("url") or item.get("wapurl") or "").strip()
    docid = doc_id_from_roll_docid(str(item.get("docid") or ""))
    if not raw_url:
        return Rejected("i" + docid if docid else None, "", "listing has no URL")
    try:
        url = canonical_url(raw_url, settings.https_hosts)
    except ValueError as error:  # a port out of range, a broken IPv6 literal...
        return Rejected("i" + docid if docid else None, raw_url, f"malformed URL: {error}")
    if doc_id_from_url(url):
        article_id = article_id_for_url(url)
    elif docid:
        article_id = "i" + docid
    else:
        article_id = article_id_for_url(url)
    reason = off_allowlist_reason(url, settings.allowed_hosts)
    if reason:
        return Rejected(article_id, raw_url, reason)
    return Listing(
        article_id=article_id,
        url=url,
        title=str(item.get("title") or "").strip(),
        listed_at=listed_time(item),
        channel=channel,
        media_name=str(item.get("media_name") or "").strip(),
    )


def merge_listing(seen: dict[str, Listing], listing: Listing) -> None:
    """Keep one row per article; a PC URL wins over a mobile one (the fuller page)."""
    earlier = seen.get(listing.article_id)
    if earlier is None:
        seen[listing.article_id] = listing
    elif is_mobile_url(earlier.url) and not is_mobile_url(listing.url):
        seen[listing.article_id] = Listing(
            listing.article_id,
            listing.url,
            earlier.title or listing.title,
            earlier.listed_at or listing.listed_at,
            earlier.channel,
            earlier.media_name or listing.media_name,
        )


async def list_channel_day(
    session: HttpSession,
    day: date,
    pageid: int,
    lid: int,
    *,
    seen: dict[str, Listing],
    rejected: dict[str, Rejected],
    known_ids: frozenset[str] = frozenset(),
    stop_at_known: bool = False,
    first_contact: bool = False,
) -> None:
    """Page through one channel's day into `seen`/`rejected`; RollError on a bad answer.

    `first_contact` makes a connection failure raise SourceUnreachable quickly instead of
    going through the long retries meant for a source that is up but struggling.
    """
    settings = session.settings
    channel = channel_name(pageid, lid)
    page = 1
    while page <= settings.max_list_pages:
        query = day_query(day, pageid, lid, page, settings.page_size)
        answer = await session.get_roll(settings.roll_url, query, fail_fast=first_contact)
        first_contact = False
        items, total = parse_roll_answer(answer)
        if not items:
            return
        page_has_new = False
        for item in items:
            entry = listing_from_item(item, channel, settings)
            if isinstance(entry, Rejected):
                rejected.setdefault(entry.article_id or entry.url, entry)
                continue
            page_has_new = page_has_new or entry.article_id not in known_ids
            merge_listing(seen, entry)
        if stop_at_known and not page_has_new:
            return
        if total is not None and page * settings.page_size >= total:
            return
        page += 1


async def list_day_async(
    session: HttpSession,
    day: date,
    *,
    known_ids: frozenset[str] = frozenset(),
    stop_at_known: bool = False,
) -> DayListing:
    """Every channel's listing of `day`, duplicates collapsed; a failing channel is recorded."""
    seen: dict[str, Listing] = {}
    rejected: dict[str, Rejected] = {}
    errors = []
    requests_before = session.requests["list"]
    for index, (pageid, lid) in enumerate(session.settings.channels):
        try:
            await list_channel_day(
                session,
                day,
                pageid,
                lid,
                seen=seen,
                rejected=rejected,
                known_ids=known_ids,
                stop_at_known=stop_at_known,
                first_contact=index == 0,
            )
        except RollError as error:
            errors.append(ChannelError(channel_name(pageid, lid), str(error)))
        except SourceUnreachable as error:
            raise SourceUnreachable(
                f"the Sina roll API at {session.settings.roll_url} cannot be reached ({error}). "
                + OFFLINE_HINT
            ) from None
    # An entry rejected under one URL but listed fine under another is not a rejection.
    still_rejected = [r for r in rejected.values() if r.article_id not in seen]
    return DayListing(
        day=day,
        listings=sorted(seen.values(), key=lambda item: item.article_id),
        rejected=still_rejected,
        errors=errors,
        requests=session.requests["list"] - requests_before,
    )


def list_day(
    day: date,
    settings: IngestSettings,
    *,
    known_ids: frozenset[str] = frozenset(),
    stop_at_known: bool = False,
) -> DayListing:
    """Synchronous listing of one Beijing day on every configured channel."""
    from pipelines.ingest.fetch import run_with_session

    return run_with_session(
        settings,
        lambda session: list_day_async(
            session, day, known_ids=known_ids, stop_at_known=stop_at_known
        ),
    )
