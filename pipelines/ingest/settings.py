"""How the live crawler behaves: where it lists, what it may fetch, and how gently.

The defaults are those of a polite crawler that may run for months against Sina without
being banned: two connections, one request a second per host, a handful of retries with
growing waits. Tests and replay runs change only the URLs and the pace.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

BROWSER_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)


@dataclass(frozen=True)
class IngestSettings:
    roll_url: str = "https://feed.mix.sina.com.cn/api/roll/get"
    # (pageid, lid) pairs of the roll API; 153:2518 is the US-stock channel.
    channels: tuple[tuple[int, int], ...] = ((153, 2518),)
    # Host suffixes pages may be fetched from, matched on label boundaries.
    allowed_hosts: tuple[str, ...] = ("sina.com.cn", "sina.cn")
    # Hosts known to serve every page over https: their http:// links are upgraded, so the
    # http and https copies of one article are one URL.
    https_hosts: tuple[str, ...] = ("sina.com.cn", "sina.cn")
    concurrency: int = 2
    rate_limit: float = 1.0  # requests per second, per host
    timeout: float = 10.0  # seconds to connect, and between bytes of an answer
    connect_timeout: float = 4.0  # short, so an unreachable source is reported quickly
    max_attempts: int = 4
    backoff_base: float = 2.0  # seconds before the first retry, doubling after that
    backoff_cap: float = 60.0
    retry_after_cap: float = 120.0  # never wait longer than this for a Retry-After
    max_page_bytes: int = 5_000_000
    max_redirects: int = 5
    page_size: int = 50  # the roll API's largest `num`
    max_list_pages: int = 40
    user_agent: str = BROWSER_USER_AGENT
    referer: str = "https://finance.sina.com.cn/"

    def __post_init__(self) -> None:
        _require(bool(self.channels), "channels", "at least one pageid:lid pair is needed")
        _require(bool(self.allowed_hosts), "allowed_hosts", "at least one host is needed")
        _require(self.concurrency >= 1, "concurrency", "must be at least 1")
        _require(self.rate_limit > 0, "rate_limit", "must be above 0")
        _require(self.timeout > 0, "timeout", "must be above 0")
        _require(self.connect_timeout > 0, "connect_timeout", "must be above 0")
        _require(self.max_attempts >= 1, "max_attempts", "must be at least 1")
        _require(self.max_page_bytes > 0, "max_page_bytes", "must be above 0")
        _require(1 <= self.page_size <= 50, "page_size", "must be between 1 and 50")
        _require(self.max_list_pages >= 1, "max_list_pages", "must be at least 1")

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] = os.environ, **overrides: object
    ) -> IngestSettings:
        """Defaults, then CAPEX_* environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        for variable, (field, convert) in _ENV_FIELDS.items():
            raw = environ.get(variable, "").strip()
            if not raw:
                continue
            try:
                values[field] = convert(raw)
            except ValueError as error:
                raise ValueError(f"{variable}={raw!r} is not valid: {error}") from None
        values.update(overrides)
        return replace(cls(), **values)


def _require(condition: bool, field: str, reason: str) -> None:
    if not condition:
        raise ValueError(f"{field} {reason}")


def parse_channels(text: str) -> tuple[tuple[int, int], ...]:
    """`153:2518,384:2672` -> ((153, 2518), (384, 2672))."""
    channels = []
    for item in text.split(","):
        pageid, sep, lid = item.strip().partition(":")
        if not sep or not pageid.strip().isdigit() or not lid.strip().isdigit():
            raise ValueError(f"expected pageid:lid pairs such as 153:2518, got {item.strip()!r}")
        channels.append((int(pageid), int(lid)))
    return tuple(channels)


def parse_hosts(text: str) -> tuple[str, ...]:
    hosts = tuple(h.strip().lower().strip(".") for h in text.split(",") if h.strip())
    if not hosts:
        raise ValueError("expected comma-separated host suffixes such as sina.com.cn")
    for host in hosts:
        if "/" in host or ":" in host or " " in host:
            raise ValueError(f"expected a host name, not {host!r}")
    return hosts


def _positive_int(text: str) -> int:
    number = int(text)
    if number < 1:
        raise ValueError("must be a whole number of at least 1")
    return number


def _positive_float(text: str) -> float:
    number = float(text)
    if not number > 0 or number == float("inf"):
        raise ValueError("must be a number above 0")
    return number


def _http_url(text: str) -> str:
    if not text.startswith(("http://", "https://")):
        raise ValueError("must be an http:// or https:// URL")
    return text


_ENV_FIELDS = {
    "CAPEX_ROLL_URL": ("roll_url", _http_url),
    "CAPEX_ROLL_CHANNELS": ("channels", parse_channels),
    "CAPEX_ALLOWED_HOSTS": ("allowed_hosts", parse_hosts),
    "CAPEX_CONCURRENCY": ("concurrency", _positive_int),
    "CAPEX_RATE_LIMIT": ("rate_limit", _positive_float),
    "CAPEX_TIMEOUT": ("timeout", _positive_float),
    "CAPEX_MAX_ATTEMPTS": ("max_attempts", _positive_int),
}
