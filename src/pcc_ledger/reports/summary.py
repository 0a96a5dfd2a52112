"""The reconciliation table of `pcc-ledger summary`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from ..ledger import UNFENCED, Ledger, Position, Pot
from ..scalars import FinancialYear, format_money
from .table import Cell, Column, Report, slug

# `drop`: what a narrow terminal leaves out first (the year is in each table's title; then the
# columns that can be worked out from the others, then the forecasts): allocation, committed
# and available always stay, so a table at 80 columns still reconciles across.
SUMMARY_COLUMNS = [
    Column("Fund"),
    Column("Year", drop=10),
    Column("Part", under="Fund"),
    Column("Allocation", "money"),
    Column("Committed", "money"),
    Column("Planned", "money", drop=8),
    Column("Paid", "money", drop=2),
    Column("Outstanding", "money", drop=6),
    Column("Available", "money"),
    Column("Forecast", "money", drop=5),
    Column("Forecast variance", "money", drop=9, short="Variance"),
    Column("Utilisation", "percent", drop=3, short="Used"),
]
# Shown when the data has transfers: the allocation as set, what moved, and the result (which
# is then the figure a narrow terminal keeps).
TRANSFER_COLUMNS = [
    Column("Transfers in", "money", drop=7, short="In"),
    Column("Transfers out", "money", drop=7, short="Out"),
    Column("Revised", "money"),
]


def _utilisation(committed: Decimal, limit: Decimal | None) -> Decimal | None:
    if not limit:
        return None
    return committed * 100 / limit


@dataclass
class _Figures:
    """The money columns of one row: a pot, or a total of pots."""

    original: Decimal | None
    transfers_in: Decimal
    transfers_out: Decimal
    committed: Decimal
    planned: Decimal
    paid: Decimal
    forecast: Decimal

    @classmethod
    def of(cls, pot: Pot) -> _Figures:
        return cls(pot.original, pot.transfers_in, pot.transfers_out, pot.committed,
                   pot.planned, pot.paid, pot.forecast)

    @property
    def revised(self) -> Decimal | None:
        if self.original is None:
            return None
        return self.original + self.transfers_in - self.transfers_out

    def cells(self, transfers: bool) -> list[Cell]:
        revised = self.revised
        moved: list[Cell] = ([self.transfers_in, self.transfers_out, revised]
                             if transfers else [])
        return [
            self.original,
            *moved,
            self.committed,
            self.planned,
            self.paid,
            self.committed - self.paid,
            None if revised is None else revised - self.committed,
            self.forecast,
            None if revised is None else revised - self.forecast,
            _utilisation(self.committed, revised),
        ]


def _columns(transfers: bool) -> list[Column]:
    if not transfers:
        return SUMMARY_COLUMNS
    original = dataclasses.replace(SUMMARY_COLUMNS[3], drop=4)
    return [*SUMMARY_COLUMNS[:3], original, *TRANSFER_COLUMNS, *SUMMARY_COLUMNS[4:]]


def _part_label(pot: Pot) -> str:
    return "unfenced" if pot.part == UNFENCED else f"ring-fence {pot.part}"


def summary_report(ledger: Ledger, positions: list[Position],
                   with_reserves: bool = True) -> list[Report]:
    """The reconciliation tables: one per financial year, each with a row per fund, sub-rows
    for ring-fences and the unfenced part, and its own totals; then the reserves, if any.

    Money of different years is never added up: a total of two years' allocations (or of what
    is available in them) is not a figure anyone can spend or account for. `years` is the view
    across years."""
    transfers = bool(ledger.transfers)  # the transfer columns, when the data has any
    by_year: dict[FinancialYear, list[Position]] = {}
    for position in positions:
        by_year.setdefault(position.year, []).append(position)
    illustrative = _illustrative_files(ledger)
    reports = [_year_report(ledger, year, by_year[year], transfers, illustrative)
               for year in sorted(by_year)]
    if not reports:
        reports.append(Report("Reconciliation", _columns(transfers), [], notes=[
            "No fund has an allocation yet: add one to funds.yaml."]))
    if with_reserves and ledger.reserves:
        reports.append(reserves_report(ledger))
    return reports


def _year_report(ledger: Ledger, year: FinancialYear, positions: list[Position],
                 transfers: bool,
                 illustrative: dict[tuple[str, FinancialYear], set[str]]) -> Report:
    """One year's table. Funds with no stated allocation have no limit, so they cannot share a
    totals row with the others without breaking allocation - committed = available: when both
    kinds are shown, each gets a subtotal that reconciles across, and the total adds up the
    columns that both have."""
    label = str(year)
    rows: list[list[Cell]] = []
    for position in positions:
        rows.append([position.fund_id, label, "",
                     *_Figures.of(position.whole).cells(transfers)])
        for part in position.parts.values():
            rows.append([position.fund_id, label, _part_label(part),
                         *_Figures.of(part).cells(transfers)])
    wholes = [position.whole for position in positions]
    stated = [pot for pot in wholes if pot.limit is not None]
    unstated = [pot for pot in wholes if pot.limit is None]
    if stated and unstated:
        totals = [
            _total_row("Subtotal, stated allocations", label, stated, transfers),
            _total_row("Subtotal, no stated allocation", label, unstated, transfers),
            _total_row("Total", label, wholes, transfers, with_limits=False),
        ]
    else:
        totals = [_total_row("Total", label, wholes, transfers, with_limits=bool(stated))]
    day = f" on {ledger.as_of}" if ledger.as_of else ""
    return Report(f"Reconciliation {year}{day}", _columns(transfers), rows, totals,
                  _summary_notes(ledger, positions, illustrative),
                  name=slug(f"reconciliation {year}"))


def _total_row(label: str, year: str, pots: list[Pot], transfers: bool,
               with_limits: bool | None = None) -> list[Cell]:
    """Column sums of `pots`; the allocation columns only `with_limits` (by default, when
    every pot has a limit)."""
    if with_limits is None:
        with_limits = all(pot.limit is not None for pot in pots)

    def total(values: list[Decimal]) -> Decimal:
        return sum(values, Decimal(0))

    figures = _Figures(
        total([pot.original for pot in pots if pot.original is not None]) if with_limits
        else None,
        total([pot.transfers_in for pot in pots]),
        total([pot.transfers_out for pot in pots]),
        total([pot.committed for pot in pots]),
        total([pot.planned for pot in pots]),
        total([pot.paid for pot in pots]),
        total([pot.forecast for pot in pots]),
    )
    return [label, year, "", *figures.cells(transfers)]


RESERVE_COLUMNS = [
    Column("Reserve"),
    Column("Opening", "money"),
    Column("Transfers in", "money"),
    Column("Transfers out", "money"),
    Column("Balance", "money"),
]


def reserves_report(ledger: Ledger) -> Report:
    """Each earmarked reserve: opening balance, transfers in and out, and the balance."""
    balances = list(ledger.reserves.values())
    rows: list[list[Cell]] = [
        [b.reserve_id, b.opening, b.transfers_in, b.transfers_out, b.balance] for b in balances
    ]

    def total(values: list[Decimal]) -> Decimal:
        return sum(values, Decimal(0))

    totals: list[list[Cell]] = [[
        "Total",
        total([b.opening for b in balances]),
        total([b.transfers_in for b in balances]),
        total([b.transfers_out for b in balances]),
        total([b.balance for b in balances]),
    ]]
    day = f" on {ledger.as_of}" if ledger.as_of else ""
    return Report(f"Reserves{day}", RESERVE_COLUMNS, rows, totals, name="reserves")


def _summary_notes(ledger: Ledger, positions: list[Position],
                   by_pot: dict[tuple[str, FinancialYear], set[str]]) -> list[str]:
    notes = []
    unstated = sorted({p.fund_id for p in positions if p.allocation.amount is None})
    if unstated:
        notes.append(
            "No allocation is stated for " + ", ".join(unstated) + " (the framework gives rules "
            "but no amount): their commitments are totalled, but there is no limit to measure "
            "them against."
        )
    shown = {(position.fund_id, position.year) for position in positions}
    illustrative = sorted({file for pot in shown for file in by_pot.get(pot, ())})
    if illustrative:
        notes.append("Includes illustrative commitments from " + ", ".join(illustrative) + ".")
    crossing = _crossing_transfers(ledger, shown)
    if crossing:
        notes.append("Transfers beyond this table's rows: " + "; ".join(crossing) + ".")
    return notes


def _illustrative_files(ledger: Ledger) -> dict[tuple[str, FinancialYear], set[str]]:
    """The files of illustrative commitments, by fund and year (gathered once for all the
    years a summary shows)."""
    files: dict[tuple[str, FinancialYear], set[str]] = {}
    for entry in ledger.charges:
        if entry.illustrative:
            pot = (entry.commitment.fund, entry.commitment.year)
            files.setdefault(pot, set()).add(entry.document.file)
    return files


def _crossing_transfers(ledger: Ledger, shown: set[tuple[str, FinancialYear]]) -> list[str]:
    """Where the money went that left the rows shown (or came in from elsewhere), so that the
    transfer columns reconcile: within the rows, every transfer out is a transfer in."""
    sums: dict[str, Decimal] = {}
    for entry in ledger.moves:
        transfer = entry.transfer
        if ledger.ends_of(transfer) is None:
            continue
        ends = [None if end.reserve else (end.fund, end.year)
                for end in (transfer.source, transfer.destination)]
        inside = [end in shown for end in ends]
        if inside[0] == inside[1]:
            continue
        other = ends[1] if inside[0] else ends[0]
        where = "reserves" if other is None else "other years or funds"
        label = f"{'to' if inside[0] else 'from'} {where}"
        sums[label] = sums.get(label, Decimal(0)) + transfer.amount
    return [f"{format_money(amount)} {label}" for label, amount in sums.items()]
