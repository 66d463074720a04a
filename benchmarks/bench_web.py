"""Latency of the workbench: ``POST /api/analyze`` of a 700-word article at 1 and 8 concurrent
clients, and the dashboard, corpus search and article pages on a 10,000-article store.

Starts ``propscope serve`` (the shipped model) in a subprocess on a free port and talks to it over
HTTP, as a browser or script would. Prints p50/p95 per measurement, and ratios against baselines
measured in the same run: the in-process analysis of the same article (what HTTP, JSON and the store
add) and ``GET /techniques.json`` (a page that touches no table).

    python benchmarks/bench_web.py [--requests 40] [--store-articles 10000]

The 10,000-article store is built from the bundled example articles: each analysed once with the
shipped model, then copied with distinct text, outlets (20) and dates (24 months) in bulk.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from importlib import resources
from pathlib import Path

import httpx


def example_articles() -> list[dict]:
    path = resources.files("propscope") / "examples" / "articles.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def article_of_about(words: int) -> str:
    """A title and paragraphs of the bundled examples, up to about ``words`` words."""
    records = example_articles()
    title = "Port, power and the border: a week in Veldmark"
    paragraphs: list[str] = []
    for record in records:
        paragraphs += [line for line in record["text"].split("\n")[2:] if len(line.split()) > 12]
        if sum(len(p.split()) for p in paragraphs) >= words:
            break
    body, count = [], 0
    for paragraph in paragraphs:
        if count >= words:
            break
        body.append(paragraph)
        count += len(paragraph.split())
    return title + "\n\n" + "\n".join(body) + "\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db_url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, "-m", "propscope.cli.main", "serve", "--db", db_url, "--port", str(port)]
    server = subprocess.Popen([*command, "--no-examples"], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/techniques.json", timeout=2).status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start")


def percentiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(call) -> float:
    began = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - began
    assert response.status_code == 200, response.text[:200]
    return elapsed


def analyse_latency(base: str, text: str, requests: int, clients: int) -> list[float]:
    """Each request sends a distinct text (a numbered closing line) so nothing is served from the store."""

    def one(number: int) -> float:
        body = {"text": text + f"Filed as report {number} of the series.\n", "outlet": "Bench"}
        with httpx.Client(timeout=120) as client:
            return timed(lambda: client.post(base + "/api/analyze", json=body))

    offset = random.randrange(10**9)
    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(one, range(offset, offset + requests)))


def get_latency(base: str, path: str, requests: int) -> list[float]:
    with httpx.Client(timeout=120) as client:
        client.get(base + path)  # warm caches, as a returning reader would
        return [timed(lambda: client.get(base + path)) for _ in range(requests)]


def fill_store(db_url: str, articles: int) -> None:
    from propscope.ingest.sources import article_from_text
    from propscope.pipeline import analyse_article
    from propscope.store.database import Store
    from propscope.store.repository import save_analysis

    analyses = [analyse_article(article_from_text(r["text"], title=r["title"])) for r in example_articles()]
    store = Store(db_url)
    rng = random.Random(7)
    outlets = [f"Outlet {chr(65 + i)}" for i in range(20)]
    for start in range(0, articles, 500):
        with store.transaction() as session:
            for number in range(start, min(articles, start + 500)):
                analysis = analyses[number % len(analyses)]
                article = replace(
                    analysis.article,
                    text=analysis.article.text + f"\nArchive copy {number}.",
                    source=rng.choice(outlets),
                    date=f"{2024 + rng.randrange(2)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                )
                save_analysis(session=session, analysis=replace(analysis, article=article))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40, help="analyse requests per concurrency level")
    parser.add_argument("--store-articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=700)
    args = parser.parse_args()

    from propscope.ingest.sources import article_from_text
    from propscope.pipeline import analyse_article, default_tagger

    text = article_of_about(args.words)
    print(f"article: {len(text.split())} words, {len(text)} characters")
    tagger = default_tagger()
    analyse_article(article_from_text(text), tagger)
    in_process = []
    for number in range(10):
        began = time.perf_counter()
        analyse_article(article_from_text(text + f"Filed as report {number}.\n"), tagger)
        in_process.append(time.perf_counter() - began)
    base_p50, base_p95 = percentiles(in_process)
    print(f"baseline, in-process analysis of the same article: p50 {base_p50:.0f} ms, p95 {base_p95:.0f} ms")

    with tempfile.TemporaryDirectory() as folder:
        server, base = start_server(f"sqlite:///{Path(folder) / 'analyse.db'}")
        try:
            analyse_latency(base, text, 4, 1)  # load the model in the server
            for clients in (1, 8):
                p50, p95 = percentiles(analyse_latency(base, text, args.requests, clients))
                print(
                    f"POST /api/analyze, {clients} client(s), {args.requests} requests: p50 {p50:.0f} ms, "
                    f"p95 {p95:.0f} ms; p50 {p50 / base_p50:.2f}x the in-process analysis"
                )
        finally:
            server.terminate()
            server.wait()

        db_url = f"sqlite:///{Path(folder) / 'corpus.db'}"
        began = time.perf_counter()
        fill_store(db_url, args.store_articles)
        print(f"store of {args.store_articles} articles built in {time.perf_counter() - began:.0f} s")
        server, base = start_server(db_url)
        try:
            trivial_p50, _ = percentiles(get_latency(base, "/techniques.json", 20))
            print(f"baseline, GET /techniques.json: p50 {trivial_p50:.1f} ms")
            for path in (
                "/dashboard.json",
                "/dashboard",
                "/dashboard.json?a=Outlet+A&b=Outlet+B",
                "/api/articles?q=harbour+strike",
                "/api/articles?technique=Doubt&sort=-score",
                f"/articles/{args.store_articles // 2}",
            ):
                p50, p95 = percentiles(get_latency(base, path, 20))
                print(f"GET {path}: p50 {p50:.0f} ms, p95 {p95:.0f} ms ({p50 / trivial_p50:.0f}x the trivial page)")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
