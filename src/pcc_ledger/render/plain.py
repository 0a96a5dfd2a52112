"""Plain text tables (for pipes, files and NO_COLOR), laid out by tabulate."""

from __future__ import annotations

import textwrap

from tabulate import SEPARATING_LINE, tabulate

from ..reports import Report
from . import cell_text

NOTE_WIDTH = 100


def render_plain(report: Report) -> str:
    kinds = [column.kind for column in report.columns]
    rows: list[list[str] | str] = [[cell_text(c, k) for c, k in zip(row, kinds)] for row in report.rows]
    if report.totals:
        rows.append(SEPARATING_LINE)
        rows.extend([cell_text(c, k) for c, k in zip(row, kinds)] for row in report.totals)
    table = tabulate(
        rows,
        headers=[column.title for column in report.columns],
        tablefmt="simple",
        colalign=["left" if kind == "text" else "right" for kind in kinds],
        disable_numparse=True,
    )
    notes = "".join(f"\n{textwrap.fill(note, NOTE_WIDTH)}" for note in report.notes)
    return f"{report.title}\n\n{table}\n{notes}".rstrip("\n")
