"""Article summary, the 0-100 propaganda score, and plain-language explanations.

The score is the expected share of sentences that carry propaganda, in percent:
each sentence counts with the highest calibrated confidence among the spans that
start in it (0 when none does), and the score is 100 times the mean over the
analysed sentences, rounded. A score of 30 reads "about 3 sentences in 10 use a
propaganda technique".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from propscope.document import Range, Span, Summary
from propscope.techniques import technique


def sentence_of(position: int, sentences: Sequence[Range]) -> int | None:
    for index, (start, end) in enumerate(sentences):
        if start <= position < end:
            return index
    return None


def explain(technique_id: str, technique_confidence: float, runner_up: tuple[str, float] | None) -> str:
    entry = technique(technique_id)
    text = f"{entry.name}: {entry.definition} Why it misleads: {entry.why_misleading}"
    if technique_confidence < 0.5 and runner_up is not None:
        text += f" The model is unsure of the technique; it could also be {technique(runner_up[0]).name.lower()}."
    return text


def _strongest_per_sentence(spans: Sequence[Span]) -> dict[int, float]:
    strongest: dict[int, float] = {}
    for span in spans:
        if span.sentence is not None:
            strongest[span.sentence] = max(strongest.get(span.sentence, 0.0), span.confidence)
    return strongest


def _score(strongest: dict[int, float], n_sentences: int) -> int:
    return round(100 * sum(strongest.values()) / n_sentences) if n_sentences else 0


def score_article(spans: Sequence[Span], sentences: Sequence[Range]) -> Summary:
    strongest = _strongest_per_sentence(spans)
    n = len(sentences)
    return Summary(
        spans_per_technique=dict(Counter(span.technique for span in spans).most_common()),
        sentences=n,
        sentences_with_propaganda=len(strongest),
        propaganda_sentence_share=round(len(strongest) / n, 4) if n else 0.0,
        score=_score(strongest, n),
        author_score=_score(_strongest_per_sentence([s for s in spans if s.voice == "author"]), n),
        spans_per_voice=dict(Counter(span.voice for span in spans).most_common()),
    )
