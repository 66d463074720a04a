"""Fit the target ranker on annotated spans (``propscope train-targets``).

Each annotated target gives one ranking problem: the candidates of its span, and which of
them the scorer would count right. A logistic regression over all candidates learns the
weights; its regularisation is chosen by cross-validation over whole articles, since errors
cluster by article. Spans with no right candidate still count in the accuracies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from propscope.attribution.ranking import CHECKSUMS_NAME, RANKER_NAME, Candidate, CandidateFinder, LinearRanker
from propscope.attribution_eval import annotated_articles, target_matches
from propscope.errors import InputError
from propscope.fileio import write_atomically
from propscope.metrics import expected_calibration_error
from propscope.tagging.artifacts import sha256_file

#: inverse regularisation strengths tried by cross-validation
STRENGTHS = (0.1, 1.0, 10.0)


@dataclass(frozen=True)
class Example:
    article_id: str
    candidates: list[Candidate]
    right: list[bool]
    rules_right: bool


def target_examples(gold: list[Path], articles: Path) -> list[Example]:
    examples = []
    for path in gold:
        for article in annotated_articles(path, articles):
            finder = CandidateFinder(article.targeter)
            for row in article.rows:
                if not row["target_start"]:
                    continue
                chosen, candidates = finder.around(int(row["start"]), int(row["end"]), row["technique"])
                right = [target_matches(c.target, row, article.text) for c in candidates]
                rules_right = target_matches(chosen, row, article.text)
                examples.append(Example(article.article_id, candidates, right, rules_right))
    return examples


def fit(examples: list[Example], strength: float) -> LinearRanker:
    names = sorted({name for e in examples for c in e.candidates for name in c.features})
    features = np.array([[c.features.get(n, 0.0) for n in names] for e in examples for c in e.candidates])
    labels = np.array([r for e in examples for r in e.right])
    if len(set(labels.tolist())) < 2:
        raise InputError(
            "the annotated targets give nothing to learn from: the candidates must include both right and wrong ones"
        )
    model = LogisticRegression(C=strength, max_iter=5000).fit(features, labels)
    return LinearRanker(dict(zip(names, model.coef_[0].round(6).tolist(), strict=True)), round(model.intercept_[0], 6))


@dataclass(frozen=True)
class Validation:
    accuracy: float
    #: expected calibration error of the chosen candidates' probability
    calibration_error: float


def cross_validate(examples: list[Example], strength: float, folds: int, seed: int) -> Validation:
    """Accuracy and calibration on held-out articles, pooled over ``folds`` folds of whole articles."""
    articles = sorted({e.article_id for e in examples})
    random.Random(seed).shuffle(articles)
    fold_of = {article: i % folds for i, article in enumerate(articles)}
    right = 0
    confidences, correct = [], []
    for fold in range(folds):
        ranker = fit([e for e in examples if fold_of[e.article_id] != fold], strength)
        for example in (e for e in examples if fold_of[e.article_id] == fold):
            if not example.candidates:
                right += example.rules_right
                continue
            best = ranker.best(example.candidates)
            right += example.right[best]
            confidences.append(ranker.probability(example.candidates[best].features))
            correct.append(example.right[best])
    return Validation(right / len(examples), expected_calibration_error(confidences, correct))


def train_target_ranker(gold: list[Path], articles: Path, out: Path, folds: int = 5, seed: int = 13) -> dict:
    """Choose the strength by cross-validation, fit on every example, and write the ranker and
    its checksum to ``out``; returns the training record written with it."""
    if folds < 2:
        raise InputError(f"--folds must be at least 2, not {folds}")
    examples = target_examples(gold, articles)
    if len({e.article_id for e in examples}) < folds:
        raise InputError(f"cross-validation needs at least {folds} annotated articles with targets")
    validated = {strength: cross_validate(examples, strength, folds, seed) for strength in STRENGTHS}
    best = max(STRENGTHS, key=lambda s: validated[s].accuracy)
    record = {
        "trained_on": [path.name for path in gold],
        "spans": len(examples),
        "articles": len({e.article_id for e in examples}),
        "folds": folds,
        "seed": seed,
        "strength": best,
        "cv_accuracy": {str(s): round(v.accuracy, 4) for s, v in validated.items()},
        "cv_ece": round(validated[best].calibration_error, 4),
        "rules_accuracy": round(sum(e.rules_right for e in examples) / len(examples), 4),
    }
    out.mkdir(parents=True, exist_ok=True)
    path = out / RANKER_NAME
    write_atomically(path, fit(examples, best).to_json(record=record))
    write_atomically(out / CHECKSUMS_NAME, f"{sha256_file(path)}  {RANKER_NAME}\n")
    return record
