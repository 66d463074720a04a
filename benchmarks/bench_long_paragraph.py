"""Time of a whole analysis as one paragraph grows: does it stay linear in the paragraph's length?

Crawled text often comes as one line with no paragraph breaks. This builds such articles from
sentences written here (a reported claim, then a quotation, repeated with other numbers and
names), of a few lengths, and times ``analyse_article`` on each: the model, the parse, voice,
speaker and target. Each figure is the median of several runs in the same process; the
baseline is the shortest article, and the ratio is each article's time per sentence over the
baseline's (1.0 means linear; a time that grows with the square of the length doubles it with
each doubling of the length).

    python benchmarks/bench_long_paragraph.py --sentences 100 200 400 800 --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import time

from propscope.ingest.sources import article_from_text
from propscope.pipeline import analyse_article

SPEAKERS = ("Ann Price", "Tom Reyes", "Lena Park", "Omar Diaz")


def one_paragraph_article(sentences: int) -> str:
    pairs = (
        f"The vile harbour deal number {i} betrays the whole town, said councillor {i}. "
        f"“It is a disgrace and a theft,” {SPEAKERS[i % len(SPEAKERS)]} added."
        for i in range(sentences // 2)
    )
    return "Harbour Deal Row\n\n" + " ".join(pairs) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, nargs="+", default=[100, 200, 400, 800])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    analyse_article(article_from_text(one_paragraph_article(4)))  # load the model and spaCy first
    sizes = sorted(args.sentences)
    medians = {}
    for size in sizes:
        article = article_from_text(one_paragraph_article(size))
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            analyse_article(article)
            times.append(time.perf_counter() - started)
        medians[size] = statistics.median(times)

    baseline = medians[sizes[0]] / sizes[0]
    print(f"one paragraph, median of {args.runs} runs; baseline: {sizes[0]} sentences")
    for size in sizes:
        per_sentence = medians[size] / size
        print(
            f"{size:5d} sentences  {medians[size]:7.2f} s  {1000 * per_sentence:6.2f} ms per sentence"
            f"  ratio {per_sentence / baseline:.2f}"
        )


if __name__ == "__main__":
    main()
