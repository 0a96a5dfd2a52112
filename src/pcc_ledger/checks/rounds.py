"""Participatory-budgeting rounds (framework 6.2: "the people of North Wales will decide which
projects receive the funding"): each round must be sound, its ballots must be the round's, and
the ledger must award exactly what the vote decided.

A round decides its fund's year: the approved commitments of that fund and year must be its
winners, each at the winning project's amount, and every winner must have one. A commitment
says which project it funds with `round:` and `project:`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..ledger import Entry, Ledger, RoundEntry
from ..model import Rules
from ..problems import Location, Problem
from ..rounds import awards_of, bars, differences, rounds_by_pot, tally_round
from ..rules import make_problem
from ..scalars import format_money
from ..tally import Tally
from .references import suggest


def check(ledger: Ledger) -> Iterator[Problem]:
    yield from _ids(ledger)
    first_of_pot = rounds_by_pot(ledger)
    for entry in ledger.rounds:
        yield from _round(ledger, entry)
        first = first_of_pot[(entry.round.fund, entry.round.year)]
        if first is not entry:
            yield make_problem(
                "invalid-value", entry.at("year"),
                f"round {entry.round.id} is a second round for fund {entry.round.fund} "
                f"{entry.round.year}, which round {first.round.id} already decides (at "
                f"{first.at('id')}); one round decides a fund's year: merge them",
                year=entry.round.year)
            continue
        result = tally_round(ledger, entry)
        if result is not None:
            yield from _held_to_the_vote(ledger, entry, result)
    yield from _commitments_naming_rounds(ledger)


def _ids(ledger: Ledger) -> Iterator[Problem]:
    """Round ids, and project ids across all rounds, are unique."""
    rounds: dict[str, RoundEntry] = {}
    projects: dict[str, tuple[RoundEntry, int]] = {}
    for entry in sorted(ledger.rounds, key=lambda e: (e.document.file, e.path)):
        pb_round = entry.round
        first = rounds.setdefault(pb_round.id, entry)
        if first is not entry:
            yield make_problem(
                "duplicate-id", entry.at("id"),
                f"duplicate round id `{pb_round.id}`: already used by the round at "
                f"{first.at('id')}; give each round its own id", year=pb_round.year)
        for index, project in enumerate(pb_round.projects):
            seen = projects.setdefault(project.id, (entry, index))
            if seen != (entry, index):
                yield make_problem(
                    "duplicate-id", entry.project_at(index, "id"),
                    f"duplicate project id `{project.id}`: already used at "
                    f"{seen[0].project_at(seen[1], 'id')}; give each project its own id",
                    year=pb_round.year)


def _round(ledger: Ledger, entry: RoundEntry) -> Iterator[Problem]:
    pb_round = entry.round
    year = pb_round.year
    funds = ledger.funds
    if not pb_round.projects:
        yield make_problem(
            "missing-key", entry.at("projects"),
            f"round {pb_round.id} lists no projects; add the projects put to the vote",
            year=year)
    yield from _objectives(ledger, entry)
    yield from _method(entry)
    fund = funds.funds.get(pb_round.fund)
    if fund is None:
        yield make_problem(
            "unknown-fund", entry.at("fund"),
            f"round {pb_round.id}: unknown fund `{pb_round.fund}`; "
            f"{suggest(pb_round.fund, funds.funds)}", year=year)
        return
    allocation = fund.allocations.get(year)
    if allocation is None:
        yield make_problem(
            "unknown-year", entry.at("year"),
            f"round {pb_round.id}: fund {pb_round.fund} has no allocation for {year} in "
            f"funds.yaml (its years: {', '.join(str(y) for y in sorted(fund.allocations))}); "
            "correct the year or add the allocation", year=year)
        return
    if allocation.amount is None:
        yield make_problem(
            "round-unstated-allocation", entry.at("year"),
            f"round {pb_round.id} shares out fund {pb_round.fund} {year}, whose allocation "
            "states no amount, so there is no budget to share; add the amount to funds.yaml",
            year=year)
    if pb_round.date > year.last_day:
        yield make_problem(
            "approved-after-year-end", entry.at("date"),
            f"round {pb_round.id} was declared on {pb_round.date.isoformat()}, after its year "
            f"{year} ended ({year.last_day.isoformat()}), so the awards it makes would be "
            "approved after it too; correct the date or the year", year=year)
    yield from _rules(entry, fund.rules_for(year))
    yield from _ballots_agree(entry)


def _objectives(ledger: Ledger, entry: RoundEntry) -> Iterator[Problem]:
    pb_round = entry.round
    year = pb_round.year
    objectives = ledger.funds.objectives
    if pb_round.objective is not None and pb_round.objective not in objectives:
        yield make_problem(
            "unknown-objective", entry.at("objective"),
            f"round {pb_round.id}: unknown objective `{pb_round.objective}`; "
            f"{suggest(pb_round.objective, objectives)}", year=year)
    for index, project in enumerate(pb_round.projects):
        if project.objective is None and pb_round.objective is None:
            yield make_problem(
                "missing-key", entry.project_at(index),
                f"project {project.id} has no objective, nor has its round; add `objective:` "
                "to the round (or to the project)", year=year)
        elif project.objective is not None and project.objective not in objectives:
            yield make_problem(
                "unknown-objective", entry.project_at(index, "objective"),
                f"project {project.id}: unknown objective `{project.objective}`; "
                f"{suggest(project.objective, objectives)}", year=year)


def _rules(entry: RoundEntry, rules: Rules) -> Iterator[Problem]:
    """A project the fund's rules do not let it fund (rounds.bars): said on the project, as it
    would be on its award, before anyone is awarded it (the count passes it over)."""
    pb_round = entry.round
    year, fund = pb_round.year, pb_round.fund
    for index, project in enumerate(pb_round.projects):
        for rule, _ in bars(project, rules):
            where: tuple[str, ...]
            if rule == "award-above-maximum":
                where, said = ("amount",), (
                    f"project {project.id} of {format_money(project.amount)} exceeds the "
                    f"{format_money(rules.max_award or project.amount)} maximum award of fund "
                    f"{fund}")
            elif rule == "recipient-type-not-allowed":
                where, said = ("recipient", "type"), (
                    f"project {project.id} is for a {project.recipient.type}, but fund {fund} "
                    f"awards only to: {', '.join(rules.recipient_types or [])}")
            else:
                where, said = ("category",), (
                    f"project {project.id} is for {project.category}, a service fund {fund} "
                    "does not commission (see its excluded_categories)")
            yield make_problem(
                rule, entry.project_at(index, *where),
                f"{said}, so it cannot be funded whatever its votes; withdraw it from the "
                "round, or correct it", year=year)


def _method(entry: RoundEntry) -> Iterator[Problem]:
    pb_round = entry.round
    year = pb_round.year
    if pb_round.method == "top-per-area" and pb_round.per_area is None:
        yield make_problem(
            "missing-key", entry.at("method"),
            f"round {pb_round.id} funds the top projects per area but does not say how many: "
            "add `per_area:` (such as 2)", year=year)
    if pb_round.method != "top-per-area" and pb_round.per_area is not None:
        yield make_problem(
            "invalid-value", entry.at("per_area", key=True),
            f"`per_area` is for method top-per-area, but round {pb_round.id} is "
            f"{pb_round.method}; remove it, or change the method", year=year)
    if pb_round.method == "equal-shares" and pb_round.ballots is None:
        yield make_problem(
            "missing-key", entry.at("method"),
            f"round {pb_round.id} uses equal shares, which needs the voters' ballots: add "
            "`ballots:` naming its .pb file (beside this file)", year=year)


def _ballots_agree(entry: RoundEntry) -> Iterator[Problem]:
    """The ballots are of this round: the same projects, at the same costs, with the votes the
    round counts. (Until they are, the round is not counted.)"""
    ballots = entry.ballots
    if ballots is None:
        return
    pb_round = entry.round
    year = pb_round.year
    for difference in differences(entry):
        project = difference.project
        if difference.kind == "only-in-ballots":
            yield make_problem(
                "ballots-disagree", Location(ballots.file, difference.line, 1),
                f"project `{project}` of the ballots is not a project of round "
                f"{pb_round.id}; the ballots and the round list the same projects",
                year=year)
            continue
        assert difference.index is not None
        written = pb_round.projects[difference.index]
        if difference.kind == "only-in-round":
            yield make_problem(
                "ballots-disagree", entry.project_at(difference.index, "id"),
                f"project {project} is not in the ballots {ballots.file}; the ballots and "
                "the round list the same projects", year=year)
        elif difference.kind == "cost":
            yield make_problem(
                "ballots-disagree", entry.project_at(difference.index, "amount"),
                f"project {project} is {format_money(written.amount)} here but costs "
                f"{ballots.projects[project].cost_text} in the ballots ({ballots.file}:"
                f"{difference.line}); correct one of them", year=year)
        else:
            chose = "voter chose" if difference.counted == 1 else "voters chose"
            yield make_problem(
                "ballots-disagree", entry.project_at(difference.index, "votes"),
                f"project {project} has {written.votes.total:,} votes here but "
                f"{difference.counted:,} {chose} it in the ballots {ballots.file}; correct the "
                "count", year=year)


def _held_to_the_vote(ledger: Ledger, entry: RoundEntry, result: Tally) -> Iterator[Problem]:
    pb_round = entry.round
    year = pb_round.year
    awards = awards_of(ledger, pb_round)
    outcome = {o.candidate.id: o for o in result.outcomes}
    project_index = {project.id: index for index, project in enumerate(pb_round.projects)}
    amount_of = {project.id: project.amount for project in pb_round.projects}
    for charge in awards.unnamed:
        commitment = charge.source
        yield make_problem(
            "round-award-not-winner", charge.at("id"),
            f"commitment {commitment.id} is an award of fund {pb_round.fund} {year}, which "
            f"round {pb_round.id} decides, but it names no project of the round; name the "
            f"winner it funds (`round: {pb_round.id}` and `project:`), or fund it from another "
            "fund or year", year=year)
    for project_id, charges in awards.approved.items():
        first, *again = charges
        won = outcome[project_id]
        if not won.funded:
            yield make_problem(
                "round-award-not-winner", first.at("project"),
                f"commitment {first.source.id} funds project {project_id}, which did not win "
                f"round {pb_round.id} ({won.reason}); cancel it, or correct the project it "
                "names", year=year)
        else:
            if first.commitment.amount != amount_of[project_id]:
                yield make_problem(
                    "round-amount-differs", first.at("amount"),
                    f"commitment {first.source.id} of {format_money(first.commitment.amount)} "
                    f"funds project {project_id}, which won "
                    f"{format_money(amount_of[project_id])} in round {pb_round.id}; award the "
                    "amount the public voted for", year=year)
            approved = first.commitment.approved
            if approved is not None and approved < pb_round.date:
                yield make_problem(
                    "round-award-before-result", first.at("approved"),
                    f"commitment {first.source.id} awards project {project_id} on "
                    f"{approved.isoformat()}, before round {pb_round.id} declared its result on "
                    f"{pb_round.date.isoformat()}; the public's choice comes first: correct "
                    "the date (the round's date is the awards' approval date)", year=year)
        for charge in again:
            yield make_problem(
                "round-award-not-winner", charge.at("project"),
                f"commitment {charge.source.id} funds project {project_id} of round "
                f"{pb_round.id} again (it is already awarded by {first.source.id}); cancel "
                "one of them", year=year)
    for won in result.winners:
        project_id = won.candidate.id
        if project_id in awards.approved:
            continue
        proposed = awards.proposed.get(project_id)
        how = (f"its commitment {proposed[0].source.id} is still proposed: approve it"
               if proposed else
               f"record it (`pcc-ledger round {pb_round.id} --write` writes the commitments "
               "of every winner not yet recorded)")
        yield make_problem(
            "round-winner-not-awarded", entry.project_at(project_index[project_id], "id"),
            f"project {project_id} won round {pb_round.id} "
            f"({format_money(won.candidate.amount)}), but no approved commitment funds it; "
            + how, year=year)


def _commitments_naming_rounds(ledger: Ledger) -> Iterator[Problem]:
    rounds: dict[str, RoundEntry] = {}
    for written in sorted(ledger.rounds, key=lambda e: (e.document.file, e.path)):
        rounds.setdefault(written.round.id, written)  # a second round of the id is an error
    for entry in ledger.entries:
        commitment = entry.commitment
        if commitment.round is None and commitment.project is None:
            continue
        yield from _names_a_round(entry, rounds, ledger.unread_rounds)


def _names_a_round(entry: Entry, rounds: dict[str, RoundEntry], unread: frozenset[str]
                   ) -> Iterator[Problem]:
    commitment = entry.commitment
    year = commitment.year
    if commitment.round is None:
        yield make_problem(
            "missing-key", entry.at("project", key=True),
            f"commitment {commitment.id} names project {commitment.project} but not its round; "
            "add `round:`", year=year)
        return
    if commitment.round in unread:
        return  # the round itself could not be read: that is reported there
    if entry.source.years:
        yield make_problem(
            "invalid-value", entry.at("years", key=True),
            f"commitment {commitment.id} names round {commitment.round} but is charged to "
            "several years; a round's award is for the round's year alone: give `year:` and "
            "`amount:`", year=year)
        return
    if commitment.ring_fence is not None:
        yield make_problem(
            "invalid-value", entry.at("ring_fence", key=True),
            f"commitment {commitment.id} names round {commitment.round} but draws on "
            f"ring-fence {commitment.ring_fence}; a round shares out the part of the year "
            "outside its ring-fences: remove `ring_fence`", year=year)
        return
    found = rounds.get(commitment.round)
    if found is None:
        known = ", ".join(sorted(rounds)) or "none in the data"
        yield make_problem(
            "unknown-round", entry.at("round"),
            f"commitment {commitment.id} names round `{commitment.round}`, which is not in the "
            f"data; rounds: {known}", year=year)
        return
    pb_round = found.round
    if (commitment.fund, commitment.year) != (pb_round.fund, pb_round.year):
        yield make_problem(
            "unknown-round", entry.at("round"),
            f"commitment {commitment.id} is for fund {commitment.fund} {commitment.year}, but "
            f"round {pb_round.id} decides fund {pb_round.fund} {pb_round.year}; correct the "
            "round, or the fund and year", year=year)
        return
    if commitment.project is None:
        yield make_problem(
            "missing-key", entry.at("round", key=True),
            f"commitment {commitment.id} names round {pb_round.id} but not the project it "
            "funds; add `project:`", year=year)
        return
    ids = [project.id for project in pb_round.projects]
    if commitment.project not in ids:
        yield make_problem(
            "unknown-round", entry.at("project"),
            f"commitment {commitment.id} names project `{commitment.project}`, which is not a "
            f"project of round {pb_round.id}; its projects: {', '.join(ids)}", year=year)
