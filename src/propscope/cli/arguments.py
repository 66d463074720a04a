"""Argument types shared by the commands: a bad value is argparse's one-line usage error."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole_number(lowest: int, highest: int | None = None) -> Callable[[str], int]:
    """A type for whole numbers from ``lowest`` to ``highest`` (no upper bound when None)."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not {value!r}") from None
        if number < lowest or (highest is not None and number > highest):
            bounds = f"from {lowest} to {highest}" if highest is not None else f"of at least {lowest}"
            raise argparse.ArgumentTypeError(f"expected a whole number {bounds}, not {value}")
        return number

    return parse
