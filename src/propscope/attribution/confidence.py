"""How likely a span's voice, and its speaker, are right: a logistic function of the rule that
found them (``Voice.basis``) and of the layout around the span, fitted on the annotations by
``propscope calibrate-attribution``. The rules err most where the page reprints someone's words
without quotation marks, so the features look for what such blocks leave: quotation marks and
words of saying nearby, a lead-in ending in a colon, the first person."""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from propscope.attribution.grammar import PRONOUNS
from propscope.attribution.voice import Voice
from propscope.tagging.artifacts import read_weights

CONFIDENCE_NAME = "attribution-confidence.json"
BUNDLED_CONFIDENCE = Path(__file__).resolve().parent / "model" / CONFIDENCE_NAME

#: marks that open or close someone's words (not apostrophes, which single quotation marks share)
DOUBLE_MARKS = frozenset('“”„«»"')
#: how far to look for a quotation mark, in characters
REACH = 600
SAYING = re.compile(r"\b(said|says|told|wrote|writes|stated|added|according|statement|reads)\b", re.IGNORECASE)
FIRST_PERSON = re.compile(r"\b(I|we|We|our|Our|my|My|me|us)\b")


def logistic(z: float) -> float:
    # tanh rather than exp, so that no input overflows
    return 0.5 * (1.0 + math.tanh(z / 2.0))


class ConfidenceFeatures:
    """The features of the spans of one article."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._marks = [i for i, c in enumerate(text) if c in DOUBLE_MARKS]
        self._density = 1000 * len(self._marks) / max(1, len(text))

    def of(self, start: int, end: int, voice: Voice) -> dict[str, float]:
        text = self.text
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        line = text[line_start:line_end]
        above = text[: max(0, line_start - 1)].rstrip()
        previous = above[above.rfind("\n") + 1 :]
        features = {
            f"basis={voice.basis}": 1.0,
            f"voice={voice.voice}": 1.0,
            "log_length": math.log1p(end - start),
            "in_title": float(line_start == 0),
            "position": line_start / max(1, len(text)),
            "marks_in_line": float(any(c in DOUBLE_MARKS for c in line)),
            "line_opens_with_mark": float(line[:1] in DOUBLE_MARKS),
            "marks_in_line_above": float(any(c in DOUBLE_MARKS for c in previous)),
            "line_above_ends_in_colon": float(previous.endswith(":")),
            "saying_in_line": float(bool(SAYING.search(line))),
            "saying_in_line_above": float(bool(SAYING.search(previous))),
            "first_person_in_line": float(bool(FIRST_PERSON.search(line))),
            "log_distance_to_mark": math.log1p(self._distance_to_mark(start, end)),
            "marks_per_1000_characters": self._density,
        }
        if voice.speaker is not None and voice.speaker_range is not None:
            said_from, said_to = voice.speaker_range
            as_written = text[said_from:said_to]
            features |= {
                "speaker": 1.0,
                "speaker_is_pronoun": float(as_written.lower() in PRONOUNS),
                "speaker_resolved": float(as_written != voice.speaker),
                "speaker_capitalised": float(voice.speaker[:1].isupper()),
                "speaker_log_words": math.log1p(len(voice.speaker.split())),
                "speaker_log_distance": math.log1p(max(0, said_from - end, start - said_to)),
                "speaker_before": float(said_to <= start),
                "speaker_in_line": float(line_start <= said_from < line_end),
            }
        return features

    def _distance_to_mark(self, start: int, end: int) -> int:
        at = bisect_left(self._marks, start)
        if at < len(self._marks) and self._marks[at] < end:
            return 0
        nearest = [start - self._marks[at - 1]] if at else []
        nearest += [self._marks[at] - end] if at < len(self._marks) else []
        return min([REACH, *nearest])


@dataclass(frozen=True)
class Logistic:
    weights: dict[str, float]
    intercept: float

    def probability(self, features: dict[str, float]) -> float:
        return logistic(self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in features.items()))


@dataclass(frozen=True)
class AttributionConfidence:
    """The chance that a span's voice is right, and that its speaker (when it has one) is the
    one whose words these are."""

    voice: Logistic
    speaker: Logistic
    record: dict

    def of(self, features: dict[str, float], has_speaker: bool) -> tuple[float, float | None]:
        return self.voice.probability(features), self.speaker.probability(features) if has_speaker else None

    def for_article(self, text: str) -> ArticleConfidence:
        return ArticleConfidence(self, ConfidenceFeatures(text))

    def to_json(self) -> str:
        return json.dumps(
            {
                "voice": {"weights": self.voice.weights, "intercept": self.voice.intercept},
                "speaker": {"weights": self.speaker.weights, "intercept": self.speaker.intercept},
                "record": self.record,
            },
            indent=1,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, data: dict) -> AttributionConfidence:
        def weights(part: dict) -> Logistic:
            return Logistic({str(k): float(v) for k, v in part["weights"].items()}, float(part["intercept"]))

        return cls(weights(data["voice"]), weights(data["speaker"]), dict(data["record"]))


@dataclass(frozen=True)
class ArticleConfidence:
    model: AttributionConfidence
    features: ConfidenceFeatures

    def of(self, start: int, end: int, voice: Voice) -> tuple[float, float | None]:
        """(voice confidence, speaker confidence or None when there is no speaker)."""
        return self.model.of(self.features.of(start, end, voice), voice.speaker is not None)


def load_attribution_confidence(path: Path = BUNDLED_CONFIDENCE) -> AttributionConfidence:
    """The confidence weights at ``path``, checked against the SHA256SUMS beside it."""
    return read_weights(path, "attribution confidence", AttributionConfidence.from_json)


@cache
def bundled_attribution_confidence() -> AttributionConfidence:
    return load_attribution_confidence(BUNDLED_CONFIDENCE)
