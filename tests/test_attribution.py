"""Voice and speaker on sentences written for these tests, one per quotation style."""

import pytest

from propscope.attribution import Attributor, find_quotes
from propscope.segment import parse_regions


def voice(text: str, fragment: str):
    regions = [(0, len(text))]
    attributor = Attributor(text, regions, parse_regions(text, regions).paragraphs)
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
    text = "Ann Price says the plan is “a mess” that is “a disaster for the town.”"
    # joining two quotations, the span holds the author's words between them
    assert voice(text, "is “a mess” that is “a disaster").voice == "reported"


def test_targets_of_labels_before_names_and_after_naming_verbs():
    text = "He sold the house to convicted fraudster Tom Reyes last year."
    assert target(text, "convicted fraudster", "Name_Calling,Labeling") == "Tom Reyes"
    text = "The goal of tax zealots such as Ann Price is clear."
    assert target(text, "tax zealots", "Name_Calling,Labeling") == "Ann Price"
    text = "The mayor described Ann Price as a coward."
    assert target(text, "coward", "Name_Calling,Labeling") == "Ann Price"


def test_targets_of_loaded_verbs_and_clauses():
    assert target("The mayor slammed Tom Reyes on Monday.", "slammed", "Loaded_Language") == "Tom Reyes"
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
