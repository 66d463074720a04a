"""Training end to end on a tiny corpus written for this test (needs the [train] extra)."""

import json
import re
import shutil

import numpy as np
import pytest

pytest.importorskip("torch", reason="the [train] extra is not installed")

from propscope.batch.local import model_version
from propscope.cli.main import main, version_line
from propscope.corpus import load_corpus
from propscope.errors import InputError
from propscope.tagging.artifacts import BUNDLED_MODEL_DIR, CONFIG_NAME, SPAN_HEAD_NAME
from propscope.tagging.onnx_tagger import OnnxTagger
from propscope.training import cache, run
from propscope.training.model_version import trained_version
from propscope.training.run import TrainRequest, run_training
from propscope.versions import MAX_VERSION_CHARS, installed_version

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


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A run on 5 of a 6-article corpus: (corpus folder, output folder, report)."""
    root = tmp_path_factory.mktemp("trained")
    write_corpus(root / "corpus")
    out = root / "run"
    report = run_training(TrainRequest(root / "corpus", out, cv=2, epochs=1, seed=3, max_articles=5))
    return root / "corpus", out, report


@pytest.fixture
def trainings(monkeypatch) -> list[str]:
    """The labels of the networks trained from now on ("fold 1/2", "final")."""
    labels: list[str] = []
    real_train_network = run.train_network

    def recording_train_network(examples, config, label):
        labels.append(label)
        return real_train_network(examples, config, label)

    monkeypatch.setattr(run, "train_network", recording_train_network)
    return labels


def test_train_cross_validates_exports_and_the_runtime_loads_it(tmp_path, trained):
    corpus, out, report = trained
    assert 0.0 <= report["si"]["overall"]["f1"] <= 1.0
    assert set(report["ece"]) == {"span_raw", "span_calibrated", "technique_raw", "technique_calibrated"}
    saved = json.loads((out / "cv_report.json").read_text(encoding="utf-8"))
    assert saved["decoding"] == report["decoding"]
    tagger = OnnxTagger(out / "model")
    assert tagger.decoding.threshold == report["decoding"]["threshold"]
    assert "5-fold" not in (out / "model" / "MODEL_CARD.md").read_text(encoding="utf-8")
    text = (corpus / "train-articles" / "article0.txt").read_text(encoding="utf-8")
    rankings = tagger.classify(text, [(0, 10)])
    assert np.isclose(sum(p for _, p in rankings[0]), 1.0, atol=1e-4)
    assert len(load_corpus(corpus)) == 6


def test_a_trained_model_has_a_version_of_its_own_that_stores_can_key(trained, monkeypatch):
    _, out, _ = trained
    config = json.loads((out / "model" / CONFIG_NAME).read_text(encoding="utf-8"))
    shipped = json.loads((BUNDLED_MODEL_DIR / CONFIG_NAME).read_text(encoding="utf-8"))
    assert re.fullmatch(r"1\.0\.0\+[0-9a-f]{6}", config["version"])
    assert config["version"] != shipped["version"] == "1.0.0"
    assert len(installed_version(config["version"])) <= MAX_VERSION_CHARS
    assert OnnxTagger(out / "model").version == config["version"]
    monkeypatch.setenv("PROPSCOPE_MODEL_DIR", str(out / "model"))
    assert model_version() == installed_version(config["version"]) != installed_version(shipped["version"])
    assert f"propscope-minilm {config['version']};" in version_line()
    card = (out / "model" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert card.startswith(f"# Model card: propscope-minilm {config['version']}\n")
    assert "train split (5 articles)" in card and "371" not in card


def test_the_version_follows_the_weights_not_the_time_they_were_written(trained, tmp_path):
    _, out, _ = trained
    model = shutil.copytree(out / "model", tmp_path / "model")
    config = json.loads((model / CONFIG_NAME).read_text(encoding="utf-8"))
    with np.load(model / SPAN_HEAD_NAME) as stored:
        arrays = dict(stored)
    np.savez(model / SPAN_HEAD_NAME, **arrays)
    assert trained_version(model, config) == config["version"]
    np.savez(model / SPAN_HEAD_NAME, **(arrays | {"b2": arrays["b2"] + 0.5}))
    assert trained_version(model, config) != config["version"]
    assert trained_version(out / "model", config | {"temperature": 2.0}) != config["version"]


def test_cross_validation_reuses_a_fold_only_when_made_from_the_same_options_and_articles(tmp_path, trainings, capsys):
    write_corpus(tmp_path / "corpus")
    out = tmp_path / "run"

    def cross_validate(**options) -> dict:
        return run_training(TrainRequest(tmp_path / "corpus", out, cv=2, seed=3, final=False, **options))

    cross_validate(epochs=1, only_folds=[1])
    assert trainings == ["fold 2/2"]
    first = cross_validate(epochs=1)  # resumes the interrupted run
    assert trainings == ["fold 2/2", "fold 1/2"]
    assert cross_validate(epochs=1) == first
    assert trainings == ["fold 2/2", "fold 1/2"]
    capsys.readouterr()

    cross_validate(epochs=2, encoder_lr=5e-5)
    assert trainings[2:] == ["fold 1/2", "fold 2/2"]
    assert capsys.readouterr().err.count("was made with other options or articles") == 2
    report = cross_validate(epochs=2, encoder_lr=5e-5, max_articles=4)
    assert trainings[4:] == ["fold 1/2", "fold 2/2"]
    assert report["si_spans"]["gold"] > 0
    assert json.loads((out / "cv_report.json").read_text(encoding="utf-8")) == report


def test_the_final_network_is_reused_only_for_the_same_options(tmp_path, trainings):
    write_corpus(tmp_path / "corpus", n_articles=3)
    out = tmp_path / "run"

    def fit(**options) -> dict:
        run_training(TrainRequest(tmp_path / "corpus", out, cv=0, epochs=1, seed=3, **options))
        return json.loads((out / "model" / CONFIG_NAME).read_text(encoding="utf-8"))

    first = fit()
    assert fit()["version"] == first["version"]
    assert trainings == ["final"]
    other = fit(encoder_lr=5e-5)
    assert trainings == ["final", "final"]
    assert other["version"] != first["version"]
    assert other["training"]["config"]["encoder_lr"] == 5e-5
    assert fit(encoder_lr=5e-5, version="1.1.0")["version"] == "1.1.0"
    assert trainings == ["final", "final"]


def test_a_piece_is_not_reused_after_a_run_stopped_while_replacing_it(tmp_path, monkeypatch):
    piece = tmp_path / "fold0.pkl"
    cache.store(piece, b"first", {"epochs": 1})
    assert cache.reusable(piece, {"epochs": 1})
    assert not cache.reusable(piece, {"epochs": 2})

    def interrupted(path, content):
        raise KeyboardInterrupt

    monkeypatch.setattr(cache, "write_atomically", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.store(piece, b"second", {"epochs": 2})
    assert not cache.reusable(piece, {"epochs": 1})


@pytest.mark.parametrize(
    "options",
    [
        ["--max-articles", "0"],
        ["--cv", "5", "--max-articles", "3"],
        ["--cv", "-1", "--no-final"],
        ["--cv", "0", "--no-final"],
        ["--only-fold", "7", "--cv", "2"],
        ["--only-fold", "0", "--cv", "0"],
        ["--epochs", "0"],
        ["--lr", "0"],
        ["--lr", "inf"],
        ["--seed", "-1"],
        ["--model-version", "1.0.0+a-version-too-long-to-key"],
        ["--model-version", "1.0.0"],
    ],
)
def test_nonsense_options_are_a_one_line_error_before_any_work(tmp_path, capsys, trainings, options):
    write_corpus(tmp_path / "corpus")
    out = tmp_path / "run"
    try:
        code = main(["train", "--data", str(tmp_path / "corpus"), "--out", str(out), *options])
    except SystemExit as exit:  # argparse's usage error
        code = exit.code
    assert code == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert len(errors) == 1 and "Traceback" not in errors[0]
    assert trainings == [] and not out.exists()


def test_the_library_refuses_more_folds_than_articles(tmp_path):
    write_corpus(tmp_path / "corpus", n_articles=2)
    with pytest.raises(InputError, match="--cv 3 needs at least 3 articles"):
        run_training(TrainRequest(tmp_path / "corpus", tmp_path / "run", cv=3))


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
