"""Listings: `pcc-ledger funds`, `commitments [filters]`, `payments [filters]` and the
transfers.

Commitments and payments are listed per year charged: a commitment over three years is three
rows, each with the amount charged to its year and the payments attributed to it, so that the
rows of a year add up to that year's figures in `summary`."""

from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..ledger import Entry, Ledger
from ..model import Payment, Rules, Status, TransferEnd
from ..scalars import FinancialYear, format_money
from .table import Cell, Column, Report

FUND_COLUMNS = [
    Column("Fund"),
    Column("Name", drop=1),
    Column("Work stream", drop=3),
    Column("Years", drop=2),
    Column("Rules"),
]


def funds_report(ledger: Ledger, year: FinancialYear | None = None) -> Report:
    """Each fund, its years and its rules; with `year`, that year's allocation and their total.
    (Without a year there is no money column: a sum of one fund's allocations over several
    years is not a figure anybody spends; `years` shows them year by year.)"""
    rows: list[list[Cell]] = []
    total = Decimal(0)
    for fund_id, fund in ledger.funds.funds.items():
        years = sorted(fund.allocations) if year is None else [y for y in fund.allocations
                                                                if y == year]
        if year is not None and not years:
            continue
        rules = fund.rules_for(year) if year is not None else fund.rules
        row: list[Cell] = [fund_id, fund.name, fund.workstream, _years(years),
                           describe_rules(rules)]
        if year is not None:
            amount = fund.allocations[year].amount
            total += amount or 0
            row.insert(4, amount)
        rows.append(row)
    if year is None:
        return Report("Funds", FUND_COLUMNS, rows,
                      notes=["`pcc-ledger funds --year FY` shows each fund's allocation for a "
                             "year; `pcc-ledger years` every year's."])
    columns = [*FUND_COLUMNS[:4], Column("Allocation", "money"), FUND_COLUMNS[4]]
    totals: list[list[Cell]] = [[f"Total ({len(rows)} funds)", "", "", "", total, ""]]
    notes = [] if all(row[4] is not None for row in rows) else [
        "An empty Allocation means the source states no amount for that fund."
    ]
    return Report(f"Funds, {year}", columns, rows, totals, notes)


def _years(years: list[FinancialYear]) -> str:
    if not years:
        return ""
    if len(years) == 1:
        return str(years[0])
    return f"{years[0]} to {years[-1]} ({len(years)})"


def describe_rules(rules: Rules) -> str:
    parts = []
    if rules.max_award is not None:
        parts.append(f"awards up to {format_money(rules.max_award)}")
    if rules.max_awards is not None:
        parts.append(f"at most {rules.max_awards} awards a year")
    if rules.recipient_types is not None:
        parts.append("only to " + ", ".join(rules.recipient_types))
    if rules.excluded_categories:
        parts.append("not for " + ", ".join(rules.excluded_categories))
    if rules.grant_details_required:
        parts.append("purpose, reasons and conditions required")
    return "; ".join(parts)


@dataclass(frozen=True)
class CommitmentFilter:
    fund: str | None = None
    year: FinancialYear | None = None
    status: Status | None = None
    objective: str | None = None
    recipient: str | None = None  # a case-insensitive part of the recipient's name
    ring_fence: str | None = None
    category: str | None = None
    recipient_type: str | None = None
    open_only: bool = False  # approved with something outstanding (on the ledger's day)

    def keeps(self, entry: Entry) -> bool:
        c = entry.commitment
        return (
            (self.fund is None or c.fund == self.fund)
            and (self.year is None or c.year == self.year)
            and (self.status is None or c.status == self.status)
            and (self.objective is None or c.objective == self.objective)
            and (self.recipient is None or self.recipient.casefold() in c.recipient.name.casefold())
            and (self.ring_fence is None or c.ring_fence == self.ring_fence)
            and (self.category is None or c.category == self.category)
            and (self.recipient_type is None or c.recipient.type == self.recipient_type)
            and (not self.open_only or (c.status == "approved" and c.amount > c.paid))
        )


COMMITMENT_COLUMNS = [
    Column("ID"),
    Column("Fund", drop=3),
    Column("Year", drop=6),
    Column("Ring-fence", drop=7),
    Column("Recipient"),
    Column("Type", drop=9),
    Column("Objective", drop=8),
    Column("Status"),  # without it, a proposed commitment would read as approved
    # Where it is in the commissioning cycle: proposed, approved, paid (in full), reviewed,
    # cancelled (see `stage`).
    Column("Stage", drop=1),
    Column("Approved", "date", drop=5),
    Column("Amount", "money"),
    Column("Paid", "money", drop=2),
    Column("Outstanding", "money", drop=4),
]
STATUSES: tuple[Status, ...] = ("approved", "proposed", "cancelled")


def commitments_report(ledger: Ledger, chosen: CommitmentFilter) -> Report:
    """The commitments that pass the filter, by year, fund (in funds.yaml order) and id, with a
    totals line per status: a sum across statuses would add what was never approved."""
    order = {fund_id: n for n, fund_id in enumerate(ledger.funds.funds)}
    entries = sorted(
        (entry for entry in ledger.charges if chosen.keeps(entry)),
        key=lambda e: (e.commitment.year.start, order.get(e.commitment.fund, len(order)),
                       e.commitment.id),
    )
    year_texts = _YearTexts()
    rows = [_commitment_row(entry, year_texts, ledger.as_of) for entry in entries]
    totals: list[list[Cell]] = []
    for status in STATUSES:
        group = [entry.commitment for entry in entries if entry.commitment.status == status]
        if group:
            amount = sum((c.amount for c in group), Decimal(0))
            paid = sum((c.paid for c in group), Decimal(0)) if status == "approved" else None
            totals.append([f"Total {status} ({len(group)})", *[""] * 9, amount, paid,
                           None if paid is None else amount - paid])
    notes = [] if rows else ["No commitments match."]
    several = sorted({e.commitment.id for e in entries if e.whole is not None})
    if several:
        notes.append("Charged to several years, one row per year: " + ", ".join(several) + ".")
    if ledger.as_of is not None:
        notes.append(f"As on {ledger.as_of}: commitments approved and payments made by then.")
    return Report("Commitments", COMMITMENT_COLUMNS, rows, totals, notes)


def stage(entry: Entry, as_of: date | None = None) -> str:
    """The commitment's stage on the day (of all of it, for one over several years): proposed
    or cancelled as its status says; an approved one is reviewed once a review is dated, else
    paid once paid in full, else approved."""
    whole = entry.whole or entry.commitment  # entry.source, once a row of 100,000
    if whole.status != "approved":
        return whole.status
    reviews = whole.reviews
    if reviews and (as_of is None or any(review.date <= as_of for review in reviews)):
        return "reviewed"
    return "paid" if whole.paid >= whole.amount else "approved"


_PAYMENT = operator.itemgetter(5)  # the payment, in payments_report's sorted tuples
_AMOUNT = operator.attrgetter("amount")


class _YearTexts(dict[int, str]):
    """Each year's text made once, looked up by the year's start (a listing has 100,000s of
    rows, and a few years)."""

    def __missing__(self, start: int) -> str:
        text = self[start] = str(FinancialYear(start))
        return text


def _commitment_row(entry: Entry, year_texts: dict[int, str],
                    as_of: date | None = None) -> list[Cell]:
    c = entry.commitment
    paid = c.paid if c.status == "approved" else None  # a sum over the payments: once
    return [
        c.id,
        c.fund,
        year_texts[c.year.start],
        c.ring_fence or "",
        c.recipient.name,
        c.recipient.type,
        c.objective,
        c.status,
        stage(entry, as_of),
        c.approved,
        c.amount,
        paid,
        None if paid is None else c.amount - paid,
    ]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


PAYMENT_COLUMNS = [
    Column("Commitment"),
    Column("Fund", drop=3),
    Column("Year", drop=4),
    Column("Recipient"),
    Column("Date", "date"),
    Column("Amount", "money"),
    Column("Reference", drop=2),
]


@dataclass(frozen=True)
class PaymentFilter:
    fund: str | None = None
    year: FinancialYear | None = None  # the year the payment is charged to
    start: date | None = None  # --from
    end: date | None = None  # --to

    def keeps(self, entry: Entry, payment: Payment) -> bool:
        c = entry.commitment
        return (
            (self.fund is None or c.fund == self.fund)
            and (self.year is None or c.year == self.year)
            and (self.start is None or payment.date >= self.start)
            and (self.end is None or payment.date <= self.end)
        )


def payments_report(ledger: Ledger, chosen: PaymentFilter | None = None) -> Report:
    """Every payment on an approved commitment, by date. (Payments on proposed or cancelled
    commitments count nowhere; `check` reports them.) A payment on a commitment over several
    years is listed against the year it is attributed to (split where it crosses two)."""
    chosen = chosen or PaymentFilter()
    everything = chosen == PaymentFilter()  # no filter to ask, for each of 100,000s
    # Sorted as plain tuples, without a key function: by date, commitment and year charged,
    # then the order found (a number, so that no two are ever compared further).
    found = itertools.count()
    payments = [
        (payment.date, commitment.id, entry.charge_index, next(found), entry, payment)
        for entry in ledger.charges
        for commitment in (entry.commitment,)
        if commitment.status == "approved"
        for payment in commitment.payments
        if everything or chosen.keeps(entry, payment)
    ]
    payments.sort()
    year_texts = _YearTexts()
    rows: list[list[Cell]] = [
        [c.id, c.fund, year_texts[c.year.start], c.recipient.name, when, payment.amount,
         payment.reference or ""]
        for when, _, _, _, entry, payment in payments
        for c in [entry.commitment]
    ]
    total = sum(map(_AMOUNT, map(_PAYMENT, payments)), Decimal(0))
    totals: list[list[Cell]] = [[f"Total ({_count(len(rows), 'payment')})", "", "", "", "",
                                 total, ""]]
    notes = [] if rows else ["No payments match."]
    return Report("Payments", PAYMENT_COLUMNS, rows, totals, notes)


TRANSFER_COLUMNS = [
    Column("ID"),
    Column("Date", "date", drop=1),
    Column("Kind", drop=3),
    Column("From"),
    Column("To"),
    Column("Amount", "money"),
    Column("Decision", drop=2),
]


def transfers_report(ledger: Ledger, year: FinancialYear | None = None,
                     fund: str | None = None) -> Report:
    """The transfers (on the ledger's day), by date: with `year` or `fund`, those with an end
    in that year or fund, with what each brought in and took out of it, so that the totals
    are the transfers in and out of that year's (or fund's) allocations."""
    def touches(end: TransferEnd) -> bool:
        return ((year is None or end.year == year) and (fund is None or end.fund == fund)
                and not (end.is_reserve and (year is not None or fund is not None)))

    chosen = [entry for entry in ledger.moves
              if touches(entry.transfer.source) or touches(entry.transfer.destination)]
    notes = [] if chosen else ["No transfers."]
    if year is None and fund is None:
        rows: list[list[Cell]] = [
            [t.id, t.date, t.kind, str(t.source), str(t.destination), t.amount,
             t.decision or ""]
            for t in (entry.transfer for entry in chosen)
        ]
        total = sum((entry.transfer.amount for entry in chosen), Decimal(0))
        totals: list[list[Cell]] = [[f"Total ({_count(len(rows), 'transfer')})", "", "", "",
                                     "", total, ""]]
        return Report("Transfers", TRANSFER_COLUMNS, rows, totals, notes)
    rows = []
    moved_in = moved_out = Decimal(0)
    for t in (entry.transfer for entry in chosen):
        into = t.amount if touches(t.destination) else None
        out_of = t.amount if touches(t.source) else None
        moved_in += into or 0
        moved_out += out_of or 0
        rows.append([t.id, t.date, t.kind, str(t.source), str(t.destination), into,
                     out_of, t.decision or ""])
    totals = [[f"Total ({_count(len(rows), 'transfer')})", "", "", "", "", moved_in, moved_out,
               ""]]
    columns = [*TRANSFER_COLUMNS[:5], Column("In", "money"), Column("Out", "money"),
               TRANSFER_COLUMNS[6]]
    return Report("Transfers", columns, rows, totals, notes)
