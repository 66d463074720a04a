"""Echo: propaganda phrases that several outlets repeat within a time window.

Phrases are normalised for case, punctuation and inflection (spaCy lemmas), so
"Regional stooges" and "regional stooge," are one phrase. A phrase is a short span, or a run of
words inside a longer one (up to MAX_SEARCHED_SPAN_WORDS words) that starts and ends with a word
of content ("greedy vultures" in "the greedy vultures of the harbour board"), so a label repeated
inside spans of different lengths is found; a phrase found only where a longer echoed phrase is
found gives way to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from itertools import permutations

from sqlalchemy import select
from sqlalchemy.orm import Session

from propscope.phrases import Words, normalise, phrases_of, word_ranges
from propscope.store.repository import newest_analysis_ids
from propscope.store.schema import AnalysisRow, ArticleRow, SpanRow

#: spans longer than this are not searched for phrases: they are whole sentences, each offering
#: dozens of runs of words to count on every echo request (see benchmarks/bench_echo.py)
MAX_SEARCHED_SPAN_WORDS = 20


@dataclass
class Occurrence:
    day: date
    outlet: str
    article_id: int
    #: every searched span of the article, as (text, its lemmas space-separated, its words): a
    #: phrase and the runs it is joined into may lie in different spans of one article
    spans: tuple[tuple[str, str, Words], ...] = ()

    def holds(self, run: str) -> bool:
        """Whether one of the article's spans holds the lemmas ``run``."""
        return any(f" {run} " in f" {lemmas} " for _, lemmas, _ in self.spans)


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

    @cached_property
    def as_written(self) -> str:
        """The phrase as its first use wrote it ("is a reckless betrayal of" for the lemmas "be a
        reckless betrayal of"), for people to read; the lemmas when the words cannot be lined up."""
        wanted = self.phrase.split()
        for occurrence in sorted(self.occurrences, key=lambda o: (o.day, o.article_id)):
            for text, span_lemmas, words in occurrence.spans:
                lemmas, ranges = span_lemmas.split(), word_ranges(text, words)
                if len(ranges) != len(lemmas):
                    continue
                for start in range(len(lemmas) - len(wanted) + 1):
                    if lemmas[start : start + len(wanted)] == wanted:
                        return text[ranges[start][0] : ranges[start + len(wanted) - 1][1]]
        return self.phrase

    def as_dict(self) -> dict:
        first = self.first
        return {
            "phrase": self.phrase,
            "as_written": self.as_written,
            "first_seen": {"date": first.day.isoformat(), "outlet": first.outlet, "article_id": first.article_id},
            "outlets": self.outlets,
            "count": len(self.occurrences),
            "per_outlet": {o: sum(x.outlet == o for x in self.occurrences) for o in self.outlets},
            "articles": sorted({x.article_id for x in self.occurrences}),
            # which outlet used it when, for a reader to follow without opening every article
            "uses": [
                {"article_id": o.article_id, "outlet": o.outlet, "date": o.day.isoformat()}
                for o in sorted(self.occurrences, key=lambda o: (o.day, o.article_id))
            ],
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


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def find_echoes(*, session: Session, window: timedelta, min_outlets: int = 2) -> list[Echo]:
    """Phrases used by at least ``min_outlets`` outlets within ``window`` of each other."""
    rows = session.execute(
        select(SpanRow.text, SpanRow.words, ArticleRow.source, ArticleRow.date, ArticleRow.id)
        .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id)
        .join(ArticleRow, AnalysisRow.article_id == ArticleRow.id)
        .where(AnalysisRow.id.in_(newest_analysis_ids()), ArticleRow.source.is_not(None), ArticleRow.date.is_not(None))
    ).all()
    rows = [r for r in rows if len(r.text.split()) <= MAX_SEARCHED_SPAN_WORDS and _day(r.date)]
    # spans stored before their words were kept are lemmatised now
    unread = iter(normalise([r.text for r in rows if r.words is None]))
    spans_of: dict[int, list[tuple[str, str]]] = {}
    phrases: dict[str, dict[int, Occurrence]] = {}
    for row in rows:
        words = [tuple(word) for word in row.words] if row.words is not None else next(unread)
        spans = spans_of.setdefault(row.id, [])
        spans.append((row.text, " ".join(word[0] for word in words), tuple(words)))
        for phrase in phrases_of(words):
            # once per article: overlapping spans of one article may hold the same phrase
            phrases.setdefault(phrase, {}).setdefault(row.id, Occurrence(_day(row.date), row.source, row.id))
    article_spans = {article: tuple(spans) for article, spans in spans_of.items()}
    for by_article in phrases.values():
        for occurrence in by_article.values():
            occurrence.spans = article_spans[occurrence.article_id]
    echoes = []
    for phrase, by_article in phrases.items():
        if len({o.outlet for o in by_article.values()}) < min_outlets:
            continue
        occurrences = sorted(by_article.values(), key=lambda o: (o.day, o.article_id))
        # the widest set of outlets inside any window starting at an occurrence
        best: list[Occurrence] = []
        for i, first in enumerate(occurrences):
            inside = [o for o in occurrences[i:] if o.day - first.day <= window]
            if len({o.outlet for o in inside}) > len({o.outlet for o in best}):
                best = inside
        if len({o.outlet for o in best}) >= min_outlets:
            echoes.append(Echo(phrase, best))
    return sorted(_maximal(_joined(echoes)), key=lambda e: (-len(e.outlets), -len(e.occurrences), e.phrase))


def _joined(echoes: list[Echo]) -> list[Echo]:
    """Overlapping phrases of the same articles joined into the run of words they are cut from:
    a long span two outlets share offers many runs of up to MAX_PHRASE_WORDS words, and is one
    echo ("greedy vulture of the board betray" and "board betray the honest docker" → "greedy
    vulture of the board betray the honest docker"), as long as a span of every article holds the joined run."""
    groups: dict[frozenset[int], list[Echo]] = {}
    for echo in echoes:
        groups.setdefault(frozenset(o.article_id for o in echo.occurrences), []).append(echo)
    joined = []
    for group in groups.values():
        phrases = [echo.phrase.split() for echo in group]
        occurrences = group[0].occurrences
        merged = True
        while merged:
            merged = False
            for first, second in permutations(range(len(phrases)), 2):
                run = _overlapping(phrases[first], phrases[second])
                if run and all(o.holds(" ".join(run)) for o in occurrences):
                    phrases[first] = run
                    del phrases[second]
                    merged = True
                    break
        joined += [Echo(" ".join(words), occurrences) for words in phrases]
    return joined


def _overlapping(left: list[str], right: list[str]) -> list[str] | None:
    """``left`` and ``right`` as one run when the end of ``left`` is the start of ``right``."""
    for size in range(min(len(left), len(right)) - 1, 0, -1):
        if left[-size:] == right[:size]:
            return left + right[size:]
    return None


def _maximal(echoes: list[Echo]) -> list[Echo]:
    """The echoes left when a phrase found in no article beyond those of a longer echoed phrase
    that holds it ("greedy vulture" inside "greedy vulture of the board") gives way to it."""
    kept: list[tuple[Echo, set[int]]] = []
    for echo in sorted(echoes, key=lambda e: -len(e.phrase.split())):
        articles = {o.article_id for o in echo.occurrences}
        inside = f" {echo.phrase} "
        if not any(inside in f" {longer.phrase} " and articles <= theirs for longer, theirs in kept):
            kept.append((echo, articles))
    return [echo for echo, _ in kept]
