"""Every reported span indexes the text the user gave, and lies in what was analysed."""

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from propscope.ingest.sources import article_from_text
from propscope.pipeline import analyse_article
from propscope.tagging.base import TaggedSpan

line = st.one_of(
    # NUL is refused as binary input (test_sources), so no article holds it
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\x00"), max_size=80),
    st.sampled_from(
        ["", "Top Stories", "READ MORE: elsewhere", "Share this", "PARIS (Wire) – Talks began.", "Photo: a caption"]
    ),
)
texts = st.lists(line, min_size=1, max_size=12).map("\n".join).filter(lambda t: t.strip() != "")
newlines = st.sampled_from(["\n", "\r\n"])


class ArbitraryTagger:
    """Returns whatever spans it is given, wherever they fall: the pipeline must clip them."""

    name = "arbitrary"
    version = "0"

    def __init__(self, raw: Sequence[tuple[int, int]]) -> None:
        self.raw = raw

    def tag(self, text: str, start: int = 0, end: int | None = None) -> list[TaggedSpan]:
        end = len(text) if end is None else end
        spans = []
        for a, b in self.raw:
            a, b = sorted((start + a % max(end - start, 1), start + b % max(end - start, 1) + 1))
            spans.append(TaggedSpan(a, min(b, end), "Doubt", 0.7, 0.6, (("Doubt", 0.6),)))
        return spans

    def classify(self, text, spans):
        return [(("Doubt", 1.0),) for _ in spans]


@settings(max_examples=150, deadline=None)
@given(texts, newlines, st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), max_size=8))
def test_spans_index_the_original_text_inside_analysed_regions(text, newline, raw_spans):
    text = text.replace("\n", newline)
    article = article_from_text(text)
    analysis = analyse_article(article, ArbitraryTagger(raw_spans))
    regions = article.analysed_regions()
    assert analysis.article.text == text
    for span in analysis.spans:
        assert text[span.start : span.end] == span.text
        assert span.text.strip() == span.text and span.text
        assert any(a <= span.start and span.end <= b for a, b in regions)
        for excluded in article.excluded:
            assert span.end <= excluded.start or span.start >= excluded.end
