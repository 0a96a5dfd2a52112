"""markdown and html: the reports for documents and web pages, laid out by tabulate.

Every text from the data passes through html.escape (the html format) or is written as
entities (markdown), so a recipient named `<script>` is shown, never run.
"""

from __future__ import annotations

import dataclasses
import html
import re
from typing import TYPE_CHECKING

from tabulate import tabulate

from ..reports.table import Cell, Column, Report
from . import display_cell
from .stylesheet import STYLE

if TYPE_CHECKING:  # only the type: the renderers need not load the data's model
    from ..completeness import Incomplete


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
    escapes cannot combine. An `@` is written as an entity, so that a recipient named
    `@someone` in a pull-request comment does not notify a GitHub user of that name."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("@", "&#64;")
    text = _MARKDOWN_LINK_SYNTAX.sub(r"\\\1", text)
    return " ".join(text.replace("|", "\\|").split())


def render_markdown(reports: list[Report], incomplete: Incomplete | None = None) -> str:
    parts = [f"**{_escape_markdown(incomplete.message())}**"] if incomplete else []
    for report in reports:
        rows = [[_escape_markdown(cell) for cell in row] for row in _rows(report)]
        table = tabulate(rows, headers=[c.title for c in report.columns], tablefmt="pipe",
                         colalign=_align(report), disable_numparse=True)
        notes = "".join(f"\n\n{_escape_markdown(note)}" for note in report.notes)
        parts.append(f"## {_escape_markdown(report.title)}\n\n{table}{notes}")
    return "\n\n".join(parts)


def _html_table(report: Report) -> str:
    """A table as the publish page's stylesheet expects it: figures classed `money` or `num`,
    every cell labelled with its column (a card on a phone), the totals in <tfoot>."""
    def classed(column: Column) -> str:
        kind = "money" if column.kind == "money" else "num" if column.numeric else ""
        return f' class="{kind}"' if kind else ""

    def row(cells: list[Cell]) -> str:
        tds = "".join(
            f'<td{classed(column)} data-label="{html.escape(column.title)}">'
            f"{html.escape(display_cell(cell, dataclasses.replace(column, bar=False)))}</td>"
            for cell, column in zip(cells, report.columns))
        return f"<tr>{tds}</tr>"

    head = "".join(f'<th scope="col"{classed(c)}>{html.escape(c.title)}</th>'
                   for c in report.columns)
    body = "\n".join(row(cells) for cells in report.rows)
    foot = "\n".join(row(cells) for cells in report.totals)
    return (f'<div class="scroll" role="region" aria-label="{html.escape(report.title)}" '
            f'tabindex="0"><table>\n<caption>{html.escape(report.title)}</caption>\n'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n"
            + (f"<tfoot>\n{foot}\n</tfoot>\n" if foot else "") + "</table></div>")


# A report's tables are wider than the public page's (eight figures across): the page may be.
_REPORT_PAGE = "\nbody { max-width: 110rem; }\n"


def render_html(reports: list[Report], incomplete: Incomplete | None = None) -> str:
    """A page of the reports, in the publish page's stylesheet; every text escaped."""
    title = html.escape(reports[0].title if reports else "pcc-ledger")
    warning = (f'<p class="note"><strong>{html.escape(incomplete.message())}</strong></p>\n'
               if incomplete else "")
    sections = []
    for report in reports:
        notes = "".join(f"\n<p>{html.escape(note)}</p>" for note in report.notes)
        sections.append(f"<section>\n{_html_table(report)}{notes}\n</section>")
    body = "\n".join(sections)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{STYLE}{_REPORT_PAGE}</style>\n</head>\n<body>\n"
        f"{warning}{body}\n"
        "</body>\n</html>"
    )
