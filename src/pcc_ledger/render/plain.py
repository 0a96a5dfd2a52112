"""Plain text tables (for pipes, files and NO_COLOR), laid out by tabulate."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from tabulate import SEPARATING_LINE, tabulate
from wcwidth import wcswidth

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
    headers = [column.title for column in report.columns]
    right = [column.numeric for column in report.columns]
    table = simple_table(headers, rows, right)
    if table is None:
        table = tabulate(rows, headers=headers, tablefmt="simple",
                         colalign=["right" if r else "left" for r in right],
                         disable_numparse=True)
    notes = "".join(f"\n{textwrap.fill(note, NOTE_WIDTH)}" for note in report.notes)
    return f"{report.title}\n\n{table}\n{notes}".rstrip("\n")


def simple_table(headers: list[str], rows: list[list[str] | str],
                 right: list[bool]) -> str | None:
    """tabulate's "simple" layout of cells that are already text, written out directly: at
    100,000 rows tabulate spends five seconds finding out again, cell by cell, what each
    column holds. None when a cell needs tabulate's own care (a line break, a tab, any other
    character that does not print); tests/test_plain_layout.py holds the two to the same
    output."""
    if all(row is SEPARATING_LINE for row in rows):
        return None  # tabulate aligns the headers of an empty table its own way
    stripped: list[list[str] | None] = []
    widths = [_width(header) + _HEADER_PADDING for header in headers]
    for row in rows:
        if row is SEPARATING_LINE:
            stripped.append(None)
            continue
        cells = []
        for n, cell in enumerate(row):
            if not cell.isprintable():  # before stripping: a trailing line break counts
                return None
            cell = cell.strip()
            width = _width(cell)
            if width > widths[n]:
                widths[n] = width
            cells.append(cell)
        stripped.append(cells)
    if not all(header.isprintable() for header in headers):
        return None

    def line(cells: list[str]) -> str:
        return "  ".join(
            " " * (width - _width(cell)) + cell if at_right else cell + " " * (width - _width(cell))
            for cell, width, at_right in zip(cells, widths, right)).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule,
                      *(rule if cells is None else line(cells) for cells in stripped)])


_HEADER_PADDING = 2  # tabulate's MIN_PADDING: a column is at least its header and two more


def _width(text: str) -> int:
    """Terminal columns: one a character, two for East Asian wide ones, none for combining
    accents (as tabulate counts, with wcwidth). Every printable character before the
    combining accents (U+0300), `£` and Welsh `ŵ` among them, is one column."""
    if text.isascii() or max(text) < "\u0300":
        return len(text)
    return int(wcswidth(text))


def render_plain(reports: list[Report], incomplete: Incomplete | None = None) -> str:
    warning = [incomplete.message()] if incomplete else []  # one line, for grep
    return "\n\n".join([*warning, *(_render_one(report) for report in reports)])
