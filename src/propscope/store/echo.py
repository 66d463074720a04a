"""Echo: propaganda phrases that several outlets repeat within a time window.

Phrases are normalised for case, punctuation and inflection (spaCy lemmas), so
"Regional stooges" and "regional stooge," are one phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from propscope.store.repository import newest_analysis_ids
from propscope.store.schema import AnalysisRow, ArticleRow, SpanRow

#: phrases longer than this many words are sentences, not slogans or labels
MAX_PHRASE_WORDS = 8


@dataclass
class Occurrence:
    day: date
    outlet: str
    article_id: int
    text: str


@dataclass
class Echo:
    phrase: str
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        return sorted({o.outlet for o in self.occurrences})

    @property
    def first(self) -> Occurrence:
        return min(self.occurrences, key=lambda o: (o.day, o.article_id))

    def as_dict(self) -> dict:
        first = self.first
        return {
            "phrase": self.phrase,
            "first_seen": {"date": first.day.isoformat(), "outlet": first.outlet, "article_id": first.article_id},
            "outlets": self.outlets,
            "count": len(self.occurrences),
            "per_outlet": {o: sum(x.outlet == o for x in self.occurrences) for o in self.outlets},
            "articles": sorted({x.article_id for x in self.occurrences}),
        }


#: a window longer than any corpus spans (100 years): beyond it dates overflow
LONGEST_WINDOW_HOURS = 100 * 365 * 24


def parse_window(value: str) -> timedelta:
    """ "7d", "2w" or "24h" -> a time span."""
    hours_per_unit = {"h": 1, "d": 24, "w": 24 * 7}
    number, unit = value[:-1], value[-1:]
    if unit not in hours_per_unit or not re.fullmatch("[0-9]+", number) or int(number) == 0:
        raise ValueError(f"window {value!r}: expected a number of days, weeks or hours, like 7d, 2w or 48h")
    hours = int(number) * hours_per_unit[unit]
    if hours > LONGEST_WINDOW_HOURS:
        raise ValueError(f"window {value!r}: longer than the longest, {LONGEST_WINDOW_HOURS // 24 // 365} years")
    return timedelta(hours=hours)


def normalise(texts: list[str]) -> list[str]:
    from propscope.segment import lemmatiser

    return [" ".join(t.lemma_.lower() for t in doc if t.is_alpha or t.is_digit) for doc in lemmatiser().pipe(texts)]


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def find_echoes(*, session: Session, window: timedelta, min_outlets: int = 2) -> list[Echo]:
    """Phrases used by at least ``min_outlets`` outlets within ``window`` of each other."""
    rows = session.execute(
        select(SpanRow.text, ArticleRow.source, ArticleRow.date, ArticleRow.id)
        .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id)
        .join(ArticleRow, AnalysisRow.article_id == ArticleRow.id)
        .where(AnalysisRow.id.in_(newest_analysis_ids()), ArticleRow.source.is_not(None), ArticleRow.date.is_not(None))
    ).all()
    rows = [r for r in rows if len(r.text.split()) <= MAX_PHRASE_WORDS and _day(r.date)]
    phrases: dict[str, list[Occurrence]] = {}
    for row, phrase in zip(rows, normalise([r.text for r in rows]), strict=True):
        if phrase:
            phrases.setdefault(phrase, []).append(Occurrence(_day(row.date), row.source, row.id, row.text))
    echoes = []
    for phrase, occurrences in phrases.items():
        occurrences.sort(key=lambda o: o.day)
        # the widest set of outlets inside any window starting at an occurrence
        best: list[Occurrence] = []
        for i, first in enumerate(occurrences):
            inside = [o for o in occurrences[i:] if o.day - first.day <= window]
            if len({o.outlet for o in inside}) > len({o.outlet for o in best}):
                best = inside
        if len({o.outlet for o in best}) >= min_outlets:
            echoes.append(Echo(phrase, best))
    return sorted(echoes, key=lambda e: (-len(e.outlets), -len(e.occurrences), e.phrase))
