"""``propscope evaluate-attribution --gold FILE [--gold FILE ...] --articles DIR [--articles DIR ...]``: accuracy of
voice, speaker and target, with 95 % intervals over articles and the voice confusion."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from propscope.attribution import VOICES

#: what each measure's confidences are given to, as counted in the figures and as printed
ANSWERS = {
    "voice": ("spans", "spans"),
    "speaker": ("speakers", "speakers found"),
    "target": ("targets", "ranked targets"),
}

if TYPE_CHECKING:
    from propscope.attribution_eval import Evaluation


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate-attribution", help="accuracy of voice, speaker and target against annotated spans"
    )
    parser.add_argument(
        "--gold",
        type=Path,
        action="append",
        required=True,
        help="annotations (e.g. annotations/attribution.tsv); repeat to pool several files",
    )
    add_articles_argument(parser)
    targets = parser.add_mutually_exclusive_group()
    targets.add_argument(
        "--ranker", type=Path, help="target ranker to measure (default: the bundled chooser if one ships, else ranker)"
    )
    targets.add_argument(
        "--chooser", type=Path, metavar="DIR", help="fine-tuned target chooser to measure (train-targets --fine-tune)"
    )
    targets.add_argument("--rules-only", action="store_true", help="measure the targets the rules alone choose")
    parser.add_argument(
        "--confidence",
        type=Path,
        metavar="FILE",
        help="voice and speaker confidences to measure (calibrate-attribution; default: the bundled ones)",
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--rows",
        type=Path,
        metavar="FILE",
        help="also write every annotated row with what was found for it and whether it is right "
        "(tab-separated; offsets and labels only)",
    )
    parser.set_defaults(run=run)


def add_articles_argument(parser: argparse.ArgumentParser) -> None:
    """``--articles``, repeatable: annotations can cover articles of several folders (training
    and unlabelled test articles)."""
    parser.add_argument(
        "--articles",
        type=Path,
        action="append",
        required=True,
        help="folder of the annotated article<ID>.txt files; repeat when they are in several",
    )


def _figures(evaluation: Evaluation) -> dict:
    from propscope.attribution_eval import MEASURES

    figures = {}
    for measure in MEASURES:
        tally = evaluation.tally(measure)
        low, high = evaluation.interval(measure)
        figures[measure] = {
            "accuracy": tally.accuracy,
            "right": tally.right,
            "total": tally.total,
            "interval_95": [low, high],
        }
    return figures


def _calibration(evaluation: Evaluation, measure: str, constant: float | None) -> dict:
    """How well the confidences of a measure's answers fit how often they are right: calibration
    error and Brier score, beside the Brier score of a constant confidence when one is given."""
    figures = {
        "ece": evaluation.calibration(measure),
        "brier": evaluation.brier(measure),
        ANSWERS[measure][0]: len(evaluation.confidences[measure]),
    }
    if constant is not None:
        figures["constant"] = constant
        figures["constant_brier"] = evaluation.brier(measure, constant)
    return figures


def run(args: argparse.Namespace) -> int:
    # imported here so that the command line starts without numpy
    from propscope.attribution.chooser import TargetChooser
    from propscope.attribution.confidence import bundled_attribution_confidence, load_attribution_confidence
    from propscope.attribution.ranking import BUNDLED_RANKER, bundled_chooser, load_ranker
    from propscope.attribution_eval import Evaluation, evaluate_attribution, rows_table
    from propscope.fileio import check_output_path, write_atomically

    if args.rows is not None:
        check_output_path(args.rows)
    if args.chooser is not None:
        ranker = TargetChooser(args.chooser)
    elif args.ranker is not None:
        ranker = load_ranker(args.ranker)
    elif args.rules_only:
        ranker = None
    else:
        ranker = bundled_chooser() or load_ranker(BUNDLED_RANKER)
    confidence = (
        bundled_attribution_confidence() if args.confidence is None else load_attribution_confidence(args.confidence)
    )
    pooled = Evaluation()
    for path in args.gold:
        pooled.merge(evaluate_attribution(path, args.articles, ranker, confidence))
    figures = _figures(pooled)
    calibrations = {
        measure: _calibration(pooled, measure, confidence.record.get(measure, {}).get("share_right"))
        for measure in ("voice", "speaker")
    }
    # figures on files the confidences were fitted on say little about new articles
    fitted_on = sorted({path.name for path in args.gold} & set(confidence.record.get("trained_on", [])))
    # likewise a fine-tuned chooser's targets on the files it was trained on
    chooser_trained_on = sorted(
        {path.name for path in args.gold} & set(getattr(ranker, "record", {}).get("trained_on", []))
    )
    calibrations["target"] = _calibration(pooled, "target", None)
    if args.rows is not None:
        write_atomically(args.rows, rows_table(pooled))
    if args.json:
        confusion = {f"{gold}->{found}": count for (gold, found), count in sorted(pooled.confusion.items())}
        print(
            json.dumps(
                {
                    **figures,
                    "articles": len(pooled.by_article),
                    "voice_confusion": confusion,
                    "confidences_fitted_on": fitted_on,
                    "chooser_trained_on": chooser_trained_on,
                    **{f"{measure}_calibration": figures for measure, figures in calibrations.items()},
                }
            )
        )
        return 0
    for measure, figure in figures.items():
        low, high = figure["interval_95"]
        print(
            f"{measure:8s} accuracy {figure['accuracy']:.1%} ({figure['right']}/{figure['total']})"
            f"  95% interval over {len(pooled.by_article)} articles {low:.1%}–{high:.1%}"
        )
    print("voice: annotated (rows) against found (columns)")
    print(" " * 10 + "".join(f"{voice:>10s}" for voice in VOICES))
    for gold in VOICES:
        print(f"{gold:10s}" + "".join(f"{pooled.confusion[(gold, found)]:>10d}" for found in VOICES))
    for measure, calibration in calibrations.items():
        if calibration["ece"] is None:
            continue
        answers = len(pooled.confidences[measure])
        mean = sum(c for c, _ in pooled.confidences[measure]) / answers
        constant = (
            f", a constant {calibration['constant']:.1%}: {calibration['constant_brier']:.3f}"
            if "constant" in calibration
            else ""
        )
        print(
            f"{measure} confidence: calibration error (ECE, 10 bins) {calibration['ece']:.3f} over"
            f" {answers} {ANSWERS[measure][1]}, mean confidence {mean:.1%};"
            f" Brier score {calibration['brier']:.3f}{constant}"
        )
    if fitted_on:
        print(f"note: the voice and speaker confidences were fitted on {', '.join(fitted_on)}: in-sample figures")
    if chooser_trained_on:
        print(f"note: the target chooser was trained on {', '.join(chooser_trained_on)}: in-sample target figures")
    return 0
