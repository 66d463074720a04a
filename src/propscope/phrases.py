"""The words of propaganda spans as echo compares them: lowercase lemmas, each marked as a stop
word or not, and the phrases a span offers. An analysis finds them when it is made, and they are
stored with its spans; echo finds them for spans stored without them."""

from __future__ import annotations

#: a span's words: (lowercase lemma, whether it is a stop word)
Words = tuple[tuple[str, bool], ...]

#: phrases longer than this many words are sentences, not slogans or labels
MAX_PHRASE_WORDS = 8


def normalise(texts: list[str]) -> list[Words]:
    """Each text's words as (lowercase lemma, whether it is a stop word)."""
    if not texts:
        return []  # without loading spaCy
    from propscope.segment import tag_words

    # each text alone: in its sentence a capitalised word may be read as a name and keep its form
    return [tuple((t.lemma_.lower(), t.is_stop) for t in doc if _is_word(t)) for doc in tag_words(texts)]


def _is_word(token) -> bool:
    # punctuation, symbols and "n't" have no lemma worth comparing
    return token.is_alpha or token.is_digit


def written_words(text: str) -> list[tuple[int, int]]:
    """(offset, length) of each word of ``text`` that ``normalise`` gives a lemma, in order: the
    same tokens, so the nth lemma was written at the nth range."""
    from propscope.segment import _nlp

    return [(t.idx, len(t)) for t in _nlp().tokenizer(text) if _is_word(t)]


def phrases_of(words: Words) -> set[str]:
    """The phrases a span offers: the whole span when it is short, and every run of two to
    MAX_PHRASE_WORDS of its words that starts and ends with a word of content."""
    lemmas = [lemma for lemma, _ in words]
    found = {" ".join(lemmas)} if 0 < len(words) <= MAX_PHRASE_WORDS else set()
    for size in range(2, min(MAX_PHRASE_WORDS, len(words)) + 1):
        for start in range(len(words) - size + 1):
            if not words[start][1] and not words[start + size - 1][1]:
                found.add(" ".join(lemmas[start : start + size]))
    return found
