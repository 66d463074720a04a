"""``propscope batch INPUT... (--db URL | --out FILE.jsonl)``: analyse a corpus, resumably."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text
from sqlalchemy import make_url

from propscope.batch.local import BatchResult, count_inputs, expand_inputs, run_batch
from propscope.batch.sinks import DatabaseSink, JsonlSink, ParquetSink
from propscope.cli.arguments import whole_number
from propscope.errors import InputError
from propscope.ingest.decoding import DEFAULT_MAX_BYTES, LARGEST_MAX_BYTES
from propscope.ingest.sources import ReadOptions
from propscope.render.terminal import on_terminal, stderr_console, stdout_console
from propscope.store.database import Store, open_for_reading
from propscope.store.repository import list_failures


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "batch", help="analyse many articles into a database or a JSONL file; resumable, skips what is done"
    )
    parser.add_argument("inputs", nargs="*", help="files, folders, globs, .jsonl or .csv files")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--db", help="database URL (sqlite:///path.db or postgresql://...)")
    target.add_argument(
        "--out", type=Path, help="FILE.jsonl (appended) or DIR.parquet (a folder of part files); both resumable"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes (or Ray actors), each with its own model"
    )
    parser.add_argument("--engine", choices=("local", "ray"), default="local", help="local processes, or Ray Data")
    parser.add_argument("--ray-address", help="with --engine ray: a running cluster (default: start a local Ray)")
    parser.add_argument("--chunk-size", type=int, default=32, help="articles per transaction")
    parser.add_argument(
        "--max-bytes", type=whole_number(1, LARGEST_MAX_BYTES), default=DEFAULT_MAX_BYTES, help="size limit per article"
    )
    parser.add_argument("--failures", action="store_true", help="list the recorded failures of --db and exit")
    parser.set_defaults(run=run)


def _show_failures(url: str) -> int:
    with open_for_reading(url).transaction() as session:
        rows = list_failures(session=session)
    if not rows:
        print(f"no failures recorded in {make_url(url).render_as_string(hide_password=True)}")
        return 0
    table = Table("when", "article", "reason", title=f"{len(rows)} failures")
    for row in rows:
        # file names and error messages are the user's text, never read as Rich markup
        table.add_row(*(Text(cell) for cell in row))
    stdout_console().print(table)
    return 0


def with_progress(total: int | None, work: Callable[[Callable[[BatchResult], None]], BatchResult]) -> BatchResult:
    """Run ``work(on_progress)`` under a progress bar: counts, articles/s, and an ETA when the total is known.
    Without a terminal to redraw it in, a bar would be left in a log as one cut line: show none."""
    console = stderr_console()
    if not on_terminal(console):
        return work(lambda _: None)
    columns = [SpinnerColumn(), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}")]
    columns += [TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn()] if total else [TimeElapsedColumn()]
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("starting", total=total)

        def show(result: BatchResult) -> None:
            rate = (result.analysed / result.seconds) if result.seconds else 0.0
            progress.update(
                task,
                completed=result.read,
                description=f"{result.analysed} analysed, {result.skipped} already done, "
                f"{result.failed} failed · {rate:.1f} articles/s",
            )

        return work(show)


def summary(result: BatchResult) -> str:
    rate = result.analysed / result.seconds if result.seconds else 0.0
    return (
        f"{result.read} articles read: {result.analysed} analysed, {result.skipped} already done, "
        f"{result.failed} failed; {result.spans} spans; {result.seconds:.1f} s, {rate:.1f} articles/s"
    )


def exit_code(result: BatchResult) -> int:
    """1 when some articles failed (their reasons are stored, see --failures), as analyze
    --skip-bad-records does, so that a script notices; else 0."""
    return 1 if result.failed else 0


def _run_ray(args: argparse.Namespace) -> int:
    from propscope.batch.ray_engine import run_ray

    if args.out is None or args.out.suffix != ".parquet":
        raise InputError("--engine ray writes Parquet: give --out DIR.parquet")
    result = run_ray(args.inputs, args.out, workers=args.workers, address=args.ray_address)
    stderr_console().print(summary(result))
    return exit_code(result)


def run(args: argparse.Namespace) -> int:
    if args.workers < 1 or args.chunk_size < 1:
        raise InputError("--workers and --chunk-size must be at least 1")
    if args.failures:
        if not args.db:
            raise InputError("--failures needs --db URL")
        if args.inputs:
            raise InputError("--failures lists a store's failures and analyses nothing: leave out the inputs")
        return _show_failures(args.db)
    if not args.inputs:
        raise InputError("give at least one input: a file, folder, glob, .jsonl or .csv")
    if args.db is None and args.out is None:
        raise InputError("say where results go: --db URL or --out FILE.jsonl")
    if args.engine == "ray":
        return _run_ray(args)
    targets = expand_inputs(args.inputs)
    if args.db is not None:
        sink = DatabaseSink(Store(args.db))
    elif args.out.suffix == ".parquet":
        sink = ParquetSink(args.out)
    elif args.out.suffix in (".jsonl", ".ndjson"):
        sink = JsonlSink(args.out)
    else:
        raise InputError(f"{args.out}: --out takes a .jsonl file or a .parquet folder")
    total = count_inputs(targets)
    options = ReadOptions(max_bytes=args.max_bytes, skip_bad_records=True)
    result = with_progress(
        total,
        lambda show: run_batch(
            targets, sink, workers=args.workers, chunk_size=args.chunk_size, read_options=options, on_progress=show
        ),
    )
    stderr_console().print(summary(result))
    return exit_code(result)
