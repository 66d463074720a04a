"""What each page shows, as data: the HTML pages and their JSON twins both come from here."""

from __future__ import annotations

from dataclasses import replace

from propscope.document import Article
from propscope.errors import InputError
from propscope.ingest.decoding import DEFAULT_MAX_BYTES
from propscope.ingest.sources import ReadOptions, article_from_text, read_bytes, read_url
from propscope.pipeline import analyse_article
from propscope.store.database import Store
from propscope.store.repository import article_id_for, latest_analysis, list_articles, save_analysis
from propscope.techniques import TECHNIQUES

PAGE_SIZE = 50


class NotFound(Exception):
    pass


def store_article(store: Store, article: Article) -> int:
    """Analyse an article, store it (once per text and model), return its id."""
    analysis = analyse_article(article)
    with store.transaction() as session:
        save_analysis(session=session, analysis=analysis)
        session.flush()
        return article_id_for(session=session, text=article.text)


def analyse_text(store: Store, *, text: str, outlet: str | None = None, date: str | None = None) -> int:
    """Analyse pasted text; browsers send line ends as CRLF, which become LF."""
    if len(text.encode("utf-8")) > DEFAULT_MAX_BYTES:
        raise InputError(f"the text is over the size limit of {DEFAULT_MAX_BYTES:,} bytes")
    text = text.replace("\r\n", "\n")
    return store_article(store, article_from_text(text, origin="<pasted>", source=outlet or None, date=date or None))


def analyse_sources(
    store: Store, *, uploads: list[tuple[str, bytes]], url: str | None, outlet: str | None, date: str | None
) -> list[int]:
    """Analyse uploaded files (text, HTML, JSONL or CSV) and a URL; ids of the stored articles."""
    options = ReadOptions(max_bytes=DEFAULT_MAX_BYTES)
    articles: list[Article] = []
    if url:
        if not url.startswith(("http://", "https://")):
            raise InputError(f"{url}: a URL starts with http:// or https://")
        articles.append(read_url(url, options))
    for name, data in uploads:
        articles.extend(a for a in read_bytes(data, name or "upload.txt", options) if isinstance(a, Article))
    metadata = {k: v for k, v in (("source", outlet), ("date", date)) if v}
    return [store_article(store, replace(article, **metadata)) for article in articles]


def article_page(store: Store, article_id: int) -> dict:
    with store.transaction() as session:
        document = latest_analysis(session=session, article_id=article_id)
    if document is None:
        raise NotFound(f"no article {article_id}")
    return {"id": article_id, **document}


def articles_page(store: Store, *, query: str | None, outlet: str | None, page: int) -> dict:
    if page < 1:
        raise InputError("page must be 1 or more")
    with store.transaction() as session:
        rows = list_articles(
            session=session, query=query, outlet=outlet, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    return {"page": page, "query": query, "outlet": outlet, "articles": rows}


def techniques_page() -> dict:
    return {
        "techniques": [
            {
                "id": t.id,
                "name": t.name,
                "definition": t.definition,
                "why_misleading": t.why_misleading,
                "colour": t.colour,
            }
            for t in TECHNIQUES
        ]
    }


def dashboard_page(store: Store, *, first: str | None, second: str | None) -> dict:
    """Technique mix per outlet, score over time, two outlets side by side, repeated phrases."""
    from propscope.store.stats import group_stats, monthly_scores, targets_per_outlet, top_phrases

    with store.transaction() as session:
        outlets = group_stats(session=session, by="outlet")
        compared = [o for o in (first, second) if o]
        series = monthly_scores(session=session, outlets=compared or [g.key for g in outlets[:6]])
        phrases = top_phrases(session=session)
        targets = targets_per_outlet(session=session)
    by_name = {g.key: g for g in outlets}
    for name in compared:
        if name not in by_name:
            raise NotFound(f"no articles from outlet {name!r}")
    return {
        "outlets": [g.as_dict() | {"techniques": dict(g.techniques)} for g in outlets],
        "compare": [by_name[name].as_dict() | {"techniques": dict(by_name[name].techniques)} for name in compared],
        "score_by_month": {
            name: [{"month": m, "mean_score": s, "articles": n} for m, s, n in points]
            for name, points in series.items()
        },
        "top_phrases": [{"phrase": p, "uses": u, "outlets": o} for p, u, o in phrases],
        "targets_per_outlet": {o: [{"target": t, "spans": n} for t, n in top] for o, top in targets.items()},
    }


def echo_page(store: Store, *, window: str, min_outlets: int) -> dict:
    """Propaganda phrases repeated by several outlets within a time window."""
    from propscope.store.echo import find_echoes, parse_window

    try:
        span = parse_window(window)
    except ValueError as error:
        raise InputError(str(error)) from None
    with store.transaction() as session:
        echoes = find_echoes(session=session, window=span, min_outlets=min_outlets)
    return {"window": window, "min_outlets": min_outlets, "echoes": [e.as_dict() for e in echoes]}
