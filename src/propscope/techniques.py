"""The 14 techniques of SemEval-2020 Task 11, loaded from techniques.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Technique:
    id: str
    name: str
    definition: str
    why_misleading: str
    colour: str
    fine_grained: tuple[str, ...]


def _load() -> tuple[Technique, ...]:
    raw = json.loads(resources.files("propscope").joinpath("techniques.json").read_text(encoding="utf-8"))
    return tuple(
        Technique(t["id"], t["name"], t["definition"], t["why_misleading"], t["colour"], tuple(t["fine_grained"]))
        for t in raw["techniques"]
    )


TECHNIQUES: tuple[Technique, ...] = _load()
TECHNIQUE_IDS: tuple[str, ...] = tuple(t.id for t in TECHNIQUES)
BY_ID: dict[str, Technique] = {t.id: t for t in TECHNIQUES}
#: the 18 technique names of the original corpus release, mapped to the 14 task classes
#: (None: Obfuscation was dropped from the task)
FINE_GRAINED_TO_ID: dict[str, str | None] = {
    **{fine: t.id for t in TECHNIQUES for fine in t.fine_grained},
    "Obfuscation,Intentional_Vagueness,Confusion": None,
}


def technique(technique_id: str) -> Technique:
    return BY_ID[technique_id]
