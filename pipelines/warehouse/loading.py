"""Moving records between the raw archive and the warehouse tables, incrementally.

Each function does one stage's bookkeeping so the Dagster assets stay thin: find what is new
or changed since the last run, process only that, and replace the affected rows in one
transaction. A page is re-parsed when its bytes or the parser change, and an article is
re-read when its text or the extractor change; the versions are hashes of the code itself,
so nobody has to remember to bump them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import duckdb
import polars as pl

from pipelines.records import Article, ParseError, RawPage
from pipelines.warehouse.db import delete_keys, insert_frame, not_stored, transaction, upsert
from pipelines.warehouse.models import load_models, stale_models


@cache
def code_version(package: str) -> str:
    """A short hash of a package's source and data files: changes whenever its behaviour can.

    The files are found without importing the package: a run with nothing new asks for the
    parser's and extractor's versions but never parses or extracts (bs4 and the extractor's
    tables cost a tenth of a second or more to import).
    """
    digest = hashlib.sha256()
    root = Path(find_spec(package).origin).parent  # the folder of its __init__.py
    for entry in sorted(_walk(root), key=str):
        digest.update(str(entry).encode())
        digest.update(entry.read_bytes())
    return digest.hexdigest()[:12]


def _walk(node: Path):
    for child in node.iterdir():
        if child.is_dir():
            if child.name != "__pycache__":
                yield from _walk(child)
        elif child.name.endswith((".py", ".toml", ".json", ".txt")):
            yield child


def page_sha256(page: RawPage) -> str:
    return hashlib.sha256(page.content).hexdigest()


# --- listing and raw pages --------------------------------------------------------------

INDEX_SCHEMA = {
    "article_id": pl.String,
    "url": pl.String,
    "title": pl.String,
    "listed_at": pl.Datetime("us", "UTC"),
    "channel": pl.String,
    "media_name": pl.String,
    "partition_date": pl.Date,
    "origin": pl.String,
}


def load_index(
    con: duckdb.DuckDBPyConnection, rows: list[dict], partition: date, *, live: bool
) -> int:
    """Record one partition's listing by one kind of source (`rows` with INDEX_SCHEMA keys).

    A live listing stops paging once it reaches articles already archived, so it adds to what
    earlier runs listed for the day. A folder is read whole, so its rows replace the folder
    rows listed for that day before (and never the live site's).
    """
    frame = pl.DataFrame(
        [{**row, "partition_date": partition} for row in rows], schema=INDEX_SCHEMA
    ).unique("article_id", keep="first", maintain_order=True)
    with transaction(con):
        if not live:
            con.execute(
                "delete from article_index where partition_date = ? and origin != 'live'",
                [partition],
            )
        upsert(con, "article_index", frame, "article_id")
    return frame.height


RAW_PAGE_SCHEMA = {
    "article_id": pl.String,
    "url": pl.String,
    "format": pl.String,
    "status": pl.Int32,
    "charset": pl.String,
    "sha256": pl.String,
    "size_bytes": pl.Int64,
    "fetched_at": pl.Datetime("us", "UTC"),
    "listed_at": pl.Datetime("us", "UTC"),
    "origin": pl.String,
}


def raw_page_row(page: RawPage) -> dict:
    return {
        "article_id": page.article_id,
        "url": page.url,
        "format": page.format,
        "status": page.status,
        "charset": page.charset,
        "sha256": page_sha256(page),
        "size_bytes": len(page.content),
        "fetched_at": page.fetched_at,
        "listed_at": page.listed_at,
        "origin": page.origin,
    }


def load_raw_pages(con: duckdb.DuckDBPyConnection, rows: Iterable[dict]) -> int:
    """Upsert references to archived pages (rows from raw_page_row; the bytes stay on disk)."""
    frame = pl.DataFrame(list(rows), schema=RAW_PAGE_SCHEMA)
    with transaction(con):
        upsert(con, "raw_pages", frame, "article_id")
    return frame.height


FAILURE_SCHEMA = {
    "stage": pl.String,
    "article_id": pl.String,
    "url": pl.String,
    "reason": pl.String,
    "attempts": pl.Int32,
    "failed_at": pl.Datetime("us", "UTC"),
    "page_sha256": pl.String,
    "code_version": pl.String,
}


# What makes two records of a failure the same failure: everything but when it was seen.
_SAME_FAILURE = [column for column in FAILURE_SCHEMA if column != "failed_at"]


def record_failures(
    con: duckdb.DuckDBPyConnection,
    rows: list[dict],
    *,
    stages: tuple[str, ...],
    clear: Iterable[str] = (),
    replace_all: bool = False,
) -> None:
    """Record failures (rows with FAILURE_SCHEMA's keys) for the given stages.

    Earlier failures of the same ids are replaced, those of the ids in `clear` (which went
    through this time) are forgotten, and with `replace_all` every earlier failure of these
    stages is, because the caller has just seen the complete picture. A failure met again
    unchanged stays as stored, with the time it was first seen: a run that meets the same
    problems again (a rejected listing, a broken file) writes nothing.
    """
    frame = pl.DataFrame(rows, schema=FAILURE_SCHEMA).unique(
        ["stage", "article_id"], keep="last", maintain_order=True
    )
    stages = tuple(sorted(set(stages) | set(frame["stage"].to_list())))
    placeholders = ", ".join("?" for _ in stages)
    fresh = not_stored(con, "failures", frame, "article_id", _SAME_FAILURE)
    with transaction(con):
        if replace_all:
            # Every earlier failure of these stages that this run did not meet again.
            met = set(frame.select("stage", "article_id").rows())
            stored = con.execute(
                f"select stage, article_id from failures where stage in ({placeholders})",
                list(stages),
            ).fetchall()
            for stage in stages:
                dropped = [key for s, key in stored if s == stage and (s, key) not in met]
                delete_keys(
                    con, "failures", "article_id", dropped, where="stage = ?", where_params=[stage]
                )
        keys = sorted(set(clear) | set(fresh["article_id"].to_list()))
        delete_keys(
            con,
            "failures",
            "article_id",
            keys,
            where=f"stage in ({placeholders})",
            where_params=list(stages),
        )
        insert_frame(con, "failures", fresh)


# --- parsing ----------------------------------------------------------------------------

ARTICLE_SCHEMA = {
    "article_id": pl.String,
    "url": pl.String,
    "title": pl.String,
    "published_at": pl.Datetime("us", "UTC"),
    "source": pl.String,
    "body": pl.String,
    "page_sha256": pl.String,
    "parser_version": pl.String,
}


@dataclass(frozen=True)
class ParseSummary:
    parsed: int
    failed: int
    failures: list[dict]


def pages_to_parse(con: duckdb.DuckDBPyConnection, parser_version: str) -> list[str]:
    """Ids of archived pages whose bytes or parser changed since they were last read."""
    rows = con.execute(
        """
        select raw_pages.article_id
        from raw_pages
        left join articles using (article_id)
        left join failures
            on failures.stage = 'parse' and failures.article_id = raw_pages.article_id
        where not (
            coalesce(articles.page_sha256 = raw_pages.sha256
                     and articles.parser_version = ?, false)
            or coalesce(failures.page_sha256 = raw_pages.sha256
                        and failures.code_version = ?, false)
        )
        order by raw_pages.article_id
        """,
        [parser_version, parser_version],
    ).fetchall()
    return [row[0] for row in rows]


def parse_pages(
    con: duckdb.DuckDBPyConnection, pages: Iterable[RawPage], parser_version: str
) -> ParseSummary:
    """Parse pages into `articles`; a page that cannot be parsed goes to `failures` instead."""
    from pipelines.parse import parse_raw_page  # bs4 and lxml: only a run that parses needs them

    articles: list[dict] = []
    failures: list[dict] = []
    ids: list[str] = []
    now = datetime.now(UTC)
    for page in pages:
        ids.append(page.article_id)
        sha = page_sha256(page)
        try:
            article = parse_raw_page(page)
        except ParseError as error:
            failures.append(_parse_failure(page, str(error), sha, parser_version, now))
            continue
        except Exception as error:  # a parser bug must not stop the other pages
            reason = f"parser error: {type(error).__name__}: {error}"
            failures.append(_parse_failure(page, reason, sha, parser_version, now))
            continue
        articles.append(_article_row(article, page, sha, parser_version))
    frame = pl.DataFrame(articles, schema=ARTICLE_SCHEMA)
    with transaction(con):
        delete_keys(con, "articles", "article_id", ids)
        insert_frame(con, "articles", frame)
    record_failures(con, failures, stages=("parse",), clear=ids)
    return ParseSummary(parsed=frame.height, failed=len(failures), failures=failures)


def _article_row(article: Article, page: RawPage, sha: str, parser_version: str) -> dict:
    return {
        "article_id": page.article_id,  # the archive's key, which every later stage joins on
        "url": article.url or page.url,
        "title": article.title,
        "published_at": article.published_at,
        "source": article.source,
        "body": article.body,
        "page_sha256": sha,
        "parser_version": parser_version,
    }


def _parse_failure(
    page: RawPage, reason: str, sha: str, parser_version: str, now: datetime
) -> dict:
    return {
        "stage": "parse",
        "article_id": page.article_id,
        "url": page.url,
        "reason": reason,
        "attempts": 1,
        "failed_at": now,
        "page_sha256": sha,
        "code_version": parser_version,
    }


# --- extraction -------------------------------------------------------------------------

# Who said it and where: the columns every fact kind shares around its own.
_FACT_KEY = {"article_id": pl.String, "fact_index": pl.Int32}
_STATEMENT = {"company": pl.String, "metric": pl.String, "basis": pl.String}
_PROVENANCE = {
    "sentence": pl.String,
    "field": pl.String,
    "sentence_start": pl.Int32,
    "sentence_end": pl.Int32,
    "url": pl.String,
    "published_at": pl.Datetime("us", "UTC"),
}

FACT_SCHEMA = {
    **_FACT_KEY,
    **_STATEMENT,
    "period": pl.String,
    "value_low_usd": pl.Float64,
    "value_high_usd": pl.Float64,
    "qualifier": pl.String,
    **_PROVENANCE,
    "superseded": pl.Boolean,
}

GROWTH_SCHEMA = {
    **_FACT_KEY,
    **_STATEMENT,
    "from_period": pl.String,
    "to_period": pl.String,
    "growth_pct": pl.Float64,
    **_PROVENANCE,
}

EXTRACTION_SCHEMA = {
    "article_id": pl.String,
    "page_sha256": pl.String,
    "extractor_version": pl.String,
    "fact_count": pl.Int32,
    "growth_count": pl.Int32,
    "skipped_non_usd": pl.Int32,
}


# Articles the current extractor has not read in their current form.
_UNREAD_ARTICLES = """
    from articles as a
    left join extractions as e using (article_id)
    where e.article_id is null
       or e.page_sha256 != a.page_sha256
       or e.extractor_version != ?
"""
# Facts whose article is gone (its page stopped parsing).
_ORPHANED_FACTS = "from extractions anti join articles using (article_id)"


def extraction_backlog(con: duckdb.DuckDBPyConnection, extractor_version: str) -> int:
    """How many articles extract_pending would read or clear."""
    unread = con.execute(f"select count(*) {_UNREAD_ARTICLES}", [extractor_version]).fetchone()
    orphans = con.execute(f"select count(*) {_ORPHANED_FACTS}").fetchone()
    return unread[0] + orphans[0]


def downstream_backlog(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Work waiting after the raw pages even when no page is new: pages the current parser has
    not read, articles the current extractor has not read, models whose SQL changed."""
    return {
        "pages_to_parse": len(pages_to_parse(con, code_version("pipelines.parse"))),
        "articles_to_extract": extraction_backlog(con, code_version("pipelines.extract")),
        "stale_models": len(stale_models(con, load_models())),
    }


@dataclass(frozen=True)
class ExtractSummary:
    articles_read: int
    facts: int
    growth: int
    removed: int


def extract_pending(con: duckdb.DuckDBPyConnection, extractor_version: str) -> ExtractSummary:
    """Read every article whose text or extractor changed; replace its facts atomically.

    Facts of articles that no longer exist (their page stopped parsing) are removed too.
    """
    from pipelines.extract import extract  # only a run that extracts needs the extractor

    pending = con.execute(
        f"""
        select a.article_id, a.url, a.title, a.published_at, a.body, a.page_sha256
        {_UNREAD_ARTICLES}
        order by a.article_id
        """,
        [extractor_version],
    ).fetchall()
    orphans = [row[0] for row in con.execute(f"select article_id {_ORPHANED_FACTS}").fetchall()]
    facts: list[dict] = []
    growth: list[dict] = []
    done: list[dict] = []
    for article_id, url, title, published_at, body, sha in pending:
        result = extract(body, published_at=published_at, article_id=article_id, title=title)
        provenance = {"url": url, "published_at": published_at}
        for index, fact in enumerate(result.facts):
            facts.append({**_fact_fields(fact, FACT_SCHEMA), **provenance, "fact_index": index})
        for index, stated in enumerate(result.growth):
            growth.append(
                {**_fact_fields(stated, GROWTH_SCHEMA), **provenance, "fact_index": index}
            )
        done.append(
            {
                "article_id": article_id,
                "page_sha256": sha,
                "extractor_version": extractor_version,
                "fact_count": len(result.facts),
                "growth_count": len(result.growth),
                "skipped_non_usd": result.skipped_non_usd,
            }
        )
    ids = [row[0] for row in pending] + orphans
    with transaction(con):
        for table, rows, schema in (
            ("capex_facts", facts, FACT_SCHEMA),
            ("capex_stated_growth", growth, GROWTH_SCHEMA),
            ("extractions", done, EXTRACTION_SCHEMA),
        ):
            delete_keys(con, table, "article_id", ids)
            insert_frame(con, table, pl.DataFrame(rows, schema=schema))
    return ExtractSummary(
        articles_read=len(pending), facts=len(facts), growth=len(growth), removed=len(orphans)
    )


def _fact_fields(fact: object, schema: dict) -> dict:
    return {name: getattr(fact, name) for name in schema if hasattr(fact, name)}
