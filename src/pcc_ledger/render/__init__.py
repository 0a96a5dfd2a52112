"""One renderer per output format; each takes a `Report` (or problems) and never computes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..reports import Cell, Kind
from ..scalars import format_money


def cell_text(cell: Cell, kind: Kind) -> str:
    """A cell as people read it: `£814,076.00`, `97.9%`, or empty for no value."""
    if cell is None:
        return ""
    if kind == "money" and isinstance(cell, Decimal):
        return format_money(cell)
    if kind == "percent" and isinstance(cell, Decimal):
        return f"{cell.quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    return str(cell)
