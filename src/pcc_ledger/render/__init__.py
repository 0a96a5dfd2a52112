"""One renderer per output format; each takes reports (or problems) and never computes.

Text formats print money as people read it (`£814,076.00`); data formats (csv, tsv, json) as a
plain decimal string (`814076.00`), so a spreadsheet or script reads the exact figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..reports.table import Cell, Column, Kind
from ..scalars import format_money
from ..textsafety import escape_controls

BAR_WIDTH = 10


def cell_text(cell: Cell, kind: Kind) -> str:
    """A cell as people read it: `£814,076.00`, `97.9%`, or empty for no value."""
    if cell is None:
        return ""
    if kind == "money" and isinstance(cell, Decimal):
        return format_money(cell)
    if kind == "percent" and isinstance(cell, Decimal):
        return f"{_tenths(cell)}%"
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def display_cell(cell: Cell, column: Column) -> str:
    """cell_text, with a bar in front of a percentage where the column asks for one, and
    nothing in it that could drive a terminal."""
    text = escape_controls(cell_text(cell, column.kind))
    if column.bar and isinstance(cell, Decimal):
        filled = min(BAR_WIDTH, max(0, int(cell * BAR_WIDTH / 100 + Decimal("0.5"))))
        return "█" * filled + "░" * (BAR_WIDTH - filled) + " " + text.rjust(6)
    return text


def display_column(cells: Sequence[Cell], column: Column) -> list[str]:
    """`display_cell` of every cell of one column, without a call per cell for the common
    kinds (a listing of 100,000 commitments has over a million cells)."""
    if column.bar:
        return [display_cell(cell, column) for cell in cells]
    kind = column.kind
    if kind == "money":
        texts = [format_money(cell) if type(cell) is Decimal else cell_text(cell, kind)
                 for cell in cells]
    elif kind == "date":
        texts = [cell.isoformat() if type(cell) is date else cell_text(cell, kind)
                 for cell in cells]
    else:
        texts = [cell if type(cell) is str else cell_text(cell, kind) for cell in cells]
    if "".join(texts).isprintable():  # nothing to escape: every escaped character is not
        return texts
    return [escape_controls(text) for text in texts]


def data_value(cell: Cell, kind: Kind) -> str | int | None:
    """A cell for data formats: exact, unformatted, never a float."""
    if cell is None:
        return None
    if kind == "money" and isinstance(cell, Decimal):
        return f"{cell:.2f}"
    if kind == "percent" and isinstance(cell, Decimal):
        return str(_tenths(cell))
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, int):
        return cell
    return str(cell)


def _tenths(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP)
