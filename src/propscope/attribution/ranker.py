"""The network that scores a span's candidate targets (kept apart from ``ranking`` so that
importing propscope does not import numpy)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import numpy as np

from propscope.attribution.ranking import Candidate


def raw_inputs(candidates: list[Candidate], features: list[str], vector_size: int) -> np.ndarray:
    """One row per candidate: the named features (0 when missing), then its context vector
    (0s when it has none, as a mention the parse could not place)."""
    rows = np.zeros((len(candidates), len(features) + vector_size))
    for row, candidate in zip(rows, candidates, strict=True):
        row[: len(features)] = [candidate.features.get(name, 0.0) for name in features]
        if candidate.vector is not None and len(candidate.vector) == vector_size:
            row[len(features) :] = candidate.vector
    return rows


class CandidateRanker:
    """Scores the candidates of one span, to choose the best.

    Each candidate's inputs are its features and its context vector (spaCy's, the mean over
    its words), standardised; a layer of GELU units (none for a linear ranker) gives a score.
    It was trained listwise: a softmax over a span's candidates, so that they compete. The
    softmax says little about whether the best is right (a span with one candidate gives it
    everything), so the confidence is a logistic function of the best score itself, fitted on
    held-out articles.
    """

    def __init__(
        self,
        features: list[str],
        center: Sequence[float],
        scale: Sequence[float],
        layers: list[tuple[Sequence[Sequence[float]], Sequence[float]]],
        calibration: tuple[float, float] = (1.0, 0.0),
    ) -> None:
        self.features = features
        self.center = np.asarray(center, dtype=np.float64)
        self.scale = np.asarray(scale, dtype=np.float64)
        self.layers = [(np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)) for w, b in layers]
        self.calibration = calibration
        width = len(self.center)
        for weights, bias in self.layers:
            if weights.ndim != 2 or weights.shape[0] != width or bias.shape != (weights.shape[1],):
                raise ValueError("layer shapes do not chain")
            width = weights.shape[1]
        if width != 1 or self.scale.shape != self.center.shape or len(self.center) < len(features):
            raise ValueError("the ranker must end in one score over its inputs")

    @property
    def vector_size(self) -> int:
        return len(self.center) - len(self.features)

    def inputs(self, candidates: list[Candidate]) -> np.ndarray:
        return (raw_inputs(candidates, self.features, self.vector_size) - self.center) / self.scale

    def scores(self, candidates: list[Candidate]) -> np.ndarray:
        values = self.inputs(candidates)
        for index, (weights, bias) in enumerate(self.layers):
            values = values @ weights + bias
            if index < len(self.layers) - 1:
                values = 0.5 * values * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (values + 0.044715 * values**3)))
        return values[:, 0]

    def best(self, candidates: list[Candidate]) -> int:
        """Index of the highest-scoring of ``candidates`` (not empty)."""
        return int(self.scores(candidates).argmax())

    def confidence(self, score: float) -> float:
        """The calibrated probability that the best candidate, given ``score``, is right."""
        return self.calibrated(score, *self.calibration)

    @staticmethod
    def calibrated(score: float, slope: float, intercept: float) -> float:
        # tanh rather than exp, so that no score overflows
        return 0.5 * (1.0 + math.tanh((slope * score + intercept) / 2.0))

    def to_json(self, record: dict) -> str:
        saved = {
            "features": self.features,
            "center": self.center.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "layers": [[w.round(6).tolist(), b.round(6).tolist()] for w, b in self.layers],
            "calibration": [round(value, 6) for value in self.calibration],
            "record": record,
        }
        return json.dumps(saved, sort_keys=True) + "\n"
