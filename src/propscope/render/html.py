"""One self-contained HTML file: inline CSS, no scripts, no external resources."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from importlib import resources
from itertools import pairwise

from propscope.render.labels import exclusion_label, percent, score_meaning, target_label, voice_label
from propscope.techniques import technique


def _voice_label(span: dict) -> str:
    return voice_label(span["voice"], span.get("speaker"), span.get("voice_confidence"), span.get("speaker_confidence"))


def _target_label(span: dict) -> str:
    return target_label(span.get("target"), span.get("target_confidence"))


def _aimed_at(span: dict) -> str:
    aimed_at = _target_label(span)
    return f" · aimed at: {aimed_at}" if aimed_at else ""


@dataclass(frozen=True)
class _Layer:
    """Something drawn over a stretch of text: opened again after every boundary inside it, so
    overlapping spans nest properly and each stays visible over its whole extent."""

    start: int
    end: int
    rank: int  # outer layers first: sentence shading, then excluded text, then spans
    open_tag: str
    first_open_tag: str
    close_tag: str
    last_close_tag: str


def _span_layers(spans: list[dict]) -> list[_Layer]:
    layers = []
    for number, span in enumerate(spans, 1):
        entry = technique(span["technique"])
        tooltip = (
            f"{entry.name} · {percent(span['confidence'])} propaganda · {percent(span['technique_confidence'])} technique"
            f" · voice: {_voice_label(span)}{_aimed_at(span)} — {span['explanation']}"
        )
        attributes = (
            f'style="background:{entry.colour}" data-span="{number}" data-technique="{escape(span["technique"])}"'
            f' data-confidence="{span["confidence"]:.4f}" data-voice="{escape(span["voice"])}"'
        )
        layers.append(
            _Layer(
                start=span["start"],
                end=span["end"],
                rank=2,
                open_tag=f'<mark class="continued" {attributes}>',
                first_open_tag=f'<mark {attributes} title="{escape(tooltip)}" tabindex="0">',
                close_tag="</mark>",
                last_close_tag=f"<sup>{number}</sup></mark>",
            )
        )
    return layers


def highlight_document(document: dict) -> str:
    """The analysed text of an analysis document (``Analysis.to_dict()``) as escaped HTML: sentences
    holding propaganda shaded, excluded stretches struck through, spans as numbered ``<mark>``
    elements whose data attributes (span number, technique, confidence, voice) let a page filter them.
    A span cut by another span's boundary continues in a ``mark.continued`` with the same number."""
    article = document["article"]
    text = article["text"]
    regions = article["analysed_regions"]
    start = regions[0][0] if regions else 0
    end = regions[-1][1] if regions else len(text)
    spans = document["spans"]
    layers = _span_layers(spans)
    for excluded in article["excluded"]:
        reason = escape(exclusion_label(excluded["reason"]))
        tag = f'<span class="excluded" title="{reason}">'
        layers.append(_Layer(excluded["start"], excluded["end"], 1, tag, tag, "</span>", "</span>"))
    for sentence_start, sentence_end in document.get("sentences", []):
        if any(s["start"] < sentence_end and s["end"] > sentence_start for s in spans):
            tag = '<span class="propaganda-sentence">'
            layers.append(_Layer(sentence_start, sentence_end, 0, tag, tag, "</span>", "</span>"))
    layers = [layer for layer in layers if layer.start < end and layer.end > start and layer.start < layer.end]
    boundaries = sorted({start, end} | {max(start, min(end, p)) for layer in layers for p in (layer.start, layer.end)})
    pieces = []
    for left, right in pairwise(boundaries):
        active = sorted(
            (layer for layer in layers if layer.start <= left and layer.end >= right),
            key=lambda layer: (layer.rank, layer.start, -layer.end),
        )
        pieces += [layer.first_open_tag if layer.start == left else layer.open_tag for layer in active]
        pieces.append(escape(text[left:right]))
        pieces += [layer.last_close_tag if layer.end == right else layer.close_tag for layer in reversed(active)]
    return "".join(pieces)


def render_html(document: dict) -> str:
    """A self-contained report of an analysis document (``Analysis.to_dict()``)."""
    article, summary, spans = document["article"], document["summary"], document["spans"]
    css = resources.files("propscope.render").joinpath("report.css").read_text(encoding="utf-8")
    title = escape(article["title"] or article["origin"] or "Article")
    meta = " · ".join(
        escape(part) for part in (article[key] for key in ("source", "dateline_place", "date", "url", "origin")) if part
    )
    legend_rows = "".join(
        f'<tr><td><span class="swatch" style="background:{technique(t).colour}"></span>{escape(technique(t).name)}</td>'
        f"<td>{count}</td><td>{escape(technique(t).definition)}</td></tr>"
        for t, count in summary["spans_per_technique"].items()
    )
    span_rows = "".join(
        f"<tr><td>{n}</td><td>{escape(s['technique_name'])}</td><td>{percent(s['confidence'])}</td>"
        f"<td>{percent(s['technique_confidence'])}</td><td>{escape(_voice_label(s))}</td>"
        f"<td>{escape(_target_label(s))}</td><td>{escape(s['text'])}</td></tr>"
        for n, s in enumerate(spans, 1)
    )
    model = f"{escape(document['model'].get('name', ''))} {escape(document['model'].get('version', ''))}"
    if document["model"].get("attribution"):
        model += f", attribution {escape(document['model']['attribution'])}"
    # a text decoded from a guessed encoding, or a record's date dropped: the reader must see it
    warnings = "".join(f'<p class="warning">Warning: {escape(w)}</p>' for w in article.get("warnings", ()))
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
{warnings}<p class="summary"><span class="score">Propaganda score {summary["score"]}/100</span>
(in the author's own voice: {summary["author_score"]}/100)<br>
{summary["sentences_with_propaganda"]} of {summary["sentences"]} sentences hold a propaganda span; {len(spans)} spans.
Hover a highlighted fragment for its technique, confidence and explanation.</p>
<p class="meta">{escape(score_meaning(summary["score"]))}</p>
<div class="text">{highlight_document(document)}</div>
<h2>Techniques found</h2>
<table><thead><tr><th>technique</th><th>spans</th><th>what it is</th></tr></thead><tbody>{legend_rows}</tbody></table>
<h2>Spans</h2>
<table><thead><tr><th>#</th><th>technique</th><th>propaganda</th><th>technique confidence</th><th>voice</th><th>aimed at</th><th>fragment</th></tr></thead><tbody>{span_rows}</tbody></table>
<footer>Made by propscope with model {model}. Confidences are probabilities calibrated on annotated articles (those of
speakers and targets overstate on new ones); a model makes mistakes — read the fragment before you quote it.</footer>
</body>
</html>
"""
