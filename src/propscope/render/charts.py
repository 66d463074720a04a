"""Charts as inline SVG: they work offline and in a self-contained file."""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

from propscope.techniques import TECHNIQUES

#: bars named by a technique's id or its display name take its colour
TECHNIQUE_COLOURS = {t.id: t.colour for t in TECHNIQUES} | {t.name: t.colour for t in TECHNIQUES}
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
#: the top of a propaganda score's scale: a score chart's full bar
SCORE_MAXIMUM = 100


def figure(value: float) -> str:
    """A count as the whole number it is ("19"), any other figure (a score, a share) with one decimal."""
    return str(value) if isinstance(value, int) else f"{value:.1f}"


def bar_chart(
    items: list[tuple[str, float]],
    label: str,
    colour_of: Callable[[str], str] | None = None,
    *,
    maximum: float | None = None,
) -> str:
    """Horizontal bars, one per (name, value); a value given as an int is labelled as a count.
    A full bar is ``maximum`` (``SCORE_MAXIMUM`` for scores), else the largest value: a score of 14
    filling the whole bar read as the worst possible."""
    top = maximum or max((value for _, value in items), default=0) or 1
    row, width, text_width = 26, 420, 220
    bars = []
    for i, (name, value) in enumerate(items):
        length = width * min(value, top) / top
        colour = colour_of(name) if colour_of else TECHNIQUE_COLOURS.get(name, "#7aa6d8")
        y = i * row
        bars.append(
            f'<text x="{text_width - 8}" y="{y + 17}" text-anchor="end">{escape(name[:34])}</text>'
            f'<rect x="{text_width}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" fill="{colour}" stroke="#333" stroke-width=".5"/>'
            f'<text x="{text_width + length + 6:.1f}" y="{y + 17}">{figure(value)}</text>'
        )
    height = max(row * len(items), row)
    return (
        f"<figure><figcaption>{escape(label)}</figcaption>"
        f'<svg role="img" aria-label="{escape(label)}" width="{text_width + width + 60}" height="{height}" '
        f'font-family="system-ui, sans-serif" font-size="13">{"".join(bars)}</svg></figure>'
    )


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def line_chart(series: dict[str, list[tuple[str, float]]], label: str) -> str:
    """One line per series over shared x labels (months); the y axis runs from 0 to a round number
    above the highest value, with gridlines at its quarters."""
    xs = sorted({x for points in series.values() for x, _ in points})
    width, height, left, right, bottom = 600, 220, 44, 40, 30
    if not xs:
        return f"<figure><figcaption>{escape(label)}: no dated articles</figcaption></figure>"
    top = nice_ceiling(max(y for points in series.values() for _, y in points))
    step = (width - left - right) / max(len(xs) - 1, 1)
    plot_height = height - bottom - 10

    def position(x: str, y: float) -> tuple[float, float]:
        return left + xs.index(x) * step, height - bottom - plot_height * min(y, top) / top

    parts = []
    for quarter in range(5):
        value = top * quarter / 4
        y = height - bottom - plot_height * quarter / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right + 10}" y2="{y:.1f}" stroke="{"#999" if quarter == 0 else "#e3e3e3"}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>'
        )
    for i, x in enumerate(xs):
        parts.append(f'<text x="{left + i * step:.1f}" y="{height - 10}" text-anchor="middle">{escape(x)}</text>')
    legend = []
    for n, (name, points) in enumerate(sorted(series.items())):
        colour = PALETTE[n % len(PALETTE)]
        coordinates = " ".join(f"{px:.1f},{py:.1f}" for px, py in (position(x, y) for x, y in points))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{coordinates}"/>')
        for x, y in points:
            px, py = position(x, y)
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"><title>{escape(name)}, {escape(x)}: {figure(y)}</title></circle>'
            )
        legend.append(f'<span style="color:{colour}">■</span> {escape(name)}')
    return (
        f"<figure><figcaption>{escape(label)} — {' '.join(legend)}</figcaption>"
        f'<svg role="img" aria-label="{escape(label)}" width="{width}" height="{height}" '
        f'font-family="system-ui, sans-serif" font-size="12">{"".join(parts)}</svg></figure>'
    )
