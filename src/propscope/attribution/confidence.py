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
from propscope.attribution.voice import FIRST_PERSON_WORDS, Voice
from propscope.document import Range
from propscope.metrics import logistic
from propscope.tagging.artifacts import read_weights

CONFIDENCE_NAME = "attribution-confidence.json"
BUNDLED_CONFIDENCE = Path(__file__).resolve().parent / "model" / CONFIDENCE_NAME

#: marks that open or close someone's words (not apostrophes, which single quotation marks share)
DOUBLE_MARKS = frozenset('“”„«»"')
#: how far to look around a span, in characters: for a quotation mark, and for its line when
#: the text has no line breaks near it
REACH = 600
#: words of saying as written (the rules read lemmas from the parse; these features read text)
SAYING = frozenset(
    {"say", "says", "said", "tell", "tells", "told", "write", "writes", "wrote", "state", "states", "stated"}
    | {"add", "adds", "added", "claim", "claims", "claimed", "according", "statement", "reads"}
)
WORDS = re.compile(r"[A-Za-z]+")


def _words(line: str) -> set[str]:
    return {word.lower() for word in WORDS.findall(line)}


class ConfidenceFeatures:
    """The features of the spans of one article, whose title (a range of its text, or None
    when the text holds none) the layout found."""

    def __init__(self, text: str, title: Range | None) -> None:
        self.text = text
        self.title = title
        self._marks = [i for i, c in enumerate(text) if c in DOUBLE_MARKS]
        self._density = 1000 * len(self._marks) / max(1, len(text))

    def _line(self, start: int, end: int) -> tuple[int, int]:
        """The line holding a span, cut to REACH characters either side of it."""
        reach_back, reach_on = max(0, start - REACH), min(len(self.text), end + REACH)
        line_break = self.text.rfind("\n", reach_back, start)
        line_end = self.text.find("\n", end, reach_on)
        return reach_back if line_break < 0 else line_break + 1, reach_on if line_end < 0 else line_end

    def _line_above(self, line_start: int) -> str:
        """The last line with words before the line at ``line_start`` (cut as ``_line`` cuts)."""
        above = line_start - 1
        while above > 0 and self.text[above - 1].isspace() and line_start - above < REACH:
            above -= 1
        if above <= 0 or self.text[line_start - 1] != "\n":
            return ""
        return self.text[self._line(above, above)[0] : above]

    def of(self, start: int, end: int, voice: Voice) -> dict[str, float]:
        line_start, line_end = self._line(start, end)
        line = self.text[line_start:line_end]
        above = self._line_above(line_start)
        words, words_above = _words(line), _words(above)
        features = {
            f"voice={voice.voice}": 1.0,
            "log_length": math.log1p(end - start),
            "in_title": float(self.title is not None and self.title[0] <= start < self.title[1]),
            "position": start / max(1, len(self.text)),
            "marks_in_line": float(any(c in DOUBLE_MARKS for c in line)),
            "line_opens_with_mark": float(line.lstrip()[:1] in DOUBLE_MARKS),
            "marks_in_line_above": float(any(c in DOUBLE_MARKS for c in above)),
            "line_above_ends_in_colon": float(above.rstrip().endswith(":")),
            "saying_in_line": float(bool(words & SAYING)),
            "saying_in_line_above": float(bool(words_above & SAYING)),
            "first_person_in_line": float(bool(words & FIRST_PERSON_WORDS)),
            "log_distance_to_mark": math.log1p(self._distance_to_mark(start, end)),
            "marks_per_1000_characters": self._density,
        }
        if voice.basis is not None:
            features[f"basis={voice.basis}"] = 1.0
        if voice.speaker is not None and voice.speaker_range is not None:
            said_from, said_to = voice.speaker_range
            as_written = self.text[said_from:said_to]
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
        """Characters between the span and the nearest double quotation mark (0 when one is in
        the span or next to it), at most REACH."""
        at = bisect_left(self._marks, start)
        if at < len(self._marks) and self._marks[at] < end:
            return 0
        nearest = [start - self._marks[at - 1] - 1] if at else []
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

    def for_article(self, text: str, title: Range | None) -> ArticleConfidence:
        return ArticleConfidence(self, ConfidenceFeatures(text, title))

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
            read = Logistic({str(k): float(v) for k, v in part["weights"].items()}, float(part["intercept"]))
            if not all(math.isfinite(w) for w in [*read.weights.values(), read.intercept]):
                raise ValueError("weights must be finite numbers")
            return read

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
