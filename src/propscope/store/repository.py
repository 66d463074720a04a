"""Reads and writes of analyses; keyword-only, one session passed in."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from propscope.document import Analysis
from propscope.store.database import content_hash
from propscope.store.schema import AnalysisRow, ArticleRow, FailureRow, SpanRow


def newest_analysis_ids():
    """A subquery of the id of each article's newest analysis: what the workbench shows."""
    return select(func.max(AnalysisRow.id)).group_by(AnalysisRow.article_id)


def analysed_hashes(*, session: Session, hashes: Iterable[str], model_version: str) -> set[str]:
    """Which of these article hashes already have an analysis by this model version."""
    wanted = list(set(hashes))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(ArticleRow.content_hash)
            .join(AnalysisRow)
            .where(ArticleRow.content_hash.in_(wanted[start : start + 500]), AnalysisRow.model_version == model_version)
        )
        found.update(rows.scalars())
    return found


def save_analysis(*, session: Session, analysis: Analysis) -> bool:
    """Store an analysis unless this model version has analysed the same text; True when stored."""
    article = analysis.article
    digest = content_hash(article.text)
    row = session.execute(select(ArticleRow).where(ArticleRow.content_hash == digest)).scalar_one_or_none()
    if row is None:
        row = ArticleRow(
            content_hash=digest,
            text=article.text,
            title=article.title,
            source=article.source,
            date=article.date,
            url=article.url,
            origin=article.origin,
        )
        session.add(row)
        session.flush()
    version = analysis.model.get("version", "")
    existing = session.execute(
        select(AnalysisRow.id).where(AnalysisRow.article_id == row.id, AnalysisRow.model_version == version)
    ).first()
    if existing is not None:
        return False
    session.add(
        AnalysisRow(
            article_id=row.id,
            model_name=analysis.model.get("name", ""),
            model_version=version,
            score=analysis.summary.score,
            author_score=analysis.summary.author_score,
            document=analysis.to_dict(),
            spans=[
                SpanRow(
                    start=s.start,
                    end=s.end,
                    text=s.text,
                    technique=s.technique,
                    confidence=s.confidence,
                    technique_confidence=s.technique_confidence,
                    voice=s.voice,
                    speaker=s.speaker,
                )
                for s in analysis.spans
            ],
        )
    )
    return True


def record_failure(*, session: Session, origin: str, reason: str) -> None:
    session.add(FailureRow(origin=origin, reason=reason))


def list_failures(*, session: Session) -> list[tuple[str, str, str]]:
    rows = session.execute(select(FailureRow).order_by(FailureRow.id)).scalars()
    return [(row.created.isoformat(timespec="seconds"), row.origin, row.reason) for row in rows]


def article_id_for(*, session: Session, text: str) -> int | None:
    return session.execute(select(ArticleRow.id).where(ArticleRow.content_hash == content_hash(text))).scalar()


def latest_analysis(*, session: Session, article_id: int) -> dict | None:
    """The newest stored analysis document of an article."""
    row = session.execute(
        select(AnalysisRow.document)
        .where(AnalysisRow.article_id == article_id)
        .order_by(AnalysisRow.id.desc())
        .limit(1)
    ).scalar()
    return row


def list_articles(
    *, session: Session, query: str | None, outlet: str | None, offset: int, limit: int | None
) -> list[dict]:
    statement = (
        select(
            ArticleRow.id,
            ArticleRow.title,
            ArticleRow.source,
            ArticleRow.date,
            AnalysisRow.score,
            AnalysisRow.author_score,
        )
        .join(AnalysisRow, AnalysisRow.article_id == ArticleRow.id)
        .where(AnalysisRow.id.in_(newest_analysis_ids()))
        .order_by(ArticleRow.id.desc())
        .offset(offset)
        .limit(limit)
    )
    if query:
        statement = statement.where(ArticleRow.text.contains(query))
    if outlet:
        statement = statement.where(ArticleRow.source == outlet)
    return [dict(row._mapping) for row in session.execute(statement)]


SPAN_EXPORT_COLUMNS = (
    "article_id",
    "title",
    "source",
    "date",
    "start",
    "end",
    "technique",
    "confidence",
    "technique_confidence",
    "voice",
    "speaker",
    "text",
)


def export_spans(*, session: Session) -> list[tuple]:
    """Every span of every article's newest analysis, one row each, in SPAN_EXPORT_COLUMNS order."""
    rows = session.execute(
        select(
            ArticleRow.id,
            ArticleRow.title,
            ArticleRow.source,
            ArticleRow.date,
            SpanRow.start,
            SpanRow.end,
            SpanRow.technique,
            SpanRow.confidence,
            SpanRow.technique_confidence,
            SpanRow.voice,
            SpanRow.speaker,
            SpanRow.text,
        )
        .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id)
        .join(ArticleRow, AnalysisRow.article_id == ArticleRow.id)
        .where(AnalysisRow.id.in_(newest_analysis_ids()))
        .order_by(ArticleRow.id, SpanRow.start)
    )
    return [tuple(row) for row in rows]
