"""``propscope report``: one list of rows, shown as a terminal table, as a self-contained HTML report
with SVG charts, or as JSON (the rows as they are)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from importlib import resources

from rich.table import Table
from rich.text import Text

from propscope.render.charts import SCORE_MAXIMUM, bar_chart, figure
from propscope.store.stats import GroupStats
from propscope.techniques import BY_ID

#: between the techniques of a cell: ids and names hold commas ("Whataboutism, straw man, red herring")
TECHNIQUE_SEPARATOR = "; "
#: a row's figures after its key, in the order of the columns, with their headings
HEADINGS = {
    "articles": "articles",
    "spans": "spans",
    "mean_score": "mean score",
    "mean_author_score": "author's voice",
    "top_techniques": "top techniques",
}


def report_columns(by: str) -> list[str]:
    """The figures of a row: all but the top techniques when each row is a technique, whose top
    technique would be itself."""
    return [column for column in HEADINGS if not (by == "technique" and column == "top_techniques")]


def report_rows(groups: list[GroupStats], by: str) -> list[dict]:
    """The report's rows in the order given, in the dashboard's JSON shape (``GroupStats.as_dict``),
    without ``top_techniques`` by technique, where it would only name the row's own technique."""
    return [{"key": group.key} | {column: group.as_dict()[column] for column in report_columns(by)} for group in groups]


def _key(row: dict, by: str) -> str:
    """A row's name as people read it: a technique's name rather than its id."""
    return BY_ID[row["key"]].name if by == "technique" else row["key"]


def _cell(value: float | dict[str, int]) -> str:
    if isinstance(value, dict):
        return TECHNIQUE_SEPARATOR.join(f"{BY_ID[technique].name} ({spans})" for technique, spans in value.items())
    return figure(value)


def _cells(row: dict, by: str) -> list[str]:
    return [_key(row, by), *(_cell(row[column]) for column in report_columns(by))]


def _headings(by: str) -> list[str]:
    return [by, *(HEADINGS[column] for column in report_columns(by))]


def stats_table(rows: list[dict], by: str) -> Table:
    table = Table(*_headings(by), show_edge=False)
    for row in rows:
        # outlets are the user's text, never read as Rich markup
        table.add_row(*(Text(cell) for cell in _cells(row, by)))
    return table


def _bar_chart(
    rows: list[dict], by: str, value: Callable[[dict], float], label: str, maximum: float | None = None
) -> str:
    return bar_chart([(_key(row, by), value(row)) for row in rows], label, maximum=maximum)


def stats_html(rows: list[dict], by: str, title: str) -> str:
    css = resources.files("propscope.render").joinpath("report.css").read_text(encoding="utf-8")
    headings = "".join(f"<th>{escape(heading)}</th>" for heading in _headings(by))
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in _cells(row, by)) + "</tr>" for row in rows)
    charts = _bar_chart(rows, by, lambda row: row["spans"], f"Propaganda spans per {by}")
    if by != "technique":
        charts += _bar_chart(
            rows, by, lambda row: row["mean_score"], f"Mean propaganda score per {by} (0-100)", SCORE_MAXIMUM
        )
        charts += _bar_chart(
            rows,
            by,
            lambda row: row["mean_author_score"],
            f"Mean score in the author's own voice per {by} (0-100)",
            SCORE_MAXIMUM,
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{escape(title)}</title><style>{css} body {{ max-width: 60rem; }} figure {{ margin: 1.5rem 0; }}</style></head>
<body><h1>{escape(title)}</h1>
{charts}
<table><thead><tr>{headings}</tr></thead>
<tbody>{body}</tbody></table>
<footer>Made by propscope. Scores are model estimates; read the articles before drawing conclusions.</footer>
</body></html>
"""
