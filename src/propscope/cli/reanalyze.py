"""``propscope reanalyze --db URL``: analyse again, with the installed model and attribution, every
stored article that another version of either analysed last. Earlier analyses are kept; pages show
the newest."""

from __future__ import annotations

import argparse

from propscope.batch import local
from propscope.batch.reanalyse import articles_to_reanalyse, count_to_reanalyse
from propscope.batch.sinks import DatabaseSink
from propscope.cli.batch import summary, with_progress
from propscope.errors import InputError, StoreError
from propscope.render.terminal import stderr_console
from propscope.store.database import Store


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("reanalyze", help="re-analyse stored articles after a model or attribution change")
    parser.add_argument("--db", required=True, help="database URL (sqlite:///path.db or postgresql://...)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes, each with its own model")
    parser.add_argument("--dry-run", action="store_true", help="only say how many articles need it")
    parser.add_argument(
        "--upgrade-only",
        action="store_true",
        help="only upgrade the store's tables to this version (one way: back it up first), analysing nothing",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise InputError("--workers must be at least 1")
    if args.dry_run and args.upgrade_only:
        raise InputError("--dry-run writes nothing and --upgrade-only writes the upgrade: give one of them")
    # a dry run writes nothing, not even the upgrade of the store's schema
    store = Store(args.db, must_exist=True, upgrade=not args.dry_run)
    console = stderr_console()
    if args.upgrade_only:
        console.print("the store's tables are those of this version")
        return 0
    if args.dry_run and store.behind:
        current, newest = store.behind
        console.print(
            f"the store's schema is at revision {current}; this version needs {newest}, which the run without"
            " --dry-run makes first (one way: older versions of propscope cannot open the store afterwards, so"
            " back it up first); nothing was written"
        )
    version = local.model_version()
    try:
        total = count_to_reanalyse(store, version)
    except StoreError:
        if not store.behind:
            raise
        console.print("the articles of a store this old cannot be counted before the upgrade")
        return 0
    console.print(f"{total} articles were last analysed by a version other than {version}")
    if args.dry_run or total == 0:
        return 0
    sink = DatabaseSink(store)
    result = with_progress(
        total,
        lambda show: local.run_articles(
            articles_to_reanalyse(store, version), sink, workers=args.workers, on_progress=show
        ),
    )
    console.print(summary(result))
    return 0
