"""Predictions in the SemEval-2020 Task 11 file formats (SI, TC, FLC)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from propscope.corpus import LabelRow, list_article_files, read_label_source
from propscope.errors import InputError
from propscope.ingest.decoding import DEFAULT_MAX_BYTES, decode_bytes
from propscope.metrics import merge_spans
from propscope.tagging.base import Tagger

Progress = Callable[[int, int], None]


def _articles(folder: Path, max_bytes: int) -> Iterator[tuple[str, str]]:
    """Each file's text exactly as the label offsets count it: UTF-8, BOM and line ends kept."""
    for article_id, path in list_article_files(folder):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(f"{path}: cannot read ({error.strerror})") from None
        if not data.strip():
            yield article_id, data.decode("utf-8", errors="replace")
            continue
        try:
            yield article_id, data.decode("utf-8")
        except UnicodeDecodeError:
            yield article_id, decode_bytes(data, str(path), max_bytes).text


def predict_flc(
    folder: Path, tagger: Tagger, progress: Progress | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[tuple[str, str, int, int]]:
    """``(id, technique, start, end)`` for every span found; offsets index each file's text."""
    rows = []
    files = list_article_files(folder)
    for done, (article_id, text) in enumerate(_articles(folder, max_bytes), 1):
        # The whole file is tagged, title included, as in training: the task's gold
        # spans may lie in lines that the reader's layout rules would set aside.
        if text.strip():
            rows.extend((article_id, span.technique, span.start, span.end) for span in tagger.tag(text))
        if progress:
            progress(done, len(files))
    return rows


def predict_si(folder: Path, tagger: Tagger, progress: Progress | None = None, max_bytes: int = DEFAULT_MAX_BYTES):
    by_article = defaultdict(list)
    for article_id, _, start, end in predict_flc(folder, tagger, progress, max_bytes):
        by_article[article_id].append((start, end))
    return [(article_id, s, e) for article_id in sorted(by_article) for s, e in merge_spans(by_article[article_id])]


def predict_tc(
    folder: Path, template: Path, tagger: Tagger, progress: Progress | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[LabelRow]:
    """The template's lines with techniques filled in, in the template's order.

    A span listed k times gets its k most likely techniques, so repeated lines
    never repeat a technique.
    """
    lines = read_label_source(template)
    texts = dict(_articles(folder, max_bytes))
    missing = sorted({row[0] for row in lines} - set(texts))
    if missing:
        raise InputError(f"{template}: article {missing[0]} is not in {folder}")
    spans_by_article: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for article_id, _, start, end in lines:
        if end > len(texts[article_id]):
            raise InputError(f"{template}: span {start}-{end} lies beyond the end of article {article_id}")
        if (start, end) not in spans_by_article[article_id]:
            spans_by_article[article_id].append((start, end))
    rankings = {}
    for done, (article_id, spans) in enumerate(spans_by_article.items(), 1):
        for span, ranking in zip(spans, tagger.classify(texts[article_id], spans)):
            rankings[(article_id, *span)] = [name for name, _ in ranking]
        if progress:
            progress(done, len(spans_by_article))
    used: dict[tuple[str, int, int], int] = defaultdict(int)
    filled = []
    for article_id, _, start, end in lines:
        key = (article_id, start, end)
        ranking = rankings[key]
        filled.append((article_id, ranking[min(used[key], len(ranking) - 1)], start, end))
        used[key] += 1
    return filled


def format_rows(rows: list[tuple]) -> str:
    return "".join("\t".join(str(field) for field in row) + "\n" for row in rows)
