"""`pcc-ledger profile`: planned payments (the commitments' schedules) against actual payments,
month by month or quarter by quarter through a financial year, with running totals and the
variance: the spend profile a budget monitoring report shows beside the forecast.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from ..ledger import Ledger
from ..scalars import FinancialYear
from .table import Cell, Column, Report

Granularity = Literal["month", "quarter"]
_ZERO = Decimal(0)

PROFILE_COLUMNS = [
    Column("Period"),
    Column("Planned", "money"),
    Column("Actual", "money"),
    Column("Variance", "money"),
    Column("Planned to date", "money", drop=2),
    Column("Actual to date", "money", drop=2),
    Column("Variance to date", "money", drop=3),
]


@dataclass(frozen=True)
class Period:
    label: str
    first: date
    last: date


def periods(year: FinancialYear, by: Granularity) -> list[Period]:
    """The months (April to March) or quarters of a financial year."""
    months = []
    for offset in range(12):
        month = (3 + offset) % 12 + 1
        calendar_year = year.start + (1 if month < 4 else 0)
        first = date(calendar_year, month, 1)
        following = date(calendar_year + (month == 12), month % 12 + 1, 1)
        months.append(Period(first.strftime("%b %Y"), first, following - timedelta(days=1)))
    if by == "month":
        return months
    return [
        Period(f"Q{n + 1} {months[3 * n].first.strftime('%b')}-"
               f"{months[3 * n + 2].first.strftime('%b %Y')}",
               months[3 * n].first, months[3 * n + 2].last)
        for n in range(4)
    ]


def _dated(ledger: Ledger, fund: str | None) -> Iterator[tuple[str, date, Decimal]]:
    """("planned" or "actual", date, amount) of every approved commitment of the fund(s)."""
    for entry in ledger.charges:
        if entry.charge_index:
            continue  # one pass per commitment: the whole has every date
        commitment = entry.source
        if commitment.status != "approved" or (fund is not None and commitment.fund != fund):
            continue
        for planned in commitment.schedule:
            yield "planned", planned.date, planned.amount
        for payment in commitment.payments:
            yield "actual", payment.date, payment.amount


def profile_report(ledger: Ledger, year: FinancialYear, fund: str | None = None,
                   by: Granularity = "month") -> Report:
    return SpendProfiles(ledger, fund, by).of(year)


class SpendProfiles:
    """The spend profiles of several years (a workbook has one a year), the commitments'
    payments and schedules gathered once for them all."""

    def __init__(self, ledger: Ledger, fund: str | None = None,
                 by: Granularity = "month") -> None:
        self.ledger, self.fund, self.by = ledger, fund, by
        self._dated: list[tuple[str, date, Decimal]] | None = None

    def of(self, year: FinancialYear) -> Report:
        if self._dated is None:
            self._dated = list(_dated(self.ledger, self.fund))
        return _profile(self.ledger, year, self.fund, self.by, self._dated)


def _profile(ledger: Ledger, year: FinancialYear, fund: str | None, by: Granularity,
             dated: list[tuple[str, date, Decimal]]) -> Report:
    chosen = periods(year, by)
    planned = {period.label: _ZERO for period in chosen}
    actual = {period.label: _ZERO for period in chosen}
    starts = [period.first for period in chosen]
    for kind, when, amount in dated:
        if not chosen[0].first <= when <= chosen[-1].last:
            continue  # another year's
        period = chosen[bisect.bisect_right(starts, when) - 1]
        (planned if kind == "planned" else actual)[period.label] += amount
    rows: list[list[Cell]] = []
    running_planned = running_actual = _ZERO
    day = ledger.as_of
    for period in chosen:
        running_planned += planned[period.label]
        if day is not None and period.first > day:
            rows.append([period.label, planned[period.label], None, None, running_planned,
                         None, None])
            continue
        running_actual += actual[period.label]
        rows.append([
            period.label, planned[period.label], actual[period.label],
            actual[period.label] - planned[period.label], running_planned, running_actual,
            running_actual - running_planned,
        ])
    total_planned = sum(planned.values(), _ZERO)
    total_actual = running_actual
    totals: list[list[Cell]] = [["Total", total_planned, total_actual,
                                 total_actual - total_planned, None, None, None]]
    what = f"fund {fund}" if fund else "all funds"
    notes = ["Planned: the schedules of approved commitments; actual: the payments made on "
             "them. Variance: actual less planned."]
    if day is not None:
        notes.append(f"As on {day}: periods after it have no actual figures yet.")
    return Report(f"Spend profile {year}, {what}, by {by}", PROFILE_COLUMNS, rows, totals,
                  notes)
