"""The highlighted article: every span covers exactly its characters, even when spans overlap."""

from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propscope.render.html import highlight_document
from propscope.render.labels import voice_label
from propscope.techniques import TECHNIQUE_IDS

TEXT = "Budget day\n\nThe reckless, shameful plan will ruin us all. Nobody asked for it.\n"


class CoverageParser(HTMLParser):
    """For each character of the text, the span numbers and classes of the elements around it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[dict[str, str | None]] = []
        self.characters: list[tuple[str, frozenset[str], frozenset[str]]] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append({"tag": tag, **dict(attrs)})

    def handle_endtag(self, tag):
        assert self.stack.pop()["tag"] == tag, "elements must nest"

    def handle_data(self, data):
        if any(element["tag"] == "sup" for element in self.stack):
            return
        spans = frozenset(e["data-span"] for e in self.stack if e.get("data-span"))
        classes = frozenset(c for e in self.stack for c in (e.get("class") or "").split())
        self.characters += [(ch, spans, classes) for ch in data]


def document(spans: list[tuple[int, int]], sentences: list[tuple[int, int]]) -> dict:
    return {
        "article": {"text": TEXT, "analysed_regions": [[12, len(TEXT)]], "excluded": []},
        "sentences": [list(s) for s in sentences],
        "spans": [
            {
                "start": s,
                "end": e,
                "technique": TECHNIQUE_IDS[i % len(TECHNIQUE_IDS)],
                "confidence": 0.5,
                "technique_confidence": 0.5,
                "voice": "author",
                "speaker": None,
                "explanation": "x",
            }
            for i, (s, e) in enumerate(spans)
        ],
    }


def coverage(doc: dict) -> CoverageParser:
    parser = CoverageParser()
    parser.feed(highlight_document(doc))
    parser.close()
    assert not parser.stack
    return parser


def check(spans: list[tuple[int, int]], sentences: list[tuple[int, int]]) -> None:
    parser = coverage(document(spans, sentences))
    assert "".join(ch for ch, _, _ in parser.characters) == TEXT[12:]
    for offset, (_, numbers, classes) in enumerate(parser.characters, 12):
        expected = {str(n) for n, (s, e) in enumerate(spans, 1) if s <= offset < e}
        assert numbers == expected, offset
        shaded = any(a <= offset < b and any(s < b and e > a for s, e in spans) for a, b in sentences)
        assert ("propaganda-sentence" in classes) == shaded, offset


def test_overlapping_spans_each_cover_their_own_characters():
    # "reckless, shameful plan" overlaps "shameful plan will ruin us"; a third span sits inside both
    check([(16, 39), (26, 52), (35, 39)], [(12, 57), (58, len(TEXT) - 1)])


@given(
    st.lists(
        st.tuples(st.integers(12, len(TEXT) - 1), st.integers(1, 30)).map(
            lambda t: (t[0], min(len(TEXT), t[0] + t[1]))
        ),
        max_size=6,
    )
)
def test_any_spans_render_as_nested_marks_over_exactly_their_text(spans):
    check(spans, [(12, 57), (58, len(TEXT) - 1)])


def test_a_span_aimed_at_someone_says_at_whom_and_how_sure():
    doc = document([(16, 24), (26, 34)], [(12, 57)])
    doc["spans"][0].update({"target": "the plan", "target_confidence": 0.62})
    doc["spans"][1].update({"target": "the council", "target_confidence": None})
    page = highlight_document(doc)
    assert "aimed at: the plan (62%)" in page
    assert "aimed at: the council —" in page


def test_terminal_table_says_at_whom_a_span_is_aimed(use_fake_tagger):
    from rich.console import Console

    from propscope.ingest.sources import article_from_text
    from propscope.pipeline import analyse_article
    from propscope.render.terminal import render_terminal

    text = "Harbour vote\n\nMayor Ann Price spoke on Monday.\nShe called the dock board disgraceful traitors.\n"
    analysis = analyse_article(article_from_text(text))
    console = Console(width=200, record=True)
    render_terminal(analysis, console)
    shown = console.export_text()
    assert "aimed at" in shown
    targeted = [span for span in analysis.spans if span.target]
    assert targeted, "the fake tagger flags 'disgraceful' and 'traitors', which get targets"
    for span in targeted:
        assert f"{span.target} ({span.target_confidence:.0%})" in shown


def test_every_output_format_shows_the_articles_warnings(use_fake_tagger):
    from propscope.ingest.sources import article_from_text
    from propscope.pipeline import analyse_article
    from propscope.render.html import render_html
    from propscope.render.terminal import render_plain

    warning = "harbour.txt: not UTF-8; decoded as cp1252"
    analysis = analyse_article(article_from_text("Harbour vote\n\nThe plan passed.\n", warnings=(warning,)))
    assert f"# warning: {warning}" in render_plain(analysis)
    assert f'<p class="warning">Warning: {warning}</p>' in render_html(analysis.to_dict())


@pytest.mark.parametrize(
    ("voice", "speaker", "confidences", "label"),
    [
        ("quoted", "Ellen Ward", (0.951, 0.554), "quoted (95%): Ellen Ward (55%)"),
        ("author", None, (0.86, None), "author (86%)"),
        # nothing is shown as certain
        ("quoted", "Ellen Ward", (0.999, 0.9999), "quoted (99%): Ellen Ward (99%)"),
        # an unclosed quotation is no answer to be right about
        ("unknown", None, (0.43, None), "unknown"),
        # analyses stored before confidences were estimated
        ("reported", "the port", (None, None), "reported: the port"),
    ],
)
def test_voice_labels_carry_how_likely_voice_and_speaker_are(voice, speaker, confidences, label):
    assert voice_label(voice, speaker, *confidences) == label
