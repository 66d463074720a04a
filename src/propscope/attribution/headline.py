"""Headlines written in title case ("Senator Ann Price Slams Port Board For “Reckless” Deal")
mislead the parser: every word looks like a name, so it finds no verb and no speaker. The
headline is parsed again with its ordinary words in lower case, each keeping its length, so
offsets into the article stay the same; words the article capitalises in running text or
names as entities keep their capitals."""

from __future__ import annotations

import re

from propscope.segment import parse_line

#: a capitalised word in running text: after a word of the sentence, not at a sentence start
RUNNING_CAPITAL = re.compile(r"(?<=[\w,;] )[A-Z][\w’'-]*")
WORD = re.compile(r"[A-Za-z][\w’'-]*")
#: words of more than three letters a title-case line has, every one capitalised
MIN_HEADLINE_WORDS = 4


def _title_case(line: str) -> bool:
    words = [w for w in WORD.findall(line) if len(w) > 3]
    return len(words) >= MIN_HEADLINE_WORDS and all(w[0].isupper() for w in words)


def truecased_headline(text: str, docs: list[tuple[int, object]]) -> list[tuple[int, object]]:
    """``docs`` with the article's first line, when it is a title-case headline, parsed again
    with its ordinary words in lower case."""
    if not docs or docs[0][0] != 0 or not _title_case(docs[0][1].text):
        return docs
    headline = docs[0][1].text
    # a repeated headline in the body would make all its words look like names
    body = "\n".join(doc.text for _, doc in docs[1:] if not _title_case(doc.text))
    names = set(RUNNING_CAPITAL.findall(body))
    names |= {word for _, doc in docs[1:] for entity in doc.ents for word in entity.text.split()}

    def lower(match: re.Match) -> str:
        word = match.group(0)
        # the first word keeps its capital, as in a sentence
        keep = match.start() == 0 or word in names or word.isupper() or len(word.lower()) != len(word)
        return word if keep else word.lower()

    return [(0, parse_line(WORD.sub(lower, headline))), *docs[1:]]
