"""The terminal table: Rich, with money right-aligned and a bold totals row."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from ..reports.table import Cell, Report
from . import display_cell


def _widths(report: Report) -> list[int]:
    titles: list[Cell] = [column.title for column in report.columns]
    cells = [titles, *report.rows, *report.totals]
    return [
        max(cell_len(display_cell(row[index], column)) for row in cells)
        for index, column in enumerate(report.columns)
    ]


def fits(reports: list[Report], console: Console) -> bool:
    """Whether every table fits the terminal with nothing folded or cut; when one does not,
    the CLI prints the plain layout, which the terminal may wrap but never truncates."""
    return all(
        sum(_widths(report)) + 3 * len(report.columns) + 1 <= console.width  # cells + rules
        for report in reports
    )


def _table(report: Report) -> RenderableType:
    table = Table(title=report.title, title_justify="left", show_footer=False)
    for column, width in zip(report.columns, _widths(report)):
        justify: JustifyMethod = "right" if column.numeric else "left"
        table.add_column(column.title, justify=justify, no_wrap=True, min_width=width)

    def cells(row: list[Cell]) -> list[Text]:
        # Text, not str, so a `[` in the data is never read as Rich markup.
        return [Text(display_cell(c, column)) for c, column in zip(row, report.columns)]

    for index, row in enumerate(report.rows):
        table.add_row(*cells(row), end_section=index == len(report.rows) - 1)
    for row in report.totals:
        table.add_row(*cells(row), style="bold")
    notes = [Text(note, style="dim") for note in report.notes]
    return Group(table, *notes)


def render_rich(reports: list[Report]) -> RenderableType:
    parts: list[RenderableType] = []
    for index, report in enumerate(reports):
        if index:
            parts.append(Text(""))
        parts.append(_table(report))
    return Group(*parts)
