"""The learned choice of targets: scoring, the weights file and its checksum, and the
candidates it chooses among, on sentences written for these tests."""

import math

import numpy as np
import pytest

from propscope.attribution import Attributor, Targeter
from propscope.attribution.ranker import Calibration, CandidateRanker
from propscope.attribution.ranking import (
    RANKER_NAME,
    Candidate,
    CandidateFinder,
    RankedTargeter,
    bundled_chooser,
    bundled_ranker,
    encoder_name,
    load_ranker,
    pair_vector,
    target_finder,
)
from propscope.errors import ModelError
from propscope.segment import parse_regions
from propscope.tagging.artifacts import CHECKSUMS_NAME, sha256_file
from propscope.tagging.inference import SpanHead
from propscope.tagging.onnx_tagger import bundled_tagger
from propscope.tagging.states import TokenStates

TEXT = (
    "The harbour council met on Monday in Porthaven.\n"
    "Later that night Mayor Ann Price called the dock board a nest of greedy crooks."
)
SPAN = "a nest of greedy crooks"


def linear(weights: dict[str, float], calibration: Calibration | None = None) -> CandidateRanker:
    """A ranker that scores a candidate by a weighted sum of its features, ignoring its vector:
    one hidden unit, shifted far up where GELU is the identity, then shifted back."""
    names = list(weights) or ["before"]
    column = np.array([[weights.get(name, 0.0)] for name in names])
    head = SpanHead(column, np.array([1000.0]), np.array([[1.0]]), np.array([-1000.0]))
    return CandidateRanker(names, np.zeros(len(names)), np.ones(len(names)), head, calibration or Calibration())


def targeter(text: str = TEXT) -> Targeter:
    regions = [(0, len(text))]
    paragraphs = parse_regions(text, regions).paragraphs
    return Targeter(text, paragraphs, Attributor(text, regions, paragraphs))


def states(text: str = TEXT) -> TokenStates:
    return bundled_tagger().tag_with_states(text)[1]


def span(fragment: str = SPAN, text: str = TEXT) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def test_the_best_scoring_candidate_is_the_target():
    rules = targeter()
    start, end = span()
    trusting = RankedTargeter(rules, linear({"chosen_by_rules": 5.0}), states)
    chosen = rules.target_of(start, end, "Name_Calling,Labeling")
    found = trusting.target_of(start, end, "Name_Calling,Labeling")
    assert (found.start, found.end, found.name) == (chosen.start, chosen.end, chosen.name)
    # weights that prefer a person named before the span, in the same sentence
    by_person = RankedTargeter(rules, linear({"entity_PERSON": 3.0, "same_sentence": 1.0, "after": -2.0}), states)
    assert by_person.target_of(start, end, "Name_Calling,Labeling").name.endswith("Price")


def test_candidates_are_the_mentions_of_the_span_sentence_and_the_one_before():
    text = "Porthaven is a quiet town. " + TEXT.replace("\n", " ")
    start, end = span(text=text)
    candidates = CandidateFinder(targeter(text), states(text)).candidates(start, end, "Loaded_Language", None, None)
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
    ranked = RankedTargeter(rules, linear({"inside": 1.0}), states)
    monkeypatch.setattr(ranked.finder, "candidates", lambda *args: [])
    chosen = rules.target_of(start, end, "Name_Calling,Labeling")
    assert chosen is not None
    assert ranked.target_of(start, end, "Name_Calling,Labeling") == chosen


def test_a_clear_winner_gets_a_confidence_near_one_and_a_tie_near_the_intercept():
    rules = targeter()
    start, end = span()
    calibration = Calibration(margin=2.0, alone=1.0, intercept=-0.5)
    chosen = rules.target_of(start, end, "Loaded_Language")
    winner = RankedTargeter(rules, linear({"chosen_by_rules": 500.0}, calibration), states).target_of(
        start, end, "Loaded_Language"
    )
    assert (winner.start, winner.end) == (chosen.start, chosen.end) and winner.confidence == 1.0
    # every candidate scores the same: the margin is 0, so the confidence is the intercept's
    tie = RankedTargeter(rules, linear({}, calibration), states).target_of(start, end, "Loaded_Language")
    assert tie.confidence == pytest.approx(1 / (1 + math.exp(0.5)), abs=1e-3)


def test_calibration_terms_are_the_lead_over_the_runner_up_or_being_alone():
    assert Calibration.terms(np.array([0.5, 3.0, -1.0, 2.0])) == (1.0, 0.0)
    assert Calibration.terms(np.array([7.0])) == (0.0, 1.0)
    # the level of the scores does not matter, only how far the best is ahead
    assert Calibration().confidence(np.array([1.0, 2.0])) == Calibration().confidence(np.array([101.0, 102.0]))


def weights_file(tmp_path, ranker: CandidateRanker):
    path = tmp_path / RANKER_NAME
    path.write_text(ranker.to_json({"spans": 3}), encoding="utf-8")
    (tmp_path / CHECKSUMS_NAME).write_text(f"{sha256_file(path)}  {RANKER_NAME}\n", encoding="utf-8")
    return path


def small_network(calibration: Calibration | None = None) -> CandidateRanker:
    """Two features and a vector of one number, through two hidden units."""
    head = SpanHead(
        np.array([[0.5, -1.0], [1.25, 0.0], [0.0, 2.0]]),
        np.array([0.1, -0.2]),
        np.array([[1.0], [-0.5]]),
        np.array([0.3]),
    )
    return CandidateRanker(
        ["before", "proper_noun"],
        np.array([0.5, 0.0, 0.0]),
        np.array([0.5, 1.0, 1.0]),
        head,
        calibration or Calibration(),
    )


def test_weights_file_round_trip_and_checksum(tmp_path):
    ranker = small_network(Calibration(0.5, -0.25, 0.125))
    path = weights_file(tmp_path, ranker)
    loaded = load_ranker(path)
    candidates = [
        Candidate(None, {"before": 1.0, "proper_noun": 1.0, "unknown_feature": 7.0}, np.array([0.25])),
        Candidate(None, {"after": 1.0}),
    ]
    assert loaded.vector_size == 1 and loaded.calibration == ranker.calibration
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


def test_a_vector_of_another_size_is_a_model_error_not_silent_zeros():
    wrong = Candidate(None, {"before": 1.0}, np.zeros(5))
    with pytest.raises(ModelError, match="encoder vectors of 1 numbers, not 5"):
        small_network().scores([wrong])


@pytest.mark.parametrize(
    "content",
    [
        '{"weights": {"before": 1.0}, "bias": 0}',
        '{"features": ["a"], "center": [NaN], "scale": [1], "layers": {"w1": [[1]], "b1": [0], "w2": [[1]], "b2": [0]}, "calibration": {"margin": 1, "alone": 0, "intercept": 0}}',
        '{"features": ["a"], "center": [0], "scale": [1], "layers": {"w1": [[1, 2]], "b1": [0], "w2": [[1]], "b2": [0]}, "calibration": {"margin": 1, "alone": 0, "intercept": 0}}',
        '{"features": [1], "center": [0], "scale": [1], "layers": {"w1": [[1]], "b1": [0], "w2": [[1]], "b2": [0]}, "calibration": {"margin": 1, "alone": 0, "intercept": 0}}',
        '{"features": "a", "center": [0], "scale": [1], "layers": {"w1": [[1]], "b1": [0], "w2": [[1]], "b2": [0]}, "calibration": {"margin": 1, "alone": 0, "intercept": 0}}',
        '{"features": ["a", "a"], "center": [0, 0], "scale": [1, 1], "layers": {"w1": [[1], [1]], "b1": [0], "w2": [[1]], "b2": [0]}, "calibration": {"margin": 1, "alone": 0, "intercept": 0}}',
        '{"features": ["a"], "center": [0], "scale": [1], "layers": {"w1": [[1]], "b1": [true], "w2": [[1]], "b2": [0]}, "calibration": {"margin": 1, "alone": 0, "intercept": 0}}',
        '{"features": ["a"], "center": [0], "scale": [0], "layers": {"w1": [[1]], "b1": [0], "w2": [[1]], "b2": [0]}, "calibration": {"margin": 1, "alone": 0, "intercept": 0}}',
        '{"features": ["a"], "center": [[0]], "scale": [1], "layers": {"w1": [[1]], "b1": [0], "w2": [[1]], "b2": [0]}, "calibration": {"margin": 1, "alone": 0, "intercept": 0}}',
        '{"features": ["a"], "center": [0], "scale": [1], "layers": {"w1": [[1]], "b1": [0], "w2": [[1]], "b2": [10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000]}, "calibration": {"margin": 1, "alone": 0, "intercept": 0}}',
        '{"features": ["a"], "center": [0], "scale": [1], "layers": {"w1": [[1]], "b1": [0], "w2": [[1]], "b2": [0]}, "calibration": {"margin": [[1, 2], [3, 4]], "alone": 0, "intercept": 0}}',
        '{"features": ["a"], "center": [0], "scale": [1], "layers": {"w1": [[1]], "b1": [0], "w2": [[1]], "b2": [0]}, "calibration": {"margin": 1}}',
        "[" * 100_000 + "]" * 100_000,
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


def test_the_bundled_ranker_passes_its_checksum_and_follows_the_rules_on_a_plain_label():
    rules = targeter()
    start, end = span()
    chosen = rules.target_of(start, end, "Name_Calling,Labeling")
    found = RankedTargeter(rules, bundled_ranker(), states).target_of(start, end, "Name_Calling,Labeling")
    assert (found.start, found.end) == (chosen.start, chosen.end)
    assert 0 < found.confidence < 1


def test_a_ranked_target_carries_the_calibrated_probability_of_its_lead():
    rules = targeter()
    start, end = span()
    ranker = linear({"chosen_by_rules": 3.0, "log_distance": -0.5}, Calibration(margin=0.5, alone=0.0, intercept=0.25))
    ranked = RankedTargeter(rules, ranker, states)
    found = ranked.target_of(start, end, "Loaded_Language")
    candidates = ranked.finder.candidates(
        start, end, "Loaded_Language", rules.target_of(start, end, "Loaded_Language"), None
    )
    runner_up, best = sorted(ranker.scores(candidates))[-2:]
    assert best > runner_up
    assert found.confidence == pytest.approx(1 / (1 + math.exp(-(0.5 * (best - runner_up) + 0.25))), abs=1e-3)
    assert rules.target_of(start, end, "Loaded_Language").confidence is None


def test_analysis_json_gives_each_ranked_target_a_confidence(use_fake_tagger):
    from propscope.ingest.sources import article_from_text
    from propscope.pipeline import analyse_article

    text = "Harbour vote\n\nMayor Ann Price spoke on Monday.\nShe called the dock board disgraceful traitors.\n"
    analysis = analyse_article(article_from_text(text))
    targeted = [s for s in analysis.to_dict()["spans"] if s["target"]]
    assert len(targeted) == 2, "the fake tagger flags 'disgraceful' and 'traitors', which get targets"
    assert all(0 < s["target_confidence"] < 1 for s in targeted)


def test_candidates_carry_the_encoders_view_of_the_span_and_the_mention():
    start, end = span()
    encoded = states()
    candidates = CandidateFinder(targeter(), encoded).candidates(start, end, "Loaded_Language", None, None)
    vectors = np.stack([c.vector for c in candidates])
    size = encoded.size
    assert vectors.shape == (len(candidates), 3 * size + 1)
    assert len(np.unique(vectors[:, :size], axis=0)) == len(candidates)
    # the span's own state is the same for every candidate, and the product joins the two
    span_state = encoded.mean(start, end)
    assert np.allclose(vectors[:, 2 * size : 3 * size], span_state)
    assert np.allclose(vectors[:, size : 2 * size], vectors[:, :size] * span_state)
    missing = pair_vector(span_state, None)
    assert missing[-1] == 1.0 and not missing[:size].any()
    assert pair_vector(None, span_state) is None


def test_token_states_average_the_pieces_a_range_overlaps():
    offsets = np.array([[0, 3], [4, 9], [9, 12], [14, 20]])
    hidden = np.arange(8, dtype=np.float32).reshape(4, 2)
    encoded = TokenStates(offsets, hidden)
    assert encoded.mean(5, 10) == pytest.approx([3.0, 4.0])  # the second and third pieces
    assert encoded.mean(0, 1) == pytest.approx([0.0, 1.0])
    assert encoded.mean(12, 14) is None  # only the spaces between pieces
    assert encoded.mean(9, 9) is None and encoded.mean(6, 6) is None  # an empty range
    assert encoded.mean(9, 12) == pytest.approx([4.0, 5.0])  # adjacent pieces stay apart
    assert encoded.mean(30, 40) is None


def test_the_ranker_runs_on_the_states_of_the_model_it_was_trained_with(monkeypatch, fake_tagger):
    # the ranker's way, as when no fine-tuned chooser ships
    monkeypatch.setattr("propscope.attribution.ranking.bundled_chooser", lambda: None)
    rules = targeter()
    tagger = bundled_tagger()
    whole = (0, len(TEXT))
    assert bundled_ranker().encoder == encoder_name(tagger)
    assert isinstance(target_finder(rules, tagger, states(), whole), RankedTargeter)
    # a fake tagger's spans: the bundled model reads the text for the ranker
    assert isinstance(target_finder(rules, fake_tagger, None, whole), RankedTargeter)
    # a ranker trained on another model's states is of no use: the rules choose
    other = linear({"before": 1.0})
    monkeypatch.setattr("propscope.attribution.ranking.bundled_ranker", lambda: other)
    assert target_finder(rules, tagger, states(), whole) is rules


def test_a_retrained_encoder_under_the_same_name_is_another_encoder(monkeypatch):
    monkeypatch.setattr("propscope.attribution.ranking.bundled_chooser", lambda: None)
    tagger = bundled_tagger()
    monkeypatch.setattr(tagger, "encoder_digest", "0" * 64)
    assert encoder_name(tagger) != bundled_ranker().encoder
    rules = targeter()
    assert target_finder(rules, tagger, states(), (0, len(TEXT))) is rules


def test_the_bundled_chooser_chooses_with_any_tagger_and_knows_every_feature_of_the_candidates(
    monkeypatch, fake_tagger
):
    from propscope.attribution.chooser import ArticleChooser

    chooser = bundled_chooser()
    assert chooser is not None
    # the files it was measured on under the rule of its shipping were not trained on
    assert not {"attribution-test57.tsv", "attribution-test58.tsv"} & set(chooser.record["trained_on"])
    rules = targeter()
    whole = (0, len(TEXT))
    tagger = bundled_tagger()
    monkeypatch.setattr(tagger, "encoder_digest", "0" * 64)
    for spans_from, states_given in ((tagger, states()), (fake_tagger, None)):
        found = target_finder(rules, spans_from, states_given, whole)
        assert isinstance(found, RankedTargeter) and isinstance(found.scorer, ArticleChooser)
    start, end = span()
    candidates = CandidateFinder(rules, None).candidates(start, end, "Name_Calling,Labeling", None, None)
    assert {name for c in candidates for name in c.features} <= set(chooser.features)
    target = found.target_of(start, end, "Name_Calling,Labeling")
    assert target is not None and 0 < target.confidence < 1


def test_the_analysis_reads_the_encoder_once_for_tags_and_targets(monkeypatch):
    from propscope.ingest.sources import article_from_text
    from propscope.pipeline import analyse_article

    text = "Harbour vote\n\nMayor Ann Price spoke on Monday.\nShe called the dock board disgraceful traitors.\n"
    tagger = bundled_tagger()
    runs = []
    run = tagger._run
    monkeypatch.setattr(tagger, "_run", lambda batch: runs.append(1) or run(batch))
    tagger.tag(text)
    alone = len(runs)
    runs.clear()
    analysis = analyse_article(article_from_text(text), tagger)
    assert any(span.target for span in analysis.spans), "a targeted span has its target chosen"
    assert len(runs) == alone
