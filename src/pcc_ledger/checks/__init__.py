"""The checks that need more than one value: references between files, grant-scheme rules,
dates, money limits and the year-end warnings.

Each module holds one family of rules. Checks of the commitments alone run even when funds.yaml
cannot be read, so one broken file hides as little as possible; checks that need the funds run
on the Ledger. A check never stops the run: it yields what is wrong and where, with the rule's
default severity; `policy.apply` then applies the data's own `checks:` settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from ..ledger import Entry, Ledger
from ..problems import Problem
from . import dates, limits, references, scheme, trends, yearend


@dataclass(frozen=True)
class Context:
    """What a check may need besides the data: the day the data is judged on."""

    as_of: date


ENTRY_CHECKS: list[Callable[[list[Entry]], Iterable[Problem]]] = [
    references.check_ids,
    dates.check,
]
LEDGER_CHECKS: list[Callable[[Ledger], Iterable[Problem]]] = [
    references.check,
    scheme.check,
    limits.check,
    trends.check,
]


def run_checks(entries: list[Entry], ledger: Ledger | None, context: Context) -> list[Problem]:
    problems = [problem for check in ENTRY_CHECKS for problem in check(entries)]
    if ledger is not None:
        problems += [problem for check in LEDGER_CHECKS for problem in check(ledger)]
        problems += yearend.check(ledger, context.as_of)
    return problems
