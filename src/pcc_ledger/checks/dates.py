"""Dates of decisions and payments: an approved commitment says when it was approved, within
its year; money is paid only on approved commitments, and not before the decision."""

from __future__ import annotations

from collections.abc import Iterator

from ..ledger import Entry
from ..problems import Problem
from ..rules import make_problem
from ..scalars import format_money


def check(entries: list[Entry]) -> Iterator[Problem]:
    # Most commitments have nothing wrong with their dates: only those that might are looked at
    # closely (a tenth of a second at 100,000 commitments).
    for entry in entries:
        commitment = entry.commitment
        approved = commitment.approved
        if approved is None or (commitment.status != "cancelled"
                                and approved > commitment.year.last_day):
            yield from _decision(entry)
        if commitment.payments and (
            commitment.status != "approved"
            or (approved is not None
                and any(payment.date < approved for payment in commitment.payments))
        ):
            yield from _payments(entry)


def _decision(entry: Entry) -> Iterator[Problem]:
    commitment = entry.commitment
    if commitment.status == "approved" and commitment.approved is None:
        yield make_problem(
            "approved-without-date",
            entry.at("status"),
            f"{commitment.id} is approved but has no decision date; add "
            "`approved: YYYY-MM-DD` (the date of the decision)",
            year=commitment.year,
        )
    approved = commitment.approved
    if commitment.status != "cancelled" and approved and approved > commitment.year.last_day:
        yield make_problem(
            "approved-after-year-end",
            entry.at("approved"),
            f"{commitment.id} is charged to {commitment.year}, which ended on "
            f"{commitment.year.last_day}, but was approved on {approved}; charge it to the "
            "year of the decision or correct the date",
            year=commitment.year,
        )


def _payments(entry: Entry) -> Iterator[Problem]:
    commitment = entry.commitment
    for index, payment in enumerate(commitment.payments):
        if commitment.status != "approved":
            yield make_problem(
                "payment-not-approved",
                entry.at("payments", index, "date"),
                f"payment of {format_money(payment.amount)} on {commitment.id}, which is "
                f"{commitment.status}: it counts in no total; approve the commitment or "
                "remove the payment",
                year=commitment.year,
            )
        elif commitment.approved and payment.date < commitment.approved:
            yield make_problem(
                "payment-before-approval",
                entry.at("payments", index, "date"),
                f"payment of {format_money(payment.amount)} on {commitment.id} is dated "
                f"{payment.date}, before its approval on {commitment.approved}; correct the "
                "date of the payment or of the decision",
                year=commitment.year,
            )
