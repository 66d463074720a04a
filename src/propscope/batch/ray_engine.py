"""The Ray engine: Ray Data reads JSONL/Parquet, an actor pool analyses, Parquet comes out.

Each actor loads the model once. The output rows are those of the local engine's
Parquet sink (``propscope.batch.rows``), so both engines' results read the same.
Run it on a cluster by pointing ``--ray-address`` at it (or ``ray job submit``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from propscope.batch.local import BatchResult, model_version
from propscope.batch.rows import analysis_row, arrow_schema, failure_row
from propscope.errors import InputError, MissingExtraError
from propscope.ingest.sources import TEXT_FIELDS
from propscope.versions import installed_version

RECORD_SUFFIXES = (".jsonl", ".ndjson", ".json", ".parquet")


def _text_or_none(value) -> str | None:
    return None if value is None or value == "" else str(value)


class RayAnalyser:
    """A Ray actor: holds one loaded model; analyses a batch of records into output rows."""

    def __init__(self, threads: int, done: frozenset[str]) -> None:
        os.environ["PROPSCOPE_THREADS"] = str(threads)
        from propscope.pipeline import default_tagger

        self.tagger = default_tagger()
        self.version = installed_version(self.tagger.version)
        self.done = done

    def __call__(self, batch):
        import pyarrow as pa

        from propscope.errors import PropscopeError
        from propscope.ingest.sources import article_from_text
        from propscope.pipeline import analyse_article
        from propscope.store.database import content_hash

        rows = []
        for record in batch.to_pylist():
            origin = str(record.get("id") or record.get("url") or record.get("origin") or "?")
            text = record.get("text") or record.get("body") or record.get("content")
            try:
                if not isinstance(text, str):
                    raise InputError(f"{origin}: no text field")
                article = article_from_text(
                    text,
                    origin=origin,
                    title=_text_or_none(record.get("title")),
                    source=_text_or_none(record.get("source") or record.get("outlet")),
                    date=_text_or_none(record.get("date")),
                    url=_text_or_none(record.get("url")),
                    article_id=_text_or_none(record.get("id")),
                )
                if content_hash(article.text, article.source) in self.done:
                    continue
                rows.append(analysis_row(analyse_article(article, self.tagger)))
            except PropscopeError as error:
                rows.append(failure_row(origin, str(error), self.version))
            except Exception as error:  # one bad record must not fail the job
                rows.append(failure_row(origin, f"{type(error).__name__}: {error}", self.version))
        return pa.Table.from_pylist(rows, schema=arrow_schema())


def _is_text_type(pa, kind) -> bool:
    # polars and newer pandas write large strings; Arrow also has a string view type
    return kind is str or pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)


def check_text_column(schema, origin: str) -> None:
    """Refuse, before any work, Parquet input without a string column holding the article text."""
    import pyarrow as pa

    types = dict(zip(schema.names, schema.types, strict=True))
    usable = [name for name in TEXT_FIELDS if name in types and _is_text_type(pa, types[name])]
    if not usable:
        found = ", ".join(f"{name} ({kind})" for name, kind in types.items()) or "no columns"
        raise InputError(
            f"{origin}: no text column in the Parquet schema (expected a string column "
            f"{' or '.join(TEXT_FIELDS)}; found {found})"
        )


def _done_hashes(out: Path, version: str) -> frozenset[str]:
    if not out.is_dir() or not any(out.glob("*.parquet")):
        return frozenset()
    import pyarrow.parquet as pq

    table = pq.read_table(out, columns=["content_hash", "model_version", "status"])
    return frozenset(
        digest
        for digest, row_version, status in zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True)
        if status == "analysed" and row_version == version
    )


def run_ray(
    inputs: list[str], out: Path, *, workers: int = 2, batch_size: int = 16, address: str | None = None
) -> BatchResult:
    try:
        import ray
    except ImportError:
        raise MissingExtraError("the Ray engine needs the cluster extra: pip install 'propscope[cluster]'") from None
    local = [i for i in inputs if "://" not in i]
    for item in local:
        if not Path(item).exists():
            raise InputError(f"{item}: no such file or folder")
    for item in inputs:
        if not item.rstrip("/").endswith(RECORD_SUFFIXES) and not Path(item).is_dir():
            raise InputError(f"{item}: the Ray engine reads JSONL or Parquet files (or folders of them)")
    began = time.monotonic()
    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            # one logical CPU per actor plus one for reading and writing: Ray Data
            # otherwise waits for resources the actor pool already holds
            ray.init(num_cpus=workers + 1, include_dashboard=False, log_to_driver=False)
    jsonl = [i for i in inputs if i.rstrip("/").endswith((".jsonl", ".ndjson", ".json"))]
    parquet = [i for i in inputs if i not in jsonl]
    datasets = []
    if jsonl:
        datasets.append(ray.data.read_json(jsonl, lines=True))
    if parquet:
        records = ray.data.read_parquet(parquet)
        check_text_column(records.schema(), ", ".join(parquet))
        datasets.append(records)
    dataset = datasets[0] if len(datasets) == 1 else datasets[0].union(*datasets[1:])
    threads = max(1, (os.cpu_count() or 1) // workers)
    done = _done_hashes(out, model_version())
    analysed = dataset.map_batches(
        RayAnalyser,
        fn_constructor_kwargs={"threads": threads, "done": done},
        batch_size=batch_size,
        batch_format="pyarrow",
        concurrency=workers,
        num_cpus=1,
    )
    out.mkdir(parents=True, exist_ok=True)
    before = set(out.glob("*.parquet"))
    analysed.write_parquet(str(out))
    import pyarrow.parquet as pq

    new_files = sorted(set(out.glob("*.parquet")) - before)
    statuses, spans = [], 0
    for path in new_files:
        table = pq.read_table(path, columns=["status", "spans"])
        statuses += table.column("status").to_pylist()
        spans += sum(s or 0 for s in table.column("spans").to_pylist())
    total = dataset.count()
    return BatchResult(
        read=total,
        analysed=statuses.count("analysed"),
        skipped=total - len(statuses),
        failed=statuses.count("failed"),
        spans=spans,
        seconds=time.monotonic() - began,
    )
