"""``propscope calibrate-attribution --gold FILE [--gold FILE ...] --articles DIR [--articles DIR ...] --out DIR``:
fit how sure each span's voice and speaker are (needs the [train] extra)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from propscope.cli.attribution import add_articles_argument
from propscope.cli.train import training_module


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "calibrate-attribution",
        help="fit the confidence of voices and speakers on attribution annotations (needs propscope[train])",
    )
    parser.add_argument("--gold", type=Path, action="append", required=True, help="annotations; repeat to pool files")
    add_articles_argument(parser)
    parser.add_argument(
        "--out", type=Path, required=True, help="folder for attribution-confidence.json and its line in its SHA256SUMS"
    )
    parser.add_argument("--folds", type=int, default=5, help="folds of whole articles for cross-validation")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    module = training_module("attribution_confidence")
    print(json.dumps(module.calibrate_attribution(args.gold, args.articles, args.out, args.folds), indent=1))
    return 0
