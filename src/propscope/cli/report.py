"""``propscope report --db URL [--by outlet|month|technique]``: compare outlets, periods, techniques."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from propscope.fileio import write_atomically
from propscope.render.stats_report import report_rows, stats_html, stats_table
from propscope.render.terminal import stdout_console
from propscope.store.database import open_for_reading
from propscope.store.repository import Period, check_day
from propscope.store.stats import GROUPINGS, group_stats


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="tables and an HTML report over a database of analyses")
    parser.add_argument("--db", required=True, help="database URL")
    parser.add_argument("--by", choices=GROUPINGS, default="outlet")
    parser.add_argument("--since", help="only articles dated on or after this day (YYYY-MM-DD)")
    parser.add_argument("--until", help="only articles dated on or before this day (YYYY-MM-DD)")
    parser.add_argument("--html", type=Path, help="also write a self-contained HTML report here")
    parser.add_argument("--json", action="store_true", help="print the table's rows as JSON instead of the table")
    parser.add_argument(
        "--rank-by",
        choices=("spans", "score", "author-score"),
        default="spans",
        help="order rows by span count, mean score, or mean score of the author's own voice",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    period = Period(since=check_day("--since", args.since), until=check_day("--until", args.until))
    store = open_for_reading(args.db)
    with store.transaction() as session:
        groups = group_stats(session=session, by=args.by, period=period)
    if args.rank_by != "spans" or args.by != "month":
        key = {
            "spans": lambda g: g.spans,
            "score": lambda g: g.mean_score,
            "author-score": lambda g: g.mean_author_score,
        }
        groups.sort(key=key[args.rank_by], reverse=True)
    rows = report_rows(groups, args.by)
    title = f"Propaganda by {args.by}" + (f" since {args.since}" if args.since else "")
    title += f" until {args.until}" if args.until else ""
    if args.json:
        report = {"by": args.by, "since": args.since, "until": args.until, "rank_by": args.rank_by, "rows": rows}
        print(json.dumps(report, ensure_ascii=False, indent=2))
    elif not rows:
        stdout_console().print(
            "Nothing to report: no analyses (or no spans) match; `propscope batch INPUT --db URL` adds some."
        )
    else:
        stdout_console().print(stats_table(rows, args.by))
    if args.html:
        write_atomically(args.html, stats_html(rows, args.by, title))
        print(f"propscope: wrote the HTML report to {args.html}", file=sys.stderr)
    return 0
