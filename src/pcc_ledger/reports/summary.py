"""The reconciliation table of `pcc-ledger summary`."""

from __future__ import annotations

from decimal import Decimal

from ..ledger import UNFENCED, Ledger, Position, Pot
from .table import Cell, Column, Report

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
    unfenced part, and totals over the fund-year rows.

    Funds with no stated allocation have no limit, so they cannot share a totals row with the
    others without breaking allocation - committed = available. When both kinds are shown,
    each gets a subtotal that reconciles across, and the grand total adds up the columns that
    both have."""
    rows: list[list[Cell]] = []
    for position in positions:
        rows.append(_pot_row(position.whole, position.fund_id, str(position.year), ""))
        for part in position.parts.values():
            rows.append(_pot_row(part, position.fund_id, str(position.year), _part_label(part)))
    wholes = [position.whole for position in positions]
    stated = [pot for pot in wholes if pot.limit is not None]
    unstated = [pot for pot in wholes if pot.limit is None]
    if stated and unstated:
        totals = [
            _total_row("Subtotal, stated allocations", stated),
            _total_row("Subtotal, no stated allocation", unstated),
            _total_row("Total", wholes, with_limits=False),
        ]
    else:
        totals = [_total_row("Total", wholes, with_limits=bool(stated))]
    notes = _summary_notes(ledger, positions)
    return Report("Reconciliation", SUMMARY_COLUMNS, rows, totals, notes)


def _total_row(label: str, pots: list[Pot], with_limits: bool | None = None) -> list[Cell]:
    """Column sums of `pots`; allocation, available and utilisation only `with_limits` (by
    default, when every pot has a limit)."""
    if with_limits is None:
        with_limits = all(pot.limit is not None for pot in pots)

    def total(values: list[Decimal]) -> Decimal:
        return sum(values, Decimal(0))

    committed = total([pot.committed for pot in pots])
    limit = total([pot.limit for pot in pots if pot.limit is not None]) if with_limits else None
    return [
        label,
        "",
        "",
        limit,
        committed,
        total([pot.planned for pot in pots]),
        total([pot.paid for pot in pots]),
        total([pot.outstanding for pot in pots]),
        None if limit is None else limit - committed,
        None if limit is None else _utilisation(committed, limit),
    ]


def _summary_notes(ledger: Ledger, positions: list[Position]) -> list[str]:
    notes = []
    unstated = sorted({p.fund_id for p in positions if p.allocation.amount is None})
    if unstated:
        notes.append(
            "No allocation is stated for " + ", ".join(unstated) + " (the framework gives rules "
            "but no amount): their commitments are totalled, but there is no limit to measure "
            "them against."
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
