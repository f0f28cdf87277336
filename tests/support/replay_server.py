"""A loopback stand-in for Sina: the roll API and article pages, with faults on demand.

Two real HTTP servers run in background threads: the "site" on 127.0.0.1 (roll API at
`/api/roll/get`, articles at Sina-shaped paths) and an "other" host on 127.0.0.2 that plays
the part of everything off the allowlist; it answers anything but counts every request, so
a test can assert that nothing went there. Every request is logged with its path and query.

    with ReplayServer() as server:                      # the project's fixture articles
        server.add_corpus(shared_dir / "corpus" / ...)  # plus the real bodies, when present
        settings = server.settings(rate_limit=50)
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from pipelines.ingest.settings import IngestSettings
from pipelines.sina_ids import doc_id_from_url
from tests.support.sina_pages import corpus_pages, render_article_page

BEIJING = ZoneInfo("Asia/Shanghai")
SITE_HOST = "127.0.0.1"
OTHER_HOST = "127.0.0.2"
ROLL_PATH = "/api/roll/get"
DEFAULT_CHANNELS = ((153, 2518), (384, 2672))
FIXTURE_DAY = date(2025, 2, 10)


@dataclass(frozen=True)
class Fault:
    """How the site misbehaves for one article; all counts are of page requests so far."""

    errors: tuple[int, ...] = ()  # statuses answered, in order, before the page is served
    always: int | None = None  # a status answered every time
    retry_after: str | None = None  # Retry-After header sent with the error answers
    slow_times: int = 0  # the first N answers wait `slow_seconds` before saying anything
    slow_seconds: float = 0.0
    truncate_times: int = 0  # the first N answers promise more bytes than they send
    redirect_off_site: bool = False  # 302 to the same path on the other host
    oversized_bytes: int = 0  # pad the page to at least this size
    no_length: bool = False  # send no Content-Length: the body ends when the connection does


@dataclass(frozen=True)
class ReplayArticle:
    article_id: str  # `i` + doc id
    title: str
    published_at: datetime  # Beijing time
    body_html: str
    source: str = "新浪财经"
    path: str | None = None  # the URL path; Sina's usual one by default
    channels: tuple[tuple[int, int], ...] = ((153, 2518),)
    charset: str = "utf-8"
    fault: Fault = field(default_factory=Fault)
    # Extra listing entries for the same article: "mobile", "tracking", "http" (URL forms).
    variants: tuple[str, ...] = ()
    padding_kb: int = 0

    @property
    def page_path(self) -> str:
        if self.path:
            return self.path
        day = self.published_at.astimezone(BEIJING).strftime("%Y-%m-%d")
        return f"/stock/usstock/c/{day}/doc-{self.article_id}.shtml"

    @property
    def mobile_path(self) -> str:
        day = self.published_at.astimezone(BEIJING).strftime("%Y-%m-%d")
        return f"/stock/usstock/{day}/detail-{self.article_id}.d.html"


@dataclass(frozen=True)
class LoggedRequest:
    host: str  # "site" or "other"
    path: str
    query: dict[str, str]
    at: float  # time.monotonic()
    user_agent: str = ""
    referer: str = ""

    @property
    def article_id(self) -> str | None:
        doc_id = doc_id_from_url(self.path)
        return "i" + doc_id if doc_id else None


def fixture_articles(day: date = FIXTURE_DAY) -> list[ReplayArticle]:
    """The project's own small articles, written for these tests."""
    start = datetime(day.year, day.month, day.day, 8, 0, tzinfo=BEIJING)
    texts = [
        ("芯片设备商上调全年资本开支指引", "公司表示将把今年的设备投入提高到约45亿美元。"),
        ("云服务商季度营收增长放缓", "本季度云业务收入约为120亿美元，环比略有下降。"),
        ("电动车制造商宣布新工厂计划", "新工厂预计投资20亿美元，计划明年投产。"),
        ("美股三大指数收盘涨跌不一", "纳指小幅上涨，道指和标普500指数回落。"),
        ("软件公司公布股票回购方案", "董事会批准了总额50亿美元的回购计划。"),
        ("航空公司下调燃油成本预期", "管理层预计今年燃油支出将减少约3亿美元。"),
    ]
    articles = []
    for number, (title, sentence) in enumerate(texts, start=1):
        body = (
            f"<p>　　{sentence}</p>\n"
            f'<p>　　分析人士认为，<span id="usstock_ABC"><a class="keyword">相关公司</a></span>'
            "的表态符合市场预期。</p>"
        )
        articles.append(
            ReplayArticle(
                article_id=f"iplay{day:%m%d}{number:03d}",
                title=title,
                published_at=start + timedelta(hours=2 * number),
                body_html=body,
            )
        )
    return articles


class _Site:
    """What the loopback site knows: articles, extra listing entries, and the request log."""

    def __init__(self, channels: Iterable[tuple[int, int]]):
        self.channels = set(channels)
        self.articles: dict[str, ReplayArticle] = {}
        self.extra_items: list[tuple[tuple[int, int], dict[str, Any]]] = []
        self.log: list[LoggedRequest] = []
        self.page_answers: dict[str, int] = {}
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()
        self.base_url = ""
        self.other_base_url = ""

    def record(self, request: LoggedRequest) -> None:
        with self.lock:
            self.log.append(request)

    def begin(self) -> None:
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def end(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def answer_number(self, article_id: str) -> int:
        """How many requests for this article came before this one."""
        with self.lock:
            number = self.page_answers.get(article_id, 0)
            self.page_answers[article_id] = number + 1
            return number

    def roll_items(self, channel: tuple[int, int]) -> list[dict[str, Any]]:
        items = []
        for article in self.articles.values():
            if channel not in article.channels:
                continue
            items.append(self._item(article, article.page_path))
            for variant in article.variants:
                items.append(self._variant_item(article, variant))
        items.extend(item for item_channel, item in self.extra_items if item_channel == channel)
        return items

    def _item(self, article: ReplayArticle, path: str, url: str | None = None) -> dict[str, Any]:
        stamp = int(article.published_at.timestamp())
        return {
            "docid": "comos:" + article.article_id[1:],
            "title": article.title,
            "intro": "",
            "url": url or self.base_url + path,
            "wapurl": self.base_url + article.mobile_path,
            "media_name": article.source,
            "author": "",
            "keywords": "美股",
            "ctime": str(stamp),  # Sina sends these as strings, mostly
            "mtime": str(stamp),
            "intime": stamp,
            "img": {"u": "", "w": 0, "h": 0},
        }

    def _variant_item(self, article: ReplayArticle, variant: str) -> dict[str, Any]:
        if variant == "mobile":
            return self._item(article, article.mobile_path)
        if variant == "tracking":
            url = self.base_url + article.page_path + "?from=wap&utm_source=weibo#comments"
            return self._item(article, article.page_path, url)
        if variant == "http":
            # Upper-case scheme and host: the same URL written differently.
            url = self.base_url.replace("http://", "HTTP://") + article.page_path
            return self._item(article, article.page_path, url)
        raise ValueError(f"unknown listing variant {variant!r}")


class ReplayServer:
    """Context manager running the loopback site (127.0.0.1) and the off-list host (127.0.0.2)."""

    def __init__(
        self,
        articles: Iterable[ReplayArticle] | None = None,
        channels: Iterable[tuple[int, int]] = DEFAULT_CHANNELS,
    ):
        self._site = _Site(channels)
        for article in fixture_articles() if articles is None else articles:
            self.add_article(article)
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []

    # setup

    def add_article(self, article: ReplayArticle) -> None:
        self._site.articles[article.article_id] = article

    def set_fault(self, article_id: str, fault: Fault) -> None:
        self._site.articles[article_id] = replace(self._site.articles[article_id], fault=fault)

    def add_corpus(self, corpus_path: Path, padding_kb: int = 0) -> list[ReplayArticle]:
        """Serve the real corpus bodies too; returns the articles added."""
        added = []
        for record, _page in corpus_pages(corpus_path, padding_kb=0):
            listed_at = datetime.fromisoformat(record["listed_at"]).replace(tzinfo=BEIJING)
            article = ReplayArticle(
                article_id=record["doc_id"],
                title=record["title"],
                published_at=listed_at,
                body_html=record["article_html"],
                path=urlsplit(record["url"]).path,
                padding_kb=padding_kb,
            )
            self.add_article(article)
            added.append(article)
        return added

    def add_listing_entry(
        self,
        url: str,
        *,
        title: str,
        published_at: datetime,
        channel: tuple[int, int] = (153, 2518),
    ) -> None:
        """A raw roll entry with any URL (off-site, odd schemes) and no page behind it."""
        stamp = str(int(published_at.timestamp()))
        item = {"docid": "", "title": title, "url": url, "ctime": stamp, "intime": stamp}
        self._site.extra_items.append((channel, item))

    # running

    def __enter__(self) -> ReplayServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        for host, label in ((SITE_HOST, "site"), (OTHER_HOST, "other")):
            server = ThreadingHTTPServer((host, 0), _handler_for(self._site, label))
            server.daemon_threads = True
            # A short poll interval keeps shutdown (once per test) quick.
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            thread.start()
            self._servers.append(server)
            self._threads.append(thread)
        self._site.base_url = f"http://{SITE_HOST}:{self._servers[0].server_port}"
        self._site.other_base_url = f"http://{OTHER_HOST}:{self._servers[1].server_port}"

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    # addresses

    @property
    def base_url(self) -> str:
        return self._site.base_url

    @property
    def other_base_url(self) -> str:
        return self._site.other_base_url

    @property
    def roll_url(self) -> str:
        return self.base_url + ROLL_PATH

    def url_of(self, article_id: str) -> str:
        return self.base_url + self._site.articles[article_id].page_path

    def settings(self, **overrides: Any) -> IngestSettings:
        """Settings pointing at this site, fast enough for tests; overrides win."""
        values: dict[str, Any] = {
            "roll_url": self.roll_url,
            "channels": tuple(sorted(self._site.channels)),
            "allowed_hosts": (SITE_HOST,),
            "rate_limit": 200.0,
            "concurrency": 4,
            "timeout": 2.0,
            "connect_timeout": 1.0,
            "max_attempts": 3,
            "backoff_base": 0.02,
            "backoff_cap": 0.1,
            "retry_after_cap": 2.0,
        }
        values.update(overrides)
        return IngestSettings(**values)

    # what happened

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._site.lock:
            return list(self._site.log)

    def roll_requests(self) -> list[LoggedRequest]:
        return [r for r in self.requests if r.host == "site" and r.path == ROLL_PATH]

    def page_requests(self, article_id: str | None = None) -> list[LoggedRequest]:
        return [
            r
            for r in self.requests
            if r.host == "site"
            and r.path != ROLL_PATH
            and (article_id is None or r.article_id == article_id)
        ]

    def other_host_requests(self) -> list[LoggedRequest]:
        return [r for r in self.requests if r.host == "other"]

    @property
    def most_in_flight(self) -> int:
        """The most requests the site was answering at the same moment."""
        return self._site.most_in_flight

    def clear_log(self) -> None:
        with self._site.lock:
            self._site.log.clear()

    def articles(self) -> Iterator[ReplayArticle]:
        yield from self._site.articles.values()

    def page_bytes(self, article_id: str) -> bytes:
        """The page as the site serves it when nothing goes wrong."""
        return _render(self._site.articles[article_id], self.base_url)


def _render(article: ReplayArticle, base_url: str) -> bytes:
    page = render_article_page(
        doc_id=article.article_id,
        title=article.title,
        published_at=article.published_at,
        source=article.source,
        body_html=article.body_html,
        charset=article.charset,
        padding_kb=article.padding_kb,
        url=base_url + article.page_path,
    )
    if article.fault.oversized_bytes > len(page):
        page += b" " * (article.fault.oversized_bytes - len(page))
    return page


def _roll_answer(site: _Site, query: dict[str, str]) -> dict[str, Any]:
    try:
        channel = (int(query.get("pageid", "")), int(query.get("lid", "")))
    except ValueError:
        channel = None
    if channel not in site.channels:
        status = {"code": 11, "msg": "pageid或lid参数错误"}
        return {"result": {"status": status, "timestamp": time.ctime(), "data": []}}
    items = site.roll_items(channel)
    if query.get("etime") and query.get("stime"):
        start, end = int(query["etime"]), int(query["stime"])
        items = [item for item in items if start <= int(item["ctime"]) < end]
    items.sort(key=lambda item: (-int(item["ctime"]), item["url"]))
    num = max(1, min(50, int(query.get("num") or 10)))
    page = max(1, int(query.get("page") or 1))
    return {
        "result": {
            "status": {"code": 0, "msg": "succ"},
            "timestamp": time.ctime(),
            "total": len(items),
            "data": items[(page - 1) * num : page * num],
        }
    }


def _handler_for(site: _Site, label: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
            site.record(
                LoggedRequest(
                    label,
                    parts.path,
                    query,
                    time.monotonic(),
                    self.headers.get("User-Agent", ""),
                    self.headers.get("Referer", ""),
                )
            )
            site.begin()
            try:
                if label == "other":
                    self._send(200, b"<html><body>elsewhere</body></html>", "text/html")
                elif parts.path == ROLL_PATH:
                    body = json.dumps(_roll_answer(site, query), ensure_ascii=False).encode()
                    self._send(200, body, "application/json; charset=utf-8")
                else:
                    self._serve_article(parts.path)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to clean up
            finally:
                site.end()

        def _serve_article(self, path: str) -> None:
            doc_id = doc_id_from_url(path)
            article = site.articles.get("i" + doc_id) if doc_id else None
            if article is None:
                self._send(404, b"not found", "text/plain")
                return
            fault = article.fault
            number = site.answer_number(article.article_id)
            if number < fault.slow_times:
                time.sleep(fault.slow_seconds)
            error = fault.always or (fault.errors[number] if number < len(fault.errors) else None)
            if error:
                extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                self._send(error, f"error {error}".encode(), "text/plain", extra)
                return
            if fault.redirect_off_site:
                location = site.other_base_url + path
                self._send(302, b"", "text/plain", {"Location": location})
                return
            page = _render(article, site.base_url)
            content_type = f"text/html; charset={article.charset}"
            if number < fault.truncate_times:
                self._send(200, page[: len(page) // 2], content_type, length=len(page))
                return
            self._send(
                200,
                page,
                content_type,
                {"Last-Modified": "Mon, 10 Feb 2025 02:00:00 GMT"},
                length=-1 if fault.no_length else None,
            )

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str,
            headers: dict[str, str] | None = None,
            length: int | None = None,  # what Content-Length claims; -1 sends none
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if length != -1:
                self.send_header("Content-Length", str(len(body) if length is None else length))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()

    return Handler
