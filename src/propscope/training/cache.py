"""The pieces of a training run kept under its --out folder (each fold's held-out outputs in
``cv/``, the final network in ``work/``) so that an interrupted run resumes. Each piece is stored
beside a fingerprint of what it was made from, and a later run reuses it only when it would make
it from the same, so a run with other options or other articles never mixes in another run's work."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from propscope.corpus import CorpusArticle
from propscope.fileio import output_folder, write_atomically

console = Console(stderr=True)


def articles_fingerprint(articles: Sequence[CorpusArticle]) -> dict[str, Any]:
    """The ids of ``articles``, and a digest of their text and labels, since an article corrected
    in place keeps its id."""
    digest = hashlib.sha256()
    for article in articles:
        digest.update(json.dumps([article.article_id, article.text, article.labels]).encode("utf-8"))
    return {"article_ids": [article.article_id for article in articles], "articles_sha256": digest.hexdigest()}


def fingerprint_path(piece: Path) -> Path:
    return piece.with_name(f"{piece.name}.fingerprint.json")


def reusable(piece: Path, fingerprint: dict[str, Any]) -> bool:
    """Whether ``piece`` is stored and was made from ``fingerprint``; a piece made from something
    else (or before fingerprints were kept) is named on stderr, to be made again."""
    if not piece.exists():
        return False
    try:
        recorded = json.loads(fingerprint_path(piece).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = None
    # compared as JSON reads it back, where tuples have become lists
    if recorded == json.loads(json.dumps(fingerprint)):
        return True
    console.print(f"{piece} was made with other options or articles: making it again", markup=False, soft_wrap=True)
    return False


def store(piece: Path, content: bytes, fingerprint: dict[str, Any]) -> None:
    """Write ``piece``, then its fingerprint. The old fingerprint is removed first, so that a run
    stopped between the two leaves a piece that no run reuses rather than one that looks like
    another run's."""
    output_folder(piece.parent)
    fingerprint_path(piece).unlink(missing_ok=True)
    write_atomically(piece, content)
    write_atomically(fingerprint_path(piece), json.dumps(fingerprint, indent=1) + "\n")
