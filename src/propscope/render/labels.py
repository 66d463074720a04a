"""Short labels of a span's voice and target, and its confidences, the same in every rendering."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from propscope.document import JSON_DECIMALS


def shown_probability(probability: float, decimals: int) -> Decimal:
    """``probability`` to ``decimals`` places, rounded half up from its value in the JSON: the
    HTML report only has the JSON, and rounding the raw value elsewhere made the same span read
    55% in the terminal and 56% in the HTML (0.55496 raw, 0.555 in the JSON)."""
    # repr gives the shortest decimal that reads back as the float: 0.555, not 0.55500000000000004885
    in_json = Decimal(repr(round(probability, JSON_DECIMALS)))
    return in_json.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def percent(probability: float) -> str:
    """ "56%": a probability as a whole percentage, the same in every view."""
    return f"{shown_probability(probability, 2) * 100:.0f}%"


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
    return f"{label} ({percent(min(confidence, 0.99))})" if confidence is not None else label


def target_label(target: str | None, confidence: float | None) -> str:
    """ "the harbour board (62%)": whom the span is aimed at, with the confidence of the model that chose it."""
    return _with_confidence(target, confidence) if target else ""


#: why a stretch of the text was not analysed, in words (the JSON keeps the ids)
EXCLUSION_REASONS = {
    "repeated-title": "repeated title",
    "dateline": "dateline",
    "site-furniture": "site furniture (menus, links, credits)",
}


def exclusion_label(reason: str) -> str:
    """ "repeated title: not analysed": the tooltip of a struck-through stretch."""
    return f"{EXCLUSION_REASONS.get(reason, reason)}: not analysed"


def score_in_words(score: float) -> str:
    """What an article's 0-100 score means, as docs/json-schema.md reads it: the expected share of
    sentences that carry propaganda, so 30 is "about 3 sentences in 10"."""
    if round(score) == 0:
        return "propaganda in hardly any sentence"
    if score < 10:
        # "0.4 sentences in 10" reads worse than "4 in 100"
        count, out_of = f"{round(score)}", 100
    else:
        count, out_of = f"{round(score / 10, 1):g}", 10
    return f"propaganda in about {count} sentence{'' if count == '1' else 's'} in {out_of}"


def score_meaning(score: float) -> str:
    """The sentence under an article's score, the same on the web page and in the HTML report."""
    return (
        f"A score of {score}/100 means {score_in_words(score)}, each sentence weighted by how sure the"
        " model is; the author's-voice score leaves out the words the article quotes or reports."
    )
