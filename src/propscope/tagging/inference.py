"""Model outputs to spans with techniques, independent of the engine that runs the encoder.

The ONNX runtime and the training code (for cross-validation) both feed this
module, so what is measured during training is what users get.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from propscope.tagging.decoding import DecodingSettings, decode_spans
from propscope.tagging.encoding import SPAN_FEATURES, EncodedText, normalise_phrase, span_features, window_batch

#: runs a padded batch of windows; returns hidden states (b, t, h) and token probabilities (b, t)
WindowRunner = Callable[[dict[str, np.ndarray]], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class EncoderOutput:
    token_hidden: np.ndarray  # (n, h)
    token_probabilities: np.ndarray  # (n,)
    window_cls: np.ndarray  # (windows, h)
    token_window: np.ndarray  # (n,) index of the window holding each token


def run_encoder(encoded: EncodedText, runner: WindowRunner, batch_windows: int = 16) -> EncoderOutput:
    n = len(encoded)
    windows = encoded.windows
    token_window = np.zeros(n, dtype=np.int64)
    hidden_parts, prob_parts, cls_parts = [], [], []
    # windows of similar length go together so padding stays small
    order = sorted(range(len(windows)), key=lambda w: windows[w][1] - windows[w][0])
    by_window: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for chunk_start in range(0, len(order), batch_windows):
        chunk = order[chunk_start : chunk_start + batch_windows]
        hidden, probabilities = runner(window_batch(encoded, [windows[w] for w in chunk]))
        for row, w in enumerate(chunk):
            size = windows[w][1] - windows[w][0]
            by_window[w] = (hidden[row, 1 : size + 1], probabilities[row, 1 : size + 1], hidden[row, 0])
    for w, (start, end) in enumerate(windows):
        token_window[start:end] = w
        hidden_parts.append(by_window[w][0])
        prob_parts.append(by_window[w][1])
        cls_parts.append(by_window[w][2])
    if not windows:
        return EncoderOutput(
            np.zeros((0, 1), np.float32), np.zeros(0, np.float32), np.zeros((0, 1), np.float32), token_window
        )
    return EncoderOutput(np.concatenate(hidden_parts), np.concatenate(prob_parts), np.stack(cls_parts), token_window)


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x**3)))


@dataclass(frozen=True)
class SpanHead:
    """Two dense layers with a tanh-approximated GELU, the same as in training."""

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray

    def logits(self, inputs: np.ndarray) -> np.ndarray:
        return _gelu_tanh(inputs @ self.w1 + self.b1) @ self.w2 + self.b2

    def as_arrays(self) -> dict[str, np.ndarray]:
        return {"w1": self.w1, "b1": self.b1, "w2": self.w2, "b2": self.b2}


@dataclass(frozen=True)
class Reranker:
    """Linear re-ranking of techniques from span head logits and span features.

    Fitted on cross-validation outputs; it corrects what the span head
    underuses, such as a fragment recurring in the article (Repetition).
    """

    weights: np.ndarray
    bias: np.ndarray

    def logits(self, inputs: np.ndarray) -> np.ndarray:
        return inputs @ self.weights + self.bias


def technique_logits(head: SpanHead, reranker: Reranker | None, inputs: np.ndarray) -> np.ndarray:
    """Technique logits for span head inputs (pooled states, then span features)."""
    logits = head.logits(inputs)
    if reranker is None:
        return logits
    return reranker.logits(np.concatenate([logits, inputs[:, -len(SPAN_FEATURES) :]], axis=1))


def span_inputs(
    text: str, encoded: EncodedText, output: EncoderOutput, token_spans: list[tuple[int, int, int, int]]
) -> np.ndarray:
    """Span head inputs for spans ``(start, end, first_token, end_token)``."""
    normalised = normalise_phrase(text)
    rows = []
    for start, end, a, b in token_spans:
        hidden = output.token_hidden[a:b]
        rows.append(
            np.concatenate(
                [
                    hidden.mean(0),
                    hidden[0],
                    hidden[-1],
                    output.window_cls[output.token_window[a]],
                    span_features(text, normalised, encoded, start, end),
                ]
            )
        )
    return np.stack(rows).astype(np.float32)


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    scaled = logits / temperature
    scaled = scaled - scaled.max(axis=-1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=-1, keepdims=True)


def find_spans(
    text: str, encoded: EncodedText, output: EncoderOutput, settings: DecodingSettings
) -> list[tuple[int, int, int, int]]:
    return decode_spans(text, encoded.offsets, output.token_probabilities, settings)


def span_scores(output: EncoderOutput, token_spans: list[tuple[int, int, int, int]]) -> np.ndarray:
    """Raw span score before calibration: mean token probability over the span."""
    return np.asarray([float(output.token_probabilities[a:b].mean()) for _, _, a, b in token_spans])
