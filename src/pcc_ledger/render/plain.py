"""Plain text tables (for pipes, files and NO_COLOR), in tabulate's "simple" layout."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tabulate import SEPARATING_LINE, tabulate
from wcwidth import wcswidth

from ..reports.table import Cell, Column, Report
from . import display_cell, display_column

if TYPE_CHECKING:  # only the type: the renderers need not load the data's model
    from ..completeness import Incomplete

NOTE_WIDTH = 100


def _render_one(report: Report) -> str:
    headers = [column.title for column in report.columns]
    right = [column.numeric for column in report.columns]
    body, totals = _columns(report.rows, report.columns), _columns(report.totals, report.columns)
    table = None
    if body is not None and totals is not None:
        table = _laid_out(headers, [b + t for b, t in zip(body, totals)], right,
                          [len(report.rows)] if report.totals else [])
    if table is None:  # ragged rows, or cells that need tabulate's own care
        rows: list[list[str] | str] = [_displayed(row, report.columns) for row in report.rows]
        if report.totals:
            rows.append(SEPARATING_LINE)
            rows.extend(_displayed(row, report.columns) for row in report.totals)
        table = tabulate(rows, headers=headers, tablefmt="simple",
                         colalign=["right" if r else "left" for r in right],
                         disable_numparse=True)
    notes = "".join(f"\n{textwrap.fill(note, NOTE_WIDTH)}" for note in report.notes)
    return f"{report.title}\n\n{table}\n{notes}".rstrip("\n")


def _columns(rows: list[list[Cell]], columns: list[Column]) -> list[list[str]] | None:
    """The cells as displayed, a column at a time; None for ragged rows (never a report's)."""
    if any(len(row) != len(columns) for row in rows):
        return None
    if not rows:
        return [[] for _ in columns]
    return [display_column(cells, column) for cells, column in zip(zip(*rows), columns)]


def _displayed(row: list[Cell], columns: list[Column]) -> list[str]:
    return [display_cell(cell, column) for cell, column in zip(row, columns)]


def simple_table(headers: list[str], rows: Sequence[Sequence[str] | str],
                 right: list[bool]) -> str | None:
    """tabulate's "simple" layout of rows of cells that are already text (`SEPARATING_LINE`
    for a rule), written out directly; None where tabulate must lay it out (see
    `_laid_out`). tests/test_plain_layout.py holds the two to the same output."""
    separators = [n for n, row in enumerate(rows) if row is SEPARATING_LINE]
    body = [row for row in rows if row is not SEPARATING_LINE]
    if any(len(row) != len(headers) for row in body):
        return None
    columns = [list(cells) for cells in zip(*body)] if body else [[] for _ in headers]
    # A rule's place among the rows that are not rules.
    return _laid_out(headers, columns, right, [n - k for k, n in enumerate(separators)])


def _laid_out(headers: list[str], columns: list[list[str]], right: list[bool],
              rules: list[int]) -> str | None:
    """tabulate's "simple" layout, a column at a time: at 100,000 rows tabulate spends five
    seconds finding out again, cell by cell, what each column holds. `rules`: before which
    rows a rule goes. None when tabulate must lay it out: no rows (it aligns the headers of
    an empty table its own way), or a cell that needs its care (a line break, a tab, any
    other character that does not print)."""
    if not headers or not columns[0] or not all(header.isprintable() for header in headers):
        return None
    widths: list[int] = []
    laid_out: list[list[str]] = []
    # Each line is made by one `%` of the row's cells: a column of one-column characters is
    # padded by its conversion (`%-12s`, `%12s`), a column with wide ones cell by cell first.
    conversions: list[str] = []
    for header, cells, at_right in zip(headers, columns, right):
        joined = "".join(cells)
        if not joined.isprintable():  # before stripping: a trailing line break counts
            return None
        # map() over str's own methods: no Python frame per cell, a million of them at 100k rows
        stripped = list(map(str.strip, cells))
        if joined.isascii() or _MAY_BE_WIDE.search(joined) is None:
            width = max(max(map(len, stripped)), _width(header) + _HEADER_PADDING)
            laid_out.append(stripped)
            conversions.append(f"%{width}s" if at_right else f"%-{width}s")
        else:
            cell_widths = [_width(cell) for cell in stripped]
            width = max(max(cell_widths), _width(header) + _HEADER_PADDING)
            laid_out.append([_padded(cell, width - used, at_right)
                             for cell, used in zip(stripped, cell_widths)])
            conversions.append("%s")
        widths.append(width)
    head = "  ".join(_padded(header, width - _width(header), at_right)
                     for header, width, at_right in zip(headers, widths, right)).rstrip()
    rule = "  ".join("-" * width for width in widths)
    line_of = "  ".join(conversions).__mod__  # no `%` but these: the cells are its arguments
    lines = list(map(str.rstrip, map(line_of, zip(*laid_out))))
    for n in reversed(rules):  # from the last, so that each goes where it was asked
        lines.insert(n, rule)
    return "\n".join([head, rule, *lines])


def _padded(text: str, spaces: int, at_right: bool) -> str:
    return " " * spaces + text if at_right else text + " " * spaces


_HEADER_PADDING = 2  # tabulate's MIN_PADDING: a column is at least its header and two more
# Every printable character before the combining accents (U+0300) is one column wide.
_MAY_BE_WIDE = re.compile("[\u0300-\U0010ffff]")


def _width(text: str) -> int:
    """Terminal columns: one a character, two for East Asian wide ones, none for combining
    accents (as tabulate counts, with wcwidth). Every printable character before the
    combining accents (U+0300), `£` and Welsh `ŵ` among them, is one column."""
    if text.isascii() or _MAY_BE_WIDE.search(text) is None:
        return len(text)
    return int(wcswidth(text))


def render_plain(reports: list[Report], incomplete: Incomplete | None = None) -> str:
    warning = [incomplete.message()] if incomplete else []  # one line, for grep
    return "\n\n".join([*warning, *(_render_one(report) for report in reports)])
