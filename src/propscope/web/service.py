"""What each page shows, as data: the HTML pages and their JSON twins both come from here."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import asdict, dataclass, replace

from propscope.document import Article, is_calendar_day
from propscope.errors import InputError, ModelError
from propscope.ingest.decoding import DEFAULT_MAX_BYTES
from propscope.ingest.sources import ReadOptions, article_from_text, checked_outlet, read_bytes, read_url
from propscope.pipeline import analyse_article
from propscope.store import repository
from propscope.store.database import Store
from propscope.store.repository import (
    ALL_TIME,
    ArticleFilter,
    Period,
    article_id_for,
    count_articles,
    latest_analysis,
    list_articles,
    save_analysis,
)
from propscope.store.stats import group_stats, monthly_scores, speakers_per_outlet, targets_per_outlet, top_phrases
from propscope.techniques import TECHNIQUES
from propscope.versions import analysis_version

PAGE_SIZE = 50


class NotFound(Exception):
    pass


class Busy(Exception):
    pass


#: the model already uses every core for one article; analyses run one at a time, first come first
#: served, rather than all slowing each other down
MODEL_LOCK = threading.Lock()
#: analyses waiting or running; each holds one of the server's request threads, and the rest must
#: stay free for pages
ANALYSIS_SLOTS = threading.BoundedSemaphore(16)


@dataclass(frozen=True)
class StoredArticle:
    """An analysed article as the store holds it."""

    id: int
    #: False when this text from this outlet was already stored with this model's analysis, which
    #: is then what the article shows
    added: bool


def store_article(store: Store, article: Article) -> int:
    """Analyse an article, store it (once per text and model), return its id."""
    return store_articles(store, [article])[0].id


def store_articles(store: Store, articles: list[Article]) -> list[StoredArticle]:
    """Analyse articles and store them in one transaction (each once per text and model), so that a
    failure stores none of them; their ids, in order, each saying whether it was new."""
    if not ANALYSIS_SLOTS.acquire(blocking=False):
        raise Busy("too many analyses are waiting; try again in a few seconds")
    try:
        analyses = []
        for article in articles:
            # the model is taken one article at a time, so others' analyses take turns with a long upload
            with MODEL_LOCK:
                analyses.append(analyse_article(article))
    finally:
        ANALYSIS_SLOTS.release()
    with store.transaction() as session:
        added = [save_analysis(session=session, analysis=analysis) for analysis in analyses]
        session.flush()
        return [
            StoredArticle(article_id_for(session=session, text=a.text, source=a.source), new)
            for a, new in zip(articles, added, strict=True)
        ]


def add_bundled_examples(store: Store) -> int:
    """Analyse the example articles that ship with propscope into an empty store, so a first start
    shows a working corpus and dashboard; a store that holds anything is left alone."""
    from importlib import resources

    from propscope.ingest.sources import read_articles
    from propscope.pipeline import default_tagger

    with store.transaction() as session:
        if count_articles(session=session) > 0:
            return 0
    examples = resources.files("propscope") / "examples" / "articles.jsonl"
    with resources.as_file(examples) as path:
        articles = [a for a in read_articles(str(path)) if isinstance(a, Article)]
    tagger = default_tagger()
    analyses = [analyse_article(article, tagger) for article in articles]
    with store.transaction() as session:
        return sum(save_analysis(session=session, analysis=analysis) for analysis in analyses)


def checked_day(value: str | None) -> str | None:
    """A date typed into the workbench, or an error a person can act on (an empty field is none)."""
    if value and not is_calendar_day(value):
        raise InputError(f"date {value!r}: expected a day as YYYY-MM-DD")
    return value or None


def checked_metadata(*, outlet: str | None, date: str | None) -> dict[str, str]:
    """The outlet and date typed into the workbench as article fields, checked; empty ones left out."""
    fields = {"source": checked_outlet(outlet or None, "outlet"), "date": checked_day(date)}
    return {name: value for name, value in fields.items() if value}


def pasted_article(text: str, *, outlet: str | None, date: str | None) -> Article:
    """An article from pasted text; browsers send line ends as CRLF, which become LF."""
    if len(text.encode("utf-8")) > DEFAULT_MAX_BYTES:
        raise InputError(f"the text is over the size limit of {DEFAULT_MAX_BYTES:,} bytes")
    metadata = checked_metadata(outlet=outlet, date=date)
    return article_from_text(text.replace("\r\n", "\n"), origin="<pasted>", **metadata)


def analyse_text(store: Store, *, text: str, outlet: str | None = None, date: str | None = None) -> int:
    """Analyse pasted text and store it; its id."""
    return store_article(store, pasted_article(text, outlet=outlet, date=date))


def analyse_submission(
    store: Store, *, text: str, url: str, uploads: list[tuple[str, bytes]], outlet: str, date: str
) -> list[StoredArticle]:
    """Analyse what the analyse form was given: pasted text, a URL or files (text, HTML, JSONL or
    CSV), exactly one of them; the stored articles. Everything is checked and read before anything
    is analysed, and stored in one transaction, so a refused request stores nothing."""
    address = url.strip()
    given = [kind for kind, value in (("text", text.strip()), ("a URL", address), ("files", uploads)) if value]
    if not given:
        raise InputError("paste an article, give a URL or choose a file first")
    if len(given) > 1:
        raise InputError(f"give text, a URL or files, not more than one (this request has {' and '.join(given)})")
    if "text" in given:
        return store_articles(store, [pasted_article(text, outlet=outlet, date=date)])
    metadata = checked_metadata(outlet=outlet, date=date)
    options = ReadOptions(max_bytes=DEFAULT_MAX_BYTES)
    if address:
        if not address.startswith(("http://", "https://")):
            raise InputError(f"{address}: a URL starts with http:// or https://")
        articles = [read_url(address, options)]
    else:
        articles = [a for name, data in uploads for a in read_bytes(data, name, options) if isinstance(a, Article)]
        if not articles:
            raise InputError(f"{', '.join(name for name, _ in uploads)}: no article in these files")
    stored = store_articles(store, [replace(article, **metadata) for article in articles])
    # the same article uploaded twice is stored once, and is one article to show: its first
    # upload says whether it was new (the second always finds the first)
    first_of_each: dict[int, StoredArticle] = {}
    for article in stored:
        first_of_each.setdefault(article.id, article)
    return list(first_of_each.values())


def reanalyse_article(store: Store, article_id: int) -> int:
    """Analyse a stored article again with the installed model and attribution, unless they analysed
    it last; earlier analyses stay stored."""
    from propscope.batch.local import model_version

    with store.transaction() as session:
        document = latest_analysis(session=session, article_id=article_id)
    if document is None:
        raise NotFound(f"no article {article_id}")
    if analysis_version(document["model"]) == model_version():
        return article_id
    return store_article(store, Article.from_dict(document["article"]))


def outdated(page: dict) -> bool:
    """Whether another model or attribution than the installed ones made this analysis (not said
    when the installed model cannot be read: the page still shows what is stored)."""
    from propscope.batch.local import model_version

    try:
        return analysis_version(page["model"]) != model_version()
    except ModelError:
        return False


def article_page(store: Store, article_id: int) -> dict:
    with store.transaction() as session:
        document = latest_analysis(session=session, article_id=article_id)
    if document is None:
        raise NotFound(f"no article {article_id}")
    return {"id": article_id, **document}


def articles_page(store: Store, *, where: ArticleFilter, page: int) -> dict:
    if page < 1:
        raise InputError("page must be 1 or more")
    with store.transaction() as session:
        total = count_articles(session=session, where=where)
        rows = list_articles(session=session, where=where, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return {
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "total": total,
        "filter": asdict(where),
        "articles": rows,
    }


def outlet_names(store: Store) -> list[str]:
    with store.transaction() as session:
        return repository.outlet_names(session=session)


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


def dashboard_page(
    store: Store,
    *,
    first: str | None,
    second: str | None,
    period: Period = ALL_TIME,
    min_target_confidence: float | None = None,
    min_speaker_confidence: float | None = None,
) -> dict:
    """Technique mix per outlet, score over time, two outlets side by side, repeated phrases,
    whom each outlet's propaganda is aimed at and whose words it is."""
    with store.transaction() as session:
        outlets = group_stats(session=session, by="outlet", period=period)
        compared = [o for o in (first, second) if o]
        series = monthly_scores(session=session, outlets=compared or [g.key for g in outlets[:6]], period=period)
        phrases = top_phrases(session=session, period=period)
        targets = targets_per_outlet(session=session, period=period, min_confidence=min_target_confidence)
        speakers = speakers_per_outlet(session=session, period=period, min_confidence=min_speaker_confidence)
    by_name = {g.key: g for g in outlets}
    if not outlets:
        # a period without articles is the page's own notice, whatever outlets were asked for
        compared = []
    for name in compared:
        if name not in by_name:
            raise NotFound(f"no articles from outlet {name!r} in this period")
    overall: Counter = Counter()
    for group in outlets:
        overall.update(group.techniques)
    return {
        "period": {"date_from": period.since, "date_to": period.until},
        "technique_mix": {
            "techniques": [t for t, _ in overall.most_common()],
            "outlets": [
                {
                    "outlet": g.key,
                    "spans": g.spans,
                    "shares": {t: round(n / g.spans, 3) for t, n in g.techniques.most_common()} if g.spans else {},
                }
                for g in outlets
            ],
        },
        "outlets": [g.as_dict() | {"techniques": dict(g.techniques)} for g in outlets],
        "compare": [by_name[name].as_dict() | {"techniques": dict(by_name[name].techniques)} for name in compared],
        "score_by_month": {
            name: [{"month": m, "mean_score": s, "articles": n} for m, s, n in points]
            for name, points in series.items()
        },
        "top_phrases": [{"phrase": p, "uses": u, "outlets": o} for p, u, o in phrases],
        "targets_per_outlet": {o: [{"target": t, "spans": n} for t, n in top] for o, top in targets.items()},
        "min_target_confidence": min_target_confidence,
        "speakers_per_outlet": {o: [{"speaker": s, "spans": n} for s, n in top] for o, top in speakers.items()},
        "min_speaker_confidence": min_speaker_confidence,
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
