"""The learned choice of targets: scoring, the weights file and its checksum, and the
candidates it chooses among, on sentences written for these tests."""

import math

import numpy as np
import pytest

from propscope.attribution import Attributor, Targeter
from propscope.attribution.ranker import CandidateRanker
from propscope.attribution.ranking import (
    CHECKSUMS_NAME,
    RANKER_NAME,
    Candidate,
    CandidateFinder,
    RankedTargeter,
    bundled_ranker,
    load_ranker,
)
from propscope.errors import ModelError
from propscope.segment import parse_regions
from propscope.tagging.artifacts import sha256_file

TEXT = (
    "The harbour council met on Monday in Porthaven.\n"
    "Later that night Mayor Ann Price called the dock board a nest of greedy crooks."
)
SPAN = "a nest of greedy crooks"


def linear(weights: dict[str, float], bias: float = 0.0) -> CandidateRanker:
    """A ranker that scores a candidate by a weighted sum of its features (no vector, no hidden
    layer), with the score itself as the log-odds of its confidence."""
    names = list(weights) or ["before"]
    column = [[weights.get(name, 0.0)] for name in names]
    return CandidateRanker(names, [0.0] * len(names), [1.0] * len(names), [(column, [bias])])


def targeter(text: str = TEXT) -> Targeter:
    regions = [(0, len(text))]
    paragraphs = parse_regions(text, regions).paragraphs
    return Targeter(text, paragraphs, Attributor(text, regions, paragraphs))


def span(fragment: str = SPAN, text: str = TEXT) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def test_the_best_scoring_candidate_is_the_target():
    rules = targeter()
    start, end = span()
    trusting = RankedTargeter(rules, linear({"chosen_by_rules": 5.0}))
    chosen = rules.target_of(start, end, "Name_Calling,Labeling")
    found = trusting.target_of(start, end, "Name_Calling,Labeling")
    assert (found.start, found.end, found.name) == (chosen.start, chosen.end, chosen.name)
    # weights that prefer a person named before the span, in the same sentence
    by_person = RankedTargeter(rules, linear({"entity_PERSON": 3.0, "same_sentence": 1.0, "after": -2.0}))
    assert by_person.target_of(start, end, "Name_Calling,Labeling").name.endswith("Price")


def test_candidates_are_the_mentions_of_the_span_sentence_and_the_one_before():
    text = "Porthaven is a quiet town. " + TEXT.replace("\n", " ")
    start, end = span(text=text)
    candidates = CandidateFinder(targeter(text)).candidates(start, end, "Loaded_Language", None, None)
    names = [text[c.target.start : c.target.end] for c in candidates]
    assert any("dock board" in name for name in names)
    assert any("council" in name for name in names)
    assert not any(name.startswith("Porthaven is") or c.target.start == 0 for name, c in zip(names, candidates))
    inside = [c for c in candidates if c.target.start >= start and c.target.end <= end]
    assert inside and all(c.features["inside"] == 1.0 for c in inside)
    assert all(c.features["technique_Loaded_Language"] == 1.0 for c in candidates)


def test_a_span_without_candidates_keeps_the_rules_answer(monkeypatch):
    rules = targeter()
    start, end = span()
    ranked = RankedTargeter(rules, linear({"inside": 1.0}))
    monkeypatch.setattr(ranked.finder, "candidates", lambda *args: [])
    chosen = rules.target_of(start, end, "Name_Calling,Labeling")
    assert chosen is not None
    assert ranked.target_of(start, end, "Name_Calling,Labeling") == chosen


def test_a_ranker_that_scores_everything_hugely_still_gives_a_probability():
    rules = targeter()
    start, end = span()
    for bias in (-1000.0, 1000.0):
        found = RankedTargeter(rules, linear({}, bias=bias)).target_of(start, end, "Loaded_Language")
        assert found.confidence == (0.0 if bias < 0 else 1.0)


def test_weights_file_round_trip_and_checksum(tmp_path):
    hidden = ([[0.5, -1.0], [1.25, 0.0], [0.0, 2.0]], [0.1, -0.2])
    ranker = CandidateRanker(
        ["before", "proper_noun"], [0.5, 0.0, 0.0], [0.5, 1.0, 1.0], [hidden, ([[1.0], [-0.5]], [0.3])]
    )
    path = tmp_path / RANKER_NAME
    path.write_text(ranker.to_json({"spans": 3}), encoding="utf-8")
    (tmp_path / CHECKSUMS_NAME).write_text(f"{sha256_file(path)}  {RANKER_NAME}\n", encoding="utf-8")
    loaded = load_ranker(path)
    candidates = [
        Candidate(None, {"before": 1.0, "proper_noun": 1.0, "unknown_feature": 7.0}, np.array([0.25])),
        Candidate(None, {"after": 1.0}),
    ]
    assert loaded.vector_size == 1
    assert loaded.scores(candidates) == pytest.approx(ranker.scores(candidates))
    path.write_text(path.read_text(encoding="utf-8").replace("1.25", "9.25"), encoding="utf-8")
    with pytest.raises(ModelError, match="checksum mismatch"):
        load_ranker(path)
    (tmp_path / CHECKSUMS_NAME).write_text("not-a-checksum-line\n", encoding="utf-8")
    with pytest.raises(ModelError, match="no line for"):
        load_ranker(path)
    (tmp_path / CHECKSUMS_NAME).unlink()
    with pytest.raises(ModelError, match="missing"):
        load_ranker(path)


def test_the_network_scores_by_its_layers_with_the_training_gelu():
    ranker = CandidateRanker(["inside"], [1.0, 0.0], [2.0, 1.0], [([[1.0], [3.0]], [0.5]), ([[2.0]], [-1.0])])
    inputs = np.array([(3.0 - 1.0) / 2.0, 0.5])
    hidden = inputs @ [1.0, 3.0] + 0.5
    gelu = 0.5 * hidden * (1 + math.tanh(math.sqrt(2 / math.pi) * (hidden + 0.044715 * hidden**3)))
    score = ranker.scores([Candidate(None, {"inside": 3.0}, np.array([0.5]))])[0]
    assert score == pytest.approx(2.0 * gelu - 1.0)


@pytest.mark.parametrize(
    "content",
    [
        '{"weights": [1, 2]}',
        '{"features": ["a"], "center": [NaN], "scale": [1], "layers": [[[[1]], [0]]], "calibration": [1, 0]}',
        '{"features": ["a"], "center": [0], "scale": [1], "layers": [[[[1, 2]], [0, 0]]], "calibration": [1, 0]}',
        '{"features": [1], "center": [0], "scale": [1], "layers": [[[[1]], [0]]], "calibration": [1, 0]}',
        '{"features": ["a"], "center": [0], "scale": [1], "layers": [[[[1]], [true]]], "calibration": [1, 0]}',
        "\udcff",
    ],
)
def test_a_weights_file_that_is_not_one_is_a_model_error(tmp_path, content):
    path = tmp_path / RANKER_NAME
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    (tmp_path / CHECKSUMS_NAME).write_text(f"{sha256_file(path)} *{RANKER_NAME}\n", encoding="utf-8")
    with pytest.raises(ModelError, match="not a weights file"):
        load_ranker(path)


def test_checksums_without_the_ranker_or_unreadable_are_model_errors(tmp_path):
    path = tmp_path / RANKER_NAME
    path.write_text(linear({"before": 1.0}).to_json({}), encoding="utf-8")
    (tmp_path / CHECKSUMS_NAME).write_text("0123  other.json\n", encoding="utf-8")
    with pytest.raises(ModelError, match=r"no line for target-ranker\.json"):
        load_ranker(path)
    (tmp_path / CHECKSUMS_NAME).write_bytes(b"\xff\xfe not text")
    with pytest.raises(ModelError, match="unreadable"):
        load_ranker(path)


def test_the_bundled_ranker_passes_its_checksum_and_trusts_the_rules():
    ranker = bundled_ranker()
    trusted = Candidate(None, {"chosen_by_rules": 1.0, "same_sentence": 1.0})
    ignored = Candidate(None, {"chosen_by_rules": 0.0, "same_sentence": 1.0})
    assert ranker.best([ignored, trusted]) == 1


def test_a_ranked_target_carries_the_calibrated_probability_of_its_score():
    rules = targeter()
    start, end = span()
    ranker = linear({"entity_PERSON": 3.0, "after": -2.0}, bias=-1.0)
    ranker.calibration = (0.5, 0.25)
    ranked = RankedTargeter(rules, ranker)
    found = ranked.target_of(start, end, "Loaded_Language")
    candidates = ranked.finder.candidates(
        start, end, "Loaded_Language", rules.target_of(start, end, "Loaded_Language"), None
    )
    best = max(ranker.scores(candidates))
    assert found.confidence == pytest.approx(1 / (1 + math.exp(-(0.5 * best + 0.25))), abs=1e-3)


def test_candidates_carry_the_context_vector_of_their_words():
    start, end = span()
    candidates = CandidateFinder(targeter()).candidates(start, end, "Loaded_Language", None, None)
    vectors = np.stack([c.vector for c in candidates])
    assert vectors.shape == (len(candidates), 96)
    assert len(np.unique(vectors, axis=0)) == len(candidates)
