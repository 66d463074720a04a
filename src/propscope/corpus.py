"""The Propaganda Techniques Corpus layout and the task's label file formats."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from propscope.errors import InputError

ARTICLE_NAME = re.compile(r"^article(?P<id>[^.]+)\.txt$")


@dataclass
class CorpusArticle:
    article_id: str
    text: str
    #: (technique, start, end); techniques empty when only SI labels are known
    labels: list[tuple[str, int, int]] = field(default_factory=list)


def article_id_from_name(name: str) -> str | None:
    match = ARTICLE_NAME.match(name)
    return match.group("id") if match else None


def list_article_files(folder: Path) -> list[tuple[str, Path]]:
    """``(id, path)`` of every ``article<ID>.txt`` in ``folder``, sorted by id."""
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    found = []
    for path in folder.iterdir():
        article_id = article_id_from_name(path.name)
        if article_id is not None and path.is_file():
            found.append((article_id, path))
    if not found:
        raise InputError(f"{folder}: no article<ID>.txt files in this folder")
    return sorted(found)


def read_article_file(path: Path) -> str:
    # Offsets in the label files count characters of the file as written, so
    # newlines are not translated.
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _label_lines(path: Path) -> Iterable[tuple[int, list[str]]]:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield number, line.rstrip("\r\n").split("\t")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 label file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None


#: (article id, technique or None, start, end)
LabelRow = tuple[str, str | None, int, int]


def read_labels(path: Path) -> list[LabelRow]:
    """Lines ``id<TAB>start<TAB>end`` (SI) or ``id<TAB>technique<TAB>start<TAB>end`` (TC, FLC)."""
    rows: list[LabelRow] = []
    for number, fields in _label_lines(path):
        if len(fields) not in (3, 4):
            raise InputError(f"{path}:{number}: expected id, [technique,] start, end separated by tabs")
        try:
            start, end = int(fields[-2]), int(fields[-1])
        except ValueError:
            raise InputError(f"{path}:{number}: start and end must be whole numbers") from None
        if not 0 <= start <= end:
            raise InputError(f"{path}:{number}: invalid span {start}-{end}")
        rows.append((fields[0], fields[1] if len(fields) == 4 else None, start, end))
    return rows


def read_label_source(source: Path) -> list[LabelRow]:
    """Labels from one file or from a folder of per-article ``.labels`` files."""
    if source.is_dir():
        files = sorted(p for p in source.iterdir() if p.is_file() and p.name.endswith(".labels"))
        if not files:
            raise InputError(f"{source}: no .labels files in this folder")
        return [row for path in files for row in read_labels(path)]
    if not source.is_file():
        raise InputError(f"{source}: no such file or folder")
    return read_labels(source)


def load_corpus(root: Path) -> list[CorpusArticle]:
    """Training articles with their technique labels from the corpus layout."""
    articles_dir = root / "train-articles"
    labels_dir = root / "train-labels-task-flc-tc"
    if not articles_dir.is_dir() or not labels_dir.is_dir():
        raise InputError(f"{root}: expected train-articles/ and train-labels-task-flc-tc/ inside")
    labels: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for article_id, technique, start, end in read_label_source(labels_dir):
        if technique is None:
            raise InputError(f"{labels_dir}: technique labels expected (id, technique, start, end)")
        labels[article_id].append((technique, start, end))
    return [
        CorpusArticle(article_id, read_article_file(path), sorted(labels.get(article_id, []), key=lambda x: x[1:]))
        for article_id, path in list_article_files(articles_dir)
    ]
