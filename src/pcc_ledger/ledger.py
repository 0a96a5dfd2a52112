"""The Ledger: every fund, commitment and transfer of a data directory, and the money semantics.

One Ledger feeds every check, report and export. Totals follow PRODUCT.md:
committed = approved; planned = proposed; paid = payments on approved commitments;
outstanding = committed - paid; revised allocation = allocation + transfers in - transfers out;
available = revised allocation (or part) - committed. A commitment with `ring_fence: X` draws
on X only; every other one draws on the unfenced part.

A commitment over several years (`years:`) is charged to each year's allocation by its own
amount: the ledger sees one *charge* per year, each an `Entry` of its own whose payments (and
planned payments) are those attributed to that year, earliest year first.

`on(day)` gives the position on a day: commitments approved, payments made and transfers dated
on or before it. The forecast outturn of a pot is its approved charges less what their payment
schedules put after the end of the year and was not paid within it: paid to date, plus
scheduled payments still to come in the year, plus the unscheduled remainder.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from . import slotted
from .model import (
    Allocation,
    Commitment,
    Fund,
    FundsFile,
    Payment,
    Reserve,
    Round,
    ScheduledPayment,
    Transfer,
    TransferEnd,
    altered,
)
from .problems import Location
from .scalars import FinancialYear
from .yamlsource import Document, PathPart, YamlPath

if TYPE_CHECKING:
    from .pabulib import Ballots

UNFENCED = "unfenced"
_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Entry:
    """A commitment and where it was written; or, for a commitment over several years, one
    year's charge of it (`whole` is then the commitment as written)."""

    commitment: Commitment
    document: Document
    path: YamlPath
    illustrative: bool = False
    whole: Commitment | None = None
    charge_index: int = 0  # 0 for the first (or only) year charged

    def at(self, *sub: PathPart, key: bool = False) -> Location:
        return self.document.at((*self.path, *sub), key=key)

    @property
    def source(self) -> Commitment:
        """The commitment as written (all its years, payments and schedule)."""
        return self.whole or self.commitment

    @property
    def order(self) -> tuple[object, ...]:
        """Chronological order of decisions; file order breaks ties, so it is stable."""
        approved = self.commitment.approved
        return (approved is None, approved, self.document.file, self.path, self.charge_index)


# One per commitment read: made from all its fields, in order, straight into its slots.
make_entry = slotted.maker(Entry)


def awaits_funding(entry: Entry, fund: Fund) -> bool:
    """A later year of a multi-year commitment past every allocation its fund has: subject to
    future funding, it counts in no total until the allocation is added (a `future-funding`
    warning, not a mistake). A gap between years the fund has, or a first year with no
    allocation, is a mistake (`unknown-year`)."""
    year = entry.commitment.year
    return entry.charge_index > 0 and all(year > funded for funded in fund.allocations)


@dataclass(frozen=True)
class TransferEntry:
    """A transfer and where it was written."""

    transfer: Transfer
    document: Document
    path: YamlPath
    illustrative: bool = False

    def at(self, *sub: PathPart, key: bool = False) -> Location:
        return self.document.at((*self.path, *sub), key=key)

    @property
    def order(self) -> tuple[object, ...]:
        return (self.transfer.date, self.document.file, self.path)


@dataclass(frozen=True)
class RoundEntry:
    """A participatory-budgeting round and where it was written, with its voters' ballots when
    it names a ballots file that could be read."""

    round: Round
    document: Document
    path: YamlPath
    illustrative: bool = False
    ballots: Ballots | None = None

    def at(self, *sub: PathPart, key: bool = False) -> Location:
        return self.document.at((*self.path, *sub), key=key)

    def project_at(self, index: int, *sub: PathPart, key: bool = False) -> Location:
        return self.at("projects", index, *sub, key=key)


@dataclass(kw_only=True)
class Moved:
    """What transfers moved in and out of a pot or a reserve, in date order."""

    transfers_in: Decimal = _ZERO
    transfers_out: Decimal = _ZERO
    moves: list[tuple[TransferEntry, Decimal]] = field(default_factory=list)  # + in, - out

    def move(self, entry: TransferEntry, amount: Decimal) -> None:
        """Money in (a positive amount) or out (negative) by a transfer."""
        if amount >= 0:
            self.transfers_in += amount
        else:
            self.transfers_out -= amount
        self.moves.append((entry, amount))


@dataclass
class Pot(Moved):
    """Money that commitments draw on: a whole allocation, one ring-fence or the unfenced part."""

    fund_id: str
    year: FinancialYear
    part: str | None  # None: the whole allocation; else a ring-fence id or UNFENCED
    name: str
    original: Decimal | None  # None: the source states no amount, so nothing to over-commit
    committed: Decimal = _ZERO
    planned: Decimal = _ZERO
    paid: Decimal = _ZERO
    forecast: Decimal = _ZERO  # forecast outturn: see the module's docstring
    approved: list[Entry] = field(default_factory=list)

    @property
    def limit(self) -> Decimal | None:
        """The revised allocation: what commitments may draw on."""
        if self.original is None:
            return None
        return self.original + self.transfers_in - self.transfers_out

    @property
    def outstanding(self) -> Decimal:
        return self.committed - self.paid

    @property
    def available(self) -> Decimal | None:
        return None if self.limit is None else self.limit - self.committed


def _add_charge(entry: Entry, pots: tuple[Pot, ...]) -> None:
    """A charge counted in each pot it draws on (the allocation, and the part of a ring-fenced
    one): an approved one is committed (its payments paid, its forecast outturn forecast), a
    proposed one planned. Its sums are made once for all its pots."""
    commitment = entry.commitment
    if commitment.status == "approved":
        amount, paid, forecast = commitment.amount, commitment.paid, forecast_outturn(commitment)
        for pot in pots:
            pot.committed += amount
            pot.paid += paid
            pot.forecast += forecast
            pot.approved.append(entry)
    elif commitment.status == "proposed":
        for pot in pots:
            pot.planned += commitment.amount


def _pots_of(commitment: Commitment, positions: dict[tuple[str, FinancialYear], Position]
             ) -> tuple[Pot, ...]:
    """`Ledger.pots_of`, as a tuple (asked once for each of 100,000 charges)."""
    position = positions.get((commitment.fund, commitment.year))
    if position is None:
        return ()
    if not position.parts:
        return (position.whole,) if commitment.ring_fence is None else ()
    part = position.parts.get(commitment.ring_fence or UNFENCED)
    if part is not None and commitment.ring_fence != UNFENCED:
        return position.whole, part
    return ()


def forecast_outturn(charge: Commitment) -> Decimal:
    """What an approved charge will have cost its year: all of it, less what its schedule
    puts after the end of the year and was not paid within the year.

    That is paid to date, plus the scheduled payments still to come in the year, plus the
    unscheduled rest (a payment overdue on its schedule is still expected). It depends on the
    day only through the payments made by then, so a closed year's forecast stays put."""
    if not charge.schedule:
        return charge.amount  # nothing planned after the year: all of it
    end = charge.year.last_day
    slipping = sum((planned.amount for planned in charge.schedule if planned.date > end), _ZERO)
    paid_in_year = sum((payment.amount for payment in charge.payments if payment.date <= end),
                       _ZERO)
    unpaid = max(_ZERO, charge.amount - paid_in_year)
    return charge.amount - min(unpaid, slipping)


@dataclass
class Position:
    """One fund's allocation for one year, with its parts when it has ring-fences."""

    fund_id: str
    fund: Fund
    year: FinancialYear
    allocation: Allocation
    whole: Pot
    parts: dict[str, Pot]  # ring-fence ids, then UNFENCED; empty when there are no ring-fences


@dataclass
class ReserveBalance(Moved):
    """An earmarked reserve: its opening balance and the transfers in and out of it."""

    reserve_id: str
    reserve: Reserve
    opening: Decimal

    @property
    def balance(self) -> Decimal:
        return self.opening + self.transfers_in - self.transfers_out


End = list[Pot] | ReserveBalance


@dataclass
class _Computed:
    positions: dict[tuple[str, FinancialYear], Position]
    reserves: dict[str, ReserveBalance]


@dataclass
class Ledger:
    funds: FundsFile
    funds_document: Document
    entries: list[Entry]  # every commitment as written
    files: list[str]
    transfers: list[TransferEntry] = field(default_factory=list)
    rounds: list[RoundEntry] = field(default_factory=list)
    # Ids of rounds written but not readable: what names them is not reported again.
    unread_rounds: frozenset[str] = frozenset()
    as_of: date | None = None  # the position on this day; None: everything recorded
    _charges: list[Entry] | None = None
    _computed: _Computed | None = None
    _settled: date | None = None  # see `settled`
    # The results of the rounds, worked out once (rounds.tally_round). They depend on what was
    # recorded by each round's date, which the ledger on another day (`on`) shares; a ledger
    # with other records must start its own.
    _round_results: dict[tuple[object, ...], object] = field(default_factory=dict)

    def on(self, day: date | None) -> Ledger:
        """The ledger as it stood on `day`: commitments approved, payments made and transfers
        dated on or before it (and forecasts made from it)."""
        if day is None:
            return self
        if self.as_of is None and self.settled <= day:
            # Nothing recorded is dated after the day (the usual case: today), so the position
            # on it is everything recorded, already computed once: only the label differs.
            return dataclasses.replace(self, as_of=day, _charges=self.charges,
                                       _computed=self._compute())
        return dataclasses.replace(self, as_of=day, _charges=None, _computed=None)

    @property
    def settled(self) -> date:
        """The first day on which everything recorded had happened: the latest approval,
        payment, transfer or reserve opening. `date.max` when an approved commitment has no
        approval date, as no day's position counts it."""
        if self._settled is None:
            days = [date.min]
            for entry in self.entries:
                commitment = entry.commitment
                if commitment.status == "approved":
                    if commitment.approved is None:
                        days.append(date.max)
                        break
                    days.append(commitment.approved)
                days.extend(payment.date for payment in commitment.payments)
            days.extend(move.transfer.date for move in self.transfers)
            days.extend(reserve.opening.date for reserve in self.funds.reserves.values()
                        if reserve.opening is not None)
            self._settled = max(days)
        return self._settled

    def fund_at(self, fund_id: str, *sub: PathPart, key: bool = False) -> Location:
        return self.funds_document.at(("funds", fund_id, *sub), key=key)

    @property
    def charges(self) -> list[Entry]:
        """Every commitment as the pots see it on the ledger's day: one entry per year charged,
        each with the payments (and planned payments) attributed to that year."""
        if self._charges is None:
            self._charges = [
                charge for entry in self.entries for charge in _charges_of(entry, self.as_of)
            ]
        return self._charges

    @property
    def moves(self) -> list[TransferEntry]:
        """The transfers on the ledger's day, in date order."""
        dated = [t for t in self.transfers if self.as_of is None or t.transfer.date <= self.as_of]
        return sorted(dated, key=lambda t: t.order)

    @property
    def positions(self) -> dict[tuple[str, FinancialYear], Position]:
        """Every fund's position for every year it has an allocation, computed once."""
        return self._compute().positions

    @property
    def reserves(self) -> dict[str, ReserveBalance]:
        return self._compute().reserves

    def _compute(self) -> _Computed:
        if self._computed is None:
            self._computed = self._compute_positions()
        return self._computed

    def _compute_positions(self) -> _Computed:
        positions = {
            (fund_id, year): _empty_position(fund_id, fund, year, allocation)
            for fund_id, fund in self.funds.funds.items()
            for year, allocation in fund.allocations.items()
        }
        for entry in self.charges:
            pots = _pots_of(entry.commitment, positions)
            if pots:
                _add_charge(entry, pots)
        for position in positions.values():
            for pot in (position.whole, *position.parts.values()):
                pot.approved.sort(key=lambda e: e.order)
        reserves = {
            reserve_id: ReserveBalance(reserve_id, reserve, _opening(reserve, self.as_of))
            for reserve_id, reserve in self.funds.reserves.items()
        }
        for move in self.moves:
            ends = self.ends_of(move.transfer, positions, reserves)
            if ends is None:
                continue  # an unknown or unusable end: reported by the transfer checks
            source, destination = ends
            amount = move.transfer.amount
            for end, signed in ((source, -amount), (destination, amount)):
                for target in ([end] if isinstance(end, ReserveBalance) else end):
                    target.move(move, signed)
        return _Computed(positions, reserves)

    def pots_of(
        self, entry: Entry, positions: dict[tuple[str, FinancialYear], Position] | None = None
    ) -> Iterator[Pot]:
        """The pots a charge draws on; none when its fund, year or ring-fence is unknown
        (that is reported by the reference checks, and such a charge counts nowhere)."""
        yield from _pots_of(entry.commitment, self.positions if positions is None else positions)

    def end_pots(
        self, end: TransferEnd, positions: dict[tuple[str, FinancialYear], Position] | None = None
    ) -> list[Pot] | None:
        """The pots a transfer end moves money in or out of (the allocation and the part);
        None when the fund, year or ring-fence is unknown."""
        known = self.positions if positions is None else positions
        if end.fund is None or end.year is None:
            return None
        position = known.get((end.fund, end.year))
        if position is None:
            return None
        if not position.parts:
            return [position.whole] if end.ring_fence is None else None
        part = position.parts.get(end.ring_fence or UNFENCED)
        if part is None or end.ring_fence == UNFENCED:
            return None
        return [position.whole, part]

    def ends_of(
        self,
        transfer: Transfer,
        positions: dict[tuple[str, FinancialYear], Position] | None = None,
        reserves: dict[str, ReserveBalance] | None = None,
    ) -> tuple[End, End] | None:
        """Both ends of a transfer, or None when either is unknown or has no stated amount
        (money cannot move in or out of a figure nobody stated)."""
        found: list[End] = []
        for end in (transfer.source, transfer.destination):
            if end.reserve is not None:
                balance = (self.reserves if reserves is None else reserves).get(end.reserve)
                if balance is None:
                    return None
                found.append(balance)
                continue
            pots = self.end_pots(end, positions)
            if pots is None or any(pot.original is None for pot in pots):
                return None
            found.append(pots)
        return found[0], found[1]

    def years(self, fund_id: str | None = None) -> list[FinancialYear]:
        """The years with an allocation: of one fund, or of any."""
        funds = [self.funds.funds[fund_id]] if fund_id else self.funds.funds.values()
        return sorted({year for fund in funds for year in fund.allocations})

    def select(
        self, year: FinancialYear | None = None, fund_id: str | None = None
    ) -> list[Position]:
        """Positions in funds.yaml order, each fund's years in order."""
        chosen = [
            position
            for (fid, fy), position in self.positions.items()
            if (year is None or fy == year) and (fund_id is None or fid == fund_id)
        ]
        fund_order = {fid: n for n, fid in enumerate(self.funds.funds)}
        return sorted(chosen, key=lambda p: (fund_order[p.fund_id], p.year))


def _opening(reserve: Reserve, as_of: date | None) -> Decimal:
    opening = reserve.opening
    if opening is None or (as_of is not None and opening.date > as_of):
        return _ZERO
    return opening.amount


def _charges_of(entry: Entry, as_of: date | None) -> list[Entry]:
    """One entry per year a commitment is charged to, as it stood on `as_of`."""
    commitment = entry.commitment
    if as_of is not None:
        if commitment.status == "approved" and (
            commitment.approved is None or commitment.approved > as_of
        ):
            return []  # not yet decided on that day
        payments = [payment for payment in commitment.payments if payment.date <= as_of]
        if len(payments) != len(commitment.payments):
            commitment = altered(commitment, payments=payments)
    if not commitment.years:
        return [entry if commitment is entry.commitment else
                dataclasses.replace(entry, commitment=commitment)]
    charges = commitment.charges
    paid = _attribute(commitment.payments, charges)
    planned = _attribute(commitment.schedule, charges)
    return [
        dataclasses.replace(
            entry,
            commitment=altered(commitment, year=year, amount=amount, payments=paid[index],
                               schedule=planned[index]),
            whole=commitment,
            charge_index=index,
        )
        for index, (year, amount) in enumerate(charges)
    ]


Dated = TypeVar("Dated", Payment, ScheduledPayment)


def _attribute(
    items: Sequence[Dated], charges: list[tuple[FinancialYear, Decimal]]
) -> list[list[Dated]]:
    """Payments (or planned payments) shared out over the years charged, earliest year first:
    each year's charge is filled, in date order, before the next; a payment that crosses from
    one year's charge into the next is split. Anything past the whole stays with the last."""
    shares: list[list[Dated]] = [[] for _ in charges]
    index = 0
    room = charges[0][1]
    for item in sorted(items, key=lambda i: i.date):
        left = item.amount
        if not left:  # a zero payment is still listed, with the year being paid
            shares[index].append(item)
        while left > 0:
            if room <= 0 and index + 1 < len(charges):
                index += 1
                room = charges[index][1]
                continue
            part = left if index + 1 == len(charges) else min(left, room)
            shares[index].append(item if part == item.amount else
                                 altered(item, amount=part))
            left -= part
            room -= part
    return shares


def _empty_position(
    fund_id: str, fund: Fund, year: FinancialYear, allocation: Allocation
) -> Position:
    whole = Pot(fund_id, year, None, fund.name, allocation.amount)
    parts: dict[str, Pot] = {}
    if allocation.ring_fences:
        for fence_id, fence in allocation.ring_fences.items():
            parts[fence_id] = Pot(fund_id, year, fence_id, fence.name, fence.amount)
        unfenced = None if allocation.amount is None else allocation.amount - allocation.ring_fenced
        parts[UNFENCED] = Pot(fund_id, year, UNFENCED, "Unfenced", unfenced)
    return Position(fund_id, fund, year, allocation, whole, parts)
