"""A fund's allocation against its previous one: a tenfold change is more often a typo than a
decision (the framework prints the 2016/17 Community Safety Fund as £1,130,178,000)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from ..ledger import Ledger
from ..problems import Problem
from ..rules import make_problem
from ..scalars import format_money

FACTOR = 10


def check(ledger: Ledger) -> Iterator[Problem]:
    for fund_id, fund in ledger.funds.funds.items():
        stated = sorted(
            (year, allocation.amount)
            for year, allocation in fund.allocations.items()
            if allocation.amount is not None
        )
        for (before, old), (year, new) in pairwise(stated):
            if old > 0 and (new > FACTOR * old or FACTOR * new < old):
                yield make_problem(
                    "allocation-change",
                    ledger.fund_at(fund_id, "allocations", str(year), "amount"),
                    f"the {year} allocation of fund {fund_id}, {format_money(new)}, is "
                    f"{_how_far(old, new)} the {before} allocation of {format_money(old)}; check "
                    "it for a typo (a missing or extra ,000)",
                    year=year,
                )


def _how_far(old: Decimal, new: Decimal) -> str:
    if new > old:
        return f"{_times(new / old)} times"
    if new == 0:
        return "nothing against"
    return f"under a tenth of (1/{_times(old / new)} of)"


def _times(ratio: Decimal) -> str:
    """One decimal place, or as many as it takes not to print a change over ten as `10.0`."""
    for places in ("0.1", "0.001", "0.000001"):
        shown = ratio.quantize(Decimal(places), ROUND_HALF_UP)
        if shown != FACTOR:
            return str(shown)
    return str(ratio)
