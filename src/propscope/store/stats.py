"""Aggregates over stored analyses: per outlet, per month, per technique."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from propscope.attribution.grammar import UNNAMED_SPEAKERS
from propscope.store.repository import ALL_TIME, Period, newest_analysis_ids
from propscope.store.schema import AnalysisRow, ArticleRow, SpanRow

GROUPINGS = ("outlet", "month", "technique")
UNKNOWN = "(unknown)"


@dataclass
class GroupStats:
    key: str
    articles: int = 0
    spans: int = 0
    score_sum: float = 0.0
    author_score_sum: float = 0.0
    techniques: Counter = field(default_factory=Counter)

    @property
    def mean_score(self) -> float:
        return self.score_sum / self.articles if self.articles else 0.0

    @property
    def mean_author_score(self) -> float:
        return self.author_score_sum / self.articles if self.articles else 0.0

    def as_dict(self) -> dict:
        """The group's figures as the dashboard's JSON and ``report`` (table, HTML and JSON) show
        them: mean scores rounded once, to the one decimal the tables print."""
        return {
            "key": self.key,
            "articles": self.articles,
            "spans": self.spans,
            "mean_score": round(self.mean_score, 1),
            "mean_author_score": round(self.mean_author_score, 1),
            "top_techniques": dict(self.techniques.most_common(TOP_TECHNIQUES)),
        }


#: how many of a group's techniques its figures name
TOP_TECHNIQUES = 3


def _newest(query, period: Period):
    """The query over each article's newest analysis, within the period."""
    query = query.join(ArticleRow, ArticleRow.id == AnalysisRow.article_id).where(
        AnalysisRow.id.in_(newest_analysis_ids())
    )
    return period.limit(query)


def group_stats(*, session: Session, by: str, period: Period = ALL_TIME) -> list[GroupStats]:
    """Per outlet, month or technique: articles, spans, mean scores and top techniques (aggregated in SQL)."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    spans_of = _newest(
        select(SpanRow.technique.label("technique"), SpanRow.analysis_id.label("analysis_id"), func.count().label("n"))
        .select_from(SpanRow)
        .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id),
        period,
    ).group_by(SpanRow.technique, SpanRow.analysis_id)
    groups: dict[str, GroupStats] = {}
    if by == "technique":
        per_technique = spans_of.subquery()
        rows = session.execute(
            select(
                per_technique.c.technique,
                func.count(),
                func.sum(per_technique.c.n),
                func.sum(AnalysisRow.score),
                func.sum(AnalysisRow.author_score),
            )
            .join(AnalysisRow, AnalysisRow.id == per_technique.c.analysis_id)
            .group_by(per_technique.c.technique)
        )
        for technique, articles, spans, score_sum, author_sum in rows:
            groups[technique] = GroupStats(
                technique, articles, int(spans), float(score_sum), float(author_sum), Counter({technique: int(spans)})
            )
        return sorted(groups.values(), key=lambda g: -g.spans)
    key = func.coalesce(ArticleRow.source, UNKNOWN) if by == "outlet" else func.substr(ArticleRow.date, 1, 7)
    totals = _newest(
        select(key, func.count(), func.sum(AnalysisRow.score), func.sum(AnalysisRow.author_score)), period
    ).group_by(key)
    for name, articles, score_sum, author_sum in session.execute(totals):
        groups[name or UNKNOWN] = GroupStats(name or UNKNOWN, articles, 0, float(score_sum), float(author_sum))
    mix = _newest(
        select(key, SpanRow.technique, func.count())
        .select_from(SpanRow)
        .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id),
        period,
    ).group_by(key, SpanRow.technique)
    for name, technique, count in session.execute(mix):
        # an article committed between the two queries may bring a new group
        group = groups.setdefault(name or UNKNOWN, GroupStats(name or UNKNOWN))
        group.spans += count
        group.techniques[technique] += count
    return sorted(groups.values(), key=lambda g: g.key if by == "month" else -g.spans)


def monthly_scores(
    *, session: Session, outlets: list[str] | None = None, period: Period = ALL_TIME
) -> dict[str, list[tuple[str, float, int]]]:
    """Per outlet: (month, mean score, articles), months in order."""
    month = func.substr(ArticleRow.date, 1, 7)
    query = (
        _newest(select(ArticleRow.source, month.label("month"), func.avg(AnalysisRow.score), func.count()), period)
        .where(ArticleRow.date.is_not(None), ArticleRow.source.is_not(None))
        .group_by(ArticleRow.source, month)
        .order_by(month)
    )
    if outlets:
        query = query.where(ArticleRow.source.in_(outlets))
    series: dict[str, list[tuple[str, float, int]]] = defaultdict(list)
    for outlet, month_value, mean, count in session.execute(query):
        series[outlet].append((month_value, float(mean), count))
    return dict(series)


def top_phrases(*, session: Session, limit: int = 15, period: Period = ALL_TIME) -> list[tuple[str, int, int]]:
    """The most repeated span texts, compared case-folded and with whitespace collapsed, each shown
    as most of its uses wrote it: (phrase, uses, outlets).
    SQL counts each exact text per outlet; folding happens here, as SQLite's lower() is ASCII-only."""
    # one expression object in both clauses, so PostgreSQL sees the same bound parameter
    outlet = func.coalesce(ArticleRow.source, UNKNOWN)
    rows = session.execute(
        _newest(
            select(SpanRow.text, outlet, func.count())
            .select_from(SpanRow)
            .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id),
            period,
        ).group_by(SpanRow.text, outlet)
    )
    uses: Counter = Counter()
    outlets: dict[str, set[str]] = defaultdict(set)
    written: dict[str, Counter] = defaultdict(Counter)
    for text, outlet, count in rows:
        phrase = " ".join(text.casefold().split())
        uses[phrase] += count
        outlets[phrase].add(outlet)
        written[phrase][" ".join(text.split())] += count
    ranked = sorted(((p, n) for p, n in uses.items() if n > 1), key=lambda item: (-item[1], item[0]))
    # shown as most of its uses wrote it ("Veldmark", not "veldmark"); the first such form on a tie
    return [(written[phrase].most_common(1)[0][0], count, len(outlets[phrase])) for phrase, count in ranked[:limit]]


def targets_per_outlet(
    *, session: Session, limit: int = 5, period: Period = ALL_TIME, min_confidence: float | None = None
) -> dict[str, list[tuple[str, int]]]:
    """Per outlet, the people and groups its propaganda spans are aimed at most often; with
    ``min_confidence`` above 0, only targets the ranker or chooser is at least that sure of (targets with
    no confidence, chosen by the rules alone or stored before targets were learned, are then left out)."""
    return _most_named_per_outlet(session, SpanRow.target, SpanRow.target_confidence, limit, period, min_confidence)


def speakers_per_outlet(
    *, session: Session, limit: int = 5, period: Period = ALL_TIME, min_confidence: float | None = None
) -> dict[str, list[tuple[str, int]]]:
    """Per outlet, the people and bodies whose quoted or reported words its propaganda spans are
    most often (a pronoun left unresolved names no one and is left out); with ``min_confidence``
    above 0, only speakers at least that likely to be right (speakers stored before their
    confidence was estimated are then left out)."""
    named = func.lower(SpanRow.speaker).not_in(sorted(UNNAMED_SPEAKERS))
    return _most_named_per_outlet(
        session, SpanRow.speaker, SpanRow.speaker_confidence, limit, period, min_confidence, named
    )


def _most_named_per_outlet(
    session: Session,
    name: InstrumentedAttribute,
    confidence: InstrumentedAttribute,
    limit: int,
    period: Period,
    min_confidence: float | None,
    *conditions: ColumnElement[bool],
) -> dict[str, list[tuple[str, int]]]:
    """Per outlet, the values of the span column ``name`` counted over the newest analyses, most
    frequent first; with ``min_confidence`` above 0, only those whose ``confidence`` is at least that."""
    outlet = func.coalesce(ArticleRow.source, UNKNOWN)
    query = (
        select(outlet, name, func.count())
        .select_from(SpanRow)
        .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id)
        .where(name.is_not(None), *conditions)
    )
    if min_confidence:
        query = query.where(confidence >= min_confidence)
    rows = session.execute(_newest(query, period).group_by(outlet, name))
    counts: dict[str, Counter] = defaultdict(Counter)
    for source, value, count in rows:
        counts[source][value] += count
    return {outlet_name: counter.most_common(limit) for outlet_name, counter in sorted(counts.items())}
