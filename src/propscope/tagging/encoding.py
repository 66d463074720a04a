"""Turn an article into encoder windows, shared by training and inference.

Training and the ONNX runtime must see exactly the same token ids, windows and
hand-made features, so both import this module (it needs only tokenizers and numpy).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

CLS_ID = 101
SEP_ID = 102
PAD_ID = 0
#: tokens per window, including [CLS] and [SEP]
WINDOW_TOKENS = 256

QUOTE_CHARS = frozenset("\"'“”‘’«»„‟‹›")
#: names of the per-token features, in column order
TOKEN_FEATURES = (
    "word_start",
    "title_case",
    "all_caps",
    "exclamation",
    "question",
    "quote_char",
    "inside_quotes",
    "line_start",
)
SPAN_FEATURES = (
    "log_recurrences",
    "log_token_count",
    "caps_share",
    "exclamation",
    "question",
    "inside_quotes",
    "sentence_share",
)


def load_tokenizer(path: Path) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


@dataclass(frozen=True)
class EncodedText:
    """Word pieces of one text: ids, character offsets and features, no special tokens."""

    ids: np.ndarray  # (n,) int64
    offsets: np.ndarray  # (n, 2) int64, character ranges into the text
    features: np.ndarray  # (n, len(TOKEN_FEATURES)) float32
    windows: list[tuple[int, int]]  # token ranges, each fits WINDOW_TOKENS - 2

    def __len__(self) -> int:
        return len(self.ids)


def _quote_depth_mask(text: str) -> np.ndarray:
    """Per character: inside a double-quoted stretch on the same line."""
    inside = np.zeros(len(text) + 1, dtype=bool)
    for match in re.finditer(r"[\"“«„][^\"“”«»„\n]{1,600}[\"”»“]", text):
        inside[match.start() : match.end()] = True
    return inside


def _char_flags(text: str, predicate) -> np.ndarray:
    return np.fromiter((predicate(ch) for ch in text), dtype=bool, count=len(text))


def _counts_in(cumulative: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """How many flagged characters lie in each [start, end), from a cumulative count with a leading 0."""
    return cumulative[ends] - cumulative[starts]


def token_features(text: str, offsets: np.ndarray) -> np.ndarray:
    """The features of TOKEN_FEATURES per token, vectorised over characters.

    Casing is judged on the whole word a token begins (word pieces of one word
    share it), so "BIG" and "Big" differ although the encoder is uncased.
    """
    n = len(offsets)
    feats = np.zeros((n, len(TOKEN_FEATURES)), dtype=np.float32)
    if n == 0:
        return feats
    starts, ends = offsets[:, 0], offsets[:, 1]
    alnum = _char_flags(text, str.isalnum)

    def cumulative(flags: np.ndarray) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(flags)])

    before = starts - 1
    word_start = (starts == 0) | ~alnum[np.maximum(before, 0)]
    non_alnum = np.concatenate([np.nonzero(~alnum)[0], [len(text)]])
    word_ends = np.maximum(non_alnum[np.searchsorted(non_alnum, ends)], ends)
    upper = cumulative(_char_flags(text, str.isupper))
    cased_not_upper = cumulative(_char_flags(text, lambda ch: ch.islower() or (ch.istitle() and not ch.isupper())))
    first_upper = np.asarray([text[i].isupper() if i < len(text) else False for i in starts])
    all_caps = (
        (word_ends - starts > 1)
        & (_counts_in(upper, starts, word_ends) > 0)
        & (_counts_in(cased_not_upper, starts, word_ends) == 0)
    )
    codepoints = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    exclamation = cumulative(codepoints == ord("!"))
    question = cumulative(codepoints == ord("?"))
    quotes = cumulative(np.isin(codepoints, [ord(ch) for ch in QUOTE_CHARS]))
    newline_before = (starts == 0) | (codepoints[np.maximum(before, 0)] == ord("\n"))
    feats[:, 0] = word_start
    feats[:, 1] = word_start & first_upper
    feats[:, 2] = word_start & all_caps
    feats[:, 3] = _counts_in(exclamation, starts, ends) > 0
    feats[:, 4] = _counts_in(question, starts, ends) > 0
    feats[:, 5] = _counts_in(quotes, starts, ends) > 0
    feats[:, 6] = _quote_depth_mask(text)[starts]
    feats[:, 7] = newline_before
    return feats


def line_breaks_after(text: str, offsets: np.ndarray) -> np.ndarray:
    """Per token: a line break lies between it and the next token."""
    breaks = np.zeros(len(offsets), dtype=bool)
    if len(offsets) > 1:
        newlines_before = np.concatenate([[0], np.cumsum(np.frombuffer(text.encode("utf-32-le"), np.uint32) == 10)])
        breaks[:-1] = newlines_before[offsets[1:, 0]] > newlines_before[offsets[:-1, 1]]
    return breaks


def plan_windows(text: str, offsets: np.ndarray, capacity: int = WINDOW_TOKENS - 2) -> list[tuple[int, int]]:
    """Cut the token sequence into windows that end at line ends where possible.

    Windows do not overlap: every token is encoded exactly once, which keeps
    inference cost linear in the article length.
    """
    n = len(offsets)
    if n == 0:
        return []
    line_break_after = line_breaks_after(text, offsets)
    line_break_after[n - 1] = True
    windows = []
    start = 0
    while start < n:
        hard_end = min(start + capacity, n)
        end = hard_end
        if hard_end < n:
            breaks = np.nonzero(line_break_after[start:hard_end])[0]
            # only cut at a line end if it keeps at least half the window filled
            good = breaks[breaks >= capacity // 2]
            if len(good):
                end = start + int(good[-1]) + 1
        windows.append((start, end))
        start = end
    return windows


def encode_text(tokenizer: Tokenizer, text: str) -> EncodedText:
    encoding = tokenizer.encode(text, add_special_tokens=False)
    ids = np.asarray(encoding.ids, dtype=np.int64)
    offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
    return EncodedText(
        ids=ids,
        offsets=offsets,
        features=token_features(text, offsets),
        windows=plan_windows(text, offsets),
    )


def window_batch(encoded: EncodedText, windows: list[tuple[int, int]]) -> dict[str, np.ndarray]:
    """Pad windows into model inputs: [CLS] tokens [SEP], features zero on specials."""
    length = max(end - start for start, end in windows) + 2
    batch = len(windows)
    input_ids = np.full((batch, length), PAD_ID, dtype=np.int64)
    attention = np.zeros((batch, length), dtype=np.int64)
    features = np.zeros((batch, length, len(TOKEN_FEATURES)), dtype=np.float32)
    for row, (start, end) in enumerate(windows):
        size = end - start
        input_ids[row, 0] = CLS_ID
        input_ids[row, 1 : size + 1] = encoded.ids[start:end]
        input_ids[row, size + 1] = SEP_ID
        attention[row, : size + 2] = 1
        features[row, 1 : size + 1] = encoded.features[start:end]
    return {"input_ids": input_ids, "attention_mask": attention, "token_features": features}


_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_phrase(text: str) -> str:
    """Lower-cased words joined by single spaces, padded so counts match whole words."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " " + " ".join(_WORD.findall(text)) + " "


def span_features(text: str, normalised_text: str, encoded: EncodedText, start: int, end: int) -> np.ndarray:
    """Features of a candidate span that the uncased encoder cannot see.

    The recurrence count is the strongest signal for Repetition: how often the
    span's words occur elsewhere in the same article (``normalised_text`` is
    ``normalise_phrase(text)``, computed once per article).
    """
    fragment = text[start:end]
    phrase = normalise_phrase(fragment)
    recurrences = max(normalised_text.count(phrase) - 1, 0) if phrase.strip() else 0
    letters = [ch for ch in fragment if ch.isalpha()]
    caps_share = sum(ch.isupper() for ch in letters) / len(letters) if letters else 0.0
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    token_rows = np.nonzero((encoded.offsets[:, 1] > start) & (encoded.offsets[:, 0] < end))[0]
    inside_quotes = float(encoded.features[token_rows, 6].mean()) if len(token_rows) else 0.0
    return np.asarray(
        [
            np.log1p(recurrences),
            np.log1p(len(token_rows)),
            caps_share,
            "!" in fragment,
            "?" in fragment,
            inside_quotes,
            (end - start) / max(line_end - line_start, 1),
        ],
        dtype=np.float32,
    )


def token_range(encoded: EncodedText, start: int, end: int) -> tuple[int, int] | None:
    """Tokens overlapping the character range [start, end), or None."""
    return pieces_overlapping(encoded.offsets, start, end)


def pieces_overlapping(offsets: np.ndarray, start: int, end: int) -> tuple[int, int] | None:
    """The word pieces, given by their (n, 2) character offsets, that overlap [start, end), as a
    range of indices, or None."""
    overlapping = np.nonzero((offsets[:, 1] > start) & (offsets[:, 0] < end))[0]
    if len(overlapping) == 0:
        return None
    return int(overlapping[0]), int(overlapping[-1]) + 1
