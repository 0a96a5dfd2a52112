"""The Ledger: every fund and commitment of a data directory, and the money semantics.

One Ledger feeds every check, report and export. Totals follow PRODUCT.md:
committed = approved; planned = proposed; paid = payments on approved commitments;
outstanding = committed - paid; available = allocation (or part) - committed.
A commitment with `ring_fence: X` draws on X only; every other one draws on the unfenced part.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .model import Allocation, Commitment, Fund, FundsFile
from .problems import Location
from .scalars import FinancialYear
from .yamlsource import Document, PathPart, YamlPath

UNFENCED = "unfenced"
_ZERO = Decimal(0)


@dataclass(frozen=True)
class Entry:
    """A commitment and where it was written."""

    commitment: Commitment
    document: Document
    path: YamlPath
    illustrative: bool = False

    def at(self, *sub: PathPart, key: bool = False) -> Location:
        return self.document.at((*self.path, *sub), key=key)

    @property
    def order(self) -> tuple[object, ...]:
        """Chronological order of decisions; file order breaks ties, so it is stable."""
        approved = self.commitment.approved
        return (approved is None, approved, self.document.file, self.path)


@dataclass
class Pot:
    """Money that commitments draw on: a whole allocation, one ring-fence or the unfenced part."""

    fund_id: str
    year: FinancialYear
    part: str | None  # None: the whole allocation; else a ring-fence id or UNFENCED
    name: str
    limit: Decimal | None  # None: the source states no amount, so nothing to over-commit
    committed: Decimal = _ZERO
    planned: Decimal = _ZERO
    paid: Decimal = _ZERO
    approved: list[Entry] = field(default_factory=list)

    @property
    def outstanding(self) -> Decimal:
        return self.committed - self.paid

    @property
    def available(self) -> Decimal | None:
        return None if self.limit is None else self.limit - self.committed

    def add(self, entry: Entry) -> None:
        commitment = entry.commitment
        if commitment.status == "approved":
            self.committed += commitment.amount
            self.paid += commitment.paid
            self.approved.append(entry)
        elif commitment.status == "proposed":
            self.planned += commitment.amount


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
class Ledger:
    funds: FundsFile
    funds_document: Document
    entries: list[Entry]
    files: list[str]
    _positions: dict[tuple[str, FinancialYear], Position] | None = None

    def fund_at(self, fund_id: str, *sub: PathPart, key: bool = False) -> Location:
        return self.funds_document.at(("funds", fund_id, *sub), key=key)

    @property
    def positions(self) -> dict[tuple[str, FinancialYear], Position]:
        """Every fund's position for every year it has an allocation, computed once."""
        if self._positions is None:
            self._positions = self._compute_positions()
        return self._positions

    def _compute_positions(self) -> dict[tuple[str, FinancialYear], Position]:
        positions = {
            (fund_id, year): _empty_position(fund_id, fund, year, allocation)
            for fund_id, fund in self.funds.funds.items()
            for year, allocation in fund.allocations.items()
        }
        for entry in self.entries:
            for pot in self.pots_of(entry, positions):
                pot.add(entry)
        for position in positions.values():
            for pot in (position.whole, *position.parts.values()):
                pot.approved.sort(key=lambda e: e.order)
        return positions

    def pots_of(
        self, entry: Entry, positions: dict[tuple[str, FinancialYear], Position] | None = None
    ) -> Iterator[Pot]:
        """The pots a commitment draws on; none when its fund, year or ring-fence is unknown
        (that is reported by the reference checks, and such a commitment counts nowhere)."""
        commitment = entry.commitment
        known = self.positions if positions is None else positions
        position = known.get((commitment.fund, commitment.year))
        if position is None:
            return
        if not position.parts:
            if commitment.ring_fence is None:
                yield position.whole
            return
        part = position.parts.get(commitment.ring_fence or UNFENCED)
        if part is not None and commitment.ring_fence != UNFENCED:
            yield position.whole
            yield part

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
