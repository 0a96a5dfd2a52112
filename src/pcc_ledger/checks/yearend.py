"""Warnings once a year has ended: money that was meant to be spent and was not committed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..ledger import Ledger, Position, Pot
from ..problems import Problem
from ..rules import make_problem
from ..scalars import format_money


def check(ledger: Ledger, as_of: date) -> list[Problem]:
    return [
        problem
        for position in ledger.positions.values()
        if position.year.last_day < as_of
        for problem in _unspent(ledger, position)
    ]


def _revised(pot: Pot) -> str:
    return " (revised by transfers)" if pot.transfers_in != pot.transfers_out else ""


def _unspent(ledger: Ledger, position: Position) -> Iterator[Problem]:
    where = ("allocations", str(position.year))
    whole = position.whole
    ended = position.year.last_day
    if whole.available is not None and whole.available > 0 and whole.limit is not None:
        yield make_problem(
            "unspent-allocation",
            ledger.fund_at(position.fund_id, *where, "amount"),
            f"{format_money(whole.available)} of the {format_money(whole.limit)}{_revised(whole)} "
            "allocation of "
            f"fund {position.fund_id} {position.year} was not committed by the end of the year "
            f"({ended}); record the missing commitments, or note why it was underspent",
            year=position.year,
        )
    for fence_id, fence in position.allocation.ring_fences.items():
        pot = position.parts[fence_id]
        if fence.must_spend and pot.available is not None and pot.available > 0 \
                and pot.limit is not None:
            yield make_problem(
                "unspent-ring-fence",
                ledger.fund_at(position.fund_id, *where, "ring_fences", fence_id, "amount"),
                f"ring-fence {fence_id} of fund {position.fund_id} {position.year} must be "
                f"spent, but {format_money(pot.available)} of its {format_money(pot.limit)}"
                f"{_revised(pot)} "
                f"was not committed by the end of the year ({ended}); record the commitments "
                "made from it, or note why it was not spent",
                year=position.year,
            )
