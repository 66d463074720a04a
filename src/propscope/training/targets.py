"""Fit the target ranker on annotated spans (``propscope train-targets``).

Each annotated target gives one ranking problem: the candidates of its span, and which of
them the scorer would count right. A small network scores each candidate from its features and
context vector and is trained listwise: the loss is minus the log of the softmax chance given
to the right candidates of a span. Its size is chosen by cross-validation over whole articles,
since errors cluster by article, and the confidence (a logistic function of the best
candidate's score) is fitted on the held-out articles. Spans with no right candidate still count in the accuracies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

from propscope.attribution.ranker import CandidateRanker, raw_inputs
from propscope.attribution.ranking import CHECKSUMS_NAME, RANKER_NAME, Candidate, CandidateFinder
from propscope.attribution_eval import annotated_articles, target_matches
from propscope.errors import InputError
from propscope.fileio import write_atomically
from propscope.metrics import expected_calibration_error
from propscope.tagging.artifacts import sha256_file

#: hidden units of the networks tried by cross-validation (0: a linear ranker)
SIZES = (0, 32, 64)
EPOCHS = 10
#: spans per step
BATCH = 32
LEARNING_RATE = 1e-3
WEIGHT_DECAY = 0.1
DROPOUT = 0.2


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


def fit(examples: list[Example], hidden: int, seed: int) -> CandidateRanker:
    """A ranker of ``hidden`` GELU units (linear when 0) trained listwise on ``examples``."""
    learnable = [e for e in examples if any(e.right)]
    if not learnable or all(all(e.right) for e in learnable):
        raise InputError(
            "the annotated targets give nothing to learn from: the candidates must include both right and wrong ones"
        )
    features = sorted({name for e in examples for c in e.candidates for name in c.features})
    vector_size = max(len(c.vector) for e in examples for c in e.candidates if c.vector is not None)
    rows = [raw_inputs(e.candidates, features, vector_size) for e in learnable]
    stacked = np.concatenate(rows)
    center, scale = stacked.mean(0), stacked.std(0) + 1e-6
    problems = [
        (torch.tensor((r - center) / scale, dtype=torch.float32), torch.tensor(e.right))
        for r, e in zip(rows, learnable, strict=True)
    ]
    torch.manual_seed(seed)
    width = stacked.shape[1]
    if hidden:
        network = torch.nn.Sequential(
            torch.nn.Dropout(DROPOUT),
            torch.nn.Linear(width, hidden),
            torch.nn.GELU(approximate="tanh"),
            torch.nn.Dropout(DROPOUT),
            torch.nn.Linear(hidden, 1),
        )
    else:
        network = torch.nn.Sequential(torch.nn.Linear(width, 1))
    optimiser = torch.optim.AdamW(network.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    order = random.Random(seed)
    network.train()
    for _ in range(EPOCHS):
        order.shuffle(problems)
        for first in range(0, len(problems), BATCH):
            loss = sum(
                -torch.logsumexp(torch.log_softmax(network(inputs).squeeze(-1), 0)[right], 0)
                for inputs, right in problems[first : first + BATCH]
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    layers = [
        (module.weight.detach().numpy().T.round(6), module.bias.detach().numpy().round(6))
        for module in network
        if isinstance(module, torch.nn.Linear)
    ]
    return CandidateRanker(features, center.round(6), scale.round(6), layers)


def calibration(scores: list[float], right: list[bool]) -> tuple[float, float]:
    """The slope and intercept of a logistic fit of ``right`` on ``scores``."""
    if len(set(right)) < 2:
        return (1.0, 0.0)
    model = LogisticRegression(C=100.0).fit(np.asarray(scores)[:, None], right)
    return round(float(model.coef_[0][0]), 6), round(float(model.intercept_[0]), 6)


@dataclass(frozen=True)
class Validation:
    accuracy: float
    #: the held-out score of each span's best candidate, and whether it was right
    scores: list[float]
    right: list[bool]
    fold: list[int]

    def calibration_error(self) -> float:
        """Expected calibration error of the confidences, each fold recalibrated on the others."""
        confidences = []
        for score, fold in zip(self.scores, self.fold, strict=True):
            others = [i for i, f in enumerate(self.fold) if f != fold]
            slope, intercept = calibration([self.scores[i] for i in others], [self.right[i] for i in others])
            confidences.append(CandidateRanker.calibrated(score, slope, intercept))
        return expected_calibration_error(confidences, self.right)


def cross_validate(examples: list[Example], hidden: int, folds: int, seed: int) -> Validation:
    """Accuracy and the best candidates' scores on held-out articles, over ``folds`` folds of
    whole articles."""
    articles = sorted({e.article_id for e in examples})
    random.Random(seed).shuffle(articles)
    fold_of = {article: i % folds for i, article in enumerate(articles)}
    right = 0
    scores, correct, held_out = [], [], []
    for fold in range(folds):
        ranker = fit([e for e in examples if fold_of[e.article_id] != fold], hidden, seed)
        for example in (e for e in examples if fold_of[e.article_id] == fold):
            if not example.candidates:
                right += example.rules_right
                continue
            spread = ranker.scores(example.candidates)
            best = int(spread.argmax())
            right += example.right[best]
            scores.append(float(spread[best]))
            correct.append(example.right[best])
            held_out.append(fold)
    return Validation(right / len(examples), scores, correct, held_out)


def train_target_ranker(gold: list[Path], articles: Path, out: Path, folds: int = 5, seed: int = 13) -> dict:
    """Choose the network's size by cross-validation, fit on every example, and write the ranker and
    its checksum to ``out``; returns the training record written with it."""
    if folds < 2:
        raise InputError(f"--folds must be at least 2, not {folds}")
    examples = target_examples(gold, articles)
    if len({e.article_id for e in examples}) < folds:
        raise InputError(f"cross-validation needs at least {folds} annotated articles with targets")
    validated = {hidden: cross_validate(examples, hidden, folds, seed) for hidden in SIZES}
    best = max(SIZES, key=lambda hidden: validated[hidden].accuracy)
    record = {
        "trained_on": [path.name for path in gold],
        "spans": len(examples),
        "articles": len({e.article_id for e in examples}),
        "folds": folds,
        "seed": seed,
        "hidden_units": best,
        "cv_accuracy": {str(hidden): round(v.accuracy, 4) for hidden, v in validated.items()},
        "cv_ece": round(validated[best].calibration_error(), 4),
        "rules_accuracy": round(sum(e.rules_right for e in examples) / len(examples), 4),
    }
    out.mkdir(parents=True, exist_ok=True)
    path = out / RANKER_NAME
    ranker = fit(examples, best, seed)
    ranker.calibration = calibration(validated[best].scores, validated[best].right)
    write_atomically(path, ranker.to_json(record=record))
    write_atomically(out / CHECKSUMS_NAME, f"{sha256_file(path)}  {RANKER_NAME}\n")
    return record
