"""Participatory-budgeting rounds in the ledger: a round's budget, its result, and the
commitments that award it.

A round shares out one fund's year: its budget is that year's revised allocation (the
unfenced part, where the year has ring-fences: the commitments drawing on a ring-fence are
outside the round) as it stood on the day the result was declared, so a transfer made later
never changes who won. The fund's rules bind the result as they bind any award: `max_awards`
(less the awards the year's ring-fences make), and a project above `max_award`, to a recipient
outside `recipient_types` or in one of the `excluded_categories` cannot be funded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .ledger import UNFENCED, Entry, Ledger, Pot, RoundEntry
from .model import Project, Round, Rules
from .scalars import format_money
from .tally import Candidate, Tally, tally


def round_pot(ledger: Ledger, pb_round: Round) -> Pot | None:
    """What the round shares, as it stood on the day it was declared: the year's allocation,
    or its unfenced part. None when the fund or year is unknown."""
    position = ledger.on(pb_round.date).positions.get((pb_round.fund, pb_round.year))
    if position is None:
        return None
    return position.parts.get(UNFENCED, position.whole)


def candidates(pb_round: Round) -> list[Candidate]:
    return [Candidate(project.id, project.area, project.amount, project.votes.total)
            for project in pb_round.projects]


def bars(project: Project, rules: Rules) -> list[tuple[str, str]]:
    """What in the fund's rules stops it funding the project, whatever its votes: (rule id,
    why, as the result says it), each also a `check` problem on the project."""
    found = []
    kind = project.recipient.type
    if rules.max_award is not None and project.amount > rules.max_award:
        found.append(("award-above-maximum",
                      f"above the {format_money(rules.max_award)} maximum award"))
    if rules.recipient_types is not None and kind not in rules.recipient_types:
        found.append(("recipient-type-not-allowed", f"the fund does not award to a {kind}"))
    if project.category is not None and project.category in (rules.excluded_categories or []):
        found.append(("excluded-category", f"the fund does not fund {project.category}"))
    return found


def barred(pb_round: Round, rules: Rules) -> dict[str, str]:
    """The projects the fund's rules do not let it fund, with the first reason why."""
    return {project.id: found[0][1] for project in pb_round.projects
            if (found := bars(project, rules))}


@dataclass(frozen=True)
class Difference:
    """Where a round's ballots are not the round's: `kind` is `only-in-ballots`,
    `only-in-round`, `cost` or `votes`."""

    kind: str
    project: str
    index: int | None  # the project's place in the round, if it is there
    line: int = 0  # its line in the ballots file, if it is there
    counted: int = 0  # the voters who chose it in the ballots


def differences(entry: RoundEntry) -> Iterator[Difference]:
    ballots = entry.ballots
    if ballots is None:
        return
    counted = ballots.approvals()
    written = {project.id for project in entry.round.projects}
    for listed in ballots.projects.values():
        if listed.id not in written:
            yield Difference("only-in-ballots", listed.id, None, listed.line)
    for index, project in enumerate(entry.round.projects):
        in_ballots = ballots.projects.get(project.id)
        if in_ballots is None:
            yield Difference("only-in-round", project.id, index)
            continue
        if in_ballots.cost != project.amount:
            yield Difference("cost", project.id, index, in_ballots.line)
        if counted[project.id] != project.votes.total:
            yield Difference("votes", project.id, index, in_ballots.line, counted[project.id])


def tally_round(ledger: Ledger, entry: RoundEntry) -> Tally | None:
    """The round's result; None when it cannot be worked out, for a reason `check` reports:
    an unknown fund or year, no stated allocation, no projects or two with one id, top per
    area without `per_area`, or ballots that are needed or named but could not be read or
    are not the round's. Worked out once per ledger: equal shares over 100,000 ballots takes
    seconds, and `check` and the report both want it."""
    key = (entry.round.id, entry.document.file, entry.path)
    if key not in ledger._round_results:
        ledger._round_results[key] = _tally_round(ledger, entry)
    result = ledger._round_results[key]
    assert result is None or isinstance(result, Tally)
    return result


def _tally_round(ledger: Ledger, entry: RoundEntry) -> Tally | None:
    pb_round = entry.round
    fund = ledger.funds.funds.get(pb_round.fund)
    pot = round_pot(ledger, pb_round)
    budget = None if pot is None else pot.limit  # None: no amount stated
    ids = [project.id for project in pb_round.projects]
    if fund is None or budget is None or not ids or len(set(ids)) != len(ids):
        return None
    if pb_round.method == "top-per-area" and pb_round.per_area is None:
        return None
    if entry.ballots is None and (pb_round.method == "equal-shares"
                                  or pb_round.ballots is not None):
        return None  # no ballots, or ballots that could not be read
    if next(differences(entry), None) is not None:
        return None  # ballots of another round: the result would be in doubt
    rules = fund.rules_for(pb_round.year)
    limit = rules.max_awards
    if limit is not None:
        limit = max(0, limit - len(fenced_awards(ledger, pb_round)))
    return tally(candidates(pb_round), pb_round.method, budget,
                 max_awards=limit, barred=barred(pb_round, rules),
                 per_area=pb_round.per_area,
                 ballots=entry.ballots.ballots if entry.ballots is not None else None)


def fenced_awards(ledger: Ledger, pb_round: Round) -> list[Entry]:
    """The approved commitments of the round's fund and year on its ring-fences, by the day
    the result was declared: outside the round, but awards all the same (they count against
    `max_awards`). One approved later cannot change who won: `check` says it is one too many."""
    position = ledger.on(pb_round.date).positions.get((pb_round.fund, pb_round.year))
    if position is None:
        return []
    return [entry for entry in position.whole.approved
            if entry.commitment.ring_fence is not None]


@dataclass
class Awards:
    """The commitments of a round's fund and year, as they stand against its projects."""

    approved: dict[str, list[Entry]] = field(default_factory=dict)  # project id -> approved
    proposed: dict[str, list[Entry]] = field(default_factory=dict)  # project id -> proposed
    # Approved commitments of the fund and year that name no project of the round.
    unnamed: list[Entry] = field(default_factory=list)

    @property
    def awarded(self) -> Decimal:
        """What the approved awards of the round's projects add up to."""
        return sum((charges[0].commitment.amount for charges in self.approved.values()),
                   Decimal(0))


def awards_of(ledger: Ledger, pb_round: Round) -> Awards:
    """Each charge to the round's fund and year (its unfenced part), by the project it names
    (in order of decision, so the first award of a project is the one that stands)."""
    projects = {project.id for project in pb_round.projects}
    found = Awards()
    charges = sorted((entry for entry in ledger.charges
                      if entry.commitment.fund == pb_round.fund
                      and entry.commitment.year == pb_round.year
                      and entry.commitment.ring_fence is None),
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
