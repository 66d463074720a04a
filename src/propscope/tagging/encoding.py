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


def token_features(text: str, offsets: np.ndarray) -> np.ndarray:
    inside_quotes = _quote_depth_mask(text)
    feats = np.zeros((len(offsets), len(TOKEN_FEATURES)), dtype=np.float32)
    for i, (start, end) in enumerate(offsets):
        piece = text[start:end]
        before = text[start - 1] if start > 0 else "\n"
        word_start = not before.isalnum()
        word_end = end
        while word_end < len(text) and text[word_end].isalnum():
            word_end += 1
        word = text[start:word_end] if word_start else piece
        feats[i, 0] = word_start
        feats[i, 1] = word_start and word[:1].isupper()
        feats[i, 2] = word_start and len(word) > 1 and word.isupper()
        feats[i, 3] = "!" in piece
        feats[i, 4] = "?" in piece
        feats[i, 5] = any(ch in QUOTE_CHARS for ch in piece)
        feats[i, 6] = inside_quotes[start]
        feats[i, 7] = before == "\n"
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
    overlapping = np.nonzero((encoded.offsets[:, 1] > start) & (encoded.offsets[:, 0] < end))[0]
    if len(overlapping) == 0:
        return None
    return int(overlapping[0]), int(overlapping[-1]) + 1
