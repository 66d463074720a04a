"""Time spent on voice, speaker and target against the spaCy parse they need, on annotated spans.

Each figure is the median of several runs over the same articles, measured in the same process:
- baseline: parsing the articles' paragraphs with spaCy (what attribution needs first);
- attribution: building the Attributor and Targeter and answering every annotated span, with
  targets chosen by the rules alone, then by the bundled ranker among the candidates. The
  ranker reads the tagging encoder's states, which the pipeline has from tagging; they are
  computed once here, outside the timings.

    python benchmarks/bench_attribution.py annotations/attribution-test8.tsv \
        --articles ../shared/datasets/semeval2020t11/train-articles --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import time
from functools import partial
from pathlib import Path

from propscope.attribution import Targeter
from propscope.attribution.ranking import RankedTargeter, bundled_ranker
from propscope.attribution_eval import annotated_texts, article_attributor
from propscope.segment import parse_regions
from propscope.tagging.onnx_tagger import bundled_tagger


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, nargs="+", help="annotation files (ids, offsets, labels)")
    parser.add_argument("--articles", type=Path, action="append", required=True, help="repeat for several folders")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    spans: dict[str, list[dict]] = {}
    texts: dict[str, str] = {}
    for path in args.gold:
        for aid, text, rows in annotated_texts(path, args.articles):
            spans.setdefault(aid, []).extend(rows)
            texts[aid] = text
    parse_regions("Warm-up.", [(0, 8)])  # load spaCy outside the timings

    ranker = bundled_ranker()
    states = {aid: bundled_tagger().tag_with_states(text)[1] for aid, text in texts.items()}

    def attribute(parsed: dict, ranked: bool) -> float:
        started = time.perf_counter()
        for aid, rows in spans.items():
            text = texts[aid]
            attributor = article_attributor(text, parsed[aid])
            targeter = Targeter(text, parsed[aid], attributor)
            finder = RankedTargeter(targeter, ranker, partial(states.__getitem__, aid)) if ranked else targeter
            for row in rows:
                start, end = int(row["start"]), int(row["end"])
                attributor.voice_of(start, end)
                finder.target_of(start, end, row["technique"])
        return time.perf_counter() - started

    parse_times, rules_times, ranked_times = [], [], []
    for _ in range(args.runs):
        parsed = {}
        started = time.perf_counter()
        for aid, text in texts.items():
            parsed[aid] = parse_regions(text, [(0, len(text))]).paragraphs
        parse_times.append(time.perf_counter() - started)
        rules_times.append(attribute(parsed, ranked=False))
        ranked_times.append(attribute(parsed, ranked=True))

    parse, rules, ranked = (statistics.median(t) for t in (parse_times, rules_times, ranked_times))
    count = sum(len(rows) for rows in spans.values())
    print(f"{len(texts)} articles, {count} spans, median of {args.runs} runs")
    print(f"baseline: spaCy parse          {parse * 1000 / len(texts):7.1f} ms per article")
    print(f"attribution, rules' targets    {rules * 1000 / len(texts):7.1f} ms per article")
    print(f"attribution, ranked targets    {ranked * 1000 / len(texts):7.1f} ms per article")
    print(f"ranked attribution / parse     {ranked / parse:7.2f}")
    print(f"ranked / rules                 {ranked / rules:7.2f}")


if __name__ == "__main__":
    main()
