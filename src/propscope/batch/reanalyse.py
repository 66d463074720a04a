"""Articles in a store that an older (or other) model version analysed, read back for a new analysis."""

from __future__ import annotations

from collections.abc import Iterator

from propscope.document import Article
from propscope.store.database import Store
from propscope.store.repository import count_outdated, outdated_articles

PAGE = 200


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
        # the article as it was read, layout included (a title that came with a record is not
        # the first line of its text), from its newest analysis
        yield from (Article.from_dict(document["article"]) for _, document in rows)
        after = rows[-1][0]
