"""``propscope train``: fit the model on the corpus layout (needs the [train] extra)."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from types import ModuleType

from propscope.cli.arguments import whole_number
from propscope.errors import MissingExtraError
from propscope.training.model_version import RECIPE_VERSION

#: the seeds numpy accepts
LARGEST_SEED = 2**32 - 1


def training_module(name: str) -> ModuleType:
    """``propscope.training.<name>``, or a one-line error when the [train] extra is missing."""
    try:
        return importlib.import_module(f"propscope.training.{name}")
    except ImportError as error:
        raise MissingExtraError(
            f"training needs the optional extra ({error.name} is missing): pip install 'propscope[train]'"
        ) from None


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("train", help="train the model from the corpus layout (needs propscope[train])")
    parser.add_argument(
        "--data", type=Path, required=True, help="corpus folder with train-articles/ and train-labels-task-flc-tc/"
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder (model, CV report, training record)")
    parser.add_argument(
        "--cv",
        type=whole_number(0),
        default=5,
        help="folds for cross-validation by article, at most one per article; 0 or 1 skips it (default 5)",
    )
    parser.add_argument("--seed", type=whole_number(0, LARGEST_SEED), default=13)
    parser.add_argument("--epochs", type=whole_number(1), default=3)
    parser.add_argument("--lr", type=float, default=1e-4, help="encoder learning rate (default 1e-4)")
    parser.add_argument(
        "--max-articles", type=whole_number(1), default=None, help="train on the first N articles only (for smoke runs)"
    )
    parser.add_argument(
        "--only-fold",
        type=whole_number(0),
        action="append",
        help="run only this fold, counted from 0 (repeatable); a later run with the same options resumes from it",
    )
    parser.add_argument(
        "--no-final", action="store_true", help="only cross-validate; do not fit and export a final model"
    )
    parser.add_argument(
        "--model-version",
        help="the version the model calls itself by, which stores key its analyses by "
        f"(default: {RECIPE_VERSION}+ and the start of a digest of its weights)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    training = training_module("run")
    training.run_training(
        training.TrainRequest(
            data=args.data,
            out=args.out,
            cv=args.cv,
            seed=args.seed,
            epochs=args.epochs,
            encoder_lr=args.lr,
            max_articles=args.max_articles,
            final=not args.no_final and not args.only_fold,
            only_folds=args.only_fold,
            version=args.model_version,
        )
    )
    return 0
