"""SemEval-2020 Task 11 metrics: span identification (SI) and technique classification (TC).

Implemented from the task definition: SI gives partial credit for character
overlap, normalised by the predicted span's length for precision and the gold
span's length for recall; TC is micro-averaged F1 over gold span lines.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int = 0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1, "support": self.support}


@dataclass(frozen=True)
class Report:
    overall: Scores
    per_technique: dict[str, Scores] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "overall": self.overall.as_dict(),
            "per_technique": {name: s.as_dict() for name, s in sorted(self.per_technique.items())},
        }


def f1_score(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Union of overlapping spans, sorted; empty spans dropped."""
    merged: list[list[int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _si_sums(predicted: list[Span], gold: list[Span]) -> tuple[float, float]:
    precision_sum = recall_sum = 0.0
    for s in predicted:
        for t in gold:
            shared = _overlap(s, t)
            if shared:
                precision_sum += shared / (s[1] - s[0])
                recall_sum += shared / (t[1] - t[0])
    return precision_sum, recall_sum


def score_si(gold: Mapping[str, Iterable[Span]], predicted: Mapping[str, Iterable[Span]]) -> Report:
    """SI precision, recall and F1, summed over all documents before dividing.

    Overlapping spans on either side are merged first, as the task prescribes
    for gold spans and requires of predictions.
    """
    precision_sum = recall_sum = 0.0
    n_predicted = n_gold = 0
    for doc in set(gold) | set(predicted):
        gold_spans = merge_spans(gold.get(doc, ()))
        predicted_spans = merge_spans(predicted.get(doc, ()))
        n_gold += len(gold_spans)
        n_predicted += len(predicted_spans)
        p, r = _si_sums(predicted_spans, gold_spans)
        precision_sum += p
        recall_sum += r
    precision = precision_sum / n_predicted if n_predicted else 0.0
    recall = recall_sum / n_gold if n_gold else 0.0
    return Report(Scores(precision, recall, f1_score(precision, recall), n_gold))


LabelledSpan = tuple[str, int, int, str]  # document id, start, end, technique


def score_tc(gold: Iterable[LabelledSpan], predicted: Iterable[LabelledSpan]) -> Report:
    """Micro-averaged TC scores, with per-technique precision, recall and F1.

    Lines are grouped by (document, start, end); within a group predictions are
    matched to gold labels in the best possible way, which for labels is the
    multiset intersection.
    """
    gold_groups: dict[tuple[str, int, int], Counter[str]] = defaultdict(Counter)
    predicted_groups: dict[tuple[str, int, int], Counter[str]] = defaultdict(Counter)
    for doc, start, end, technique in gold:
        gold_groups[(doc, start, end)][technique] += 1
    for doc, start, end, technique in predicted:
        predicted_groups[(doc, start, end)][technique] += 1
    matched: Counter[str] = Counter()
    gold_counts: Counter[str] = Counter()
    predicted_counts: Counter[str] = Counter()
    for key in set(gold_groups) | set(predicted_groups):
        g, p = gold_groups.get(key, Counter()), predicted_groups.get(key, Counter())
        matched.update(g & p)
        gold_counts.update(g)
        predicted_counts.update(p)
    per_technique = {}
    for technique in set(gold_counts) | set(predicted_counts):
        p = matched[technique] / predicted_counts[technique] if predicted_counts[technique] else 0.0
        r = matched[technique] / gold_counts[technique] if gold_counts[technique] else 0.0
        per_technique[technique] = Scores(p, r, f1_score(p, r), gold_counts[technique])
    total_matched = sum(matched.values())
    n_predicted, n_gold = sum(predicted_counts.values()), sum(gold_counts.values())
    precision = total_matched / n_predicted if n_predicted else 0.0
    recall = total_matched / n_gold if n_gold else 0.0
    return Report(Scores(precision, recall, f1_score(precision, recall), n_gold), per_technique)


def _spans_by_doc(rows: list, technique: str | None = None) -> dict[str, list[Span]]:
    spans: dict[str, list[Span]] = defaultdict(list)
    for doc, row_technique, start, end in rows:
        if technique is None or row_technique == technique:
            spans[doc].append((start, end))
    return spans


def evaluate_label_rows(task: str, gold_rows: list, predicted_rows: list) -> Report:
    """Score rows ``(id, technique or None, start, end)`` as read from label files.

    For SI, when both sides carry techniques (FLC output against TC gold), SI is
    also reported per technique, counting only spans of that technique.
    """
    if task == "tc":
        if any(row[1] is None for row in gold_rows) or any(row[1] is None for row in predicted_rows):
            raise ValueError("TC needs a technique on every gold and predicted line")
        return score_tc([(d, s, e, t) for d, t, s, e in gold_rows], [(d, s, e, t) for d, t, s, e in predicted_rows])
    overall = score_si(_spans_by_doc(gold_rows), _spans_by_doc(predicted_rows)).overall
    per_technique = {}
    if gold_rows and predicted_rows and all(row[1] for row in gold_rows + predicted_rows):
        for technique in {row[1] for row in gold_rows + predicted_rows}:
            per_technique[technique] = score_si(
                _spans_by_doc(gold_rows, technique), _spans_by_doc(predicted_rows, technique)
            ).overall
    return Report(overall, per_technique)


def logistic(z: float) -> float:
    """The logistic function, by tanh rather than exp, so that no input overflows."""
    return 0.5 * (1.0 + math.tanh(z / 2.0))


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[float], bins: int = 10) -> float:
    """Mean gap between confidence and accuracy over equal-width confidence bins, weighted by
    the share of items in each bin."""
    # numpy only here: the command line starts without it
    import numpy as np

    if len(confidences) == 0:
        return 0.0
    confidences, correct = np.asarray(confidences, dtype=float), np.asarray(correct, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    error = 0.0
    for low, high in itertools.pairwise(edges):
        inside = (confidences > low) & (confidences <= high)
        if inside.any():
            error += inside.mean() * abs(confidences[inside].mean() - correct[inside].mean())
    return float(error)
