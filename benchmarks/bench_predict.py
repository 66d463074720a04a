"""Speed and memory of ``propscope predict --task flc`` on a folder of articles.

Prints, each the median of several runs:
- whole process: wall time and peak RSS of the CLI, start-up and model loading included;
- steady state: articles/s of the loaded tagger, with the share of time spent in the encoder;
- floor: a tokenizer-only pass over the same articles, measured in the same run.

    python benchmarks/bench_predict.py ../shared/datasets/semeval2020t11/test-articles --runs 3
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PROPSCOPE_THREADS", "2")

from propscope.corpus import list_article_files, read_article_file
from propscope.ingest.sources import article_from_text
from propscope.pipeline import tag_article
from propscope.tagging.encoding import encode_text
from propscope.tagging.onnx_tagger import OnnxTagger


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def whole_process(folder: Path, runs: int) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            began = time.perf_counter()
            # a fresh child per run so ru_maxrss of RUSAGE_CHILDREN is this run's peak
            code = (
                "import resource, subprocess, sys;"
                f"subprocess.run([sys.executable, '-m', 'propscope.cli.main', 'predict', '--task', 'flc', {str(folder)!r},"
                f" '-o', {scratch + '/pred.txt'!r}], check=True);"
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
            )
            peak_kb = int(
                subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
            )
            times.append(time.perf_counter() - began)
            peaks.append(peak_kb / 1024)
    return statistics.median(times), statistics.median(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    texts = [read_article_file(path) for _, path in list_article_files(args.folder)]
    articles = [article_from_text(text) for text in texts]
    tagger = OnnxTagger()
    encoder_seconds = 0.0
    run = tagger._run

    def timed_run(batch):
        nonlocal encoder_seconds
        began = time.perf_counter()
        result = run(batch)
        encoder_seconds += time.perf_counter() - began
        return result

    tagger._run = timed_run
    tag_article(articles[0], tagger)  # warm-up
    tokenizer_times, model_times, encoder_shares = [], [], []
    for _ in range(args.runs):
        began = time.perf_counter()
        encoded = [encode_text(tagger._tokenizer, text) for text in texts]
        tokenizer_times.append(time.perf_counter() - began)
        encoder_seconds = 0.0
        began = time.perf_counter()
        for article in articles:
            tag_article(article, tagger)
        model_times.append(time.perf_counter() - began)
        encoder_shares.append(encoder_seconds / model_times[-1])
    n = len(texts)
    windows = [len(e.windows) for e in encoded]
    tokens = [len(e) for e in encoded]
    steady_rss = rss_mb()
    wall, peak = whole_process(args.folder, args.runs)
    tokenizer_rate = n / statistics.median(tokenizer_times)
    model_rate = n / statistics.median(model_times)
    print(f"articles: {n}; word pieces per article: median {statistics.median(tokens):.0f}, max {max(tokens)}")
    print(
        f"windows per article: mean {statistics.mean(windows):.2f}, max {max(windows)}; threads: {os.environ['PROPSCOPE_THREADS']}"
    )
    print(f"floor, tokenizer + features only: {tokenizer_rate:.1f} articles/s")
    print(
        f"steady state, tag (encoder + span head + decoding): {model_rate:.1f} articles/s "
        f"({model_rate / tokenizer_rate:.3f}x the floor); encoder share of time {statistics.median(encoder_shares):.0%}"
    )
    print(f"steady state RSS after tagging: {steady_rss:.0f} MB")
    print(
        f"whole process (CLI start, model load, {n} articles, write): {wall:.2f} s = {n / wall:.1f} articles/s, peak RSS {peak:.0f} MB"
    )
    print(
        f"runs: {args.runs} (medians); peak RSS of this process so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
