from propscope.techniques import FINE_GRAINED_TO_ID, TECHNIQUE_IDS, TECHNIQUES

CORPUS_LABELS = {
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
}


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_fourteen_corpus_ids():
    assert set(TECHNIQUE_IDS) == CORPUS_LABELS and len(TECHNIQUE_IDS) == 14


def test_every_technique_is_described():
    for t in TECHNIQUES:
        assert t.name and len(t.definition) > 40 and len(t.why_misleading) > 30


def test_colours_are_distinct_and_readable_with_black_text():
    colours = [t.colour for t in TECHNIQUES]
    assert len(set(colours)) == 14
    for colour in colours:
        # WCAG contrast of black text on the highlight colour
        assert (_luminance(colour) + 0.05) / 0.05 >= 7.0, colour


def test_eighteen_fine_grained_names_map_to_task_classes():
    assert len(FINE_GRAINED_TO_ID) == 18
    assert FINE_GRAINED_TO_ID["Straw_Men"] == "Whataboutism,Straw_Men,Red_Herring"
    assert FINE_GRAINED_TO_ID["Reductio_ad_hitlerum"] == "Bandwagon,Reductio_ad_hitlerum"
    assert FINE_GRAINED_TO_ID["Obfuscation,Intentional_Vagueness,Confusion"] is None
