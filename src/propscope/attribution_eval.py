"""Accuracy of voice, speaker and target against annotations of ids, offsets and labels.

Annotation lines (tab-separated, with a header): article_id, start, end, technique, voice,
speaker_start, speaker_end, target_start, target_end. A speaker or target is right when its
name ends with the same word as the annotated mention (so "Hassan Rouhani" matches "Rouhani"),
or, for targets, when the mention found overlaps the annotated one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from propscope.attribution import Attributor, Targeter
from propscope.corpus import list_article_files
from propscope.errors import InputError
from propscope.segment import parse_regions

COLUMNS = (
    "article_id",
    "start",
    "end",
    "technique",
    "voice",
    "speaker_start",
    "speaker_end",
    "target_start",
    "target_end",
)


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    def add(self, correct: bool) -> None:
        self.right += correct
        self.total += 1


def _last_word(name: str) -> str:
    words = [w.strip(".,'’\"").lower() for w in name.split()]
    words = [w for w in words if w]
    return words[-1] if words else ""


def read_annotations(path: Path) -> list[dict]:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    if not rows or set(COLUMNS) - set(rows[0]):
        raise InputError(f"{path}: expected a header with {', '.join(COLUMNS)}")
    return rows


def evaluate_attribution(annotations: Path, articles_dir: Path) -> dict[str, Tally]:
    rows = read_annotations(annotations)
    files = dict(list_article_files(articles_dir))
    tallies = {"voice": Tally(), "speaker": Tally(), "target": Tally()}
    by_article: dict[str, list[dict]] = {}
    for row in rows:
        by_article.setdefault(row["article_id"], []).append(row)
    for article_id, items in by_article.items():
        if article_id not in files:
            raise InputError(f"{annotations}: article {article_id} is not in {articles_dir}")
        text = files[article_id].read_bytes().decode("utf-8")
        regions = [(0, len(text))]
        paragraphs = parse_regions(text, regions).paragraphs
        attributor = Attributor(text, regions, paragraphs)
        targeter = Targeter(text, paragraphs)
        for row in items:
            start, end = int(row["start"]), int(row["end"])
            voice = attributor.voice_of(start, end)
            tallies["voice"].add(voice.voice == row["voice"])
            if row["speaker_start"]:
                gold = text[int(row["speaker_start"]) : int(row["speaker_end"])]
                tallies["speaker"].add(bool(voice.speaker) and _last_word(voice.speaker) == _last_word(gold))
            if row["target_start"]:
                gold_start, gold_end = int(row["target_start"]), int(row["target_end"])
                target = targeter.target_of(start, end, row["technique"])
                right = target is not None and (
                    (target.start < gold_end and gold_start < target.end)
                    or _last_word(target.name) == _last_word(text[gold_start:gold_end])
                )
                tallies["target"].add(right)
    return tallies
