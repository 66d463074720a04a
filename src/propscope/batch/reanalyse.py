"""Articles in a store that an older (or other) model version analysed, read back for a new analysis."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from propscope.document import Article
from propscope.ingest.sources import article_from_text
from propscope.store.database import Store
from propscope.store.repository import count_outdated, outdated_articles
from propscope.store.schema import ArticleRow

PAGE = 200


def article_from_row(row: ArticleRow) -> Article:
    """A stored article as it was read, to be analysed again."""
    origin = row.origin or f"article {row.id}"
    article = article_from_text(row.text, origin=origin, source=row.source, date=row.date, url=row.url)
    # the stored title may have come with the record rather than from the text
    return replace(article, title=row.title or article.title)


def count_to_reanalyse(store: Store, model_version: str) -> int:
    with store.transaction() as session:
        return count_outdated(session=session, model_version=model_version)


def articles_to_reanalyse(store: Store, model_version: str) -> Iterator[Article]:
    """Stored articles whose newest analysis is not by ``model_version``, page by page in id order, so
    analyses stored while this runs neither hide nor repeat an article."""
    after = 0
    while True:
        with store.transaction() as session:
            rows = outdated_articles(session=session, model_version=model_version, after_id=after, limit=PAGE)
        if not rows:
            return
        yield from (article_from_row(row) for row in rows)
        after = rows[-1].id
