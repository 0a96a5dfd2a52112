"""Plain text tables (for pipes, files and NO_COLOR), laid out by tabulate."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from tabulate import SEPARATING_LINE, tabulate

from ..reports.table import Cell, Report
from . import display_cell

if TYPE_CHECKING:  # only the type: the renderers need not load the data's model
    from ..completeness import Incomplete

NOTE_WIDTH = 100


def _render_one(report: Report) -> str:
    def cells(row: list[Cell]) -> list[str]:
        return [display_cell(c, column) for c, column in zip(row, report.columns)]

    rows: list[list[str] | str] = [cells(row) for row in report.rows]
    if report.totals:
        rows.append(SEPARATING_LINE)
        rows.extend(cells(row) for row in report.totals)
    table = tabulate(
        rows,
        headers=[column.title for column in report.columns],
        tablefmt="simple",
        colalign=["right" if column.numeric else "left" for column in report.columns],
        disable_numparse=True,
    )
    notes = "".join(f"\n{textwrap.fill(note, NOTE_WIDTH)}" for note in report.notes)
    return f"{report.title}\n\n{table}\n{notes}".rstrip("\n")


def render_plain(reports: list[Report], incomplete: Incomplete | None = None) -> str:
    warning = [incomplete.message()] if incomplete else []  # one line, for grep
    return "\n\n".join([*warning, *(_render_one(report) for report in reports)])
