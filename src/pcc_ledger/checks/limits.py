"""Money limits: ring-fences within their allocation, payments within their commitment, and
approved commitments within the allocation, each ring-fence and the unfenced part."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..ledger import UNFENCED, Entry, Ledger, Position, Pot
from ..problems import Problem
from ..rules import make_problem
from ..scalars import format_money


def check(ledger: Ledger) -> Iterator[Problem]:
    for position in ledger.positions.values():
        yield from _ring_fences_within_allocation(ledger, position)
        yield from _over_commitment(position.whole, "over-committed-allocation")
        for part in position.parts.values():
            rule = ("over-committed-unfenced" if part.part == UNFENCED
                    else "over-committed-ring-fence")
            yield from _over_commitment(part, rule)
    for entry in ledger.entries:
        commitment = entry.commitment
        if commitment.paid > commitment.amount:  # looked at closely only then: 100,000 of them
            yield from _payments_within_commitment(entry)


def _ring_fences_within_allocation(ledger: Ledger, position: Position) -> Iterator[Problem]:
    allocation = position.allocation
    fenced = allocation.ring_fenced
    if allocation.amount is None or fenced <= allocation.amount:
        return
    yield make_problem(
        "ring-fences-exceed-allocation",
        ledger.fund_at(position.fund_id, "allocations", str(position.year), "ring_fences",
                       key=True),
        f"ring-fences of fund {position.fund_id} {position.year} total {format_money(fenced)}, "
        f"{format_money(fenced - allocation.amount)} more than its allocation of "
        f"{format_money(allocation.amount)}; reduce a ring-fence or correct the allocation",
        year=position.year,
    )


def _describe(pot: Pot) -> str:
    if pot.part is None:
        return f"fund {pot.fund_id} {pot.year} is over-committed: approved commitments total"
    if pot.part == UNFENCED:
        return (f"the unfenced part of fund {pot.fund_id} {pot.year} is over-committed: approved "
                "commitments outside its ring-fences total")
    return (f"ring-fence {pot.part} of fund {pot.fund_id} {pot.year} is over-committed: approved "
            "commitments drawing on it total")


def _limit_name(pot: Pot) -> str:
    if pot.part is None:
        name = "its allocation"
    else:
        name = "its unfenced part" if pot.part == UNFENCED else "the ring-fence"
    if pot.transfers_in or pot.transfers_out:
        return name.replace("its ", "its revised ").replace("the ring-fence",
                                                             "the revised ring-fence")
    return name


def _after_transfers(pot: Pot) -> str:
    if not (pot.transfers_in or pot.transfers_out) or pot.original is None:
        return ""
    return (f" ({format_money(pot.original)}, {format_money(pot.transfers_in)} transferred in, "
            f"{format_money(pot.transfers_out)} out)")


def _over_commitment(pot: Pot, rule: str) -> Iterator[Problem]:
    # With nothing approved there is nothing to point at: a negative limit (ring-fences above
    # their allocation) is reported by its own rule.
    if pot.limit is None or pot.committed <= pot.limit or not pot.approved:
        return
    crossing = _first_past(pot.approved, pot.limit)
    decided = crossing.commitment.approved
    when = f" (approved {decided})" if decided else ""
    yield make_problem(
        rule,
        crossing.at("amount"),
        f"{_describe(pot)} {format_money(pot.committed)} against {_limit_name(pot)} of "
        f"{format_money(pot.limit)}{_after_transfers(pot)}, "
        f"{format_money(pot.committed - pot.limit)} over; "
        f"commitment {crossing.commitment.id}{when} took it over the limit: reduce or cancel "
        "a commitment, or correct the limit in funds.yaml",
        year=pot.year,
    )


def _first_past(entries: list[Entry], limit: Decimal) -> Entry:
    """The first commitment, in order of decision, whose running total passes the limit."""
    running = Decimal(0)
    for entry in entries:
        running += entry.commitment.amount
        if running > limit:
            return entry
    raise AssertionError("called only when the total is over the limit")


def _payments_within_commitment(entry: Entry) -> Iterator[Problem]:
    commitment = entry.commitment
    if commitment.paid <= commitment.amount:
        return
    order = sorted(range(len(commitment.payments)), key=lambda i: commitment.payments[i].date)
    running = Decimal(0)
    for index in order:
        running += commitment.payments[index].amount
        if running > commitment.amount:
            break
    yield make_problem(
        "payments-exceed-commitment",
        entry.at("payments", index, "amount"),
        f"payments on {commitment.id} total {format_money(commitment.paid)}, "
        f"{format_money(commitment.paid - commitment.amount)} more than its commitment of "
        f"{format_money(commitment.amount)}; this payment took it over: correct the payment, "
        "or the amount of the commitment",
        year=commitment.year,
    )
