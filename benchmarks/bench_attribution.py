"""Time spent on voice, speaker and target against the spaCy parse they need, on annotated spans.

Each figure is the median of several runs over the same articles, measured in the same process:
- baseline: parsing the articles' paragraphs with spaCy (what attribution needs first);
- attribution: building the Attributor and Targeter and answering every annotated span, with
  targets chosen by the rules alone, then by the bundled ranker among the candidates. The
  ranker reads the tagging encoder's states, which the pipeline has from tagging; they are
  computed once here, outside the timings. With a fine-tuned chooser (``--chooser DIR``, or the
  bundled one when one ships), also by the chooser, which runs its own encoder once per span
  aimed at someone. With the rules' targets, also with the confidence of each voice and speaker
  (``confident``), which the pipeline always adds.

    python benchmarks/bench_attribution.py annotations/attribution-test8.tsv \
        --articles ../shared/datasets/semeval2020t11/train-articles --runs 5 [--chooser DIR]
"""

from __future__ import annotations

import argparse
import statistics
import time
from functools import partial
from pathlib import Path

from propscope.attribution import Targeter
from propscope.attribution.chooser import TargetChooser
from propscope.attribution.confidence import bundled_attribution_confidence
from propscope.attribution.ranking import RankedTargeter, TargetFinder, bundled_chooser, bundled_ranker
from propscope.attribution_eval import annotated_texts, article_attributor
from propscope.segment import parse_regions
from propscope.tagging.onnx_tagger import bundled_tagger


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, nargs="+", help="annotation files (ids, offsets, labels)")
    parser.add_argument("--articles", type=Path, action="append", required=True, help="repeat for several folders")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chooser", type=Path, help="a fine-tuned target chooser (default: the bundled one, if any)")
    args = parser.parse_args()

    spans: dict[str, list[dict]] = {}
    texts: dict[str, str] = {}
    for path in args.gold:
        for aid, text, rows in annotated_texts(path, args.articles):
            spans.setdefault(aid, []).extend(rows)
            texts[aid] = text
    parse_regions("Warm-up.", [(0, 8)])  # load spaCy outside the timings

    ranker = bundled_ranker()
    confidence = bundled_attribution_confidence()
    chooser = TargetChooser(args.chooser) if args.chooser else bundled_chooser()
    states = {aid: bundled_tagger().tag_with_states(text)[1] for aid, text in texts.items()}

    def finder(targeter: Targeter, aid: str, how: str) -> TargetFinder:
        if how == "ranker":
            return RankedTargeter(targeter, ranker, partial(states.__getitem__, aid))
        if how == "chooser":
            return RankedTargeter(targeter, chooser.for_article(targeter.text, targeter.attributor.title))
        return targeter

    def attribute(parsed: dict, how: str) -> float:
        started = time.perf_counter()
        for aid, rows in spans.items():
            text = texts[aid]
            attributor = article_attributor(text, parsed[aid])
            targets = finder(Targeter(text, parsed[aid], attributor), aid, how)
            sureness = confidence.for_article(text, attributor.title) if how == "confident" else None
            for row in rows:
                start, end = int(row["start"]), int(row["end"])
                voice = attributor.voice_of(start, end)
                if sureness is not None:
                    sureness.of(start, end, voice)
                targets.target_of(start, end, row["technique"])
        return time.perf_counter() - started

    ways = ["rules", "confident", "ranker", *(["chooser"] if chooser is not None else [])]
    times: dict[str, list[float]] = {way: [] for way in ["parse", *ways]}
    for _ in range(args.runs):
        parsed = {}
        started = time.perf_counter()
        for aid, text in texts.items():
            parsed[aid] = parse_regions(text, [(0, len(text))]).paragraphs
        times["parse"].append(time.perf_counter() - started)
        for way in ways:
            times[way].append(attribute(parsed, way))

    median = {way: statistics.median(values) for way, values in times.items()}
    count = sum(len(rows) for rows in spans.values())
    print(f"{len(texts)} articles, {count} spans, median of {args.runs} runs")
    print(f"baseline: spaCy parse              {median['parse'] * 1000 / len(texts):7.1f} ms per article")
    for way in ways:
        label = {
            "rules": "rules' targets",
            "confident": "rules' + confidences",
            "ranker": "ranked targets",
            "chooser": "chooser's targets",
        }[way]
        print(f"attribution, {label:22}{median[way] * 1000 / len(texts):7.1f} ms per article")
    for way in ways[1:]:
        print(f"{way + ' attribution / parse':35}{median[way] / median['parse']:7.2f}")
        print(f"{way + ' / rules':35}{median[way] / median['rules']:7.2f}")


if __name__ == "__main__":
    main()
