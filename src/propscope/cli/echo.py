"""``propscope echo --db URL [--window 7d]``: propaganda phrases repeated across outlets."""

from __future__ import annotations

import argparse
import json

from rich.table import Table
from rich.text import Text

from propscope.cli.arguments import whole_number
from propscope.errors import InputError
from propscope.render.terminal import stdout_console
from propscope.store.database import open_for_reading
from propscope.store.echo import find_echoes, parse_window


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("echo", help="propaganda phrases that several outlets repeat within a time window")
    parser.add_argument("--db", required=True, help="database URL")
    parser.add_argument("--window", default="7d", help="how close in time the uses must be: 7d, 2w, 48h (default 7d)")
    parser.add_argument(
        "--min-outlets",
        type=whole_number(2),
        default=2,
        help="list a phrase used by at least this many outlets (default 2)",
    )
    parser.add_argument("--json", action="store_true", help="print the phrases as JSON, with their articles")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        window = parse_window(args.window)
    except ValueError as error:
        raise InputError(str(error)) from None
    with open_for_reading(args.db).transaction() as session:
        echoes = find_echoes(session=session, window=window, min_outlets=args.min_outlets)
    if args.json:
        print(json.dumps([e.as_dict() for e in echoes], ensure_ascii=False, indent=2))
        return 0
    table = Table(
        "phrase", "first seen", "outlets", "uses", "articles", title=f"{len(echoes)} echoed phrases", show_edge=False
    )
    for echo in echoes:
        first = echo.first
        # stored words and outlet names are shown as written, never read as Rich markup
        table.add_row(
            Text(echo.as_written),
            Text(f"{first.day} {first.outlet}"),
            Text(", ".join(echo.outlets)),
            str(len(echo.occurrences)),
            " ".join(str(a) for a in sorted({o.article_id for o in echo.occurrences})),
        )
    stdout_console().print(table)
    return 0
