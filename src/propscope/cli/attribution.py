"""``propscope evaluate-attribution --gold FILE --articles DIR``: accuracy of voice, speaker, target."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from propscope.attribution_eval import evaluate_attribution


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate-attribution", help="accuracy of voice, speaker and target against annotated spans"
    )
    parser.add_argument("--gold", type=Path, required=True, help="annotations (e.g. annotations/attribution.tsv)")
    parser.add_argument("--articles", type=Path, required=True, help="folder of the annotated article<ID>.txt files")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    tallies = evaluate_attribution(args.gold, args.articles)
    if args.json:
        print(json.dumps({k: {"accuracy": t.accuracy, "right": t.right, "total": t.total} for k, t in tallies.items()}))
    else:
        for name, tally in tallies.items():
            print(f"{name:8s} accuracy {tally.accuracy:.1%} ({tally.right}/{tally.total})")
    return 0
