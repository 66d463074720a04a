import pytest

from propscope.ingest.layout import parse_layout
from propscope.ingest.sources import article_from_text
from tests.conftest import CRAWLED_ARTICLE


def test_crawled_article_parts():
    article = article_from_text(CRAWLED_ARTICLE)
    text = article.text
    assert article.title == "Minister Promises Swift Action on Grain Prices"
    assert article.dateline_place == "LISBON"
    assert article.dateline_outlet == "Daily Ledger"
    assert article.source == "Daily Ledger"
    reasons = {e.reason: text[e.start : e.end] for e in article.excluded}
    assert reasons["repeated-title"] == article.title
    assert reasons["dateline"].startswith("LISBON (Daily Ledger)")
    assert reasons["site-furniture"].startswith("READ MORE: Bakers")
    assert reasons["site-furniture"].endswith("Share this")
    body = text[article.body_range[0] : article.body_range[1]]
    assert body.endswith("Farmers' groups said the measures came too late.")
    analysed = "".join(text[a:b] for a, b in article.analysed_regions())
    assert analysed.count("Minister Promises Swift Action") == 1
    assert "Most Popular" not in analysed and "LISBON" not in analysed


def test_dateline_without_outlet():
    layout = parse_layout("Title here\n\nGeneva - The talks ended without agreement on Friday.\n")
    assert layout.dateline_place == "Geneva"
    assert layout.dateline_outlet is None


def test_name_with_dash_is_not_a_dateline():
    layout = parse_layout("Title\n\nPresident Ann Smith - who spoke first - said little.\n")
    assert layout.dateline_place is None


def test_body_ending_with_sentence_keeps_short_lines_that_are_not_furniture():
    text = "A title\n\nThe vote was close.\nIt passed.\nThe end\n"
    layout = parse_layout(text)
    assert text[layout.body_range[0] : layout.body_range[1]].endswith("The end")
    assert not layout.excluded


def test_inline_read_more_line_is_excluded_but_text_after_it_is_kept():
    text = "Title\n\nFirst paragraph here.\nRead more: another story\nSecond paragraph continues the story.\n"
    article = article_from_text(text)
    regions = article.analysed_regions()
    analysed = " ".join(text[a:b] for a, b in regions)
    assert "another story" not in analysed
    assert "Second paragraph continues the story." in analysed


def test_single_line_text_is_all_body():
    layout = parse_layout("Just one line of text with no title.")
    assert layout.title is None
    assert layout.body_range == (0, 36)


@pytest.mark.parametrize(
    "first_line",
    [
        "Sen. Rand Paul (R-Ky.) – who voted no – said the bill was a disgrace.",
        "Mr. Trump (who else?) - lied again.",
        "Obama - the worst president ever - spoke today.",
        "Well, here we go again - the media is at it.",
        "Yes, he said it - and he meant it.",
    ],
)
def test_sentences_with_dashes_are_not_datelines(first_line):
    layout = parse_layout(f"Title\n\n{first_line}\nMore text.\n")
    assert layout.dateline_place is None and not layout.excluded


@pytest.mark.parametrize(
    "last_line",
    [
        "Recommended by the committee, the bill will now go to the full Senate for a vote.",
        "Join us in demanding justice for the victims of this evil regime.",
        "What do you think the president should do about these traitors?",
    ],
)
def test_long_final_sentences_are_not_furniture(last_line):
    text = f"Title\n\nFirst paragraph.\n{last_line}\n"
    layout = parse_layout(text)
    assert text[layout.body_range[0] : layout.body_range[1]].endswith(last_line)


def test_short_line_above_the_first_furniture_line_stays():
    text = "Title\n\nThe rally ended late.\nMake America Great Again\nShare this\nTop Stories\n"
    layout = parse_layout(text)
    assert text[layout.body_range[0] : layout.body_range[1]].endswith("Make America Great Again")


def test_dated_dateline_with_outlet():
    layout = parse_layout("Title\n\nMOSCOW, Nov. 3 (Reuters) - Talks resumed on Friday.\n")
    assert (layout.dateline_place, layout.dateline_outlet) == ("MOSCOW", "Reuters")


def test_related_headline_after_the_body_is_furniture_whatever_its_length():
    text = (
        "Title\n\nThe strike goes on.\nShare this\nMost Popular\n"
        'Related: Mediators report "limited progress" as the dock strike enters its fifth week\n'
    )
    layout = parse_layout(text)
    assert text[layout.body_range[0] : layout.body_range[1]] == "The strike goes on."
