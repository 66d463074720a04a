"""``propscope analyze PATH|URL|-``: find and show propaganda in articles."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from propscope.cli.arguments import whole_number
from propscope.document import Analysis
from propscope.errors import InputError
from propscope.fileio import check_output_path, write_atomically
from propscope.ingest.decoding import DEFAULT_MAX_BYTES, LARGEST_MAX_BYTES
from propscope.ingest.sources import STDIN_FORMATS, BadRecord, ReadOptions
from propscope.pipeline import AnalysisOptions, analyze_many
from propscope.render.html import render_html
from propscope.render.terminal import render_plain, render_terminal, stderr_console

FORMATS = ("terminal", "json", "jsonl", "html", "text")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("analyze", help="analyse articles: a file, folder, URL, JSONL/CSV, or - for stdin")
    parser.add_argument("source", help="a text or HTML file, a folder, a .jsonl/.csv file, a URL, or - for stdin")
    parser.add_argument("--format", choices=FORMATS, default="terminal", help="output format (default: terminal view)")
    parser.add_argument("-o", "--output", type=Path, help="write to this file (written whole or not at all)")
    parser.add_argument("--min-confidence", type=float, default=0.0, help="hide spans below this confidence (0-1)")
    parser.add_argument(
        "--technique", action="append", help="show only this technique id (repeatable), e.g. Loaded_Language"
    )
    parser.add_argument(
        "--max-bytes",
        type=whole_number(1, LARGEST_MAX_BYTES),
        default=DEFAULT_MAX_BYTES,
        help="size limit per article (default 2 MB)",
    )
    parser.add_argument("--skip-bad-records", action="store_true", help="report malformed records or files and go on")
    parser.add_argument(
        "--stdin-format",
        choices=STDIN_FORMATS,
        default="text",
        help="what - reads: one article as text or HTML (default), or JSONL, JSON or CSV records",
    )
    parser.set_defaults(run=run)


def _render(analyses: list[Analysis], output_format: str) -> str:
    if output_format == "json":
        if len(analyses) == 1:
            return analyses[0].to_json() + "\n"
        return "[\n" + ",\n".join(a.to_json() for a in analyses) + "\n]\n"
    if output_format == "jsonl":
        return "".join(a.to_json(indent=None) + "\n" for a in analyses)
    if output_format == "html":
        if len(analyses) != 1:
            raise InputError("--format html makes a report of one article; use json or jsonl for several")
        return render_html(analyses[0].to_dict())
    return "".join(render_plain(a) for a in analyses)


def run(args: argparse.Namespace) -> int:
    if args.output is not None:
        check_output_path(args.output)
    if args.stdin_format != "text" and args.source != "-":
        raise InputError(f"--stdin-format is for - (standard input); {args.source} is read by its name and content")
    options = AnalysisOptions(
        min_confidence=args.min_confidence, techniques=frozenset(args.technique) if args.technique else None
    )
    read_options = ReadOptions(
        max_bytes=args.max_bytes, skip_bad_records=args.skip_bad_records, stdin_format=args.stdin_format
    )
    err = stderr_console()
    analyses, bad = [], []
    for item in analyze_many(args.source, options=options, read_options=read_options):
        if isinstance(item, BadRecord):
            bad.append(item)
            # a reason quotes file names and records, which are not Rich markup
            err.print(Text.assemble(("skipped", "yellow"), " ", item.reason), highlight=False)
        else:
            analyses.append(item)
    if not analyses:
        raise InputError(f"{args.source}: no article could be read")
    if args.format == "terminal" and args.output is None:
        console = Console()
        for analysis in analyses:
            render_terminal(analysis, console)
    else:
        content = _render(analyses, "text" if args.format == "terminal" else args.format)
        if args.output is None:
            sys.stdout.write(content)
        else:
            write_atomically(args.output, content)
    return 1 if bad else 0
