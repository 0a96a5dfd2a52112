"""The grants register and the decisions record of `pcc-ledger publish`.

The Elected Local Policing Bodies (Specified Information) Order 2011 has a Police and Crime
Commissioner publish each crime and disorder reduction grant with its recipient, its purpose,
the reasons it will help reduce crime and disorder, and its conditions. A fund whose grants are
of that kind says so with `grant_details_required` (its rules, or a year's), and `check` holds
its approved commitments to it (rule grant-details-missing). The register lists them, newest
decision first, grouped on the page by the month of the decision: each with its whole amount
(a grant over several years once, under the month it was decided).

Reconciliation: the register's total for a financial year is what its grants charge to that
year's allocations, which is what `summary` shows as committed for those funds in that year (a
year a fund has no allocation for counts in no total, in either).

The decisions record lists each decision reference (`decision:` of approved commitments and of
transfers) with its date (the earliest approval or transfer date that names it), the commitments
and transfers it made, and what they add up to. Every amount is an exact Decimal.

A grant to an individual (a police officer) never shows the person's name: the recipient is
"Individual Recipient", as in the 360Giving data, with the recipient type beside it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..ledger import Entry, Ledger
from ..model import INDIVIDUAL_TYPES, Commitment
from ..render.data import neutralise
from ..scalars import FinancialYear
from .threesixty import INDIVIDUAL_NAME, span

GRANTS_REGISTER_COLUMNS = [
    "Commitment", "Title", "Decided", "Month", "Decision", "Recipient", "Recipient type",
    "Fund", "Financial years", "Amount", "Purpose", "Reasons", "Conditions",
]
DECISIONS_COLUMNS = [
    "Decision", "Date", "Commitments", "Transfers", "Committed", "Transferred", "Total",
]
CONDITIONS_SEPARATOR = "; "  # between conditions in one CSV cell


def recipient_shown(commitment: Commitment) -> str:
    """The recipient as published: never a person's name."""
    if commitment.recipient.type in INDIVIDUAL_TYPES:
        return INDIVIDUAL_NAME
    return commitment.recipient.name


def _approved(ledger: Ledger) -> Iterable[Entry]:
    for entry in ledger.entries:
        commitment = entry.commitment
        if commitment.status == "approved" and commitment.approved is not None:
            yield entry


def register_grants(ledger: Ledger) -> list[Entry]:
    """The approved commitments of the funds whose rules (for the commitment's first year)
    require grant details, newest decision first (then by id)."""
    found = []
    for entry in _approved(ledger):
        commitment = entry.commitment
        fund = ledger.funds.funds.get(commitment.fund)
        if fund is not None and fund.rules_for(commitment.year).grant_details_required:
            found.append(entry)
    found.sort(key=lambda e: e.commitment.id)
    found.sort(key=lambda e: e.commitment.approved or date.min, reverse=True)
    return found


def by_month(grants: list[Entry]) -> list[tuple[date, list[Entry]]]:
    """The grants grouped by the month of their decision (the first day of it), in order."""
    months: dict[date, list[Entry]] = {}
    for entry in grants:
        decided = entry.commitment.approved
        assert decided is not None  # register_grants keeps approved ones only
        months.setdefault(decided.replace(day=1), []).append(entry)
    return list(months.items())


def year_totals(ledger: Ledger, grants: list[Entry]) -> list[tuple[FinancialYear, Decimal]]:
    """What the register's grants charge to each financial year with an allocation of their
    fund, oldest year first: `summary`'s committed for those funds, to the penny."""
    totals: dict[FinancialYear, Decimal] = {}
    for entry in grants:
        commitment = entry.commitment
        fund = ledger.funds.funds[commitment.fund]
        for year, amount in commitment.charges:
            if year in fund.allocations:
                totals[year] = totals.get(year, Decimal(0)) + amount
    return sorted(totals.items())


@dataclass(frozen=True)
class Decision:
    reference: str
    date: date
    commitments: list[Commitment]
    transfers: list[str]  # ids
    committed: Decimal
    transferred: Decimal

    @property
    def total(self) -> Decimal:
        return self.committed + self.transferred


def decisions(ledger: Ledger) -> list[Decision]:
    """Every decision reference of an approved commitment or a transfer, newest first (then by
    reference); its date is the earliest day a record names it."""
    days: dict[str, date] = {}
    made: dict[str, list[Commitment]] = {}
    moved: dict[str, list[tuple[str, Decimal]]] = {}
    for entry in _approved(ledger):
        commitment = entry.commitment
        if commitment.decision is None or commitment.approved is None:
            continue
        reference = commitment.decision
        days[reference] = min(days.get(reference, commitment.approved), commitment.approved)
        made.setdefault(reference, []).append(commitment)
    for transfer_entry in ledger.transfers:
        transfer = transfer_entry.transfer
        if transfer.decision is None:
            continue
        reference = transfer.decision
        days[reference] = min(days.get(reference, transfer.date), transfer.date)
        moved.setdefault(reference, []).append((transfer.id, transfer.amount))
    found = [
        Decision(
            reference, day,
            sorted(made.get(reference, []), key=lambda c: c.id),
            sorted(transfer_id for transfer_id, _ in moved.get(reference, [])),
            sum((c.amount for c in made.get(reference, [])), Decimal(0)),
            sum((amount for _, amount in moved.get(reference, [])), Decimal(0)),
        )
        for reference, day in days.items()
    ]
    found.sort(key=lambda d: d.reference)
    found.sort(key=lambda d: d.date, reverse=True)
    return found


def undecided(ledger: Ledger) -> list[Commitment]:
    """Approved commitments that name no decision reference (the record cannot list them)."""
    return [e.commitment for e in _approved(ledger) if e.commitment.decision is None]


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"  # exact: amounts are whole pence


def _csv(header: list[str], rows: Iterable[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def grants_register_csv(ledger: Ledger) -> str:
    """grants-register.csv: one row per grant, in the page's order. Text a spreadsheet would
    run as a formula is neutralised with a leading `'`; amounts are plain exact decimals."""
    rows = []
    for entry in register_grants(ledger):
        c = entry.commitment
        assert c.approved is not None
        text = [c.id, c.title, c.approved.isoformat(), f"{c.approved:%Y-%m}", c.decision or "",
                recipient_shown(c), c.recipient.type, ledger.funds.funds[c.fund].name, span(c)]
        details = [c.purpose or "", c.reasons or "", CONDITIONS_SEPARATOR.join(c.conditions)]
        rows.append([*map(neutralise, text), _money(c.amount), *map(neutralise, details)])
    return _csv(GRANTS_REGISTER_COLUMNS, rows)


def decisions_csv(ledger: Ledger) -> str:
    """decisions.csv: one row per decision reference; ids separated by spaces."""
    rows = [
        [neutralise(d.reference), d.date.isoformat(),
         neutralise(" ".join(c.id for c in d.commitments)), neutralise(" ".join(d.transfers)),
         _money(d.committed), _money(d.transferred), _money(d.total)]
        for d in decisions(ledger)
    ]
    return _csv(DECISIONS_COLUMNS, rows)
