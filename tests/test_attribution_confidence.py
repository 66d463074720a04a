"""The confidence of voices and speakers: the rule each voice rests on, the features read from
the layout, the bundled weights and their integrity check, and the analysis that carries them."""

import math

import pytest

from propscope import analyze
from propscope.attribution.confidence import (
    BUNDLED_CONFIDENCE,
    CONFIDENCE_NAME,
    ConfidenceFeatures,
    bundled_attribution_confidence,
    load_attribution_confidence,
)
from propscope.attribution.voice import BASES, Voice
from propscope.errors import ModelError
from propscope.ingest.layout import parse_layout
from propscope.tagging.artifacts import CHECKSUMS_NAME, sha256_file
from tests.test_attribution import voice

ARTICLE = (
    "Ferry fares to rise\n\n"
    "Mayor Ellen Ward spoke on Monday.\n"
    "“The critics are traitors,” she said.\n"
    "The port authority said that the plan was disgraceful.\n"
    "The board has ruined the harbour and left chaos.\n"
    "The union wrote:\n"
    "Our members will not accept this betrayal.\n"
)


@pytest.mark.parametrize(
    ("fragment", "basis"),
    [
        ("critics are traitors", "quotation"),
        ("the plan was disgraceful", "report"),
        ("ruined the harbour", "default_author"),
        ("this betrayal", "block"),
    ],
)
def test_each_voice_says_which_rule_found_it(fragment: str, basis: str):
    assert voice(ARTICLE, fragment).basis == basis and basis in BASES


def test_a_quotation_that_never_closes_rests_on_that():
    found = voice("Ward said: “The critics are cowards and the board\nwill fall.", "critics are cowards")
    assert (found.voice, found.basis) == ("unknown", "unclosed_quotation")


def test_the_features_read_the_speaker_as_written_and_the_layout_around_the_span():
    features = ConfidenceFeatures(ARTICLE, parse_layout(ARTICLE).title_range)
    start = ARTICLE.index("critics are traitors")
    quoted = features.of(start, start + len("critics are traitors"), voice(ARTICLE, "critics are traitors"))
    # "she" stands for Ellen Ward, named on the line above
    assert quoted["speaker_is_pronoun"] == quoted["speaker_resolved"] == quoted["speaker_in_line"] == 1.0
    assert quoted["basis=quotation"] == quoted["voice=quoted"] == quoted["line_opens_with_mark"] == 1.0
    start = ARTICLE.index("this betrayal")
    block = features.of(start, start + len("this betrayal"), voice(ARTICLE, "this betrayal"))
    assert block["line_above_ends_in_colon"] == block["saying_in_line_above"] == block["first_person_in_line"] == 1.0
    start = ARTICLE.index("ruined the harbour")
    own = features.of(start, start + len("ruined the harbour"), voice(ARTICLE, "ruined the harbour"))
    assert "speaker" not in own and own["marks_in_line"] == 0.0
    assert own["log_distance_to_mark"] > quoted["log_distance_to_mark"]
    start = ARTICLE.index("fares to rise")
    assert features.of(start, start + 4, Voice("author"))["in_title"] == 1.0 and own["in_title"] == 0.0


def test_a_title_given_apart_from_the_text_is_not_its_first_line():
    body = "The critics are traitors, the mayor said.\nThe board left chaos.\n"
    features = ConfidenceFeatures(body, None)
    assert features.of(4, 11, voice(body, "critics"))["in_title"] == 0.0


def test_a_voice_made_outside_the_rules_rests_on_no_rule():
    features = ConfidenceFeatures(ARTICLE, None).of(0, 5, Voice("author"))
    assert not [name for name in features if name.startswith("basis=")] and features["voice=author"] == 1.0


def test_a_text_without_line_breaks_is_read_near_each_span():
    # a crawled article in one line: the "line" of a span is what lies near it, not the article
    text = "“The board are traitors,” Ward said. " + "The ferry sailed on time. " * 200 + "It was disgraceful."
    features = ConfidenceFeatures(text, None)
    start = text.index("disgraceful")
    far = features.of(start, start + 11, Voice("author"))
    assert far["marks_in_line"] == far["saying_in_line"] == 0.0 and far["log_distance_to_mark"] > 6
    start = text.index("traitors")
    near = features.of(start, start + 8, Voice("quoted"))
    assert near["marks_in_line"] == near["saying_in_line"] == 1.0 and near["log_distance_to_mark"] < 1


def test_a_mark_just_before_or_just_after_a_span_is_as_near():
    text = "A “disgraceful” plan."
    features = ConfidenceFeatures(text, None)
    start = text.index("disgraceful")
    assert features.of(start, start + 11, Voice("quoted"))["log_distance_to_mark"] == 0.0
    spaced = ConfidenceFeatures("A “ disgraceful ” plan.", None)
    assert spaced.of(4, 15, Voice("quoted"))["log_distance_to_mark"] == pytest.approx(math.log(2))


def test_the_bundled_weights_give_a_probability_and_no_speaker_confidence_without_a_speaker():
    model = bundled_attribution_confidence()
    sureness = model.for_article(ARTICLE, parse_layout(ARTICLE).title_range)
    for fragment in ("critics are traitors", "the plan was disgraceful", "ruined the harbour", "this betrayal"):
        start = ARTICLE.index(fragment)
        found = voice(ARTICLE, fragment)
        voice_confidence, speaker_confidence = sureness.of(start, start + len(fragment), found)
        assert 0 < voice_confidence < 1
        assert (speaker_confidence is None) == (found.speaker is None)
    # they were fitted on the annotations, with cross-validated figures kept beside them
    assert model.record["voice"]["spans"] > 1000 and 0 <= model.record["voice"]["cv_ece"] < 0.1


def test_every_analysed_span_carries_its_confidences(fake_tagger):
    analysis = analyze(ARTICLE, tagger=fake_tagger)
    assert len(analysis.spans) == 3
    for span in analysis.to_dict()["spans"]:
        assert 0 < span["voice_confidence"] < 1
        assert (span["speaker_confidence"] is None) == (span["speaker"] is None)


def test_changed_or_broken_weights_are_one_line_errors(tmp_path):
    path = tmp_path / CONFIDENCE_NAME
    path.write_bytes(BUNDLED_CONFIDENCE.read_bytes())
    with pytest.raises(ModelError, match="attribution confidence missing"):
        load_attribution_confidence(path)
    (tmp_path / CHECKSUMS_NAME).write_text(f"{sha256_file(path)}  {CONFIDENCE_NAME}\n", encoding="utf-8")
    assert load_attribution_confidence(path) == bundled_attribution_confidence()
    path.write_text(path.read_text(encoding="utf-8").replace('"intercept": ', '"intercept": 1', 1), encoding="utf-8")
    with pytest.raises(ModelError, match="checksum mismatch"):
        load_attribution_confidence(path)
    path.write_text('{"voice": []}', encoding="utf-8")
    (tmp_path / CHECKSUMS_NAME).write_text(f"{sha256_file(path)}  {CONFIDENCE_NAME}\n", encoding="utf-8")
    with pytest.raises(ModelError, match="not a weights file"):
        load_attribution_confidence(path)
    weights = BUNDLED_CONFIDENCE.read_text(encoding="utf-8").replace('"intercept": ', '"intercept": NaN, "was": ', 1)
    path.write_text(weights, encoding="utf-8")
    (tmp_path / CHECKSUMS_NAME).write_text(f"{sha256_file(path)}  {CONFIDENCE_NAME}\n", encoding="utf-8")
    with pytest.raises(ModelError, match="not a weights file"):
        load_attribution_confidence(path)
