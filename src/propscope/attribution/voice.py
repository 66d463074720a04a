"""Who is speaking: the author, a quoted speaker, or a speaker whose words are reported.

A span inside quotation marks is ``quoted`` (most of it inside one quotation,
with at most a few of the author's words around it); a span in the clause a
reporting verb introduces ("he noted that ...", "according to the UN, ...",
"referred to it as shocking") is ``reported``; a span after an opening
quotation mark that never closes is ``unknown`` rather than guessed; everything
else is the ``author``'s voice. A quotation's speaker is the subject of the
reporting verb it hangs on in the parse, else of the nearest one on its line,
a transcript label ("SMITH: “…”"), a lead-in line above, or the speaker of the
quotation just before. A transcript's turns, an embedded tweet and a letter or article
reprinted below the page's own words, and a statement in the first person below a lead-in
that names its speaker, are quoted from their speaker, signer or byline.
Speakers are found with spaCy's parse and entities;
"he", "she" and "they" are resolved to the last named speaker or subject before
them, skipping organisations for "he" and "she", and people whose guessed
gender does not fit.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING, NamedTuple

from propscope.attribution.grammar import (
    EVIDENCE_NOUNS,
    FIRST_PERSON,
    KNOWING_VERBS,
    LABELLING_VERBS,
    MENTAL_VERBS,
    PERSONAL,
    PLACES,
    PRONOUN_GENDER,
    PRONOUNS,
    QUOTING_VERBS,
    REPORTING_VERBS,
    TIMES_AND_NUMBERS,
    TITLES,
    WORDS_OF,
    entity_of,
    first_person,
    genders,
    has_verb,
    inverted_subject,
    is_reporting,
    last_word,
    noun_phrase,
    opened_by_that,
    paragraph_at,
    paragraph_length,
    phrase_end,
    reported_parts,
    reports_through,
    says_something,
    span_in,
    stance_clause,
    subject_mention,
    subject_of,
    whose_phrases,
)
from propscope.attribution.headline import headline_parse
from propscope.attribution.quotes import MAX_QUOTE_LINES, QUOTE_MARKS, Quote, find_quotes, is_apostrophe, nested_quotes
from propscope.document import Range

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Doc, Span, Token

#: nouns for words a lead-in line presents: "the crux of Price's argument:", "the following press release:"
SPEECH_NOUNS = WORDS_OF | {"argument", "explanation", "response", "reply", "release", "announcement", "answer"}
VOICES = ("author", "quoted", "reported", "unknown")
#: verbs whose object is told what a "that" clause says: "told the board that …"
TELLING_VERBS = frozenset({"tell", "inform", "assure", "remind", "warn", "reassure"})
#: clauses that hang on a word of another clause: relative, complement, participle, adverbial
CLAUSES_HUNG_ON = frozenset({"relcl", "acl", "ccomp", "xcomp", "advcl"})
#: words that ask who, rather than name anyone
ASKING_WORDS = frozenset({"who", "what", "which", "whoever"})
#: words of a speaker who speaks for themselves
FIRST_PERSON_WORDS = frozenset({"i", "me", "my", "we", "us", "our"})
#: how close an earlier quotation must be for its speaker to carry over
CONTINUED_SPEAKER_CHARS = 600
#: tokens an attribution set off by commas may run on after its verb ("said in a letter on Monday")
SET_OFF_REACH = 8
#: how far (in tokens) a reporting verb may stand from its quotation
VERB_REACH = 20
#: words of the author's own a span may hold around a quotation and still count as quoted
#: ('a “total fraud'); more, and the span is the author's sentence about the quotation
FRAMING_WORDS = 3
#: "REYES: “…”", "Ann Price to voters: ‘…’": a speaker's name before a colon
#: (not a topic heading such as "On taxes: “…”")
#: "HANNITY: …", "ANN PRICE, HARBOUR GAZETTE: …", "Judge: …": a speaker's name opening a transcript line
TRANSCRIPT_LABEL = re.compile(r"([A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3})(?:, [^:\n]{1,40})?: ")
#: capitalised line openings that head a line rather than name who speaks it
NOT_SPEAKERS = frozenset(
    {"UPDATE", "WATCH", "BREAKING", "NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "READ", "READ MORE", "SOURCE"}
    | {"PHOTO", "VIDEO", "RELATED", "ALSO", "SEE", "CLICK", "FACT", "CLAIM", "TRUTH", "WARNING", "SUMMARY"}
    | {"NEW", "FULL", "EXCLUSIVE", "LIVE", "DEVELOPING", "JUST IN", "UPDATED", "CORRECTION", "LISTEN"}
)
#: the signature that ends an embedded tweet: "— Ann Price (@annprice) July 5, 2018", or with the
#: day first, as a crawler in another locale saves it ("5 июля 2018 г.")
TWEET_SIGNATURE = re.compile(
    r"—\s*([^—(@\n]{2,60}?)\s*\(@\w+\)\s+(?:\w+\.? \d{1,2}, \d{4}|\d{1,2} \w+ \d{4}(?: г\.)?)\s*$"
)
#: lines above its signature an embedded tweet may run on, when its last line has fewer words of its own
MAX_TWEET_LINES = 3
TWEET_TAIL_WORDS = 6
#: lines above a signature that stands alone on its line the tweet may run on
MAX_TWEET_BLOCK = 8
#: a line that introduces a block of someone's words below it: "She wrote back:", "As Reyes put it,"
LEAD_IN = re.compile(r"(?::|…|\.\.\.|^As\b.*,)\s*$")
#: the greeting that opens a letter or an address: "Dear friends of the harbour,", "Ladies and Gentlemen:"
SALUTATION = re.compile(r"(?:Dear|My dear|Dearest|Ladies and Gentlemen|Brothers and Sisters)\b[^\n]{0,80}[,:]\s*$")
#: the closing above a letter's signature, or beside it: "Sincerely,", "Yours faithfully,",
#: "Regards", "Sincerely, Ann Price" (a line without a sentence's end)
VALEDICTION = re.compile(
    r"(?:Sincerely|Faithfully|Yours|Respectfully|Cordially|(?:Best |Kind |Warm )?[Rr]egards|Best wishes"
    r"|With (?:love|prayers|gratitude)|In Christ)\b[^\n.?!]{0,60}$"
)
#: a byline of two to four capitalised words: "By Ann Price" (not "By The Numbers")
BYLINE = re.compile(r"By ((?!The )[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){1,3}?)\.?\s*$")
#: a line that hands the rest of the page to another outlet: "From the Harbour Gazette:"
FROM_SOURCE = re.compile(r"From ((?:the )?[A-Z][\w.'’&-]*(?: [A-Z][\w.'’&-]*){0,3}):\s*$")
#: paragraphs of the page's own above a greeting or a byline that opens another's letter,
#: address or article reprinted below (a byline nearer the top is the page's own)
REPRINT_AFTER = 8
#: lines of the page's own ending as sentences that must stand above a reprint (a byline below a
#: site's menu is the page's own)
PROSE_ABOVE = 3
#: lines below a closing where the signature may stand ("Most Rev. / Ann Price / Bishop of …"),
#: and the most words a line of it holds
SIGNATURE_LINES = 4
SIGNATURE_WORDS = 6
#: lines above a greeting that may head it ("Bishop Ann Price's letter to the town", a date)
HEADING_LINES = 3
#: verbs of a heading that announce someone's words below it ("The Archbishop Speaks")
SPEAKING_VERBS = frozenset({"speak", "address", "preach", "write", "respond", "reply", "answer"})
#: a transcript label of initials ("AP: …")
INITIALS = re.compile(r"[A-Z]{2,4}")
#: a transcript has turns of at least this many different speakers, one of whom speaks twice
TRANSCRIPT_SPEAKERS = 2
#: pronouns that name no one who could speak: "“… it tells us that …,” Price said" stays Price's
IMPERSONAL = frozenset({"you", "it", "this", "that", "which"})
#: mentions inside a quotation that never name who else is speaking there
NO_INNER_SPEAKER = frozenset({*PRONOUNS, *FIRST_PERSON, *IMPERSONAL})
#: entities that can name a speaker without a verb (a lead-in line, a headline)
SPEAKING_ENTITIES = frozenset({"PERSON", "ORG", "NORP"})
#: marks that set off the name of a speaker from a phrase before it ("In Northport, Ann Price, …")
ASIDE_MARKS = frozenset({",", "—", "–"})
#: a line of at most this many words that hands what follows to a source ("Reuters reports:"),
#: whose verb is one of these; and the paragraphs of the excerpt below it
SOURCE_LEAD_WORDS = 6
SOURCE_VERBS = frozenset({"report", "write", "explain", "note"})
EXCERPT_PARAGRAPHS = 3
#: verbs that disparage someone in words of the subject's own: "defamed the mayor as “a crook”"
DISPARAGING_VERBS = frozenset({"defame", "smear", "slander", "vilify", "disparage", "lambast", "lambaste"})
#: verbs that say something outright, which present the words after a colon even in a relative
#: clause ("the union backed Reyes, who told the crowd:", not "… the clerk who called a halt to it:")
SAYING_VERBS = frozenset({"say", "tell", "reply", "respond", "answer", "add", "declare", "explain", "write", "warn"})
#: verbs by which someone makes what "according to" names ("a claim made by …"), and the
#: prepositions of a phrase that says who made it ("a report in the Gazette", "… by Reyes")
MAKING_VERBS = frozenset({"make", "issue", "release", "publish", "write", "file", "lodge"})
AUTHORING_PREPOSITIONS = frozenset({"in", "by", "from"})
#: lines the last turn of a transcript may run on
MAX_TURN_LINES = 20
SPEAKER_LABEL = re.compile(
    r"(?:^|[“\"‘'«]\s*)(?!(?:On|In|About|Of|For|To|At|From|Re|According)\b)([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})(?:\s+to\s+[^:]{1,40})?:\s*$",
    re.MULTILINE,
)


#: the word for speaking that ends a heading's label after the speaker: "Price Speech:", "A Docker Speaks:"
LABEL_SPEAKING = re.compile(
    r"\s+(?:Speech|Speaks|Talks|Says|Writes|Wrote|Replies|Replied|Responds|Responded|Interview|Statement|Remarks)$",
    re.IGNORECASE,
)
#: "According to Ann Price: “…”": the source named after "according to"
ACCORDING_LABEL = re.compile(
    r"(?:^|\s)[Aa]ccording to ((?:the )?[A-Z][\w.'’&-]*(?: (?:of |and |the )?[A-Z][\w.'’&-]*){0,5}):\s*$", re.MULTILINE
)


class Naming(NamedTuple):
    """Where a person (or people) is named outside quotations, as an antecedent of pronouns."""

    position: int
    name: str
    #: the subject of a main clause
    subject: bool
    #: can be "he" or "she" (an organisation can be "they" only)
    personal: bool
    #: people named together ("Bob Hale and Ann Price"), who are "they"
    several: bool = False


@dataclass(frozen=True)
class Turn:
    """Where one speaker's words run without quotation marks: a transcript turn (from its label
    up to the next), an embedded tweet, a letter or article the page reprints, or a statement in
    the first person below a lead-in that names its speaker."""

    start: int
    end: int
    speaker: str
    speaker_range: Range
    #: a letter, address or article the page reprints, inside which a statement can stand
    reprint: bool = False


#: which rule decided a voice, one of these (what its confidence rests on most)
BASES = (
    "unclosed_quotation",
    "report_in_quotation",
    "quotation_in_quotation",
    "quotation",
    "turn",
    "after_colon",
    "report",
    "block",
    "default_author",
)


@dataclass(frozen=True)
class Voice:
    voice: str
    speaker: str | None = None
    #: where the speaker is named, as written (e.g. "he" or "the Iranian president")
    speaker_range: Range | None = None
    #: one of BASES, set by ``Attributor.voice_of`` (None for a voice made elsewhere)
    basis: str | None = field(default=None, compare=False)

    @classmethod
    def from_mention(cls, voice: str, offset: int, mention) -> Voice:
        """``voice`` with the speaker ``mention``, a spaCy span of the paragraph at ``offset``."""
        return cls(voice, mention.text, (offset + mention.start_char, offset + mention.end_char))


#: subjects whose words inside a quotation are the quoted speaker's reading of them: "“Our
#: survey shows that …,” Price said", "“The new code states that …,” she said"
TEXTS_AND_RULES = EVIDENCE_NOUNS | {"document", "book", "text", "article", "letter", "law", "bill", "constitution"}
TEXTS_AND_RULES |= {"regulation", "rule", "policy", "tradition", "treaty", "charter", "code", "narrative"}
#: objects of "according to" that it means "in keeping with" rather than name a source: "live
#: according to the law"
IN_KEEPING_WITH = frozenset(
    {"law", "mind", "means", "will", "rule", "principle", "wish", "standard", "schedule"}
    | {"script", "design", "need", "nature", "custom", "conscience", "taste", "ability", "merit", "order"}
)
#: verbs by which someone holds something up as what a quotation calls it: "defended the plan as a “fair deal”"
ESTEEMING_VERBS = frozenset({"defend", "justify", "tout", "frame", "present", "champion", "coin", "equate"})
#: nouns of someone's words whose owner a quotation in apposition belongs to: "Price's comment “…”"
REMARK_NOUNS = frozenset({"remark", "comment", "word", "statement", "tweet", "speech"})


def _according_to(offset: int, doc, tokens) -> Voice | None:
    """The source an "according to ..." among ``tokens`` names."""
    for token in tokens:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            objects = [t for t in doc[token.i + 1].children if t.dep_ == "pobj"]
            # "a deal, according to which …" names a thing the author describes, not a source
            if objects and objects[0].lower_ not in ("which", "whom", "what"):
                # "according to the Union of Drivers": the whole name; "according to a claim made by
                # Ann Price": through whoever made it
                named = entity_of(doc, objects[0])
                makers = [
                    maker
                    for clause in objects[0].children
                    if clause.dep_ == "acl" and clause.lemma_.lower() in MAKING_VERBS
                    for agent in clause.children
                    if agent.dep_ == "agent"
                    for maker in agent.children
                    if maker.dep_ == "pobj"
                ]
                if not makers and objects[0].lemma_ in IN_KEEPING_WITH:
                    continue  # "live according to the law": in keeping with it, no source
                if makers:
                    named = entity_of(doc, makers[0]) or doc[makers[0].i : makers[0].i + 1]
                end = max(objects[0].i + 1, named.end if named is not None else 0)
                # (not "a report on the mayor", "a study of dockers": what they are about)
                whose = [c for c in whose_phrases(objects[0]) if c.lower_ in AUTHORING_PREPOSITIONS]
                if objects[0].pos_ == "NOUN" and whose:
                    # "according to an editorial in the Gazette": its source is part of it
                    end = max(end, phrase_end(whose[0]))
                source = doc[min(t.i for t in objects[0].subtree) : end]
                return Voice.from_mention("reported", offset, source)
    return None


def _named_before(doc: Doc, pronoun: Token, quoted: Callable[[Token], bool]) -> Span | None:
    """Whom a pronoun speaker stands for, named earlier in its own sentence outside quotation
    marks: "According to the minister, he thinks …" -> the minister; "Officials have said …,
    but they also said …" -> Officials ("“The plans will fail,” they added" -> not the plans)."""
    sentence = pronoun.sent
    according = [t for t in sentence if t.i < pronoun.i and t.lower_ == "according" and doc[t.i + 1].lower_ == "to"]
    if according:
        objects = [t for t in doc[according[0].i + 1].children if t.dep_ == "pobj"]
        if objects:
            return doc[min(t.i for t in objects[0].subtree) : objects[0].i + 1]
    if pronoun.lower_ == "they":
        plural = [
            t for t in sentence if t.i < pronoun.i and t.dep_ == "nsubj" and t.tag_ in ("NNS", "NNPS") and not quoted(t)
        ]
        if plural:
            return noun_phrase(doc, plural[-1])
    return None


def _object_clause(node: Token) -> bool:
    """Whether ``node`` heads a "that" clause hung on the object of a verb of telling ("told the
    board that …") or on a stance its subject states ("expressed concern that …"), not a claim
    someone answers ("denied the claim that …", "denied fears that …")."""
    telling = node.head.head.lemma_.lower() in TELLING_VERBS
    told = node.dep_ == "acl" and opened_by_that(node) and node.head.dep_ in ("dobj", "dative") and telling
    return told or stance_clause(node)


def _reporter_above(doc, verb, pronoun: str):
    """Whom a pronoun speaker stands for when its report is itself reported: "the aide
    told us he believes ..." -> the aide; the mention, or None."""
    clause = next((node for node in [verb, *verb.ancestors] if node.dep_ == "ccomp"), None)
    if clause is None or not is_reporting(clause.head):
        return None
    subject = subject_of(clause.head)
    if subject is None or subject.pos_ not in ("NOUN", "PROPN"):
        return None
    plural = subject.tag_ in ("NNS", "NNPS")
    if (pronoun == "they") != plural:
        return None
    mention = subject_mention(doc, clause.head)
    return doc[mention[0] : mention[1]] if mention else None


def _as_reported(offset: int, doc, local, verbs: frozenset[str]) -> Voice | None:
    """A sentence whose source an opening "as" clause names: "As reported by the Gazette, …",
    "As Reyes noted, …"; the span lies outside that clause."""
    for verb in local.sent:
        marked = any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
        opening = verb.left_edge.i == local.sent.start  # not "…, as they quoted …" later on
        if not (marked and opening and verb.dep_ == "advcl" and is_reporting(verb, verbs)):
            continue
        if verb.left_edge.i <= local.start and local.end <= verb.right_edge.i + 1:
            continue
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agents:
            return Voice.from_mention("reported", offset, noun_phrase(doc, agents[0]))
        subject = subject_mention(doc, verb) if any(c.dep_ == "nsubj" for c in verb.children) else None
        if subject is not None:
            return Voice.from_mention("reported", offset, doc[subject[0] : subject[1]])
    return None


def _proper_names(doc, sentence) -> list:
    """The runs of proper nouns of a sentence ("Ann Price"): a subject first, and a name that
    owns the next one ("the Gazette's Ann Price") last."""
    runs: list[list[int]] = []
    for token in sentence:
        if token.pos_ == "PROPN" and token.ent_type_ not in TIMES_AND_NUMBERS:
            if runs and runs[-1][1] == token.i:
                runs[-1][1] += 1
            else:
                runs.append([token.i, token.i + 1])
    names = [doc[start:end] for start, end in runs]
    return sorted(
        names,
        key=lambda name: (
            not any(t.dep_ in ("nsubj", "nsubjpass") for t in name),
            name.end < sentence.end and doc[name.end].dep_ == "case",
        ),
    )


def _named_for_the_main_pronoun(subject: Token) -> bool:
    """Whether ``subject`` is that of a clause opening its sentence whose main subject is "he" or
    "she", standing for it: "When Ann Price took office, she said …"."""
    clause = subject.head
    main = clause.head
    return (
        clause.dep_ == "advcl"
        and clause.i < main.i
        and main.dep_ == "ROOT"
        and any(c.dep_ == "nsubj" and c.lower_ in ("he", "she") and c.i > clause.i for c in main.children)
    )


def _disparages_as(verb: Token, child: Token) -> bool:
    """Whether ``verb`` disparages someone as what its "as" phrase ``child`` says, in the subject's
    words: "Price defamed the mayor as “a crook”" (not "smeared him with “lies”", nor "Reyes,
    vilified as a “traitor”, said")."""
    return (
        verb.lemma_.lower() in DISPARAGING_VERBS
        and child.dep_ == "prep"
        and child.lower_ == "as"
        and any(c.dep_ == "nsubj" for c in verb.children)
    )


def _relative(verb: Token) -> bool:
    """Whether ``verb`` heads a relative clause ("…, most of whom had agreed"), which the small
    model may also take for the main one."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    # "who", or "most of whom"
    pronouns = [t for s in subjects for t in (s, *(g for c in s.children if c.dep_ == "prep" for g in c.children))]
    return verb.dep_ == "relcl" or any(t.tag_ in ("WP", "WDT") for t in pronouns)


def _presents_words(sentence: Span) -> bool:
    """Whether a lead-in sentence with no reporting verb presents someone's words rather than a
    list or what someone did: "According to Reyes:", "Price's statement:", "Here's Price
    explaining:" (the small model tags "explaining" a noun), not "Here is a timeline:"."""
    if sentence[0].lower_ == "according" and len(sentence) > 1 and sentence[1].lower_ == "to":
        return True
    return any(t.lower_ in SPEECH_NOUNS or _saying(t.lower_) for t in sentence)


def _a_text_or_rule(noun: Token) -> bool:
    """Whether a subject is a study, a document or a rule rather than anyone who could speak."""
    return noun.tag_ == "NN" and noun.ent_type_ not in ("PERSON", "ORG", "NORP") and noun.lemma_ in TEXTS_AND_RULES


def _saying(word: str) -> bool:
    """A reporting verb the small model may tag a noun: its -ing form ("explaining", "writing")
    or its -s form ("As the Gazette notes (…):")."""
    for suffix in ("ing", "es", "s"):
        stem = word.removesuffix(suffix)
        if stem != word and (stem in REPORTING_VERBS or f"{stem}e" in REPORTING_VERBS):
            return True
    return False


def _words(text: str) -> int:
    return sum(any(c.isalnum() for c in word) for word in text.split())


def _unmarked(text: str) -> int:
    """Characters other than quotation marks."""
    return sum(c not in QUOTE_MARKS for c in text)


def _set_off(doc, name, sentence_start: int) -> bool:
    """Whether a name (with its title: "Captain Reyes") opens its sentence or follows a comma or
    dash, as a speaker after an aside does ("In Northport, Ann Price, …, said"); a name inside the
    aside about them ("an ally of Tom Reyes") does not."""
    before = name.start - 1
    while before >= sentence_start and doc[before].pos_ == "PROPN":
        before -= 1
    return before < sentence_start or doc[before].text in ASIDE_MARKS


def _named_turn(start: int, end: int, offset: int, mention) -> Turn:
    """The words from ``start`` to ``end`` of a reprint, as those of ``mention``, a spaCy span of the paragraph at ``offset``."""
    return Turn(start, end, mention.text, (offset + mention.start_char, offset + mention.end_char), reprint=True)


def _initials(name: str) -> str:
    """ "AP" for "Ann Price"."""
    return "".join(word[0] for word in name.split())


def _ends_sentence(line: str) -> bool:
    """Whether a line ends as a sentence does, closing quotation marks and brackets aside."""
    return line.rstrip().rstrip('”’"»)').endswith((".", "?", "!"))


def _signature(line: str, doc) -> bool:
    """Whether a line below a letter's closing can be its signature: a few words without a verb
    ("Most Rev.", "Ann Price", "Bishop of Northport")."""
    return len(line.split()) <= SIGNATURE_WORDS and not any(t.pos_ in ("VERB", "AUX") for t in doc)


def _heading_speaker(doc):
    """Whose words a heading above a greeting announces: the subject of its verb when the verb
    is one of speaking ("The Archbishop Speaks") or the subject a name ("Ann Price Writes to
    the Harbour"), else a named person or group ("Bishop Ann Price's letter to the town")."""
    subjects = ((t, subject_of(t)) for t in doc if t.pos_ == "VERB")
    verb, subject = next(((v, s) for v, s in subjects if s is not None), (None, None))
    if verb is not None:
        mention = subject_mention(doc, verb)
        speaking = verb.lemma_.lower() in QUOTING_VERBS | SPEAKING_VERBS
        if mention and (speaking or subject.pos_ == "PROPN" or subject.ent_type_ in SPEAKING_ENTITIES):
            return doc[mention[0] : mention[1]]
    return next((e for e in doc.ents if e.label_ in SPEAKING_ENTITIES), None)


class Attributor:
    """Assigns a voice and speaker to spans of one article, from its parsed paragraphs."""

    def __init__(
        self, text: str, regions: list[Range], docs: list[tuple[int, object]], title: Range | None = None
    ) -> None:
        """``docs``: (offset, spaCy Doc) for each paragraph, in text order; ``title``: where the
        article's title is, if it has one."""
        self.text = text
        self.title = title
        self.quotes = find_quotes(text, regions)
        # find_quotes gives them in order of their opening marks
        self._quote_starts = [q.start for q in self.quotes]
        self._furthest_quote_end = list(accumulate((q.end for q in self.quotes), max))
        #: (offset, Doc) of a title-case headline parsed as a sentence, or None
        self.headline = headline_parse(docs, title)
        self.docs = [
            self.headline if self.headline and offset == self.headline[0] else (offset, doc) for offset, doc in docs
        ]
        self._antecedents = self._named_mentions()
        self._genders = genders(self.docs)
        others = self._transcript_turns() + self._embedded_tweets() + self._reprinted()
        self.turns = others + self._statements_below_lead_ins(others)
        # the pipeline and the targeter both ask for the voice of the same spans
        self._voices: dict[Range, Voice] = {}

    def _embedded_tweets(self) -> list[Turn]:
        """Embedded tweets: the line that ends with a tweet's signature; when that line holds
        only links and a few words, also the lines above it that neither introduce the tweet
        (a colon line) nor narrate: up to MAX_TWEET_LINES, or MAX_TWEET_BLOCK when the line
        holds nothing of its own but the signature (links and handles aside)."""
        tweets = []
        for index, (offset, doc) in enumerate(self.docs):
            text = self._text_of(offset, doc)
            match = TWEET_SIGNATURE.search(text)
            if match is None:
                continue
            own_words = [w for w in text[: match.start()].split() if "/" not in w and not w.startswith("@")]
            # a signature with nothing of its own beside it (links and handles aside) ends a
            # tweet of several lines
            reach = MAX_TWEET_LINES if own_words else MAX_TWEET_BLOCK
            first = index
            while len(own_words) < TWEET_TAIL_WORDS and first > 0 and index - first < reach:
                above = self._text_of(*self.docs[first - 1])
                if LEAD_IN.search(above) or TWEET_SIGNATURE.search(above) or self._narrates(*self.docs[first - 1]):
                    break
                first -= 1
            # the name as written, without the flags and emoji some accounts add to it
            name = re.sub(r"[^\w.’')]+$", "", match.group(1))
            name_range = (offset + match.start(1), offset + match.start(1) + len(name))
            tweets.append(Turn(self.docs[first][0], offset + match.start(), name, name_range))
        return tweets

    def _reprinted(self) -> list[Turn]:
        """Another's letter, address or article that the page reprints below its own words: from
        a greeting ("Dear friends,"), a byline ("By Ann Price") or a source ("From the Gazette:")
        below some prose of the page's own, up to the letter's closing ("Sincerely,") or the end.
        Its words are the signer's (the name below the closing), the byline's, or else whoever
        the heading above the greeting names."""
        prose = 0
        for index, (offset, doc) in enumerate(self.docs[:-1]):
            line = self._text_of(offset, doc)
            if index >= REPRINT_AFTER and prose >= PROSE_ABOVE:
                source = self._source_line(offset, doc, line)
                if source is not None:
                    return [_named_turn(self.docs[index + 1][0], len(self.text), offset, source)]
                letter = self._letter(index) if SALUTATION.match(line) else []
                if letter:
                    return letter
            prose += _ends_sentence(line)
        return []

    @staticmethod
    def _source_line(offset: int, doc, line: str):
        """The name a byline or a source line gives, as a span of ``doc``, when it is someone's
        ("By Ann Price", "From the Gazette:", not "By The Numbers" or "From the Editor:")."""
        match = BYLINE.match(line) or FROM_SOURCE.match(line)
        if match is None:
            return None
        named = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        # the small model tags many outlets as places ("the Harbour Gazette")
        if named is None or not any(t.ent_type_ in SPEAKING_ENTITIES | PLACES for t in named):
            return None
        return named

    def _letter(self, greeting: int) -> list[Turn]:
        """The letter or address below the greeting at paragraph ``greeting``, if its signer or
        its heading names whose it is."""
        closing = next(
            (i for i in range(greeting + 1, len(self.docs)) if VALEDICTION.match(self._text_of(*self.docs[i]))), None
        )
        end = self.docs[closing][0] if closing is not None else len(self.text)
        first = self.docs[greeting + 1][0]
        if closing is not None:
            for index in range(closing, min(closing + 1 + SIGNATURE_LINES, len(self.docs))):
                offset, doc = self.docs[index]
                if index > closing and not _signature(self._text_of(offset, doc), doc):
                    break  # the page's own text again: "The board did not answer."
                named = next((e for e in doc.ents if e.label_ in SPEAKING_ENTITIES), None)
                if named is not None:
                    return [_named_turn(first, end, offset, named)]
        # the heading and date lines just above the greeting, nearest first
        for offset, doc in reversed(self.docs[max(greeting - HEADING_LINES, 0) : greeting]):
            if _ends_sentence(self._text_of(offset, doc)):
                break  # a sentence of the page's own, not a heading or a date line
            named = _heading_speaker(doc)
            if named is not None:
                return [_named_turn(first, end, offset, named)]
        return []

    def _statements_below_lead_ins(self, others: list[Turn]) -> list[Turn]:
        """A statement in the first person set off below a lead-in that names its speaker ("Ann
        Price responds to the audit (Harbour Gazette):", then "I have read …"): its words run on
        through paragraphs that quote others, up to a line the page labels as its own ("EDITOR'S
        COMMENT: …"), one that names the speaker again from outside ("Price, for her part, …"),
        another lead-in, a transcript turn or a tweet (``others`` but reprints, inside which a
        statement can stand), or two paragraphs running that no longer speak as "I" or "we"; a
        last paragraph not in the first person is the page's own again."""
        kept_apart = [t for t in others if not t.reprint]
        turns: list[Turn] = []
        index = 0
        while index < len(self.docs) - 1:
            offset, doc = self.docs[index]
            below = self.docs[index + 1]
            speaker = self._statement_lead_in(offset, doc)
            if (
                speaker is None
                or not self._in_first_person(*below)
                or any(t.start <= below[0] < t.end for t in kept_apart)
                # a first-person page quotes others below it, rather than reprinting them
                or any(self._in_first_person(*above) for above in self.docs[max(index - PROSE_ABOVE, 0) : index])
            ):
                index += 1
                continue
            end = next(
                (i for i in range(index + 2, len(self.docs)) if self._ends_statement(i, speaker[0], kept_apart)),
                len(self.docs),
            )
            if not self._in_first_person(*self.docs[end - 1]):
                end -= 1
            until = self.docs[end][0] - 1 if end < len(self.docs) else len(self.text)
            turns.append(Turn(below[0], until, *speaker))
            index = end
        return turns

    def _statement_lead_in(self, offset: int, doc) -> tuple[str, Range] | None:
        """The speaker (name and where) a paragraph introduces as a lead-in to a statement: it
        ends with a colon outside quotation marks and names its speaker in its main clause."""
        lead = self._text_of(offset, doc).rstrip()
        if not lead.endswith(":") or self.inside_quote(offset + len(lead) - 1):
            return None
        voice = self._lead_in_speaker(offset, doc, "quoted")
        if voice is None or voice.speaker is None or voice.speaker_range is None:
            return None
        return (voice.speaker, voice.speaker_range) if self._names_main_speaker(voice.speaker_range) else None

    def _ends_statement(self, index: int, speaker: str, kept_apart: list[Turn]) -> bool:
        """Whether paragraph ``index`` is no longer part of ``speaker``'s statement."""
        offset, doc = self.docs[index]
        # the speaker's name again, as a name ("Price, for her part, …"), not a word of it
        # ("As a board we have failed" in the Harbour Board's statement)
        named = last_word(speaker)
        renamed = any(
            t.lower_ == named and (t.pos_ == "PROPN" or t.ent_type_) and not self.inside_quote(offset + t.idx)
            for t in doc
        )
        return (
            renamed
            or TRANSCRIPT_LABEL.match(self.text, offset) is not None
            or any(t.start <= offset < t.end for t in kept_apart)
            or self._statement_lead_in(offset, doc) is not None
            or not (self._in_first_person(*self.docs[index - 1]) or self._in_first_person(offset, doc))
        )

    def _names_main_speaker(self, where: Range) -> bool:
        """Whether a lead-in's speaker is named in its main clause ("Ann Price responds:"), not
        "who", nor a name inside a clause hanging on another ("a letter to Ann Price, from people
        who say they …:")."""
        found = span_in(self.docs, *where)
        if found is None:
            return False
        mention = found[2]
        named = any(t.pos_ == "PROPN" or t.ent_type_ in SPEAKING_ENTITIES for t in mention)
        return named and not any(a.dep_ in CLAUSES_HUNG_ON for a in mention.root.ancestors)

    def _in_first_person(self, offset: int, doc) -> bool:
        """Whether a paragraph speaks as "I" or "we" outside quotation marks (not "the US")."""
        return any(
            t.lower_ in FIRST_PERSON_WORDS and t.pos_ == "PRON" and not self.inside_quote(offset + t.idx) for t in doc
        )

    def _transcript_turns(self) -> list[Turn]:
        """The turns of a transcript ("HANNITY: …" lines of two or more speakers); each runs
        from its label up to the next label, the last one for at most MAX_TURN_LINES lines."""
        labels = []
        for index, (offset, _) in enumerate(self.docs):
            match = TRANSCRIPT_LABEL.match(self.text, offset)
            if match is not None and match.group(1).upper() not in NOT_SPEAKERS:
                labels.append((index, match.span(1), match.group(1), match.end()))
        names = [name for _, _, name, _ in labels]
        # a line opened by a name in capitals is a turn; one opened by other capitalised words
        # ("Uranium Deal Bombshell: …") only when those words open other lines too, or it
        # comes just after such a turn
        sure = {label[0] for label in labels if label[2].isupper() or names.count(label[2]) > 1}
        # "Ann Price: …" once, then "AP: …" on each turn: the full name opens a turn too
        sure_initials = {name for index, _, name, _ in labels if index in sure and INITIALS.fullmatch(name)}
        sure |= {label[0] for label in labels if _initials(label[2]).upper() in sure_initials}
        labels = [label for label in labels if any(0 <= label[0] - index <= 2 for index in sure)]
        names = [name for _, _, name, _ in labels]
        if len(set(names)) < TRANSCRIPT_SPEAKERS or len(set(names)) == len(names):
            return []
        initials = self._people_by_initials() if any(INITIALS.fullmatch(name) for name in names) else {}
        turns = []
        for (index, name_range, name, words), following in zip(labels, [*labels[1:], None], strict=True):
            if self.text[words : words + 1] in QUOTE_MARKS:
                continue  # "SMITH: “…”" between lines of narration: the quotation is the turn
            last = following[0] - 1 if following else min(index + MAX_TURN_LINES, len(self.docs)) - 1
            offset, doc = self.docs[last]
            # "AP: …" in an interview with Ann Price is Ann Price's turn
            person_range = initials.get(name, name_range)
            person = self.text[person_range[0] : person_range[1]]
            turns.append(Turn(name_range[1], offset + paragraph_length(doc), person, person_range))
        return turns

    def _people_by_initials(self) -> dict[str, Range]:
        """Where each person of the article is first named, by the initials of their name
        ("AP" for Ann Price): the names a transcript's labels may stand for. Initials two
        people share stand for neither."""
        people: dict[str, Range] = {}
        names: dict[str, set[str]] = {}
        for offset, doc in self.docs:
            for entity in doc.ents:
                words = entity.text.split()
                if entity.label_ == "PERSON" and len(words) > 1 and all(w[:1].isupper() for w in words):
                    initials = _initials(entity.text)
                    start = offset + entity.start_char
                    people.setdefault(initials, (start, start + len(entity.text)))
                    names.setdefault(initials, set()).add(entity.text)
        return {initials: where for initials, where in people.items() if len(names[initials]) == 1}

    def _turn_holding(self, start: int, end: int) -> Turn | None:
        """The innermost turn holding the span: a statement a reprinted article quotes is its
        speaker's, not the article's."""
        holding = [t for t in self.turns if t.start <= start and end <= t.end]
        return min(holding, key=lambda t: t.end - t.start, default=None)

    def _turn_voice(self, start: int, end: int) -> Voice | None:
        """A span in a turn (the innermost that holds it) is quoted, from whoever the turn's speaker
        reports ("TOENSING: The board said that …") or presents below a lead-in of the turn's own,
        or else the turn's speaker."""
        turn = self._turn_holding(start, end)
        if turn is None:
            return None
        inner = self._reported(start, end) or self._block_below_lead_in_within(turn, start)
        if inner is not None and inner.speaker:
            return Voice("quoted", inner.speaker, inner.speaker_range)
        return Voice("quoted", turn.speaker, turn.speaker_range)

    def _block_below_lead_in_within(self, turn: Turn, position: int) -> Voice | None:
        """A block quotation inside a turn, below a lead-in of the turn's own ("Price wrote:"
        in a reprinted article), not one that takes its lead-in from the turn before."""
        block = self._block_quote(position)
        lead_in = paragraph_at(self.docs, block.speaker_range[0]) if block and block.speaker_range else None
        return block if lead_in is not None and lead_in[0] >= turn.start else None

    def _text_of(self, offset: int, doc) -> str:
        """A parsed paragraph's text, cut from the article rather than joined from its tokens."""
        return self.text[offset : offset + paragraph_length(doc)]

    def inside_quote(self, position: int) -> bool:
        """Whether ``position`` is inside quotation marks (closed or not): whether any quotation
        that opens before it closes after it."""
        opened = bisect_right(self._quote_starts, position)
        return opened > 0 and self._furthest_quote_end[opened - 1] > position

    def _named_mentions(self) -> list[Naming]:
        """Where people are named outside quotations.

        Person entities count, and proper nouns that are the subject of a main clause
        (not places, nor subjects of reported clauses); an organisation ("XYZ reports:")
        can be the antecedent of "they" but not of "he".
        """
        mentions = []
        # words of people's names: "Price" alone, tagged an organisation, still names Ann Price
        person_words = {
            w.lower() for _, doc in self.docs for e in doc.ents if e.label_ == "PERSON" for w in e.text.split()
        }
        # the last words of names: "Georgia" of "Georgia Brown" may still be the state
        surnames = {e.text.split()[-1].lower() for _, doc in self.docs for e in doc.ents if e.label_ == "PERSON"}
        for offset, doc in self.docs:
            for token in doc:
                if self.inside_quote(offset + token.idx):
                    continue
                entity = entity_of(doc, token)
                main_subject = token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ in ("ROOT", "conj")
                if entity is not None and entity.label_ == "PERSON":
                    head = max(entity, key=lambda t: t.i)
                    described = head.dep_ == "appos" and any(c.dep_ == "det" for c in head.children)
                    if token.i == entity.start and not described:
                        # "Price's cousin, Tom Reyes, told …": the name in apposition to the subject
                        # too, but not a description the small model tags as a person ("Tom Reyes,
                        # a Remainer, …")
                        role = head.head if head.dep_ == "appos" else head
                        is_subject = role.dep_ in ("nsubj", "nsubjpass") and (
                            role.head.dep_ in ("ROOT", "conj") or (role == head and _named_for_the_main_pronoun(role))
                        )
                        # "Louis Reyes's speech" names Louis Reyes
                        name = re.sub(r"\s*['’]s$", "", entity.text)
                        mentions.append(Naming(offset + token.idx, name, is_subject, personal=True))
                        partners = [c for c in head.conjuncts if c.i > head.i and c.ent_type_ == "PERSON"]
                        if is_subject and partners:
                            # "Bob Hale and Ann Price criticised …": together they are "they"
                            end = entity_of(doc, partners[-1]).end_char
                            together = doc.text[token.idx : end]
                            mentions.append(Naming(offset + token.idx, together, True, personal=False, several=True))
                    continue
                # "Reyes" tagged a place where the article names Ann Reyes elsewhere is still her
                placed = entity is not None and entity.label_ in PLACES and token.lower_ not in surnames
                if main_subject and token.pos_ == "PROPN" and not placed:
                    # an acronym ("XYZ reports:") names an organisation, never "he"
                    personal = entity.label_ in PERSONAL if entity is not None else not token.text.isupper()
                    personal = personal or token.lower_ in person_words
                    mentions.append(Naming(offset + token.idx, token.text, True, personal))
                elif (
                    # "Despite Tom May's attempts …" with "May" read as a month: a word of a name
                    # the article gives a person elsewhere still names them, unless it stands
                    # in the reported words ("Reyes “is lying,” she said" is not her naming Reyes)
                    token.pos_ == "PROPN"
                    and entity is None
                    and token.lower_ in surnames
                    and token.dep_ != "compound"
                    and not any(a.dep_ == "ccomp" for a in token.ancestors)
                ):
                    mentions.append(Naming(offset + token.idx, token.text, False, personal=True))
        return sorted(mentions)

    def _antecedent(self, position: int, pronoun: str) -> str | None:
        """The person a pronoun at ``position`` stands for (for "it", the organisation or thing):
        the last named subject before it, else the last one named."""
        personal = PRONOUNS.get(pronoun) == "person"
        gender = PRONOUN_GENDER.get(pronoun)
        before = [
            m
            for m in self._antecedents
            if m.position < position
            and (m.personal or not personal)
            and not (pronoun == "it" and (m.personal or m.several))
            and (self._genders.get(last_word(m.name), gender) == gender or (not personal and m.several))
        ]
        subjects = [m for m in before if m.subject]
        line_start = self.text.rfind("\n", 0, position) + 1
        if before and before[-1].position >= line_start and (not subjects or subjects[-1].position < line_start):
            # a person named on the pronoun's own line beats a subject of an earlier one
            subjects = [before[-1]]
        chosen = subjects[-1] if subjects else before[-1] if before else None
        if chosen is None or (pronoun == "they" and chosen.personal and not chosen.several):
            # "they" after one person named is not that person, and not whoever came before
            return None
        if chosen.several:
            return chosen.name
        name = chosen.name
        # the person as last named before the pronoun ("Tomas" after "Tomas Okonkwo Reyes")
        words = set(name.lower().split())
        aliases = [
            m.name for m in before if set(m.name.lower().split()) <= words or words <= set(m.name.lower().split())
        ]
        return aliases[-1] if aliases else name

    def _speaker(self, offset: int, doc, verb, voice: str) -> Voice:
        subject = subject_of(verb)
        # the reporting verb's own passive subject, not that of the clause it hangs on
        # ("the countries were put on alert, warning that …" is the countries' warning)
        passive = (
            subject is not None
            and subject.dep_ == "nsubjpass"
            and subject.head.i == verb.i
            and not first_person(subject.text)
        )
        if passive and verb.lemma_.lower() != "quote":
            # "Reyes is accused of …" reports an accusation by whoever the "by" names, if anyone
            # ("Reyes was quoted as saying …" is still Reyes's words)
            agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if not agents:
                return Voice(voice)
            agent = noun_phrase(doc, agents[0])
            return Voice.from_mention(voice, offset, agent)
        mention = subject_mention(doc, verb)
        if mention is None:
            return Voice(voice)
        start, end = mention
        span = doc[start:end]
        begin = offset + span.start_char
        name = span.text
        if name.rpartition(" ")[2] in TITLES:
            # "… said Sen.\nAnn Price", "… said the Rev.\nAnn Price": one sentence a line cuts
            # the name after its title
            following = self.text[begin + len(name) :].lstrip(" \n")
            named = re.match(r"[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*)*", following)
            if named:
                at = self.text.index(named.group(0), begin + len(name))
                return Voice(voice, named.group(0), (at, at + len(named.group(0))))
        if name.lower() in ASKING_WORDS:
            # "Who said the board was lying?" asks who; it names no speaker
            return Voice(voice)
        if name.lower() in PRONOUNS:
            reporter = _reporter_above(doc, verb, name.lower()) or _named_before(
                doc, span[0], lambda t: self.inside_quote(offset + t.idx)
            )
            if reporter is not None:
                return Voice.from_mention(voice, offset, reporter)
            name = self._antecedent(begin, name.lower()) or name
        elif name.lower() == "it":
            # "it said" of an organisation named before: "The ministry … It added that …"
            name = self._antecedent(begin, "it") or name
        return Voice(voice, name, (begin, offset + span.end_char))

    def _labelled(self, opening: int) -> Voice | None:
        """The speaker named before a colon just ahead of a quotation: a transcript's
        "REYES: “…”", "According to Price: “…”", or "Price to voters: ‘…’" inside another quotation."""
        line_start = self.text.rfind("\n", 0, opening) + 1
        according = ACCORDING_LABEL.search(self.text, line_start, opening)
        match = according or SPEAKER_LABEL.search(self.text, line_start, opening)
        if match is None:
            return None
        start, end = match.span(1)
        speaking = LABEL_SPEAKING.search(self.text, start, end)
        if according is None and speaking is not None:
            end = speaking.start()  # a heading "Price Speech: “…”" names Price
        return Voice("quoted", self.text[start:end], (start, end))

    def _verb_for(self, quote: Quote, doc, offset: int):
        """The reporting verb that introduces a quotation: one the quotation hangs on in the
        parse, else the nearest on the lines it opens and closes on."""
        inside = range(quote.start - offset, quote.end - offset)
        # the quotation may open in an earlier paragraph or close in a later one
        words = doc.char_span(max(inside.start, 0), min(inside.stop, paragraph_length(doc)), alignment_mode="expand")
        quoted = [t for t in words if t.idx in inside] if words is not None else []
        for token in quoted:
            if token.head.idx in inside:
                continue
            below = token
            for ancestor in token.ancestors:
                if ancestor.idx in inside:
                    below = ancestor
                    continue
                if is_reporting(ancestor, QUOTING_VERBS) or _disparages_as(ancestor, below):
                    return ancestor
                below = ancestor
        before, after = self._around(quote, doc, offset)
        if self.text[: quote.start].rstrip().endswith(":") and before and before[-1].text == ":":
            # "Porterfield, however, shot back: “…”": whatever verb the colon ends, but not one
            # of a clause about someone else ("Reyes wrote to the skippers, most of whom …:")
            # unless it speaks ("the union backed Reyes, who told the crowd:")
            verb = next(
                (
                    t
                    for t in reversed(before)
                    if t.pos_ == "VERB" and (not _relative(t) or t.lemma_.lower() in SAYING_VERBS)
                ),
                None,
            )
            if verb is not None:
                return verb
        for candidates in (after, list(reversed(before))):
            verb = next((t for t in candidates if is_reporting(t, QUOTING_VERBS)), None)
            if verb is not None:
                return verb
        return None

    def _around(self, quote: Quote, doc, offset: int) -> tuple[list, list]:
        """The tokens of the author's words before a quotation, back to the sentence before,
        and after it, on the lines it opens and closes on (the line, not the parser's
        sentence: the small model often cuts "“…” and other things, Harbour chief Ann Price
        has said" before the verb)."""
        inside = range(quote.start - offset, quote.end - offset)
        line_start = self.text.rfind("\n", 0, quote.start) + 1 - offset
        line_end = self.text.find("\n", quote.end - 1)
        line_end = (len(self.text) if line_end < 0 else line_end) - offset
        outside = [
            t
            for t in doc
            if t.idx not in inside and line_start <= t.idx < line_end and not self.inside_quote(offset + t.idx)
        ]
        after = [t for t in outside if t.idx >= quote.end - offset][:VERB_REACH]
        if self.text[quote.start : quote.end].rstrip("”\"’'»").endswith((".", "!", "?")):
            # "“… to the end.” In reply, Reyes said": a quotation that ends its sentence is
            # attributed before the next comma ("“Go!” Reyes said"), not by the next sentence
            cut = next((i for i, t in enumerate(after) if t.text in (",", ":", ";")), len(after))
            after = after[:cut]
        before = [t for t in outside if t.idx < quote.start - offset]
        ends = [i for i, t in enumerate(before) if t.text in (".", "!", "?")]
        before = before[ends[-1] + 1 :] if ends else before
        return before[-VERB_REACH:], after

    def _lead_in(self, quote: Quote) -> Voice | None:
        """A lead-in line just above: one that ends with a colon ("The minister told
        reporters:", "Some Reyes quotes:"), or an unquoted line whose last sentence reports
        someone ("Price also admits that ...") and so introduces the quotation below."""
        opening = paragraph_at(self.docs, quote.start)
        index = self.docs.index(opening) if opening else -1
        if index <= 0:
            return None
        offset, doc = self.docs[index - 1]
        lead = self._text_of(offset, doc)
        last = len(lead.rstrip()) - 1
        if last < 0 or self.inside_quote(offset + last):
            return None
        sentence = list(doc.sents)[-1]
        colon = lead[last] == ":"
        if not colon and any(self.inside_quote(offset + t.idx) for t in doc):
            return None
        verb = next((t for t in reversed(sentence) if is_reporting(t, QUOTING_VERBS)), None)
        if verb is not None:
            voice = self._speaker(offset, doc, verb, "quoted")
            if voice.speaker:
                return voice
        return self._named_in_lead(offset, doc, sentence) if colon else None

    @staticmethod
    def _named_in_lead(offset: int, doc, sentence) -> Voice | None:
        """Whoever a lead-in line without a reporting verb names, as the speaker of what follows
        its colon: "Reyes has harsh words for the board:", "Here's the crux of Price's argument:"."""
        names = [e for e in doc.ents if e.start >= sentence.start and e.label_ in SPEAKING_ENTITIES]
        # "Reyes has harsh words for the board:": whoever the line is about comes first
        subjects = [e for e in names if e.root.dep_ in ("nsubj", "nsubjpass") and e.root.head.dep_ == "ROOT"]
        # "Here's the Gazette's Ann Price explaining:": a person before the group they speak for
        names = subjects + sorted(names, key=lambda e: e.label_ != "PERSON")
        if not names:
            # the small model tags many names as places ("Some Reyes quotes:"): any proper noun then
            names = _proper_names(doc, sentence)[:1]
        if not names:
            return None
        name = names[0]
        if name[-1].dep_ == "case":
            name = name[:-1]  # "the crux of Price's argument:" is Price's words
        return Voice.from_mention("quoted", offset, name)

    def _quote_speaker(self, quote: Quote, depth: int = 0) -> Voice:
        labelled = self._labelled(quote.start)
        if labelled is not None:
            return labelled
        # "“…,” Reyes told the Gazette, “…”: a quotation resumed after its attribution is
        # attributed there, not by a verb after it that reports something else
        resumed = self._resumes_after_attribution(quote)
        for position in (quote.start, quote.end - 1) if resumed else (quote.end - 1, quote.start):
            found = paragraph_at(self.docs, position)
            if found is None:
                continue
            offset, doc = found
            verb = self._verb_for(quote, doc, offset)
            if verb is not None:
                voice = self._speaker(offset, doc, verb, "quoted")
                if voice.speaker_range and quote.start <= voice.speaker_range[0] < quote.end:
                    # a long quotation confuses the parse, but whoever says it is not inside it
                    return self._next_to_verb(quote, doc, offset, verb)
                if (
                    voice.speaker is None
                    and subject_of(verb) is None
                    and offset + verb.idx < quote.start
                    and is_reporting(verb, QUOTING_VERBS)
                ):
                    return self._named_before_verb(offset, doc, verb) or voice
                return voice
        for position in (quote.end - 1, quote.start):
            found = paragraph_at(self.docs, position)
            if found is not None:
                # no verb: "“…,” according to the ministry"
                offset, doc = found
                before, after = self._around(quote, doc, offset)
                source = _according_to(offset, doc, after) or _according_to(offset, doc, before)
                if source is not None:
                    return Voice("quoted", source.speaker, source.speaker_range)
        held_up = self._held_up_as(quote)
        if held_up is not None:
            return held_up
        earlier = [q for q in self.quotes if q.end <= quote.start and quote.start - q.end < CONTINUED_SPEAKER_CHARS]
        opening = paragraph_at(self.docs, quote.start)
        paragraph_start = opening[0] if opening else quote.start
        # a quotation after another in its own paragraph ("“…,” she said. “…”) goes on with
        # that speaker, whatever line stands above the paragraph
        continued = self._continued([q for q in earlier if q.start >= paragraph_start], depth)
        if continued is not None:
            return continued
        lead_in = self._lead_in(quote) or self._headline_speaker(quote)
        if lead_in is not None:
            return lead_in
        return self._continued(earlier, depth) or Voice("quoted")

    def _held_up_as(self, quote: Quote) -> Voice | None:
        """Words quoted, with no verb of saying, as what someone holds something up as ("Price
        defended the plan as a “fair deal”") or as someone's remark ("Price's comment “…”")."""
        found = paragraph_at(self.docs, quote.start)
        if found is None:
            return None
        offset, doc = found
        inside = [t for t in doc if quote.start < offset + t.idx < quote.end - 1]
        root = next((t for t in inside if not quote.start < offset + t.head.idx < quote.end - 1), None)
        if root is None or root.head == root:
            return None
        head = root.head
        owners = [c for c in head.children if c.dep_ == "poss" and c.ent_type_ in ("PERSON", "ORG", "NORP")]
        if root.dep_ == "appos" and head.lemma_.lower() in REMARK_NOUNS and owners:
            return Voice.from_mention("quoted", offset, noun_phrase(doc, owners[0]))
        verb = head.head
        if head.lower_ != "as" or head.dep_ != "prep" or verb.lemma_.lower() not in ESTEEMING_VERBS:
            return None
        subject = subject_of(verb)
        if subject is None or self.inside_quote(offset + subject.idx) or subject.lower_ in NO_INNER_SPEAKER:
            return None
        voice = self._speaker(offset, doc, verb, "quoted")
        return voice if voice.speaker else None

    def _resumes_after_attribution(self, quote: Quote) -> bool:
        """Whether a quotation opens after a comma that follows another quotation closed on the
        same line: the second half of a quotation interrupted by its attribution."""
        line_start = self.text.rfind("\n", 0, quote.start) + 1
        before = self.text[line_start : quote.start].rstrip()
        if not before.endswith(","):
            return False
        on_line = self.quotes[
            bisect_left(self._quote_starts, line_start) : bisect_left(self._quote_starts, quote.start)
        ]
        return any(q.closed and q.end <= quote.start for q in on_line)

    def _continued(self, earlier: list[Quote], depth: int) -> Voice | None:
        """The speaker of the nearest quotation just before, for a quotation with no verb of
        its own."""
        if depth >= 3:
            return None
        for previous in reversed(earlier):
            voice = self._quote_speaker(previous, depth + 1) if previous.closed else None
            if voice and voice.speaker:
                return voice
        return None

    def _headline_speaker(self, quote: Quote) -> Voice | None:
        """A quotation with no verb of its own in a title-case headline: the first person or
        group the headline names before it ("Harbour Chief Ann Price Slams “Reckless” Deal")."""
        if self.headline is None:
            return None
        offset, doc = self.headline
        if not offset <= quote.start < offset + paragraph_length(doc):
            return None
        named = [
            e
            for e in doc.ents
            if e.label_ in SPEAKING_ENTITIES
            and offset + e.end_char <= quote.start
            and not self.inside_quote(offset + e.start_char)
        ]
        # a person before a group: "Democrat’s Friend Ann Price …" is Ann Price
        named.sort(key=lambda e: e.label_ != "PERSON")
        return Voice.from_mention("quoted", offset, named[0]) if named else None

    def _named_before_verb(self, offset: int, doc, verb) -> Voice | None:
        """The person named nearest before a reporting verb that introduces a quotation when the
        parse gives the verb no subject, as after a long aside ("Writing to us, Ann Price, a
        member of the board for years, said, “…”")."""
        names = [
            e
            for e in doc.ents
            if e.start >= verb.sent.start
            and e.end <= verb.i
            and e.label_ == "PERSON"
            and not self.inside_quote(offset + e.start_char)
            and _set_off(doc, e, verb.sent.start)
        ]
        return Voice.from_mention("quoted", offset, names[-1]) if names else None

    def _next_to_verb(self, quote: Quote, doc, offset: int, verb) -> Voice:
        """The noun phrase between a quotation and its verb ("“…,” the lawmakers stated"), else
        the one just after the verb ("“…,” said the mayor"), outside the quotation."""
        phrases = [c for c in doc.noun_chunks if c.start_char + offset >= quote.end]
        before = [c for c in phrases if c.end <= verb.i]
        after = [c for c in phrases if c.start > verb.i and c.start - verb.i <= 2]
        chosen = before[-1] if before else after[0] if after else None
        if chosen is None or first_person(chosen.root.text):
            return Voice("quoted")
        return Voice.from_mention("quoted", offset, chosen)

    def _reported_within(self, quote: Quote, start: int, end: int) -> Voice | None:
        """The innermost speaker of words a quotation reports ("“Price said that the plan
        was a fraud,” Reyes wrote" -> Price), when named: "“They call us ‘traitors’,” Reyes
        said" stays Reyes's words, and so does what a quoted speaker says others think."""
        voice = self._reported_by_anyone(start, end, REPORTING_VERBS - MENTAL_VERBS)
        if voice is None or voice.speaker_range is None or not quote.start < voice.speaker_range[0] < quote.end:
            return None
        if self.text[voice.speaker_range[0] : voice.speaker_range[1]].lower() in NO_INNER_SPEAKER:
            return None
        found = span_in(self.docs, *voice.speaker_range)
        if found is None:
            return None
        offset, _, mention = found
        if not quote.start <= offset + mention.root.head.idx < quote.end:
            # the parse tied a subject inside the quotation to the verb that introduces it
            return None
        if _a_text_or_rule(mention.root):
            return None
        return Voice("quoted", voice.speaker, voice.speaker_range)

    def _inner_speaker(self, outer: Quote, start: int, end: int) -> Voice | None:
        """The speaker of a quotation inside a quoted passage (a column quoting someone) that
        has its own attribution: "‘Cut the budget,’ Reyes said." or "Price: ‘…’"."""
        for inner in nested_quotes(self.text, outer):
            if not (inner.start <= start and end <= inner.end):
                continue
            labelled = self._labelled(inner.start)
            if labelled is not None:
                return labelled
            line_start = self.text.rfind("\n", 0, inner.start) + 1
            if self.text[line_start : inner.start].strip(' “"«'):
                return None  # a quotation within a sentence ("call us ‘cowards’") is the outer speaker's
            found = paragraph_at(self.docs, inner.end - 1)
            if found is None:
                return None
            offset, doc = found
            after = [t for t in doc if t.idx >= inner.end - offset]
            after = [t for t in after if t.sent == after[0].sent][:VERB_REACH] if after else []
            verb = next((t for t in after if is_reporting(t)), None)
            return self._speaker(offset, doc, verb, "quoted") if verb is not None else None
        return None

    def _reported(self, start: int, end: int) -> Voice | None:
        voice = self._reported_by_anyone(start, end, REPORTING_VERBS | KNOWING_VERBS)
        if voice is not None and voice.speaker_range is not None:
            said_by = self.text[voice.speaker_range[0] : voice.speaker_range[1]]
            if first_person(said_by) and not self.inside_quote(voice.speaker_range[0]):
                # the author's own "I suggest that ...", "we believe ...": the author's voice
                return None
        return voice

    def _reported_by_anyone(self, start: int, end: int, verbs: frozenset[str] = REPORTING_VERBS) -> Voice | None:
        found = span_in(self.docs, start, end)
        if found is None:
            return None
        offset, doc, local = found
        # every token whose head lies outside the span, not just its root: the small model
        # often hangs part of a reported clause on the reporting verb itself
        tops = [t for t in local if not (local.start <= t.head.i < local.end) or t.head.i == t.i]
        for top in tops:
            if is_reporting(top, verbs) and any(local.start <= c.i < local.end for c in reported_parts(top)):
                # the span holds the whole report, inside any other: "Price explains that ...",
                # "but warned that ...", "she pointed to ..."; "(Reyes said) he was told by the
                # board that ..." is the board's
                return self._speaker(offset, doc, top, "reported")
        for top in tops:
            for node in [top, *top.ancestors]:
                if node.dep_ == "ccomp" and is_reporting(node.head, verbs):
                    return self._speaker(offset, doc, node.head, "reported")
                if _object_clause(node) and is_reporting(node.head.head, verbs):
                    # "has told the Gazette's morning show that …", which the small model
                    # parses as a clause of the object
                    return self._speaker(offset, doc, node.head.head, "reported")
                if node.dep_ in ("pobj", "pcomp") and reports_through(node.head, verbs):
                    # "Reyes is accused of rigging the vote", "warned of a looming disaster"
                    return self._speaker(offset, doc, node.head.head, "reported")
                if node.dep_ in ("oprd", "pobj", "acomp", "dobj", "amod") and self._named_by(node):
                    return self._speaker(offset, doc, self._named_by(node), "reported")
        set_off = self._set_off_attribution(doc, local, verbs)
        if set_off is not None:
            return self._speaker(offset, doc, set_off, "reported")
        as_reported = _as_reported(offset, doc, local, verbs)
        if as_reported is not None:
            return as_reported
        return _according_to(offset, doc, local.sent)

    def _set_off_attribution(self, doc, local, verbs: frozenset[str]):
        """The reporting verb of an attribution set off by commas in or after the sentence of
        a span: "The plan, Reyes told the Gazette, is a fraud", "… is a fraud, the three
        mayors said in a letter", "…, said Reyes" (not "…, Reyes said that …", whose report
        follows it); the span lies outside the attribution, in a clause with a verb."""
        sentence = local.sent
        for verb in sentence:
            if not is_reporting(verb, verbs):
                continue
            inverted = inverted_subject(verb)
            if any(c != inverted and says_something(verb, c) for c in verb.children):
                continue
            subjects = [inverted] if inverted is not None else [c for c in verb.children if c.dep_ == "nsubj"]
            if not subjects:
                continue
            clause_start = min(subjects[0].left_edge.i, verb.i)
            if clause_start <= sentence.start or doc[clause_start - 1].text not in (",", "”", '"', "—", "–"):
                continue
            clause_end = next((t.i for t in doc[verb.i : sentence.end] if t.text == ","), sentence.end)
            if clause_end - verb.i > SET_OFF_REACH or (clause_start <= local.start and local.end <= clause_end):
                continue  # a clause of its own, or the span is the attribution itself
            before, after = doc[sentence.start : clause_start - 1], doc[clause_end : sentence.end]
            # what is reported: the clause before the attribution, or a subject before it and
            # its verb after ("The plan, Reyes said, is a fraud"), or the clause after it when only
            # a connective stands before ("But, Reyes said, the plan is a fraud")
            connective = (
                len(before) > 0
                and all(t.pos_ in ("CCONJ", "SCONJ", "ADV", "INTJ", "PUNCT") for t in before)
                and clause_end - verb.i <= 3
                and not any(c.dep_ == "prep" for c in verb.children)
                # "Twice, she wrote, and the board ignored …": the clause after is the author's
                and not any(c.dep_ in ("conj", "advcl") and c.i >= clause_end for c in verb.children)
                and not (len(after) > 1 and after[1].dep_ in ("cc", "mark"))
            )
            subject_before = any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in before)
            if has_verb(before) or ((subject_before or connective) and has_verb(after)):
                return verb
        return None

    @staticmethod
    def _named_by(node):
        """The naming verb whose second object ``node`` is: "called him a fraud", "referred
        to the plan as shameful" (not the thing named, which is the author's)."""
        if node.dep_ == "oprd" and node.head.lemma_.lower() in LABELLING_VERBS:
            return node.head
        if node.dep_ in ("pobj", "amod", "acomp") and node.head.lower_ == "as":
            verb = node.head.head
            if verb.pos_ == "VERB" and verb.lemma_.lower() in LABELLING_VERBS:
                return verb
        if node.dep_ in ("dobj", "acomp"):
            verb = node.head
            # "labeled the plan absurd": the second of two objects is the label
            objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "acomp", "ccomp")]
            if verb.lemma_.lower() in LABELLING_VERBS and len(objects) > 1 and node.i == objects[-1].i:
                return verb
        return None

    def _quotes_touching(self, start: int, end: int) -> list[Quote]:
        return [q for q in self.quotes if min(end, q.end) > max(start, q.start)]

    def _holding_quote(self, start: int, end: int) -> Quote | None:
        """The quotation a span is quoted from: one that holds most of its characters, with no
        more than a few framing words of the author's outside it, and no other quotation
        (a span that joins two quotations has the author's words between them)."""
        touched = self._quotes_touching(start, end)
        if len(touched) > 1:
            # 'a “nomad” and a “vagabond”': quoted when the words between are a few framing ones
            between = "".join(self.text[a.end : b.start] for a, b in pairwise(touched))
            outside = self.text[start : touched[0].start] + " " + between + " " + self.text[touched[-1].end : end]
            inside = sum(_unmarked(self.text[max(start, q.start) : min(end, q.end)]) for q in touched)
            if inside * 2 > _unmarked(self.text[start:end]) and _words(outside) <= FRAMING_WORDS:
                return touched[0]
            return None
        if not touched:
            return None
        quote = touched[0]
        inner_start, inner_end = max(start, quote.start), min(end, quote.end)
        inside = _unmarked(self.text[inner_start:inner_end])
        outside = self.text[start:inner_start] + " " + self.text[inner_end:end]
        total = _unmarked(self.text[start:end])
        if inside * 2 > total and _words(outside) <= FRAMING_WORDS:
            return quote
        if inside * 3 > total * 2 and quote.start > start:
            # "Ward explains this again when she says “…”": the attribution and a longer quotation
            return quote
        return None

    def voice_of(self, start: int, end: int) -> Voice:
        if (start, end) not in self._voices:
            self._voices[(start, end)] = self._first_person_resolved(self._find_voice(start, end))
        return self._voices[(start, end)]

    def _first_person_resolved(self, voice: Voice) -> Voice:
        """An "I" or "we" who speaks inside a transcript turn or a reprinted letter ("as I told
        the parish, “…”") is the turn's speaker."""
        if voice.speaker_range is None or voice.speaker is None or not first_person(voice.speaker):
            return voice
        turn = self._turn_holding(voice.speaker_range[0], voice.speaker_range[0] + 1)
        if turn is None:
            return voice
        return replace(voice, speaker=turn.speaker, speaker_range=turn.speaker_range)

    def _find_voice(self, start: int, end: int) -> Voice:
        if any(not q.closed for q in self._quotes_touching(start, end)):
            return Voice("unknown", basis="unclosed_quotation")
        quote = self._holding_quote(start, end)
        if quote is not None:
            return _first_found(
                (
                    ("report_in_quotation", lambda: self._reported_within(quote, start, end)),
                    ("quotation_in_quotation", lambda: self._inner_speaker(quote, start, end)),
                ),
                ("quotation", lambda: self._quote_speaker(quote)),
            )
        return _first_found(
            (
                ("turn", lambda: self._turn_voice(start, end)),
                ("after_colon", lambda: self._after_colon(start)),
                ("report", lambda: self._reported_or_quoted(start, end)),
                ("block", lambda: self._block_quote(start)),
            ),
            ("default_author", lambda: Voice("author")),
        )

    def _reported_or_quoted(self, start: int, end: int) -> Voice | None:
        """A report, quoted when its words are mostly the speaker's own in quotation marks
        ("Price warned that boards like ours have “turned into a reckless gang.”")."""
        reported = self._reported(start, end)
        if reported is not None and reported.speaker and self._quotes_the_reporter(start, end, reported.speaker):
            return Voice("quoted", reported.speaker, reported.speaker_range)
        return reported

    def _quotes_the_reporter(self, start: int, end: int, reporter: str) -> bool:
        """Whether most of a span's words are inside one quotation (words picked from several
        are the reporter's sentence) that no verb of the span's own gives to someone else
        ("Price noted that the Gazette had branded the union “a nest of thieves”")."""
        touched = self._quotes_touching(start, end)
        if len(touched) != 1:
            return False
        quote = touched[0]
        inside = _unmarked(self.text[max(start, quote.start) : min(end, quote.end)])
        if inside * 2 <= _unmarked(self.text[start:end]):
            return False
        found = span_in(self.docs, start, end)
        if found is None:
            return False
        offset, _, local = found
        verbs = [t for t in local if is_reporting(t, QUOTING_VERBS) and not quote.start <= offset + t.idx < quote.end]
        sayers = [subject_of(verb) for verb in verbs]
        # "he said" stands for the reporter, whom the report resolved it to
        return all(
            sayer is None or sayer.lower_ in PRONOUNS or last_word(sayer.text) == last_word(reporter)
            for sayer in sayers
        )

    def _after_colon(self, position: int) -> Voice | None:
        """Someone's words without quotation marks after a colon on the same line: "The
        Gazette added: the council has been swamped …"."""
        found = paragraph_at(self.docs, position)
        if found is None:
            return None
        offset, doc = found
        line = self.text[offset:position]
        colon = line.rfind(":")
        if colon < 0 or any(c in QUOTE_MARKS for c in line[colon:]):
            return None
        # the words before the colon in its sentence, found from the colon's token rather than
        # by asking every word before it for its sentence, which is slow in a long paragraph
        at_colon = doc.char_span(colon, colon + 1, alignment_mode="expand")[0]
        lead_end = at_colon.i + 1 if at_colon.idx < colon else at_colon.i
        lead = list(doc[doc[lead_end - 1].sent.start : lead_end]) if lead_end else []
        verb = next((t for t in reversed(lead) if t.pos_ == "VERB"), None)
        if verb is None or not is_reporting(verb, QUOTING_VERBS) or self.inside_quote(offset + verb.idx):
            return None
        voice = self._speaker(offset, doc, verb, "quoted")
        said_by = voice.speaker_range and self.text[voice.speaker_range[0] : voice.speaker_range[1]]
        return voice if voice.speaker and not (said_by and first_person(said_by)) else None

    def _narrates(self, offset: int, doc) -> bool:
        """Whether a paragraph has quotation marks or reports someone in the third person:
        the author's narration, which ends a block quotation."""
        text = self._text_of(offset, doc)
        if any(c in QUOTE_MARKS and not is_apostrophe(text, i) for i, c in enumerate(text)):
            return True
        for token in doc:
            # "now that Reyes has been confirmed as harbour master" reports no one
            if is_reporting(token) and not any(c.dep_ == "auxpass" for c in token.children):
                subject = subject_of(token)
                if subject is None or not first_person(subject.text):
                    return True
        return False

    def _block_quote(self, position: int) -> Voice | None:
        """Someone's words set off without quotation marks below a lead-in line that ends with
        a colon ("She wrote back:", "The letter says:"), an ellipsis or a comma: the paragraphs
        after it, up to the first that narrates again."""
        found = paragraph_at(self.docs, position)
        if found is None:
            return None
        index = self.docs.index(found)
        for back in range(index, max(index - EXCERPT_PARAGRAPHS, 0), -1):
            if self._in_first_person(*self.docs[back]):
                break  # the author's own remarks after the excerpt
            above = self.docs[back - 1]
            if self._source_lead_in(*above):
                # "Reuters reports:": an excerpt of a report, which narrates as reports do
                return self._lead_in_speaker(*above, "quoted")
            if LEAD_IN.search(self._text_of(*above)):
                break  # a nearer lead-in ("The mayor replied:") presents the words below it
        for back in range(index, max(index - MAX_QUOTE_LINES, 0), -1):
            if self._narrates(*self.docs[back]):
                return None
            offset, doc = self.docs[back - 1]
            text = self._text_of(offset, doc)
            lead = text.rstrip()
            said_then = lead.endswith(",") and not lead.startswith("As ")
            if (LEAD_IN.search(text) or said_then) and not self.inside_quote(offset + len(lead) - 1):
                # a lead-in that reports someone ("Ward wrote back:"), not a list heading; one
                # that ends with a comma ("Ward said in a statement,") reports the words below
                return self._lead_in_speaker(offset, doc, "reported" if said_then else "quoted")
        return None

    def _source_lead_in(self, offset: int, doc) -> bool:
        """A short line that hands the paragraphs below to a source: "Reuters reports:", "The
        Gazette's Ann Price writes:"."""
        line = self._text_of(offset, doc).rstrip()
        return (
            line.endswith(":")
            and len(line.split()) <= SOURCE_LEAD_WORDS
            and any(t.lemma_.lower() in SOURCE_VERBS and t.dep_ == "ROOT" for t in doc)
            and not self.inside_quote(offset + len(line) - 1)
        )

    def _lead_in_speaker(self, offset: int, doc, kind: str) -> Voice | None:
        """Whose words a lead-in line presents below it: the subject of its last sentence's
        reporting verb ("Ward wrote back:"), or the one it names when it presents words ("the
        crux of Price's argument:"); None for a list heading or the author's own "I wrote:"."""
        sentence = list(doc.sents)[-1]
        verb = next((t for t in reversed(sentence) if is_reporting(t, QUOTING_VERBS)), None)
        if verb is None:
            presents = self._text_of(offset, doc).rstrip().endswith(":") and _presents_words(sentence)
            return self._named_in_lead(offset, doc, sentence) if presents else None
        found = self._speaker(offset, doc, verb, kind)
        said_by = found.speaker_range and self.text[found.speaker_range[0] : found.speaker_range[1]].lower()
        return found if found.speaker and said_by not in FIRST_PERSON_WORDS else None


def _first_found(
    attempts: tuple[tuple[str, Callable[[], Voice | None]], ...], last: tuple[str, Callable[[], Voice]]
) -> Voice:
    """The voice of the first attempt that finds one, else the last's, marked with the basis it
    was found on."""
    for basis, attempt in attempts:
        voice = attempt()
        if voice is not None:
            return replace(voice, basis=basis)
    basis, otherwise = last
    return replace(otherwise(), basis=basis)
