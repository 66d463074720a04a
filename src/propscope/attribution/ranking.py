"""A learned choice among the mentions a span may be aimed at.

The rules of ``targets`` give one answer per span; here every mention in the span's sentence
and the sentence before it (in the same paragraph) is a candidate, described by where it
stands (before, inside or after the span, how far, how far in the parse), what it is (a name,
a pronoun, an entity of which kind, how often the article names it), whether the rules
chose it, and by what the tagging model's encoder read there: its states of the mention and of
the span, and their product. A small network trained on annotated spans (``propscope
train-targets``) scores the candidates of a span against each other, and the best one is the
target. With no candidate the rules' answer stands.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from propscope.attribution.grammar import is_reporting, last_word, span_in
from propscope.attribution.targets import TARGETED_TECHNIQUES, Target, Targeter
from propscope.tagging.artifacts import read_weights
from propscope.tagging.base import StateTagger, Tagger

if TYPE_CHECKING:
    import numpy as np

    from propscope.attribution.chooser import TargetChooser
    from propscope.attribution.ranker import Calibration, CandidateRanker
    from propscope.document import Range
    from propscope.tagging.states import TokenStates

RANKER_NAME = "target-ranker.json"
#: the ranker that ships inside the package
BUNDLED_RANKER = Path(__file__).resolve().parent / "model" / RANKER_NAME
ENTITY_LABELS = ("PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "WORK_OF_ART")
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "him", "her", "them", "you", "us", "me"})
#: parse steps beyond which two words count as unrelated
FAR = 20


class TargetFinder(Protocol):
    """What chooses targets: the rules alone (``Targeter``) or the ranker (``RankedTargeter``)."""

    def target_of(self, start: int, end: int, technique: str) -> Target | None: ...


@dataclass(frozen=True)
class Candidate:
    target: Target
    features: dict[str, float]
    #: what the encoder read: ``pair_vector`` of the span's and the mention's states; None
    #: when the span lies outside what was encoded
    vector: np.ndarray | None = field(default=None, compare=False)
    #: where the candidate is mentioned in the span's paragraph, which may not be where its
    #: target is (a pronoun's target is the name it stands for); None for the rules' answer
    #: from further away
    mention: tuple[int, int] | None = field(default=None, compare=False)


class SpanScorer(Protocol):
    """What scores a span's candidates against each other: the ranker, or the fine-tuned
    chooser bound to an article; ``calibration`` turns the scores into a confidence."""

    @property
    def calibration(self) -> Calibration: ...

    def scores_of(self, start: int, end: int, candidates: list[Candidate]) -> np.ndarray: ...


def load_ranker(path: Path = BUNDLED_RANKER) -> CandidateRanker:
    """The ranker at ``path``, checked against the SHA256SUMS beside it."""
    from propscope.attribution.ranker import CandidateRanker

    return read_weights(path, "target ranker", CandidateRanker.from_json)


@cache
def bundled_ranker() -> CandidateRanker:
    return load_ranker(BUNDLED_RANKER)


def _as_numbers(features: dict) -> dict[str, float]:
    return {name: float(value) for name, value in features.items()}


def _parse_distance(a, b) -> int:
    if a.sent.start != b.sent.start:
        return FAR
    up = {t.i: steps for steps, t in enumerate([a, *a.ancestors])}
    for steps, t in enumerate([b, *b.ancestors]):
        if t.i in up:
            return min(up[t.i] + steps, FAR)
    return FAR


def pair_vector(span_state: np.ndarray | None, mention_state: np.ndarray | None) -> np.ndarray | None:
    """The encoder's view of a span and a candidate mention: the mention's state, its product
    with the span's (how the two relate), the span's state, and whether the mention had none."""
    import numpy as np

    if span_state is None:
        return None
    if mention_state is None:
        empty = np.zeros_like(span_state)
        return np.concatenate([empty, empty, span_state, [1.0]])
    return np.concatenate([mention_state, span_state * mention_state, span_state, [0.0]])


class CandidateFinder:
    """The mentions of an article (entities and noun phrases), and the candidate targets of a span
    among them with their features and the encoder's view of them (``states``; None for a
    scorer that reads the article itself)."""

    def __init__(self, targeter: Targeter, states: TokenStates | None) -> None:
        self.targeter = targeter
        self.states = states
        #: each paragraph's mentions, with where the sentence of each begins
        self.mentions: dict[int, list[tuple[object, int]]] = {}
        names: Counter[str] = Counter()
        for index, (_, doc) in enumerate(targeter.docs):
            phrases = [e[1:] if len(e) > 1 and e[0].dep_ == "det" else e for e in doc.ents]
            named = {(p.start, p.end) for p in phrases}
            phrases += [c for c in doc.noun_chunks if (c.start, c.end) not in named]
            self.mentions[index] = [(p, p.root.sent.start) for p in phrases]
            names.update(last_word(p.text) for p in phrases)
        self.names = names
        self.first_line_end = targeter.text.find("\n")

    def around(self, start: int, end: int, technique: str) -> tuple[Target | None, list[Candidate]]:
        """The rules' target of a span, and the candidates to rank with the rules' choice and the
        span's speaker among their features."""
        chosen = self.targeter.target_of(start, end, technique)
        return chosen, self.candidates(start, end, technique, chosen, self.targeter.speaker_of(start, end))

    def candidates(
        self, start: int, end: int, technique: str, chosen: Target | None, speaker: str | None
    ) -> list[Candidate]:
        found = span_in(self.targeter.docs, start, end)
        if found is None:
            return []
        offset, doc, span = found
        index = next(i for i, (_, paragraph) in enumerate(self.targeter.docs) if paragraph is doc)
        sentence = span.root.sent.start
        previous = doc[sentence - 1].sent.start if sentence > 0 else None
        shared = {
            "rules_found_one": chosen is not None,
            **{f"technique_{name}": technique == name for name in TARGETED_TECHNIQUES},
        }
        span_state = None if self.states is None else self.states.mean(start, end)
        candidates = []
        for phrase, phrase_sentence in self.mentions[index]:
            if phrase_sentence not in (sentence, previous):
                continue
            target = self.targeter.mention_target(offset, doc, list(phrase))
            at, until = offset + phrase.start_char, offset + phrase.end_char
            entity = phrase.root.ent_type_
            features = {
                **self._mention_features(phrase, at, until, start, end),
                **shared,
                "same_sentence": phrase_sentence == sentence,
                "parse_distance": _parse_distance(phrase.root, span.root),
                "heads_into_span": span.start <= phrase.root.head.i < span.end,
                "span_heads_into": phrase.start <= span.root.head.i < phrase.end,
                "chosen_by_rules": chosen is not None and target.start < chosen.end and chosen.start < target.end,
                "is_speaker": bool(speaker) and last_word(target.name) == last_word(speaker),
                **{f"entity_{label}": entity == label for label in ENTITY_LABELS},
                "entity_other": bool(entity) and entity not in ENTITY_LABELS,
            }
            vector = self._vector(span_state, at, until)
            candidates.append(Candidate(target, _as_numbers(features), vector, (at, until)))
        if chosen is not None and not any(c.features["chosen_by_rules"] for c in candidates):
            # the rules can reach further (a pronoun's antecedent, a name in an earlier paragraph)
            features = {**shared, "chosen_by_rules": True, "outside_window": True}
            vector = self._vector(span_state, chosen.start, chosen.end)
            candidates.append(Candidate(chosen, _as_numbers(features), vector))
        return candidates

    def _vector(self, span_state: np.ndarray | None, at: int, until: int) -> np.ndarray | None:
        return None if self.states is None else pair_vector(span_state, self.states.mean(at, until))

    def _mention_features(self, phrase, at: int, until: int, start: int, end: int) -> dict:
        root = phrase.root
        before, after = until <= start, at >= end
        distance = start - until if before else at - end if after else 0
        return {
            "before": before,
            "after": after,
            "inside": not before and not after,
            "log_distance": math.log1p(distance),
            "subject": root.dep_ in ("nsubj", "nsubjpass"),
            "object": root.dep_ == "dobj",
            "prep_object": root.dep_ == "pobj",
            "possessor": root.dep_ == "poss",
            "apposition": root.dep_ == "appos",
            "compound": root.dep_ == "compound",
            "reporting_subject": root.dep_ in ("nsubj", "nsubjpass") and is_reporting(root.head),
            "by_object": root.dep_ == "pobj" and root.head.lower_ == "by",
            "of_main_clause": root.head.dep_ == "ROOT",
            "pronoun": root.lower_ in PRONOUNS,
            "proper_noun": root.pos_ == "PROPN",
            "noun": root.pos_ == "NOUN",
            "in_quotation": self.targeter.attributor.inside_quote(at),
            "in_title": self.first_line_end < 0 or at < self.first_line_end,
            "log_namings": math.log1p(self.names[last_word(phrase.text)]),
            "words": min(len(phrase), 8),
        }


class RankedTargeter:
    """Targets chosen by a scorer among the candidates, with the rules' choice as one feature."""

    def __init__(
        self, targeter: Targeter, scorer: SpanScorer, read: Callable[[], TokenStates | None] = lambda: None
    ) -> None:
        self.targeter = targeter
        self.scorer = scorer
        #: gives the tagging encoder's states of the article, for a scorer that reads them
        self.read = read

    @cached_property
    def finder(self) -> CandidateFinder:
        # the article's mentions are gathered, and its states read, only if one of its spans is
        # aimed at someone
        return CandidateFinder(self.targeter, self.read())

    def target_of(self, start: int, end: int, technique: str) -> Target | None:
        chosen, candidates = self.finder.around(start, end, technique)
        if not candidates:
            return chosen
        scores = self.scorer.scores_of(start, end, candidates)
        # train-targets measures the calibration of this confidence on held-out articles
        # ("cv_ece", "held_out_ece"), evaluate-attribution on any annotated file
        confidence = round(self.scorer.calibration.confidence(scores), 3)
        return replace(candidates[int(scores.argmax())].target, confidence=confidence)


def encoder_name(tagger: StateTagger) -> str:
    """How a ranker names the tagging model whose states it was trained on: its name, version and
    the digest of its encoder (a retrained model may keep the name and version)."""
    return f"{tagger.name} {tagger.version} sha256:{tagger.encoder_digest[:16]}"


@cache
def bundled_chooser() -> TargetChooser | None:
    """The fine-tuned chooser that ships inside the package, if one does."""
    from propscope.attribution.chooser import BUNDLED_CHOOSER_DIR, CHOOSER_NAME, TargetChooser

    return TargetChooser(BUNDLED_CHOOSER_DIR) if (BUNDLED_CHOOSER_DIR / CHOOSER_NAME).is_file() else None


def target_finder(rules: Targeter, tagger: Tagger, states: TokenStates | None, encoded: Range) -> TargetFinder:
    """The bundled fine-tuned chooser when one ships, which reads the article itself. Else the
    bundled ranker over the encoder's ``states`` when ``tagger`` is the model it was trained
    with; over the bundled model's states of ``rules.text[encoded]``, read when first needed,
    when another tagger gave the spans (a test's fake); the rules alone when the bundled model is
    not that one either (a retrained tagging model in $PROPSCOPE_MODEL_DIR)."""
    chooser = bundled_chooser()
    if chooser is not None:
        return RankedTargeter(rules, chooser.for_article(rules.text, rules.attributor.title))
    ranker = bundled_ranker()
    if states is not None and isinstance(tagger, StateTagger) and ranker.encoder == encoder_name(tagger):
        return RankedTargeter(rules, ranker, lambda: states)
    from propscope.tagging.onnx_tagger import bundled_tagger

    encoder = bundled_tagger()
    if ranker.encoder != encoder_name(encoder):
        return rules
    return RankedTargeter(rules, ranker, lambda: encoder.tag_with_states(rules.text, *encoded)[1])
