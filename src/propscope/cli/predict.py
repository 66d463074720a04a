"""``propscope predict --task si|tc|flc ARTICLES_DIR -o FILE``: the task's file formats."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from propscope.errors import InputError
from propscope.fileio import check_output_path, write_atomically
from propscope.pipeline import default_tagger
from propscope.predict import format_rows, predict_flc, predict_si, predict_tc
from propscope.render.terminal import on_terminal, stderr_console


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("predict", help="write predictions in the SemEval-2020 Task 11 formats")
    parser.add_argument("--task", choices=("si", "tc", "flc"), required=True)
    parser.add_argument("articles", type=Path, help="folder of article<ID>.txt files")
    parser.add_argument("-o", "--output", type=Path, required=True, help="predictions file")
    parser.add_argument("--spans", type=Path, help="TC only: template file or folder (id, ?, start, end per line)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.task == "tc" and args.spans is None:
        raise InputError("--task tc needs --spans TEMPLATE (lines: id, ?, start, end)")
    if args.task != "tc" and args.spans is not None:
        raise InputError("--spans is only for --task tc")
    check_output_path(args.output)
    tagger = default_tagger()
    # the bar belongs with the messages, as stdout may be a pipe; in a log it would be one cut line
    console = stderr_console()
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
        console=console,
        disable=not on_terminal(console),
    ) as progress:
        bar = progress.add_task(f"predict {args.task}", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(bar, completed=done, total=total)

        if args.task == "si":
            rows = predict_si(args.articles, tagger, advance)
        elif args.task == "tc":
            rows = predict_tc(args.articles, args.spans, tagger, advance)
        else:
            rows = predict_flc(args.articles, tagger, advance)
    write_atomically(args.output, format_rows(rows))
    print(f"propscope: wrote {len(rows)} {args.task} rows to {args.output}", file=sys.stderr)
    return 0
