"""Participatory-budgeting rounds: one round's result, project by project, and the list of
rounds. Only vote counts are shown, never a ballot."""

from __future__ import annotations

from decimal import Decimal

from ..ledger import Ledger, RoundEntry
from ..rounds import awards_of, fenced_awards, round_pot, tally_round
from ..scalars import FinancialYear, format_money
from ..tally import TIE_BREAK, Tally
from .table import Cell, Column, Report

METHODS = {
    "greedy": "greedy: projects in order of votes, each funded if it fits in what is left",
    "top-per-area": "top per area: {most} of each area, funded in order of votes while the "
                    "budget lasts",
    "equal-shares": "equal shares: the budget split equally between the {voters} voters, each "
                    "project bought by its supporters' shares; what that leaves spent in order "
                    "of votes",
}

# On a narrow terminal the id goes before the title: the title is what a reader knows a
# project by (piped output and every other format keep both).
ROUND_COLUMNS = [
    Column("Order", "count", short="#", drop=3),
    Column("Project", drop=2),
    Column("Title"),
    Column("Area"),
    Column("Votes", "count"),
    Column("Amount", "money"),
    Column("Funded"),
    Column("Reason"),
]


def method_text(entry: RoundEntry) -> str:
    pb_round = entry.round
    voters = entry.ballots.voters if entry.ballots is not None else 0
    most = ("the most-voted project" if pb_round.per_area == 1
            else f"the {pb_round.per_area} most-voted projects")
    return METHODS[pb_round.method].format(most=most, voters=f"{voters:,}")


def round_report(ledger: Ledger, entry: RoundEntry, result: Tally) -> Report:
    pb_round = entry.round
    rows: list[list[Cell]] = []
    for outcome in result.outcomes:
        candidate = outcome.candidate
        project = next(p for p in pb_round.projects if p.id == candidate.id)
        rows.append([outcome.order, candidate.id, project.title, candidate.area,
                     candidate.votes, candidate.amount, "yes" if outcome.funded else "no",
                     outcome.reason])
    winners = len(result.winners)
    votes = sum(o.candidate.votes for o in result.outcomes)
    asked = sum((o.candidate.amount for o in result.outcomes), Decimal(0))
    totals: list[list[Cell]] = [
        [None, "", f"All {len(rows)} projects", "", votes, asked, "", ""],
        [None, "", f"Funded ({winners})", "", None, result.funded, "", ""],
        [None, "", "Left of the budget", "", None, result.left, "", ""],
    ]
    fund = ledger.funds.funds[pb_round.fund]
    notes = [
        f"Budget: {format_money(result.budget)}, {_budget_source(ledger, entry)}.",
        f"Method: {method_text(entry)}.",
        f"Ties: {TIE_BREAK}.",
    ]
    limit = fund.rules_for(pb_round.year).max_awards
    if limit is not None:
        fenced = len(fenced_awards(ledger, pb_round))
        notes.append(f"At most {limit} awards (the fund's max_awards)" + (
            f", less the {fenced} made from the year's ring-fences." if fenced else "."))
    named = f"{pb_round.title} ({pb_round.fund} {pb_round.year}" if pb_round.title else \
        f"{fund.name} {pb_round.year} ("
    title = (f"Round {pb_round.id}: {named}{', ' if pb_round.title else ''}declared "
             f"{pb_round.date.isoformat()})")
    return Report(title, ROUND_COLUMNS, rows, totals, notes, name="round")


def _budget_source(ledger: Ledger, entry: RoundEntry) -> str:
    pb_round = entry.round
    pot = round_pot(ledger, pb_round)
    assert pot is not None  # the round was counted
    what = (f"the revised {pb_round.year} allocation of {pb_round.fund} on "
            f"{pb_round.date.isoformat()}")
    if pot.part is not None:
        what += ", outside its ring-fences"
    parts = []
    if pot.original is not None:
        parts.append(f"{format_money(pot.original)} allocated")
    if pot.transfers_in:
        parts.append(f"{format_money(pot.transfers_in)} transferred in")
    if pot.transfers_out:
        parts.append(f"{format_money(pot.transfers_out)} transferred out")
    return what + (f" ({', '.join(parts)})" if len(parts) > 1 else "")


ROUNDS_COLUMNS = [
    Column("Round"),
    Column("Fund", drop=3),
    Column("Year"),
    Column("Declared", "date", drop=2),
    Column("Method", drop=1),
    Column("Projects", "count"),
    Column("Votes", "count", drop=4),
    Column("Funded", "count"),
    Column("Budget", "money"),
    Column("Won", "money", drop=5),
    Column("Awarded", "money"),
]


def rounds_report(ledger: Ledger, year: FinancialYear | None = None) -> Report:
    """The rounds (of one year, with `year`): what each put to the vote, what won and what the
    ledger awarded."""
    rows: list[list[Cell]] = []
    chosen = [entry for entry in ledger.rounds if year is None or entry.round.year == year]
    later = []  # rounds declared after the ledger's day: no result yet
    for entry in sorted(chosen, key=lambda e: (e.round.year, e.round.fund, e.round.id)):
        pb_round = entry.round
        if ledger.as_of is not None and pb_round.date > ledger.as_of:
            later.append(pb_round.id)
            rows.append([pb_round.id, pb_round.fund, str(pb_round.year), pb_round.date,
                         pb_round.method, len(pb_round.projects),
                         sum(p.votes.total for p in pb_round.projects), None, None, None,
                         awards_of(ledger, pb_round).awarded])
            continue
        result = tally_round(ledger, entry)
        pot = round_pot(ledger, pb_round)
        budget = pot.limit if pot is not None else None
        rows.append([pb_round.id, pb_round.fund, str(pb_round.year), pb_round.date,
                     pb_round.method, len(pb_round.projects),
                     sum(p.votes.total for p in pb_round.projects),
                     len(result.winners) if result else None, budget,
                     result.funded if result else None,
                     awards_of(ledger, pb_round).awarded])
    notes = ["Won: what the winning projects cost; awarded: the approved commitments that "
             "fund them (`check` holds the two to each other)."] if rows else [
        "No rounds: a file below allocations/ holds them under `rounds:`."]
    if later:
        assert ledger.as_of is not None
        notes.append(f"Not yet declared on {ledger.as_of.isoformat()}: {', '.join(later)}.")
    title = "Participatory-budgeting rounds" + (f" {year}" if year is not None else "")
    return Report(title, ROUNDS_COLUMNS, rows, notes=notes, name="rounds")
