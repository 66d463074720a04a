"""The fine-tuned target chooser: the window it reads around a span, and its exported graph, on
articles written for these tests."""

import numpy as np
import pytest

from propscope.attribution import Attributor, Target, Targeter
from propscope.attribution.chooser import WINDOW_TOKENS, TargetChooser, WindowReader, chooser_tokenizer
from propscope.attribution.ranking import Candidate, CandidateFinder, RankedTargeter
from propscope.errors import ModelError
from propscope.segment import parse_regions
from propscope.tagging.encoding import CLS_ID, SEP_ID

TITLE = "Harbour vote splits Porthaven"
TEXT = (
    f"{TITLE}\n\n"
    "Mayor Ann Price spoke at the harbour council on Monday.\n"
    "She called the dock board a nest of greedy crooks, and the fishermen cheered her.\n"
)
SPAN = "a nest of greedy crooks"


def at(fragment: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def candidate(name: str, mention: str | None = None, text: str = TEXT, **features: float) -> Candidate:
    start, end = at(name, text)
    return Candidate(Target(start, end, name), features, None, at(mention, text) if mention else None)


def read(inputs, positions) -> str:
    return chooser_tokenizer().decode([int(inputs.input_ids[p]) for p in positions])


def test_the_window_holds_the_title_marks_the_span_and_reads_each_mention_where_it_stands():
    reader = WindowReader(chooser_tokenizer(), TEXT, (0, len(TITLE)))
    # the pronoun's target is the name it stands for, but it is read where it stands
    candidates = [candidate("dock board", rules=1.0), candidate("Ann Price", "She")]
    inputs = reader.inputs(*at(SPAN), candidates, ["rules", "absent"])
    ids = inputs.input_ids.tolist()
    title_end = ids.index(SEP_ID)
    assert ids[0] == CLS_ID and ids[-1] == SEP_ID
    assert chooser_tokenizer().decode(ids[1:title_end]) == TITLE.lower()
    marked = np.flatnonzero(inputs.token_types)
    assert read(inputs, marked) == SPAN
    assert np.flatnonzero(inputs.span_weights).tolist() == marked.tolist()
    assert inputs.span_weights.sum() == pytest.approx(1.0)
    board, pronoun = (np.flatnonzero(row) for row in inputs.mention_weights)
    assert read(inputs, board) == "dock board" and read(inputs, pronoun) == "she"
    assert inputs.mention_weights.sum(1) == pytest.approx([1.0, 1.0])
    assert inputs.outside.tolist() == [0.0, 0.0]
    assert inputs.features.tolist() == [[1.0, 0.0], [0.0, 0.0]]
    # the window is the span's paragraph stretched to the mentions: the name one line up is not in it
    assert "ann" not in read(inputs, range(title_end, len(ids)))


def test_a_long_paragraph_is_cut_around_the_span_and_a_mention_beyond_it_is_outside():
    filler = " ".join(f"The council counted boat number {n} at the quay." for n in range(120))
    text = f"Mayor Ann Price spoke first. {filler} Critics called the dock board a nest of greedy crooks. {filler}\n"
    reader = WindowReader(chooser_tokenizer(), text, None)
    candidates = [candidate("dock board", text=text), candidate("Ann Price", text=text, outside_window=1.0)]
    inputs = reader.inputs(*at(SPAN, text), candidates, ["outside_window"])
    assert len(inputs.input_ids) == WINDOW_TOKENS + 3  # [CLS] [SEP] window [SEP]: no title
    assert read(inputs, np.flatnonzero(inputs.token_types)) == SPAN
    assert inputs.outside.tolist() == [0.0, 1.0]
    assert not inputs.mention_weights[1].any()


def test_the_finder_gives_a_pronoun_candidate_its_own_place_without_encoder_states():
    regions = [(0, len(TEXT))]
    paragraphs = parse_regions(TEXT, regions).paragraphs
    rules = Targeter(TEXT, paragraphs, Attributor(TEXT, regions, paragraphs, (0, len(TITLE))))
    candidates = CandidateFinder(rules, None).candidates(*at(SPAN), "Name_Calling,Labeling", None, None)
    assert candidates and all(c.vector is None for c in candidates)
    mentioned = {TEXT[slice(*c.mention)]: c.target.name for c in candidates if c.mention}
    # a name is read where it is; a pronoun where it stands, though its target is the name
    assert mentioned["the dock board"] == "dock board"
    assert mentioned["She"] == "Ann Price"


class FixedScorer:
    """Scores the candidates by how long their target's name is."""

    def __init__(self, calibration) -> None:
        self.calibration = calibration

    def scores_of(self, start: int, end: int, candidates: list[Candidate]) -> np.ndarray:
        return np.array([float(len(c.target.name)) for c in candidates])


def test_a_ranked_targeter_takes_any_scorer_that_reads_no_encoder_states():
    from propscope.attribution.ranker import Calibration

    regions = [(0, len(TEXT))]
    paragraphs = parse_regions(TEXT, regions).paragraphs
    rules = Targeter(TEXT, paragraphs, Attributor(TEXT, regions, paragraphs))
    found = RankedTargeter(rules, FixedScorer(Calibration())).target_of(*at(SPAN), "Name_Calling,Labeling")
    candidates = CandidateFinder(rules, None).candidates(*at(SPAN), "Name_Calling,Labeling", None, None)
    assert found is not None and found.name == max((c.target.name for c in candidates), key=len)
    assert 0.5 <= found.confidence <= 1


def test_the_exported_chooser_scores_as_the_network_it_was_trained_as(tmp_path):
    torch = pytest.importorskip("torch")
    import onnxruntime

    from propscope.attribution.ranker import Calibration
    from propscope.training.chooser import ChooserNetwork, export_graph, write_chooser

    torch.manual_seed(5)
    network = ChooserNetwork(np.array([0.5, 0.0]), np.array([2.0, 1.0]))
    network.eval()
    reader = WindowReader(chooser_tokenizer(), TEXT, (0, len(TITLE)))
    candidates = [
        candidate("dock board", rules=1.0),
        candidate("Ann Price", "She"),
        candidate("the fishermen", rules=0.5, words=2.0),
        candidate("Porthaven", outside_window=1.0),
    ]
    untitled = WindowReader(chooser_tokenizer(), TEXT, None)
    spans = [
        reader.inputs(*at(SPAN), candidates, ["rules", "words"]),
        # a window of another length, with fewer candidates, runs through the same graph
        untitled.inputs(*at("greedy crooks"), candidates[:2], ["rules", "words"]),
    ]
    assert len(spans[0].input_ids) != len(spans[1].input_ids)
    export_graph(network, spans[0], tmp_path / "fp32.onnx")
    graph = onnxruntime.InferenceSession(str(tmp_path / "fp32.onnx"))
    for inputs in spans:
        with torch.no_grad():
            trained = network.batch_scores([inputs])[0].numpy()
        assert graph.run(["scores"], inputs.feed())[0] == pytest.approx(trained, abs=1e-4)
    shipped = tmp_path / "chooser"
    write_chooser(network, spans[0], ["rules", "words"], Calibration(1.5, 0.0, -0.2), {"note": "test"}, shipped)
    chooser = TargetChooser(shipped)
    assert chooser.features == ["rules", "words"] and chooser.calibration == Calibration(1.5, 0.0, -0.2)
    assert chooser.record == {"note": "test"}
    # int8 weights move the scores a little
    assert chooser.run(spans[0]) == pytest.approx(graph.run(["scores"], spans[0].feed())[0], abs=0.1)
    sums = (shipped / "SHA256SUMS").read_text(encoding="utf-8")
    (shipped / "SHA256SUMS").write_text(sums.replace("  target-chooser.json", "  other.json"), encoding="utf-8")
    with pytest.raises(ModelError, match=r"no checksum: no line for target-chooser\.json"):
        TargetChooser(shipped)
    (shipped / "SHA256SUMS").write_text(sums, encoding="utf-8")
    (shipped / "target-chooser-int8.onnx").write_bytes(b"not a graph")
    with pytest.raises(ModelError, match="checksum mismatch"):
        TargetChooser(shipped)


def test_checksums_of_one_model_keep_the_lines_of_the_other_beside_it(tmp_path):
    from propscope.tagging.artifacts import expected_digests, sha256_file, update_checksums

    (tmp_path / "target-ranker.json").write_text("{}", encoding="utf-8")
    (tmp_path / "target-chooser.json").write_text("[]", encoding="utf-8")
    update_checksums(tmp_path, ["target-ranker.json"], "target ranker")
    update_checksums(tmp_path, ["target-chooser.json"], "target chooser")
    (tmp_path / "target-ranker.json").write_text('{"a": 1}', encoding="utf-8")
    update_checksums(tmp_path, ["target-ranker.json"], "target ranker")
    assert expected_digests(tmp_path / "SHA256SUMS", "test") == {
        name: sha256_file(tmp_path / name) for name in ("target-chooser.json", "target-ranker.json")
    }
