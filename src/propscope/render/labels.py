"""Short labels of a span's voice and target, the same in every rendering."""

from __future__ import annotations


def voice_label(
    voice: str, speaker: str | None, voice_confidence: float | None = None, speaker_confidence: float | None = None
) -> str:
    """ "author (88%)", "quoted (95%): Rouhani (71%)", "reported: the UN", "unknown": who speaks,
    with how likely the voice and the speaker are right when that was estimated (not for
    "unknown", which is no answer to be right about)."""
    shown = _with_confidence(voice, voice_confidence if voice != "unknown" else None)
    return f"{shown}: {_with_confidence(speaker, speaker_confidence)}" if speaker else shown


def _with_confidence(label: str, confidence: float | None) -> str:
    """``label`` with a confidence (shown as at most 99%: nothing here is certain) when one was
    estimated."""
    return f"{label} ({min(confidence, 0.99):.0%})" if confidence is not None else label


def target_label(target: str | None, confidence: float | None) -> str:
    """ "the harbour board (62%)": whom the span is aimed at, with the confidence of the model that chose it."""
    return _with_confidence(target, confidence) if target else ""
