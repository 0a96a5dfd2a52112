"""The review stage: a commitment is reviewed after it is approved, only if it is approved, and
not left unreviewed long after its last year charged has ended (see reviewing)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..ledger import Entry
from ..problems import Problem
from ..reviewing import is_overdue, review_due
from ..rules import make_problem


def check(entries: list[Entry]) -> Iterator[Problem]:
    for entry in entries:
        commitment = entry.commitment
        for index, review in enumerate(commitment.reviews):
            if commitment.status != "approved":
                yield make_problem(
                    "review-not-approved",
                    entry.at("reviews", index, "date"),
                    f"review of {commitment.id}, which is {commitment.status}: only an "
                    "approved commitment is delivered and reviewed; approve the commitment or "
                    "remove the review",
                    year=commitment.year,
                )
            elif commitment.approved and review.date < commitment.approved:
                yield make_problem(
                    "review-before-approval",
                    entry.at("reviews", index, "date"),
                    f"review of {commitment.id} is dated {review.date}, before its approval "
                    f"on {commitment.approved}; correct the date of the review or of the "
                    "decision",
                    year=commitment.year,
                )


def overdue(entries: list[Entry], as_of: date, months: int) -> Iterator[Problem]:
    for entry in entries:
        commitment = entry.commitment
        if not is_overdue(commitment, as_of, months):
            continue
        last = commitment.last_year
        yield make_problem(
            "review-overdue",
            entry.at("approved"),
            f"{commitment.id} has no review: charged to {last}, which ended on "
            f"{last.last_day}, it was due for review by {review_due(commitment, months)} "
            f"({months} months later, `review-due-months` in `checks:`); review it against "
            "its outcomes and add `reviews:` with the date, result and findings",
            year=last,
        )
