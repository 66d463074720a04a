"""``propscope report``: terminal tables and a self-contained HTML report with SVG charts."""

from __future__ import annotations

from html import escape
from importlib import resources

from rich.table import Table

from propscope.render.charts import bar_chart
from propscope.store.stats import GroupStats


def stats_table(groups: list[GroupStats], by: str) -> Table:
    table = Table(by, "articles", "spans", "mean score", "author's voice", "top techniques", show_edge=False)
    for group in groups:
        table.add_row(
            group.key,
            str(group.articles),
            str(group.spans),
            f"{group.mean_score:.1f}",
            f"{group.mean_author_score:.1f}",
            ", ".join(f"{t} ({n})" for t, n in group.techniques.most_common(3)),
        )
    return table


def _bar_chart(groups: list[GroupStats], value, label: str) -> str:
    return bar_chart([(g.key, value(g)) for g in groups], label)


def stats_html(groups: list[GroupStats], by: str, title: str) -> str:
    css = resources.files("propscope.render").joinpath("report.css").read_text(encoding="utf-8")
    rows = "".join(
        f"<tr><td>{escape(g.key)}</td><td>{g.articles}</td><td>{g.spans}</td><td>{g.mean_score:.1f}</td>"
        f"<td>{g.mean_author_score:.1f}</td><td>{escape(', '.join(f'{t} ({n})' for t, n in g.techniques.most_common(3)))}</td></tr>"
        for g in groups
    )
    charts = _bar_chart(groups, lambda g: g.spans, f"Propaganda spans per {by}")
    if by != "technique":
        charts += _bar_chart(groups, lambda g: g.mean_score, f"Mean propaganda score per {by} (0-100)")
        charts += _bar_chart(groups, lambda g: g.mean_author_score, f"Mean score in the author's own voice per {by}")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{escape(title)}</title><style>{css} body {{ max-width: 60rem; }} figure {{ margin: 1.5rem 0; }}</style></head>
<body><h1>{escape(title)}</h1>
{charts}
<table><thead><tr><th>{escape(by)}</th><th>articles</th><th>spans</th><th>mean score</th><th>author's voice</th><th>top techniques</th></tr></thead>
<tbody>{rows}</tbody></table>
<footer>Made by propscope. Scores are model estimates; read the articles before drawing conclusions.</footer>
</body></html>
"""
