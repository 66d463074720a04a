"""The version a trained model calls itself by. Stores and batch outputs key analyses by it
(``propscope.versions``), so a retrained model must not take the shipped model's version: its
analyses would pass for the shipped model's, and ``reanalyze`` would not redo them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from propscope.errors import InputError
from propscope.tagging.artifacts import (
    BUNDLED_MODEL_DIR,
    CONFIG_NAME,
    ENCODER_NAME,
    SPAN_HEAD_NAME,
    TOKENIZER_NAME,
    sha256_file,
)
from propscope.versions import MAX_VERSION_CHARS, installed_version

#: the version of the shipped model, whose recipe ``propscope train`` follows; a trained model's
#: version is this one with a digest of its weights and settings as the local part
RECIPE_VERSION = "1.0.0"
#: hex digits of the digest in a trained model's version: fixed, since the store's key also holds
#: the attribution version of the day of each analysis, which may grow after training
#: (tests/test_versions.py keeps room for it)
DIGEST_CHARS = 6
#: config entries that do not change what the model finds
NOT_WEIGHTS = ("name", "version", "training")


def default_version_key_length() -> int:
    """The length of the store's key for a trained model's version under today's attribution."""
    return len(installed_version(f"{RECIPE_VERSION}+{'0' * DIGEST_CHARS}"))


def check_version(requested: str | None) -> None:
    """InputError, before any training, when the version could not be stored or would pass
    for the shipped model's."""
    if requested is None:
        if default_version_key_length() > MAX_VERSION_CHARS:
            raise InputError(
                f"a trained model's version would not fit the store's {MAX_VERSION_CHARS} characters: give --model-version"
            )
        return
    if not requested or any(character.isspace() for character in requested):
        raise InputError(f"--model-version must be a word without spaces, not {requested!r}")
    if requested == shipped_version():
        raise InputError(
            f"--model-version {requested} is the shipped model's: stores would take this model's analyses for its"
        )
    key = installed_version(requested)
    if len(key) > MAX_VERSION_CHARS:
        raise InputError(
            f"--model-version {requested} is too long: stores key analyses by {key!r}, at most {MAX_VERSION_CHARS} characters"
        )


def shipped_version() -> str:
    return json.loads((BUNDLED_MODEL_DIR / CONFIG_NAME).read_text(encoding="utf-8"))["version"]


def weights_digest(model_dir: Path, config: dict[str, Any]) -> str:
    """SHA-256 of what the runtime reads from ``model_dir``: the encoder, the span head's arrays
    (not the .npz file, whose zip entries carry the time they were written), the tokenizer and the
    decoding and calibration settings of ``config``."""
    import numpy as np  # here, not above: every command line start reads RECIPE_VERSION

    digest = hashlib.sha256()
    for name in (ENCODER_NAME, TOKENIZER_NAME):
        digest.update(bytes.fromhex(sha256_file(model_dir / name)))
    with np.load(model_dir / SPAN_HEAD_NAME) as arrays:
        for name in sorted(arrays.files):
            array = np.ascontiguousarray(arrays[name])
            digest.update(f"{name} {array.dtype.str} {array.shape}".encode())
            digest.update(array.tobytes())
    settings = {key: value for key, value in config.items() if key not in NOT_WEIGHTS}
    digest.update(json.dumps(settings, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def trained_version(model_dir: Path, config: dict[str, Any]) -> str:
    """``RECIPE_VERSION+`` and the start of ``weights_digest``, e.g. ``1.0.0+3fa9c2``."""
    return f"{RECIPE_VERSION}+{weights_digest(model_dir, config)[:DIGEST_CHARS]}"
