"""``propscope evaluate --task si|tc --gold FILE_OR_DIR --pred FILE``: the task's metrics."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from propscope.corpus import read_label_source, read_labels
from propscope.errors import InputError
from propscope.metrics import Report, evaluate_label_rows
from propscope.techniques import TECHNIQUE_IDS


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("evaluate", help="score predictions with the SemEval-2020 Task 11 metrics")
    parser.add_argument("--task", choices=("si", "tc"), required=True)
    parser.add_argument("--gold", type=Path, required=True, help="gold labels: one file, or a folder of .labels files")
    parser.add_argument("--pred", type=Path, required=True, help="predictions file")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.set_defaults(run=run)


def check_disjoint(rows: list, path: Path) -> None:
    """SI predictions must not overlap within an article, as the task requires."""
    by_article: dict[str, list[tuple[int, int]]] = {}
    for article_id, _, start, end in rows:
        by_article.setdefault(article_id, []).append((start, end))
    for article_id, spans in by_article.items():
        spans.sort()
        for (_, first_end), (second_start, _) in itertools.pairwise(spans):
            if second_start < first_end:
                raise InputError(f"{path}: SI predictions overlap in article {article_id} (at {second_start})")


def check_techniques(rows: list, path: Path) -> None:
    """TC lines must name one of the 14 techniques by its id, as the task's files do."""
    unknown = sorted({row[1] for row in rows if row[1] is not None and row[1] not in TECHNIQUE_IDS})
    if unknown:
        raise InputError(f"{path}: unknown technique {unknown[0]!r}; the ids are {', '.join(TECHNIQUE_IDS)}")


def template_mismatch(gold_rows: list, predicted_rows: list) -> str | None:
    """A note when TC predictions do not label exactly the gold spans, as the task's template
    asks: their figures then mix two questions (which spans, which technique)."""
    gold = Counter((article, start, end) for article, _, start, end in gold_rows)
    predicted = Counter((article, start, end) for article, _, start, end in predicted_rows)
    extra, missing = sum((predicted - gold).values()), sum((gold - predicted).values())
    if not extra and not missing:
        return None
    return (
        f"note: the predictions label {extra} spans the gold does not have and leave {missing} gold spans"
        " unlabelled; TC labels exactly the gold spans (propscope predict --task tc --spans TEMPLATE)"
    )


def evaluate_files(task: str, gold: Path, predicted: Path) -> tuple[Report, list[str]]:
    """The scores of ``predicted`` against ``gold``, and notes on what makes them hard to read."""
    if predicted.is_dir():
        raise InputError(f"{predicted}: is a folder; give the predictions file")
    if not predicted.is_file():
        raise InputError(f"{predicted}: no such predictions file")
    gold_rows, predicted_rows = read_label_source(gold), read_labels(predicted)
    if not gold_rows:
        raise InputError(f"{gold}: no gold labels")
    notes = []
    if task == "si" and all(row[1] is None for row in predicted_rows):
        check_disjoint(predicted_rows, predicted)
    if task == "tc":
        for rows, path in ((gold_rows, gold), (predicted_rows, predicted)):
            if any(row[1] is None for row in rows):
                raise InputError(f"{path}: TC needs a technique on every line (id, technique, start, end)")
        check_techniques(predicted_rows, predicted)
        notes = [note for note in (template_mismatch(gold_rows, predicted_rows),) if note]
    return evaluate_label_rows(task, gold_rows, predicted_rows), notes


def run(args: argparse.Namespace) -> int:
    report, notes = evaluate_files(args.task, args.gold, args.pred)
    for note in notes:
        print(f"propscope: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps({"task": args.task, **report.as_dict()}, indent=2))
        return 0
    console = Console()
    overall = report.overall
    label = "micro-F1" if args.task == "tc" else "F1"
    console.print(
        f"[bold]{args.task.upper()}[/bold]  precision {overall.precision:.4f}  recall {overall.recall:.4f}  "
        f"{label} {overall.f1:.4f}  ({overall.support} gold spans)"
    )
    if report.per_technique:
        table = Table("technique", "gold", "precision", "recall", "F1", show_edge=False)
        for name, scores in sorted(report.per_technique.items(), key=lambda kv: -kv[1].support):
            table.add_row(
                name, str(scores.support), f"{scores.precision:.4f}", f"{scores.recall:.4f}", f"{scores.f1:.4f}"
            )
        console.print(table)
    return 0
