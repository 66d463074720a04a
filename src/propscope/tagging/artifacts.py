"""The files of a shipped model and their integrity check."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from propscope.errors import ModelError
from propscope.fileio import write_atomically

ENCODER_NAME = "encoder-int8.onnx"
SPAN_HEAD_NAME = "span_head.npz"
TOKENIZER_NAME = "tokenizer.json"
CONFIG_NAME = "config.json"
CHECKSUMS_NAME = "SHA256SUMS"
T = TypeVar("T")
ARTIFACTS = (ENCODER_NAME, SPAN_HEAD_NAME, TOKENIZER_NAME, CONFIG_NAME)

#: the model that ships inside the package
BUNDLED_MODEL_DIR = Path(__file__).resolve().parent.parent / "model"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksums(model_dir: Path) -> None:
    lines = [f"{sha256_file(model_dir / name)}  {name}\n" for name in ARTIFACTS]
    (model_dir / CHECKSUMS_NAME).write_text("".join(lines), encoding="utf-8")


def update_checksums(directory: Path, names: Sequence[str], what: str) -> None:
    """Set the lines of the files ``names`` in ``directory``'s SHA256SUMS, keeping the lines of
    the other files it lists (the target ranker and chooser share one)."""
    sums = directory / CHECKSUMS_NAME
    digests = expected_digests(sums, what) if sums.is_file() else {}
    digests |= {name: sha256_file(directory / name) for name in names}
    write_atomically(sums, "".join(f"{digest}  {name}\n" for name, digest in sorted(digests.items())))


def expected_digests(sums: Path, what: str) -> dict[str, str]:
    """File name -> digest from a SHA256SUMS file ("digest  name" or "digest *name" lines);
    ``what`` names the files in the error when it cannot be read."""
    try:
        lines = sums.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        raise ModelError(f"{what} checksums unreadable: {sums}") from None
    pairs = (line.split(maxsplit=1) for line in lines)
    return {pair[1].lstrip("*").strip(): pair[0] for pair in pairs if len(pair) == 2}


def check_digest(path: Path, what: str) -> None:
    """A one-line error unless ``path`` and the SHA256SUMS beside it exist and agree on it;
    ``what`` names the file in the error."""
    sums = path.parent / CHECKSUMS_NAME
    for needed in (path, sums):
        if not needed.is_file():
            raise ModelError(f"{what} missing: {needed}")
    expected = expected_digests(sums, what)
    if path.name not in expected:
        raise ModelError(f"{what} has no checksum: no line for {path.name} in {sums}")
    if expected[path.name] != sha256_file(path):
        raise ModelError(f"{what} corrupt (checksum mismatch): {path}")


def read_weights(path: Path, what: str, parse: Callable[[dict], T]) -> T:
    """The weights file at ``path``, checked against the SHA256SUMS beside it and read by
    ``parse``; a one-line error when it is missing, changed or not such a file."""
    check_digest(path, what)
    try:
        return parse(json.loads(path.read_text(encoding="utf-8")))
    except (UnicodeDecodeError, KeyError, TypeError, ValueError, AttributeError, RecursionError):
        raise ModelError(f"{what} corrupt (not a weights file): {path}") from None


def verify_model_dir(model_dir: Path) -> dict:
    """Check every artifact against SHA256SUMS; return the parsed config."""
    for name in ARTIFACTS:
        check_digest(model_dir / name, "model file")
    try:
        return json.loads((model_dir / CONFIG_NAME).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ModelError(f"model file corrupt ({error.msg}): {model_dir / CONFIG_NAME}") from None
