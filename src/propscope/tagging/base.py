"""The seam between the pipeline and any model: training, ONNX inference and test fakes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from propscope.tagging.states import TokenStates


@dataclass(frozen=True)
class TaggedSpan:
    """A fragment found by a tagger; offsets index the text passed to ``tag``."""

    start: int
    end: int
    technique: str
    #: calibrated probability that the fragment is propaganda
    confidence: float
    #: calibrated probability of ``technique`` given that it is propaganda
    technique_confidence: float
    #: the most likely techniques, best first, with their probabilities
    ranking: tuple[tuple[str, float], ...] = ()


@runtime_checkable
class Tagger(Protocol):
    name: str
    version: str

    def tag(self, text: str, start: int = 0, end: int | None = None) -> list[TaggedSpan]:
        """Propaganda spans inside ``text[start:end]``, as offsets into ``text``; disjoint, sorted."""
        ...

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[tuple[str, float], ...]]:
        """For each given span of ``text``, all techniques ranked by probability."""
        ...


@runtime_checkable
class StateTagger(Tagger, Protocol):
    """A tagger that also gives what its encoder read, which the target ranker reuses."""

    #: SHA-256 of the encoder's weights, which the states depend on
    encoder_digest: str

    def tag_with_states(
        self, text: str, start: int = 0, end: int | None = None
    ) -> tuple[list[TaggedSpan], TokenStates]:
        """``tag``'s spans and the encoder's states of ``text[start:end]`` (offsets into ``text``)."""
        ...
