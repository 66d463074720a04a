"""Short labels of a span's voice and target, the same in every rendering."""

from __future__ import annotations


def voice_label(voice: str, speaker: str | None) -> str:
    """ "author", "quoted: Rouhani", "reported: the UN", "unknown"."""
    return f"{voice}: {speaker}" if speaker else voice


def target_label(target: str | None, confidence: float | None) -> str:
    """ "the harbour board (62%)": whom the span is aimed at, with the confidence of the model that chose it."""
    if not target:
        return ""
    return f"{target} ({confidence:.0%})" if confidence is not None else target
