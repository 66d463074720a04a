"""What the parse says about who speaks: reporting, naming and accusing verbs, their subjects
and the mentions that name them, paragraphs by offset, and a guess at each person's gender."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

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
        "reveal",
        "refer",
        "label",
        "dub",
        "brand",
        "term",
        "declaim",
        "ask",
        "quote",
        "lament",
        "fear",
        "worry",
        "contend",
        "concede",
        "boast",
        "brag",
        "testify",
        "confirm",
        "predict",
        "proclaim",
        "exclaim",
        "retort",
        "demand",
        "speculate",
        "characterize",
        "characterise",
        "find",
        "determine",
        "discover",
        "joke",
        "quip",
        "shout",
        "chant",
        "suspect",
        # "accepted that the chances were slim", "assumes a majority would form"
        "accept",
        "assume",
        "reaffirm",
        # "voiced fury that …", "expressed concern that …"
        "voice",
        "express",
    ]
)
#: nouns of a stance whose "that" clause, as the object of a verb that states it, is the report:
#: "expressed concern that …", "reiterated her confidence that …" (not "denied fears that …")
STANCE_VERBS = frozenset({"express", "voice", "reiterate", "reaffirm", "state"})
STANCE_NOUNS = frozenset(
    {"concern", "fear", "hope", "confidence", "belief", "view", "doubt", "worry", "suspicion", "conviction"}
    | {"opinion", "fury", "anger", "outrage", "frustration", "optimism", "regret", "assurance", "expectation"}
)
#: subjects that make a reporting verb report no one: an editor's note on a quotation
#: ("[emphasis added]"), a hypothetical ("does anyone really think …", "nobody says …") or
#: anyone at all ("you might think …", "one might ask …")
NOT_SAYERS = frozenset({"emphasis", "italics", "bold", "underlining", "anyone", "anybody", "nobody", "noone", "you"})
#: a subject such as "one of them" is named with its "of" phrase
QUANTIFIERS = frozenset(
    {"one", "some", "many", "most", "all", "each", "several", "few", "none", "both", "two", "three"}
)
#: nouns for someone's words: "Price's speech", "Reyes's history of remarks" speak for their owner
WORDS_OF = frozenset(
    {"words", "remarks", "comments", "speech", "statement", "statements", "tweet", "tweets", "post", "posts"}
    | {"letter", "message", "history", "rhetoric", "column", "article", "essay", "interview", "sermon", "testimony"}
)
#: prepositions whose phrase can say whose people or words a noun means ("a lawyer for the family")
SOURCE_PREPOSITIONS = frozenset({"from", "in", "at", "on", "by", "for"})
#: reporting verbs whose report can be the object of a preposition: "pointed to the risk"
PREPOSITIONAL_REPORTS = {
    "point": ("to",),
    "warn": ("of", "about", "against"),
    "complain": ("of", "about"),
    "accuse": ("of",),
    "charge": ("with",),
    "remark": ("on", "upon"),
    "comment": ("on", "upon"),
}
#: verbs by which a poll or a study reports ("reveal", "find", "suggest" report whoever does it),
#: and the nouns that report by them
EVIDENCE_VERBS = frozenset({"show", "indicate", "estimate"})
EVIDENCE_NOUNS = frozenset({"poll", "survey", "study", "research", "analysis", "finding", "report", "figure"})
#: verbs of thinking rather than saying: a quoted speaker's "they thought that ..." is still their own words
MENTAL_VERBS = frozenset({"believe", "think", "suppose", "fear", "worry", "assume"})
#: verbs of knowing, which report a belief of someone else ("the agency knows that …", "she
#: realised …") but introduce no quotation ("crews ought to know the tide tables")
KNOWING_VERBS = frozenset({"know", "realise", "realize", "understand"})
#: subjects of a verb of knowing in idioms that report no one: "God knows", "who knows"
NOT_KNOWERS = frozenset({"god", "heaven", "lord", "goodness", "who", "what", "everyone", "everybody"})
#: verbs by which someone declines to say anything: "declined to comment on …"
REFUSING_VERBS = frozenset({"decline", "refuse"})
#: adverbs by which a reporting verb points to the article itself ("mentioned above")
WITHIN_THE_TEXT = frozenset({"above", "below"})
#: modal verbs of a report the writer only supposes
SUPPOSING_MODALS = frozenset({"might", "could", "may", "can", "would"})
#: words that may open a question before its auxiliary: "Why would …", "And do …"
QUESTION_OPENERS = frozenset({"WDT", "WP", "WP$", "WRB", "CC"})
#: auxiliaries by which the author asks or supposes that someone knows something: "Price must
#: realise that …", "were they less blind, they'd know that …"
UNREAL_MODALS = frozenset({"should", "must", "ought", "need", "would", "could", "might", "'d", "’d"})
#: verbs of holding a view: a doubt cast on such a view is aimed at whoever holds it
BELIEF_VERBS = frozenset({"believe", "think", "claim", "assert", "insist", "maintain", "allege", "suppose"})
#: verbs that put a name on someone: what follows their object ("called him a fraud",
#: "referred to it as shocking") is the subject's words
NAMING_VERBS = frozenset(
    {"call", "label", "dub", "brand", "term", "describe", "refer", "characterize", "characterise"}
    # "criticised the plan as a swindle", "sees them as traitors"
    | {"criticize", "criticise", "denounce", "condemn", "slam", "blast", "attack", "deride", "decry", "mock"}
    | {"ridicule", "praise", "hail", "dismiss", "portray", "depict", "paint", "cast", "regard", "view", "see"}
)
#: verbs that pass the subject's judgement on their object ("questions she deemed hostile") but
#: introduce no quotation ("The council will consider the question")
JUDGING_VERBS = frozenset({"deem", "consider"})
#: verbs whose second object is the subject's label or judgement ("called him a fraud", "deemed it hostile")
LABELLING_VERBS = NAMING_VERBS | JUDGING_VERBS
#: verbs that introduce a quotation but report nothing without one: "the website reads: “…”",
#: "The report continued:", and the naming verbs: "dismissing the protesters as “lefties”"
QUOTING_VERBS = REPORTING_VERBS | NAMING_VERBS | {"read", "headline", "continue", "share", "recount"}
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
#: verbs that hold someone to account for something: "accuses Reyes of …", "blames the board for …"
ACCUSING_VERBS = frozenset({"accuse", "blame", "suspect", "charge", "criticize", "criticise", "condemn", "fault"})
#: titles that stand before a name
TITLES = frozenset(
    {"Sen.", "Rep.", "Gov.", "Dr.", "Mr.", "Mrs.", "Ms.", "Gen.", "Col.", "Lt.", "Prof.", "Rev.", "Fr.", "St."}
)
#: a reporting verb with one of these subjects outside quotations is the author reporting their own view
FIRST_PERSON = frozenset({"i", "we", "’s", "'s"})  # "’s": the "us" of "let’s say"
PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person", "they": "group", "we": "group"}
#: speakers that name no one when no name was found for them ("according to them", "I")
UNNAMED_SPEAKERS = frozenset({*PRONOUNS, *FIRST_PERSON, "me", "my", "us", "our", "you", "it", "them"})


def first_person(word: str) -> bool:
    """Whether ``word`` is the writer speaking of themselves ("I", "we", the "us" of "let us
    say"), not the "US" of the United States."""
    return word.lower() in FIRST_PERSON or word in ("us", "Us")


#: entity labels that are never the antecedent of "he" or "she"
PLACES = frozenset({"GPE", "LOC", "FAC"})
#: verbs that move their object to do something: "the vote spurred dockers to allege that …"
#: (not "urged the mayor to admit …", which says nothing of whether he did)
CONTROLLING_VERBS = frozenset(
    {"prompt", "lead", "cause", "drive", "force", "persuade", "convince", "compel", "spur", "provoke"}
)
#: nouns of the subject's own resolve, whose infinitive the subject does: "has the nerve to call"
RESOLVE_NOUNS = frozenset(
    {"nerve", "gall", "audacity", "temerity", "courage", "guts", "cheek", "plan", "intention", "decision"}
    | {"duty", "obligation", "responsibility"}
)
#: entity labels of words that name no one, though the small model tags them proper nouns ("December")
TIMES_AND_NUMBERS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
#: entity labels that can stand for "he" or "she" (a PROPN with no entity label also can)
PERSONAL = frozenset({"PERSON"})


def paragraph_at(docs: list[tuple[int, object]], position: int) -> tuple[int, object] | None:
    """The (offset, Doc) of the parsed paragraph holding ``position``."""
    index = bisect_right(docs, position, key=lambda item: item[0]) - 1
    if index < 0:
        return None
    offset, doc = docs[index]
    # a paragraph holds its line end too
    return docs[index] if position < offset + paragraph_length(doc) + 1 else None


def paragraph_length(doc) -> int:
    """The characters of a parsed paragraph, read from its last token: ``doc.text`` joins
    every token anew, which per span of a long paragraph adds up to its square."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def span_in(docs: list[tuple[int, object]], start: int, end: int):
    """(offset, Doc, Span) for the characters [start, end), widened to whole tokens, or None
    when they hold no token (only spaces, or a line end)."""
    found = paragraph_at(docs, start)
    if found is None:
        return None
    offset, doc = found
    span = doc.char_span(start - offset, end - offset, alignment_mode="expand")
    return None if span is None or len(span) == 0 else (offset, doc, span)


def entity_of(doc, token):
    """The entity holding ``token``, or None: found from the token's own entity tags, since
    doc.ents builds every entity of the paragraph anew."""
    if not token.ent_type_:
        return None
    from spacy.tokens import Span

    start, end = token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)


#: verbs of an attribution after its report whose speaker the small model takes for an object
INVERTED_VERBS = frozenset({"say", "report", "write", "add", "note", "state", "explain", "declare", "tweet"})


#: tags of a verb that has a subject of its own
FINITE = ("VBD", "VBZ", "VBP")


def inverted_subject(verb):
    """The speaker of an attribution that follows what it reports, which the small model parses
    as the verb's object: "…, reported the Harbour Gazette.", "…, wrote Reyes." The object
    must end the sentence and be a name or a definite mention, so "…, wrote a letter" is not."""
    if verb.i == 0 or verb.doc[verb.i - 1].text not in (",", "”", '"') or verb.tag_ not in FINITE:
        return None
    if verb.lemma_.lower() not in INVERTED_VERBS or any(
        c.dep_ == "nsubj" or (c.dep_ == "ccomp" and c.i > verb.i) for c in verb.children
    ):
        return None
    objects = [c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i]
    if not objects:
        return None
    speaker = objects[0]
    # only "in a statement", "on Monday" may follow it
    phrases = {t.i for c in verb.children if c.dep_ in ("prep", "npadvmod") and c.i > speaker.i for t in c.subtree}
    after = verb.doc[speaker.right_edge.i + 1 : speaker.sent.end]
    named = speaker.pos_ == "PROPN" or any(c.dep_ == "det" and c.lower_ == "the" for c in speaker.children)
    return speaker if named and all(t.is_punct or t.i in phrases for t in after) else None


def subject_of(verb):
    """The subject of a verb, or of the verb it is chained to ("... and said", "..., insisting")."""
    inverted = inverted_subject(verb)
    if inverted is not None:
        return inverted
    node = verb
    for _ in range(4):
        subjects = [t for t in node.children if t.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            subject = subjects[0]
            if len(subjects) > 1 and subject.pos_ in ("PRON", "DET", "NUM") and subjects[1].pos_ == "PROPN":
                # "Another, Sir Tom Reyes, said": the small model takes the name in apposition
                # for a second subject
                return subjects[1]
            if subject.lower_ in ("who", "that", "which") and node.dep_ == "relcl":
                # "Tom Reyes, who says ...": the relative pronoun stands for the noun it follows,
                # and "the Gazette, a paper that calls …" for the name that noun describes
                described = node.head
                return described.head if described.dep_ == "appos" and described.head.pos_ == "PROPN" else described
            return subject
        named_aux = [c for c in node.children if c.dep_ == "aux" and c.ent_type_ == "PERSON"]
        if named_aux:
            # "“…,” May said": the small model takes the name for the modal verb, yet tags it a person
            return named_aux[0]
        if node.dep_ == "amod" and node.head.pos_ in ("NOUN", "PROPN"):
            # "“…,” added defense lawyer Tom Reyes": the small model takes the verb for an adjective
            named = node.head
            while named.dep_ == "compound":
                named = named.head
            return named
        if _in_order_to(node):
            # "Reyes wrote to the board in order to warn that …": Reyes warns, not "order"
            node = node.head.head.head
            continue
        if _infinitive_of_object(node):
            # "Reyes has the nerve to call the board …": Reyes calls it, not "the nerve"
            node = node.head.head
            continue
        if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN"):
            # "a column in the Gazette, headlined “…”": the noun the participle describes
            return node.head
        controller = _object_controller(node)
        if controller is not None:
            # "the vote spurred dockers to allege that …": the dockers allege it
            return controller
        before = node.doc[node.i - 1] if node.i > 0 else None
        if before is not None and before.dep_ == "appos" and before.pos_ in ("NOUN", "PROPN") and node.tag_ in FINITE:
            # "In a statement after the ruling, the mayor's office said …": the small model
            # takes the noun for an apposition to the phrase before it
            return before
        if node.dep_ not in ("conj", "advcl", "xcomp") or node.head == node:
            return None
        node = node.head
    return None


def _in_order_to(verb) -> bool:
    """Whether ``verb`` is the infinitive of "in order to …", which the small model hangs on "order"."""
    noun = verb.head
    return (
        verb.dep_ == "acl"
        and noun.lower_ == "order"
        and noun.dep_ == "pobj"
        and noun.head.lower_ == "in"
        and noun.head.head != noun.head
    )


def _infinitive(verb) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _infinitive_of_object(verb) -> bool:
    """Whether ``verb`` is an infinitive the small model hangs on its clause's object ("has the
    nerve to call", "announced plans to claim"), which its clause's subject does (not "mocked
    the Gazette's effort to claim", "found a witness to testify")."""
    noun = verb.head
    owned = any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("by", "of")) for c in noun.children)
    return (
        verb.dep_ == "acl"
        and noun.dep_ == "dobj"
        and noun.lemma_.lower() in RESOLVE_NOUNS
        and not owned
        and _infinitive(verb)
    )


def _object_controller(verb):
    """The object of the verb ``verb`` is the infinitive complement of, when that verb moves its
    object to do what it says: "spurred dockers to allege", "drove the mayor to declare" (not
    "has the nerve to call", "wants the mayor to resign")."""
    if verb.dep_ != "xcomp" or verb.head.lemma_.lower() not in CONTROLLING_VERBS or not _infinitive(verb):
        return None
    # "led me to write": the author, whom the subject's search finds as before
    objects = [
        c
        for c in verb.head.children
        if c.dep_ == "dobj" and c.i < verb.i and (c.pos_ != "PRON" or c.lower_ in PRONOUNS)
    ]
    return objects[0] if objects else None


def noun_phrase(doc, head):
    """The mention a noun heads: its determiner, adjectives and compounds up to it ("the
    three mayors", "House investigators")."""
    left = min(t.i for t in head.subtree if t.dep_ in ("det", "amod", "compound") or t == head)
    return doc[left : head.i + 1]


def _places_source(preposition) -> bool:
    """ "from the port", "at the harbour", "in the Gazette": a phrase that says whose people or
    words a noun means (not when: "on Monday", "in 2019")."""
    objects = [c for c in preposition.children if c.dep_ == "pobj"]
    if preposition.lower_ not in SOURCE_PREPOSITIONS or not objects:
        return False
    # "a lawyer for one of the brothers": a number that picks out people, not a date or amount
    return objects[0].ent_type_ not in TIMES_AND_NUMBERS or objects[0].lower_ == "one"


def whose_phrases(head: Token) -> list[Token]:
    """The prepositions after a noun whose phrase says whose people or words it means ("members
    of the board", "a report in the Gazette")."""
    return [c for c in head.children if c.dep_ == "prep" and c.i > head.i and (c.lower_ == "of" or _places_source(c))]


def _of_named(prepositions: list[Token]) -> bool:
    """Whether the first of ``prepositions`` is "of" an organisation ("Ann Price of the Harbour
    Trust") or a person, whom the small model takes for the object of a title's "of" ("Mayor of
    Northport Ann Price")."""
    if not prepositions or prepositions[0].lower_ != "of":
        return False
    objects = [c for c in prepositions[0].children if c.dep_ == "pobj"]
    return bool(objects) and objects[0].ent_type_ in ("ORG", "PERSON")


def phrase_end(preposition: Token) -> int:
    """Token index just past a prepositional phrase, without a relative clause or an aside in
    brackets that ends it ("the co-founder of the blog who has sued the port" and "a column by
    Ann Price (of ferry-strike fame)" end at "blog" and "Price")."""
    clauses = {t.i for c in preposition.subtree if c.dep_ == "relcl" for t in c.subtree}
    aside = next((t.i for t in preposition.subtree if t.text == "(" and t.i > preposition.i), len(preposition.doc))
    return max(t.i for t in preposition.subtree if t.i not in clauses and not t.is_punct and t.i < aside) + 1


def _hyphenated(token) -> tuple[int, int]:
    """Token range of the word written with hyphens that ``token`` is part of ("co-founder",
    "ex-mayor"), which the small model may split into several subjects."""
    doc = token.doc
    start = end = token.i
    while start > 0 and not doc[start - 1].whitespace_ and "-" in (doc[start - 1].text, doc[start].text):
        start -= 1
    while end + 1 < len(doc) and not doc[end].whitespace_ and "-" in (doc[end].text, doc[end + 1].text):
        end += 1
    return start, end + 1


def subject_mention(doc, verb) -> tuple[int, int] | None:
    """Token range of a reporting verb's subject, trimmed to its name or noun phrase, and cut
    before the verb, which a name in a title-case headline may take in ("Ann Price Speaks")."""
    found = _subject_range(doc, verb)
    if found is not None and found[0] < verb.i < found[1]:
        return found[0], verb.i
    return found


def _subject_range(doc, verb) -> tuple[int, int] | None:
    head = subject_of(verb)
    if head is None:
        return None
    word_start, word_end = _hyphenated(head)
    # "the co-founder of the blog": the word's last part carries what follows it
    head = doc[word_end - 1]
    # the small model also hangs the name on "Another, Tom Reyes, said" as a modifier
    named = [
        c for c in head.children if c.dep_ in ("appos", "npadvmod") and (c.ent_type_ == "PERSON" or c.pos_ == "PROPN")
    ]
    if named and head.ent_type_ != "PERSON":
        head = named[0]  # "the city's archbishop, Cardinal Ann Price," is named Ann Price
    owners = [c for c in head.children if c.dep_ == "poss" and (c.pos_ == "PROPN" or c.ent_type_ in ("PERSON", "ORG"))]
    if head.lower_ in WORDS_OF and owners:
        # "Price's remarks included calling the board “crooks”": Price's words
        head = owners[0]
    if head.lower_ in ("who", "which"):
        # "Cruz, who said …" where the parse does not tie the clause to Cruz: the noun before it
        named = [t for t in doc[head.sent.start : head.i] if t.pos_ in ("PROPN", "NOUN")]
        if named:
            head = named[-1]
    left = min(t.i for t in head.subtree if t.dep_ in ("det", "amod", "compound", "poss") or t.i == head.i)
    if word_start < left and word_start <= head.i < word_end:
        # the head is still the hyphenated word (not a name in apposition found since)
        left = min([word_start] + [t.i for t in doc[word_start].children if t.dep_ == "det"])
    if head.pos_ == "NOUN" and head.i + 1 < len(doc) and doc[head.i + 1].ent_iob_ == "B":
        titled = entity_of(doc, doc[head.i + 1])
        if titled is not None and titled.label_ == "PERSON":
            # "the political scientist Ann Price said": the noun is her title, and the small
            # model may take the name for a second subject
            return left, titled.end
    names = [
        name
        for c in head.children
        if c.dep_ == "acl" and c.lemma_.lower() == "name" and c.i > head.i
        for name in c.children
        if name.dep_ in ("oprd", "dobj", "attr") and name.pos_ == "PROPN"
    ]
    if head.pos_ == "NOUN" and names:
        # "a spokesman in the port named Tom Reyes": the mention runs through the name
        return left, names[0].i + 1
    of = whose_phrases(head)
    others = [c for c in head.children if c.dep_ == "conj"]
    # "dockers and their union leaders say": the whole coordination
    coordinated = max(t.i for t in others[-1].subtree) + 1 if others else 0
    if (head.lower_ in QUANTIFIERS or head.pos_ == "NOUN" or (head.pos_ == "PROPN" and _of_named(of))) and of:
        # "one of the dockers", "members of the board": the group named by the "of" phrase;
        # "a statement from the port", "officials at the harbour": who is meant, by where they are;
        # "Ann Price of the Harbour Trust": which Ann Price, by whom she speaks for
        return left, max(phrase_end(of[0]), coordinated)
    if others:
        return left, coordinated
    entity = entity_of(doc, head)
    if entity is not None:
        return entity.start, entity.end
    # "those familiar with the case say", "a source close to the cabinet": an adjective after the
    # head, with the phrase that completes it, is part of the mention
    following = [c for c in head.children if c.dep_ == "amod" and c.i == head.i + 1]
    if not following:
        return left, head.i + 1
    completed = [c for c in following[0].children if c.dep_ == "prep" and c.i == following[0].i + 1]
    return left, phrase_end(completed[0]) if completed else following[0].i + 1


def is_reporting(token, verbs: frozenset[str] = REPORTING_VERBS) -> bool:
    """A reporting verb that reports: "they don't complain that ..." and "does anyone think
    that ..." give nobody's words, and "[emphasis added]" names no speaker."""
    return (
        token.pos_ == "VERB"
        and (token.lemma_.lower() in verbs or _evidence_reports(token))
        and (token.lemma_.lower() not in KNOWING_VERBS or _knower(token))
        and not any(child.dep_ == "neg" for child in token.children)
        and not any(child.dep_ == "nsubj" and _says_nothing(child) for child in token.children)
        and not _said_by_no_one(token)
        and not _points_within_the_text(token)
        and not _refused(token)
        and not _asked(token)
        and not _supposed(token)
        # "the so-called experts" is the writer's scorn, not a report
        and not (token.lower_ == "called" and token.doc.text[max(token.idx - 3, 0) : token.idx].lower() == "so-")
    )


def _evidence_reports(verb: Token) -> bool:
    """A poll, survey or study that shows or finds something: "polls show that …" reports
    the poll's findings (not "the video shows that …", which the author describes)."""
    if verb.lemma_.lower() not in EVIDENCE_VERBS:
        return False
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return bool(subjects) and subjects[0].lemma_.lower() in EVIDENCE_NOUNS


def _knower(verb: Token) -> bool:
    """Whether a verb of knowing states what someone knows: its own subject ("the agency
    knows"), not an idiom ("God knows what …", "who knows"), a verb without one ("no need to be
    a general to know …"), the author's demand or supposition ("Price should know that …",
    "they'd know that …") or question ("Does Price know that …?")."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    demanded = any(c.dep_ == "aux" and c.lemma_.lower() in UNREAL_MODALS for c in verb.children)
    asked = _ends_in_question(verb.sent)
    return bool(subjects) and subjects[0].lower_ not in NOT_KNOWERS and not demanded and not asked


def _says_nothing(subject: Token) -> bool:
    """A subject that names no one who says anything: "you might think", "no one can believe",
    "no reasonable person can believe"."""
    if any(c.dep_ == "det" and c.lower_ == "no" for c in subject.children):
        return True
    if subject.lower_ == "one":
        return not any(subject.children)  # but "one of them said" names someone
    return subject.lower_ in NOT_SAYERS


def _said_by_no_one(verb: Token) -> bool:
    """A reporting verb after an impersonal "it is …": "it is fair to say …", "it is still to be
    confirmed whether …" (but "It went on to say …" is something's report)."""
    head = verb.head
    impersonal = any(c.dep_ == "acomp" for c in head.children) or any(c.dep_ == "auxpass" for c in verb.children)
    return (
        verb.dep_ == "xcomp"
        and head.lemma_ == "be"
        and any(c.dep_ == "nsubj" and c.lower_ == "it" for c in head.children)
        and impersonal
    )


def _points_within_the_text(verb: Token) -> bool:
    """The writer's pointer to their own text: "the risks mentioned above", "as noted below" (but
    "as Price explained above" is still Price's)."""
    return any(c.dep_ == "advmod" and c.lower_ in WITHIN_THE_TEXT for c in verb.children) and not any(
        c.dep_ == "nsubj" and c.lower_ not in QUANTIFIERS for c in verb.children
    )


def _refused(verb: Token) -> bool:
    """A report someone declines to make: "declined to comment on …", "has yet to say whether …"."""
    head = verb.head
    return verb.dep_ == "xcomp" and (
        head.lemma_.lower() in REFUSING_VERBS or any(c.dep_ == "advmod" and c.lower_ == "yet" for c in head.children)
    )


def _asked(verb: Token) -> bool:
    """A reporting verb the writer asks about: "Do they believe the plan can work?", "Is it
    claimed that …?", "Why would the board say …?" report no one's words or beliefs (but "Only
    last week did Reyes admit …, and who can blame him?" does)."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if not (subjects and auxiliaries) or auxiliaries[0].i > subjects[0].i:
        return False
    opening = [t for t in verb.subtree if t.i < auxiliaries[0].i]
    return all(t.tag_ in QUESTION_OPENERS or t.is_punct for t in opening) and _ends_in_question(verb.sent)


def _ends_in_question(sentence) -> bool:
    return sentence.text.rstrip().rstrip('”’"»)').endswith("?")


def _supposed(verb: Token) -> bool:
    """A report the writer only supposes: "it might be argued that …", "it could be said …"."""
    return any(c.dep_ in ("nsubjpass", "expl") and c.lower_ == "it" for c in verb.children) and any(
        c.dep_ == "aux" and c.lower_ in SUPPOSING_MODALS for c in verb.children
    )


def opened_by_that(clause) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)


def stance_clause(clause) -> bool:
    """Whether ``clause`` is the "that" clause of a stance its subject states: "expressed concern
    that …", "reiterated her confidence that …"."""
    noun = clause.head
    return (
        clause.dep_ == "acl"
        and opened_by_that(clause)
        and noun.dep_ == "dobj"
        and noun.lemma_.lower() in STANCE_NOUNS
        and noun.head.lemma_.lower() in STANCE_VERBS
    )


def reported_parts(verb) -> list:
    """What a reporting verb reports: its clause ("warned that ..."), or the object of the
    preposition it takes ("pointed to ...", "warned of ...")."""
    parts = [c for c in verb.children if c.dep_ == "ccomp"]
    if any(c.dep_ == "auxpass" for c in verb.children):
        # "the custom is said to be a cause …", "is believed to have …"
        parts += [c for c in verb.children if c.dep_ == "xcomp"]
    parts += [clause for c in verb.children if c.dep_ == "dobj" for clause in c.children if stance_clause(clause)]
    if verb.lemma_.lower() in PREPOSITIONAL_REPORTS:
        parts += [
            g
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ in PREPOSITIONAL_REPORTS[verb.lemma_.lower()]
            for g in c.children
            # "warned of a disaster", "accused the board of lying"
            if g.dep_ in ("pobj", "pcomp")
        ]
    return parts


def says_something(verb, child) -> bool:
    """Whether a reporting verb's dependant is what it reports (not an addressee: "told the Gazette")."""
    if child.dep_ == "dobj":
        return verb.lemma_.lower() != "tell"
    return child.dep_ in ("ccomp", "xcomp", "attr", "acomp", "oprd", "dative") or (
        child.dep_ == "prep" and child.lower_ in PREPOSITIONAL_REPORTS.get(verb.lemma_.lower(), ())
    )


def has_verb(tokens) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in tokens)


def reports_through(preposition, verbs: frozenset[str]) -> bool:
    """Whether a preposition introduces what its verb reports ("warned of", "accused of")."""
    verb = preposition.head
    return preposition.lower_ in PREPOSITIONAL_REPORTS.get(verb.lemma_.lower(), ()) and is_reporting(verb, verbs)


PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her"})


def last_word(name: str) -> str:
    words = name.split()
    return words[-1].lower() if words else ""


def genders(docs: list[tuple[int, object]]) -> dict[str, str]:
    """A guess at each named person's gender, by last name: the subject pronoun that most
    often first follows the name as a subject, in a sentence that names no one else
    ("Price said she ..."). Names with no clear majority are left out."""
    votes: dict[str, dict[str, int]] = {}
    for _, doc in docs:
        for entity in doc.ents:
            if entity.label_ != "PERSON":
                continue
            sentence = entity[0].sent
            if sum(t.ent_iob_ == "B" and t.ent_type_ == "PERSON" for t in sentence) != 1:
                continue  # with two people named, the pronoun may be either's
            if entity.root.dep_ not in ("nsubj", "nsubjpass"):
                continue
            # "Price said she ...": a subject pronoun after a named subject
            pronoun = next(
                (t.lower_ for t in doc[entity.end : sentence.end] if t.lower_ in ("he", "she") and t.dep_ == "nsubj"),
                None,
            )
            if pronoun is not None:
                tally = votes.setdefault(last_word(entity.text), {})
                tally[PRONOUN_GENDER[pronoun]] = tally.get(PRONOUN_GENDER[pronoun], 0) + 1
    guesses = {}
    for name, tally in votes.items():
        best = max(tally, key=lambda g: tally[g])
        if tally[best] * 2 > sum(tally.values()):
            guesses[name] = best
    return guesses
