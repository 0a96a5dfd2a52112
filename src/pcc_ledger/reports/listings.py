"""Listings: `pcc-ledger funds` and `pcc-ledger commitments [filters]`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..ledger import Entry, Ledger
from ..model import Rules, Status
from ..scalars import FinancialYear, format_money
from .table import Cell, Column, Report

FUND_COLUMNS = [
    Column("Fund"),
    Column("Name"),
    Column("Work stream"),
    Column("Years"),
    Column("Allocated", "money"),
    Column("Rules"),
]


def funds_report(ledger: Ledger, year: FinancialYear | None = None) -> Report:
    """Each fund, its years and the sum of its stated allocations (of one year, with `year`)."""
    rows: list[list[Cell]] = []
    total = Decimal(0)
    for fund_id, fund in ledger.funds.funds.items():
        years = sorted(fund.allocations) if year is None else [y for y in fund.allocations
                                                                if y == year]
        if year is not None and not years:
            continue
        amounts = [fund.allocations[y].amount for y in years]
        stated = [amount for amount in amounts if amount is not None]
        allocated = sum(stated, Decimal(0)) if stated else None
        total += allocated or 0
        rules = fund.rules_for(year) if year is not None else fund.rules
        rows.append([fund_id, fund.name, fund.workstream, _years(years), allocated,
                     describe_rules(rules)])
    title = "Funds" if year is None else f"Funds, {year}"
    totals: list[list[Cell]] = [[f"Total ({len(rows)} funds)", "", "", "", total, ""]]
    notes = [] if all(row[4] is not None for row in rows) else [
        "An empty Allocated means the source states no amount for that fund."
    ]
    return Report(title, FUND_COLUMNS, rows, totals, notes)


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
    return "; ".join(parts)


@dataclass(frozen=True)
class CommitmentFilter:
    fund: str | None = None
    year: FinancialYear | None = None
    status: Status | None = None
    objective: str | None = None
    recipient: str | None = None  # a case-insensitive part of the recipient's name

    def keeps(self, entry: Entry) -> bool:
        c = entry.commitment
        return (
            (self.fund is None or c.fund == self.fund)
            and (self.year is None or c.year == self.year)
            and (self.status is None or c.status == self.status)
            and (self.objective is None or c.objective == self.objective)
            and (self.recipient is None or self.recipient.casefold() in c.recipient.name.casefold())
        )


COMMITMENT_COLUMNS = [
    Column("ID"),
    Column("Fund"),
    Column("Year"),
    Column("Ring-fence"),
    Column("Recipient"),
    Column("Type"),
    Column("Objective"),
    Column("Status"),
    Column("Approved"),
    Column("Amount", "money"),
    Column("Paid", "money"),
    Column("Outstanding", "money"),
]
STATUSES: tuple[Status, ...] = ("approved", "proposed", "cancelled")


def commitments_report(ledger: Ledger, chosen: CommitmentFilter) -> Report:
    """The commitments that pass the filter, by year, fund (in funds.yaml order) and id, with a
    totals line per status: a sum across statuses would add what was never approved."""
    order = {fund_id: n for n, fund_id in enumerate(ledger.funds.funds)}
    entries = sorted(
        (entry for entry in ledger.entries if chosen.keeps(entry)),
        key=lambda e: (e.commitment.year, order.get(e.commitment.fund, len(order)),
                       e.commitment.id),
    )
    rows = [_commitment_row(entry) for entry in entries]
    totals: list[list[Cell]] = []
    for status in STATUSES:
        group = [entry.commitment for entry in entries if entry.commitment.status == status]
        if group:
            amount = sum((c.amount for c in group), Decimal(0))
            paid = sum((c.paid for c in group), Decimal(0)) if status == "approved" else None
            totals.append([f"Total {status} ({len(group)})", *[""] * 8, amount, paid,
                           None if paid is None else amount - paid])
    notes = [] if rows else ["No commitments match."]
    return Report("Commitments", COMMITMENT_COLUMNS, rows, totals, notes)


def _commitment_row(entry: Entry) -> list[Cell]:
    c = entry.commitment
    approved = c.status == "approved"
    return [
        c.id,
        c.fund,
        str(c.year),
        c.ring_fence or "",
        c.recipient.name,
        c.recipient.type,
        c.objective,
        c.status,
        c.approved.isoformat() if c.approved else "",
        c.amount,
        c.paid if approved else None,
        c.amount - c.paid if approved else None,
    ]


PAYMENT_COLUMNS = [
    Column("Commitment"),
    Column("Fund"),
    Column("Year"),
    Column("Recipient"),
    Column("Date"),
    Column("Amount", "money"),
    Column("Reference"),
]


def payments_report(ledger: Ledger) -> Report:
    """Every payment on an approved commitment, by date. (Payments on proposed or cancelled
    commitments count nowhere; `check` reports them.)"""
    payments = sorted(
        (
            (payment.date, entry.commitment.id, entry, payment)
            for entry in ledger.entries
            if entry.commitment.status == "approved"
            for payment in entry.commitment.payments
        ),
        key=lambda item: (item[0], item[1]),
    )
    rows: list[list[Cell]] = [
        [c.id, c.fund, str(c.year), c.recipient.name, when.isoformat(), payment.amount,
         payment.reference or ""]
        for when, _, entry, payment in payments
        for c in [entry.commitment]
    ]
    total = sum((payment.amount for *_, payment in payments), Decimal(0))
    totals: list[list[Cell]] = [[f"Total ({len(rows)} payments)", "", "", "", "", total, ""]]
    return Report("Payments", PAYMENT_COLUMNS, rows, totals)
