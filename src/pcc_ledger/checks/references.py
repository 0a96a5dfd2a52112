"""Names that must exist: funds, years, ring-fences and objectives; ids that must be unique."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from ..ledger import UNFENCED, Entry, Ledger
from ..problems import Problem
from ..rules import make_problem


def check(ledger: Ledger) -> Iterator[Problem]:
    for entry in ledger.entries:
        yield from _references(ledger, entry)


def check_ids(entries: list[Entry]) -> Iterator[Problem]:
    """Commitment ids are unique across all files; reported where an id is used again."""
    first_seen: dict[str, Entry] = {}
    for entry in entries:
        cid = entry.commitment.id
        first = first_seen.setdefault(cid, entry)
        if first is not entry:
            yield make_problem(
                "duplicate-id",
                entry.at("id"),
                f"duplicate commitment id `{cid}`: already used at {first.at('id')}; "
                "give each commitment its own id",
                year=entry.commitment.year,
            )


def _suggest(name: str, known: Iterable[str]) -> str:
    known = list(known)
    guess = difflib.get_close_matches(name, known, n=1)
    if guess:
        return f"did you mean `{guess[0]}`?"
    if not known:
        return "funds.yaml defines none yet: add it there"
    return "known: " + ", ".join(known)


def _references(ledger: Ledger, entry: Entry) -> Iterator[Problem]:
    commitment = entry.commitment
    objectives = ledger.funds.objectives
    if commitment.objective not in objectives:
        yield make_problem(
            "unknown-objective",
            entry.at("objective"),
            f"unknown objective `{commitment.objective}`; "
            f"{_suggest(commitment.objective, objectives)}",
            year=commitment.year,
        )
    fund = ledger.funds.funds.get(commitment.fund)
    if fund is None:
        yield make_problem(
            "unknown-fund",
            entry.at("fund"),
            f"unknown fund `{commitment.fund}`; {_suggest(commitment.fund, ledger.funds.funds)}",
            year=commitment.year,
        )
        return
    allocation = fund.allocations.get(commitment.year)
    if allocation is None:
        years = ", ".join(str(year) for year in sorted(fund.allocations)) or "none"
        yield make_problem(
            "unknown-year",
            entry.at("year"),
            f"fund {commitment.fund} has no allocation for {commitment.year} in funds.yaml "
            f"(its years: {years}); correct the year or add the allocation",
            year=commitment.year,
        )
        return
    fence = commitment.ring_fence
    if fence is not None and (fence not in allocation.ring_fences or fence == UNFENCED):
        if fence == UNFENCED:
            hint = "leave out `ring_fence` to draw on the unfenced part"
        elif allocation.ring_fences:
            hint = _suggest(fence, allocation.ring_fences)
        else:
            hint = "it has no ring-fences; remove `ring_fence` to draw on the allocation"
        yield make_problem(
            "unknown-ring-fence",
            entry.at("ring_fence"),
            f"fund {commitment.fund} {commitment.year} has no ring-fence `{fence}`; {hint}",
            year=commitment.year,
        )
