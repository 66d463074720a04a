"""propscope: find propaganda techniques in news articles, fragment by fragment."""

from propscope.document import Analysis, Article, Span, Summary
from propscope.errors import BadRecordError, InputError, MissingExtraError, ModelError, PropscopeError
from propscope.ingest.sources import BadRecord, ReadOptions
from propscope.pipeline import AnalysisOptions, analyze, analyze_many
from propscope.tagging.base import TaggedSpan, Tagger

__all__ = [
    "Analysis",
    "AnalysisOptions",
    "Article",
    "BadRecord",
    "BadRecordError",
    "InputError",
    "MissingExtraError",
    "ModelError",
    "PropscopeError",
    "ReadOptions",
    "Span",
    "Summary",
    "TaggedSpan",
    "Tagger",
    "analyze",
    "analyze_many",
]
