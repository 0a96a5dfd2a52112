"""The terminal table: Rich, with money right-aligned and a bold totals row."""

from __future__ import annotations

from rich.console import Console, Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from ..reports import Cell, Report
from . import cell_text


def _widths(report: Report) -> list[int]:
    kinds = [column.kind for column in report.columns]
    titles: list[Cell] = [column.title for column in report.columns]
    cells = [titles, *report.rows, *report.totals]
    return [
        max(len(cell_text(row[index], kind)) for row in cells) for index, kind in enumerate(kinds)
    ]


def fits(report: Report, console: Console) -> bool:
    """Whether the whole table fits the terminal with nothing folded or cut; when it does not,
    the CLI prints the plain layout, which the terminal may wrap but never truncates."""
    borders = 3 * len(report.columns) + 1  # a space either side of each cell, and the rules
    return sum(_widths(report)) + borders <= console.width


def render_rich(report: Report) -> RenderableType:
    table = Table(title=report.title, title_justify="left", show_footer=False)
    kinds = [column.kind for column in report.columns]
    for column, width in zip(report.columns, _widths(report)):
        justify: JustifyMethod = "left" if column.kind == "text" else "right"
        table.add_column(column.title, justify=justify, no_wrap=True, min_width=width)
    # Cells are Text, not str, so a `[` in the data is never read as Rich markup.
    for index, row in enumerate(report.rows):
        last = index == len(report.rows) - 1
        table.add_row(*(Text(cell_text(c, k)) for c, k in zip(row, kinds)), end_section=last)
    for row in report.totals:
        table.add_row(*(Text(cell_text(c, k)) for c, k in zip(row, kinds)), style="bold")
    notes = [Text(note, style="dim") for note in report.notes]
    return Group(table, *notes)
