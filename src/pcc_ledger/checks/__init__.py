"""The checks that need more than one value: references between files, grant-scheme rules,
dates, money limits and the year-end warnings.

Each module holds one family of rules. Checks of the commitments alone run even when funds.yaml
cannot be read, so one broken file hides as little as possible; checks that need the funds run
on the Ledger. A check never stops the run: it yields what is wrong and where, with the rule's
default severity; `policy.apply` then applies the data's own `checks:` settings.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from ..ledger import Entry, Ledger, TransferEntry
from ..policy import DEFAULT_REVIEW_DUE_MONTHS
from ..problems import Location, Problem
from ..rules import make_problem
from . import (
    dates,
    limits,
    opendata,
    references,
    reviews,
    rounds,
    schedules,
    scheme,
    transfers,
    trends,
    welsh,
    yearend,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    """What a check may need besides the data: the day the data is judged on, and the months
    after a commitment's last year by which it is to be reviewed (`review-due-months`)."""

    as_of: date
    review_months: int = DEFAULT_REVIEW_DUE_MONTHS
    off: frozenset[str] = frozenset()  # rules switched off: a check of only these is not run


ENTRY_CHECKS: list[Callable[[list[Entry]], Iterable[Problem]]] = [
    dates.check,
    schedules.check,
    reviews.check,
]
LEDGER_CHECKS: list[Callable[[Ledger], Iterable[Problem]]] = [
    references.check,
    scheme.check,
    limits.check,
    trends.check,
    transfers.check,
    rounds.check,
    opendata.check,
    welsh.check,
]


# The rules a ledger check reports, where all of them may be switched off (the others always run:
# their problems are dropped by the policy afterwards, which costs little).
ONLY_REPORTS: dict[Callable[[Ledger], Iterable[Problem]], frozenset[str]] = {
    welsh.check: frozenset({"welsh-text-missing"}),
}


def run_checks(entries: list[Entry], ledger: Ledger | None, context: Context,
               transfer_entries: list[TransferEntry] | None = None) -> list[Problem]:
    problems = [problem for check in ENTRY_CHECKS for problem in _guarded(check, entries)]
    problems += _guarded(lambda both: references.check_ids(*both),
                         (entries, transfer_entries or []), name="references.check_ids")
    problems += _guarded(lambda all_entries: reviews.overdue(all_entries, context.as_of,
                                                             context.review_months),
                         entries, name="reviews.overdue")
    if ledger is not None:
        for ledger_check in LEDGER_CHECKS:
            reports = ONLY_REPORTS.get(ledger_check)
            if reports is not None and reports <= context.off:
                continue
            problems += _guarded(ledger_check, ledger)
        problems += _guarded(lambda whole: yearend.check(whole, context.as_of), ledger,
                             name="yearend.check")
    return problems


def _guarded(check: Callable[[T], Iterable[Problem]], data: T, name: str | None = None
             ) -> list[Problem]:
    """Run one check; if it raises (a bug), report that as a problem naming the check and let
    every other check run, so one bug never hides the problems the others find."""
    try:
        return list(check(data))
    except Exception as error:  # noqa: BLE001 - a bug in one check, reported, not fatal
        named = name or f"{check.__module__.rsplit('.', 1)[-1]}.{check.__name__}"
        return [
            make_problem(
                "internal-check-error",
                Location("pcc-ledger"),
                f"the {named} check failed ({type(error).__name__}: {error}); its problems are "
                "not reported, the other checks ran. This is a bug: please report it with "
                "PCC_LEDGER_DEBUG=1 set, which prints the traceback",
            ).with_detail(traceback.format_exc())
        ]
