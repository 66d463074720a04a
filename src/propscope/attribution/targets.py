"""Whom a span is aimed at: the person, group or thing a label is said of, a loaded word
qualifies or a doubt is cast on, as a mention in the article with its name across aliases."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from propscope.attribution.grammar import (
    ACCUSING_VERBS,
    BELIEF_VERBS,
    NAMING_VERBS,
    PERSONAL_PRONOUNS,
    PRONOUN_GENDER,
    entity_of,
    genders,
    is_reporting,
    last_word,
    noun_phrase,
    span_in,
)
from propscope.attribution.voice import Attributor

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: techniques aimed at someone: their spans get a target
TARGETED_TECHNIQUES = frozenset({"Name_Calling,Labeling", "Loaded_Language", "Doubt", "Appeal_to_fear-prejudice"})
TARGET_ENTITY_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
#: how far back (in characters) a person of the pronoun's gender is preferred to a nearer one of unknown gender
PRONOUN_REACH = 1000


@dataclass(frozen=True)
class Target:
    """Who or what a span is aimed at: a mention in the article, and its name across aliases."""

    start: int
    end: int
    name: str
    #: how likely the target is right, from the ranker's cross-validated calibration; None when
    #: the rules chose it alone
    confidence: float | None = None


def _named_apposition(root, span):
    """A name set beside a label, through a list of further labels: "a rogue outfit, hostile
    regime, Northland" -> Northland."""
    frontier = [root]
    while frontier:
        node = frontier.pop(0)
        for child in node.children:
            if child.dep_ not in ("appos", "conj") or span.start <= child.i < span.end:
                continue
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                return child
            frontier.append(child)
    return None


def _apposed_name(tokens: list[Token]) -> Span | None:
    """The proper name set beside a description of one ("the ambassador, Ann Price" or "Ann
    Price, the ambassador"), as the span of its name, or None (also for a description of
    several: "the three mayors, Ann Price, Tom Hale and Dana Reyes")."""
    inside = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in inside or t.head == t), None)
    if root is None or root.pos_ == "PROPN" or root.tag_ in ("NNS", "NNPS"):
        return None
    doc = root.doc
    name = _named_apposition(root, doc[tokens[0].i : tokens[-1].i + 1])
    if name is None and root.dep_ == "appos" and root.head.pos_ == "PROPN":
        name = root.head
    if name is None or any(c.dep_ == "conj" for c in name.children):
        return None
    return entity_of(doc, name) or noun_phrase(doc, name)


def _actor_of(root, span):
    """Who does what a loaded verb or noun describes, when the parse says so outside the span:
    the one accused of it ("accuses Reyes of doing the dirty work"), or the group a noun is
    qualified by ("Democrat temper tantrums")."""
    outside = [c for c in root.children if not (span.start <= c.i < span.end)]
    preposition = root.head
    if root.dep_ in ("pcomp", "pobj") and preposition.dep_ == "prep" and preposition.lower_ in ("of", "for"):
        holder = preposition.head
        if holder.dep_ == "dobj" and holder.pos_ in ("NOUN", "PROPN") and holder.head.lemma_.lower() in ACCUSING_VERBS:
            return holder  # the parse hangs "of …" on the accused
        accused = [c for c in holder.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")]
        if holder.pos_ == "VERB" and accused:
            return accused[0]
    if root.pos_ == "NOUN":
        qualifiers = [c for c in outside if c.dep_ in ("compound", "amod", "nmod") and c.i < root.i]
        named = [c for c in qualifiers if c.pos_ == "PROPN" or c.ent_type_ in ("NORP", "ORG", "PERSON", "GPE")]
        if named:
            return named[0]
    return None


def _usable(candidates, span):
    """The first candidate outside the span that can name a target: a noun, a personal
    pronoun, or a relative pronoun standing for the noun its clause describes."""
    candidates = [c for c in candidates if not (span.start <= c.i < span.end)]
    usable = [c for c in candidates if c.pos_ in ("NOUN", "PROPN") or c.lower_ in PERSONAL_PRONOUNS]
    usable += [c for c in candidates if c.tag_ in ("WP", "WDT") and c.head.dep_ == "relcl"]
    return usable[0] if usable else None


class Targeter:
    """Finds the target of a span from the parse: the referent a label is said of, a name
    inside it, the name it stands before, the noun it qualifies, or the subject or possessor
    of the clause it belongs to."""

    def __init__(self, text: str, docs: list[tuple[int, object]], attributor: Attributor | None = None) -> None:
        """``attributor``: the article's, when the caller has one (so its quotations are found
        once); else one is made when a pronoun target needs the speaker of its quotation."""
        self.text = text
        self.docs = docs
        names = [
            (offset + e.start_char, (e[1:] if len(e) > 1 and e[0].dep_ == "det" else e).text)
            for offset, doc in docs
            for e in doc.ents
            if e.label_ in TARGET_ENTITY_LABELS
        ]
        # each name by its words, to find the fuller names a short one is the end of
        self._names = {tuple(name.lower().split()): name for _, name in names if name.split()}
        self._genders = genders(docs)
        self._chunks: dict[int, list] = {}
        self._attributor = attributor
        self._persons = sorted(
            (offset + e.start_char, offset + e.end_char, e.text, e.root.dep_ in ("nsubj", "nsubjpass"))
            for offset, doc in docs
            for e in doc.ents
            if e.label_ == "PERSON"
        )

    @property
    def attributor(self) -> Attributor:
        if self._attributor is None:
            self._attributor = Attributor(self.text, [(0, len(self.text))], self.docs)
        return self._attributor

    def speaker_of(self, start: int, end: int) -> str | None:
        """Who speaks the words from ``start`` to ``end``, if anyone is named."""
        return self.attributor.voice_of(start, end).speaker

    def _speaker_around(self, position: int) -> str | None:
        """The speaker of the quotation holding ``position``, if any."""
        if not any(q.closed and q.start <= position < q.end for q in self.attributor.quotes):
            return None
        return self.speaker_of(position, position + 1)

    def canonical(self, mention: str) -> str:
        """The one fuller name the article gives whom ``mention`` names ("Rouhani" -> "Hassan
        Rouhani"), or ``mention`` itself when no name, or more than one, ends with its words
        ("Biden" with both Joe and Hunter Biden named; "the Labour Party" beside "the
        Conservative Party")."""
        words = tuple(mention.lower().split())
        if not words:
            return mention
        fuller = {name for key, name in self._names.items() if len(key) > len(words) and key[-len(words) :] == words}
        return fuller.pop() if len(fuller) == 1 else mention

    def mention_target(self, offset: int, doc, tokens) -> Target:
        """The target the mention ``tokens`` names; a personal pronoun stands for the person
        last named before it."""
        if len(tokens) > 1 and tokens[0].dep_ == "det":
            tokens = tokens[1:]  # "the Harbour Authority" is named "Harbour Authority"
        # a phrase the parse runs into a quotation mark ("wholesale costs") is named without it
        worded = [i for i, t in enumerate(tokens) if not (t.is_punct or t.is_quote)]
        if worded:
            tokens = tokens[worded[0] : worded[-1] + 1]
        first, last = tokens[0], tokens[-1]
        start, end = offset + first.idx, offset + last.idx + len(last)
        if first == last and first.lower_ in PERSONAL_PRONOUNS:
            # "he's a born liar": the person last named before the pronoun
            gender = PRONOUN_GENDER[first.lower_]
            before = [p for p in self._persons if p[1] <= start]
            named = [p for p in before if self._genders.get(last_word(p[2]), gender) == gender]
            # someone known to be "she" a little earlier beats a later name of unknown gender
            known = [p for p in named if self._genders.get(last_word(p[2])) == gender and start - p[0] < PRONOUN_REACH]
            named = known or named
            speaker = self._speaker_around(start)
            if speaker:
                # "I know he's a born liar": in their own words, "he" is not the speaker
                named = [p for p in named if last_word(p[2]) != last_word(speaker)]
            # the subject named last is likelier than a name in a phrase after it ("Gowen, an aide
            # to Clinton, said ... He ...")
            subjects = [p for p in named if p[3] and start - p[0] < PRONOUN_REACH]
            named = subjects or named
            if named:
                at, until, name, _ = named[-1]
                return Target(at, until, self.canonical(name))
        mention = self.text[start:end]
        named = _apposed_name(tokens)
        if named is not None:
            # "the ambassador to the harbour board, Ann Price": the description goes by the name
            mention = self.text[offset + named.start_char : offset + named.end_char]
        return Target(start, end, self.canonical(mention))

    def _phrase(self, doc, token) -> list:
        """The named entity or the noun phrase around a noun; a relative pronoun ("whom")
        stands for the noun its clause describes."""
        if token.tag_ in ("WP", "WDT") and token.head.dep_ == "relcl":
            token = token.head.head
        entity = entity_of(doc, token)
        if entity is None and token.dep_ == "compound":
            # "news anchor Tom Reyes": the name the title stands before
            entity = entity_of(doc, token.head)
            entity = entity if entity is not None and entity.label_ == "PERSON" else None
        if entity is not None:
            return list(entity)
        chunk = self._noun_chunk(doc, token)
        tokens = list(chunk) if chunk is not None else [token]
        kept = [t for t in tokens if t.dep_ != "det" and (t.pos_ != "PRON" or t.lower_ in PERSONAL_PRONOUNS)]
        return kept or [token]

    def _noun_chunk(self, doc, token):
        """The noun phrase holding ``token``, or None; each paragraph's phrases are found once,
        since ``doc.noun_chunks`` parses the whole paragraph for them on every call."""
        if id(doc) not in self._chunks:
            self._chunks[id(doc)] = list(doc.noun_chunks)
        chunks = self._chunks[id(doc)]
        at = bisect_right(chunks, token.i, key=lambda c: c.start) - 1
        return chunks[at] if at >= 0 and token.i < chunks[at].end else None

    def _named_part(self, doc, token) -> list:
        """Who a noun phrase is about: its own name, its possessor ("The council's failure" ->
        the council), the name it is "in" or "of" ("the rules in Oslo" -> Oslo), else the
        phrase itself."""
        if entity_of(doc, token) is not None:
            return self._phrase(doc, token)
        owners = [c for c in token.children if c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN")]
        if owners:
            return self._phrase(doc, owners[0])
        objects = [
            g
            for c in token.children
            if c.dep_ == "prep" and c.lower_ in ("in", "of", "for", "from")
            for g in c.children
            if g.dep_ == "pobj"
        ]
        inner = [e for e in doc.ents if e.label_ in TARGET_ENTITY_LABELS and e.root in objects]
        if inner:
            return list(inner[0])
        return self._phrase(doc, token)

    def _possessor(self, doc, root, span):
        """Whom a possessive pronoun in or on the span stands for: "their lazy staff" in a
        sentence whose subject is "Harbour officials"."""
        pronouns = [
            t for t in [*span, *root.children] if t.dep_ == "poss" and t.lower_ in ("their", "its", "his", "her")
        ]
        if not pronouns:
            return None
        pronoun = pronouns[0].lower_
        # the subject of the nearest clause above ("when Reyes made his silly remark")
        subject = next(
            (
                c
                for node in root.ancestors
                for c in node.children
                if c.dep_ in ("nsubj", "nsubjpass") and not (span.start <= c.i < span.end)
            ),
            None,
        )
        if subject is None or subject.pos_ not in ("NOUN", "PROPN"):
            return None
        entity = entity_of(doc, subject)
        # the pronoun must fit: "their" a plural or a group, "his" and "her" a person of that gender
        if pronoun == "their":
            fits = subject.tag_ in ("NNS", "NNPS") or (entity is not None and entity.label_ in ("NORP", "ORG"))
        elif pronoun == "its":
            fits = subject.tag_ in ("NN", "NNP") and (entity is None or entity.label_ != "PERSON")
        else:
            gender = PRONOUN_GENDER[pronoun]
            fits = (
                entity is not None
                and entity.label_ == "PERSON"
                and self._genders.get(last_word(entity.text), gender) == gender
            )
        return subject if fits else None

    def _agent(self, doc, token, span):
        """The subject or possessor nearest above ``token``, outside the span; a relative
        pronoun ("which") stands for the noun its clause describes."""
        for node in [token, *token.ancestors]:
            if node.dep_ == "relcl" and node.head.pos_ in ("NOUN", "PROPN"):
                return node.head
            for child in node.children:
                outside = not (span.start <= child.i < span.end)
                nominal = child.pos_ in ("NOUN", "PROPN") or child.lower_ in PERSONAL_PRONOUNS
                # the speaker of the report the span sits in is not its target
                speaker = child.dep_ == "nsubj" and is_reporting(node) and node != token
                if outside and child.dep_ in ("nsubj", "nsubjpass", "poss") and nominal and not speaker:
                    return child
        return None

    @staticmethod
    def _referent(root, span):
        """The noun a label is said of: "Reyes, a brutal tyrant", "Reyes is a con man",
        "what sort of fool is Reyes", "this con man, Reyes"."""
        outside = [c for c in root.children if not (span.start <= c.i < span.end)]
        named = _named_apposition(root, span)
        if named is not None:
            return named
        candidates = [c for c in outside if c.dep_ == "appos"]
        role = root
        while role.dep_ == "conj" and role.head != role:
            role = role.head  # "a liar and a fraud": the second label is said of the same one
        if role.dep_ == "appos":
            candidates.append(role.head)  # "Reyes, the party's icon and former treasurer"
        if role.dep_ in ("attr", "acomp"):
            # "Reyes was shown to be a liar": up from "be" to the verb with the subject
            verb = role.head
            while not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) and verb.dep_ == "xcomp":
                verb = verb.head
            candidates += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if root.dep_ == "nsubj" and root.head.lemma_ == "be":
            candidates += [c for c in root.head.children if c.dep_ == "attr"]
        for clause in (c for c in root.children if c.dep_ == "relcl" and c.lemma_ == "be"):
            # "the fool he is": the pronoun may lie inside the span
            pronouns = [c for c in clause.children if c.dep_ == "nsubj" and c.lower_ in PERSONAL_PRONOUNS]
            if pronouns:
                return pronouns[0]
        return _usable(candidates, span)

    @staticmethod
    def _named_object(root, span):
        """What a naming verb names: "called Reyes a con man", "described Reyes as a
        con man", "whom Price has dubbed 'the fixer'"."""
        verb = None
        if root.dep_ in ("oprd", "ccomp", "xcomp") and root.head.lemma_.lower() in NAMING_VERBS:
            verb = root.head
        if root.dep_ in ("pobj", "amod", "acomp") and root.head.lower_ == "as":
            verb = root.head.head
        if verb is None:
            return None
        objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        # "referred to the plan as shameful"
        objects += [
            g for c in verb.children if c.dep_ == "prep" and c.lower_ == "to" for g in c.children if g.dep_ == "pobj"
        ]
        return _usable(objects, span)

    @staticmethod
    def _clause_subject(span, doubt: bool = False):
        """The subject of a clause the span holds: what it says something about ("Reyes is
        lying ...", "the new tenants have wrecked ..."), unless it is the
        speaker of a report the span holds; but a doubt cast on a report or belief the span
        holds ("Reyes wrongly thought the bridge was closed") is aimed at whoever held it."""
        if span.root.pos_ not in ("VERB", "AUX"):
            return None
        believer = doubt and span.root.lemma_.lower() in BELIEF_VERBS
        subjects = [
            c
            for c in span.root.children
            if c.dep_ in ("nsubj", "nsubjpass")
            and span.start <= c.i < span.end
            and (believer or not is_reporting(span.root))
        ]
        return _usable(subjects, span.doc[0:0]) if subjects else None

    @staticmethod
    def _named_after(doc, span):
        """The name a label stands in front of: "convicted fraudster Tom Reyes",
        "zealots such as Ann Price", "the puppet master of the scheme, Tom Reyes"."""
        if span.root.dep_ == "compound" and span.root.head.i >= span.end:
            entity = entity_of(doc, span.root.head)
            if entity is not None and entity.label_ in TARGET_ENTITY_LABELS:
                return entity
        sentence_end = span.root.sent.end
        following = [e for e in doc.ents if span.end <= e.start < sentence_end and e.label_ in TARGET_ENTITY_LABELS]
        if not following:
            return None
        first = following[0]
        between = list(doc[span.end : first.start])
        # "the board hired hatchet man Tom Reyes", "zealots such as Ann Price";
        # not "“…,” Reyes said", where the name is the speaker
        speaking = first.root.dep_ in ("nsubj", "nsubjpass") and is_reporting(first.root.head)
        if not speaking and all(t.lower_ in ("such", "as", "like", "including", ",") for t in between):
            return first
        return next(
            (e for e in following if e.root.dep_ == "appos" and span.start <= e.root.head.i < span.end),
            None,
        )

    def target_of(self, start: int, end: int, technique: str) -> Target | None:
        found = span_in(self.docs, start, end)
        if found is None:
            return None
        offset, doc, span = found
        root = span.root
        # a fear appeal's subject is mostly the threat, not whom it is aimed at
        doubt = technique == "Doubt"
        subject = self._clause_subject(span, doubt) if technique != "Appeal_to_fear-prejudice" else None
        if subject is not None:
            return self.mention_target(offset, doc, self._named_part(doc, subject))
        referent = self._referent(root, span)
        if referent is not None:
            return self.mention_target(offset, doc, self._phrase(doc, referent))
        label = technique == "Name_Calling,Labeling"
        after = self._named_after(doc, span)
        if label and after is not None:
            return self.mention_target(offset, doc, list(after))
        named = [
            e
            for e in doc.ents
            if e.label_ in TARGET_ENTITY_LABELS
            and span.start <= e.start
            and e.end <= span.end
            # the speaker of a report the span holds is not its target ("Price explains that ...")
            and not (e.root.dep_ in ("nsubj", "nsubjpass") and is_reporting(e.root.head))
            # a name that only qualifies the noun of a label ("Price-hating press", "radio
            # rabble-rouser") is not the one labelled
            and not (
                label
                and e.root.dep_ in ("poss", "compound", "npadvmod", "amod", "nmod")
                and span.start <= e.root.head.i < span.end
                and e.root.head.i != e.root.i
            )
        ]
        if named:
            return self.mention_target(offset, doc, list(named[0]))
        named_object = self._named_object(root, span)
        if named_object is not None:
            return self.mention_target(offset, doc, self._phrase(doc, named_object))
        if after is not None:
            return self.mention_target(offset, doc, list(after))
        if root.dep_ == "amod" and root.head.pos_ in ("NOUN", "PROPN"):
            # "Reyes is a toxic influence": a loaded word in a label is aimed at whom the label is said of
            referent = self._referent(root.head, span)
            return self.mention_target(offset, doc, self._phrase(doc, referent or root.head))
        actor = _actor_of(root, span)
        if actor is not None:
            return self.mention_target(offset, doc, self._named_part(doc, actor))
        owners = [c for c in root.children if c.dep_ == "poss" and not (span.start <= c.i < span.end)]
        if owners and owners[0].pos_ in ("NOUN", "PROPN"):
            return self.mention_target(offset, doc, self._phrase(doc, owners[0]))
        subjects = [c for c in root.children if c.dep_ == "nsubj" and not (span.start <= c.i < span.end)]
        if (
            root.pos_ == "VERB"
            and subjects
            and (subjects[0].pos_ in ("NOUN", "PROPN") or subjects[0].lower_ in PERSONAL_PRONOUNS)
        ):
            # "Reyes mocked the widow": a loaded verb describes what its subject did
            return self.mention_target(offset, doc, self._named_part(doc, subjects[0]))
        if root.pos_ == "VERB" or any(c.dep_ == "nsubj" for c in root.children):
            # (the small model takes some verbs for nouns, but not their subjects) a loaded verb is aimed at its
            # object: "slammed Reyes", "mocked and scorned the plans of Reyes"
            verbs = [root, *(c for c in root.children if c.dep_ == "conj" and c.pos_ == "VERB")]
            objects = [c for verb in verbs for c in verb.children if c.dep_ == "dobj" and c.i >= span.end]
            if objects and objects[0].pos_ in ("NOUN", "PROPN"):
                return self.mention_target(offset, doc, self._named_part(doc, objects[0]))
        possessor = self._possessor(doc, root, span)
        if possessor is not None:
            return self.mention_target(offset, doc, self._named_part(doc, possessor))
        if technique == "Name_Calling,Labeling" and root.pos_ in ("NOUN", "PROPN"):
            # a label without a stated referent names its target ("radical zealots")
            return self.mention_target(offset, doc, self._phrase(doc, root))
        agent = self._agent(doc, root, span)
        if agent is not None:
            return self.mention_target(offset, doc, self._named_part(doc, agent))
        if root.pos_ in ("NOUN", "PROPN"):
            return self.mention_target(offset, doc, self._phrase(doc, root))
        subject = self._clause_subject(span)
        if subject is not None:
            return self.mention_target(offset, doc, self._named_part(doc, subject))
        return None
