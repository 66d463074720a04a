"""Aggregates over stored analyses: per outlet, per month, per technique."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from propscope.store.repository import newest_analysis_ids
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
        return {
            "key": self.key,
            "articles": self.articles,
            "spans": self.spans,
            "mean_score": round(self.mean_score, 2),
            "mean_author_score": round(self.mean_author_score, 2),
            "top_techniques": dict(self.techniques.most_common(3)),
        }


def group_stats(*, session: Session, by: str, since: str | None = None) -> list[GroupStats]:
    """Per outlet, month or technique: articles, spans, mean scores and top techniques."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    query = (
        select(AnalysisRow.id, AnalysisRow.score, AnalysisRow.author_score, ArticleRow.source, ArticleRow.date)
        .join(ArticleRow, ArticleRow.id == AnalysisRow.article_id)
        .where(AnalysisRow.id.in_(newest_analysis_ids()))
    )
    if since:
        query = query.where(ArticleRow.date >= since)
    analyses = session.execute(query).all()
    span_rows = (
        session.execute(
            select(SpanRow.analysis_id, SpanRow.technique).where(SpanRow.analysis_id.in_([a.id for a in analyses]))
        ).all()
        if analyses
        else []
    )
    techniques_of: dict[int, Counter] = defaultdict(Counter)
    for analysis_id, technique in span_rows:
        techniques_of[analysis_id][technique] += 1
    groups: dict[str, GroupStats] = {}

    def add(key: str, row, techniques: Counter) -> None:
        group = groups.setdefault(key, GroupStats(key))
        group.articles += 1
        group.score_sum += row.score
        group.author_score_sum += row.author_score
        group.spans += sum(techniques.values())
        group.techniques.update(techniques)

    for row in analyses:
        techniques = techniques_of.get(row.id, Counter())
        if by == "outlet":
            add(row.source or UNKNOWN, row, techniques)
        elif by == "month":
            add((row.date or "")[:7] or UNKNOWN, row, techniques)
        else:
            for technique, count in techniques.items():
                add(technique, row, Counter({technique: count}))
    ordered = sorted(groups.values(), key=lambda g: g.key if by == "month" else -g.spans)
    return ordered


def monthly_scores(*, session: Session, outlets: list[str] | None = None) -> dict[str, list[tuple[str, float, int]]]:
    """Per outlet: (month, mean score, articles), months in order."""
    month = func.substr(ArticleRow.date, 1, 7)
    query = (
        select(ArticleRow.source, month.label("month"), func.avg(AnalysisRow.score), func.count())
        .join(AnalysisRow, AnalysisRow.article_id == ArticleRow.id)
        .where(AnalysisRow.id.in_(newest_analysis_ids()))
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


def top_phrases(*, session: Session, limit: int = 15) -> list[tuple[str, int, int]]:
    """The most repeated span texts (case-folded): (phrase, uses, outlets)."""
    rows = session.execute(
        select(SpanRow.text, ArticleRow.source)
        .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id)
        .join(ArticleRow, AnalysisRow.article_id == ArticleRow.id)
        .where(AnalysisRow.id.in_(newest_analysis_ids()))
    ).all()
    uses: Counter = Counter()
    outlets: dict[str, set] = defaultdict(set)
    for text, source in rows:
        phrase = " ".join(text.casefold().split())
        uses[phrase] += 1
        outlets[phrase].add(source or UNKNOWN)
    return [(phrase, count, len(outlets[phrase])) for phrase, count in uses.most_common(limit) if count > 1]


def targets_per_outlet(*, session: Session, limit: int = 5) -> dict[str, list[tuple[str, int]]]:
    """Per outlet, the people and groups its propaganda spans are aimed at most often."""
    rows = session.execute(
        select(ArticleRow.source, AnalysisRow.document)
        .join(AnalysisRow, AnalysisRow.article_id == ArticleRow.id)
        .where(AnalysisRow.id.in_(newest_analysis_ids()))
    ).all()
    counts: dict[str, Counter] = defaultdict(Counter)
    for source, document in rows:
        for span in document.get("spans", []):
            if span.get("target"):
                counts[source or UNKNOWN][span["target"]] += 1
    return {outlet: counter.most_common(limit) for outlet, counter in sorted(counts.items())}
