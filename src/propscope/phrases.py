"""The words of propaganda spans as echo compares them: lowercase lemmas, each marked as a stop
word or not, and the phrases a span offers. An analysis finds them when it is made, and they are
stored with its spans; echo finds them for spans stored without them."""

from __future__ import annotations

#: a word of a span: its lowercase lemma, whether it is a stop word, and where it starts and ends in
#: the span's text (stored, so that echo shows a phrase as written without loading spaCy; spans
#: stored before then have the first two only)
Word = tuple[str, bool, int, int]
Words = tuple[Word, ...]

#: phrases longer than this many words are sentences, not slogans or labels
MAX_PHRASE_WORDS = 8


def normalise(texts: list[str]) -> list[Words]:
    """Each text's words (``Word``)."""
    if not texts:
        return []  # without loading spaCy
    from propscope.segment import tag_words

    # each text alone: in its sentence a capitalised word may be read as a name and keep its form
    return [
        tuple((t.lemma_.lower(), t.is_stop, t.idx, t.idx + len(t)) for t in doc if _is_word(t))
        for doc in tag_words(texts)
    ]


def _is_word(token) -> bool:
    # punctuation, symbols and "n't" have no lemma worth comparing
    return token.is_alpha or token.is_digit


def word_ranges(text: str, words: Words) -> list[tuple[int, int]]:
    """(start, end) in ``text`` of each of its ``words``: as stored, or for words stored without
    them, from the same tokens ``normalise`` reads (which loads spaCy)."""
    if all(len(word) == 4 for word in words):
        return [(word[2], word[3]) for word in words]
    from propscope.segment import _nlp

    return [(t.idx, t.idx + len(t)) for t in _nlp().tokenizer(text) if _is_word(t)]


def phrases_of(words: Words) -> set[str]:
    """The phrases a span offers: the whole span when it is short, and every run of two to
    MAX_PHRASE_WORDS of its words that starts and ends with a word of content."""
    lemmas = [word[0] for word in words]
    found = {" ".join(lemmas)} if 0 < len(words) <= MAX_PHRASE_WORDS else set()
    for size in range(2, min(MAX_PHRASE_WORDS, len(words)) + 1):
        for start in range(len(words) - size + 1):
            if not words[start][1] and not words[start + size - 1][1]:
                found.add(" ".join(lemmas[start : start + size]))
    return found
