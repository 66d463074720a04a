"""Fit the target ranker on annotated spans (``propscope train-targets``).

Each annotated target gives one ranking problem: the candidates of its span, and which of
them the scorer would count right. A small network scores each candidate from its features and
what the tagging model's encoder read (``pair_vector``) and is trained listwise: the loss is
minus the log of the softmax chance given to the right candidates of a span. Its size is chosen by cross-validation over whole articles,
since errors cluster by article, and the confidence (a logistic function of the best
candidate's lead over the runner-up) is fitted on the held-out articles. Spans with no right
candidate still count in the accuracies.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

from propscope.attribution.ranker import Calibration, CandidateRanker, raw_inputs
from propscope.attribution.ranking import RANKER_NAME, Candidate, CandidateFinder, encoder_name
from propscope.attribution_eval import annotated_articles, target_matches
from propscope.errors import InputError
from propscope.fileio import output_folder, write_atomically
from propscope.metrics import expected_calibration_error
from propscope.tagging.artifacts import update_checksums
from propscope.tagging.base import StateTagger
from propscope.tagging.inference import SpanHead

#: hidden units of the networks tried by cross-validation
HIDDEN_SIZES = (32, 64)
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


def target_examples(gold: list[Path], article_dirs: Sequence[Path], tagger: StateTagger) -> list[Example]:
    """The ranking problems of the annotated targets, with the states of ``tagger``'s encoder."""
    examples = []
    for path in gold:
        for article in annotated_articles(path, article_dirs):
            finder = CandidateFinder(article.targeter, tagger.tag_with_states(article.text)[1])
            for row in article.rows:
                if not row["target_start"]:
                    continue
                chosen, candidates = finder.around(int(row["start"]), int(row["end"]), row["technique"])
                right = [target_matches(c.target, row, article.text) for c in candidates]
                rules_right = target_matches(chosen, row, article.text)
                examples.append(Example(article.article_id, candidates, right, rules_right))
    return examples


def network(width: int, hidden: int) -> torch.nn.Sequential:
    """The network trained for ``width`` inputs: ``CandidateRanker`` runs the same layers."""
    return torch.nn.Sequential(
        torch.nn.Dropout(DROPOUT),
        torch.nn.Linear(width, hidden),
        torch.nn.GELU(approximate="tanh"),
        torch.nn.Dropout(DROPOUT),
        torch.nn.Linear(hidden, 1),
    )


def exported(
    trained: torch.nn.Sequential,
    features: list[str],
    center: np.ndarray,
    scale: np.ndarray,
    calibration: Calibration,
    encoder: str | None,
) -> CandidateRanker:
    first, last = (module for module in trained if isinstance(module, torch.nn.Linear))
    arrays = [
        layer.detach().numpy().astype(np.float64) for layer in (first.weight.T, first.bias, last.weight.T, last.bias)
    ]
    return CandidateRanker(
        features, center, scale, SpanHead(*(array.round(6) for array in arrays)), calibration, encoder
    )


def fit(
    examples: list[Example],
    hidden: int,
    seed: int,
    calibration: Calibration | None = None,
    encoder: str | None = None,
) -> CandidateRanker:
    """A ranker of ``hidden`` GELU units trained listwise on ``examples``, whose vectors are the
    states of the tagging model ``encoder`` ("name version")."""
    learnable = [e for e in examples if any(e.right)]
    if not learnable or all(all(e.right) for e in learnable):
        raise InputError(
            "the annotated targets give nothing to learn from: the candidates must include both right and wrong ones"
        )
    features = sorted({name for e in examples for c in e.candidates for name in c.features})
    vector_size = max((len(c.vector) for e in examples for c in e.candidates if c.vector is not None), default=0)
    rows = [raw_inputs(e.candidates, features, vector_size) for e in learnable]
    stacked = np.concatenate(rows)
    center, spread = stacked.mean(0).round(6), stacked.std(0).round(6)
    # an input that never varied is left unscaled, or a candidate where it does would swamp the rest
    scale = np.where(spread > 1e-6, spread, 1.0)
    problems = [
        (torch.tensor((r - center) / scale, dtype=torch.float32), torch.tensor(e.right))
        for r, e in zip(rows, learnable, strict=True)
    ]
    torch.manual_seed(seed)
    trained = network(stacked.shape[1], hidden)
    optimiser = torch.optim.AdamW(trained.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    order = random.Random(seed)
    trained.train()
    for _ in range(EPOCHS):
        order.shuffle(problems)
        for first in range(0, len(problems), BATCH):
            loss = sum(
                -torch.logsumexp(torch.log_softmax(trained(inputs).squeeze(-1), 0)[right], 0)
                for inputs, right in problems[first : first + BATCH]
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return exported(trained, features, center, scale, calibration or Calibration(), encoder)


def fit_calibration(terms: list[tuple[float, float]], right: list[bool]) -> Calibration:
    """A logistic fit of ``right`` on each span's (margin, alone) terms; when every answer was
    right, or every one wrong, there is nothing to fit and the confidence is the smoothed rate."""
    if len(set(right)) < 2:
        rate = (sum(right) + 1) / (len(right) + 2)
        return Calibration(margin=0.0, alone=0.0, intercept=round(math.log(rate / (1 - rate)), 6))
    model = LogisticRegression(C=100.0).fit(np.asarray(terms), right)
    margin, alone = model.coef_[0].round(6).tolist()
    return Calibration(margin, alone, round(float(model.intercept_[0]), 6))


@dataclass(frozen=True)
class Validation:
    accuracy: float
    #: for each held-out span with candidates: the calibration terms of its scores, whether its
    #: best candidate was right, and the fold that held it out
    terms: list[tuple[float, float]]
    right: list[bool]
    folds: list[int]

    def calibration_error(self) -> float:
        """Expected calibration error of the confidences, each fold calibrated on the others."""
        calibrations = {
            fold: fit_calibration(
                [t for t, f in zip(self.terms, self.folds, strict=True) if f != fold],
                [r for r, f in zip(self.right, self.folds, strict=True) if f != fold],
            )
            for fold in set(self.folds)
        }
        confidences = [
            calibrations[fold].confidence_of(*terms) for terms, fold in zip(self.terms, self.folds, strict=True)
        ]
        return expected_calibration_error(confidences, self.right)


def cross_validate(examples: list[Example], hidden: int, folds: int, seed: int) -> Validation:
    """Accuracy and calibration terms on held-out articles, over ``folds`` folds of whole articles."""
    articles = sorted({e.article_id for e in examples})
    random.Random(seed).shuffle(articles)
    fold_of = {article: i % folds for i, article in enumerate(articles)}
    right = 0
    terms, correct, held_out = [], [], []
    for fold in range(folds):
        ranker = fit([e for e in examples if fold_of[e.article_id] != fold], hidden, seed)
        for example in (e for e in examples if fold_of[e.article_id] == fold):
            if not example.candidates:
                right += example.rules_right
                continue
            scores = ranker.scores(example.candidates)
            best = example.right[int(scores.argmax())]
            right += best
            terms.append(Calibration.terms(scores))
            correct.append(best)
            held_out.append(fold)
    return Validation(right / len(examples), terms, correct, held_out)


def train_target_ranker(
    gold: list[Path], article_dirs: Sequence[Path], out: Path, folds: int = 5, seed: int = 13
) -> dict:
    """Choose the network's size by cross-validation, fit on every example, and write the ranker and
    its checksum to ``out``; returns the training record written with it."""
    if folds < 2:
        raise InputError(f"--folds must be at least 2, not {folds}")
    output_folder(out)
    from propscope.tagging.onnx_tagger import bundled_tagger

    tagger = bundled_tagger()
    encoder = encoder_name(tagger)
    examples = target_examples(gold, article_dirs, tagger)
    if len({e.article_id for e in examples}) < folds:
        raise InputError(f"cross-validation needs at least {folds} annotated articles with targets")
    threads = torch.get_num_threads()
    # networks this small train faster on one thread than on cores another process also uses
    torch.set_num_threads(1)
    try:
        validated = {hidden: cross_validate(examples, hidden, folds, seed) for hidden in HIDDEN_SIZES}
        best = max(HIDDEN_SIZES, key=lambda hidden: validated[hidden].accuracy)
        ranker = fit(examples, best, seed, fit_calibration(validated[best].terms, validated[best].right), encoder)
    finally:
        torch.set_num_threads(threads)
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
        "encoder": encoder,
    }
    path = out / RANKER_NAME
    write_atomically(path, ranker.to_json(record=record))
    update_checksums(out, [RANKER_NAME], "target ranker")
    return record
