"""Charts as inline SVG: they work offline and in a self-contained file."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from propscope.techniques import BY_ID

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def bar_chart(items: list[tuple[str, float]], label: str, colour_of: Callable[[str], str] | None = None) -> str:
    """Horizontal bars, one per (name, value)."""
    top = max((value for _, value in items), default=0) or 1
    row, width, text_width = 26, 420, 220
    bars = []
    for i, (name, value) in enumerate(items):
        length = width * value / top
        colour = colour_of(name) if colour_of else BY_ID[name].colour if name in BY_ID else "#7aa6d8"
        y = i * row
        bars.append(
            f'<text x="{text_width - 8}" y="{y + 17}" text-anchor="end">{escape(name[:34])}</text>'
            f'<rect x="{text_width}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" fill="{colour}" stroke="#333" stroke-width=".5"/>'
            f'<text x="{text_width + length + 6:.1f}" y="{y + 17}">{value:.1f}</text>'
        )
    height = max(row * len(items), row)
    return (
        f"<figure><figcaption>{escape(label)}</figcaption>"
        f'<svg role="img" aria-label="{escape(label)}" width="{text_width + width + 60}" height="{height}" '
        f'font-family="system-ui, sans-serif" font-size="13">{"".join(bars)}</svg></figure>'
    )


def line_chart(series: dict[str, list[tuple[str, float]]], label: str, top: float = 100.0) -> str:
    """One line per series over shared x labels (months), values from 0 to ``top``."""
    xs = sorted({x for points in series.values() for x, _ in points})
    width, height, left, bottom = 560, 220, 40, 30
    if not xs:
        return f"<figure><figcaption>{escape(label)}: no dated articles</figcaption></figure>"
    step = (width - left - 20) / max(len(xs) - 1, 1)

    def position(x: str, y: float) -> tuple[float, float]:
        return left + xs.index(x) * step, height - bottom - (height - bottom - 10) * min(y, top) / top

    parts = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#999"/>']
    for i, x in enumerate(xs):
        parts.append(f'<text x="{left + i * step:.1f}" y="{height - 10}" text-anchor="middle">{escape(x)}</text>')
    legend = []
    for n, (name, points) in enumerate(sorted(series.items())):
        colour = PALETTE[n % len(PALETTE)]
        coordinates = " ".join(f"{px:.1f},{py:.1f}" for px, py in (position(x, y) for x, y in points))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{coordinates}"/>')
        for px, py in (position(x, y) for x, y in points):
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>')
        legend.append(f'<span style="color:{colour}">■</span> {escape(name)}')
    return (
        f"<figure><figcaption>{escape(label)} — {' '.join(legend)}</figcaption>"
        f'<svg role="img" aria-label="{escape(label)}" width="{width}" height="{height}" '
        f'font-family="system-ui, sans-serif" font-size="12">{"".join(parts)}</svg></figure>'
    )
