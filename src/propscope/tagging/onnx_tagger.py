"""The shipped model, run with onnxruntime: no torch needed."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from propscope.errors import ModelError
from propscope.tagging.artifacts import (
    BUNDLED_MODEL_DIR,
    CHECKSUMS_NAME,
    ENCODER_NAME,
    SPAN_HEAD_NAME,
    TOKENIZER_NAME,
    expected_digests,
    verify_model_dir,
)
from propscope.tagging.base import TaggedSpan
from propscope.tagging.decoding import DecodingSettings
from propscope.tagging.encoding import encode_text, load_tokenizer, token_range
from propscope.tagging.inference import (
    Reranker,
    SpanHead,
    find_spans,
    run_encoder,
    softmax,
    span_inputs,
    span_scores,
    technique_logits,
)
from propscope.tagging.states import TokenStates

if TYPE_CHECKING:
    import onnxruntime


def cpu_session(path: Path, threads: int | None, what: str) -> onnxruntime.InferenceSession:
    """An onnxruntime session of the graph at ``path`` on the CPU, with ``threads`` threads or else
    $PROPSCOPE_THREADS (batch workers split the cores with it) or else up to 4; ModelError, naming
    ``what``, when the graph cannot be read."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or _threads_from_environment() or min(os.cpu_count() or 1, 4)
    options.inter_op_num_threads = 1
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own untyped errors
        raise ModelError(f"{what} unreadable ({type(error).__name__}): {path}") from None


def _threads_from_environment() -> int:
    value = os.environ.get("PROPSCOPE_THREADS", "0")
    if not value.isdigit():
        raise ModelError(f"PROPSCOPE_THREADS must be a whole number, not {value!r}")
    return int(value)


class OnnxTagger:
    """Finds spans with the token head, names them with the span head."""

    def __init__(self, model_dir: Path = BUNDLED_MODEL_DIR, threads: int | None = None) -> None:
        config = verify_model_dir(model_dir)
        self.name: str = config["name"]
        self.version: str = config["version"]
        #: the encoder's own identity, which the target ranker checks: a model given a version by hand
        #: (--model-version) or trained before versions followed the weights may share another's
        self.encoder_digest: str = expected_digests(model_dir / CHECKSUMS_NAME, "model")[ENCODER_NAME]
        self.techniques: list[str] = config["techniques"]
        try:
            self.decoding = DecodingSettings.from_dict(config["decoding"])
        except (KeyError, TypeError, ValueError) as error:
            raise ModelError(f"model config invalid ({error}): {model_dir / 'config.json'}") from None
        self.temperature: float = config["temperature"]
        calibration = config.get("span_calibration")
        self._calibration = (np.asarray(calibration["x"]), np.asarray(calibration["y"])) if calibration else None
        self.reliability: dict[str, str] = config.get("reliability", {})
        self._tokenizer = load_tokenizer(model_dir / TOKENIZER_NAME)
        try:
            weights = np.load(model_dir / SPAN_HEAD_NAME)
            self._span_head = SpanHead(weights["w1"], weights["b1"], weights["w2"], weights["b2"])
            self._reranker = Reranker(weights["rerank_w"], weights["rerank_b"]) if "rerank_w" in weights else None
        except (OSError, KeyError, ValueError) as error:
            raise ModelError(f"model file unreadable ({error}): {model_dir / SPAN_HEAD_NAME}") from None
        self._session = cpu_session(model_dir / ENCODER_NAME, threads, "model file")
        self.hidden_size = int(self._session.get_outputs()[0].shape[-1])

    def _run(self, batch: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        hidden, probabilities = self._session.run(None, batch)
        return hidden, probabilities

    def _ranked(self, inputs: np.ndarray) -> list[tuple[tuple[str, float], ...]]:
        probabilities = softmax(technique_logits(self._span_head, self._reranker, inputs), self.temperature)
        return [tuple((self.techniques[i], float(row[i])) for i in np.argsort(-row)) for row in probabilities]

    def _calibrate(self, scores: np.ndarray) -> np.ndarray:
        if self._calibration is None:
            return scores
        return np.interp(scores, *self._calibration)

    def tag(self, text: str, start: int = 0, end: int | None = None) -> list[TaggedSpan]:
        return self.tag_with_states(text, start, end)[0]

    def tag_with_states(
        self, text: str, start: int = 0, end: int | None = None
    ) -> tuple[list[TaggedSpan], TokenStates]:
        """The spans of ``tag`` and the encoder's states of ``text[start:end]``, from one pass."""
        end = len(text) if end is None else end
        region = text[start:end]
        encoded = encode_text(self._tokenizer, region)
        if len(encoded) == 0:
            return [], TokenStates(np.zeros((0, 2), np.int64), np.zeros((0, self.hidden_size), np.float32))
        output = run_encoder(encoded, self._run)
        states = TokenStates(encoded.offsets + start, output.token_hidden)
        spans = find_spans(region, encoded, output, self.decoding)
        if not spans:
            return [], states
        rankings = self._ranked(span_inputs(region, encoded, output, spans))
        confidences = self._calibrate(span_scores(output, spans))
        tagged = [
            TaggedSpan(s + start, e + start, ranking[0][0], float(confidence), ranking[0][1], ranking[:3])
            for (s, e, _, _), ranking, confidence in zip(spans, rankings, confidences)
        ]
        return tagged, states

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[tuple[str, float], ...]]:
        encoded = encode_text(self._tokenizer, text)
        if not spans or len(encoded) == 0:
            return [tuple((t, 1.0 / len(self.techniques)) for t in self.techniques) for _ in spans]
        output = run_encoder(encoded, self._run)
        token_spans = []
        for s, e in spans:
            covering = token_range(encoded, s, e)
            if covering is None:  # only characters the tokenizer drops: use the nearest token
                nearest = int(np.argmin(np.abs(encoded.offsets[:, 0] - s)))
                covering = (nearest, nearest + 1)
            token_spans.append((s, e, *covering))
        return self._ranked(span_inputs(text, encoded, output, token_spans))


@cache
def bundled_tagger() -> OnnxTagger:
    """The shipped model (or the one in $PROPSCOPE_MODEL_DIR), loaded once per process."""
    override = os.environ.get("PROPSCOPE_MODEL_DIR")
    return OnnxTagger(Path(override) if override else BUNDLED_MODEL_DIR)
