"""What the tagging encoder read at each word piece of a text, for later stages to reuse."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TokenStates:
    """The encoder's last hidden state of each word piece, with the piece's character range in
    the text it was tagged in (sorted, as the tokenizer gives them)."""

    offsets: np.ndarray  # (n, 2) int64
    hidden: np.ndarray  # (n, h) float32

    @property
    def size(self) -> int:
        return self.hidden.shape[1]

    def mean(self, start: int, end: int) -> np.ndarray | None:
        """The mean state of the pieces that overlap [start, end), or None when none does (the
        characters lie outside what was encoded, or are only spaces)."""
        first = int(np.searchsorted(self.offsets[:, 1], start, side="right"))
        last = int(np.searchsorted(self.offsets[:, 0], end, side="left"))
        if first >= last:
            return None
        return self.hidden[first:last].mean(axis=0)
