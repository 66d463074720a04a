"""The flat row a batch run writes per article to Parquet, the same for every engine."""

from __future__ import annotations

import json

from propscope.document import Analysis
from propscope.store.database import content_hash
from propscope.versions import analysis_version

#: column -> pyarrow type name; one row per article, failures included with their reason
COLUMNS = {
    "content_hash": "string",
    "origin": "string",
    "article_id": "string",
    "title": "string",
    "source": "string",
    "date": "string",
    "url": "string",
    "status": "string",  # "analysed" or "failed"
    "error": "string",
    "model_name": "string",
    "model_version": "string",
    "score": "int32",
    "author_score": "int32",
    "spans": "int32",
    "analysis_json": "string",  # the whole analysis, schema propscope-analysis/1
}


def arrow_schema():
    import pyarrow as pa

    types = {"string": pa.string(), "int32": pa.int32()}
    return pa.schema([(name, types[kind]) for name, kind in COLUMNS.items()])


def analysis_row(analysis: Analysis) -> dict:
    article = analysis.article
    return {
        "content_hash": content_hash(article.text, article.source),
        "origin": article.origin,
        "article_id": article.article_id,
        "title": article.title,
        "source": article.source,
        "date": article.date,
        "url": article.url,
        "status": "analysed",
        "error": None,
        "model_name": analysis.model.get("name"),
        "model_version": analysis_version(analysis.model),
        "score": analysis.summary.score,
        "author_score": analysis.summary.author_score,
        "spans": len(analysis.spans),
        "analysis_json": json.dumps(analysis.to_dict(), ensure_ascii=False),
    }


def failure_row(origin: str, reason: str, model_version: str | None = None) -> dict:
    row = dict.fromkeys(COLUMNS)
    return row | {"origin": origin, "status": "failed", "error": reason, "model_version": model_version}
