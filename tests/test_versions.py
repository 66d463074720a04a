import hashlib
from pathlib import Path

import pytest

from propscope.versions import ATTRIBUTION_VERSION, analysis_version, installed_version

ATTRIBUTION = Path(__file__).resolve().parents[1] / "src" / "propscope" / "attribution"
#: what the target ranker reads besides attribution's own files: the encoder's states
STATES = ATTRIBUTION.parent / "tagging" / "states.py"
#: the digest of attribution's code and ranker (and, from 2026.11.30.2, the states it reads) that
#: each attribution version was given for
RECORDED = {
    "2026.11.30": "2857fd4783a762a0461178b221e898bef3d3d4956e1750b0cc64aebb9e05257e",
    "2026.11.30.1": "c2fa99600215a83035349a6876366b699e31afd3546343b34abe39f801304a44",
    "2026.11.30.2": "2522b4dbe3578a1349fe639ff0ad0ff8d5f6784edda176d63be90115c26e21d9",
    "2026.11.30.3": "d8fb80b63f8648e8ebce205e0adc3248d5de44b9e3bf8fcb7dd2f2c81b3622e7",
    "2026.11.30.4": "85ca7a9df1346f14b8306e5fb1d313275b5a4271df16c6156d46309b67897eb2",
    "2026.11.30.5": "3ce9dd429a9560a3b97802e076e410e04f4ba197e48b3cb1ee5a03cd2e10cc47",
    "2026.11.30.6": "52c30070f2e420b03287187a48e11b3a042db236ff114772eaf148e3dce6099d",
    "2026.11.30.7": "f119498ce5c43f9ed78254a6b7d30cd85f46a3906bd6f328e95ec08e40866d20",
    "2026.11.30.8": "a238e5e8a176fc8bdeaa6dbc0e4533867489d327d363c6a010ce0e08df885ea7",
    "2026.11.30.9": "981aa0b832894bbd5b723958d05c26c32f2c8f833b6c498394720a7154e67423",
    "2026.11.30.10": "fc0bde0a313446e063c8a87398273730fe1c2fc342f6cca64fc6038abafc81ec",
    "2026.11.30.11": "263a9975c1c230c3ea0bffbcc5778dc6ac9043fad2c20acb9066441f7d4e78ee",
    "2026.11.30.12": "b3069ef9b0e8543a45b01a398382b6e570a44d0930bcbc940055e24d34285b3b",
    "2026.11.30.13": "8bade5cb3b2753a57b2084dcce68114827f8bd3691312d9e31f773209349796d",
    "2026.11.30.14": "9892ef8dadb8e3829b94900037de0e9d523c66b0d83fb1c2f1bd9807a4daf597",
    "2026.11.30.15": "8ec76ce2a30eaee4ee296efafc9b93803cb6ba831e93d09d1ef3c61d4e549abf",
    # the pipeline joins speakers across aliases from this version on; attribution/ is as in .15
    "2026.11.30.16": "8ec76ce2a30eaee4ee296efafc9b93803cb6ba831e93d09d1ef3c61d4e549abf",
    "2026.11.30.17": "1d1b74dcabb467acc61f7b261b7bc32ccd87137f4cd58d3dcb2dd7083f0c95a2",
    # the ranker's calibration reads the shared logistic function; no answer changes
    "2026.11.30.18": "88be7d32e17dc8a490875dc84f2e9ae59ddcdad73072851d267c6f47c5ae83b0",
    # "let us say" is the author's voice (not "US"); a candidate is named without a stray quotation mark
    "2026.11.30.19": "124a67d97f40f5ba82542f8c423322165f65a86d64dc21158954cd9d4bb74787",
}


def attribution_digest() -> str:
    """SHA-256 over every file of attribution (its rules, the shipped ranker and chooser) and the code of the
    encoder states the ranker reads, name and bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in ATTRIBUTION.rglob("*") if p.is_file() and p.suffix in (".py", ".json", ".onnx")):
        digest.update(path.relative_to(ATTRIBUTION).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(b"../tagging/states.py\0" + STATES.read_bytes())
    return digest.hexdigest()


def test_the_attribution_version_is_raised_with_any_change_of_attribution():
    # stores re-analyse by this version: a change of rules or ranker under the old one would
    # leave stored voices, speakers and targets stale without a word
    assert RECORDED.get(ATTRIBUTION_VERSION) == attribution_digest(), (
        "attribution's rules or ranker changed: raise ATTRIBUTION_VERSION in src/propscope/versions.py "
        f"and record {attribution_digest()} for it here"
    )


def test_analyses_from_before_attribution_versions_count_as_another_version():
    assert analysis_version({"name": "m", "version": "1.0.0"}) == "1.0.0"
    assert installed_version("1.0.0") == f"1.0.0+attribution.{ATTRIBUTION_VERSION}" != "1.0.0"


def test_the_installed_key_is_the_bundled_model_and_this_attribution(monkeypatch, tmp_path):
    import json

    from propscope.batch.local import model_version
    from propscope.errors import ModelError
    from propscope.tagging.artifacts import BUNDLED_MODEL_DIR, CONFIG_NAME

    bundled = json.loads((BUNDLED_MODEL_DIR / CONFIG_NAME).read_text(encoding="utf-8"))["version"]
    monkeypatch.delenv("PROPSCOPE_MODEL_DIR", raising=False)
    assert model_version() == f"{bundled}+attribution.{ATTRIBUTION_VERSION}"
    monkeypatch.setenv("PROPSCOPE_MODEL_DIR", str(tmp_path))
    with pytest.raises(ModelError, match="model file missing"):
        model_version()


def test_a_trained_models_version_leaves_room_for_a_longer_attribution_version():
    from propscope.training.model_version import default_version_key_length
    from propscope.versions import MAX_VERSION_CHARS

    # a model trained today is analysed under later attribution versions, whose keys it must fit:
    # when this fails, shorten DIGEST_CHARS or widen the store's key (a migration)
    assert default_version_key_length() + 2 <= MAX_VERSION_CHARS
