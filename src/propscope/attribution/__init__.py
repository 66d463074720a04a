"""Who is speaking in an article, and at whom: voice and speaker of each span
(``voice``), whom it is aimed at (``targets``), built on the article's quotations
(``quotes``) and what the parse says (``grammar``)."""

from propscope.attribution.quotes import Quote, find_quotes
from propscope.attribution.targets import TARGETED_TECHNIQUES, Target, Targeter
from propscope.attribution.voice import VOICES, Attributor, Voice

__all__ = ["TARGETED_TECHNIQUES", "VOICES", "Attributor", "Quote", "Target", "Targeter", "Voice", "find_quotes"]
