"""Output files are written whole or not at all."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from propscope.errors import InputError


def check_output_path(path: Path) -> Path:
    """The folder ``path`` would be written in; InputError if a file cannot go there, so that a
    long command can say so before its work rather than after."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"{path}: the folder {directory} does not exist")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a file name")
    return directory


def output_folder(path: Path) -> Path:
    """``path``, made if it is missing, for a long command to write into after its work;
    InputError at once if it cannot be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{path}: cannot make this folder ({error.strerror})") from None
    return path


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it into place."""
    directory = check_output_path(path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as error:
        raise InputError(f"{path}: cannot write in {directory} ({error.strerror})") from None
    try:
        if isinstance(content, bytes):
            with os.fdopen(handle, "wb") as binary:
                binary.write(content)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(content)
        # the temporary file is private (0600); the result gets the mode any new file would
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write ({error.strerror})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The permissions ``path`` keeps if it exists, else those the umask gives a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
