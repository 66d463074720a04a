"""The network that scores a span's candidate targets (kept apart from ``ranking`` so that
importing propscope does not import numpy)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import numpy as np

from propscope.attribution.ranking import Candidate
from propscope.errors import ModelError
from propscope.metrics import logistic
from propscope.tagging.inference import SpanHead


def raw_inputs(candidates: list[Candidate], features: list[str], vector_size: int) -> np.ndarray:
    """One row per candidate: the named features (0 when missing), then its encoder vector
    (0s when it has none, as for a span outside what was encoded, the same in training; none at
    all for a ranker of features alone)."""
    rows = np.zeros((len(candidates), len(features) + vector_size))
    for row, candidate in zip(rows, candidates, strict=True):
        row[: len(features)] = [candidate.features.get(name, 0.0) for name in features]
        if candidate.vector is None or not vector_size:
            continue
        if len(candidate.vector) != vector_size:
            raise ModelError(
                f"the target ranker expects encoder vectors of {vector_size} numbers, not {len(candidate.vector)}: "
                "retrain it (propscope train-targets) with the tagging model in use"
            )
        row[len(features) :] = candidate.vector
    return rows


@dataclass(frozen=True)
class Calibration:
    """Logistic weights of the confidence that a span's best candidate is right. It rests on
    how far the best score is ahead of the runner-up and on whether there was any runner-up,
    not on the score itself: a softmax over candidates leaves the level of the scores free, so
    it differs between the models of cross-validation, where this is fitted, and the one
    shipped."""

    margin: float = 1.0
    alone: float = 0.0
    intercept: float = 0.0

    @staticmethod
    def terms(scores: np.ndarray) -> tuple[float, float]:
        """(margin, alone) of a span's candidate scores (not empty)."""
        if len(scores) == 1:
            return 0.0, 1.0
        runner_up, best = np.partition(scores, -2)[-2:]
        return float(best - runner_up), 0.0

    def confidence(self, scores: np.ndarray) -> float:
        return self.confidence_of(*self.terms(scores))

    def confidence_of(self, margin: float, alone: float) -> float:
        return logistic(self.margin * margin + self.alone * alone + self.intercept)


class CandidateRanker:
    """Scores the candidates of one span, to choose the best.

    Each candidate's inputs are its features and its encoder vector (``pair_vector``),
    standardised; a layer of GELU units gives a score. It was trained listwise: a softmax over a
    span's candidates, so that they compete. ``encoder`` names the tagging model whose states it
    was trained on ("name version"): another model's states mean nothing to it.
    """

    def __init__(
        self,
        features: list[str],
        center: np.ndarray,
        scale: np.ndarray,
        head: SpanHead,
        calibration: Calibration,
        encoder: str | None = None,
    ) -> None:
        if len(set(features)) != len(features) or not all(isinstance(name, str) for name in features):
            raise ValueError("feature names must be distinct text")
        if center.ndim != 1 or center.shape != scale.shape or len(center) < len(features) or not (scale > 0).all():
            raise ValueError("the standardisation must give each input a centre and a positive scale")
        hidden = head.w1.shape[1] if head.w1.ndim == 2 else -1
        if head.w1.shape != (len(center), hidden) or head.b1.shape != (hidden,) or head.w2.shape != (hidden, 1):
            raise ValueError("the layers must take every input to one score")
        if head.b2.shape != (1,):
            raise ValueError("the layers must take every input to one score")
        self.features = features
        self.center = center
        self.scale = scale
        self.head = head
        self.calibration = calibration
        self.encoder = encoder

    @property
    def vector_size(self) -> int:
        return len(self.center) - len(self.features)

    def scores(self, candidates: list[Candidate]) -> np.ndarray:
        inputs = (raw_inputs(candidates, self.features, self.vector_size) - self.center) / self.scale
        return self.head.logits(inputs)[:, 0]

    def scores_of(self, start: int, end: int, candidates: list[Candidate]) -> np.ndarray:
        """The scores of a span's candidates: what they carry is all the ranker reads."""
        return self.scores(candidates)

    def to_json(self, record: dict) -> str:
        saved = {
            "features": self.features,
            "center": self.center.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "layers": {name: array.round(6).tolist() for name, array in self.head.as_arrays().items()},
            "calibration": {name: round(value, 6) for name, value in asdict(self.calibration).items()},
            "encoder": self.encoder,
            "record": record,
        }
        return json.dumps(saved, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, saved: dict) -> CandidateRanker:
        """The ranker of a parsed weights file; ValueError, TypeError or KeyError if it is not one."""

        def numbers(value: object, dimensions: int) -> np.ndarray:
            array = np.asarray(value)
            if array.dtype.kind not in "iuf" or array.ndim != dimensions or not np.isfinite(array).all():
                raise ValueError(f"expected finite numbers in {dimensions} dimensions")
            return array.astype(np.float64)

        features, layers, calibration = saved["features"], saved["layers"], saved["calibration"]
        encoder = saved.get("encoder")
        if encoder is not None and not isinstance(encoder, str):
            raise ValueError("expected the encoder's name and version as text")
        if not isinstance(features, list) or set(calibration) != {"margin", "alone", "intercept"}:
            raise ValueError("expected a list of features and a calibration of margin, alone and intercept")
        return cls(
            features,
            numbers(saved["center"], 1),
            numbers(saved["scale"], 1),
            SpanHead(*(numbers(layers[name], dims) for name, dims in (("w1", 2), ("b1", 1), ("w2", 2), ("b2", 1)))),
            Calibration(**{name: float(numbers(value, 0)) for name, value in calibration.items()}),
            encoder,
        )
