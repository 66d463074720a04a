"""From per-token propaganda probabilities to non-overlapping character spans."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from propscope.tagging.encoding import line_breaks_after


@dataclass(frozen=True)
class DecodingSettings:
    """Chosen by cross-validation; stored in the model's config."""

    #: a span needs at least one token this likely ...
    threshold: float = 0.5
    #: ... and extends over neighbouring tokens at least this likely (hysteresis)
    extend_threshold: float = 0.5
    #: runs separated by at most this many less likely tokens are joined
    max_gap: int = 2
    min_chars: int = 3

    def __post_init__(self) -> None:
        if not 0.0 <= self.extend_threshold <= self.threshold <= 1.0:
            raise ValueError(f"decoding thresholds out of order: {self}")

    @classmethod
    def from_dict(cls, values: dict) -> DecodingSettings:
        """From a model config; without an extend threshold, runs extend at the threshold itself."""
        return cls(**{"extend_threshold": values["threshold"], **values})

    def as_dict(self) -> dict:
        return asdict(self)


def decode_token_runs(
    probabilities: np.ndarray, breaks: np.ndarray, settings: DecodingSettings
) -> list[tuple[int, int]]:
    """Token ranges [first, last + 1) of runs of likely tokens.

    Runs are made of tokens at or above ``extend_threshold``, with gaps of up to
    ``max_gap`` tokens bridged, never across a line break (the corpus labels
    almost never cross one); a run is kept when one of its tokens reaches
    ``threshold``.
    """
    runs: list[list[int]] = []
    for index in np.nonzero(probabilities >= settings.extend_threshold)[0]:
        index = int(index)
        if runs and index - runs[-1][1] <= settings.max_gap and not breaks[runs[-1][1] - 1 : index].any():
            runs[-1][1] = index + 1
        else:
            runs.append([index, index + 1])
    return [(a, b) for a, b in runs if probabilities[a:b].max() >= settings.threshold]


def _expand_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def decode_spans(
    text: str,
    offsets: np.ndarray,
    probabilities: np.ndarray,
    settings: DecodingSettings,
    breaks: np.ndarray | None = None,
) -> list[tuple[int, int, int, int]]:
    """Character spans ``(start, end, first_token, end_token)``, sorted and disjoint, whole words.

    ``breaks`` is ``line_breaks_after(text, offsets)``, passed in when decoding
    the same text many times.
    """
    breaks = line_breaks_after(text, offsets) if breaks is None else breaks
    spans: list[tuple[int, int, int, int]] = []
    for first, stop in decode_token_runs(probabilities, breaks, settings):
        start, end = _expand_to_words(text, int(offsets[first][0]), int(offsets[stop - 1][1]))
        if end - start < settings.min_chars:
            continue
        if spans and start < spans[-1][1]:
            previous = spans.pop()
            start, first, end = previous[0], previous[2], max(end, previous[1])
        spans.append((start, end, first, stop))
    return spans
