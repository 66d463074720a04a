import pytest

import propscope


def test_public_api_is_pinned():
    assert sorted(propscope.__all__) == [
        "Analysis",
        "AnalysisOptions",
        "Article",
        "BadRecord",
        "BadRecordError",
        "InputError",
        "MissingExtraError",
        "ModelError",
        "PropscopeError",
        "ReadOptions",
        "Span",
        "Summary",
        "TaggedSpan",
        "Tagger",
        "analyze",
        "analyze_many",
    ]


def test_analyze_text_with_a_fake_tagger(fake_tagger):
    analysis = propscope.analyze("Headline\n\nA disgraceful decision.\n", tagger=fake_tagger)
    assert [s.text for s in analysis.spans] == ["disgraceful"]
    assert analysis.to_dict()["spans"][0]["start"] == 12


def test_a_one_line_text_is_analysed_and_a_missing_file_is_an_error(fake_tagger):
    analysis = propscope.analyze("A disgraceful decision by the board.", tagger=fake_tagger)
    assert analysis.article.origin == "<text>" and [s.text for s in analysis.spans] == ["disgraceful"]
    for missing in ("my missing notes.txt", "data/my notes"):
        with pytest.raises(propscope.InputError, match="no such file"):
            propscope.analyze(missing, tagger=fake_tagger)


def test_non_english_text_gets_a_warning_not_a_crash(fake_tagger):
    text = (
        "Titel\n\nDie Regierung hat am Montag neue Regeln für den Hafen beschlossen, "
        "nachdem die Bürger wochenlang gegen den Bau der Brücke protestiert hatten und "
        "viele Geschäfte in der Altstadt ihre Türen aus Protest geschlossen hielten.\n"
    )
    analysis = propscope.analyze(text, tagger=fake_tagger)
    assert any("English" in w for w in analysis.article.warnings)
    english = propscope.analyze("Headline\n\n" + "The council said that the plan was on time. " * 5, tagger=fake_tagger)
    assert not english.article.warnings


def test_punctuation_only_article(fake_tagger):
    analysis = propscope.analyze("...\n\n!!! ??? ,,, ---\n", tagger=fake_tagger)
    assert analysis.spans == () and analysis.summary.score == 0


def test_bad_records_are_skipped_when_asked_through_the_library(tmp_path, fake_tagger):
    path = tmp_path / "export.jsonl"
    path.write_text('{"text": "Title\\nA disgraceful decision."}\n{oops\n', encoding="utf-8")
    try:
        list(propscope.analyze_many(path, tagger=fake_tagger))
    except propscope.BadRecordError as error:
        assert "export.jsonl:2" in str(error)
    else:
        raise AssertionError("a malformed record stops the run unless asked to skip it")
    options = propscope.ReadOptions(skip_bad_records=True)
    analysis, bad = propscope.analyze_many(path, tagger=fake_tagger, read_options=options)
    assert isinstance(analysis, propscope.Analysis) and isinstance(bad, propscope.BadRecord)


class NamelessTagger:
    def tag(self, text, start=0, end=None):
        return []

    def classify(self, text, spans):
        return []


class InventiveTagger(NamelessTagger):
    name, version = "inventive", "0.1"

    def __init__(self, technique: str, start: int = 2, end: int = 7) -> None:
        self.technique, self.start, self.end = technique, start, end

    def tag(self, text, start=0, end=None):
        return [propscope.TaggedSpan(self.start, self.end, self.technique, 0.9, 0.9, ((self.technique, 0.9),))]


@pytest.mark.parametrize(
    ("tagger", "message"),
    [
        (NamelessTagger(), "NamelessTagger is no propscope.Tagger: it has no name, version"),
        (InventiveTagger("Wishful_Thinking"), "named the technique 'Wishful_Thinking', which is not one of the 14"),
        (InventiveTagger("Loaded_Language", 30, 9000), "gave the span 30-9000, not a range within the text"),
    ],
)
def test_a_tagger_of_ones_own_that_breaks_the_protocol_is_a_model_error(tagger, message):
    with pytest.raises(propscope.ModelError, match=message):
        propscope.analyze("My headline\n\nA sentence of my own about the harbour.\n", tagger=tagger)


def test_analyze_many_takes_several_sources_and_analyze_one(tmp_path, fake_tagger):
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("First headline\n\nA disgraceful plan.\n", encoding="utf-8")
    second.write_text("Second headline\n\nA calm plan.\n", encoding="utf-8")
    analyses = list(propscope.analyze_many([first, str(second)], tagger=fake_tagger))
    assert [a.article.title for a in analyses] == ["First headline", "Second headline"]
    with pytest.raises(propscope.InputError, match="analyze_many"):
        propscope.analyze([first, second], tagger=fake_tagger)
