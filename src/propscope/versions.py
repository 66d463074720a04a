"""What an analysis depends on, and the key stores and outputs keep it under, so that a newer
propscope knows which stored analyses it would now make differently."""

from __future__ import annotations

from collections.abc import Mapping

#: the version of attribution: the rules of voice, speaker and target, the target ranker and chooser.
#: Raise it with any change to them that can change an answer, so that ``propscope reanalyze``
#: and resumed batch runs analyse stored articles again.
ATTRIBUTION_VERSION = "2026.11.30.19"
#: the longest key a store keeps (its ``model_version`` column, 40 characters since the first migration)
MAX_VERSION_CHARS = 40


def analysis_model(name: str, version: str) -> dict[str, str]:
    """The ``model`` field of an analysis by the tagging model ``name`` ``version`` now."""
    return {"name": name, "version": version, "attribution": ATTRIBUTION_VERSION}


def installed_version(tagging_version: str) -> str:
    """The key of the analyses the tagging model ``tagging_version`` and this attribution make."""
    return analysis_version({"version": tagging_version, "attribution": ATTRIBUTION_VERSION})


def analysis_version(model: Mapping[str, str]) -> str:
    """The key of an analysis by ``model`` (its ``model`` field): the tagging model's version and
    the attribution's. Analyses made before attribution had a version are keyed by the tagging
    model alone, so they count as made by another version."""
    version = model.get("version", "")
    attribution = model.get("attribution")
    return f"{version}+attribution.{attribution}" if attribution else version
