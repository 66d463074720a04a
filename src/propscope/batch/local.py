"""The local engine: worker processes, each loading the model once; results stored per chunk."""

from __future__ import annotations

import glob
import json
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from propscope.batch.sinks import Sink
from propscope.document import Analysis, Article
from propscope.errors import InputError, ModelError, PropscopeError
from propscope.ingest.sources import BadRecord, ReadOptions, check_csv_header, folder_files, read_articles
from propscope.store.database import content_hash
from propscope.tagging.artifacts import BUNDLED_MODEL_DIR, CONFIG_NAME
from propscope.versions import installed_version


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
        if not item.strip():
            # Path("") is the current folder, which nobody means by an empty argument
            raise InputError("no path given: name a file, a folder or a pattern")
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
    """The key of the analyses the installed model and attribution make (``versions.analysis_version``)."""
    override = os.environ.get("PROPSCOPE_MODEL_DIR")
    config = (Path(override) if override else BUNDLED_MODEL_DIR) / CONFIG_NAME
    try:
        config_version = json.loads(config.read_text(encoding="utf-8"))["version"]
        return installed_version(config_version)
    except (OSError, ValueError, KeyError):
        raise ModelError(f"model file missing or unreadable: {config}") from None


def _init_worker(threads: int, parent: int) -> None:
    os.environ["PROPSCOPE_THREADS"] = str(threads)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A worker whose run was killed (``kill -9`` gives the pool no chance to stop it) exits too,
    rather than holding a model in memory with nothing left to do."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def analyse_one(article: Article) -> Analysis | BadRecord:
    """Runs in a worker: one article's analysis, or the reason it failed."""
    from propscope.pipeline import analyse_or_skip

    try:
        return analyse_or_skip(article)
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
            elif file.suffix.lower() in (".csv", ".json"):
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
    """Analyse articles in chunks, each stored in one transaction; articles this model and attribution version have
    analysed already (same text) are skipped, so an interrupted run resumes where it stopped."""
    version = model_version()
    result = BatchResult()
    began = time.monotonic()
    pool = None
    if workers > 1:
        threads = max(1, (os.cpu_count() or 1) // workers)
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(threads, os.getpid()),
        )
    try:
        # while the workers analyse one chunk, the previous one is written: they never wait for the sink
        pending: _Chunk | None = None
        for chunk in _chunks(items, chunk_size):
            started = _start_chunk(chunk, sink, version, pool, pending.hashes if pending else set(), result)
            if pending is not None:
                _finish_chunk(pending, sink, result)
                result.seconds = time.monotonic() - began
                if on_progress:
                    on_progress(result)
            pending = started
        if pending is not None:
            _finish_chunk(pending, sink, result)
    except BrokenProcessPool:
        raise PropscopeError("a worker process died (out of memory?); run again to resume where it stopped") from None
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    result.seconds = time.monotonic() - began
    if on_progress:
        on_progress(result)
    return result


def _chunks(items: Iterable[Article | BadRecord], size: int) -> Iterator[list[Article | BadRecord]]:
    chunk: list[Article | BadRecord] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class _Chunk:
    """A chunk on its way: read, checked against the sink, handed to the workers."""

    size: int
    failures: list[tuple[str, str]]
    #: futures from the pool, or analyses already made in this process
    outcomes: list
    hashes: set[str]


def _start_chunk(chunk, sink: Sink, version: str, pool, in_flight: set[str], result: BatchResult) -> _Chunk:
    failures = [(item.origin, item.reason) for item in chunk if isinstance(item, BadRecord)]
    articles = [item for item in chunk if isinstance(item, Article)]
    hashes = [content_hash(a.text, a.source) for a in articles]
    # the previous chunk is not written yet: its texts count as done too
    seen = sink.done(hashes, version) | in_flight
    todo, todo_hashes = [], set()
    for article, digest in zip(articles, hashes, strict=True):
        if digest in seen:
            result.skipped += 1
        else:
            seen.add(digest)
            todo.append(article)
            todo_hashes.add(digest)
    outcomes = [pool.submit(analyse_one, a) for a in todo] if pool is not None else [analyse_one(a) for a in todo]
    return _Chunk(len(chunk), failures, outcomes, todo_hashes)


def _finish_chunk(chunk: _Chunk, sink: Sink, result: BatchResult) -> None:
    outcomes = [o.result() if isinstance(o, Future) else o for o in chunk.outcomes]
    analyses = [o for o in outcomes if isinstance(o, Analysis)]
    failures = chunk.failures + [(o.origin, o.reason) for o in outcomes if isinstance(o, BadRecord)]
    result.read += chunk.size
    result.analysed += sink.write(analyses, failures)
    result.failed += len(failures)
    result.spans += sum(len(a.spans) for a in analyses)
