"""Throughput and memory of ``propscope batch`` (full analysis: layout, model, spaCy parse, voice).

Input: a folder of articles, repeated to about ``--articles`` files in a temporary folder.
Prints, for each engine setting, the wall time of the whole command (median of ``--runs``),
articles/s, and the peak RSS of the largest process (the worker holding the model); then time per
article against article length from a single-process pass, with a least-squares line to show
whether cost grows linearly.

    python benchmarks/bench_batch.py ../shared/datasets/semeval2020t11/test-articles --articles 2000
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np


def peak_rss_of_tree(process: subprocess.Popen, samples: list[float], stop: threading.Event) -> None:
    """Sample the largest resident set among the process and its children, in MB."""
    import re

    while not stop.is_set():
        largest = 0.0
        for pid in [process.pid, *_children(process.pid)]:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmRSS:\s+(\d+)", status)
            if match:
                largest = max(largest, int(match.group(1)) / 1024)
        samples.append(largest)
        time.sleep(0.2)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found + [g for c in found for g in _children(c)]


def timed_run(command: list[str]) -> tuple[float, float]:
    samples: list[float] = []
    stop = threading.Event()
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sampler = threading.Thread(target=peak_rss_of_tree, args=(process, samples, stop))
    sampler.start()
    code = process.wait()
    stop.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {code}")
    return time.perf_counter() - began, max(samples, default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ray", action="store_true", help="also measure the Ray engine")
    parser.add_argument(
        "--workers", default="1,2", help="local engine worker counts to measure, comma-separated (default 1,2)"
    )
    args = parser.parse_args()
    sources = sorted(args.folder.glob("*.txt"))
    with tempfile.TemporaryDirectory() as scratch:
        scratch_path = Path(scratch)
        corpus = scratch_path / "articles"
        corpus.mkdir()
        records = scratch_path / "articles.jsonl"
        with open(records, "w", encoding="utf-8") as jsonl:
            import json

            for i in range(args.articles):
                source = sources[i % len(sources)]
                # a counter line makes each copy a distinct text, so none is skipped as done
                text = source.read_text(encoding="utf-8") + f"\nCopy {i}.\n"
                (corpus / f"article{i}.txt").write_text(text, encoding="utf-8")
                jsonl.write(json.dumps({"id": str(i), "text": text}) + "\n")
        cli = [sys.executable, "-m", "propscope.cli.main", "batch"]
        counts = [int(n) for n in args.workers.split(",")]
        settings = [(f"local, {n} worker{'s' if n > 1 else ''}", ["--workers", str(n)]) for n in counts]
        rates = {}
        for label, extra in settings:
            walls, peaks = [], []
            for run in range(args.runs):
                out = scratch_path / f"out-{run}.jsonl"
                wall, peak = timed_run([*cli, str(corpus), "--out", str(out), *extra])
                walls.append(wall)
                peaks.append(peak)
                out.unlink()
            rates[label] = args.articles / statistics.median(walls)
            print(
                f"{label}: {statistics.median(walls):.1f} s for {args.articles} articles = {rates[label]:.1f} articles/s; "
                f"peak RSS of the largest process {statistics.median(peaks):.0f} MB"
            )
        if args.ray:
            walls = []
            for run in range(args.runs):
                out = scratch_path / f"ray-{run}.parquet"
                wall, _ = timed_run([*cli, str(records), "--engine", "ray", "--workers", "2", "--out", str(out)])
                walls.append(wall)
                shutil.rmtree(out)
            ray_rate = args.articles / statistics.median(walls)
            versus = (
                f"{ray_rate / rates['local, 2 workers']:.2f}x the local engine with 2 workers"
                if "local, 2 workers" in rates
                else "the local engine with 2 workers not measured in this run"
            )
            print(
                f"ray, 2 actors: {statistics.median(walls):.1f} s = {ray_rate:.1f} articles/s "
                f"({versus}; Ray start-up included)"
            )
    os.environ.setdefault("PROPSCOPE_THREADS", "2")
    from propscope.ingest.sources import article_from_text
    from propscope.pipeline import analyse_article, default_tagger

    tagger = default_tagger()
    lengths, seconds = [], []
    for source in sources:
        article = article_from_text(source.read_text(encoding="utf-8"))
        began = time.perf_counter()
        analyse_article(article, tagger)
        seconds.append(time.perf_counter() - began)
        lengths.append(len(article.text))
    slope, intercept = np.polyfit(lengths, seconds, 1)
    residual = np.asarray(seconds) - (slope * np.asarray(lengths) + intercept)
    r2 = 1 - residual.var() / np.var(seconds)
    print(
        f"time per article vs length ({len(sources)} articles, 1 process): {slope * 1e6:.1f} ms per 1,000 characters "
        f"+ {intercept * 1e3:.1f} ms fixed; R² of the straight line {r2:.2f}"
    )


if __name__ == "__main__":
    main()
