"""Reads and writes of analyses; keyword-only, one session passed in."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import column, exists, func, literal_column, select, text
from sqlalchemy.orm import Session

from propscope.document import NO_FILTERS, Analysis, is_calendar_day
from propscope.errors import InputError
from propscope.store.database import content_hash
from propscope.store.schema import AnalysisRow, ArticleRow, FailureRow, SpanRow
from propscope.techniques import TECHNIQUE_IDS
from propscope.versions import MAX_VERSION_CHARS, analysis_version


def newest_analysis_ids():
    """A subquery of the id of each article's newest analysis: what the workbench shows."""
    return select(func.max(AnalysisRow.id)).group_by(AnalysisRow.article_id)


def analysed_hashes(*, session: Session, hashes: Iterable[str], model_version: str) -> set[str]:
    """Which of these article hashes already have an analysis by this model and attribution version
    (``versions.analysis_version``)."""
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
    """Store an analysis unless this model and attribution version have analysed the same text; True
    when stored."""
    article = analysis.article
    digest = content_hash(article.text, article.source)
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
    version = analysis_version(analysis.model)
    if len(version) > MAX_VERSION_CHARS:
        # PostgreSQL would refuse it, and SQLite would keep what PostgreSQL cannot
        raise InputError(f"model version {version!r} is too long to store (over {MAX_VERSION_CHARS} characters)")
    existing = session.execute(
        select(AnalysisRow.id).where(AnalysisRow.article_id == row.id, AnalysisRow.model_version == version)
    ).first()
    if existing is not None:
        return False
    # the words the analysis found for echo; none for an analysis made without them
    words = analysis.span_words or (None,) * len(analysis.spans)
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
                    voice_confidence=s.voice_confidence,
                    speaker_confidence=s.speaker_confidence,
                    target=s.target,
                    target_confidence=s.target_confidence,
                    words=None if span_words is None else [list(word) for word in span_words],
                )
                for s, span_words in zip(analysis.spans, words, strict=True)
            ],
        )
    )
    return True


def _outdated(model_version: str):
    """Articles whose newest analysis is by another model or attribution version."""
    return (
        select(ArticleRow.id, AnalysisRow.document)
        .join(AnalysisRow, AnalysisRow.article_id == ArticleRow.id)
        .where(AnalysisRow.id.in_(newest_analysis_ids()), AnalysisRow.model_version != model_version)
    )


def outdated_articles(*, session: Session, model_version: str, after_id: int, limit: int) -> list[tuple[int, dict]]:
    """A page (by id, after ``after_id``) of the articles another model or attribution version analysed last:
    (article id, its newest analysis document)."""
    statement = _outdated(model_version).where(ArticleRow.id > after_id).order_by(ArticleRow.id).limit(limit)
    return [(row.id, row.document) for row in session.execute(statement)]


def count_outdated(*, session: Session, model_version: str) -> int:
    return session.execute(select(func.count()).select_from(_outdated(model_version).subquery())).scalar_one()


def record_failure(*, session: Session, origin: str, reason: str) -> None:
    """Record why an article failed, once: a rerun that meets the same failure adds nothing."""
    known = session.execute(
        select(FailureRow.id).where(FailureRow.origin == origin, FailureRow.reason == reason).limit(1)
    ).first()
    if known is None:
        session.add(FailureRow(origin=origin, reason=reason))


def list_failures(*, session: Session) -> list[tuple[str, str, str]]:
    rows = session.execute(select(FailureRow).order_by(FailureRow.id)).scalars()
    return [(row.created.isoformat(timespec="seconds"), row.origin, row.reason) for row in rows]


def article_id_for(*, session: Session, text: str, source: str | None) -> int | None:
    digest = content_hash(text, source)
    return session.execute(select(ArticleRow.id).where(ArticleRow.content_hash == digest)).scalar()


def latest_analysis(*, session: Session, article_id: int) -> dict | None:
    """The newest stored analysis document of an article."""
    row = session.execute(
        select(AnalysisRow.document)
        .where(AnalysisRow.article_id == article_id)
        .order_by(AnalysisRow.id.desc())
        .limit(1)
    ).scalar()
    if row is not None:
        # a store keeps whole analyses, never filtered ones; those stored before the JSON said so
        row.setdefault("filters", dict(NO_FILTERS))
    return row


SORT_COLUMNS = {
    "added": ArticleRow.id,
    "date": ArticleRow.date,
    "score": AnalysisRow.score,
    "author_score": AnalysisRow.author_score,
    "title": ArticleRow.title,
}


MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def check_day(name: str, value: str | None) -> str | None:
    """A date bound as the user gave it under ``name``, or an InputError that says what is wrong."""
    month = bool(value) and MONTH.fullmatch(value) and 1 <= int(value[5:7]) <= 12
    if value and not (month or (len(value) == 10 and is_calendar_day(value))):
        raise InputError(f"{name} must be a day as YYYY-MM-DD (or a month as YYYY-MM), not {value!r}")
    return value or None


@dataclass(frozen=True)
class Period:
    """Articles dated from ``since`` to ``until``, both included; open where None. A bound is a day
    or a month, and an article's date is compared on as many leading characters as the bound has:
    its time part (and any collation's view of it) never matters, and a month means all its days."""

    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        if self.since and self.until:
            common = min(len(self.since), len(self.until))
            if self.since[:common] > self.until[:common]:
                raise InputError(f"the period starts ({self.since}) after it ends ({self.until})")

    def limit(self, query):
        if self.since:
            query = query.where(func.substr(ArticleRow.date, 1, len(self.since)) >= self.since)
        if self.until:
            query = query.where(func.substr(ArticleRow.date, 1, len(self.until)) <= self.until)
        return query


ALL_TIME = Period()


@dataclass(frozen=True)
class ArticleFilter:
    """What the corpus view asks for; ``sort`` is a key of SORT_COLUMNS, '-' first for descending."""

    query: str | None = None
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    technique: str | None = None
    min_score: int | None = None
    max_score: int | None = None
    sort: str = "-added"

    def __post_init__(self) -> None:
        if self.sort.lstrip("-") not in SORT_COLUMNS:
            raise InputError(
                f"sort must be one of {', '.join(SORT_COLUMNS)} (with '-' for descending), not {self.sort!r}"
            )
        check_day("date_from", self.date_from)
        check_day("date_to", self.date_to)
        Period(self.date_from, self.date_to)  # refuses a period that ends before it starts
        if self.technique and self.technique not in TECHNIQUE_IDS:
            raise InputError(f"unknown technique {self.technique!r}")
        if self.min_score is not None and self.max_score is not None and self.min_score > self.max_score:
            # as a period that ends before it starts: no article can match, which is surely a slip
            raise InputError(f"min_score {self.min_score} is above max_score {self.max_score}")


def search_terms(query: str) -> list[str]:
    """What the user asked for, as terms that must all appear: each "quoted phrase" is one term,
    every other word another. Only word characters survive, so no term can carry an operator of
    either backend's query syntax, and both backends read the same query the same way."""
    terms = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query):
        words = re.findall(r"\w+", phrase or word)
        if words:
            terms.append(" ".join(words))
    return terms


def full_text_match(session: Session, query: str):
    """A condition on ArticleRow: the title or text holds every term of ``query``, stemmed."""
    terms = search_terms(query)
    if session.get_bind().dialect.name == "postgresql":
        tsquery = func.phraseto_tsquery("english", terms[0])
        for term in terms[1:]:
            tsquery = tsquery.op("&&")(func.phraseto_tsquery("english", term))
        return literal_column("articles.search").op("@@")(tsquery)
    fts5 = " ".join(f'"{term}"' for term in terms)
    matches = text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q").bindparams(q=fts5)
    return ArticleRow.id.in_(matches.columns(column("rowid")))


def _filtered_articles(session: Session, where: ArticleFilter):
    statement = (
        select(
            ArticleRow.id,
            ArticleRow.title,
            ArticleRow.source,
            ArticleRow.date,
            AnalysisRow.score,
            AnalysisRow.author_score,
            AnalysisRow.model_version,
        )
        .join(AnalysisRow, AnalysisRow.article_id == ArticleRow.id)
        .where(AnalysisRow.id.in_(newest_analysis_ids()))
    )
    if where.query and search_terms(where.query):
        statement = statement.where(full_text_match(session, where.query))
    if where.outlet:
        statement = statement.where(ArticleRow.source == where.outlet)
    statement = Period(where.date_from, where.date_to).limit(statement)
    if where.min_score is not None:
        statement = statement.where(AnalysisRow.score >= where.min_score)
    if where.max_score is not None:
        statement = statement.where(AnalysisRow.score <= where.max_score)
    if where.technique:
        statement = statement.where(
            exists().where(SpanRow.analysis_id == AnalysisRow.id, SpanRow.technique == where.technique)
        )
    return statement


def list_articles(
    *, session: Session, where: ArticleFilter | None = None, offset: int = 0, limit: int | None = None
) -> list[dict]:
    """The newest analysis of each article that passes ``where``, sorted and paged."""
    where = where or ArticleFilter()
    column_ = SORT_COLUMNS[where.sort.lstrip("-")]
    # articles without a date or title come last either way, on every backend
    order = (column_.desc() if where.sort.startswith("-") else column_.asc()).nulls_last()
    statement = _filtered_articles(session, where).order_by(order, ArticleRow.id.desc()).offset(offset).limit(limit)
    return [dict(row._mapping) for row in session.execute(statement)]


def outlet_names(*, session: Session) -> list[str]:
    return list(
        session.execute(
            select(ArticleRow.source).where(ArticleRow.source.is_not(None)).distinct().order_by(ArticleRow.source)
        ).scalars()
    )


def count_articles(*, session: Session, where: ArticleFilter | None = None) -> int:
    inner = _filtered_articles(session, where or ArticleFilter()).subquery()
    return session.execute(select(func.count()).select_from(inner)).scalar_one()


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
    "target",
    "target_confidence",
    "text",
    "voice_confidence",
    "speaker_confidence",
)


def export_spans(*, session: Session, where: ArticleFilter | None = None) -> list[tuple]:
    """Every span of the newest analysis of each article that passes ``where``, one row each, in
    SPAN_EXPORT_COLUMNS order; with a technique asked for, only that technique's spans."""
    where = where or ArticleFilter()
    chosen = _filtered_articles(session, where).with_only_columns(ArticleRow.id)
    statement = (
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
            SpanRow.target,
            SpanRow.target_confidence,
            SpanRow.text,
            SpanRow.voice_confidence,
            SpanRow.speaker_confidence,
        )
        .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id)
        .join(ArticleRow, AnalysisRow.article_id == ArticleRow.id)
        .where(AnalysisRow.id.in_(newest_analysis_ids()), ArticleRow.id.in_(chosen))
        .order_by(ArticleRow.id, SpanRow.start)
    )
    if where.technique:
        statement = statement.where(SpanRow.technique == where.technique)
    return [tuple(row) for row in session.execute(statement)]
