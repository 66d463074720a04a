"""Training end to end on a tiny corpus written for this test (needs the [train] extra)."""

import json

import numpy as np
import pytest

pytest.importorskip("torch", reason="the [train] extra is not installed")

from propscope.corpus import load_corpus
from propscope.tagging.onnx_tagger import OnnxTagger
from propscope.training.run import TrainRequest, run_training

pytestmark = pytest.mark.slow

SENTENCES = [
    ("The council approved the budget on Monday.", None),
    ("Critics called it a disgraceful betrayal of the people.", "Loaded_Language"),
    ("These corrupt clowns have ruined the harbour.", "Name_Calling,Labeling"),
    ("Build the bridge, build the future.", "Slogans"),
    ("The vote passed by seven to two.", None),
]


def write_corpus(root, n_articles=6):
    articles, labels = root / "train-articles", root / "train-labels-task-flc-tc"
    articles.mkdir(parents=True)
    labels.mkdir()
    for number in range(n_articles):
        lines, rows = [f"Harbour report {number}", ""], []
        position = len(lines[0]) + 2
        for k in range(len(SENTENCES)):
            sentence, technique = SENTENCES[(number + k) % len(SENTENCES)]
            if technique:
                rows.append(f"{number}\t{technique}\t{position}\t{position + len(sentence) - 1}\n")
            lines.append(sentence)
            position += len(sentence) + 1
        (articles / f"article{number}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (labels / f"article{number}.task-flc-tc.labels").write_text("".join(rows), encoding="utf-8")


def test_train_cross_validates_exports_and_the_runtime_loads_it(tmp_path):
    write_corpus(tmp_path / "corpus")
    out = tmp_path / "run"
    report = run_training(TrainRequest(tmp_path / "corpus", out, cv=2, epochs=1, seed=3))
    assert 0.0 <= report["si"]["overall"]["f1"] <= 1.0
    assert set(report["ece"]) == {"span_raw", "span_calibrated", "technique_raw", "technique_calibrated"}
    saved = json.loads((out / "cv_report.json").read_text(encoding="utf-8"))
    assert saved["decoding"] == report["decoding"]
    tagger = OnnxTagger(out / "model")
    assert tagger.decoding.threshold == report["decoding"]["threshold"]
    assert "5-fold" not in (out / "model" / "MODEL_CARD.md").read_text(encoding="utf-8")
    text = (tmp_path / "corpus" / "train-articles" / "article0.txt").read_text(encoding="utf-8")
    rankings = tagger.classify(text, [(0, 10)])
    assert np.isclose(sum(p for _, p in rankings[0]), 1.0, atol=1e-4)
    assert len(load_corpus(tmp_path / "corpus")) == 6


def test_onnx_export_matches_torch(tmp_path):
    import torch

    from propscope.tagging.encoding import encode_text, load_tokenizer, window_batch
    from propscope.training.export import export_onnx
    from propscope.training.network import PropagandaNetwork
    from propscope.training.run import encoder_dir

    torch.manual_seed(0)
    network = PropagandaNetwork(str(encoder_dir()), 14).eval()
    export_onnx(network, tmp_path / "model.onnx")
    import onnxruntime

    tokenizer = load_tokenizer(encoder_dir() / "tokenizer.json")
    encoded = encode_text(tokenizer, "A title\n\n" + "Some words here, and more of them. " * 40)
    batch = window_batch(encoded, encoded.windows)
    hidden, probabilities = onnxruntime.InferenceSession(str(tmp_path / "model.onnx")).run(None, batch)
    with torch.inference_mode():
        torch_hidden, torch_logits = network(**{k: torch.from_numpy(v) for k, v in batch.items()})
    mask = batch["attention_mask"].astype(bool)
    assert np.abs(hidden - torch_hidden.numpy())[mask].max() < 1e-3
    assert np.abs(probabilities - torch.sigmoid(torch_logits).numpy())[mask].max() < 1e-4
