"""One self-contained HTML file: inline CSS, no scripts, no external resources."""

from __future__ import annotations

from html import escape
from importlib import resources

from propscope.document import Analysis
from propscope.render.terminal import voice_label
from propscope.techniques import technique


def _voice_label(span: dict) -> str:
    return f"{span['voice']}: {span['speaker']}" if span.get("speaker") else span["voice"]


def highlight_document(document: dict) -> str:
    """The analysed text of an analysis document (``Analysis.to_dict()``) as escaped HTML:
    excluded stretches struck through, spans as numbered ``<mark>`` elements whose data
    attributes (technique, confidence, voice) let a page filter them."""
    article = document["article"]
    text = article["text"]
    regions = article["analysed_regions"]
    start = regions[0][0] if regions else 0
    end = regions[-1][1] if regions else len(text)
    # boundaries where markup opens or closes, walked in order
    events: list[tuple[int, int, str]] = []
    for excluded in article["excluded"]:
        if excluded["start"] < end and excluded["end"] > start:
            reason = escape(excluded["reason"])
            events.append((max(excluded["start"], start), 1, f'<span class="excluded" title="{reason}">'))
            events.append((min(excluded["end"], end), 0, "</span>"))
    for number, span in enumerate(document["spans"], 1):
        entry = technique(span["technique"])
        tooltip = (
            f"{entry.name} · {span['confidence']:.0%} propaganda · {span['technique_confidence']:.0%} technique"
            f" · voice: {_voice_label(span)} — {span['explanation']}"
        )
        events.append(
            (
                span["start"],
                1,
                f'<mark style="background:{entry.colour}" title="{escape(tooltip)}" tabindex="0"'
                f' data-technique="{escape(span["technique"])}" data-confidence="{span["confidence"]:.4f}"'
                f' data-voice="{escape(span["voice"])}">',
            )
        )
        events.append((span["end"], 0, f"<sup>{number}</sup></mark>"))
    events.sort(key=lambda e: (e[0], e[1]))
    pieces, position = [], start
    for offset, _, markup in events:
        pieces.append(escape(text[position:offset]))
        pieces.append(markup)
        position = offset
    pieces.append(escape(text[position:end]))
    return "".join(pieces)


def render_html(analysis: Analysis) -> str:
    article, summary = analysis.article, analysis.summary
    css = resources.files("propscope.render").joinpath("report.css").read_text(encoding="utf-8")
    title = escape(article.title or article.origin or "Article")
    meta = " · ".join(
        escape(part)
        for part in (article.source, article.dateline_place, article.date, article.url, article.origin)
        if part
    )
    legend_rows = "".join(
        f'<tr><td><span class="swatch" style="background:{technique(t).colour}"></span>{escape(technique(t).name)}</td>'
        f"<td>{count}</td><td>{escape(technique(t).definition)}</td></tr>"
        for t, count in summary.spans_per_technique.items()
    )
    span_rows = "".join(
        f"<tr><td>{n}</td><td>{escape(s.technique_name)}</td><td>{s.confidence:.0%}</td>"
        f"<td>{s.technique_confidence:.0%}</td><td>{escape(voice_label(s))}</td><td>{escape(s.text)}</td></tr>"
        for n, s in enumerate(analysis.spans, 1)
    )
    model = f"{escape(analysis.model.get('name', ''))} {escape(analysis.model.get('version', ''))}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{title} — propscope</title>
<style>{css}</style>
</head>
<body>
<h1>{title}</h1>
<p class="meta">{meta}</p>
<p class="summary"><span class="score">Propaganda score {summary.score}/100</span>
(in the author's own voice: {summary.author_score}/100)<br>
{summary.sentences_with_propaganda} of {summary.sentences} sentences hold a propaganda span; {len(analysis.spans)} spans.
Hover a highlighted fragment for its technique, confidence and explanation.</p>
<div class="text">{highlight_document(analysis.to_dict())}</div>
<h2>Techniques found</h2>
<table><thead><tr><th>technique</th><th>spans</th><th>what it is</th></tr></thead><tbody>{legend_rows}</tbody></table>
<h2>Spans</h2>
<table><thead><tr><th>#</th><th>technique</th><th>propaganda</th><th>technique confidence</th><th>voice</th><th>fragment</th></tr></thead><tbody>{span_rows}</tbody></table>
<footer>Made by propscope with model {model}. Confidences are calibrated probabilities; a model makes mistakes — read the
fragment before you quote it.</footer>
</body>
</html>
"""
