"""Names that must exist: funds, years, ring-fences and objectives; ids that must be unique."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Iterator

from ..ledger import UNFENCED, Entry, Ledger, TransferEntry, awaits_funding
from ..problems import Problem
from ..rules import make_problem
from ..scalars import FinancialYear, format_money


def check(ledger: Ledger) -> Iterator[Problem]:
    # Only a charge naming something funds.yaml lacks is looked at closely (a generator per
    # charge would cost more than the whole test, at 100,000 of them).
    objectives = ledger.funds.objectives
    fences_of = {(fund_id, year): allocation.ring_fences
                 for fund_id, fund in ledger.funds.funds.items()
                 for year, allocation in fund.allocations.items()}
    for entry in ledger.charges:
        commitment = entry.commitment
        fences = fences_of.get((commitment.fund, commitment.year))
        fence = commitment.ring_fence
        if (fences is not None and (entry.charge_index or commitment.objective in objectives)
                and (fence is None or (fence in fences and fence != UNFENCED))):
            continue  # its objective, fund, year and ring-fence all exist
        yield from _references(ledger, entry)


def check_ids(entries: list[Entry], transfers: list[TransferEntry]) -> Iterator[Problem]:
    """Commitment and transfer ids are unique across all files, one id space for both (a
    decision log names either); reported where an id is used again."""
    ids = [entry.commitment.id for entry in entries]
    ids += [entry.transfer.id for entry in transfers]
    if len(set(ids)) == len(ids):
        return  # every id once: nothing to count or sort through
    used = Counter(ids)
    both: list[Entry | TransferEntry] = [
        *(entry for entry in entries if used[entry.commitment.id] > 1),
        *(entry for entry in transfers if used[entry.transfer.id] > 1),
    ]
    first_seen: dict[str, Entry | TransferEntry] = {}
    for entry in sorted(both, key=lambda e: (e.document.file, e.path)):
        year: FinancialYear | None
        if isinstance(entry, Entry):
            cid, what, year = entry.commitment.id, "commitment", entry.commitment.year
        else:
            cid, what, year = entry.transfer.id, "transfer", entry.transfer.source.year
        first = first_seen.setdefault(cid, entry)
        if first is not entry:
            earlier = "commitment" if isinstance(first, Entry) else "transfer"
            yield make_problem(
                "duplicate-id",
                entry.at("id"),
                f"duplicate {what} id `{cid}`: already used by a {earlier} at "
                f"{first.at('id')}; give each commitment and transfer its own id",
                year=year,
            )


def suggest(name: str, known: Iterable[str]) -> str:
    known = list(known)
    guess = difflib.get_close_matches(name, known, n=1)
    if guess:
        return f"did you mean `{guess[0]}`?"
    if not known:
        return "funds.yaml defines none yet: add it there"
    return "known: " + ", ".join(known)


def _references(ledger: Ledger, entry: Entry) -> Iterator[Problem]:
    """One charge of a commitment (its only one, for a single year). The objective and the
    fund are checked on the first charge; the year and ring-fence on every charge."""
    commitment = entry.commitment
    first = entry.charge_index == 0
    objectives = ledger.funds.objectives
    if first and commitment.objective not in objectives:
        yield make_problem(
            "unknown-objective",
            entry.at("objective"),
            f"unknown objective `{commitment.objective}`; "
            f"{suggest(commitment.objective, objectives)}",
            year=commitment.year,
        )
    fund = ledger.funds.funds.get(commitment.fund)
    if fund is None:
        if first:
            yield make_problem(
                "unknown-fund",
                entry.at("fund"),
                f"unknown fund `{commitment.fund}`; "
                f"{suggest(commitment.fund, ledger.funds.funds)}",
                year=commitment.year,
            )
        return
    allocation = fund.allocations.get(commitment.year)
    if allocation is None:
        # Asked for only now: a clean run never pays for a line number.
        year_at = (entry.at("years", str(commitment.year), key=True) if entry.whole
                   else entry.at("year"))
        years = ", ".join(str(year) for year in sorted(fund.allocations)) or "none"
        if not awaits_funding(entry, fund):
            yield make_problem(
                "unknown-year",
                year_at,
                f"fund {commitment.fund} has no allocation for {commitment.year} in funds.yaml "
                f"(its years: {years}); correct the year or add the allocation",
                year=commitment.year,
            )
        else:
            yield make_problem(
                "future-funding",
                year_at,
                f"{commitment.id} charges {format_money(commitment.amount)} to "
                f"{commitment.year}, for which fund {commitment.fund} has no allocation yet: it "
                "is subject to future funding, and counts in no total until the allocation is "
                "added to funds.yaml",
                year=commitment.year,
            )
        return
    fence = commitment.ring_fence
    if fence is not None and (fence not in allocation.ring_fences or fence == UNFENCED):
        if fence == UNFENCED:
            hint = "leave out `ring_fence` to draw on the unfenced part"
        elif allocation.ring_fences:
            hint = suggest(fence, allocation.ring_fences)
        else:
            hint = "it has no ring-fences; remove `ring_fence` to draw on the allocation"
        yield make_problem(
            "unknown-ring-fence",
            entry.at("ring_fence"),
            f"fund {commitment.fund} {commitment.year} has no ring-fence `{fence}`; {hint}",
            year=commitment.year,
        )
