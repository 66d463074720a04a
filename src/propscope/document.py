"""The immutable records of an analysis: the article as given, the spans found, the summary.

Every range is a pair of character offsets into ``Article.text``, end exclusive;
``Article.text`` is never edited.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

SCHEMA_VERSION = "propscope-analysis/1"
#: the decimals the JSON keeps of a probability; every view rounds from that value
JSON_DECIMALS = 4
#: the ``filters`` of an analysis that shows every span the model found
NO_FILTERS: dict[str, object] = {"min_confidence": 0.0, "techniques": None}
#: the longest outlet name the store keeps
MAX_OUTLET_CHARS = 200

Range = tuple[int, int]

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def is_calendar_day(value: str) -> bool:
    """Whether ``value`` is a day of the calendar as YYYY-MM-DD, alone or opening an ISO date
    and time ("2026-03-04T09:30:00Z"): what reports and filters compare articles by."""
    if not _DAY.match(value):
        return False
    try:
        # a time after the day must be one too ("2026-03-04T09:30:00Z", not "2026-03-04 soon")
        date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Excluded:
    """A stretch of the text kept out of the analysis, with the reason."""

    start: int
    end: int
    reason: str  # "repeated-title", "dateline", "site-furniture"


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None = None
    title_range: Range | None = None
    body_range: Range = (0, 0)
    dateline_place: str | None = None
    dateline_outlet: str | None = None
    excluded: tuple[Excluded, ...] = ()
    source: str | None = None
    date: str | None = None
    url: str | None = None
    #: where the article came from: a path, a URL, "<stdin>", or "file.jsonl:3"
    origin: str | None = None
    #: a corpus id (from ``article<ID>.txt``) or an id field of a record
    article_id: str | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict) -> Article:
        """The article of an analysis document (``Analysis.to_dict()["article"]``), layout included."""

        def as_range(value) -> Range | None:
            return None if value is None else (value[0], value[1])

        return cls(
            text=data["text"],
            title=data.get("title"),
            title_range=as_range(data.get("title_range")),
            body_range=as_range(data["body_range"]),
            dateline_place=data.get("dateline_place"),
            dateline_outlet=data.get("dateline_outlet"),
            excluded=tuple(Excluded(e["start"], e["end"], e["reason"]) for e in data.get("excluded", [])),
            source=data.get("source"),
            date=data.get("date"),
            url=data.get("url"),
            origin=data.get("origin"),
            article_id=data.get("article_id"),
            warnings=tuple(data.get("warnings", ())),
        )

    def analysed_regions(self) -> list[Range]:
        """Title and body, minus excluded stretches: where spans may lie."""
        regions = [r for r in (self.title_range, self.body_range) if r and r[1] > r[0]]
        for cut in sorted(self.excluded, key=lambda c: c.start):
            kept = []
            for start, end in regions:
                if cut.end <= start or cut.start >= end:
                    kept.append((start, end))
                    continue
                if cut.start > start:
                    kept.append((start, cut.start))
                if cut.end < end:
                    kept.append((cut.end, end))
            regions = kept
        return [r for r in regions if r[1] > r[0]]


@dataclass(frozen=True)
class Entity:
    """A named entity found by spaCy (PERSON, ORG, GPE, NORP, ...)."""

    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    technique: str
    technique_name: str
    confidence: float
    technique_confidence: float
    explanation: str
    sentence: int | None
    alternatives: tuple[tuple[str, float], ...] = ()
    #: "author", "quoted", "reported" or "unknown" (see propscope.attribution)
    voice: str = "author"
    #: who speaks, as the article names them: he/she/they resolved to a name, and a short name
    #: joined to the one fuller name the article gives that person ("Ward" -> "Ellen Ward")
    speaker: str | None = None
    speaker_range: Range | None = None
    #: how likely the voice, and the speaker (None when there is none), are right (calibrated on
    #: the annotations; None when not estimated)
    voice_confidence: float | None = None
    speaker_confidence: float | None = None
    #: whom the span is aimed at, named as in the article (aliases joined: "Rouhani" -> "Hassan Rouhani")
    target: str | None = None
    target_range: Range | None = None
    #: how likely that target is right (calibrated on the annotations; None when not estimated)
    target_confidence: float | None = None


@dataclass(frozen=True)
class Summary:
    spans_per_technique: dict[str, int]
    sentences: int
    sentences_with_propaganda: int
    propaganda_sentence_share: float
    score: int
    #: the score counting only spans in the author's own voice
    author_score: int = 0
    spans_per_voice: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Analysis:
    article: Article
    spans: tuple[Span, ...]
    sentences: tuple[Range, ...]
    summary: Summary
    entities: tuple[Entity, ...] = ()
    model: dict[str, str] = field(default_factory=dict)
    #: each span's words as echo compares them (lowercase lemma, is a stop word, start and end in
    #: the span's text): stored with the spans, not part of the JSON; empty for an analysis made
    #: without them
    span_words: tuple[tuple[tuple[str, bool, int, int], ...], ...] = ()
    #: what was left out: spans below ``min_confidence``, techniques not in ``techniques`` (None:
    #: all). A filtered analysis's spans and score differ, and a saved file must say so.
    filters: dict[str, object] = field(default_factory=lambda: dict(NO_FILTERS))

    def to_dict(self) -> dict:
        article = asdict(self.article)
        article["excluded"] = [asdict(e) for e in self.article.excluded]
        article["analysed_regions"] = self.article.analysed_regions()
        spans = []
        for span in self.spans:
            entry = asdict(span)
            entry["alternatives"] = [
                {"technique": t, "probability": round(p, JSON_DECIMALS)} for t, p in span.alternatives
            ]
            entry["confidence"] = round(span.confidence, JSON_DECIMALS)
            entry["technique_confidence"] = round(span.technique_confidence, JSON_DECIMALS)
            for sureness in ("voice_confidence", "speaker_confidence"):
                if entry[sureness] is not None:
                    entry[sureness] = round(entry[sureness], JSON_DECIMALS)
            spans.append(entry)
        return {
            "schema": SCHEMA_VERSION,
            "model": self.model,
            "filters": self.filters,
            "article": article,
            "sentences": [list(s) for s in self.sentences],
            "entities": [asdict(e) for e in self.entities],
            "spans": spans,
            "summary": asdict(self.summary),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
