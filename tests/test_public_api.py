import propscope


def test_public_api_is_pinned():
    assert sorted(propscope.__all__) == [
        "Analysis",
        "AnalysisOptions",
        "Article",
        "InputError",
        "MissingExtraError",
        "ModelError",
        "PropscopeError",
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
