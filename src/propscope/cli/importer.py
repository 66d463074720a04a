"""``propscope import PATH... --db URL``: bulk-load articles into the workbench's store (a batch run)."""

from __future__ import annotations

import argparse

from propscope.cli import batch
from propscope.ingest.decoding import DEFAULT_MAX_BYTES


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("import", help="analyse a folder, JSONL or CSV into a database (like batch --db)")
    parser.add_argument("inputs", nargs="+", help="files, folders, globs, .jsonl or .csv files")
    parser.add_argument("--db", required=True, help="database URL (sqlite:///path.db or postgresql://...)")
    parser.add_argument("--workers", type=int, default=1)
    parser.set_defaults(
        run=batch.run,
        out=None,
        chunk_size=32,
        max_bytes=DEFAULT_MAX_BYTES,
        failures=False,
        engine="local",
        ray_address=None,
    )
