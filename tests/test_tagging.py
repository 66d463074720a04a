import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from propscope.tagging.decoding import DecodingSettings, decode_spans, decode_token_runs
from propscope.tagging.encoding import TOKEN_FEATURES, line_breaks_after, plan_windows, token_features


def features_of(text: str, words: list[str]) -> dict[str, dict[str, float]]:
    offsets, position = [], 0
    for word in words:
        position = text.index(word, position)
        offsets.append((position, position + len(word)))
        position += len(word)
    matrix = token_features(text, np.asarray(offsets, dtype=np.int64))
    return {word: dict(zip(TOKEN_FEATURES, row, strict=True)) for word, row in zip(words, matrix, strict=True)}


def test_token_features_see_case_punctuation_and_quotes():
    text = 'The BIG plan "is Great"!\nNext line'
    f = features_of(text, ["The", "BIG", "plan", '"', "is", "Great", '"', "!", "Next"])
    assert f["The"]["title_case"] and not f["The"]["all_caps"] and f["The"]["line_start"]
    assert f["BIG"]["all_caps"] and f["BIG"]["title_case"]
    assert not f["plan"]["title_case"] and f["plan"]["word_start"]
    assert f['"']["quote_char"] and f["is"]["inside_quotes"] and f["Great"]["inside_quotes"]
    assert f["!"]["exclamation"] and f["Next"]["line_start"] and not f["plan"]["inside_quotes"]


def test_word_pieces_share_the_casing_of_their_word():
    text = "UNBELIEVABLE news"
    f = token_features(text, np.asarray([(0, 2), (2, 12), (13, 17)], dtype=np.int64))
    assert f[0, 2] == 1.0 and f[1, 0] == 0.0  # first piece sees the whole word in capitals; second is no word start


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 30), min_size=1, max_size=60), st.integers(4, 40))
def test_windows_cover_every_token_once_and_prefer_line_ends(line_lengths, capacity):
    lines = [" ".join(["w"] * n) for n in line_lengths]
    text = "\n".join(lines)
    offsets, position = [], 0
    for line in lines:
        for _ in line.split():
            offsets.append((position, position + 1))
            position += 2
    offsets = np.asarray(offsets, dtype=np.int64)
    windows = plan_windows(text, offsets, capacity)
    covered = [i for a, b in windows for i in range(a, b)]
    assert covered == list(range(len(offsets)))
    assert all(0 < b - a <= capacity for a, b in windows)
    breaks = line_breaks_after(text, offsets)
    for a, b in windows[:-1]:
        # a cut inside a line only when no line end leaves the window at least half full
        if not breaks[b - 1]:
            assert not breaks[a + capacity // 2 : b - 1].any()


def test_hysteresis_and_gaps():
    probabilities = np.asarray([0.1, 0.35, 0.9, 0.35, 0.1, 0.1, 0.6, 0.2, 0.35, 0.36])
    breaks = np.zeros(10, dtype=bool)
    settings_ = DecodingSettings(threshold=0.5, extend_threshold=0.3, max_gap=0, min_chars=1)
    assert decode_token_runs(probabilities, breaks, settings_) == [(1, 4), (6, 7)]
    bridged = DecodingSettings(threshold=0.5, extend_threshold=0.3, max_gap=2, min_chars=1)
    assert decode_token_runs(probabilities, breaks, bridged) == [(1, 10)]
    breaks[4] = True  # a line break after token 4 stops the bridge
    assert decode_token_runs(probabilities, breaks, bridged) == [(1, 4), (6, 10)]


def test_decoded_spans_are_whole_words_and_disjoint():
    text = "an unbelievably bad idea"
    offsets = np.asarray([(0, 2), (3, 8), (8, 15), (16, 19), (20, 24)], dtype=np.int64)
    probabilities = np.asarray([0.0, 0.1, 0.9, 0.8, 0.0])
    spans = decode_spans(text, offsets, probabilities, DecodingSettings(0.5, 0.5, 0, 1))
    assert [(text[s:e], a, b) for s, e, a, b in spans] == [("unbelievably bad", 2, 4)]
