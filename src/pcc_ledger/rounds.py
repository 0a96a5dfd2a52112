"""Participatory-budgeting rounds in the ledger: a round's budget, its result, and the
commitments that award it.

A round shares out one fund's year: its budget is that year's revised allocation (the
unfenced part, where the year has ring-fences) as it stood on the day the result was declared,
so a transfer made later never changes who won. The fund's `max_award` and `max_awards` bind
the result as they bind any award.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from .ledger import UNFENCED, Entry, Ledger, RoundEntry
from .model import Round
from .tally import Candidate, Tally, tally


def round_budget(ledger: Ledger, pb_round: Round) -> Decimal | None:
    """None when the fund or year is unknown, or the year states no amount."""
    position = ledger.on(pb_round.date).positions.get((pb_round.fund, pb_round.year))
    if position is None:
        return None
    pot = position.parts.get(UNFENCED, position.whole)
    return pot.limit


def candidates(pb_round: Round) -> list[Candidate]:
    return [Candidate(project.id, project.area, project.amount, project.votes.total)
            for project in pb_round.projects]


def tally_round(ledger: Ledger, entry: RoundEntry) -> Tally | None:
    """The round's result; None when it cannot be worked out (an unknown fund or year, no
    stated allocation, top per area without `per_area`, or ballots needed or named that
    could not be read), which `check` reports. Worked out once per ledger: equal shares over
    100,000 ballots takes seconds, and `check` and the report both want it."""
    key = (entry.round.id, entry.document.file, entry.path)
    if key not in ledger._round_results:
        ledger._round_results[key] = _tally_round(ledger, entry)
    result = ledger._round_results[key]
    assert result is None or isinstance(result, Tally)
    return result


def _tally_round(ledger: Ledger, entry: RoundEntry) -> Tally | None:
    pb_round = entry.round
    budget = round_budget(ledger, pb_round)
    if budget is None:
        return None
    if entry.ballots is None and (pb_round.method == "equal-shares"
                                  or pb_round.ballots is not None):
        return None  # no ballots, or ballots that could not be read
    if pb_round.method == "top-per-area" and pb_round.per_area is None:
        return None
    if pb_round.fund not in ledger.funds.funds:
        return None
    rules = ledger.funds.funds[pb_round.fund].rules_for(pb_round.year)
    return tally(candidates(pb_round), pb_round.method, budget,
                 max_awards=rules.max_awards, max_award=rules.max_award,
                 per_area=pb_round.per_area,
                 ballots=entry.ballots.ballots if entry.ballots is not None else None)


@dataclass
class Awards:
    """The commitments of a round's fund and year, as they stand against its projects."""

    approved: dict[str, list[Entry]] = field(default_factory=dict)  # project id -> approved
    proposed: dict[str, list[Entry]] = field(default_factory=dict)  # project id -> proposed
    # Approved commitments of the fund and year that name no project of the round.
    unnamed: list[Entry] = field(default_factory=list)


def awards_of(ledger: Ledger, pb_round: Round) -> Awards:
    """Each charge to the round's fund and year, by the project it names (in order of
    decision, so the first award of a project is the one that stands)."""
    projects = {project.id for project in pb_round.projects}
    found = Awards()
    charges = sorted((entry for entry in ledger.charges
                      if entry.commitment.fund == pb_round.fund
                      and entry.commitment.year == pb_round.year),
                     key=lambda entry: entry.order)
    for entry in charges:
        commitment = entry.commitment
        named = commitment.project if commitment.round == pb_round.id else None
        if commitment.status == "approved":
            if named in projects:
                found.approved.setdefault(named, []).append(entry)
            else:
                found.unnamed.append(entry)
        elif commitment.status == "proposed" and named in projects:
            found.proposed.setdefault(named, []).append(entry)
    return found


def rounds_by_pot(ledger: Ledger) -> dict[tuple[str, object], RoundEntry]:
    """The first round of each fund and year (a second one is an error of its own)."""
    first: dict[tuple[str, object], RoundEntry] = {}
    for entry in sorted(ledger.rounds, key=lambda e: (e.document.file, e.path)):
        first.setdefault((entry.round.fund, entry.round.year), entry)
    return first


def approval_counts(entry: RoundEntry) -> Counter[str] | None:
    return None if entry.ballots is None else entry.ballots.approvals()
