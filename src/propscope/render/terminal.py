"""The default terminal view: the article with highlighted spans, a legend, the summary."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from propscope.document import Analysis
from propscope.render.labels import percent, shown_probability, target_label, voice_label
from propscope.techniques import technique

#: the width of a console writing to a file or a pipe: wide enough that no table cell is wrapped
#: or cut, since such output has no screen to fit and whoever reads it (often a script) wants whole values
REDIRECTED_WIDTH = 10_000


def stdout_console() -> Console:
    """A console for tables on standard output: a terminal's own width, or when the output is
    redirected, one wide enough to keep every cell whole (Rich would assume 80 columns)."""
    return _fitted_console(stderr=False)


def stderr_console() -> Console:
    """A console for messages on standard error: wrapped to a terminal, or when it goes to a file
    or a pipe, one line per message, so a log reads whole and can be searched."""
    return _fitted_console(stderr=True)


def on_terminal(console: Console) -> bool:
    """Whether ``console`` writes to a terminal someone watches. Rich's ``is_terminal`` is also
    true when FORCE_COLOR or TTY_COMPATIBLE is set (CI, containers), where a redrawn progress bar
    or a line wrapped at 80 columns would be left in a log."""
    isatty = getattr(console.file, "isatty", None)
    return bool(isatty is not None and isatty())


def _fitted_console(*, stderr: bool) -> Console:
    console = Console(stderr=stderr)
    return console if on_terminal(console) else Console(stderr=stderr, width=REDIRECTED_WIDTH)


def _metadata(analysis: Analysis) -> str:
    article = analysis.article
    parts = [
        # which file or record of a folder or an export this is
        article.origin if article.origin and article.origin != article.url else None,
        f"outlet {article.source}" if article.source else None,
        f"dateline {article.dateline_place}" if article.dateline_place else None,
        f"date {article.date}" if article.date else None,
        article.url,
        f"model {analysis.model.get('name')} {analysis.model.get('version')}",
        f"attribution {analysis.model['attribution']}" if analysis.model.get("attribution") else None,
    ]
    return " · ".join(p for p in parts if p)


def article_text(analysis: Analysis) -> Text:
    """The analysed text; excluded stretches dimmed, spans coloured and numbered."""
    article = analysis.article
    regions = article.analysed_regions()
    start = regions[0][0] if regions else 0
    end = regions[-1][1] if regions else len(article.text)
    shown = Text(article.text[start:end])
    for excluded in article.excluded:
        if excluded.start < end and excluded.end > start:
            shown.stylize("dim strike", max(excluded.start, start) - start, min(excluded.end, end) - start)
    for span in analysis.spans:
        shown.stylize(f"black on {technique(span.technique).colour}", span.start - start, span.end - start)
    # numbers are inserted from the end so earlier offsets stay valid
    for number, span in reversed(list(enumerate(analysis.spans, 1))):
        shown = Text.assemble(shown[: span.end - start], Text(f"[{number}]", style="bold"), shown[span.end - start :])
    return shown


def render_terminal(analysis: Analysis, console: Console) -> None:
    summary = analysis.summary
    title = analysis.article.title or analysis.article.origin or "article"
    # file names, outlets and warnings are the user's text, never read as Rich markup
    console.print(Panel(article_text(analysis), title=Text(title, style="bold")))
    # below the panel, not in its border, where Rich cuts what the width cannot hold
    console.print(Text(_metadata(analysis), style="dim"))
    legend = Table("technique", "spans", title="Techniques found", show_edge=False)
    for technique_id, count in summary.spans_per_technique.items():
        entry = technique(technique_id)
        legend.add_row(Text(f" {entry.name} ", style=f"black on {entry.colour}"), str(count))
    spans = Table("#", "technique", "confidence", "voice", "aimed at", "fragment", title="Spans", show_edge=False)
    for number, span in enumerate(analysis.spans, 1):
        spans.add_row(
            str(number),
            span.technique_name,
            f"{percent(span.confidence)} / {percent(span.technique_confidence)}",
            # article text, never read as Rich markup
            Text(voice_label(span.voice, span.speaker, span.voice_confidence, span.speaker_confidence)),
            Text(target_label(span.target, span.target_confidence)),
            Text(span.text),
        )
    if analysis.spans:
        console.print(legend)
        console.print(spans)
    console.print(
        f"[bold]Propaganda score {summary.score}/100[/bold] (author's own voice {summary.author_score}/100)"
        f" · {summary.sentences_with_propaganda} of "
        f"{summary.sentences} sentences hold a propaganda span · {len(analysis.spans)} spans"
        " (confidence: span is propaganda / technique is right)"
    )
    for warning in analysis.article.warnings:
        console.print(Text.assemble(("warning:", "yellow"), f" {warning}"))


def render_plain(analysis: Analysis) -> str:
    lines = [f"# {analysis.article.title or analysis.article.origin or 'article'}", f"# {_metadata(analysis)}"]
    for span in analysis.spans:
        lines.append(
            f"{span.start}\t{span.end}\t{span.technique}"
            f"\t{shown_probability(span.confidence, 2)}\t{shown_probability(span.technique_confidence, 2)}"
            f"\t{voice_label(span.voice, span.speaker, span.voice_confidence, span.speaker_confidence)}\t{span.text}"
        )
    summary = analysis.summary
    lines.append(
        f"# score {summary.score}/100 (author's voice {summary.author_score}/100), "
        f"{summary.sentences_with_propaganda}/{summary.sentences} sentences, "
        f"{len(analysis.spans)} spans"
    )
    lines += [f"# warning: {warning}" for warning in analysis.article.warnings]
    return "\n".join(lines) + "\n"
