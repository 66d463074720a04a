"""Headlines written in title case ("Senator Ann Price Slams Port Board For “Reckless” Deal")
mislead the parser: every word looks like a name, so it finds no verb and no speaker. The
article's title, when it is in title case, is parsed again with its ordinary words in lower
case (words the article capitalises in running text or names as entities keep their capitals),
and that parse is carried onto the words as written, so text and offsets stay the article's."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from propscope.attribution.grammar import paragraph_at
from propscope.document import Range
from propscope.segment import parse_line

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: a word in running text: after a word of the sentence, not at a sentence start
RUNNING_WORD = re.compile(r"(?<=[\w,;] )[^\W\d_][\w’'-]*")
#: a word that starts with a letter of any alphabet ("Éric", "İmamoğlu")
WORD = re.compile(r"(?<!\w)[^\W\d_][\w’'-]*")
#: words of more than three letters a title-case line has, every one capitalised
MIN_HEADLINE_WORDS = 4
#: what the lower-case parse gives the headline as written
PARSE_ATTRIBUTES = ["HEAD", "DEP", "TAG", "POS", "LEMMA", "MORPH", "ENT_IOB", "ENT_TYPE"]


def _title_case(line: str) -> bool:
    words = [w for w in WORD.findall(line) if len(w) > 3]
    return len(words) >= MIN_HEADLINE_WORDS and all(w[0].isupper() for w in words)


def headline_parse(docs: list[tuple[int, Doc]], title: Range | None) -> tuple[int, Doc] | None:
    """(offset, Doc) of the paragraph holding ``title`` parsed as a sentence, when that
    title is in title case; None otherwise."""
    found = paragraph_at(docs, title[0]) if title else None
    if found is None or not _title_case(found[1].text):
        return None
    offset, doc = found
    headline = doc.text
    # a repeated headline in the body would make all its words look like names
    body = "\n".join(other.text for _, other in docs if other is not doc and not _title_case(other.text))
    names = {word for word in RUNNING_WORD.findall(body) if word[0].isupper()}
    names |= {word for _, other in docs if other is not doc for entity in other.ents for word in entity.text.split()}
    first = WORD.search(headline)

    def lower(match: re.Match) -> str:
        word = match.group(0)
        # the first word keeps its capital, as in a sentence; lower() must keep the length
        keep = match.start() == first.start() or word in names or word.isupper() or len(word.lower()) != len(word)
        return word if keep else word.lower()

    # spaCy only when a headline is parsed: the command line starts without it
    from spacy.tokens import Doc

    lowered = parse_line(WORD.sub(lower, headline))
    written = Doc(
        lowered.vocab,
        words=[headline[t.idx : t.idx + len(t)] for t in lowered],
        spaces=[bool(t.whitespace_) for t in lowered],
    )
    written.from_array(PARSE_ATTRIBUTES, lowered.to_array(PARSE_ATTRIBUTES))
    return offset, written
