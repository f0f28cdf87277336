"""Polite fetching: few connections, a steady pace per host, patient retries, hard limits.

Sina bans fast clients for minutes to hours, so every request (listing or page, first try
or retry) waits its turn on a per-host pace, and a 403 or 429 slows the whole host down,
not just the page that got it. Every redirect hop is checked against the allowlist before
it is requested, bodies are read as a stream under a size cap, and a body shorter than
its Content-Length is a failure to retry, never a page to keep.
"""

from __future__ import annotations

import asyncio
import random
import ssl
import sys
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from typing import ClassVar, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

try:
    import sniffio  # noqa: F401
except ImportError:
    # httpcore imports sniffio on every request to learn which event loop runs it; when it is
    # not installed each attempt searches sys.path again (about 1.5 ms a page in all). A None
    # entry makes the miss immediate and means the same thing: not installed.
    sys.modules["sniffio"] = None  # type: ignore[assignment]

from pipelines.ingest.roll import (
    Listing,
    Rejected,
    RollError,
    SourceUnreachable,
    off_allowlist_reason,
)
from pipelines.ingest.settings import IngestSettings
from pipelines.records import RawPage

# Answers worth another try later: the server is busy, broken for now, or asks us to slow down.
RETRY_STATUSES = frozenset({403, 429, 500, 502, 503, 504})
_SLOW_DOWN_STATUSES = frozenset({403, 429})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Response headers worth keeping beside the page: they say what the bytes are and how fresh.
KEPT_HEADERS = ("content-type", "content-length", "last-modified", "etag", "date", "server")
# The longest a whole answer may take, in units of the timeout (httpx's read timeout is per
# chunk, so a server dripping bytes could otherwise hold a request open for ever).
_ANSWER_DEADLINE_FACTOR = 3
# Connection attempts to the roll API before a first-contact failure counts as unreachable.
_FIRST_CONTACT_ATTEMPTS = 2

T = TypeVar("T")

__all__ = ["FetchFailure", "FetchResult", "FetchedPage", "SourceUnreachable", "fetch_pages"]


@dataclass(frozen=True)
class FetchFailure:
    """A page that could not be fetched this time."""

    article_id: str
    url: str
    last_error: str
    attempts: int
    failed_at: datetime
    listed_at: datetime | None = None
    status: int | None = None
    # The site answered for good (404, a page over the size cap, a redirect loop): trying
    # again soon would get the same answer.
    permanent: bool = False


@dataclass(frozen=True)
class FetchedPage:
    page: RawPage
    headers: dict[str, str]  # the KEPT_HEADERS the server sent
    final_url: str  # after redirects, which may differ from page.url


@dataclass
class FetchResult:
    pages: list[FetchedPage] = field(default_factory=list)
    failures: list[FetchFailure] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    requests: int = 0


class _Retryable(Exception):
    def __init__(self, reason: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(reason)
        self.status = status
        self.retry_after = retry_after


class _CannotConnect(_Retryable):
    pass


class _Permanent(Exception):
    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.status = status


class _OffAllowlist(Exception):
    def __init__(self, url: str, reason: str):
        super().__init__(reason)
        self.url = url


class GaveUp(Exception):
    def __init__(self, reason: str, attempts: int, status: int | None, permanent: bool = False):
        super().__init__(reason)
        self.attempts = attempts
        self.status = status
        self.permanent = permanent


@dataclass(frozen=True)
class _Answer:
    status: int
    url: str
    headers: dict[str, str]
    content: bytes
    charset: str | None


class HostPace:
    """At most `rate` requests a second to each host, reserved in arrival order.

    The reservations live in the process, not the run, so back-to-back runs (a listing then
    batches of pages) do not each start with a burst.
    """

    _next_free: ClassVar[dict[str, float]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, rate: float):
        self._interval = 1.0 / rate

    async def wait_turn(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_free.get(host, now))
            self._next_free[host] = start + self._interval
        if start > now:
            await asyncio.sleep(start - now)

    def hold(self, host: str, seconds: float) -> None:
        """Nobody talks to `host` for `seconds`: it asked us to slow down."""
        with self._lock:
            until = time.monotonic() + seconds
            self._next_free[host] = max(self._next_free.get(host, 0.0), until)


@cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default certificate checks, built once: loading the CA bundle takes 25-50 ms,
    and a backfill opens a session for every day it lists."""
    return httpx.create_ssl_context()


class HttpSession:
    """One run's connections, pace and request counts, shared by listing and page fetches."""

    def __init__(self, settings: IngestSettings, transport: httpx.AsyncBaseTransport | None = None):
        self.settings = settings
        self.requests: Counter[str] = Counter()
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._pace = HostPace(settings.rate_limit)
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(
                settings.timeout, connect=min(settings.timeout, settings.connect_timeout)
            ),
            headers={
                "User-Agent": settings.user_agent,
                "Referer": settings.referer,
                "Accept": "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8",
                "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.6",
            },
            follow_redirects=False,
            limits=httpx.Limits(max_connections=settings.concurrency + 1),
            transport=transport,
            verify=_tls_context(),
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get_roll(self, url: str, query: dict[str, str], *, fail_fast: bool = False) -> bytes:
        """One roll page's body; RollError when it cannot be had, SourceUnreachable (fail_fast)."""
        full_url = str(httpx.URL(url, params=query))
        try:
            answer = await self._with_retries(
                full_url, kind="list", allowed_hosts=None, fail_fast=fail_fast
            )
        except GaveUp as error:
            raise RollError(f"{error} after {error.attempts} attempt(s)") from None
        return answer.content

    async def fetch_listing(self, listing: Listing) -> FetchedPage | FetchFailure | Rejected:
        try:
            answer = await self._with_retries(
                listing.url, kind="page", allowed_hosts=self.settings.allowed_hosts
            )
        except _OffAllowlist as error:
            return Rejected(listing.article_id, error.url, f"redirected off the allowlist: {error}")
        except GaveUp as error:
            return _failure(listing, str(error), error.attempts, error.status, error.permanent)
        except Exception as error:  # one odd page must not cost the rest of the day
            return _failure(listing, f"unexpected {type(error).__name__}: {error}", 1, None)
        page = RawPage(
            article_id=listing.article_id,
            url=listing.url,
            format="sina_html",
            content=answer.content,
            fetched_at=datetime.now(UTC),
            status=answer.status,
            charset=answer.charset,
            listed_at=listing.listed_at,
            origin="live",
        )
        return FetchedPage(page=page, headers=answer.headers, final_url=answer.url)

    async def _with_retries(
        self,
        url: str,
        *,
        kind: str,
        allowed_hosts: tuple[str, ...] | None,
        fail_fast: bool = False,
    ) -> _Answer:
        settings = self.settings
        attempts = 0
        while True:
            attempts += 1
            try:
                return await self._get_once(url, kind, allowed_hosts)
            except _Permanent as error:
                raise GaveUp(str(error), attempts, error.status, permanent=True) from None
            except _Retryable as error:
                if fail_fast and isinstance(error, _CannotConnect):
                    if attempts >= _FIRST_CONTACT_ATTEMPTS:
                        raise SourceUnreachable(str(error)) from None
                    await asyncio.sleep(0.5)
                    continue
                if attempts >= settings.max_attempts:
                    raise GaveUp(str(error), attempts, error.status) from None
                delay = retry_delay(attempts, error.retry_after, settings)
                if error.status in _SLOW_DOWN_STATUSES:
                    self._pace.hold(urlsplit(url).hostname or "", delay)
                await asyncio.sleep(delay)

    async def _get_once(
        self, url: str, kind: str, allowed_hosts: tuple[str, ...] | None
    ) -> _Answer:
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            if allowed_hosts is not None:
                reason = off_allowlist_reason(current, allowed_hosts)
                if reason:
                    raise _OffAllowlist(current, reason)
            answer = await self._request(current, kind)
            if isinstance(answer, _Answer):
                return answer
            current = answer  # a redirect: the next hop's URL
        raise _Permanent(f"more than {self.settings.max_redirects} redirects")

    async def _request(self, url: str, kind: str) -> _Answer | str:
        """One HTTP exchange: the answer, or the URL a redirect points to."""
        settings = self.settings
        async with self._slots:
            await self._pace.wait_turn(urlsplit(url).hostname or "")
            self.requests[kind] += 1
            try:
                async with asyncio.timeout(settings.timeout * _ANSWER_DEADLINE_FACTOR):
                    async with self._client.stream("GET", url) as response:
                        return await self._read_answer(url, response)
            except httpx.InvalidURL as error:
                raise _Permanent(f"invalid URL: {describe(error)}") from None
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                raise _CannotConnect(f"cannot connect: {describe(error)}") from None
            except httpx.TimeoutException as error:
                raise _Retryable(f"timed out: {describe(error)}") from None
            except TimeoutError:
                raise _Retryable(
                    f"answer took over {settings.timeout * _ANSWER_DEADLINE_FACTOR:g}s"
                ) from None
            except httpx.RemoteProtocolError as error:
                # h11 says so when the connection closed before Content-Length was reached.
                if "complete message body" in str(error):
                    raise _Retryable(f"truncated body: {describe(error)}") from None
                raise _Retryable(f"malformed answer: {describe(error)}") from None
            except httpx.TransportError as error:
                raise _Retryable(f"connection error: {describe(error)}") from None

    async def _read_answer(self, url: str, response: httpx.Response) -> _Answer | str:
        status = response.status_code
        location = response.headers.get("location")
        if status in _REDIRECT_STATUSES and location:
            return urljoin(url, location.strip())
        if status in RETRY_STATUSES:
            raise _Retryable(
                f"HTTP {status}", status, parse_retry_after(response.headers.get("retry-after"))
            )
        if status >= 400 or status < 200:
            raise _Permanent(f"HTTP {status}", status)
        content = await read_capped(response, self.settings.max_page_bytes)
        headers = {k: response.headers[k] for k in KEPT_HEADERS if k in response.headers}
        return _Answer(status, url, headers, content, response.charset_encoding)


def _failure(
    listing: Listing, reason: str, attempts: int, status: int | None, permanent: bool = False
) -> FetchFailure:
    return FetchFailure(
        article_id=listing.article_id,
        url=listing.url,
        last_error=reason,
        attempts=attempts,
        failed_at=datetime.now(UTC),
        listed_at=listing.listed_at,
        status=status,
        permanent=permanent,
    )


async def read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The body, refusing more than `max_bytes` and anything shorter than Content-Length."""
    declared_text = response.headers.get("content-length", "").strip()
    declared = int(declared_text) if declared_text.isdigit() else None
    if declared is not None and declared > max_bytes:
        raise _Permanent(f"page too large: {declared} bytes declared, cap is {max_bytes}")
    chunks = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise _Permanent(f"page too large: over the {max_bytes}-byte cap")
        chunks.append(chunk)
    # Content-Length counts the bytes on the wire, before any gzip is undone.
    if declared is not None and response.num_bytes_downloaded < declared:
        raise _Retryable(
            f"truncated body: {response.num_bytes_downloaded} of {declared} bytes arrived"
        )
    if size == 0:
        raise _Retryable("empty body")
    return b"".join(chunks)


def retry_delay(attempts: int, retry_after: float | None, settings: IngestSettings) -> float:
    """Exponential backoff with jitter, at least what Retry-After asked for (within its cap)."""
    backoff = min(settings.backoff_cap, settings.backoff_base * 2 ** (attempts - 1))
    delay = backoff * random.uniform(0.5, 1.0)
    if retry_after is not None:
        delay = max(delay, min(retry_after, settings.retry_after_cap))
    return delay


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def describe(error: Exception) -> str:
    return str(error) or type(error).__name__


def run_with_session(
    settings: IngestSettings,
    work: Callable[[HttpSession], Awaitable[T]],
    transport: httpx.AsyncBaseTransport | None = None,
) -> T:
    """Run `work` on a fresh session in its own event loop, closing connections after."""

    outcome: list[T] = []

    async def main() -> None:
        session = HttpSession(settings, transport)
        try:
            outcome.append(await work(session))
        finally:
            await session.aclose()

    # The result is handed over outside the task: on closing, asyncio.run formats the main
    # task's repr (result included) while checking its SIGINT handler, and the repr of a
    # hundred fetched pages costs about 80 ms.
    asyncio.run(main())
    return outcome[0]


async def fetch_listings_async(session: HttpSession, listings: Iterable[Listing]) -> FetchResult:
    requests_before = session.requests["page"]
    outcomes = await asyncio.gather(*(session.fetch_listing(item) for item in listings))
    result = FetchResult()
    for outcome in outcomes:
        if isinstance(outcome, FetchedPage):
            result.pages.append(outcome)
        elif isinstance(outcome, FetchFailure):
            result.failures.append(outcome)
        else:
            result.rejected.append(outcome)
    result.requests = session.requests["page"] - requests_before
    return result


def fetch_pages(listings: Iterable[Listing], settings: IngestSettings) -> FetchResult:
    """Fetch every listed page politely; synchronous."""
    items = list(listings)
    return run_with_session(settings, lambda session: fetch_listings_async(session, items))
