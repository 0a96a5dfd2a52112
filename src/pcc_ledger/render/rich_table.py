"""The terminal table: Rich, with money right-aligned and a bold totals row."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..reports import Report
from . import cell_text


def render_rich(report: Report) -> RenderableType:
    table = Table(title=report.title, title_justify="left", show_footer=False)
    kinds = [column.kind for column in report.columns]
    for column in report.columns:
        right = column.kind != "text"
        table.add_column(column.title, justify="right" if right else "left", no_wrap=right)
    # Cells are Text, not str, so a `[` in the data is never read as Rich markup.
    for index, row in enumerate(report.rows):
        last = index == len(report.rows) - 1
        table.add_row(*(Text(cell_text(c, k)) for c, k in zip(row, kinds)), end_section=last)
    if report.totals is not None:
        table.add_row(*(Text(cell_text(c, k)) for c, k in zip(report.totals, kinds)), style="bold")
    notes = [Text(note, style="dim") for note in report.notes]
    return Group(table, *notes)
