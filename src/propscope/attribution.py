"""Who is speaking: the author, a quoted speaker, or a speaker whose words are reported.

A span inside quotation marks is ``quoted``; a span in the clause a reporting
verb introduces ("he noted that ...", "according to the UN, ...") is
``reported``; a span after an opening quotation mark that never closes is
``unknown`` rather than guessed; everything else is the ``author``'s voice.
Speakers are found with spaCy's parse and entities; "he", "she" and "they" are
resolved to the last named speaker or subject before them.
"""

from __future__ import annotations

from dataclasses import dataclass

from propscope.document import Range

VOICES = ("author", "quoted", "reported", "unknown")

REPORTING_VERBS = frozenset(
    [
        "say",
        "tell",
        "add",
        "note",
        "stress",
        "warn",
        "claim",
        "state",
        "insist",
        "declare",
        "announce",
        "explain",
        "argue",
        "assert",
        "affirm",
        "emphasise",
        "emphasize",
        "underline",
        "underscore",
        "maintain",
        "allege",
        "admit",
        "acknowledge",
        "accuse",
        "charge",
        "write",
        "tweet",
        "post",
        "report",
        "reply",
        "respond",
        "answer",
        "urge",
        "suggest",
        "believe",
        "think",
        "describe",
        "call",
        "vow",
        "pledge",
        "promise",
        "threaten",
        "deny",
        "reiterate",
        "recall",
        "point",
        "observe",
        "remark",
        "comment",
        "conclude",
        "mention",
        "complain",
    ]
)
PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person", "they": "group", "we": "group"}
#: opening mark -> closing marks that end it
#: (pages mix curly and straight marks, so any closing double mark ends a double quotation)
DOUBLE_QUOTES = {"“": '”"', "«": "»", "„": '“”"', '"': '"”“', "»": "«"}
SINGLE_QUOTES = {"‘": "’", "'": "'", "‹": "›"}
#: entity labels that are never the antecedent of "he" or "she"
PLACES = frozenset({"GPE", "LOC", "FAC"})
#: how close an earlier quotation must be for its speaker to carry over
CONTINUED_SPEAKER_CHARS = 600
#: lines a quotation may stay open before it counts as unclosed
MAX_QUOTE_LINES = 6
#: how far (in tokens) a reporting verb may stand from its quotation
VERB_REACH = 20


@dataclass(frozen=True)
class Quote:
    start: int  # the opening mark
    end: int  # after the closing mark, or the end of the paragraph when it never closes
    closed: bool


@dataclass(frozen=True)
class Voice:
    voice: str
    speaker: str | None = None
    #: where the speaker is named, as written (e.g. "he" or "the Iranian president")
    speaker_range: Range | None = None


def _paragraphs(text: str, region: Range) -> list[Range]:
    start, end = region
    paragraphs = []
    position = start
    for line in text[start:end].split("\n"):
        if line.strip():
            paragraphs.append((position, position + len(line)))
        position += len(line) + 1
    return paragraphs


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


def _scan(text: str, start: int, end: int, stack: list[tuple[str, int]]) -> list[Quote]:
    """Closed quotations in text[start:end]; ``stack`` holds the marks still open, and is updated."""
    quotes: list[Quote] = []
    for i in range(start, end):
        ch = text[i]
        if ch in "'’" and _is_apostrophe(text, i):
            continue
        if stack and ch in (DOUBLE_QUOTES | SINGLE_QUOTES)[stack[-1][0]]:
            _, position = stack.pop()
            if not stack:
                quotes.append(Quote(position, i + 1, True))
            continue
        if ch in DOUBLE_QUOTES or (ch in SINGLE_QUOTES and (i == start or not text[i - 1].isalnum())):
            if ch in "'\"" and stack and stack[-1][0] == ch:
                continue
            stack.append((ch, i))
    return quotes


def find_quotes(text: str, regions: list[Range]) -> list[Quote]:
    """Quotations, including those that run over several lines.

    A quotation left open at a line end goes on in the next lines (texts with one
    sentence per line), and a next paragraph that opens with a quotation mark
    continues it (the convention for quotes over several paragraphs). One still
    open after MAX_QUOTE_LINES lines is unclosed: its first line gets voice unknown.
    """
    quotes: list[Quote] = []
    for region in regions:
        stack: list[tuple[str, int]] = []
        open_lines = 0
        first_line_end = 0
        for start, end in _paragraphs(text, region):
            if stack:
                open_lines += 1
                if text[start] in DOUBLE_QUOTES and text[start] == stack[0][0]:
                    start += 1  # the mark that reopens a quotation in a new paragraph
                if open_lines > MAX_QUOTE_LINES:
                    quotes.append(Quote(stack[0][1], first_line_end, False))
                    stack.clear()
            was_open = bool(stack)
            quotes.extend(_scan(text, start, end, stack))
            if stack and not was_open:
                open_lines, first_line_end = 0, end
        if stack:
            quotes.append(Quote(stack[0][1], first_line_end, False))
    return sorted(quotes, key=lambda q: q.start)


def paragraph_at(docs: list[tuple[int, object]], position: int) -> tuple[int, object] | None:
    """The (offset, Doc) of the parsed paragraph holding ``position``."""
    return next(((offset, doc) for offset, doc in docs if offset <= position < offset + len(doc.text) + 1), None)


def span_in(docs: list[tuple[int, object]], start: int, end: int):
    """(offset, Doc, Span) for the characters [start, end), widened to whole tokens, or None."""
    found = paragraph_at(docs, start)
    if found is None:
        return None
    offset, doc = found
    span = doc.char_span(start - offset, end - offset, alignment_mode="expand")
    return None if span is None else (offset, doc, span)


def _entity_of(doc, token):
    return next((e for e in doc.ents if e.start <= token.i < e.end), None)


def subject_mention(doc, verb) -> tuple[int, int] | None:
    """Token range of a reporting verb's subject, trimmed to its name or noun phrase."""
    subjects = [t for t in verb.children if t.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and verb.dep_ in ("conj", "advcl", "xcomp"):
        # "..., insisting that ..." and "... and said": the subject of the verb it hangs on
        subjects = [t for t in verb.head.children if t.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return None
    head = subjects[0]
    entity = _entity_of(doc, head)
    if entity is not None:
        return entity.start, entity.end
    left = min(t.i for t in head.subtree if t.dep_ in ("det", "amod", "compound", "poss") or t.i == head.i)
    return left, head.i + 1


def _is_reporting(token) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in REPORTING_VERBS


class Attributor:
    """Assigns a voice and speaker to spans of one article, from its parsed paragraphs."""

    def __init__(self, text: str, regions: list[Range], docs: list[tuple[int, object]]) -> None:
        """``docs``: (offset, spaCy Doc) for each paragraph, in text order."""
        self.text = text
        self.quotes = find_quotes(text, regions)
        self.docs = docs
        self._antecedents = self._named_mentions()

    def _inside_quote(self, position: int) -> bool:
        return any(q.start <= position < q.end for q in self.quotes)

    def _named_mentions(self) -> list[tuple[int, str, bool]]:
        """Where people are named outside quotations: (position, name, is a main-clause subject).

        Person entities count, and proper nouns that are the subject of a main clause
        (not places, nor subjects of reported clauses).
        """
        mentions = []
        for offset, doc in self.docs:
            for token in doc:
                if self._inside_quote(offset + token.idx):
                    continue
                entity = _entity_of(doc, token)
                main_subject = token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ in ("ROOT", "conj")
                if entity is not None and entity.label_ == "PERSON":
                    head = max(entity, key=lambda t: t.i)
                    if token.i == entity.start:
                        is_subject = head.dep_ in ("nsubj", "nsubjpass") and head.head.dep_ in ("ROOT", "conj")
                        mentions.append((offset + token.idx, entity.text, is_subject))
                    continue
                if main_subject and token.pos_ == "PROPN" and (entity is None or entity.label_ not in PLACES):
                    mentions.append((offset + token.idx, token.text, True))
        return sorted(mentions)

    def _antecedent(self, position: int) -> str | None:
        """The person a pronoun at ``position`` stands for: the last named subject before it,
        else the last person named."""
        subjects = [name for at, name, is_subject in self._antecedents if at < position and is_subject]
        if subjects:
            return subjects[-1]
        persons = [name for at, name, _ in self._antecedents if at < position]
        return persons[-1] if persons else None

    def _speaker(self, offset: int, doc, verb, voice: str) -> Voice:
        mention = subject_mention(doc, verb)
        if mention is None:
            return Voice(voice)
        start, end = mention
        span = doc[start:end]
        begin = offset + span.start_char
        name = span.text
        if name.lower() in PRONOUNS:
            name = self._antecedent(begin) or name
        return Voice(voice, name, (begin, offset + span.end_char))

    def _quote_speaker(self, quote: Quote) -> Voice:
        found = paragraph_at(self.docs, quote.end - 1)
        if found is None:
            return Voice("quoted")
        offset, doc = found
        inside = range(quote.start - offset, quote.end - offset)
        tokens = [t for t in doc if t.idx not in inside]
        after = [t for t in tokens if t.idx >= quote.end - offset][:VERB_REACH]
        before = [t for t in tokens if t.idx < quote.start - offset][-VERB_REACH:]
        for candidates in (after, list(reversed(before))):
            verb = next((t for t in candidates if _is_reporting(t)), None)
            if verb is not None:
                return self._speaker(offset, doc, verb, "quoted")
        opening = paragraph_at(self.docs, quote.start)
        index = self.docs.index(opening) if opening else -1
        if index > 0:
            # a lead-in line such as "The minister told reporters:" just above
            offset, doc = self.docs[index - 1]
            if doc.text.rstrip().endswith(":"):
                verb = next((t for t in reversed(doc) if _is_reporting(t)), None)
                if verb is not None:
                    return self._speaker(offset, doc, verb, "quoted")
        # a quotation with no verb of its own goes on with the speaker just quoted
        earlier = [q for q in self.quotes if q.end <= quote.start and quote.start - q.end < CONTINUED_SPEAKER_CHARS]
        for previous in reversed(earlier):
            voice = self._quote_speaker(previous) if previous.closed else None
            if voice and voice.speaker:
                return voice
        return Voice("quoted")

    def _reported(self, start: int, end: int) -> Voice | None:
        found = span_in(self.docs, start, end)
        if found is None:
            return None
        offset, doc, local = found
        for ancestor in [local.root, *local.root.ancestors]:
            if ancestor.dep_ == "ccomp" and _is_reporting(ancestor.head):
                return self._speaker(offset, doc, ancestor.head, "reported")
        if _is_reporting(local.root) and any(
            c.dep_ == "ccomp" and local.start <= c.i < local.end for c in local.root.children
        ):
            # the span holds the whole report: "Smith explains that ..."
            return self._speaker(offset, doc, local.root, "reported")
        sentence = local.sent
        for token in sentence:
            if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
                objects = [t for t in doc[token.i + 1].children if t.dep_ == "pobj"]
                if objects:
                    source = doc[min(t.i for t in objects[0].subtree) : objects[0].i + 1]
                    return Voice("reported", source.text, (offset + source.start_char, offset + source.end_char))
        return None

    def voice_of(self, start: int, end: int) -> Voice:
        for quote in self.quotes:
            inside = min(end, quote.end) - max(start, quote.start)
            if inside <= 0:
                continue
            if not quote.closed:
                return Voice("unknown")
            if inside * 2 >= end - start:
                # wholly or mostly inside the quotation ('a “mean drunk')
                return self._quote_speaker(quote)
        return self._reported(start, end) or Voice("author")


#: techniques aimed at someone: their spans get a target
TARGETED_TECHNIQUES = frozenset({"Name_Calling,Labeling", "Loaded_Language", "Doubt", "Appeal_to_fear-prejudice"})
TARGET_ENTITY_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


@dataclass(frozen=True)
class Target:
    """Who or what a span is aimed at: a mention in the article, and its name across aliases."""

    start: int
    end: int
    name: str


class Targeter:
    """Finds the target of a span from the parse: a name inside it, the noun it qualifies,
    or the subject or possessor of the clause it belongs to."""

    def __init__(self, text: str, docs: list[tuple[int, object]]) -> None:
        self.text = text
        self.docs = docs
        names = [
            (offset + e.start_char, e.text)
            for offset, doc in docs
            for e in doc.ents
            if e.label_ in TARGET_ENTITY_LABELS
        ]
        # the longest name that ends with a word stands for all its shorter aliases
        self._canonical: dict[str, str] = {}
        for _, name in sorted(names, key=lambda n: len(n[1])):
            self._canonical[name.split()[-1].lower()] = name

    def canonical(self, mention: str) -> str:
        words = mention.split()
        return self._canonical.get(words[-1].lower(), mention) if words else mention

    def _target(self, offset: int, doc, tokens) -> Target:
        first, last = tokens[0], tokens[-1]
        start, end = offset + first.idx, offset + last.idx + len(last)
        mention = self.text[start:end]
        return Target(start, end, self.canonical(mention))

    def _phrase(self, doc, token) -> list:
        """The named entity or the noun phrase around a noun."""
        entity = next((e for e in doc.ents if e.start <= token.i < e.end), None)
        if entity is not None:
            return list(entity)
        chunk = next((c for c in doc.noun_chunks if c.start <= token.i < c.end), None)
        tokens = list(chunk) if chunk is not None else [token]
        return [t for t in tokens if t.dep_ != "det" and t.pos_ != "PRON"] or [token]

    def _agent(self, doc, token, span):
        """The subject or possessor nearest above ``token``, outside the span; a relative
        pronoun ("which") stands for the noun its clause describes."""
        for node in [token, *token.ancestors]:
            if node.dep_ == "relcl" and node.head.pos_ in ("NOUN", "PROPN"):
                return node.head
            for child in node.children:
                outside = not (span.start <= child.i < span.end)
                if outside and child.dep_ in ("nsubj", "nsubjpass", "poss") and child.pos_ in ("NOUN", "PROPN"):
                    return child
        return None

    @staticmethod
    def _referent(root, span):
        """The noun a label is said of: "Kim, a brutal dictator", "Avenatti is a con artist",
        "called Avenatti a con artist", "this con artist, Avenatti"."""
        outside = [c for c in root.children if not (span.start <= c.i < span.end)]
        candidates = [c for c in outside if c.dep_ == "appos"]
        if root.dep_ == "appos":
            candidates.append(root.head)
        if root.dep_ in ("attr", "acomp"):
            candidates += [c for c in root.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if root.dep_ == "oprd":
            candidates += [c for c in root.head.children if c.dep_ == "dobj"]
        return next((c for c in candidates if c.pos_ in ("NOUN", "PROPN")), None)

    def target_of(self, start: int, end: int, technique: str) -> Target | None:
        found = span_in(self.docs, start, end)
        if found is None:
            return None
        offset, doc, span = found
        root = span.root
        referent = self._referent(root, span)
        if referent is not None:
            return self._target(offset, doc, self._phrase(doc, referent))
        named = [
            e
            for e in doc.ents
            if e.label_ in TARGET_ENTITY_LABELS
            and span.start <= e.start
            and e.end <= span.end
            and e.root.dep_ != "poss"
        ]
        if named:
            return self._target(offset, doc, list(named[0]))
        if root.dep_ == "amod" and root.head.pos_ in ("NOUN", "PROPN"):
            return self._target(offset, doc, self._phrase(doc, root.head))
        owners = [c for c in root.children if c.dep_ == "poss" and not (span.start <= c.i < span.end)]
        if owners and owners[0].pos_ in ("NOUN", "PROPN"):
            return self._target(offset, doc, self._phrase(doc, owners[0]))
        if technique == "Name_Calling,Labeling" and root.pos_ in ("NOUN", "PROPN"):
            # a label without a stated referent names its target ("radical terrorists")
            return self._target(offset, doc, self._phrase(doc, root))
        agent = self._agent(doc, root, span)
        if agent is not None:
            return self._target(offset, doc, self._phrase(doc, agent))
        if root.pos_ in ("NOUN", "PROPN"):
            return self._target(offset, doc, self._phrase(doc, root))
        return None
