"""markdown and html: the reports for documents and web pages, laid out by tabulate.

tabulate's html format escapes every cell, so text from the data (a recipient named
`<script>`) is shown, never run.
"""

from __future__ import annotations

import html
import re

from tabulate import tabulate

from ..reports.table import Report
from . import display_cell


def _rows(report: Report) -> list[list[str]]:
    return [
        [display_cell(cell, column) for cell, column in zip(row, report.columns)]
        for row in [*report.rows, *report.totals]
    ]


def _align(report: Report) -> list[str]:
    return ["right" if column.numeric else "left" for column in report.columns]


_MARKDOWN_LINK_SYNTAX = re.compile(r"([\\\[\]])")


def _escape_markdown(text: str) -> str:
    """Table cells stay cells (no `|`, no line break) and stay text: markdown passes raw HTML
    through to the page, so `<` and `&` are written as entities, and a recipient named
    `[click](https://…)` or `![](…)` must not become a link or an image: with its brackets
    escaped neither is one (nor is a reference link); the backslash itself is escaped too, so
    escapes cannot combine."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_LINK_SYNTAX.sub(r"\\\1", text)
    return " ".join(text.replace("|", "\\|").split())


def render_markdown(reports: list[Report]) -> str:
    parts = []
    for report in reports:
        rows = [[_escape_markdown(cell) for cell in row] for row in _rows(report)]
        table = tabulate(rows, headers=[c.title for c in report.columns], tablefmt="pipe",
                         colalign=_align(report), disable_numparse=True)
        notes = "".join(f"\n\n{_escape_markdown(note)}" for note in report.notes)
        parts.append(f"## {_escape_markdown(report.title)}\n\n{table}{notes}")
    return "\n\n".join(parts)


def render_html(reports: list[Report]) -> str:
    title = html.escape(reports[0].title if reports else "pcc-ledger")
    sections = []
    for report in reports:
        table = tabulate(_rows(report), headers=[c.title for c in report.columns],
                         tablefmt="html", colalign=_align(report), disable_numparse=True)
        notes = "".join(f"\n<p>{html.escape(note)}</p>" for note in report.notes)
        sections.append(f"<section>\n<h2>{html.escape(report.title)}</h2>\n{table}{notes}\n"
                        "</section>")
    body = "\n".join(sections)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n</head>\n<body>\n{body}\n</body>\n</html>"
    )
