"""A cheap check that a text is English, since the model only knows English."""

from __future__ import annotations

import re

#: frequent English function words; in English news they make up a third or more of all words
FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "is",
        "that",
        "for",
        "on",
        "with",
        "as",
        "was",
        "by",
        "it",
        "at",
        "from",
        "be",
        "are",
        "this",
        "have",
        "has",
        "not",
        "an",
        "or",
        "but",
        "were",
        "which",
        "their",
        "they",
        "he",
        "she",
        "his",
        "her",
        "its",
        "will",
        "would",
        "been",
        "had",
        "who",
        "said",
    ]
)
MIN_WORDS = 20
MIN_SHARE = 0.1


def looks_english(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < MIN_WORDS:
        return True  # too short to tell; do not warn
    return sum(w in FUNCTION_WORDS for w in words) / len(words) >= MIN_SHARE
