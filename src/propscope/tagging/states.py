"""What the tagging encoder read at each word piece of a text, for later stages to reuse."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from propscope.tagging.encoding import pieces_overlapping


@dataclass(frozen=True, eq=False)
class TokenStates:
    """The encoder's last hidden state of each word piece, with the piece's character range in
    the text it was tagged in."""

    offsets: np.ndarray  # (n, 2) int64
    hidden: np.ndarray  # (n, h) float32

    @property
    def size(self) -> int:
        return self.hidden.shape[1]

    def mean(self, start: int, end: int) -> np.ndarray | None:
        """The mean state of the pieces that overlap [start, end), or None when none does (the
        range is empty, lies outside what was encoded, or holds only spaces)."""
        pieces = pieces_overlapping(self.offsets, start, end) if end > start else None
        if pieces is None:
            return None
        return self.hidden[pieces[0] : pieces[1]].mean(axis=0)
