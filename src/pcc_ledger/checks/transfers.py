"""Transfers: virements within a year, carry-forwards to a later year, and transfers to and
from earmarked reserves.

Each end must exist and have a stated amount; a transfer may not take more than its source
had available on its date; a carry-forward goes to a later year of the same fund, after the
source year has ended; money leaves a ring-fence only by a deliberate decision (the grantor's
ring-fence binds it), and a transfer between funds of different sources is worth a second
look. A reserve never goes below zero.

Nothing here is quadratic: each pot's commitments are summed once, in order of decision, and
a transfer's date is looked up in those running totals by bisection.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..ledger import UNFENCED, Ledger, Pot, ReserveBalance, TransferEntry
from ..model import Transfer, TransferEnd
from ..problems import Problem
from ..rules import make_problem
from ..scalars import format_money

_ENDS = (("from", "source"), ("to", "destination"))


def check(ledger: Ledger) -> Iterator[Problem]:
    for entry in ledger.transfers:
        problems = list(_ends(ledger, entry))
        yield from problems
        if not problems:
            yield from _shape(ledger, entry)
    yield from _within_available(ledger)
    yield from _reserves_stay_positive(ledger)


def _suggest(name: str, known: Iterable[str], what: str) -> str:
    known = list(known)
    guess = difflib.get_close_matches(name, known, n=1)
    if guess:
        return f"did you mean `{guess[0]}`?"
    return f"{what}: " + (", ".join(known) or "none")


def _ends(ledger: Ledger, entry: TransferEntry) -> Iterator[Problem]:
    """Each end exists, and names an amount someone stated."""
    transfer = entry.transfer
    for key, attribute in _ENDS:
        end: TransferEnd = getattr(transfer, attribute)
        year = transfer.source.year
        if end.reserve is not None:
            if end.reserve not in ledger.funds.reserves:
                yield make_problem(
                    "unknown-reserve", entry.at(key, "reserve"),
                    f"transfer {transfer.id}: unknown reserve `{end.reserve}`; "
                    f"{_suggest(end.reserve, ledger.funds.reserves, 'reserves in funds.yaml')}"
                    " (declare reserves under `reserves:` in funds.yaml)", year=year)
            continue
        assert end.fund is not None and end.year is not None  # the loader made sure
        fund = ledger.funds.funds.get(end.fund)
        if fund is None:
            yield make_problem(
                "unknown-fund", entry.at(key, "fund"),
                f"transfer {transfer.id}: unknown fund `{end.fund}`; "
                f"{_suggest(end.fund, ledger.funds.funds, 'known')}", year=year)
            continue
        allocation = fund.allocations.get(end.year)
        if allocation is None:
            years = ", ".join(str(fy) for fy in sorted(fund.allocations)) or "none"
            yield make_problem(
                "unknown-year", entry.at(key, "year"),
                f"transfer {transfer.id}: fund {end.fund} has no allocation for {end.year} in "
                f"funds.yaml (its years: {years}); correct the year or add the allocation",
                year=end.year)
            continue
        fence = end.ring_fence
        if fence is not None and (fence == UNFENCED or fence not in allocation.ring_fences):
            hint = ("leave out `ring_fence` to move the unfenced part" if fence == UNFENCED
                    else _suggest(fence, allocation.ring_fences, "its ring-fences"))
            yield make_problem(
                "unknown-ring-fence", entry.at(key, "ring_fence"),
                f"transfer {transfer.id}: fund {end.fund} {end.year} has no ring-fence "
                f"`{fence}`; {hint}", year=end.year)
            continue
        stated = allocation.amount if fence is None else allocation.ring_fences[fence].amount
        if allocation.amount is None or stated is None:
            yield make_problem(
                "transfer-unstated-allocation", entry.at(key),
                f"transfer {transfer.id} moves money {'out of' if key == 'from' else 'into'} "
                f"fund {end.fund} {end.year}, which has no stated allocation: there is no "
                "figure to move it from or add it to; state the allocation in funds.yaml, or "
                "record the money as commitments", year=end.year)


def _route(transfer: Transfer) -> str:
    """`from X to Y`: every message about a transfer names both its ends."""
    return f"from {transfer.source} to {transfer.destination}"


def _shape(ledger: Ledger, entry: TransferEntry) -> Iterator[Problem]:
    """What kind of move it is, and whether its amount, dates and ends make sense for it."""
    transfer = entry.transfer
    source, destination = transfer.source, transfer.destination
    amount = format_money(transfer.amount)
    year = source.year or destination.year
    if source == destination:
        yield make_problem(
            "transfer-same-place", entry.at("to"),
            f"transfer {transfer.id} moves {amount} from {source} to the same place; correct "
            "one end, or delete it", year=year)
        return
    if transfer.amount == 0:
        yield make_problem(
            "invalid-amount", entry.at("amount"),
            f"transfer {transfer.id} moves nothing ({amount}) {_route(transfer)}; correct the "
            "amount, or delete the transfer", year=year)
    if source.ring_fence is not None and not (
        destination.fund == source.fund and destination.ring_fence == source.ring_fence
    ):
        # Only a carry-forward of the ring-fence into the same ring-fence of a later year keeps
        # the money bound to its purpose; anything else (even to a reserve) takes it out.
        yield make_problem(
            "transfer-from-ring-fence", entry.at("from", "ring_fence"),
            f"transfer {transfer.id} moves {amount} {_route(transfer)}, out of its "
            "ring-fence: a ring-fence binds its money to its purpose; reduce the "
            "ring-fence in funds.yaml if its grantor agreed, or carry it forward into the same "
            "ring-fence of a later year", year=source.year)
    if source.is_reserve or destination.is_reserve:
        return
    assert source.year is not None and destination.year is not None
    if source.year == destination.year:
        if not source.year.first_day <= transfer.date <= source.year.last_day:
            yield make_problem(
                "transfer-outside-year", entry.at("date"),
                f"virement {transfer.id} of {amount} {_route(transfer)} is dated "
                f"{transfer.date}, outside {source.year} ({source.year.first_day} to "
                f"{source.year.last_day}): positions on a day and year-ends would change after "
                "the fact; date it within the year, or check the year", year=source.year)
    elif source.fund != destination.fund:
        yield make_problem(
            "transfer-across-years", entry.at("to", "year"),
            f"transfer {transfer.id} moves {amount} {_route(transfer)}: a virement stays "
            "within one year, and a carry-forward goes to a later year of the same fund; make "
            "it two transfers (a carry-forward, then a virement), or correct the year",
            year=source.year)
    elif destination.year < source.year:
        yield make_problem(
            "transfer-year-order", entry.at("to", "year"),
            f"carry-forward {transfer.id} moves {amount} {_route(transfer)}, back to an earlier "
            "year; money is carried forward to a later year only: correct the years",
            year=source.year)
    elif transfer.date <= source.year.last_day:
        yield make_problem(
            "carry-forward-before-year-end", entry.at("date"),
            f"carry-forward {transfer.id} of {amount} {_route(transfer)} is dated "
            f"{transfer.date}, before {source.year} was over (it ended on "
            f"{source.year.last_day}): an underspend is known, and carried forward, only "
            "once the year is over; date it after the year end, or make it a virement",
            year=source.year)
    elif transfer.date > destination.year.last_day:
        yield make_problem(
            "transfer-outside-year", entry.at("date"),
            f"carry-forward {transfer.id} of {amount} {_route(transfer)} is dated "
            f"{transfer.date}, after {destination.year} ended ({destination.year.last_day}): "
            "money cannot be added to a year that is over; date it within that year, or carry "
            "it to a later one", year=source.year)
    assert source.fund is not None and destination.fund is not None
    given = ledger.funds.funds[source.fund].source
    taken = ledger.funds.funds[destination.fund].source
    if given and taken and given != taken:
        yield make_problem(
            "transfer-between-sources", entry.at("to", "fund"),
            f"transfer {transfer.id} moves {amount} from fund {source.fund} ({given}) to fund "
            f"{destination.fund} ({taken}): the terms of a grant usually bind its money to its "
            "own purposes; check the grantor allows it", year=source.year)


@dataclass
class _RunningTotals:
    """Approved commitments of one pot, in order of decision, as running totals by date."""

    dates: list[date]
    totals: list[Decimal]

    @classmethod
    def of(cls, pot: Pot) -> _RunningTotals:
        dates: list[date] = []
        totals: list[Decimal] = []
        running = Decimal(0)
        for entry in pot.approved:  # sorted by decision date; undated ones last, uncounted
            decided = entry.commitment.approved
            if decided is None:
                break
            running += entry.commitment.amount
            dates.append(decided)
            totals.append(running)
        return cls(dates, totals)

    def committed_by(self, day: date) -> Decimal:
        index = bisect.bisect_right(self.dates, day)
        return self.totals[index - 1] if index else Decimal(0)


def _within_available(ledger: Ledger) -> Iterator[Problem]:
    """Each transfer out of a pot within what the pot had available on its date: its
    allocation, with the transfers in and out before it, less the commitments approved on or
    before that day. The most specific pot is judged: the ring-fence or the unfenced part."""
    for position in ledger.positions.values():
        pots = list(position.parts.values()) or [position.whole]
        for pot in pots:
            if pot.original is None or not any(amount < 0 for _, amount in pot.moves):
                continue
            committed = _RunningTotals.of(pot)
            moved = Decimal(0)
            for entry, amount in _same_day_ins_first(pot.moves):
                if amount < 0:
                    day = entry.transfer.date
                    available = pot.original + moved - committed.committed_by(day)
                    if -amount > available:
                        # The first that overdraws the pot: later ones follow from it.
                        yield _exceeds(entry, pot, available)
                        break
                moved += amount


def _same_day_ins_first(
    moves: list[tuple[TransferEntry, Decimal]]
) -> list[tuple[TransferEntry, Decimal]]:
    """Moves in date order, and on one day money in before money out: the verdict must not
    depend on which file a transfer is written in (file order is kept otherwise)."""
    return sorted(moves, key=lambda move: (move[0].transfer.date, move[1] < 0))


def _exceeds(entry: TransferEntry, pot: Pot, available: Decimal) -> Problem:
    transfer = entry.transfer
    what = ("the unfenced part of " if pot.part == UNFENCED
            else f"ring-fence {pot.part} of " if pot.part else "")
    return make_problem(
        "transfer-exceeds-available", entry.at("amount"),
        f"transfer {transfer.id} moves {format_money(transfer.amount)} {_route(transfer)}, "
        f"but {what}fund {pot.fund_id} {pot.year} had {format_money(available)} available on "
        f"{transfer.date} (after the commitments approved and the transfers made by then); "
        f"{format_money(transfer.amount - available)} too much: reduce the transfer, or date "
        "it after the money is free", year=pot.year)


def _reserves_stay_positive(ledger: Ledger) -> Iterator[Problem]:
    for balance in ledger.reserves.values():
        yield from _reserve_running(balance)


def _reserve_running(balance: ReserveBalance) -> Iterator[Problem]:
    """The balance through time: nothing before the opening date, then the opening balance,
    then each transfer (on one day, money in before money out)."""
    opening = balance.reserve.opening
    running = Decimal(0)
    opened = opening is None
    for entry, amount in _same_day_ins_first(balance.moves):
        transfer = entry.transfer
        if not opened and opening is not None and transfer.date >= opening.date:
            running, opened = running + opening.amount, True
        running += amount
        if running < 0:
            before = ("" if opened or opening is None
                      else f", before its opening balance on {opening.date}")
            yield make_problem(
                "reserve-below-zero", entry.at("amount"),
                f"transfer {transfer.id} takes {format_money(transfer.amount)} "
                f"{_route(transfer)} on {transfer.date}{before}, leaving reserve "
                f"{balance.reserve_id} at {format_money(running)}: a reserve cannot go below "
                "zero; reduce the transfer, or pay into the reserve first",
                year=transfer.destination.year or transfer.source.year)
            return
