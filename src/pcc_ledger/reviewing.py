"""The review stage of the commissioning cycle (framework 4.1: "monitor service delivery against
expected outcomes"): when a commitment's review is due, and where it stands on a day.

An approved commitment is due for review a set number of months (`review-due-months` in
`checks:`) after the end of the last year it is charged to; any review dated by then counts.
The check (`review-overdue`) and the reports (`reviews`, `year-end`) judge it the same way.
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import date

from .model import Commitment, Review, ReviewResult


def months_after(day: date, months: int) -> date:
    """The day `months` later; from the last day of a month, the last day of the later month
    (31 March + 6 months = 30 September)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, last if at_end else min(day.day, last))


def review_due(commitment: Commitment, months: int) -> date:
    """The day by which an approved commitment is to have been reviewed."""
    return _due_after(commitment.last_year.last_day, months)


# A few distinct year ends, asked about once per commitment: worked out once each.
_due_after = functools.lru_cache(maxsize=256)(months_after)


@dataclass(frozen=True)
class Standing:
    """Where an approved commitment's review stands on a day."""

    due: date
    latest: Review | None  # the latest review dated on or before the day

    @property
    def result(self) -> ReviewResult | None:
        return None if self.latest is None else self.latest.result


def standing(commitment: Commitment, day: date, months: int) -> Standing:
    done = [review for review in commitment.reviews if review.date <= day]
    # The latest; of two on one day, the one written last.
    latest = sorted(done, key=lambda review: review.date)[-1] if done else None
    return Standing(review_due(commitment, months), latest)


def is_overdue(commitment: Commitment, day: date, months: int) -> bool:
    """Approved by `day`, not reviewed by it, and its review due before it."""
    if commitment.status != "approved" or commitment.approved is None \
            or commitment.approved > day:
        return False
    # `standing`'s answer, without sorting the reviews: any review by the day will do (a loop,
    # not any() over a generator: this is asked of every commitment).
    for review in commitment.reviews:
        if review.date <= day:
            return False
    return review_due(commitment, months) < day
