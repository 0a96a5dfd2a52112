"""Reports as data: a title, typed columns, rows, a totals row and notes.

Every renderer (a Rich table on a terminal, plain text, and later csv, json, html...) takes the
same `Report`, so a figure is computed once and printed the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from .ledger import UNFENCED, Ledger, Position, Pot

Kind = Literal["text", "money", "percent"]
Cell = str | Decimal | None


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = "text"


@dataclass
class Report:
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    totals: list[Cell] | None = None
    notes: list[str] = field(default_factory=list)


SUMMARY_COLUMNS = [
    Column("Fund"),
    Column("Year"),
    Column("Part"),
    Column("Allocation", "money"),
    Column("Committed", "money"),
    Column("Planned", "money"),
    Column("Paid", "money"),
    Column("Outstanding", "money"),
    Column("Available", "money"),
    Column("Utilisation", "percent"),
]


def _utilisation(committed: Decimal, limit: Decimal | None) -> Decimal | None:
    if not limit:
        return None
    return committed * 100 / limit


def _pot_row(pot: Pot, fund: str, year: str, part: str) -> list[Cell]:
    return [
        fund,
        year,
        part,
        pot.limit,
        pot.committed,
        pot.planned,
        pot.paid,
        pot.outstanding,
        pot.available,
        _utilisation(pot.committed, pot.limit),
    ]


def _part_label(pot: Pot) -> str:
    return "unfenced" if pot.part == UNFENCED else f"ring-fence {pot.part}"


def summary_report(ledger: Ledger, positions: list[Position]) -> Report:
    """The reconciliation table: a row per fund and year, sub-rows for ring-fences and the
    unfenced part, and a totals row over the fund-year rows."""
    rows: list[list[Cell]] = []
    for position in positions:
        rows.append(_pot_row(position.whole, position.fund_id, str(position.year), ""))
        for part in position.parts.values():
            rows.append(_pot_row(part, position.fund_id, str(position.year), _part_label(part)))
    wholes = [position.whole for position in positions]
    stated = [pot for pot in wholes if pot.limit is not None]
    allocation = sum((pot.limit for pot in stated if pot.limit is not None), Decimal(0))
    totals: list[Cell] = [
        "Total",
        "",
        "",
        allocation,
        sum((pot.committed for pot in wholes), Decimal(0)),
        sum((pot.planned for pot in wholes), Decimal(0)),
        sum((pot.paid for pot in wholes), Decimal(0)),
        sum((pot.outstanding for pot in wholes), Decimal(0)),
        sum((pot.available for pot in stated if pot.available is not None), Decimal(0)),
        _utilisation(sum((pot.committed for pot in stated), Decimal(0)), allocation),
    ]
    notes = _summary_notes(ledger, positions)
    return Report("Reconciliation", SUMMARY_COLUMNS, rows, totals, notes)


def _summary_notes(ledger: Ledger, positions: list[Position]) -> list[str]:
    notes = []
    unstated = sorted({p.fund_id for p in positions if p.allocation.amount is None})
    if unstated:
        notes.append(
            "No allocation is stated for " + ", ".join(unstated) + ": their commitments count in "
            "the totals of committed, planned, paid and outstanding, but there is no available "
            "amount; total Available and Utilisation cover only the funds with a stated allocation."
        )
    shown = {(position.fund_id, position.year) for position in positions}
    illustrative = sorted(
        {
            entry.document.file
            for entry in ledger.entries
            if entry.illustrative and (entry.commitment.fund, entry.commitment.year) in shown
        }
    )
    if illustrative:
        notes.append("Includes illustrative commitments from " + ", ".join(illustrative) + ".")
    return notes
