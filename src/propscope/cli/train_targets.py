"""``propscope train-targets --gold FILE [--gold FILE ...] --articles DIR [--articles DIR ...] --out DIR``: fit the
ranker that chooses a span's target among its candidates (needs the [train] extra)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from propscope.cli.attribution import add_articles_argument
from propscope.cli.train import training_module


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train-targets", help="train the target ranker on attribution annotations (needs propscope[train])"
    )
    parser.add_argument("--gold", type=Path, action="append", required=True, help="annotations; repeat to pool files")
    add_articles_argument(parser)
    parser.add_argument("--out", type=Path, required=True, help="folder for target-ranker.json and its SHA256SUMS")
    parser.add_argument("--folds", type=int, default=5, help="folds of whole articles for cross-validation")
    parser.add_argument("--seed", type=int, default=13)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    targets = training_module("targets")
    record = targets.train_target_ranker(args.gold, args.articles, args.out, args.folds, args.seed)
    print(json.dumps(record, indent=1))
    return 0
