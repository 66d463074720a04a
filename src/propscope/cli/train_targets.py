"""``propscope train-targets --gold FILE [--gold FILE ...] --articles DIR [--articles DIR ...] --out DIR``: fit the
ranker that chooses a span's target among its candidates (needs the [train] extra)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from propscope.cli.attribution import add_articles_argument
from propscope.cli.train import training_module
from propscope.errors import InputError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train-targets", help="train the target ranker on attribution annotations (needs propscope[train])"
    )
    parser.add_argument("--gold", type=Path, action="append", required=True, help="annotations; repeat to pool files")
    add_articles_argument(parser)
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="folder for target-ranker.json (or the chooser's files) and their lines in its SHA256SUMS",
    )
    parser.add_argument(
        "--folds", type=int, help="folds of whole articles for the ranker's cross-validation (default 5)"
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--fine-tune",
        action="store_true",
        help="fine-tune an encoder as the chooser of targets instead (target-chooser-int8.onnx and its settings; "
        "slow: 17 minutes for 6,700 targets on two cores)",
    )
    parser.add_argument("--epochs", type=int, help="epochs of fine-tuning, with --fine-tune (default 2)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.fine_tune:
        if args.folds is not None:
            raise InputError("--folds is for the ranker: --fine-tune holds a fifth of the articles out instead")
        epochs = 2 if args.epochs is None else args.epochs
        if epochs < 1:
            raise InputError(f"--epochs must be at least 1, not {epochs}")
        record = training_module("chooser").train_target_chooser(args.gold, args.articles, args.out, args.seed, epochs)
    else:
        if args.epochs is not None:
            raise InputError("--epochs is for fine-tuning: give --fine-tune too")
        folds = 5 if args.folds is None else args.folds
        record = training_module("targets").train_target_ranker(args.gold, args.articles, args.out, folds, args.seed)
    print(json.dumps(record, indent=1))
    return 0
