"""`pcc-ledger year-end FY`: the outturn of a financial year, as a finance officer closes it.

Sections: outturn per work stream; per fund with its ring-fences and unfenced part (allocation,
committed, paid by the year end, outstanding at the year end, underspend, utilisation); the
approved commitments by plan objective, recipient type and service category; awards against
`max_awards`; commitments still open at the year end; the warnings about the year.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..ledger import UNFENCED, Entry, Ledger, Position, Pot
from ..problems import Problem
from ..scalars import FinancialYear
from .listings import transfers_report
from .reviews import reviews_report
from .rounds import rounds_report
from .sections import SECTIONS
from .summary import reserves_report
from .table import Cell, Column, Report

_ZERO = Decimal(0)


@dataclass(frozen=True)
class Outturn:
    """One pot's year: what was allocated, committed, and paid by the last day of the year."""

    allocation: Decimal | None  # revised by the year's transfers
    committed: Decimal
    paid: Decimal  # payments dated on or before the year end
    count: int
    forecast: Decimal = _ZERO  # forecast outturn (see ledger)

    @property
    def outstanding(self) -> Decimal:
        return self.committed - self.paid

    @property
    def underspend(self) -> Decimal | None:
        return None if self.allocation is None else self.allocation - self.committed

    def __add__(self, other: Outturn) -> Outturn:
        allocation = (
            None
            if self.allocation is None and other.allocation is None
            else (self.allocation or _ZERO) + (other.allocation or _ZERO)
        )
        return Outturn(allocation, self.committed + other.committed, self.paid + other.paid,
                       self.count + other.count, self.forecast + other.forecast)


NO_OUTTURN = Outturn(None, _ZERO, _ZERO, 0)


def paid_by(entry: Entry, year: FinancialYear) -> Decimal:
    end = year.last_day
    return sum((p.amount for p in entry.commitment.payments if p.date <= end), _ZERO)


def outturn(pot: Pot) -> Outturn:
    paid = sum((paid_by(entry, pot.year) for entry in pot.approved), _ZERO)
    return Outturn(pot.limit, pot.committed, paid, len(pot.approved), pot.forecast)


OUTTURN_COLUMNS = [
    Column("Revised allocation", "money", short="Allocation"),
    Column("Committed", "money"),
    Column("Paid by year end", "money", drop=2, short="Paid"),
    Column("Outstanding at year end", "money", drop=4, short="Outstanding"),
    Column("Underspend", "money"),
    Column("Forecast", "money", drop=5),
    Column("Utilisation", "percent", bar=True, drop=3, short="Used"),
]


def _figures(o: Outturn) -> list[Cell]:
    used = None if not o.allocation else o.committed * 100 / o.allocation
    return [o.allocation, o.committed, o.paid, o.outstanding, o.underspend, o.forecast, used]



# A year still running has no outturn yet: what it has paid so far is not "paid by the year
# end", and what is not yet committed is not an underspend.
_PROVISIONAL_TITLES = {
    "Paid by year end": ("Paid to date", "Paid"),
    "Outstanding at year end": ("Outstanding", "Outstanding"),
    "Underspend": ("Remaining", ""),
}


def year_end_report(ledger: Ledger, year: FinancialYear, problems: list[Problem],
                    provisional: date | None = None) -> list[Report]:
    """The year's sections; `provisional`, the day of a year that has not yet ended, marks
    every title and renames the figures that only the year end makes final."""
    positions = ledger.select(year)
    approved = [e for p in positions for e in p.whole.approved]  # the year's charges
    moves = _moves(ledger, year)
    # The public votes of the year, when it had any (participatory-budgeting rounds).
    votes = ([rounds_report(ledger, year)]
             if any(entry.round.year == year for entry in ledger.rounds) else [])
    named = [
        ("workstreams", _by_workstream(positions, year)),
        ("funds", _by_fund(positions, year)),
        *[(m.name, m) for m in moves],
        ("objectives", _breakdown(f"{year} by plan objective", "Objective", approved,
                                  lambda e: ledger.funds.objectives.get(
                                      e.commitment.objective, e.commitment.objective))),
        ("recipient-types", _breakdown(f"{year} by recipient type", "Recipient type", approved,
                                       lambda e: e.commitment.recipient.type)),
        ("categories", _breakdown(f"{year} by service category", "Category", approved,
                                  lambda e: e.commitment.category or "(none given)")),
        ("awards", _awards(ledger, positions, year)),
        *[("rounds", report) for report in votes],
        ("open-commitments", _open_commitments(approved, year)),
        ("reviews", _reviews(ledger, year)),
        ("problems", _warnings(problems, year)),
    ]
    assert all(name in SECTIONS for name, _ in named)
    reports = []
    for name, report in named:
        report.name = name
        reports.append(report)
    if provisional is not None:
        for report in reports:
            _mark_provisional(report, provisional)
    return reports


def _mark_provisional(report: Report, day: date) -> None:
    report.title = f"{report.title} (provisional, as of {day})".replace(
        "open at the end of", "open in")
    columns = [
        dataclasses.replace(column, title=_PROVISIONAL_TITLES[column.title][0],
                            short=_PROVISIONAL_TITLES[column.title][1])
        if column.title in _PROVISIONAL_TITLES else column
        for column in report.columns
    ]
    if columns != report.columns:
        report.columns = columns  # a new list: the column lists are shared between reports
        report.notes.append(f"The year has not ended: figures are as of {day}. Remaining is "
                            "what is not yet committed, not an underspend.")


def _by_workstream(positions: list[Position], year: FinancialYear) -> Report:
    # Funds with and without a stated allocation are kept apart, so that every row reconciles
    # across (allocation - committed = underspend).
    streams: dict[str, Outturn] = {}
    for position in positions:
        stream: str = position.fund.workstream
        if position.allocation.amount is None:
            stream += " (no stated allocation)"
        streams[stream] = streams.get(stream, NO_OUTTURN) + outturn(position.whole)
    rows: list[list[Cell]] = [[stream, *_figures(o)] for stream, o in streams.items()]
    return Report(f"Outturn {year} by work stream", [Column("Work stream"), *OUTTURN_COLUMNS],
                  rows, _totals(list(streams.values()), 1), _unstated_note(positions))


def _by_fund(positions: list[Position], year: FinancialYear) -> Report:
    rows: list[list[Cell]] = []
    for position in positions:
        rows.append([position.fund_id, "", *_figures(outturn(position.whole))])
        for part in position.parts.values():
            label = "unfenced" if part.part == UNFENCED else f"ring-fence {part.part}"
            rows.append([position.fund_id, label, *_figures(outturn(part))])
    wholes = [outturn(position.whole) for position in positions]
    return Report(f"Outturn {year} by fund", [Column("Fund"), Column("Part", under="Fund"),
                   *OUTTURN_COLUMNS],
                  rows, _totals(wholes, 2), _unstated_note(positions))


def _moves(ledger: Ledger, year: FinancialYear) -> list[Report]:
    """The transfers in and out of the year's allocations, and the reserves, when there are
    any: the allocations above are revised by them."""
    reports = []
    if ledger.transfers:
        moved = transfers_report(ledger, year)
        moved.title = f"Transfers {year}"
        moved.name = "transfers"
        moved.notes.append("In and Out are what each transfer brought into and took out of the "
                           "year's allocations; they revise the allocations above.")
        reports.append(moved)
    if ledger.reserves:
        # As they stood at the year end (or on the --as-of day, if that is earlier).
        day = year.last_day if ledger.as_of is None else min(ledger.as_of, year.last_day)
        reports.append(reserves_report(ledger.on(day)))  # named "reserves"
    return reports


def _totals(outturns: list[Outturn], blanks: int) -> list[list[Cell]]:
    """As in `summary`: funds with no stated allocation get their own subtotal, so each totals
    row reconciles across (allocation - committed = underspend)."""
    stated = [o for o in outturns if o.allocation is not None]
    unstated = [o for o in outturns if o.allocation is None]

    def total(label: str, group: list[Outturn], limits: bool) -> list[Cell]:
        summed = sum(group, NO_OUTTURN if not limits else Outturn(_ZERO, _ZERO, _ZERO, 0))
        figures = _figures(summed)
        if not limits:
            figures[0] = figures[4] = figures[6] = None
        return [label, *[""] * (blanks - 1), *figures]

    if stated and unstated:
        return [total("Subtotal, stated allocations", stated, True),
                total("Subtotal, no stated allocation", unstated, False),
                total("Total", outturns, False)]
    return [total("Total", outturns, bool(stated))]


def _unstated_note(positions: list[Position]) -> list[str]:
    unstated = [p.fund_id for p in positions if p.allocation.amount is None]
    if not unstated:
        return []
    return [f"No allocation is stated for {', '.join(unstated)}: their commitments are "
            "totalled, with no underspend to measure."]


def _breakdown(title: str, heading: str, entries: list[Entry],
               key: Callable[[Entry], str]) -> Report:
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(key(entry), []).append(entry)
    total = sum((e.commitment.amount for e in entries), _ZERO)
    rows: list[list[Cell]] = []
    for name in sorted(groups):
        amount = sum((e.commitment.amount for e in groups[name]), _ZERO)
        rows.append([name, len(groups[name]), amount, _share(amount, total)])
    columns = [Column(heading), Column("Awards", "count"), Column("Committed", "money"),
               Column("Share", "percent")]
    totals: list[list[Cell]] = [["Total", len(entries), total, _share(total, total)]]
    return Report(title, columns, rows, totals)


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return part * 100 / whole if whole else None


def _awards(ledger: Ledger, positions: list[Position], year: FinancialYear) -> Report:
    counts: dict[str, dict[str, int]] = {p.fund_id: {} for p in positions}
    for entry in ledger.charges:
        c = entry.commitment
        if c.year == year and c.fund in counts:
            counts[c.fund][c.status] = counts[c.fund].get(c.status, 0) + 1
    rows: list[list[Cell]] = [
        [p.fund_id, counts[p.fund_id].get("approved", 0), p.fund.rules_for(year).max_awards,
         counts[p.fund_id].get("proposed", 0), counts[p.fund_id].get("cancelled", 0)]
        for p in positions
    ]
    columns = [Column("Fund"), Column("Awards", "count"), Column("Maximum", "count"),
               Column("Proposed", "count"), Column("Cancelled", "count")]
    totals: list[list[Cell]] = [[
        "Total",
        *[sum(c.get(status, 0) for c in counts.values()) for status in ("approved",)],
        None,
        *[sum(c.get(status, 0) for c in counts.values()) for status in ("proposed", "cancelled")],
    ]]
    return Report(f"Awards {year}", columns, rows, totals,
                  ["Awards are approved commitments; Maximum is the fund's max_awards."])


def _open_commitments(entries: Iterable[Entry], year: FinancialYear) -> Report:
    still_open = []
    for entry in sorted(entries, key=lambda e: (e.commitment.fund, e.commitment.id)):
        paid = paid_by(entry, year)
        if entry.commitment.amount > paid:
            still_open.append((entry.commitment, paid))
    rows: list[list[Cell]] = [
        [c.id, c.fund, c.recipient.name, c.amount, paid, c.amount - paid]
        for c, paid in still_open
    ]
    committed = sum((c.amount for c, _ in still_open), _ZERO)
    paid_total = sum((paid for _, paid in still_open), _ZERO)
    columns = [Column("ID"), Column("Fund", drop=2), Column("Recipient"),
               Column("Committed", "money"), Column("Paid by year end", "money", short="Paid"),
               Column("Outstanding", "money")]
    totals: list[list[Cell]] = [[f"Total ({len(rows)} open)", "", "", committed, paid_total,
                                 committed - paid_total]]
    return Report(f"Commitments open at the end of {year}", columns, rows, totals)


def _reviews(ledger: Ledger, year: FinancialYear) -> Report:
    """The reviews of the commitments charged to the year, as on the ledger's day (today when
    it has none), with the overdue ones named."""
    day = ledger.as_of or date.today()
    table, late = reviews_report(ledger, day, year)
    if late.rows:
        table.notes.append("Overdue: " + ", ".join(f"{row[0]} (due {row[4]})"
                                                   for row in late.rows) + ".")
    return table


def _warnings(problems: list[Problem], year: FinancialYear) -> Report:
    mine = sorted(p for p in problems if p.year == year)
    rows: list[list[Cell]] = [[p.severity.value, p.rule, str(p.location), p.message] for p in mine]
    columns = [Column("Severity"), Column("Rule"), Column("Where"), Column("Message")]
    notes = [] if rows else [f"No problems concern {year}."]
    return Report(f"Problems concerning {year}", columns, rows, notes=notes)



def outturn_by_year_report(ledger: Ledger, today: date | None = None) -> list[Report]:
    """The outturn of every fund, ring-fence and unfenced part: a table per year of the data,
    each with its own totals (never a total across years). A year still running on `today`
    is marked provisional: its underspend is only what is not yet committed."""
    columns = [Column("Year"), Column("Fund"), Column("Part", under="Fund"), *OUTTURN_COLUMNS]
    reports = []
    current = ledger.on(today) if today is not None else ledger
    for year in ledger.years():
        running = today is not None and today <= year.last_day
        label = f"{year} (provisional)" if running else str(year)
        # A year still running, as it stands today (as `year-end` shows it).
        positions = (current if running else ledger).select(year)
        rows: list[list[Cell]] = []
        for position in positions:
            rows.append([label, position.fund_id, "", *_figures(outturn(position.whole))])
            for part in position.parts.values():
                name = "unfenced" if part.part == UNFENCED else f"ring-fence {part.part}"
                rows.append([label, position.fund_id, name, *_figures(outturn(part))])
        # [label, "", "", figures...] -> [year, label, "", figures...]
        totals = [[label, row[0], *row[2:]] for row in
                  _totals([outturn(position.whole) for position in positions], 3)]
        notes = _unstated_note(positions)
        if running:
            notes.append(f"{year} has not ended (on {today}): its figures are as on that day, "
                         "and its underspend is what is not yet committed.")
        reports.append(Report(f"Outturn {year}", columns, rows, totals, notes))
    return reports
