"""Time of ``propscope echo`` over a store of spans, against the lemmatising it cannot do without.

Echo reads each span's words (lemmas, which the analysis finds and which are stored with the
span), then counts the phrases each span offers (the whole of a short span, and
the runs of words inside a longer one) per outlet and window. This fills a SQLite store with
synthetic articles (words written here, spans as long as the training corpus's, from four outlets
over a month) and times ``find_echoes``; the baseline, measured in the same run, is lemmatising
the same span texts, which echo had to do on every request before the words were stored.

    python benchmarks/bench_echo.py --spans 2000 8000 --runs 3
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from propscope.document import Analysis, Article, Span, Summary
from propscope.phrases import normalise
from propscope.store.database import Store
from propscope.store.echo import find_echoes
from propscope.store.repository import save_analysis
from propscope.store.schema import SpanRow

OUTLETS = ("Herald", "Courier", "Gazette", "Tribune")
SENTENCE = (
    "greedy vultures of the harbour board betray the honest dockers again while corrupt "
    "officials hide the shameful deal from every family in the town and laugh at the law"
)
SPANS_PER_ARTICLE = 10


def span_length(rng: random.Random) -> int:
    """Words in a span, distributed as in the training corpus: 73 % of its spans have up to 8
    words, 90 % up to 20."""
    low, high = rng.choices([(1, 8), (9, 20), (21, 40)], weights=[73, 17, 10])[0]
    return rng.randint(low, high)


def fill(store: Store, spans: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    words = SENTENCE.split()
    with store.transaction() as session:
        for number in range(spans // SPANS_PER_ARTICLE):
            phrases = [" ".join(rng.choices(words, k=span_length(rng))) for _ in range(SPANS_PER_ARTICLE)]
            text = f"Article {number}\n\n" + ".\n".join(phrases) + ".\n"
            day = (date(2026, 3, 1) + timedelta(days=rng.randrange(30))).isoformat()
            found, position = [], text.index("\n\n") + 2
            for phrase in phrases:
                end = position + len(phrase)
                found.append(Span(position, end, phrase, "Loaded_Language", "Loaded Language", 0.9, 0.8, "", None))
                position = end + 2
            article = Article(text=text, title=f"Article {number}", source=OUTLETS[number % 4], date=day)
            summary = Summary({"Loaded_Language": len(found)}, len(found), len(found), 1.0, 50, 50)
            # the words an analysis finds for echo
            found_words = tuple(normalise(phrases))
            model = {"name": "bench", "version": "bench"}
            analysis = Analysis(article, tuple(found), (), summary, model=model, span_words=found_words)
            save_analysis(session=session, analysis=analysis)


def median_seconds(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, nargs="+", default=[2000, 8000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    normalise(["warm up the lemmatiser"])
    print(f"median of {args.runs} runs; baseline: lemmatising the same spans")
    for spans in args.spans:
        with tempfile.TemporaryDirectory() as folder:
            store = Store(f"sqlite:///{Path(folder) / 'echo.db'}")
            fill(store, spans)
            with store.transaction() as session:
                texts = list(session.execute(select(SpanRow.text)).scalars())

                def echo(session=session) -> None:
                    find_echoes(session=session, window=timedelta(days=7))

                baseline = median_seconds(lambda texts=texts: normalise(texts), args.runs)
                total = median_seconds(echo, args.runs)
            store.engine.dispose()
        print(f"{spans:>6} spans  lemmatising {baseline:6.2f} s  echo {total:6.2f} s  ratio {total / baseline:.2f}")


if __name__ == "__main__":
    main()
