"""`pcc-ledger years`: each fund's allocation and outturn in every year of the data, with the
change on the year before — where a trend, or a typo, shows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..ledger import Ledger
from .table import Cell, Column, Report
from .yearend import outturn

YEARS_COLUMNS = [
    Column("Fund"),
    Column("Year"),
    Column("Allocation", "money"),
    Column("Change", "money", drop=7),
    Column("Change %", "percent", drop=4),
    # Utilisation is committed / revised: it goes before the revised allocation does, so a
    # narrow terminal never shows a percentage the figures beside it do not give.
    Column("Revised", "money", drop=1),
    Column("Committed", "money"),
    Column("Paid by year end", "money", drop=6, short="Paid"),
    Column("Underspend", "money", drop=5),
    Column("Utilisation", "percent", bar=True, drop=3, short="Used"),
]


def years_report(ledger: Ledger, fund_id: str | None = None,
                 today: date | None = None) -> Report:
    """A row per fund and year; a year still running on `today` is marked provisional, as its
    underspend is only what is not yet committed."""
    rows: list[list[Cell]] = []
    running: set[str] = set()
    previous: dict[str, Decimal] = {}  # each fund's last stated allocation
    current = ledger.on(today) if today is not None else ledger
    for position in ledger.select(fund_id=fund_id):
        if today is not None and today <= position.year.last_day:
            # A year still running: as it stands today, as `year-end` shows it.
            position = current.positions[(position.fund_id, position.year)]
        result = outturn(position.whole)
        amount = position.whole.original  # the trend is in the allocations as set
        revised = result.allocation
        before = previous.get(position.fund_id)
        change = None if amount is None or before is None else amount - before
        percent = None if change is None or not before else change * 100 / before
        used = None if not revised else result.committed * 100 / revised
        year = str(position.year)
        if today is not None and today <= position.year.last_day:
            year += " (provisional)"
            running.add(str(position.year))
        rows.append([position.fund_id, year, amount, change, percent, revised,
                     result.committed, result.paid, result.underspend, used])
        if amount is not None:
            previous[position.fund_id] = amount
    notes = [
        "Change is against the fund's previous year with a stated allocation; a year the data "
        "does not have is skipped, not counted as nothing. Revised: the allocation after "
        "transfers in and out; underspend and utilisation are measured against it."
    ]
    if running:
        notes.append(f"{', '.join(sorted(running))} {'has' if len(running) == 1 else 'have'} not "
                     f"ended (on {today}): the figures are provisional, and the underspend is "
                     "what is not yet committed.")
    return Report("Allocations and outturn by year", YEARS_COLUMNS, rows, notes=notes)
