"""Accuracy of voice, speaker and target against annotations of ids, offsets and labels.

Annotation lines (tab-separated, with a header): article_id, start, end, technique, voice,
speaker_start, speaker_end, target_start, target_end. A speaker or target is right when its
name ends with the same word as the annotated mention (so "Hassan Rouhani" matches "Rouhani"),
or, for targets, when the mention found overlaps the annotated one.

Test files hold a handful of articles, and errors cluster by article (one transcript, one
block quotation), so each accuracy comes with a 95 % interval from resampling whole articles.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from propscope.attribution import VOICES, Attributor, Target, Targeter
from propscope.attribution.chooser import TargetChooser
from propscope.attribution.ranker import CandidateRanker
from propscope.attribution.ranking import RankedTargeter, TargetFinder, encoder_name
from propscope.corpus import list_article_files, read_article_file
from propscope.errors import InputError, ModelError
from propscope.ingest.layout import parse_layout
from propscope.metrics import expected_calibration_error
from propscope.segment import parse_regions

if TYPE_CHECKING:
    from propscope.attribution.confidence import AttributionConfidence
    from propscope.attribution.voice import Voice
    from propscope.tagging.states import TokenStates

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
MEASURES = ("voice", "speaker", "target")
#: what each annotated row was given, beside its annotation (offsets and labels only, as the
#: annotations are): the mention the speaker was read from and the target chosen
FOUND_COLUMNS = (
    "found_voice",
    "found_speaker_start",
    "found_speaker_end",
    "found_target_start",
    "found_target_end",
    "target_confidence",
    *(f"{measure}_right" for measure in MEASURES),
    "voice_confidence",
    "speaker_confidence",
)
#: resamples of the articles for the interval, with a fixed seed so a rerun prints the same figures
RESAMPLES = 2000
SEED = 13


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


@dataclass
class Evaluation:
    """Tallies per article and measure, the voice confusion (gold, found) -> count, and the
    confidence of each answer given one with whether it was right."""

    by_article: dict[str, dict[str, Tally]] = field(default_factory=dict)
    confusion: Counter = field(default_factory=Counter)
    #: measure -> (confidence, whether right) for each voice, each speaker found and each target
    #: the ranker or chooser chose
    confidences: dict[str, list[tuple[float, bool]]] = field(default_factory=lambda: {m: [] for m in MEASURES})
    #: each annotation row with what was found for it (FOUND_COLUMNS), in file order
    rows: list[dict[str, str]] = field(default_factory=list)

    def tally(self, measure: str) -> Tally:
        tallies = [article[measure] for article in self.by_article.values()]
        return Tally(sum(t.right for t in tallies), sum(t.total for t in tallies))

    def interval(self, measure: str) -> tuple[float, float]:
        """The 2.5th and 97.5th percentiles of the accuracy over resamples of the articles."""
        articles = [article[measure] for article in self.by_article.values() if article[measure].total]
        if not articles:
            return (0.0, 0.0)
        rng = random.Random(SEED)
        accuracies = []
        for _ in range(RESAMPLES):
            drawn = [rng.choice(articles) for _ in articles]
            accuracies.append(sum(t.right for t in drawn) / sum(t.total for t in drawn))
        accuracies.sort()
        return accuracies[int(0.025 * RESAMPLES)], accuracies[int(0.975 * RESAMPLES) - 1]

    def merge(self, other: Evaluation) -> None:
        for article_id, tallies in other.by_article.items():
            mine = self.by_article.setdefault(article_id, {m: Tally() for m in MEASURES})
            for measure, tally in tallies.items():
                mine[measure].right += tally.right
                mine[measure].total += tally.total
        self.confusion.update(other.confusion)
        for measure, pairs in other.confidences.items():
            self.confidences[measure] += pairs
        self.rows += other.rows

    def calibration(self, measure: str) -> float | None:
        """Expected calibration error of a measure's confidences (None when none was given)."""
        if not self.confidences[measure]:
            return None
        confidences, right = zip(*self.confidences[measure], strict=True)
        return expected_calibration_error(confidences, right)

    def brier(self, measure: str, constant: float | None = None) -> float | None:
        """Mean squared gap between a measure's confidences (or ``constant`` in their place) and
        whether each answer was right (None when no confidence was given)."""
        pairs = self.confidences[measure]
        if not pairs:
            return None
        return sum(((confidence if constant is None else constant) - right) ** 2 for confidence, right in pairs) / len(
            pairs
        )


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
    if not rows:
        raise InputError(f"{path}: no annotation rows (a header with {', '.join(COLUMNS)}, then a row per span)")
    if set(COLUMNS) - set(rows[0]):
        raise InputError(f"{path}: expected a header with {', '.join(COLUMNS)}")
    for number, row in enumerate(rows, start=2):
        if any(row[column] is None for column in COLUMNS):
            raise InputError(f"{path}:{number}: expected {len(COLUMNS)} tab-separated cells")
        if row["voice"] not in VOICES:
            raise InputError(f"{path}:{number}: voice must be one of {', '.join(VOICES)}, not {row['voice']!r}")
        if not (row["start"].isdigit() and row["end"].isdigit()):
            raise InputError(f"{path}:{number}: offsets must be whole numbers")
        for mention in ("speaker", "target"):
            pair = row[f"{mention}_start"], row[f"{mention}_end"]
            if pair != ("", "") and not all(value.isdigit() for value in pair):
                raise InputError(
                    f"{path}:{number}: {mention}_start and {mention}_end must both be whole numbers or both empty"
                )
    return rows


@dataclass
class AnnotatedArticle:
    article_id: str
    text: str
    attributor: Attributor
    targeter: Targeter
    rows: list[dict]


def annotated_texts(annotations: Path, article_dirs: Sequence[Path]) -> Iterator[tuple[str, str, list[dict]]]:
    """(article id, text, annotation rows) of each article of an annotation file, found in the
    first of ``article_dirs`` that holds it."""
    rows = read_annotations(annotations)
    files: dict[str, Path] = {}
    for folder in reversed(article_dirs):
        files.update(list_article_files(folder))
    by_article: dict[str, list[dict]] = {}
    for row in rows:
        by_article.setdefault(row["article_id"], []).append(row)
    for article_id, items in by_article.items():
        if article_id not in files:
            folders = " or ".join(str(folder) for folder in article_dirs)
            raise InputError(f"{annotations}: article {article_id} is not in {folders}")
        try:
            text = read_article_file(files[article_id])
        except UnicodeDecodeError:
            raise InputError(f"{files[article_id]}: not UTF-8 text") from None
        for item in items:
            offsets = [item[column] for column in ("start", "end", "speaker_end", "target_end") if item[column]]
            if any(int(offset) > len(text) for offset in offsets):
                raise InputError(
                    f"{annotations}: a row of article {article_id} reaches past its {len(text)} characters"
                )
        yield article_id, text, items


def article_attributor(text: str, paragraphs: list[tuple[int, object]]) -> Attributor:
    """The Attributor of a whole article file, with its title where the layout finds it (as
    the pipeline sees a crawled article)."""
    return Attributor(text, [(0, len(text))], paragraphs, parse_layout(text).title_range)


def annotated_articles(annotations: Path, article_dirs: Sequence[Path]) -> Iterator[AnnotatedArticle]:
    """The articles of an annotation file, parsed, with their annotation rows."""
    for article_id, text, items in annotated_texts(annotations, article_dirs):
        paragraphs = parse_regions(text, [(0, len(text))]).paragraphs
        attributor = article_attributor(text, paragraphs)
        yield AnnotatedArticle(article_id, text, attributor, Targeter(text, paragraphs, attributor), items)


def speaker_matches(voice: Voice, row: dict, text: str) -> bool:
    """Whether ``voice`` names the annotated speaker: its name ends with the same word."""
    if not (voice.speaker and row["speaker_start"]):
        return False
    return _last_word(voice.speaker) == _last_word(text[int(row["speaker_start"]) : int(row["speaker_end"])])


def target_matches(target: Target | None, row: dict, text: str) -> bool:
    """Whether ``target`` counts as the annotated one: it overlaps it or ends with the same word."""
    gold_start, gold_end = int(row["target_start"]), int(row["target_end"])
    return target is not None and (
        (target.start < gold_end and gold_start < target.end)
        or _last_word(target.name) == _last_word(text[gold_start:gold_end])
    )


def encoder_states(ranker: CandidateRanker, text: str) -> TokenStates:
    """The states of ``text`` from the tagging model ``ranker`` was trained on (the bundled one,
    or $PROPSCOPE_MODEL_DIR's); ModelError when that is another model."""
    from propscope.tagging.onnx_tagger import bundled_tagger

    tagger = bundled_tagger()
    if ranker.encoder != encoder_name(tagger):
        raise ModelError(
            f"the target ranker was trained on the states of {ranker.encoder or 'no encoder'}, not of "
            f"{encoder_name(tagger)}: retrain it (propscope train-targets) with the tagging model in use"
        )
    return tagger.tag_with_states(text)[1]


def ranked_targeter(targeter: Targeter, model: CandidateRanker | TargetChooser) -> RankedTargeter:
    """Targets of an annotated article chosen by ``model`` among the candidates."""
    if isinstance(model, CandidateRanker):
        return RankedTargeter(targeter, model, partial(encoder_states, model, targeter.text))
    return RankedTargeter(targeter, model.for_article(targeter.text, targeter.attributor.title))


def evaluate_attribution(
    annotations: Path,
    article_dirs: Sequence[Path],
    ranker: CandidateRanker | TargetChooser | None = None,
    confidence: AttributionConfidence | None = None,
) -> Evaluation:
    """Voice, speaker and target against ``annotations``; targets chosen by ``ranker`` (or a
    fine-tuned chooser) among the candidates, or by the rules alone when it is None; voices and
    speakers given the ``confidence`` of each, when it is given."""
    evaluation = Evaluation()
    for article in annotated_articles(annotations, article_dirs):
        text, attributor = article.text, article.attributor
        sureness = confidence.for_article(text, attributor.title) if confidence is not None else None
        targeter: TargetFinder = article.targeter if ranker is None else ranked_targeter(article.targeter, ranker)
        tallies = evaluation.by_article.setdefault(article.article_id, {m: Tally() for m in MEASURES})
        for row in article.rows:
            start, end = int(row["start"]), int(row["end"])
            voice = attributor.voice_of(start, end)
            found = dict.fromkeys(FOUND_COLUMNS, "")
            found["found_voice"] = voice.voice
            if voice.speaker and voice.speaker_range:
                found["found_speaker_start"], found["found_speaker_end"] = map(str, voice.speaker_range)
            tallies["voice"].add(voice.voice == row["voice"])
            found["voice_right"] = str(int(voice.voice == row["voice"]))
            evaluation.confusion[(row["voice"], voice.voice)] += 1
            if sureness is not None:
                voice_confidence, speaker_confidence = sureness.of(start, end, voice)
                evaluation.confidences["voice"].append((voice_confidence, voice.voice == row["voice"]))
                found["voice_confidence"] = str(voice_confidence)
                if speaker_confidence is not None:
                    evaluation.confidences["speaker"].append((speaker_confidence, speaker_matches(voice, row, text)))
                    found["speaker_confidence"] = str(speaker_confidence)
            if row["speaker_start"]:
                right = speaker_matches(voice, row, text)
                tallies["speaker"].add(right)
                found["speaker_right"] = str(int(right))
            if row["target_start"]:
                target = targeter.target_of(start, end, row["technique"])
                right = target_matches(target, row, text)
                tallies["target"].add(right)
                found["target_right"] = str(int(right))
                if target is not None:
                    found["found_target_start"], found["found_target_end"] = str(target.start), str(target.end)
                if target is not None and target.confidence is not None:
                    evaluation.confidences["target"].append((target.confidence, right))
                    found["target_confidence"] = str(target.confidence)
            evaluation.rows.append({**{column: row[column] for column in COLUMNS}, **found})
    return evaluation


def rows_table(evaluation: Evaluation) -> str:
    """The annotation rows with what was found for each, as a tab-separated table with a header:
    ids, offsets and labels only, like the annotations."""
    header = (*COLUMNS, *FOUND_COLUMNS)
    lines = ["\t".join(header)] + ["\t".join(row[column] for column in header) for row in evaluation.rows]
    return "\n".join(lines) + "\n"
