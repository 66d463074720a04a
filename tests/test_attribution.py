"""Voice and speaker on sentences written for these tests, one per quotation style."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propscope.attribution import find_quotes
from propscope.attribution.headline import headline_parse
from propscope.attribution_eval import article_attributor
from propscope.ingest.layout import parse_layout
from propscope.segment import parse_regions


def voice(text: str, fragment: str):
    attributor = article_attributor(text, parse_regions(text, [(0, len(text))]).paragraphs)
    start = text.index(fragment)
    return attributor.voice_of(start, start + len(fragment))


@pytest.mark.parametrize(
    "text",
    [
        'Mayor Ellen Ward spoke on Monday.\n"The critics are cowards," she said.',
        "Mayor Ellen Ward spoke on Monday.\n“The critics are cowards,” she said.",
        "Mayor Ellen Ward spoke on Monday.\n«The critics are cowards», she said.",
        "Mayor Ellen Ward spoke on Monday.\n„The critics are cowards“, she said.",
        "Mayor Ellen Ward spoke on Monday.\n‘The critics are cowards,’ she said.",
    ],
)
def test_quotation_styles_with_pronoun_resolved(text):
    result = voice(text, "cowards")
    assert result.voice == "quoted"
    assert result.speaker == "Ellen Ward"
    assert text[result.speaker_range[0] : result.speaker_range[1]].lower() == "she"


def test_speaker_named_after_the_verb_and_before_the_quote():
    assert voice('"It is a scandal," said Tom Reyes.', "scandal").speaker == "Tom Reyes"
    text = "The minister said, “Our enemies are everywhere.”"
    result = voice(text, "enemies")
    assert result.voice == "quoted" and result.speaker == "The minister"


def test_nested_quotes_belong_to_the_outer_speaker():
    text = "“They call us ‘traitors’ every day,” the union leader said."
    result = voice(text, "traitors")
    assert result.voice == "quoted" and result.speaker == "the union leader"


def test_apostrophes_are_not_quotes():
    text = "The council's plan isn't popular, and the mayor's critics are furious."
    assert voice(text, "furious").voice == "author"


def test_reported_speech_without_quotes():
    text = "Senator Ann Price noted that the reforms were a shameful surrender."
    result = voice(text, "shameful surrender")
    assert result.voice == "reported" and result.speaker == "Ann Price"
    text = "According to the opposition, the reforms are a disaster."
    assert voice(text, "disaster").voice == "reported"
    # a naming verb reports the label it puts on something
    named = voice("The minister referred to the report as shameful.", "shameful")
    assert (named.voice, named.speaker) == ("reported", "The minister")
    assert voice(text, "disaster").speaker == "the opposition"


def test_author_voice():
    assert voice("The reckless plan will ruin the harbour.", "reckless").voice == "author"


def test_quote_spanning_paragraphs():
    text = "“The first part is outrageous.\n“And the second part is worse,” the mayor said.\nThe end."
    quotes = find_quotes(text, [(0, len(text))])
    assert len(quotes) == 1 and quotes[0].closed
    assert voice(text, "outrageous").voice == "quoted"


def test_unbalanced_quote_gives_unknown_not_a_guess():
    text = "The mayor spoke. “This plan is a disgrace and everyone knows it\nNext paragraph is calm."
    assert voice(text, "disgrace").voice == "unknown"
    assert voice(text, "calm").voice == "author"


def test_quote_in_title_and_no_entities():
    text = "“Cowards” in charge, says paper\n\nnothing here names anyone at all."
    assert voice(text, "Cowards").voice == "quoted"
    assert voice(text, "nothing").voice == "author"


def target(text: str, fragment: str, technique: str) -> str | None:
    from propscope.attribution import Targeter

    regions = [(0, len(text))]
    targeter = Targeter(text, parse_regions(text, regions).paragraphs)
    start = text.index(fragment)
    found = targeter.target_of(start, start + len(fragment), technique)
    return found.name if found else None


def test_targets_of_spans():
    text = "Senator Ann Price spoke. Critics called Price a spineless coward on Monday."
    assert target(text, "spineless coward", "Name_Calling,Labeling") == "Ann Price"
    assert (
        target("Radical extremists marched again.", "Radical extremists", "Name_Calling,Labeling")
        == "Radical extremists"
    )
    text = "The corrupt Harbour Authority approved the plan."
    assert target(text, "corrupt", "Loaded_Language") == "Harbour Authority"
    text = "Mayor Ellen Ward met reporters. Ward's so-called reforms have failed."
    assert target(text, "so-called reforms", "Doubt") == "Ellen Ward"


@pytest.mark.parametrize(
    ("text", "fragment", "name"),
    [
        # a short name is joined to the one fuller name that ends with it
        (
            "Tom Okafor Reyes chairs the board. Critics called Reyes a spineless coward.",
            "spineless coward",
            "Tom Okafor Reyes",
        ),
        # not when two people share it, nor to another person's fuller name
        (
            "Ann Price and Bob Price both spoke. Critics called Price a spineless coward.",
            "spineless coward",
            "Price",
        ),
        (
            "Ann Price and Bob Price both spoke. Critics called Ann Price a spineless coward.",
            "spineless coward",
            "Ann Price",
        ),
        # nor one party to another because both end in "Party"
        (
            "The Green Party met the Harbour Party. Critics called the Harbour Party a nest of crooks.",
            "nest of crooks",
            "Harbour Party",
        ),
    ],
)
def test_target_names_are_joined_only_to_the_one_fuller_name_they_end(text: str, fragment: str, name: str):
    assert target(text, fragment, "Name_Calling,Labeling") == name


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        # a transcript's label
        ("The video shows two aides.\nHOLLIS: “The voters are sheep and we lead them.”", "sheep", "HOLLIS"),
        # the verb the quotation hangs on, not the later "explaining" whose subject is the town
        (
            "Jones says that “the plan is rotten” and that the town is a swamp, explaining that the vote was rigged.",
            "the plan is rotten",
            "Jones",
        ),
        # a quotation inside a quoted passage, with its own attribution
        (
            "Mayor Ellen Ward wrote a long column.\n“The council met again.\n"
            "“‘Cut the budget first, ask questions later,’ Tom Reyes said.\n“Nobody objected.”",
            "Cut the budget first",
            "Tom Reyes",
        ),
        # a line that reports someone introduces the quotation below it
        (
            "“We will win,” said Tom Reyes.\nCouncil member Ann Price also admits that the vote was close.\n"
            "“We were lucky this time and the opposition are clowns.”",
            "clowns",
            "Ann Price",
        ),
        # a lead-in list of quotes, under a topic heading that names no speaker
        (
            "Ann Price gave many speeches.\nSome Ann Price quotes:\nOn taxes: “Taxes are theft by cowards.”",
            "cowards",
            "Ann Price",
        ),
    ],
)
def test_speaker_of_a_quotation(text, fragment, speaker):
    result = voice(text, fragment)
    assert result.voice == "quoted" and result.speaker == speaker


def test_an_acronym_is_not_he():
    text = "Tom Reyes spoke first.\nBBC continues:\n“The plan is a disgrace,” he said."
    assert voice(text, "disgrace").speaker == "Tom Reyes"


def test_apostrophe_inside_a_double_quotation():
    text = 'The aide said "they rock \'n\' roll all night" and left.\nLater Ann Price said, "It is a disgrace."'
    quotes = find_quotes(text, [(0, len(text))])
    assert [text[q.start : q.end] for q in quotes] == ["\"they rock 'n' roll all night\"", '"It is a disgrace."']


def test_voice_by_the_majority_of_words_inside_one_quotation():
    text = "Ann Price said the inquiry began as a “hoax” long ago."
    assert voice(text, "a “hoax").voice == "quoted"
    assert voice(text, "as a “hoax").voice == "reported"
    text = "Ann Price says the plan is “a mess” and “a total disaster for the town.”"
    # joining two quotations with a few framing words, the span is mostly quoted words
    assert voice(text, "“a mess” and “a total disaster").voice == "quoted"
    text = "Ann Price says the plan is “a mess” that, sadly for all of us here, is “a disaster.”"
    # with more of the author's words between them, it is the author's report of them
    assert voice(text, "is “a mess” that, sadly for all of us here, is “a disaster").voice == "reported"


def test_targets_of_labels_before_names_and_after_naming_verbs():
    text = "He sold the house to convicted fraudster Tom Reyes last year."
    assert target(text, "convicted fraudster", "Name_Calling,Labeling") == "Tom Reyes"
    text = "The goal of tax zealots such as Ann Price is clear."
    assert target(text, "tax zealots", "Name_Calling,Labeling") == "Ann Price"
    text = "The mayor described Ann Price as a coward."
    assert target(text, "coward", "Name_Calling,Labeling") == "Ann Price"


def test_targets_of_loaded_verbs_and_clauses():
    assert target("The mayor slammed Tom Reyes on Monday.", "slammed", "Loaded_Language") == "Tom Reyes"
    # a loaded verb that describes what its subject did is aimed at the subject
    assert target("Tom Reyes mocked the elderly widow at the hearing.", "mocked", "Loaded_Language") == "Tom Reyes"
    text = "Critics say the Harbour Authority is hiding the truth."
    assert target(text, "the Harbour Authority is hiding the truth", "Doubt") == "Harbour Authority"


def test_pronoun_in_a_quotation_is_not_its_speaker():
    text = "Tom Reyes met Sam Cole in Oslo.\n“I know he is a born liar,” Reyes said."
    assert target(text, "born liar", "Name_Calling,Labeling") == "Sam Cole"


def test_authors_own_first_person_report_is_the_authors_voice():
    text = "Mayor Ellen Ward defended the budget.\nI suggest that her plan is a reckless gamble."
    assert voice(text, "a reckless gamble").voice == "author"


def test_span_holding_a_whole_report_after_a_conjunction():
    text = "Mayor Ellen Ward praised the firefighters but warned that the drought was a looming catastrophe."
    result = voice(text, "but warned that the drought was a looming catastrophe")
    assert result.voice == "reported" and result.speaker == "Ellen Ward"


def test_report_as_the_object_of_a_preposition():
    text = "Mayor Ellen Ward spoke on Monday.\nShe pointed to the shameful neglect of the harbour."
    result = voice(text, "She pointed to the shameful neglect of the harbour")
    assert result.voice == "reported" and result.speaker == "Ellen Ward"


def test_span_with_attribution_and_a_longer_quotation_is_quoted():
    text = (
        "Mayor Ellen Ward spoke on Monday.\n"
        "Ward explains this again when she says “the harbour board has wasted every cent it was ever given, "
        "and it will waste every cent it gets next year too.”"
    )
    fragment = "she says “the harbour board has wasted every cent it was ever given, and it will waste"
    assert voice(text, fragment).voice == "quoted"


def test_pronoun_speaker_takes_the_last_naming_of_the_person():
    text = (
        "The harbour chief, Tomas Okonkwo Reyes, opened the meeting.\n"
        "Tomas said on Monday that the toll had risen.\n"
        "“It is a disgrace,” he added."
    )
    assert voice(text, "a disgrace").speaker == "Tomas"


def test_block_quotation_below_a_reporting_colon_line():
    text = (
        "Mayor Ellen Ward answered the council in a letter:\n"
        "The harbour plan is a reckless fraud.\n"
        "Nobody has read the figures.\n"
        "The council said it would reply next week."
    )
    result = voice(text, "a reckless fraud")
    assert result.voice == "quoted" and result.speaker == "Ellen Ward"
    assert voice(text, "read the figures").voice == "quoted"
    assert voice(text, "reply next week").voice == "reported"
    listed = "The plan covers three things, including:\nRepairing the reckless old pier.\n"
    assert voice(listed, "reckless old pier").voice == "author"


def test_doubt_about_a_belief_is_aimed_at_the_believer():
    from propscope.attribution import Targeter

    text = "A city planner wrongly believed the harbour was a private estate."
    regions = [(0, len(text))]
    targeter = Targeter(text, parse_regions(text, regions).paragraphs)
    fragment = "A city planner wrongly believed the harbour was a private estate"
    target = targeter.target_of(0, len(fragment), "Doubt")
    assert target is not None and target.name.endswith("planner")


def test_a_negated_reporting_verb_reports_nobody():
    text = "The council met in Northport.\nReal patriots build, they don't complain about every new bridge."
    assert voice(text, "Real patriots build, they don't complain").voice == "author"
    said = "The council met in Northport.\nMayor Ward said that the critics are cowards."
    assert voice(said, "the critics are cowards").voice == "reported"


TRANSCRIPT = (
    "The interview aired on Monday night.\n"
    "REYES: Good evening. The harbour board is a gang of thieves.\n"
    "They have wrecked the port for years.\n"
    "PRICE, HARBOUR GAZETTE: That is a reckless slander.\n"
    "The inspector said that the board was rotten to the core.\n"
    "REYES: It is the plain truth.\n"
)


@pytest.mark.parametrize(
    ("fragment", "speaker"),
    [
        ("gang of thieves", "REYES"),
        ("wrecked", "REYES"),  # an unlabelled line goes on with the turn's speaker
        ("reckless slander", "PRICE"),
        ("rotten to the core", "The inspector"),  # words the turn's speaker reports
    ],
)
def test_transcript_turns_are_quoted(fragment, speaker):
    result = voice(TRANSCRIPT, fragment)
    assert (result.voice, result.speaker) == ("quoted", speaker)


@pytest.mark.parametrize(
    ("lead", "speaker"),
    [
        (
            "Speaking to us in Northport, Ann Price, a long-serving harbour pilot and ferry campaigner, said, ",
            "Ann Price",
        ),
        ("Speaking to us in Northport, Captain Reyes, the oldest pilot on the harbour’s staff, said, ", "Reyes"),
        (
            "In a note to this paper, Sister Ann, long retired and once a pilot on the harbour’s staff, wrote, ",
            "Sister Ann",
        ),
    ],
)
def test_a_quotations_speaker_is_the_person_before_its_verb_when_the_parse_gives_no_subject(lead, speaker):
    text = f"The council met on Monday.\n{lead}“The ferry plan will ruin this town.\nIt ends the harbour.”\n"
    found = voice(text, "ruin this town")
    assert (found.voice, found.speaker) == ("quoted", speaker)


@pytest.mark.parametrize(
    ("lead", "speaker"),
    [
        ("Ann Price was told, ", None),  # a passive verb: Ann Price heard the words
        ("Tom Reyes, who had known Ann Price for years, was warned, ", None),
        ("Speaking to us in Northport, Ann Price, a harbour pilot and ally of Tom Reyes, said, ", "Ann Price"),
    ],
)
def test_no_person_before_the_verb_is_taken_for_a_listener_or_a_name_in_an_aside(lead, speaker):
    text = f"The council met on Monday.\n{lead}“The ferry plan will ruin this town.”\n"
    assert voice(text, "ruin this town").speaker == speaker


def test_it_as_a_speaker_stands_for_the_organisation_named_before():
    report = "\nIt said that the ferry union was a gang of saboteurs.\n"
    found = voice("The Harbour Authority published its review on Monday." + report, "a gang of saboteurs")
    assert (found.voice, found.speaker) == ("reported", "Authority")
    # never for a person: "it" after "Ann Price" names no one
    assert voice("Ann Price spoke on Monday." + report, "a gang of saboteurs").speaker == "It"


@pytest.mark.parametrize("pronoun", ["I", "We"])
def test_a_first_person_speaker_in_a_turn_is_the_turns_speaker(pronoun):
    text = TRANSCRIPT + f"PRICE, HARBOUR GAZETTE: {pronoun} told them, “Your ferry plan is a swindle.”\n"
    found = voice(text, "a swindle")
    assert (found.voice, found.speaker) == ("quoted", "PRICE")
    # the author's own "I" outside anyone's words stays as written
    own = f"The board met on Monday.\n{pronoun} told them, “Your ferry plan is a swindle.”\n"
    assert voice(own, "a swindle").speaker == pronoun


def test_transcript_labels_of_initials_stand_for_the_person_the_article_names():
    text = (
        "Tom Reyes spoke to Ann Price about the port.\n"
        "AP: Is the board to blame?\n"
        "TR: The harbour board is a gang of thieves.\n"
        "AP: And the mayor?\n"
        "TR: A reckless coward.\n"
    )
    assert (voice(text, "gang of thieves").speaker, voice(text, "And the mayor").speaker) == ("Tom Reyes", "Ann Price")
    assert voice(text, "reckless coward").speaker_range == (0, len("Tom Reyes"))
    # initials two people share stand for neither
    shared = text.replace("Ann Price", "Ann Price and Tom Rowe")
    assert voice(shared, "gang of thieves").speaker == "TR"


def test_transcript_labels_do_not_swallow_narration():
    assert voice(TRANSCRIPT, "aired").voice == "author"
    # headings in capitals are not speakers
    headings = "UPDATE: The board resigned in disgrace.\nWATCH: The full video of the shameful vote.\n"
    assert voice(headings, "disgrace").voice == "author"
    # labelled quotations between lines of narration: the narration stays the author's report
    text = (
        "Smith spoke to the camera.\n"
        "SMITH: “The plan is a swindle.”\n"
        "Smith explains that the council is a disgrace.\n"
        "SMITH: “They lie to everyone.”\n"
    )
    assert voice(text, "swindle").voice == "quoted"
    assert (voice(text, "disgrace").voice, voice(text, "disgrace").speaker) == ("reported", "Smith")


def test_attribution_set_off_by_commas():
    text = "Some of the new rules, Reyes told the Gazette, give reckless approval to waste."
    assert (voice(text, "reckless approval").voice, voice(text, "reckless approval").speaker) == ("reported", "Reyes")
    text = "Such a plan is a reckless gamble with the harbour, the three mayors said in a letter."
    assert voice(text, "reckless gamble").speaker == "the three mayors"
    text = "Clearly, the mayor was referring to a shabby dossier that the council paid for."
    assert voice(text, "shabby dossier").voice == "author"


#: quotations with verbs other than "said", and reports inside them
QUOTATIONS_WITH_OTHER_VERBS = [
    ("The council website reads: “Our critics are liars.”", "liars", "The council website"),
    ("Reyes wrote this week:\n“The deal is a disaster.” [emphasis added]", "disaster", "Reyes"),
    ("“We are fed up with the cowards,” one of the dockers said.", "cowards", "one of the dockers"),
    ("“The inspector said that the board was rotten,” Reyes wrote.", "rotten", "The inspector"),
    (
        "A column in the Gazette, headlined “Harbour of Shame,” blamed the mayor.",
        "Shame",
        "A column in the Gazette",
    ),
]


def test_pronoun_speaker_of_a_report_within_a_report():
    text = "A harbour worker who met the board told reporters he believes the managers are crooks."
    result = voice(text, "crooks")
    assert (result.voice, result.speaker) == ("reported", "A harbour worker")


def test_block_below_an_as_lead_in():
    text = "Reyes is not alone.\nAs Ann Price wrote last week,\nThe council is run by cowards.\n"
    result = voice(text, "cowards")
    assert (result.voice, result.speaker) == ("quoted", "Ann Price")


LABEL = "Name_Calling,Labeling"


def test_targets_of_labels_said_through_verbs_and_lists():
    assert target("Mayor Tom Reyes was shown to be a habitual liar.", "habitual liar", LABEL) == "Tom Reyes"
    text = "The deal handed the port to a rogue outfit, hostile regime, Northland."
    assert target(text, "rogue outfit", LABEL) == "Northland"
    assert target("Tom Reyes is a toxic influence on the town.", "toxic", "Loaded_Language") == "Tom Reyes"


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        (
            "Another mother, Ann Price, observed: “It bothered me.” Tom Reyes, however, shot back: “They are cowards.”",
            "cowards",
            "Tom Reyes",
        ),
        (
            "The port's manager, Ann Price, warned that the plan would be “a reckless disaster.”",
            "reckless",
            "Ann Price",
        ),
        ("Dockers and their union leaders say the report is “a shameful smear.”", "shameful", "union leaders"),
    ],
)
def test_speakers_before_a_colon_named_in_apposition_and_coordinated(text, fragment, speaker):
    result = voice(text, fragment)
    assert result.voice == "quoted"
    assert result.speaker.split()[-1] == speaker.split()[-1]


def test_embedded_tweets_are_quoted_from_their_signature():
    text = (
        "The mayor answered online.\n"
        "The harbour board are shameless crooks pic.twitter.com/abc123 — Ann Price (@annprice) July 5, 2018\n"
        "Tom Reyes replied with a reckless post:\n"
        "Big news for the harbour tonight.\n"
        "The thieves are finally gone.\n"
        "Video: https://t.co/xyz — Tom Reyes (@tomreyes) July 6, 2018\n"
    )
    first = voice(text, "shameless crooks")
    assert (first.voice, first.speaker) == ("quoted", "Ann Price")
    assert voice(text, "reckless post").voice == "author"
    # a last line of links only: the tweet runs on above it, up to the line that introduces it
    assert voice(text, "thieves").speaker == "Tom Reyes"


def test_a_tweet_of_several_lines_above_a_signature_alone_on_its_line():
    text = (
        "Councillors answered the mayor on Monday.\n"
        "Shameless grandstanding once again.\n"
        "The harbour deserves better than this circus.\n"
        "We are tired of it.\n"
        "Resign now.\n"
        "— Ann Price (@annprice) July 5, 2018\n"
    )
    found = voice(text, "Shameless grandstanding")
    assert (found.voice, found.speaker) == ("quoted", "Ann Price")
    assert voice(text, "answered the mayor").voice == "author"


def test_a_tweet_signature_dated_day_first_in_another_locale():
    text = (
        "The mayor's fireworks speech drew replies.\n"
        "Shameless grandstanding on a night for everyone — Ann Price (@annprice) 1 января 2019 г.\n"
    )
    found = voice(text, "Shameless grandstanding")
    assert (found.voice, found.speaker) == ("quoted", "Ann Price")


def test_what_a_quoted_speaker_says_others_think_is_still_their_words():
    text = "“Some rival councils thought that the harbour would collapse into ruin,” Reyes said."
    result = voice(text, "collapse into ruin")
    assert (result.voice, result.speaker) == ("quoted", "Reyes")


def test_transcript_with_names_in_title_case_but_not_headings():
    text = (
        "Harbour Scandal: The Hearing\n"
        "The lawyer questioned the clerk.\n"
        "Lawyer: Why did the ledger vanish?\n"
        "Clerk: I am only a humble servant of the board.\n"
        "Lawyer: That is a shameless dodge.\n"
        "Judge: The witness is being evasive.\n"
    )
    assert voice(text, "shameless dodge").speaker == "Lawyer"
    assert voice(text, "humble servant").speaker == "Clerk"
    assert voice(text, "evasive").speaker == "Judge"  # named once, among the other turns
    assert voice(text, "Harbour Scandal").voice == "author"
    assert voice(text, "questioned").voice == "author"


def test_naming_with_as_reports_the_label():
    text = "Ann Price has fallen out with Tom Reyes, whom she now criticises as a reckless meddler."
    assert voice(text, "reckless meddler").voice == "reported"
    assert voice("The plan has been criticised as a cynical swindle.", "cynical swindle").voice == "reported"


def test_pronoun_after_a_name_in_apposition_to_the_subject():
    text = (
        "Tom Reyes runs the port.\n"
        "“They are crooks,” Price’s cousin, Ann Price, told the Gazette.\n"
        "“They stole everything,” she added."
    )
    assert voice(text, "stole everything").speaker == "Ann Price"


def test_block_below_a_lead_in_that_ends_with_an_ellipsis():
    text = (
        "The harbour row went on.\n"
        "The following comes from a letter in which Ann Price shared her story…\n"
        "I could not sleep.\n"
        "I felt cheated by the whole rotten board.\n"
    )
    assert (voice(text, "rotten board").voice, voice(text, "rotten board").speaker) == ("quoted", "Ann Price")


def test_accused_of_reports_an_accusation():
    result = voice("Tom Reyes, 40, is accused of swindling the harbour fund.", "swindling")
    assert (result.voice, result.speaker) == ("reported", None)


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        ("Several dockers of the northern wharf said the plan was a reckless gamble.", "reckless gamble", "wharf"),
        ("The chair of the board, Ann Price, has called the plan “a swindle.”", "swindle", "Ann Price"),
        ("According to the minister, he thinks the dockers are lazy.", "lazy", "the minister"),
        (
            "Port officials have said the risk is low, but they also said no ship is safe.",
            "no ship is safe",
            "officials",
        ),
        ("Ann Price has harsh words for Tom Reyes:\n“He is a coward.”", "coward", "Ann Price"),
        ("“This case was used to foment hate,” added defence lawyer Tom Reyes.", "foment hate", "Tom Reyes"),
        (
            "The worst of it is the Harbour Herald, a paper that calls the dockers “lazy thieves.”",
            "lazy thieves",
            "Harbour Herald",
        ),
        ("The mayor has stood by Reyes, dismissing the dockers as “lazy louts” on Monday.", "lazy louts", "The mayor"),
        ("Price joked that the board cannot count because “they are all empty suits.”", "empty suits", "Price"),
        (
            "“The Gazette said he was told by the board that the strike is a reckless stunt,” Reyes wrote.",
            "stunt",
            "the board",
        ),
        ("“The tolls are a scandal,” a spokeswoman for the ferry union said.", "scandal", "ferry union"),
        ("A statement from the harbour trust called the bridge “a vanity project.”", "vanity", "harbour trust"),
        ("“The tolls are a scandal,” a spokeswoman said on Monday.", "scandal", "a spokeswoman"),
    ],
)
def test_speakers_named_by_phrases_appositions_naming_verbs_and_hidden_by_the_parse(text, fragment, speaker):
    assert voice(text, fragment).speaker.split()[-1] == speaker.split()[-1]


def test_a_quotation_that_ends_its_sentence_is_not_given_to_the_next_one():
    text = (
        "The harbour master went further: “Reyes has let the port rot.\n"
        "The town deserves better.” In reply, Tom Reyes, the opposition leader, said the master was a coward."
    )
    assert voice(text, "let the port rot").speaker == "The harbour master"


def test_a_quotation_with_no_verb_takes_the_source_named_by_according_to():
    text = "The risk of a collapse is “very high,” according to port engineers, and the bridge may close."
    assert voice(text, "very high").speaker == "port engineers"
    named = "According to the Union of Drivers, the tax is a shameful assault on working families."
    assert voice(named, "shameful assault").speaker == "the Union of Drivers"


@pytest.mark.parametrize("title", ["Sen.", "the Rev."])
def test_a_name_cut_after_its_title_by_the_line_break(title):
    text = f"“The deal was a betrayal,” said {title}\nAnn Price, the senator for the coast."
    assert voice(text, "betrayal").speaker == "Ann Price"


def test_a_speaker_written_with_a_hyphen_is_the_whole_word_and_the_phrase_after_it():
    text = "“The levy is a swindle,” said the co-founder of DockWatch who has sued the port twice."
    result = voice(text, "swindle")
    assert result.speaker == "the co-founder of DockWatch"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“The levy is a swindle,” said Ann Price of the Harbour Trust.", "Ann Price of the Harbour Trust"),
        (
            "A spokesman for the port named Tom Reyes said the levy was a swindle.",
            "A spokesman for the port named Tom Reyes",
        ),
        (
            "“The levy is a swindle,” said the co-founder of the Harbour Gazette who has sued the port twice.",
            "the co-founder of the Harbour Gazette",
        ),
    ],
)
def test_a_speaker_runs_through_the_phrase_that_says_who_is_meant_but_not_a_relative_clause(text, speaker):
    assert voice(text, "swindle").speaker == speaker


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The union’s chair Ann Price writes:\n"
            "The reckless board is furious, now that Tom Reyes has been confirmed as harbour master.\n",
            ("quoted", "Ann Price"),
        ),
        (
            "Here’s the Gazette’s Ann Price explaining:\nThe harbour is at a low point.\nThe reckless board did it.",
            ("quoted", "Ann Price"),
        ),
        (
            "Here’s the crux of Price’s argument:\nThe harbour is at a low point.\nThe reckless board did it.",
            ("quoted", "Price"),
        ),
        # "so-called" in the block is the writer's scorn, not narration that ends the block
        ("The mayor wrote:\n\nThe so-called experts are the reckless board’s friends.\n", ("quoted", "The mayor")),
        # a heading above a list, or an account of what someone did, presents no one's words
        (
            "Here is a timeline of the Reyes affair:\nThe harbour is at a low point.\nThe reckless board did it.",
            ("author", None),
        ),
        (
            "Over the last year (2024 to 2025):\nThe reckless board spent twice as much.\nThe port lost money.",
            ("author", None),
        ),
    ],
)
def test_words_set_off_below_a_line_that_presents_them_are_quoted(text, expected):
    result = voice(text, "reckless board")
    assert (result.voice, result.speaker) == expected


@pytest.mark.parametrize(
    "text",
    [
        "You might think the reckless board would learn.",
        "One might ask whether the reckless board has learned.",
        "No reasonable person can believe that the reckless board has learned.",
        "No one can believe that the reckless board has learned.",
        "It is fair to say the reckless board has learned nothing.",
        "It is still to be confirmed whether the reckless board has learned.",
    ],
)
def test_what_anyone_at_all_might_say_is_the_authors_voice(text):
    assert voice(text, "reckless board").voice == "author"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The union published a report. It went on to say that the reckless board lied.", "It"),
        ("One of them said that the reckless board lied.", "One of them"),
    ],
)
def test_something_that_reports_and_one_of_a_group_still_say_it(text, speaker):
    result = voice(text, "reckless board")
    assert (result.voice, result.speaker) == ("reported", speaker)


def test_a_quotation_resumed_after_its_attribution_keeps_that_speaker():
    text = (
        "“They called my case criminal,” Reyes told the Gazette, referring to the port police, "
        "“but the reckless board walks free.\nIt is a disgrace.” Price said that a notice of the suit was filed."
    )
    assert (voice(text, "reckless board").speaker, voice(text, "disgrace").speaker) == ("Reyes", "Reyes")


def test_targets_of_what_someone_is_accused_of_and_of_qualified_nouns():
    text = "In the letter, Price accuses Tom Reyes of doing the dirty work for the board."
    assert target(text, "doing the dirty work", "Loaded_Language") == "Tom Reyes"
    text = "The vote was delayed by Northland temper tantrums in the council."
    assert target(text, "temper tantrums", "Loaded_Language") == "Northland"


def test_an_opening_as_clause_names_the_source_of_its_sentence():
    text = "As reported by the Harbour Gazette, the recent reckless closure was the last straw for the town."
    result = voice(text, "reckless closure")
    assert (result.voice, result.speaker) == ("reported", "the Harbour Gazette")
    later = "The dockers gave the yard away, as they cheered the new owners from the reckless north."
    assert voice(later, "reckless north").voice == "author"
    titled = "As the political scientist Richard Holm said, political elites are constantly judging the reckless mayor."
    assert voice(titled, "reckless mayor").speaker == "the political scientist Richard Holm"


def test_words_after_a_reporting_colon_on_the_same_line_are_quoted():
    text = "The Gazette added: the council has been swamped with furious letters for months."
    result = voice(text, "swamped")
    assert (result.voice, result.speaker) == ("quoted", "Gazette")
    assert voice("The plan has one flaw: the reckless cost.", "reckless cost").voice == "author"


def test_targets_of_labels_in_a_list_of_appositions_and_before_a_name():
    text = "Tom Reyes, the party's icon and former bag man, spoke in Northport."
    assert target(text, "bag man", LABEL) == "Tom Reyes"
    text = "The mayor referred to harbour chief Ann Price as a “scheming fraud.”"
    assert target(text, "scheming fraud", LABEL) == "Ann Price"


def test_findings_are_reported():
    text = "Port inspectors found the harbour ledger had been cooked by crooked clerks."
    result = voice(text, "crooked clerks")
    assert (result.voice, result.speaker) == ("reported", "Port inspectors")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # the adjective after the head and the phrase that completes it say who is meant
        ("Those familiar with the harbour say the deal is a reckless giveaway.", "Those familiar with the harbour"),
        (
            "A source close to the ferry board said the deal was a reckless giveaway.",
            "A source close to the ferry board",
        ),
        ("Those familiar say the deal is a reckless giveaway.", "Those familiar"),
        # "one of …" picks people out, as "for the union" would
        (
            "A lawyer for one of the dockers said the deal was a reckless giveaway.",
            "A lawyer for one of the dockers",
        ),
    ],
)
def test_subject_mentions_with_an_adjective_after_the_head(text: str, speaker: str):
    assert voice(text, "reckless giveaway").speaker == speaker


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a lead-in that ends with a comma reports the words below it
        (
            "The harbour chief Ann Price said in a statement on Tuesday,\n"
            "The mayor's reckless decision put my crews at risk.\n"
            "The council met again on Friday.\n",
            ("reported", "Ann Price"),
        ),
        # a line that hands an excerpt to a source: its paragraphs narrate, as reports do
        (
            "Harbour news\n\nThe board met again on Monday.\nThe Harbour Gazette reports:\n"
            "Councillor Ann Price called on Sunday for the board to resign.\n"
            "The mayor's reckless decision sold the ferry in March.\n",
            ("quoted", "The Harbour Gazette"),
        ),
    ],
)
def test_block_below_a_lead_in_that_ends_with_a_comma_or_hands_it_to_a_source(text, expected):
    result = voice(text, "reckless decision")
    assert (result.voice, result.speaker) == expected


PIECES = [
    "Reyes",
    "Ann Price",
    "the board",
    "said",
    "told reporters",
    "according to",
    "added:",
    "wrote,",
    "he",
    "they",
    "who",
    "is a",
    "reckless",
    "fraud",
    "“",
    "”",
    '"',
    "‘",
    "’",
    "«",
    "»",
    ":",
    ",",
    ".",
    "…",
    "\n",
    "\n\n",
    "REYES:",
    "Price:",
    "As reported by",
    "accused of",
    "found that",
    "— Ann Price (@price) July 5, 2018",
    "Sen.",
    "of the",
    "calls them",
    "(",
    ")",
    "[",
    "]",
    "–",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40), st.data())
def test_any_text_and_span_gets_a_voice_and_maybe_a_target_without_error(pieces, data):
    from propscope.attribution import VOICES, Targeter

    text = " ".join(pieces)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    paragraphs = parse_regions(text, [(0, len(text))]).paragraphs
    found = article_attributor(text, paragraphs).voice_of(start, end)
    assert found.voice in VOICES
    if found.speaker_range is not None:
        assert 0 <= found.speaker_range[0] < found.speaker_range[1] <= len(text)
    technique = data.draw(st.sampled_from(["Name_Calling,Labeling", "Loaded_Language", "Doubt"]))
    target = Targeter(text, paragraphs).target_of(start, end, technique)
    if target is not None:
        assert 0 <= target.start < target.end <= len(text)


def test_passive_reports_and_reports_by_a_subject_put_in_the_passive():
    text = "The old custom is said to be a major cause of the reckless spread."
    assert voice(text, text.rstrip(".")).voice == "reported"
    text = "Ten harbour towns were put on alert, warning that a reckless flood could come at any time."
    assert voice(text, "a reckless flood could come at any time").speaker.endswith("harbour towns")
    text = "Port officials suspect the fire was no accident but reckless arson."
    assert voice(text, "reckless arson").speaker == "Port officials"


def test_hypothetical_sayers_report_nobody():
    text = "Does anyone really think the harbour will be better off with reckless crooks in charge?"
    assert voice(text, "reckless crooks").voice == "author"


def test_a_person_named_on_the_pronouns_line_beats_an_earlier_subject():
    text = (
        "Tom Reyes posted a clip of a rally on Monday.\n"
        "During the clip, the crowd cheers for Ann Price. She says, “The board are crooks.”\n"
    )
    assert voice(text, "crooks").speaker == "Ann Price"


HEADLINE_BODY = (
    "\n\nThe senator, Ann Price, spoke on Monday. Tom Reyes, the mayor, said the ferry deal was done. "
    "Price said the Harbour Board should resign."
)


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        *QUOTATIONS_WITH_OTHER_VERBS,
        # whoever says a long quotation is not inside it, however the parse ties its clauses
        (
            "The letter was blunt.\n"
            "“The harbour has been neglected for years.\n"
            "The docks are crumbling, the cranes are idle, the ferries are late and the tolls keep rising"
            " for every family in the town,” the dockers wrote in their letter.",
            "crumbling",
            "the dockers",
        ),
        # "it" and "this" inside a quotation report no one
        (
            "“If the council raises the tolls again, it tells us that the town is run by crooks,” Ann Price said.",
            "run by crooks",
            "Ann Price",
        ),
        # words owned by someone are theirs
        ("Reyes’s history of remarks includes calling the dockers “lazy thieves.”", "lazy thieves", "Reyes"),
        # a quotation in a title-case headline is said by the first person it names
        (
            "Senator Ann Price Slams Harbour Board For “Reckless Giveaway” Of The Docks" + HEADLINE_BODY,
            "Reckless Giveaway",
            "Ann Price",
        ),
        ("Mayor Tom Reyes Blasts “Shameful” Ferry Deal" + HEADLINE_BODY, "Shameful", "Tom Reyes"),
        ("Mayor Éric Durand Blasts “Shameful” Ferry Deal\n\nÉric Durand, the mayor, spoke.", "Shameful", "Éric Durand"),
        # a name from the headline keeps its capitals when a pronoun stands for it
        (
            "Senator Ann Price Warns Voters About Rising Costs\n“This is a scandal,” she told reporters.",
            "scandal",
            "Ann Price",
        ),
    ],
)
def test_speakers_of_quotations_with_other_verbs_and_the_ones_the_parse_misleads(text, fragment, speaker):
    result = voice(text, fragment)
    assert (result.voice, result.speaker) == ("quoted", speaker)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("He got a new reckless cap signed by the mayor herself, reported The Harbour Gazette.", "The Harbour Gazette"),
        ("The harbour deal was a reckless swindle, wrote the Gazette in an editorial on Monday.", "Gazette"),
        ("He sat down at the reckless desk, wrote a letter to the board.", None),
    ],
)
def test_an_attribution_after_its_report_whose_speaker_the_parse_takes_for_an_object(text, speaker):
    result = voice(text, "reckless")
    assert (result.voice, result.speaker) == ("reported" if speaker else "author", speaker)


def test_a_title_case_headline_is_parsed_as_a_sentence_and_keeps_its_words_as_written():
    headline = "Mayor Tom Reyes Blasts “Shameful” Ferry Deal"
    text = "\n" + headline + HEADLINE_BODY
    docs = parse_regions(text, [(0, len(text))]).paragraphs
    offset, parsed = headline_parse(docs, parse_layout(text).title_range)
    assert (offset, parsed.text) == (1, headline)
    blasts = parsed[3]
    assert (blasts.text, blasts.pos_, blasts.dep_) == ("Blasts", "VERB", "ROOT")
    assert [(e.text, e.label_) for e in parsed.ents] == [("Tom Reyes", "PERSON")]
    sentence_case = "The mayor blasts a “shameful” ferry deal" + HEADLINE_BODY
    docs = parse_regions(sentence_case, [(0, len(sentence_case))]).paragraphs
    assert headline_parse(docs, parse_layout(sentence_case).title_range) is None
    assert headline_parse(docs, None) is None


def test_a_second_quotation_in_a_paragraph_goes_on_with_its_speaker_not_the_headline_above():
    text = (
        "Mayor Slams Critics Over Harbour Plan\n\n"
        "The harbour mayor, Ellen Ward, hit back at her critics on Monday. "
        "“These cowards want the docks to rot,” she said. “Only a fool would trust their sums.”\n"
    )
    result = voice(text, "Only a fool")
    assert result.voice == "quoted" and result.speaker == "Ellen Ward"
    # a quotation that opens its paragraph below a reporting line is still that line's
    lead = "Mayor Ellen Ward told the council:\n“Only a fool would trust their sums.”\n"
    assert voice(lead, "Only a fool").speaker == "Ellen Ward"


@pytest.mark.parametrize(
    "text",
    [
        "She said “the harbour ‘deal’ is a theft” and left.\n“It never ends",
        "“One,” he said. “Two, ‘three,’ four.” Then «five» and “six",
        "No quotation marks at all in this line.",
    ],
)
def test_inside_quote_agrees_with_a_look_at_every_quotation(text):
    attributor = article_attributor(text, parse_regions(text, [(0, len(text))]).paragraphs)
    for position in range(len(text)):
        expected = any(q.start <= position < q.end for q in attributor.quotes)
        assert attributor.inside_quote(position) == expected


@pytest.mark.parametrize("surname", ["Houston", "Paris", "Georgia"])
def test_a_surname_tagged_as_a_place_still_names_the_person(surname):
    text = (
        f"Title line\n\nMayor Bob Hale invited Tom {surname} to the gala.\n"
        f"During the dinner, {surname} repeatedly calls the councillors “thieves.” He adds, “They steal from everyone.”\n"
    )
    assert voice(text, "steal from everyone").speaker == surname


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        (
            "When the tolls rose, a column by Ann Price (of ferry-strike fame) slammed the plan as a “disaster”.",
            "disaster",
            "a column by Ann Price",
        ),
        (
            "A report by the Harbour Gazette (the island's oldest paper) said the toll was “daylight robbery”.",
            "daylight robbery",
            "A report by the Harbour Gazette",
        ),
    ],
)
def test_a_speaker_mention_ends_before_an_aside_in_brackets(text, fragment, speaker):
    assert voice(f"Title line\n\n{text}\n", fragment).speaker == speaker


def parsed_doc(parsed: list[tuple[str, str, str, str, int]], text: str | None = None, ents: list[str] | None = None):
    """A Doc of (word, part of speech, tag, dependency, head index) rows: a parse the small
    model gave in a real article, which sentences of our own do not reproduce. With ``text``,
    the words are spaced as there; ``ents`` are IOB entity tags ("B-PERSON")."""
    import spacy
    from spacy.tokens import Doc

    words, pos, tags, deps, heads = (list(column) for column in zip(*parsed, strict=True))
    spaces = None
    if text is not None:
        at, spaces = 0, []
        for word in words:
            at = text.index(word, at) + len(word)
            spaces.append(text[at : at + 1] == " ")
    lemmas = [{"said": "say"}.get(word, word.lower()) for word in words]
    vocab = spacy.blank("en").vocab
    return Doc(vocab, words=words, spaces=spaces, pos=pos, tags=tags, deps=deps, heads=heads, lemmas=lemmas, ents=ents)


def test_a_reporting_verb_whose_subject_the_parse_took_for_an_apposition():
    from propscope.attribution.grammar import subject_of

    # the small model's parse of such a sentence in a real article: "office" hangs on
    # "accusation" as an apposition, and "said" has no subject
    parsed = [
        ("In", "ADP", "IN", "prep", 7),
        ("a", "DET", "DT", "det", 2),
        ("statement", "NOUN", "NN", "pobj", 0),
        ("after", "ADP", "IN", "prep", 2),
        ("the", "DET", "DT", "det", 5),
        ("ruling", "NOUN", "NN", "pobj", 3),
        ("office", "NOUN", "NN", "appos", 5),
        ("said", "VERB", "VBD", "ROOT", 7),
        ("it", "PRON", "PRP", "nsubj", 9),
        ("lied", "VERB", "VBD", "ccomp", 7),
    ]
    doc = parsed_doc(parsed)
    assert subject_of(doc[7]).text == "office"
    assert subject_of(doc[9]).text == "it"


@pytest.mark.parametrize("description", ["an outspoken Remainer himself", "an avowed Brexiteer himself"])
def test_a_description_in_apposition_is_not_a_name_for_he(description):
    text = (
        "Title line\n\nMayor Bob Hale opened the fair.\n"
        f"Tom Reyes, {description}, earlier called for a second vote.\n"
        '"The council\'s abject failure means a fresh say is the only way," he said in May.\n'
    )
    assert voice(text, "abject failure").speaker == "Tom Reyes"


def test_a_name_set_off_after_another_is_the_speaker():
    from propscope.attribution.grammar import subject_of

    # the small model's parse in a real article: the name is a second subject of "said"
    parsed = [
        ("Another", "PRON", "DT", "nsubj", 5),
        (",", "PUNCT", ",", "punct", 5),
        ("Sir", "PROPN", "NNP", "compound", 4),
        ("Tom", "PROPN", "NNP", "compound", 4),
        ("Reyes", "PROPN", "NNP", "nsubj", 5),
        ("said", "VERB", "VBD", "ROOT", 5),
    ]
    assert subject_of(parsed_doc(parsed)[5]).text == "Reyes"
    text = (
        "Title line\n\n“It is a shambles,” one councillor told the Gazette.\n"
        "Another, Tom Reyes, told reporters: “We have reached the stage where nobody knows what is going on.”\n"
    )
    assert voice(text, "nobody knows what is going on").speaker == "Tom Reyes"


def test_they_after_a_quotation_stands_for_the_people_named_together_before_it():
    text = (
        "Title line\n\nCouncillors Bob Hale and Ann Price criticised the port board on Monday.\n"
        "“The board keeps pretending that its own forecasts will come true,” they added.\n"
    )
    # not "forecasts", the subject inside the quotation
    assert voice(text, "keeps pretending").speaker == "Bob Hale and Ann Price"


def test_a_name_the_small_model_left_untagged_still_names_the_person_for_a_pronoun():
    from propscope.attribution import Attributor

    # the parse of a real article: the possessive "Tom May's" is tagged as no entity (the
    # small model reads "May" as a month), though "Tom May" is a person elsewhere
    paragraphs = [
        (
            "Despite Tom May’s attempts, the plan failed.",
            [
                ("Despite", "ADP", "IN", "prep", 8),
                ("Tom", "PROPN", "NNP", "compound", 2),
                ("May", "PROPN", "NNP", "poss", 4),
                ("’s", "PART", "POS", "case", 2),
                ("attempts", "NOUN", "NNS", "pobj", 0),
                (",", "PUNCT", ",", "punct", 8),
                ("the", "DET", "DT", "det", 7),
                ("plan", "NOUN", "NN", "nsubj", 8),
                ("failed", "VERB", "VBD", "ROOT", 8),
                (".", "PUNCT", ".", "punct", 8),
            ],
            None,
        ),
        (
            "He said it could not “become permanent”.",
            [
                ("He", "PRON", "PRP", "nsubj", 1),
                ("said", "VERB", "VBD", "ROOT", 1),
                ("it", "PRON", "PRP", "nsubj", 6),
                ("could", "AUX", "MD", "aux", 6),
                ("not", "PART", "RB", "neg", 6),
                ("“", "PUNCT", "``", "punct", 6),
                ("become", "VERB", "VB", "ccomp", 1),
                ("permanent", "ADJ", "JJ", "acomp", 6),
                ("”", "PUNCT", "''", "punct", 6),
                (".", "PUNCT", ".", "punct", 1),
            ],
            None,
        ),
        (
            "Tom May resigned.",
            [
                ("Tom", "PROPN", "NNP", "compound", 1),
                ("May", "PROPN", "NNP", "nsubj", 2),
                ("resigned", "VERB", "VBD", "ROOT", 2),
                (".", "PUNCT", ".", "punct", 2),
            ],
            ["B-PERSON", "I-PERSON", "O", "O"],
        ),
    ]
    text = "\n".join(paragraph for paragraph, _, _ in paragraphs)
    docs, offset = [], 0
    for paragraph, parsed, ents in paragraphs:
        docs.append((offset, parsed_doc(parsed, paragraph, ents)))
        offset += len(paragraph) + 1
    start = text.index("become permanent")
    assert Attributor(text, [(0, len(text))], docs).voice_of(start, start + len("become permanent")).speaker == "May"


@pytest.mark.parametrize(
    "sentence",
    [
        "Leader of the harbour board, Ann Price, has told Harbour FM’s Breakfast show that the toll is a "
        "swindle run by crooks, insisting it must go.",
        "Chair of the port trust, Ann Price, has told Seaside Radio 2’s Breakfast programme that the toll is a "
        "swindle run by crooks.",
    ],
)
def test_a_that_clause_the_parse_hangs_on_the_object_of_told_is_reported(sentence):
    found = voice(f"Title line\n\n{sentence}\n", "swindle run by crooks")
    assert (found.voice, found.speaker) == ("reported", "Ann Price")


@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ("Mayor Ann Price accepted that the chance of a deal was slim and the talks were a farce.", "a farce"),
        ("Mayor Ann Price assumes the board would rather wreck the port than admit its blunder.", "wreck the port"),
        ("Mayor Ann Price reaffirmed that the toll was a swindle.", "a swindle"),
        # verbs of knowing report a belief
        ("Mayor Ann Price knows that the harbour board is rotten to the core.", "rotten to the core"),
        ("Mayor Ann Price realised the toll was a swindle dreamt up by crooks.", "a swindle"),
        ("Mayor Ann Price understands that the ferry plan is a death trap.", "a death trap"),
        # a stance with a "that" clause reports it
        ("Mayor Ann Price expressed concern that the bridge was a death trap.", "a death trap"),
        ("Mayor Ann Price has voiced fury that the toll would bleed the town dry.", "bleed the town dry"),
        ("Mayor Ann Price reiterated her confidence that the board would run a thorough review.", "thorough review"),
        # a span that holds the whole report, subject and all
        (
            "Mayor Ann Price reiterated her confidence that the board would run a thorough review.",
            "Ann Price reiterated her confidence that the board would run a thorough review",
        ),
    ],
)
def test_verbs_of_conceding_assuming_knowing_and_stance_report(sentence, fragment):
    found = voice(f"Title line\n\n{sentence}\n", fragment)
    assert (found.voice, found.speaker) == ("reported", "Ann Price")


@pytest.mark.parametrize(
    "sentence",
    [
        '"A ferry that sails late is better than a ferry that never sails," May said.',
        '"The harbour will be in a mess if this toll plan fails," May warned in a radio interview.',
    ],
)
def test_may_as_a_speaker_is_not_a_modal_verb(sentence):
    text = f"Title line\n\nPrime Minister Ann May spoke on Monday.\n{sentence}\n"
    found = voice(text, sentence[1:20])
    assert (found.voice, found.speaker) == ("quoted", "May")


def test_single_quotation_marks_nested_and_reopened_as_british_pages_write_them():
    text = (
        "Title line\n\n"
        "'The board must not give the mayor any 'early look' at the audit,' the councillors said.\n"
        "'The public deserve the whole truth.\n"
        "Anything less is a cover-up,' they said.\n"
        "Mayor Ann Price spoke to reporters on Monday: 'The audit was rushed.\n"
        "'It was a stitch-up from the start.\n"
        "'Both of those reports are shameful.'\n"
        "The board has not replied.\n"
    )
    for fragment, speaker in [
        ("at the audit", "the councillors"),  # the outer quotation goes on after the inner one
        ("whole truth", "they"),  # the next quotation opens where it should, not at the inner marks
        ("a cover-up", "they"),
        ("a stitch-up", "Ann Price"),  # a line that opens with the mark goes on with the quotation
        ("shameful", "Ann Price"),
    ]:
        found = voice(text, fragment)
        assert (found.voice, found.speaker) == ("quoted", speaker), fragment
    assert voice(text, "has not replied").voice == "author"


def test_a_closing_single_mark_without_its_opening_opens_nothing():
    text = (
        "Title line\n\n"
        "The toll is a disgrace, he has a conflict of interest,' Price went on.\n"
        "'It is really shameful that he would touch this.'\n"
        "The harbour board called the claims baseless.\n"
    )
    assert voice(text, "really shameful").voice == "quoted"
    assert voice(text, "called the claims baseless").voice == "author"


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        # the month is no naming of Ann May
        (
            "Prime Minister Ann May spoke on Monday.\nLiz Hale gave a speech on the harbour.\n"
            "The vote is set for May.\n'The plan is a shambles,' she said.",
            "a shambles",
            "Liz Hale",
        ),
        # a first name is no person's naming: the state stays a place
        (
            "Singer Georgia Brown opened the fair.\nSenator Tom Reyes spoke next.\n"
            "Georgia then passed the law.\n'The toll is a swindle,' he said.",
            "a swindle",
            "Tom Reyes",
        ),
        # a verb of assuming inside a quotation is the quoted speaker's own thought
        ("'Some rival councils assumed that the harbour would collapse into ruin,' Reyes said.", "collapse", "Reyes"),
        # "she" of Ann Price alone leaves the two named together for "they"
        (
            "Ann Price said she would fight the toll.\n"
            "Councillors Bob Hale and Ann Price criticised the port board on Monday.\n"
            "“The board keeps pretending that its own forecasts will come true,” they added.",
            "keeps pretending",
            "Bob Hale and Ann Price",
        ),
    ],
)
def test_namings_that_are_not_and_speakers_together(text, fragment, speaker):
    assert voice(f"Title line\n\n{text}\n", fragment).speaker == speaker


@pytest.mark.parametrize(
    "sentence",
    ["The mayor denied the claim that the toll was a swindle.", "Reyes answered the charge that he was a crook."],
)
def test_a_claim_someone_answers_is_not_their_report(sentence):
    fragment = "a swindle" if "swindle" in sentence else "a crook"
    assert voice(f"Title line\n\n{sentence}\n", fragment).voice == "author"


@pytest.mark.parametrize(
    ("sentence", "fragment", "expected"),
    [
        (
            "A new survey showed that most islanders want the toll scrapped as a racket.",
            "a racket",
            ("reported", "survey"),
        ),
        ("Polls indicate that the mayor's plan is a disaster for the harbour.", "a disaster", ("reported", "Polls")),
        ("The video shows that the mayor's plan is a disaster for the harbour.", "a disaster", ("author", None)),
    ],
)
def test_what_polls_and_surveys_show_is_their_report(sentence, fragment, expected):
    found = voice(f"Title line\n\n{sentence}\n", fragment)
    assert (found.voice, found.speaker and found.speaker.split()[-1]) == expected


@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ("Only God knows how much the crooks were paid for the harbour.", "God knows how much"),
        ("You need not be an admiral to know that the ferry plan is a death trap.", "a death trap"),
        ("Sailors deserve to know the shameful truth about the harbour board.", "shameful truth"),
    ],
)
def test_knowing_without_anyone_who_knows_reports_nothing(sentence, fragment):
    assert voice(f"Title line\n\n{sentence}\n", fragment).voice == "author"


def test_the_second_object_of_deem_is_the_subjects_judgement():
    text = "Title line\n\nMayor Ann Price often scolded reporters for questions she deemed overly hostile.\n"
    found = voice(text, "overly hostile")
    assert (found.voice, found.speaker) == ("reported", "Ann Price")


PAGE_OWN_LINES = "\n".join(
    [
        "Editor's note: the harbour board has kept its ferry plans from the town for a year.",
        "We have asked the board about the plans many times and heard nothing back.",
        "Many readers have written to us about the toll on the bridge.",
        "The toll has doubled since the spring.",
        "Fishermen say the new pier is too short for their boats.",
        "The council meets again on Monday.",
        "We print below a text that reached us this week.",
    ]
)


def test_a_letter_reprinted_below_the_page_is_the_signers():
    letter = "\n".join(
        [
            "Bishop Ann Price's letter to all who live by the harbour",
            "May 5, 2026",
            "Dear friends of the harbour,",
            "The harbour board has betrayed every family in this town.",
            "I will not be silent while the ferries are sold to crooks.",
            "Sincerely yours,",
            "Most Rev.",
            "Ann Price",
            "Bishop of Northport",
            "The board did not answer our questions about the letter.",
        ]
    )
    text = f"Harbour letter\n\n{PAGE_OWN_LINES}\n{letter}\n"
    found = voice(text, "betrayed every family")
    assert (found.voice, found.speaker) == ("quoted", "Ann Price")
    assert voice(text, "sold to crooks").voice == "quoted"
    assert voice(text, "kept its ferry plans").voice == "author"
    assert voice(text, "did not answer our questions").voice == "author"


@pytest.mark.parametrize("title", ["Mayor", "Archbishop"])
def test_an_address_below_its_heading_is_the_speakers(title):
    address = "\n".join(
        [f"The {title} Speaks", "Ladies and Gentlemen:", "The board has sold this harbour for a pittance."]
    )
    found = voice(f"Harbour address\n\n{PAGE_OWN_LINES}\n{address}\n", "sold this harbour for a pittance")
    # the speaker ends before the verb, which a title-case name may take in
    assert (found.voice, found.speaker) == ("quoted", f"The {title}")


def test_an_article_reprinted_under_a_byline_is_its_writers():
    article = "\n".join(["Ten Ways to Save the Harbour", "By Dana Reyes", "The board is a gang of wreckers."])
    found = voice(f"Harbour article\n\n{PAGE_OWN_LINES}\n{article}\n", "a gang of wreckers")
    assert (found.voice, found.speaker) == ("quoted", "Dana Reyes")


@pytest.mark.parametrize(
    "opening",
    [
        "By Dana Reyes",  # the page's own byline
        "Dear readers,",  # the page's own letter to its readers
    ],
)
def test_a_byline_or_greeting_near_the_top_is_the_pages_own(opening):
    text = f"Harbour article\n\n{opening}\n{PAGE_OWN_LINES}\nThe board is a gang of wreckers.\n"
    assert voice(text, "a gang of wreckers").voice == "author"


def test_an_article_handed_to_another_outlet_below_the_page_is_the_outlets():
    text = f"Harbour article\n\n{PAGE_OWN_LINES}\nFrom the Harbour Gazette:\nThe board is a gang of wreckers.\n"
    found = voice(text, "a gang of wreckers")
    assert (found.voice, found.speaker) == ("quoted", "the Harbour Gazette")


@pytest.mark.parametrize(
    ("lead", "source"),
    [
        ("According to Dana Reyes:", "Dana Reyes"),
        ("According to the Harbour Gazette:", "the Harbour Gazette"),
        # the source of the report is not the speaker of the quotation
        ("According to the Harbour Gazette, in 2019 Dana Reyes wrote:", "Dana Reyes"),
    ],
)
def test_a_quotation_after_according_to_and_a_colon_is_the_sources(lead, source):
    text = f"Title line\n\nThe board met on Monday.\n{lead} “The board is a gang of wreckers.”\n"
    found = voice(text, "a gang of wreckers")
    assert (found.voice, found.speaker) == ("quoted", source)


@pytest.mark.parametrize(
    "sentence",
    [
        "The timid harbour master, Dana Reyes, has grovelled to the board again.",
        "Dana Reyes, the timid harbour master, has grovelled to the board again.",
    ],
)
def test_a_target_described_beside_its_name_goes_by_the_name(sentence):
    assert target(sentence, "grovelled", "Loaded_Language") == "Dana Reyes"


@pytest.mark.parametrize(
    ("below", "signer"),
    [
        # a closing without a signature: the page's own sentence below it signs nothing
        ("Sincerely,\nMayor Tom Hale said the letter was a pack of lies.", None),
        ("Regards,\nAnn Price\nThe board did not reply to our questions.", "Ann Price"),
        ("Sincerely, Ann Price\nThe board did not reply to our questions.", "Ann Price"),
    ],
)
def test_a_letters_signature_is_a_short_line_below_its_closing(below, signer):
    letter = f"Dear friends,\nThe board is a gang of wreckers.\n{below}"
    text = f"Harbour letter\n\n{PAGE_OWN_LINES}\n{letter}\n"
    found = voice(text, "a gang of wreckers")
    assert (found.voice, found.speaker) == (("quoted", signer) if signer else ("author", None))
    if signer:
        assert voice(text, "did not reply").voice == "author"


@pytest.mark.parametrize(
    "heading",
    [
        "The harbour master, Tom Hale, called it “a disgrace.”",  # a sentence of the page's own
        "The whole of that letter appears below",  # no one's words announced
    ],
)
def test_a_line_above_a_greeting_that_names_no_writer_is_no_heading(heading):
    text = f"Harbour letter\n\n{PAGE_OWN_LINES}\n{heading}\nDear friends,\nThe board is a gang of wreckers.\n"
    assert voice(text, "a gang of wreckers").voice == "author"


@pytest.mark.parametrize(
    "line",
    [
        "By The Numbers",
        "From the Editor:",
        "Home\nNews\nSport\nWeather\nBy Ann Price",  # a byline under a site's menu is the page's own
    ],
)
def test_page_furniture_opens_no_reprint(line):
    lines = "\n".join(["Harbour news", "Tides", "Ferries", "Bridge", "Toll", "Letters", "Events", "Jobs", line])
    text = f"Harbour article\n\n{lines}\nThe board is a gang of wreckers.\n"
    assert voice(text, "a gang of wreckers").voice == "author"
    text = f"Harbour article\n\n{PAGE_OWN_LINES}\n{line}\nThe board is a gang of wreckers.\n"
    if "Ann Price" not in line:
        assert voice(text, "a gang of wreckers").voice == "author"


def test_a_quotation_after_according_to_names_only_the_source():
    text = "Title line\n\nThe board met.\nAccording to Ann Price the board said: “The toll is a swindle.”\n"
    assert voice(text, "a swindle").speaker != "Ann Price the board said"


@pytest.mark.parametrize(
    "sentence",
    [
        "Mayor Ann Price denied fears that the bridge was a death trap.",
        "Mayor Ann Price should know that the board is a den of thieves.",
        "Does Mayor Ann Price know that the board is a den of thieves?",
        "Were the councillors less blind, they’d know the board is a den of thieves.",
        "Heaven knows the board is a den of thieves.",
        "Readers should consider this: the board is a den of thieves.",
    ],
)
def test_denials_demands_questions_and_idioms_report_nothing(sentence):
    fragment = "death trap" if "death trap" in sentence else "den of thieves"
    assert voice(f"Title line\n\n{sentence}\n", fragment).voice == "author"


def test_a_description_of_several_named_people_is_not_the_first_name():
    sentence = "The three cowardly mayors, Ann Price, Dana Reyes and Tom Hale, have grovelled to the board."
    assert target(sentence, "grovelled", "Loaded_Language") != "Ann Price"


def test_a_lead_in_whose_reporting_verb_the_parse_takes_for_a_noun_still_leads_in():
    text = (
        "Harbour news\n\nThe board met on Monday.\nAs the Harbour Gazette notes (its italics):\n"
        "The board is a gang of wreckers.\n"
    )
    found = voice(text, "a gang of wreckers")
    assert (found.voice, found.speaker) == ("quoted", "Gazette")


def test_according_to_which_names_no_source():
    text = "Title line\n\nThe board struck a secret deal, according to which the harbour would be sold to crooks.\n"
    assert voice(text, "sold to crooks").voice == "author"


def test_an_interview_that_names_its_speakers_in_full_once_then_by_initials():
    text = (
        "Harbour interview\n\n"
        "Dana Reyes: Welcome back to the programme.\n"
        "The toll on the bridge has doubled this spring.\n"
        "Tom Hale: Thank you for having me.\n"
        "The harbour board is a gang of wreckers.\n"
        "DR: What should the town do?\n"
        "TH: Vote them out.\n"
        "DR: Thank you.\n"
    )
    found = voice(text, "a gang of wreckers")
    assert (found.voice, found.speaker) == ("quoted", "Tom Hale")
    found = voice(text, "doubled this spring")
    assert (found.voice, found.speaker) == ("quoted", "Dana Reyes")


STATEMENT_BELOW_LEAD_IN = "\n".join(
    [
        "Harbour statement",
        "",
        "Mayor Ellen Ward of Northport answers the ferry audit (Harbour Gazette):",
        "I have read the audit twice, and I will not hide from it.",
        "The auditors wrote that the board “kept no minutes at all,” and they were right.",
        "Our harbour deserves better than a gang of careless clerks.",
        "EDITOR'S COMMENT: The mayor still owes the town a reckless apology.",
    ]
)


def test_a_first_person_statement_below_a_lead_in_runs_on_through_its_quotations():
    for fragment in ("will not hide from it", "they were right", "a gang of careless clerks"):
        found = voice(STATEMENT_BELOW_LEAD_IN, fragment)
        assert (found.voice, found.speaker) == ("quoted", "Ellen Ward"), fragment
    # words she quotes are their owners'
    assert voice(STATEMENT_BELOW_LEAD_IN, "kept no minutes").speaker == "The auditors"
    # the page's own label ends it
    assert voice(STATEMENT_BELOW_LEAD_IN, "a reckless apology").voice == "author"


@pytest.mark.parametrize(
    "ending",
    [
        # the page names the speaker again from outside
        "Ward, for her part, has not resigned.\nThe board sold the reckless ferry anyway.",
        # two paragraphs that no longer speak as "I" or "we"
        "The board met on Friday.\nIt sold the reckless ferry anyway.",
    ],
)
def test_a_first_person_statement_ends_where_the_page_speaks_again(ending):
    statement = STATEMENT_BELOW_LEAD_IN.rpartition("\n")[0]
    text = f"{statement}\n{ending}"
    assert voice(text, "a gang of careless clerks").speaker == "Ellen Ward"
    assert voice(text, "reckless ferry").voice == "author"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a lead-in at the end of one transcript turn does not speak for the next
        (
            "Harbour interview\n\nHANNITY: Welcome back.\nREYES: Thank you.\n"
            "HANNITY: Senator Reyes, let me ask you this:\nREYES: The reckless board sold our ferry.",
            ("quoted", "REYES"),
        ),
        # an embedded post below a lead-in is its signer's
        (
            "Harbour posts\n\nAnn Price shared this post from the dockers:\n"
            "The reckless board sold our ferry and our jobs with it.\n"
            "— Dock Union (@dockunion) May 3, 2024\nThe board did not answer.",
            ("quoted", "Dock Union"),
        ),
        # a second lead-in ends the first statement and opens its own
        (
            "Harbour replies\n\nMayor Ellen Ward of Northport answers the audit:\nI have read the audit twice.\n"
            "Tom Reyes of the dockers answers the mayor:\nI think the reckless board must go.",
            ("quoted", "Tom Reyes"),
        ),
        # "the US" is no one speaking as "us"
        (
            "Harbour history\n\nMayor Ellen Ward of Northport answers the audit:\nI have read the audit twice.\n"
            "The US Navy built the ferry in 1990, officials said.\n"
            "The US Coast Guard inspected it in 2001, the Gazette reported.\n"
            "Critics blame the reckless board.",
            ("author", None),
        ),
    ],
)
def test_a_statement_below_a_lead_in_keeps_to_its_own_paragraphs(text, expected):
    found = voice(text, "reckless board")
    assert (found.voice, found.speaker) == expected


def test_a_lead_in_that_names_no_one_opens_no_statement():
    text = "Harbour musings\n\nWho would read such a plan and not laugh at what we learned:\nI saw the ferry sink in a reckless storm.\nWe all did."
    assert voice(text, "reckless storm").voice == "author"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Do the councillors really believe the ferry plan is anything but a reckless gamble?", "author"),
        ("Can the board say it was never warned about the reckless gamble?", "author"),
        ("The councillors believe the ferry plan is a reckless gamble.", "reported"),
        # a report the writer only supposes, against one somebody made
        ("It might be argued that the ferry plan is a reckless gamble.", "author"),
        ("It has been argued that the ferry plan is a reckless gamble.", "reported"),
        # an inverted statement that ends with a question of its own still reports
        ("Only last week did the mayor admit the plan was a reckless gamble, and who can blame her?", "reported"),
    ],
)
def test_a_reporting_verb_the_writer_asks_about_or_supposes_reports_nobody(sentence, expected):
    text = f"The harbour vote is on Monday.\n{sentence}"
    assert voice(text, "reckless gamble").voice == expected


def test_a_quotation_whose_verb_asks_who_has_no_speaker():
    found = voice("The vote is on Monday.\nWho said “the board is a reckless gang” first?", "reckless gang")
    assert (found.voice, found.speaker) == ("quoted", None)


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        # "in order to": the clause's subject speaks, not "order"
        (
            "Harbour news\n\nMayor Ellen Ward wrote to the ferry board in order to warn its members:\n"
            "“The board is a reckless gang of amateurs.”",
            "reckless gang",
            "Ellen Ward",
        ),
        # a verb that moves its object to speak: the object speaks
        (
            "The ferry sank on Monday.\nThe sinking prompted dockers to claim that the board is a reckless gang.",
            "reckless gang",
            "dockers",
        ),
        # a coordinated subject after an "of" phrase is whole
        (
            "The ferry sank on Monday.\nMembers of the union and their lawyers say the board is a reckless gang.",
            "reckless gang",
            "Members of the union and their lawyers",
        ),
        # a title whose "of" phrase the small model runs into the name
        (
            "The ferry sank on Monday.\nMayor of Glasgow Ellen Ward said the board was “a reckless gang”.",
            "reckless gang",
            "Mayor of Glasgow Ellen Ward",
        ),
        # a colon after a relative clause: the main clause's subject speaks
        (
            "The ferry sank on Monday.\nIn a call, Tom Reyes also issued a warning to his fellow councillors, "
            "most of whom had voted for the audit: “The board is a reckless gang.”",
            "reckless gang",
            "Tom Reyes",
        ),
        # "according to a claim made by X", and to a report "in" a paper
        (
            "The ferry sank on Monday.\nThe board is a reckless gang, according to a claim made by Councillor Ann Price.",
            "reckless gang",
            "a claim made by Councillor Ann Price",
        ),
        (
            "The ferry sank on Monday.\nThe board is a reckless gang, according to an editorial in the Harbour Gazette.",
            "reckless gang",
            "an editorial in the Harbour Gazette",
        ),
        # a date before a colon names no one
        (
            "Harbour news\n\nFerry fares rose by 2.5% in December:\n“The board is a reckless gang.”",
            "reckless gang",
            None,
        ),
        # an infinitive after a verb that moves no one keeps the subject
        (
            "The ferry sank on Monday.\nTom Reyes has the nerve to call the board “a reckless gang”.",
            "reckless gang",
            "Tom Reyes",
        ),
        # a quotation a speaker defames someone "as", in the speaker's own words
        (
            "The mayor sat beside the editor on Monday.\n"
            "In reply, Councillor Ann Price defamed the mayor, a former skipper, as “a reckless crook”.",
            "a reckless crook",
            "Councillor Ann Price",
        ),
        # "he" stands for the person an opening clause names
        (
            "Bob Hale led the harbour board for years.\n"
            "When Tom Reyes took the chair in 2010, he spoke of “a reckless board”.\n"
            "He asked why “the reckless spending” went on.",
            "the reckless spending",
            "Tom Reyes",
        ),
    ],
)
def test_speaker_found_through_the_parse(text, fragment, speaker):
    found = voice(text, fragment)
    assert found.voice in ("quoted", "reported") and found.speaker == speaker


@pytest.mark.parametrize(
    ("sentence", "span", "expected"),
    [
        # most of the span inside one quotation: quoted, though its first words are reported
        (
            "Ann Price warned that boards like ours across this country have “become a reckless gang of amateurs and crooks.”",
            "boards like ours across this country have “become a reckless gang of amateurs and crooks.”",
            ("quoted", "Ann Price"),
        ),
        # words picked from several quotations are the reporter's sentence
        (
            "Ann Price said that the “ferry board” had become “a reckless gang” of amateurs.",
            "the “ferry board” had become “a reckless gang” of amateurs",
            ("reported", "Ann Price"),
        ),
        # a span that holds the whole report, its verb's "of" taking a clause
        (
            "Councillor Tom Reyes accused the board of selling the ferry behind the town's back.",
            "accused the board of selling the ferry behind the town's back",
            ("reported", "Tom Reyes"),
        ),
        ("Ann Price brags that the ferry board is a reckless gang.", "reckless gang", ("reported", "Ann Price")),
        (
            "Ann Price remarked on the contrast between the reckless spending of the board and the cuts.",
            "reckless spending",
            ("reported", "Ann Price"),
        ),
        # the writer pointing to their own text, and a knower who is everyone
        (
            "In three earlier votes, each mentioned above, the board wasted money on reckless schemes.",
            "reckless schemes",
            ("author", None),
        ),
        ("Everyone knows the board is a reckless gang.", "reckless gang", ("author", None)),
    ],
)
def test_voice_and_speaker_of_reports_by_what_they_hold_and_how_they_are_made(sentence, span, expected):
    found = voice(f"The harbour vote is on Monday.\n{sentence}", span)
    assert (found.voice, found.speaker) == expected


@pytest.mark.parametrize(
    ("text", "fragment", "expected"),
    [
        # a report someone declines to make
        (
            "Tom Reyes declined to comment on claims that the mayor is a crook.",
            "the mayor is a crook",
            ("author", None),
        ),
        # a nearer lead-in wins over a source's line above it
        (
            "Reuters reports:\nThe port lost millions.\nThe mayor replied:\nThe dockers are a gang of lazy thieves.",
            "a gang of lazy thieves",
            ("quoted", "The mayor"),
        ),
        # a relative clause whose verb says something presents the words after its colon
        (
            "The union backed Tom Reyes, who told the crowd: “The board is a reckless gang.”",
            "reckless gang",
            ("quoted", "Tom Reyes"),
        ),
        # an infinitive on someone else's bid, and a verb that only urges, keep their speakers
        (
            "The mayor condemned the union's bid to brand the port a criminal racket.",
            "a criminal racket",
            ("reported", "the union's bid"),
        ),
        (
            "Ann Price urged the mayor to admit that his reforms were a shameful failure.",
            "a shameful failure",
            ("reported", "Ann Price"),
        ),
        # what a report is about is not who made it
        (
            "According to a report on Ann Price, the port is a den of thieves.",
            "a den of thieves",
            ("reported", "a report"),
        ),
        # "above" after a named speaker is still theirs
        ("As Ann Price explained above, the port is a den of thieves.", "a den of thieves", ("reported", "Ann Price")),
        # a quotation that a third party's verb inside the report gives out stays reported
        (
            "Ann Price noted that last week the Gazette had openly branded the union “a nest of thieves "
            "and liars who ruin the whole harbour”.",
            "the Gazette had openly branded the union “a nest of thieves and liars who ruin the whole harbour”",
            ("reported", "Ann Price"),
        ),
        # an insult someone is vilified with is not theirs
        ("Tom Reyes, vilified for years as a “traitor”, said the port must close.", "traitor", ("quoted", None)),
    ],
)
def test_misfires_a_review_of_rounds_29_to_33_found(text, fragment, expected):
    found = voice(f"Harbour row deepens\n\n{text}\n", fragment)
    assert (found.voice, found.speaker) == expected


@pytest.mark.parametrize(
    ("text", "fragment", "expected"),
    [
        # held up as what the quotation calls it, after a verb of holding up
        (
            "Councillor Ann Price defended the toll rise as a “fair deal for drivers” on Monday.",
            "fair deal for drivers",
            ("quoted", "Councillor Ann Price"),
        ),
        # even after another speaker's quotation in the same paragraph
        (
            "“We will win,” Tom Reyes said. Ann Price defended the plan as a “fair deal for drivers”.",
            "fair deal for drivers",
            ("quoted", "Ann Price"),
        ),
        # "as" after other verbs is no one's holding up: scare quotes, titles, nicknames
        ("The old bridge stands as a “monument to greed” on the shore.", "monument to greed", ("quoted", None)),
        ("Ann Price began her career as a “fixer” for the board.", "fixer", ("quoted", None)),
        ("Tom Reyes, known to dockers as “the Butcher”, left the port.", "the Butcher", ("quoted", None)),
        # a remark in apposition is its owner's, a history or an answer is not a remark
        (
            "Nobody forgot Ann Price's comment “a nest of crooks” about the union.",
            "a nest of crooks",
            ("quoted", "Ann Price"),
        ),
        ("Tom Reyes's history as a “union buster” is long.", "union buster", ("quoted", None)),
        ("Tom Reyes's answer to the “crisis” was a new toll.", "crisis", ("quoted", None)),
    ],
)
def test_speaker_of_a_quotation_with_no_verb_of_saying(text, fragment, expected):
    found = voice(f"Harbour row deepens\n\n{text}\n", fragment)
    assert (found.voice, found.speaker) == expected


@pytest.mark.parametrize(
    ("inner", "speaker"),
    [
        # what a study, a document or a rule says is the quoted speaker's reading of it
        ("Our survey shows", "Ann Price"),
        ("The new regulation states", "Ann Price"),
        ("The old charter says", "Ann Price"),
        # people and bodies inside the quotation still speak for themselves
        ("Our lawyer says", "Our lawyer"),
        ("The government says", "The government"),
        ("The board told him", "The board"),
    ],
)
def test_a_report_inside_a_quotation_by_a_text_is_the_quoted_speakers(inner, speaker):
    text = f"Harbour row deepens\n\n“{inner} that the dockers are a gang of crooks,” Ann Price said.\n"
    assert voice(text, "a gang of crooks").speaker == speaker


@pytest.mark.parametrize(
    ("label", "speaker"),
    [
        ("Reyes Speech", "Reyes"),
        ("A Docker Speaks", "A Docker"),
        ("Robert Price Replied", "Robert Price"),
        ("Price\u00a0Speaks", "Price"),
        ("Price  Speaks", "Price"),
        # a name that ends in such a word keeps it
        ("The Washington Post", "The Washington Post"),
        ("Professor Edward Said", "Professor Edward Said"),
        ("According to the Harbour Statement", "the Harbour Statement"),
    ],
)
def test_a_heading_label_names_the_speaker_before_its_word_for_speaking(label, speaker):
    text = f"{label}: “The port is a den of thieves”\n\nThe port closed on Monday.\n"
    found = voice(text, "a den of thieves")
    assert (found.voice, found.speaker) == ("quoted", speaker)


def test_according_to_the_law_names_no_source_but_a_maker_does():
    text = (
        "Harbour row deepens\n\nThe dockers must live according to the law of the harbour, a cruel and rotten code.\n"
    )
    assert voice(text, "a cruel and rotten code").voice == "author"
    text = "Harbour row deepens\n\nTolls doubled, according to the schedule published by the union, a greedy plan.\n"
    assert voice(text, "a greedy plan").speaker == "the schedule published by the union"


@pytest.mark.parametrize(
    ("before", "speaker"),
    [
        # one person named before "they" is not them, nor is anyone named before that person
        ("Northport Council voted on Monday.\nTom Reyes met the dockers there.", "They"),
        # people named together are
        ("Bob Hale and Ann Price criticised the board.", "Bob Hale and Ann Price"),
    ],
)
def test_they_is_never_one_named_person(before, speaker):
    text = f"Harbour row deepens\n\n{before}\nThey said the port was a den of thieves.\n"
    found = voice(text, "a den of thieves")
    assert (found.voice, found.speaker) == ("reported", speaker)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an attribution set off after a connective reports the clause after it
        ("But, he said, the port is a den of thieves.", ("reported", "Tom Reyes")),
        ("Still, he told the Gazette, the port is a den of thieves.", ("reported", "Tom Reyes")),
        # not a clause that goes on past its verb, nor the author's clause joined after it
        ("Clearly, he was pointing at the port, a den of thieves.", ("author", None)),
        ("Twice, she wrote, and twice the council ignored the port, a den of thieves.", ("author", None)),
        ("Again, she called, but the port stayed a den of thieves.", ("author", None)),
    ],
)
def test_an_attribution_set_off_after_a_connective(text, expected):
    found = voice(f"Harbour row deepens\n\nTom Reyes spoke on Monday.\n{text}\n", "a den of thieves")
    assert (found.voice, found.speaker) == expected


@pytest.mark.parametrize(
    "opening", ["Let’s just say", "Let's assume", "Let us call it what it is:", "Let us admit that"]
)
def test_lets_say_is_the_authors_own_voice(opening):
    found = voice(f"Harbour row deepens\n\n{opening} the board is a gang of crooks.\n", "a gang of crooks")
    assert (found.voice, found.speaker) == ("author", None)


def test_an_analysis_joins_a_speakers_short_name_only_to_the_one_fuller_name(fake_tagger):
    from propscope import analyze

    text = (
        "Port row\n\nEllen Ward and Tom Ward spoke.\n"
        '"The board are traitors," Ward said.\n'
        "Harbour chief Ann Price spoke next.\n"
        '"It was disgraceful," Price said.\n'
    )
    spans = analyze(text, tagger=fake_tagger).spans
    assert [(s.text, s.speaker) for s in spans] == [("traitors", "Ward"), ("disgraceful", "Ann Price")]
    # where it is written stays where it is written
    assert [text[s.speaker_range[0] : s.speaker_range[1]] for s in spans] == ["Ward", "Price"]


def test_a_candidate_the_parse_runs_into_a_quotation_mark_is_named_without_it():
    from propscope.attribution import Targeter
    from propscope.attribution.ranking import CandidateFinder

    text = 'Tariff row\n\nLet nobody fool you with talk of "import levels" and "market forces".\n'
    targeter = Targeter(text, parse_regions(text, [(0, len(text))]).paragraphs)
    start = text.index("nobody fool")
    _, candidates = CandidateFinder(targeter, None).around(start, start + len("nobody fool"), "Loaded_Language")
    names = [c.target.name for c in candidates]
    assert "import levels" in names and "market forces" in names
    assert all(text[c.target.start : c.target.end] == c.target.name for c in candidates if c.target.name in names[-2:])
