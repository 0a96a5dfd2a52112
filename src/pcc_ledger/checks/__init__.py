"""The checks that need the whole Ledger: references between files, and the money limits.

Each module has one family of rules and a `check(ledger)` generator of Problems. A check never
stops the run: it yields what is wrong and where, and the caller collects everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..ledger import Ledger
from ..problems import Problem
from . import dates, limits, references

CHECKS: list[Callable[[Ledger], Iterable[Problem]]] = [references.check, dates.check, limits.check]


def run_checks(ledger: Ledger) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(ledger)]
