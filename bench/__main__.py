"""`python -m bench`: run the benchmarks and write BENCHMARKS.md (see bench/__init__.py)."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.corpus import REPO_ROOT, load_bodies
from bench.endtoend import measure_scale
from bench.models import measure_models
from bench.parsing import measure_parsing, measure_worst_case
from bench.report import Results, render

# --smoke: every measurement, at sizes that finish in seconds (CI checks the command works).
SMOKE = {
    "sizes": [20],
    "repeat": 1,
    "facts": 10_000,
    "rounds": 1,
    "pages": 20,
    "peer_pages": 2,
    "worst": [20_000],
}


def _sizes(text: str) -> list[int]:
    sizes = [int(part) for part in text.split(",") if part.strip()]
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError("expected positive counts such as 1000,10000")
    return sorted(sizes)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Measure the pipeline and write BENCHMARKS.md."
    )
    parser.add_argument(
        "--sizes", type=_sizes, default=[1000, 10_000], help="end-to-end article counts"
    )
    parser.add_argument("--facts", type=int, default=1_000_000, help="facts for the SQL models")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the parsing comparison")
    parser.add_argument(
        "--pages", type=int, default=0, help="pages for the parsing comparison (0: all bodies)"
    )
    parser.add_argument(
        "--peer-pages", type=int, default=40, help="pages trafilatura reads each round"
    )
    parser.add_argument(
        "--worst", type=_sizes, default=[100_000, 1_000_000], help="dense article sizes, bytes"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="end-to-end attempts per size; the one with the least wall time is reported",
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    parser.add_argument(
        "--only",
        default="parse,e2e,models,worst",
        help="comma-separated measurements to run (parse, e2e, models, worst)",
    )
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "BENCHMARKS.md")
    parser.add_argument("--workdir", type=Path, help="where warehouses go (default: a temp dir)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    if args.smoke:
        for name, value in SMOKE.items():
            setattr(args, name, value)
    only = {part.strip() for part in args.only.split(",")}
    bodies, where = load_bodies()
    results = Results(
        command=shlex.join(["python", "-m", "bench", *argv]),
        corpus=where,
        revision=_revision(),
        load_before=os.getloadavg(),
    )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="capex-bench-") as temp:
        workdir = args.workdir or Path(temp)
        if "parse" in only:
            _say(f"parse + extract vs lxml and trafilatura, {args.rounds} round(s)")
            pages = bodies[: args.pages] if args.pages else bodies
            results.parsing = measure_parsing(pages, args.rounds, args.peer_pages)
        if "e2e" in only:
            for size in args.sizes:
                _say(f"end to end, {size:,} articles, then the no-op rerun")
                results.scales.append(measure_scale(bodies, size, workdir, args.repeat))
        if "models" in only:
            _say(f"SQL models over {args.facts:,} facts, repeated figures then distinct ones")
            results.models = measure_models(workdir, args.facts)
            results.models_distinct = measure_models(workdir, args.facts, distinct=True)
        if "worst" in only:
            _say("extraction worst case")
            results.worst = measure_worst_case(args.worst, bodies)
    results.seconds = time.perf_counter() - started
    results.load_after = os.getloadavg()
    args.out.write_text(render(results), encoding="utf-8")
    _say(f"wrote {args.out}")
    return 0


def _revision() -> str:
    """The commit measured, and whether the code differed from it."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "pipelines", "sql", "bench")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return head + (" with uncommitted changes in pipelines/, sql/ or bench/" if dirty else "")


def _say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
