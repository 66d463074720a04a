"""Where a batch run puts its results: a database, or a JSON Lines file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Protocol

from propscope.batch.rows import analysis_row, arrow_schema, failure_row
from propscope.document import Analysis
from propscope.errors import InputError, MissingExtraError
from propscope.store.database import Store, content_hash
from propscope.store.repository import analysed_hashes, record_failure, save_analysis
from propscope.versions import analysis_version


class Sink(Protocol):
    def done(self, hashes: list[str], model_version: str) -> set[str]:
        """Which of these article hashes this model and attribution version (``versions.analysis_version``)
        have already analysed."""
        ...

    def write(self, analyses: list[Analysis], failures: list[tuple[str, str]]) -> int:
        """Store one chunk, all or nothing; returns how many analyses were new."""
        ...


class DatabaseSink:
    def __init__(self, store: Store) -> None:
        self.store = store

    def done(self, hashes: list[str], model_version: str) -> set[str]:
        with self.store.transaction() as session:
            return analysed_hashes(session=session, hashes=hashes, model_version=model_version)

    def write(self, analyses: list[Analysis], failures: list[tuple[str, str]]) -> int:
        with self.store.transaction() as session:
            stored = sum(save_analysis(session=session, analysis=a) for a in analyses)
            for origin, reason in failures:
                record_failure(session=session, origin=origin, reason=reason)
        return stored


class JsonlSink:
    """One analysis per line, with its article's content hash; failures in ``FILE.failures.jsonl``.

    Each chunk is appended and flushed to disk in one write; a line cut short by
    a crash is dropped when the file is opened again.
    """

    def __init__(self, path: Path) -> None:
        if not path.parent.is_dir():
            raise InputError(f"{path}: the folder {path.parent} does not exist")
        self.path = path
        self.failures_path = (
            path.with_name(path.name + ".failures.jsonl")
            if path.suffix != ".jsonl"
            else path.with_suffix(".failures.jsonl")
        )
        self._seen: dict[str, set[str]] = {}
        self._recover()

    def _recover(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        complete = data[: data.rfind(b"\n") + 1]
        if len(complete) != len(data):
            with open(self.path, "r+b") as handle:
                handle.truncate(len(complete))
        for line in complete.decode("utf-8").split("\n"):
            if not line.strip():
                continue
            record = json.loads(line)
            # the key from the record's own article, not its stored hash: outputs written before
            # articles were keyed by text and outlet hold hashes of the text alone
            article = record["article"]
            key = content_hash(article["text"], article.get("source"))
            self._seen.setdefault(analysis_version(record["model"]), set()).add(key)

    def done(self, hashes: list[str], model_version: str) -> set[str]:
        return set(hashes) & self._seen.get(model_version, set())

    @staticmethod
    def _append(path: Path, lines: list[str]) -> None:
        if not lines:
            return
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("".join(lines))
            handle.flush()
            os.fsync(handle.fileno())

    def write(self, analyses: list[Analysis], failures: list[tuple[str, str]]) -> int:
        lines = []
        for analysis in analyses:
            digest = content_hash(analysis.article.text, analysis.article.source)
            seen = self._seen.setdefault(analysis_version(analysis.model), set())
            if digest in seen:
                continue
            seen.add(digest)
            lines.append(json.dumps({"content_hash": digest, **analysis.to_dict()}, ensure_ascii=False) + "\n")
        self._append(self.path, lines)
        self._append(self.failures_path, [json.dumps({"origin": o, "reason": r}) + "\n" for o, r in failures])
        return len(lines)


class ParquetSink:
    """A folder of Parquet part files (the layout Ray and pyarrow datasets read).

    Each chunk becomes one part, written to a temporary name and renamed, so a
    crash leaves no partial file; hashes in existing parts mark what is done.
    """

    def __init__(self, folder: Path) -> None:
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise MissingExtraError("Parquet output needs pyarrow: pip install 'propscope[cluster]'") from None
        self._pq = pq
        if folder.exists() and not folder.is_dir():
            raise InputError(f"{folder}: Parquet output is a folder of part files; this is a file")
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._seen: dict[str, set[str]] = {}
        parts = sorted(folder.glob("*.parquet"))
        for part in parts:
            table = pq.read_table(part, columns=["content_hash", "model_version", "status"])
            for digest, version, status in zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True):
                if status == "analysed":
                    self._seen.setdefault(version, set()).add(digest)
        numbers = [int(p.stem[5:]) for p in parts if p.stem.startswith("part-") and p.stem[5:].isdigit()]
        self._next = max(numbers, default=-1) + 1

    def done(self, hashes: list[str], model_version: str) -> set[str]:
        return set(hashes) & self._seen.get(model_version, set())

    def write(self, analyses: list[Analysis], failures: list[tuple[str, str]]) -> int:
        import pyarrow as pa

        rows = []
        for analysis in analyses:
            row = analysis_row(analysis)
            seen = self._seen.setdefault(row["model_version"], set())
            if row["content_hash"] not in seen:
                seen.add(row["content_hash"])
                rows.append(row)
        all_rows = rows + [failure_row(origin, reason) for origin, reason in failures]
        if all_rows:
            path = self.folder / f"part-{self._next:06d}.parquet"
            temporary = path.with_suffix(".tmp")
            self._pq.write_table(pa.Table.from_pylist(all_rows, schema=arrow_schema()), temporary)
            os.replace(temporary, path)
            self._next += 1
        return len(rows)
