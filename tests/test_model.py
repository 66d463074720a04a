"""The shipped model: integrity checks, and real analyses of articles written for these tests."""

import shutil

import numpy as np
import pytest

import propscope
from propscope.errors import ModelError
from propscope.tagging.artifacts import BUNDLED_MODEL_DIR, ENCODER_NAME, SPAN_HEAD_NAME
from propscope.tagging.onnx_tagger import OnnxTagger, bundled_tagger
from propscope.techniques import TECHNIQUE_IDS
from tests.conftest import CRAWLED_ARTICLE, EXAMPLES

pytestmark = pytest.mark.slow


def test_model_card_and_config_ship_with_the_model():
    tagger = bundled_tagger()
    assert tagger.techniques == list(TECHNIQUE_IDS)
    assert (BUNDLED_MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8").startswith("# Model card")
    assert (BUNDLED_MODEL_DIR / ENCODER_NAME).stat().st_size < 30 * 1024 * 1024


@pytest.mark.parametrize("name", [ENCODER_NAME, SPAN_HEAD_NAME])
def test_corrupt_or_missing_artifact_names_the_file(tmp_path, name):
    copy = tmp_path / "model"
    shutil.copytree(BUNDLED_MODEL_DIR, copy)
    with open(copy / name, "r+b") as handle:
        handle.seek(100)
        handle.write(b"corrupted")
    with pytest.raises(ModelError, match=f"checksum mismatch.*{name}"):
        OnnxTagger(copy)
    (copy / name).unlink()
    with pytest.raises(ModelError, match=f"missing.*{name}"):
        OnnxTagger(copy)


def test_example_article_end_to_end():
    text = (EXAMPLES / "harbour-bridge.txt").read_text(encoding="utf-8")
    analysis = propscope.analyze(EXAMPLES / "harbour-bridge.txt")
    assert analysis.article.dateline_place == "NORTHPORT"
    assert analysis.article.dateline_outlet == "Coastal Herald"
    assert analysis.spans, "the example is written to contain loaded language"
    regions = analysis.article.analysed_regions()
    for span in analysis.spans:
        assert text[span.start : span.end] == span.text
        assert any(a <= span.start and span.end <= b for a, b in regions)
        assert 0.0 <= span.confidence <= 1.0 and 0.0 <= span.technique_confidence <= 1.0
        assert span.technique in TECHNIQUE_IDS
    assert "Top Stories" not in " ".join(s.text for s in analysis.spans)
    assert 0 < analysis.summary.score <= 100


def test_long_article_is_windowed_not_truncated():
    paragraph = (
        "The committee met again on Thursday to discuss the budget, and members said the disgraceful "
        "waste of money by the corrupt officials was a catastrophe for every family in the region.\n"
    )
    text = "A long report\n\n" + paragraph * 60
    tagger = bundled_tagger()
    spans = tagger.tag(text)
    last_paragraph_start = len(text) - len(paragraph)
    assert any(span.start >= last_paragraph_start for span in spans), "the end of a long article is analysed"


def test_neutral_text_gets_few_spans_and_confident_ones_are_rare():
    neutral = "Weather report\n\nThe temperature on Tuesday was 12 degrees. Rain is expected on Wednesday.\n"
    analysis = propscope.analyze(neutral)
    assert all(span.confidence < 0.9 for span in analysis.spans)


def test_classify_ranks_all_techniques_for_given_spans():
    start = CRAWLED_ARTICLE.index("These traitors")
    rankings = bundled_tagger().classify(CRAWLED_ARTICLE, [(start, start + len("These traitors")), (0, 8)])
    assert len(rankings) == 2
    for ranking in rankings:
        assert sorted(name for name, _ in ranking) == sorted(TECHNIQUE_IDS)
        assert np.isclose(sum(p for _, p in ranking), 1.0, atol=1e-4)


def test_empty_and_punctuation_only_regions():
    tagger = bundled_tagger()
    assert tagger.tag("") == []
    assert tagger.tag("... !!! ---") == [] or all(s.end <= 11 for s in tagger.tag("... !!! ---"))


def test_the_states_of_a_tagged_region_cover_its_word_pieces_in_text_offsets():
    start = CRAWLED_ARTICLE.index("These traitors")
    end = CRAWLED_ARTICLE.index("\n", start)
    tagger = bundled_tagger()
    spans, states = tagger.tag_with_states(CRAWLED_ARTICLE, start, end)
    assert spans == tagger.tag(CRAWLED_ARTICLE, start, end)
    assert states.offsets.min() >= start and states.offsets.max() <= end
    assert len(states.hidden) == len(states.offsets) and states.size == 384
    word = CRAWLED_ARTICLE.index("traitors", start)
    assert states.mean(word, word + len("traitors")) is not None
    assert states.mean(0, start) is None  # not encoded: outside the region
    assert tagger.tag_with_states("")[1].mean(0, 1) is None
