"""Bytes to text, defensively: size limit, binary detection, encoding detection."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

from propscope.errors import InputError

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
#: the highest size limit a user can set: far past any article, and within what a read can ask for
LARGEST_MAX_BYTES = 1024**3
PREFERRED_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    warning: str | None = None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > len(sample) * 0.05


def _decode(data: bytes, encoding: str, truncated: bool) -> str:
    # an incremental decoder leaves out a character cut short at the end rather than failing on it
    return codecs.getincrementaldecoder(encoding)().decode(data, final=not truncated)


def decode_bytes(
    data: bytes, origin: str, max_bytes: int = DEFAULT_MAX_BYTES, *, truncated: bool = False
) -> DecodedText:
    """Text of ``data``; UTF-8 first, then a detected encoding, which is reported. ``truncated`` data
    is the start of a longer file: a character its end cuts in two is left out."""
    if len(data) > max_bytes:
        raise InputError(
            f"{origin}: {len(data):,} bytes is over the size limit of {max_bytes:,} bytes (see --max-bytes)"
        )
    if not data.strip():
        raise InputError(f"{origin}: empty input, nothing to analyse")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return DecodedText(_decode(data, "utf-16", truncated), "utf-16", f"{origin}: decoded as UTF-16")
        except UnicodeDecodeError:
            raise InputError(f"{origin}: starts like UTF-16 but is not valid UTF-16") from None
    if _looks_binary(data):
        raise InputError(f"{origin}: looks like a binary file, not text")
    try:
        # a byte-order mark stays in the text, so offsets count it as the file's first character
        return DecodedText(_decode(data, "utf-8", truncated), "utf-8")
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data)
    best = matches.best()
    if best is not None:
        # Short texts fit several single-byte encodings equally well; news on the
        # web that is not UTF-8 is most often Windows-1252, so it wins a near tie.
        near = [m for m in matches if m.chaos <= best.chaos + 0.05]
        best = next((m for m in near if m.encoding in PREFERRED_ENCODINGS), best)
    if best is None:
        raise InputError(f"{origin}: not UTF-8 and no text encoding could be detected")
    return DecodedText(str(best), best.encoding, f"{origin}: not UTF-8; decoded as {best.encoding}")
