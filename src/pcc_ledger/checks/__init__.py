"""The checks that need more than one value: references between files, and the money limits.

Each module holds one family of rules. Checks of the commitments alone run even when funds.yaml
cannot be read, so one broken file hides as little as possible; checks that need the funds run
on the Ledger. A check never stops the run: it yields what is wrong and where.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..ledger import Entry, Ledger
from ..problems import Problem
from . import dates, limits, references

ENTRY_CHECKS: list[Callable[[list[Entry]], Iterable[Problem]]] = [
    references.check_ids,
    dates.check,
]
LEDGER_CHECKS: list[Callable[[Ledger], Iterable[Problem]]] = [
    references.check,
    limits.check,
]


def run_checks(entries: list[Entry], ledger: Ledger | None) -> list[Problem]:
    problems = [problem for check in ENTRY_CHECKS for problem in check(entries)]
    if ledger is not None:
        problems += [problem for check in LEDGER_CHECKS for problem in check(ledger)]
    return problems
