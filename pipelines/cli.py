"""The `capex` command: run the pipeline, query the warehouse, extract and score facts."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
DEFAULT_WAREHOUSE = os.environ.get("CAPEX_WAREHOUSE", "warehouse/capex.duckdb")


class UserError(Exception):
    """A problem the user can fix; printed as one line, without a traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except UserError as error:
        print(f"capex: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="capex", description="Capex facts from Chinese financial news, in DuckDB."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run the whole pipeline through Dagster")
    run.add_argument("--source", choices=["live", "samples", "archive"], default="live")
    run.add_argument("--archive", type=Path, help="folder of saved articles (--source archive)")
    run.add_argument("--warehouse", type=Path, default=Path(DEFAULT_WAREHOUSE))
    run.add_argument(
        "--date",
        help="Beijing date to ingest, YYYY-MM-DD (default: today); folders are read whole",
    )
    run.add_argument(
        "--until", help="with --date, backfill every Beijing day up to this one (YYYY-MM-DD)"
    )
    run.set_defaults(handler=_run)

    sql = commands.add_parser("sql", help="query the warehouse (read-only)")
    sql.add_argument("query")
    sql.add_argument("--warehouse", type=Path, default=Path(DEFAULT_WAREHOUSE))
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sql.set_defaults(handler=_sql)

    extract = commands.add_parser("extract", help="print the capex facts of articles as JSON Lines")
    extract.add_argument("paths", nargs="+", type=Path)
    extract.add_argument("--published", help="publication time of a plain-text article")
    extract.add_argument("--id", dest="article_id", help="id of a plain-text article")
    extract.set_defaults(handler=_extract)

    evaluate = commands.add_parser("eval", help="score extracted facts against gold facts")
    evaluate.add_argument("--gold", type=Path, required=True)
    evaluate.add_argument("paths", nargs="+", type=Path, help="articles the gold file covers")
    evaluate.add_argument("--verbose", action="store_true", help="list every miss and mistake")
    evaluate.add_argument("--min-precision", type=float, default=0.0)
    evaluate.add_argument("--min-recall", type=float, default=0.0)
    evaluate.set_defaults(handler=_eval)
    return parser


# --- run --------------------------------------------------------------------------------


def _run(args: argparse.Namespace) -> int:
    from pipelines.running import RunFailed, run_pipeline, summary_lines

    if args.source == "archive" and args.archive is None:
        raise UserError("--source archive needs --archive PATH (a folder of saved articles)")
    if args.archive is not None and not args.archive.exists():
        raise UserError(f"archive folder not found: {args.archive}")
    days = _days(args.date, args.until)
    span = days[0] if len(days) == 1 else f"{days[0]} to {days[-1]}"
    print(f"capex: running the pipeline on {args.source} articles for {span}", file=sys.stderr)
    try:
        report = run_pipeline(
            source=args.source,
            archive=args.archive,
            warehouse=args.warehouse,
            partition=days[0],
            until=days[-1],
        )
    except RunFailed as error:
        print(f"capex: the run failed: {error}", file=sys.stderr)
        return 1
    for line in [*report.built, *summary_lines(args.warehouse)]:
        print(line)
    for line in report.failed_checks:
        print(f"capex: {line}", file=sys.stderr)
    return 1 if report.blocking_failure else 0


def _days(first: str | None, last: str | None) -> list[str]:
    """The Beijing days a run covers: --date (default today) through --until, inclusive."""
    try:
        start = date.fromisoformat(first) if first else datetime.now(BEIJING).date()
        end = date.fromisoformat(last) if last else start
    except ValueError as error:
        raise UserError(f"dates must look like 2025-02-07 ({error})") from None
    if last and not first:
        raise UserError("--until needs --date (the first day of the range)")
    if end < start:
        raise UserError(f"--until {end} is before --date {start}")
    return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


# --- sql --------------------------------------------------------------------------------


def _sql(args: argparse.Namespace) -> int:
    from pipelines.warehouse.query import QueryRefused, run_query

    try:
        frame = run_query(args.warehouse, args.query)
    except (QueryRefused, FileNotFoundError) as error:
        raise UserError(str(error)) from None
    if args.format == "csv":
        sys.stdout.write(frame.write_csv())
    elif args.format == "json":
        print(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=1))
    else:
        import polars as pl

        with pl.Config(
            tbl_rows=-1,
            tbl_cols=-1,
            fmt_str_lengths=80,
            tbl_width_chars=200,
            tbl_hide_dataframe_shape=True,
            tbl_hide_column_data_types=True,
        ):
            print(frame)
    return 0


# --- extract and eval ---------------------------------------------------------------------


def _articles(paths: Sequence[Path], published: str | None, article_id: str | None) -> Iterator:
    """Parsed articles from every path; unreadable ones are reported on stderr and skipped."""
    from pipelines.ingest.folder import FolderImportError, read_folder
    from pipelines.parse import parse_raw_page
    from pipelines.records import ParseError, RawPage
    from pipelines.sina_ids import content_id

    for path in paths:
        if not path.exists():
            raise UserError(f"no such file or folder: {path}")
        if published is not None:  # a plain-text article
            when = _published(published)
            content = path.read_bytes()
            yield parse_raw_page(
                RawPage(
                    article_id=article_id or content_id(content),
                    url=None,
                    format="text",
                    content=content,
                    fetched_at=when,
                    listed_at=when,
                    origin=str(path),
                )
            )
            continue
        for item in read_folder(path):
            if isinstance(item, FolderImportError):
                print(f"capex: skipped {item.path}: {item.reason}", file=sys.stderr)
                continue
            try:
                yield parse_raw_page(item)
            except ParseError as error:
                print(f"capex: skipped {item.article_id}: {error}", file=sys.stderr)


def _published(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(
            f"--published must be ISO date/time like 2025-02-07T20:06, not {text!r}"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=BEIJING)


def _facts_as_dicts(article) -> Iterator[dict]:
    from pipelines.extract import extract

    result = extract(
        article.body,
        published_at=article.published_at,
        article_id=article.article_id,
        title=article.title,
    )
    for fact in result.facts:
        yield {"kind": "value", **fact.to_dict()}
    for growth in result.growth:
        yield {"kind": "stated_growth", **growth.to_dict()}


def _extract(args: argparse.Namespace) -> int:
    for article in _articles(args.paths, args.published, args.article_id):
        for row in _facts_as_dicts(article):
            print(json.dumps(row, ensure_ascii=False))
    return 0


def _eval(args: argparse.Namespace) -> int:
    from pipelines.extract.scoring import format_report, load_gold, score

    if not args.gold.exists():
        raise UserError(f"gold file not found: {args.gold}")
    gold = load_gold(args.gold)
    produced: list[dict] = []
    article_ids: list[str] = []
    for article in _articles(args.paths, None, None):
        article_ids.append(article.article_id)
        produced.extend(_facts_as_dicts(article))
    report = score(produced, gold, article_ids=article_ids)
    print(format_report(report, verbose=args.verbose))
    ok = report.values.precision >= args.min_precision and report.values.recall >= args.min_recall
    if not ok:
        print(
            f"capex: below the floor (precision ≥ {args.min_precision}, "
            f"recall ≥ {args.min_recall})",
            file=sys.stderr,
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
