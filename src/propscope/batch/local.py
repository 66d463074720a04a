"""The local engine: worker processes, each loading the model once; results stored per chunk."""

from __future__ import annotations

import glob
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from propscope.batch.sinks import Sink
from propscope.document import Analysis, Article
from propscope.errors import InputError, ModelError, PropscopeError
from propscope.ingest.sources import BadRecord, ReadOptions, check_csv_header, folder_files, read_articles
from propscope.store.database import content_hash
from propscope.tagging.artifacts import BUNDLED_MODEL_DIR, CONFIG_NAME


@dataclass
class BatchResult:
    read: int = 0
    analysed: int = 0
    skipped: int = 0
    failed: int = 0
    spans: int = 0
    seconds: float = 0.0


def expand_inputs(inputs: list[str]) -> list[str]:
    """Files, folders and globs; checked up front so a typo fails before any work."""
    targets = []
    for item in inputs:
        if any(ch in item for ch in "*?["):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(f"{item}: the pattern matches no file")
            targets.extend(matches)
        elif not Path(item).exists():
            raise InputError(f"{item}: no such file or folder")
        else:
            targets.append(item)
    for target in targets:
        if target.lower().endswith(".csv"):
            check_csv_header(Path(target))
    return targets


def _articles(targets: list[str], options: ReadOptions) -> Iterator[Article | BadRecord]:
    for target in targets:
        try:
            yield from read_articles(target, options)
        except InputError as error:
            yield BadRecord(target, str(error))


def model_version() -> str:
    override = os.environ.get("PROPSCOPE_MODEL_DIR")
    config = (Path(override) if override else BUNDLED_MODEL_DIR) / CONFIG_NAME
    try:
        return json.loads(config.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        raise ModelError(f"model file missing or unreadable: {config}") from None


def _init_worker(threads: int) -> None:
    os.environ["PROPSCOPE_THREADS"] = str(threads)


def analyse_one(article: Article) -> Analysis | BadRecord:
    """Runs in a worker: one article's analysis, or the reason it failed."""
    from propscope.pipeline import analyse_article

    try:
        return analyse_article(article)
    except PropscopeError as error:
        return BadRecord(article.origin or "?", str(error))
    except Exception as error:  # one bad article must not stop the run
        return BadRecord(article.origin or "?", f"{type(error).__name__}: {error}")


def count_inputs(targets: list[str]) -> int | None:
    """How many articles the targets hold, for a progress bar's ETA; None when a count would cost a read."""
    total = 0
    for target in targets:
        path = Path(target)
        files = folder_files(path) if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() in (".jsonl", ".ndjson"):
                with file.open("rb") as lines:
                    total += sum(1 for line in lines if line.strip())
            elif file.suffix.lower() == ".csv":
                return None
            else:
                total += 1
    return total


def run_batch(
    targets: list[str],
    sink: Sink,
    *,
    workers: int = 1,
    chunk_size: int = 32,
    read_options: ReadOptions | None = None,
    on_progress: Callable[[BatchResult], None] | None = None,
) -> BatchResult:
    """Read, analyse and store every article of the targets."""
    options = read_options or ReadOptions(skip_bad_records=True)
    items = _articles(targets, options)
    return run_articles(items, sink, workers=workers, chunk_size=chunk_size, on_progress=on_progress)


def run_articles(
    items: Iterable[Article | BadRecord],
    sink: Sink,
    *,
    workers: int = 1,
    chunk_size: int = 32,
    on_progress: Callable[[BatchResult], None] | None = None,
) -> BatchResult:
    """Analyse articles in chunks, each stored in one transaction; articles this model version has
    analysed already (same text) are skipped, so an interrupted run resumes where it stopped."""
    version = model_version()
    result = BatchResult()
    began = time.monotonic()
    pool = None
    if workers > 1:
        threads = max(1, (os.cpu_count() or 1) // workers)
        pool = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker, initargs=(threads,)
        )
    try:
        chunk: list[Article | BadRecord] = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= chunk_size:
                _process_chunk(chunk, sink, version, pool, result)
                chunk = []
                result.seconds = time.monotonic() - began
                if on_progress:
                    on_progress(result)
        if chunk:
            _process_chunk(chunk, sink, version, pool, result)
    except BrokenProcessPool:
        raise PropscopeError("a worker process died (out of memory?); run again to resume where it stopped") from None
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    result.seconds = time.monotonic() - began
    if on_progress:
        on_progress(result)
    return result


def _process_chunk(chunk, sink: Sink, version: str, pool, result: BatchResult) -> None:
    failures = [(item.origin, item.reason) for item in chunk if isinstance(item, BadRecord)]
    articles = [item for item in chunk if isinstance(item, Article)]
    result.read += len(chunk)
    hashes = [content_hash(a.text) for a in articles]
    done = sink.done(hashes, version)
    todo, seen = [], set(done)
    for article, digest in zip(articles, hashes, strict=True):
        if digest in seen:
            result.skipped += 1
        else:
            seen.add(digest)
            todo.append(article)
    outcomes = list(pool.map(analyse_one, todo)) if pool is not None else [analyse_one(a) for a in todo]
    analyses = [o for o in outcomes if isinstance(o, Analysis)]
    failures += [(o.origin, o.reason) for o in outcomes if isinstance(o, BadRecord)]
    result.analysed += sink.write(analyses, failures)
    result.failed += len(failures)
    result.spans += sum(len(a.spans) for a in analyses)
