"""Ingestion: which articles exist for a day, and their pages' bytes in the raw archive."""

import warnings
from datetime import date

import dagster as dg

from pipelines.defs.metadata import table_metadata
from pipelines.defs.resources import ArticleSourceResource, WarehouseResource
from pipelines.ingest.fetch import SourceUnreachable
from pipelines.sources import collect_pages, list_articles
from pipelines.warehouse.db import fetch_dicts
from pipelines.warehouse.loading import (
    downstream_backlog,
    load_index,
    load_raw_pages,
    raw_page_row,
    record_failures,
)

# Single-run backfills are what these assets are written for; Dagster still labels the
# parameter beta, which says nothing a user can act on.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)

# Beijing days: Sina dates its news in Beijing time, and users backfill by those dates.
daily_partitions = dg.DailyPartitionsDefinition(
    start_date="2023-01-01", timezone="Asia/Shanghai", end_offset=1
)

# A run in which more than this share of pages still failed after retries needs a look.
MAX_FAILED_PAGE_SHARE = 0.2


@dg.asset(
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="ingest",
    kinds={"python", "duckdb"},
    pool="warehouse",
)
def article_index(
    context: dg.AssetExecutionContext,
    source: ArticleSourceResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """One row per article the source lists for the day (live: Sina's roll API, by Beijing
    date; samples and archive folders list every article they hold, under the last day of
    the run). A backfill of many days is one run."""
    config = source.config()
    days = [date.fromisoformat(key) for key in context.partition_keys]
    if config.kind != "live":
        days = days[-1:]  # a folder has no days: read it once
    # The warehouse is held only while writing, never during network waits, so queries and
    # other runs are not kept waiting.
    with warehouse.connect() as con:
        known = frozenset(
            row[0] for row in con.execute("select article_id from raw_pages").fetchall()
        )
    outcomes = []
    for day in days:
        try:
            outcomes.append((day, list_articles(config, day, known)))
        except SourceUnreachable as error:
            # Retrying an unreachable network only delays the message the user needs.
            raise dg.Failure(description=str(error), allow_retries=False) from error
    # Every day is written once the listing is done: opening the warehouse costs more than
    # writing a day that holds nothing new. A run that fails before this loses nothing the
    # next run would not list again, since what is known comes from raw_pages.
    listed = 0
    with warehouse.connect() as con:
        for day, outcome in outcomes:
            listed += load_index(con, outcome.rows, day, live=config.kind == "live")
            record_failures(
                con,
                outcome.problems,
                stages=("list", "rejected", "import"),
                replace_all=config.kind != "live",  # a folder is re-read whole every time
            )
        metadata = table_metadata(con, "article_index")
    return dg.MaterializeResult(
        metadata={
            **metadata,
            "source": config.kind,
            "days": len(context.partition_keys),
            "listed": listed,
            "problems": sum(len(outcome.problems) for _, outcome in outcomes),
            "list_requests": sum(outcome.requests for _, outcome in outcomes),
        }
    )


@dg.asset(
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    deps=[article_index],
    # Materialised only when pages were archived or work waits downstream (a parser,
    # extractor or model changed): a run with nothing new stops here, and automation does
    # not refresh what cannot have changed.
    output_required=False,
    group_name="ingest",
    kinds={"python", "duckdb"},
    pool="warehouse",
    check_specs=[
        dg.AssetCheckSpec(
            "failed_page_share",
            asset="raw_pages",
            description=f"At most {MAX_FAILED_PAGE_SHARE:.0%} of the pages a run tried "
            "failed after all retries.",
        )
    ],
)
def raw_pages(
    context: dg.AssetExecutionContext,
    source: ArticleSourceResource,
    warehouse: WarehouseResource,
):
    """One row per archived page: url, status, charset, content hash and when it was fetched.
    The bytes themselves are in the raw archive, written before anything parses them, so a
    parser change re-reads every page without touching the network. A page that failed for a
    passing reason (a timeout, a 503) is tried again by every later run; one the site answered
    for good (404, over the size cap) only by runs of its own day, so dead links do not cost a
    request in every scheduled run forever."""
    first, last = (date.fromisoformat(key) for key in context.partition_key_range)
    config = source.config()
    archive = warehouse.archive()
    with warehouse.connect() as con:
        wanted = fetch_dicts(
            con,
            """
            select article_id, url, title, listed_at, channel, media_name
            from article_index
            where partition_date between ? and ?
               or article_id in (select article_id from failures where stage = 'fetch')
            order by article_id
            """,
            [first, last],
        )
        recorded = {row[0] for row in con.execute("select article_id from raw_pages").fetchall()}
    outcome = collect_pages(config, wanted, archive, recorded)
    # Pages archived by a run that died before recording them are recorded now.
    unrecorded = [raw_page_row(archive.get(article_id)) for article_id in outcome.unrecorded]
    with warehouse.connect() as con:
        load_raw_pages(con, [*outcome.archived, *unrecorded])
        record_failures(
            con, outcome.failures, stages=("fetch", "gone", "rejected"), clear=outcome.recovered
        )
        metadata = table_metadata(con, "raw_pages")
        backlog = downstream_backlog(con)
    tried = len(outcome.archived) + len(outcome.failures)
    share = len(outcome.failures) / tried if tried else 0.0
    if outcome.archived or unrecorded or any(backlog.values()):
        yield dg.MaterializeResult(
            metadata={
                **metadata,
                **backlog,
                "archived": len(outcome.archived),
                "recovered_from_archive": len(unrecorded),
                "already_archived": outcome.already_archived,
                "failed": len(outcome.failures),
                "page_requests": outcome.requests,
                "archive_dir": str(archive.root),
            }
        )
    else:
        context.log.info(
            f"nothing new ({outcome.already_archived} pages already archived, no work waiting "
            "downstream): the rest of the graph is skipped"
        )
    yield dg.AssetCheckResult(
        check_name="failed_page_share",
        asset_key="raw_pages",
        passed=share <= MAX_FAILED_PAGE_SHARE,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"failed": len(outcome.failures), "tried": tried, "share": share},
    )
