"""The version a trained model calls itself by. Stores and batch outputs key analyses by it
(``propscope.versions``), so a retrained model must not take the shipped model's version: its
analyses would pass for the shipped model's, and ``reanalyze`` would not redo them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from propscope.errors import InputError
from propscope.tagging.artifacts import ENCODER_NAME, SPAN_HEAD_NAME, TOKENIZER_NAME, sha256_file
from propscope.versions import MAX_VERSION_CHARS, installed_version

#: the version of the shipped model, whose recipe ``propscope train`` follows; a trained model's
#: version is this one with a digest of its weights and settings as the local part
RECIPE_VERSION = "1.0.0"
LONGEST_DIGEST = 12
#: fewer hex digits could no longer tell one person's retrained models apart with confidence
SHORTEST_DIGEST = 6
#: config entries that do not change what the model finds
NOT_WEIGHTS = ("name", "version", "training")


def digest_length() -> int:
    """The hex digits of the digest that fit, after ``RECIPE_VERSION+``, in the store's key
    (``installed_version``: the version, then ``+attribution.`` and the attribution's version)."""
    return min(LONGEST_DIGEST, MAX_VERSION_CHARS - len(installed_version(f"{RECIPE_VERSION}+")))


def check_version(requested: str | None) -> None:
    """InputError, before any training, when the version could not be stored."""
    if requested is None:
        if digest_length() < SHORTEST_DIGEST:
            raise InputError(
                f"a trained model's version would not fit the store's {MAX_VERSION_CHARS} characters: give --model-version"
            )
        return
    if not requested or any(character.isspace() for character in requested):
        raise InputError(f"--model-version must be a word without spaces, not {requested!r}")
    key = installed_version(requested)
    if len(key) > MAX_VERSION_CHARS:
        raise InputError(
            f"--model-version {requested} is too long: stores key analyses by {key!r}, at most {MAX_VERSION_CHARS} characters"
        )


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
    """``RECIPE_VERSION+`` and the start of ``weights_digest``, e.g. ``1.0.0+3fa9c2d1``."""
    return f"{RECIPE_VERSION}+{weights_digest(model_dir, config)[: digest_length()]}"
