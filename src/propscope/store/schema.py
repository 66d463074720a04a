"""Tables. Articles are unique by a hash of their text and outlet; each analysis records its model version."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from propscope.document import MAX_OUTLET_CHARS
from propscope.versions import MAX_VERSION_CHARS


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(MAX_OUTLET_CHARS), index=True)
    date: Mapped[str | None] = mapped_column(String(40), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str | None] = mapped_column(Text)
    added: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    analyses: Mapped[list[AnalysisRow]] = relationship(back_populates="article", cascade="all, delete-orphan")


class AnalysisRow(Base):
    __tablename__ = "analyses"
    __table_args__ = (UniqueConstraint("article_id", "model_version", name="one_analysis_per_model"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    model_name: Mapped[str] = mapped_column(String(100))
    model_version: Mapped[str] = mapped_column(String(MAX_VERSION_CHARS))
    score: Mapped[int] = mapped_column(Integer, index=True)
    author_score: Mapped[int] = mapped_column(Integer)
    #: the whole analysis as JSON (schema propscope-analysis/1)
    document: Mapped[dict] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    article: Mapped[ArticleRow] = relationship(back_populates="analyses")
    spans: Mapped[list[SpanRow]] = relationship(back_populates="analysis", cascade="all, delete-orphan")


class SpanRow(Base):
    __tablename__ = "spans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analyses.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    technique: Mapped[str] = mapped_column(String(60), index=True)
    confidence: Mapped[float] = mapped_column(Float)
    technique_confidence: Mapped[float] = mapped_column(Float)
    voice: Mapped[str] = mapped_column(String(20))
    speaker: Mapped[str | None] = mapped_column(Text)
    voice_confidence: Mapped[float | None] = mapped_column(Float)
    speaker_confidence: Mapped[float | None] = mapped_column(Float)
    target: Mapped[str | None] = mapped_column(Text)
    target_confidence: Mapped[float | None] = mapped_column(Float)
    #: the span's words as echo compares them: [lemma, is a stop word] pairs (see store.echo)
    words: Mapped[list | None] = mapped_column(JSON)
    analysis: Mapped[AnalysisRow] = relationship(back_populates="spans")


class FailureRow(Base):
    __tablename__ = "failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    origin: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


def described_by_models(name: str | None, type_: str, _parents: dict) -> bool:
    """False for the full-text search objects migration 0002 makes by hand (FTS5 tables, the tsvector
    column and its index), so comparing the database with these models ignores them."""
    name = name or ""
    return not (
        (type_ == "table" and name.startswith("articles_fts"))
        or (type_ == "column" and name == "search")
        or (type_ == "index" and name == "articles_search")
    )
