"""The voting rules of a participatory-budgeting round: worked examples, the order of
preference, independence from the order of the data, and agreement with pabutools (the
research field's implementation) on generated elections."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcc_ledger.tally import Candidate, Tally, tally

D = Decimal


def _c(id_: str, amount: int | str, votes: int, area: str = "Conwy") -> Candidate:
    return Candidate(id_, area, D(str(amount)), votes)


def _rows(result: Tally) -> list[tuple[str, bool, int | None, str]]:
    return [(o.candidate.id, o.funded, o.order, o.reason) for o in result.outcomes]


def test_greedy_funds_in_order_of_votes_while_each_fits() -> None:
    result = tally([_c("A", 5000, 50), _c("B", 4000, 40), _c("C", 2000, 40), _c("D", 1000, 0),
                    _c("E", 900, 10)], "greedy", D(10000))
    assert _rows(result) == [
        ("A", True, 1, ""),
        ("C", True, 2, ""),  # tied with B on votes: the cheaper first
        ("B", False, None, "did not fit: £3,000.00 left"),
        ("E", True, 3, ""),  # smaller, so it still fits
        ("D", False, None, "no votes"),
    ]
    assert (result.funded, result.left) == (D("7900"), D("2100"))


def test_ties_of_votes_and_amount_go_to_the_id_in_alphabetical_order() -> None:
    result = tally([_c("P2", 600, 5), _c("P10", 600, 5), _c("P1", 600, 5)], "greedy", D(1200))
    assert [(o.candidate.id, o.funded) for o in result.outcomes] == [
        ("P1", True), ("P10", True), ("P2", False)]


def test_the_fund_limits_bind_the_result() -> None:
    result = tally([_c("A", 100, 9), _c("B", 2500, 8), _c("C", 100, 7), _c("D", 100, 6)],
                   "greedy", D(10000), max_awards=2,
                   barred={"B": "above the £2,000.00 maximum award"})
    assert _rows(result) == [
        ("A", True, 1, ""),
        ("B", False, None, "above the £2,000.00 maximum award"),
        ("C", True, 2, ""),
        ("D", False, None, "the 2 awards allowed were made"),
    ]


def test_top_per_area_takes_the_best_of_each_area_then_goes_by_votes() -> None:
    result = tally([_c("C1", 5000, 30, "Conwy"), _c("C2", 1000, 20, "Conwy"),
                    _c("G1", 3000, 25, "Gwynedd"), _c("W1", 4000, 10, "Wrexham")],
                   "top-per-area", D(10000), per_area=1)
    assert _rows(result) == [
        ("C1", True, 1, ""),
        ("G1", True, 2, ""),
        ("C2", False, None, "not the most voted in Conwy"),
        ("W1", False, None, "did not fit: £2,000.00 left"),
    ]
    two = tally([_c("C1", 5000, 30, "Conwy"), _c("C2", 1000, 20, "Conwy"),
                 _c("C3", 10, 1, "Conwy")], "top-per-area", D(10000), per_area=2)
    assert _rows(two)[2] == ("C3", False, None, "not the top 2 of Conwy")


BALLOTS = Counter({frozenset({"E1", "E3"}): 6, frozenset({"E2", "E3"}): 1,
                   frozenset({"E2"}): 3})


def test_equal_shares_gives_each_group_of_voters_its_share() -> None:
    # Ten voters, £1,000 each. E3's seven supporters pay £571.43 each for it (the least per
    # pound); E2's four then pay for it (voter 7 with what is left); E1's six have £2,571.43
    # between them, too little. Greedy would fund E3 and E1, nothing for voters 8 to 10.
    candidates = [_c("E1", 6000, 6), _c("E2", 3000, 4), _c("E3", 4000, 7)]
    result = tally(candidates, "equal-shares", D(10000), ballots=BALLOTS)
    shares = "equal shares: its supporters' shares paid for it"
    assert _rows(result) == [
        ("E3", True, 1, shares),
        ("E1", False, None, "its supporters' shares could not pay for it, and then it did not "
                            "fit: £3,000.00 left"),
        ("E2", True, 2, shares),
    ]
    greedy = tally(candidates, "greedy", D(10000))
    assert [o.candidate.id for o in greedy.winners] == ["E3", "E1"]


def test_equal_shares_spends_what_it_leaves_by_votes() -> None:
    # Four voters, £500 each. X costs £1,200, more than its two supporters' £1,000, so equal
    # shares buys only Y; the completion then funds X with what is left.
    ballots = Counter({frozenset({"X"}): 2, frozenset({"Y"}): 2})
    result = tally([_c("X", 1200, 2), _c("Y", 400, 2)], "equal-shares", D(2000),
                   ballots=ballots)
    assert _rows(result) == [
        ("Y", True, 1, "equal shares: its supporters' shares paid for it"),
        ("X", True, 2, "by votes, with what equal shares left"),
    ]


def test_equal_shares_with_no_supporters_or_ballots() -> None:
    result = tally([_c("A", 100, 0)], "equal-shares", D(1000), ballots=Counter())
    assert _rows(result) == [("A", False, None, "no votes")]


def test_money_stays_exact_in_pence() -> None:
    result = tally([_c("A", "333.33", 3), _c("B", "333.34", 2), _c("C", "333.33", 1)],
                   "equal-shares", D("1000.00"),
                   ballots=Counter({frozenset({"A"}): 1, frozenset({"B"}): 1,
                                    frozenset({"C"}): 1}))
    assert result.funded == D("1000.00") and result.left == D("0.00")
    assert all(o.funded for o in result.outcomes)


@st.composite
def _elections(draw: Any) -> tuple[list[Candidate], Counter[frozenset[str]], Decimal]:
    count = draw(st.integers(1, 9))
    ids = [f"P{i}" for i in range(count)]
    amounts = draw(st.lists(st.integers(1, 40).map(lambda n: D(n * 100)) | st.decimals(
        min_value=D("0.01"), max_value=D("4000"), places=2), min_size=count, max_size=count))
    ballots: Counter[frozenset[str]] = Counter()
    for chosen in draw(st.lists(st.sets(st.sampled_from(ids), max_size=4), min_size=1,
                                max_size=30)):
        ballots[frozenset(chosen)] += 1
    votes = Counter(project for ballot, n in ballots.items() for project in ballot
                    for _ in range(n))
    budget = D(draw(st.integers(1, 100)) * 100)
    areas = draw(st.lists(st.sampled_from(["Conwy", "Gwynedd", "Wrexham"]), min_size=count,
                          max_size=count))
    return ([Candidate(i, area, amount, votes[i])
             for i, area, amount in zip(ids, areas, amounts)], ballots, budget)


@settings(max_examples=150, deadline=None)
@given(_elections(), st.randoms(use_true_random=False), st.sampled_from(
    ["greedy", "top-per-area", "equal-shares"]), st.integers(1, 3),
       st.none() | st.integers(1, 5))
def test_the_result_does_not_depend_on_the_order_of_the_data(
    election: tuple[list[Candidate], Counter[frozenset[str]], Decimal], shuffle: random.Random,
    method: str, per_area: int, max_awards: int | None,
) -> None:
    candidates, ballots, budget = election
    shuffled = list(candidates)
    shuffle.shuffle(shuffled)
    reordered = Counter(dict(sorted(ballots.items(), key=lambda _: shuffle.random())))
    first = tally(candidates, method, budget, ballots=ballots, per_area=per_area,
                  max_awards=max_awards)
    again = tally(shuffled, method, budget, ballots=reordered, per_area=per_area,
                  max_awards=max_awards)
    assert _rows(first) == _rows(again)
    assert first.funded <= budget and (max_awards is None or len(first.winners) <= max_awards)


pabutools = pytest.importorskip("pabutools")


def _pabutools_winners(candidates: list[Candidate], ballots: Counter[frozenset[str]],
                       budget: Decimal, method: str) -> list[str]:
    """pabutools' result, with the same order of preference to break ties. Projects nobody
    voted for are left out: pabutools' greedy funds them last, pcc-ledger never does."""
    from fractions import Fraction

    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance, Project
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
    from pabutools.tiebreaking import TieBreakingRule

    supported = [c for c in candidates if c.votes > 0]
    projects = {c.id: Project(c.id, Fraction(c.amount)) for c in supported}
    instance = Instance(budget_limit=Fraction(budget))
    instance.update(projects.values())
    profile = ApprovalProfile(instance=instance)
    for ballot, voters in ballots.items():
        for _ in range(voters):
            profile.append(ApprovalBallot([projects[p] for p in ballot if p in projects]))
    rank = {c.id: (-c.votes, c.amount, c.id) for c in candidates}
    ties = TieBreakingRule(lambda _instance, _profile, project: rank[project.name])
    if method == "greedy":
        chosen = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat,
                                            tie_breaking=ties)
        return sorted(p.name for p in chosen)
    shares = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, tie_breaking=ties)
    completed = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat,
                                           tie_breaking=ties,
                                           initial_budget_allocation=shares)
    return [p.name for p in shares] + sorted(p.name for p in completed if p not in shares)


@settings(max_examples=200, deadline=None)
@given(_elections(), st.sampled_from(["greedy", "equal-shares"]))
def test_greedy_and_equal_shares_agree_with_pabutools(
    election: tuple[list[Candidate], Counter[frozenset[str]], Decimal], method: str
) -> None:
    candidates, ballots, budget = election
    ours = tally(candidates, method, budget, ballots=ballots)
    winners = [o.candidate.id for o in ours.winners]
    if method == "greedy":
        assert sorted(winners) == _pabutools_winners(candidates, ballots, budget, method)
    else:
        bought = [o.candidate.id for o in ours.winners if o.reason.startswith("equal shares")]
        completed = sorted(o.candidate.id for o in ours.winners if o.candidate.id not in bought)
        # The projects equal shares buys, in the order it buys them; then the completion.
        assert bought + completed == _pabutools_winners(candidates, ballots, budget, method)


def test_the_award_limit_is_said_as_the_reason_under_equal_shares_too() -> None:
    result = tally([_c("E1", 6000, 6), _c("E2", 3000, 4), _c("E3", 4000, 7)], "equal-shares",
                   D(10000), ballots=BALLOTS, max_awards=1)
    assert [(o.candidate.id, o.reason) for o in result.outcomes if not o.funded] == [
        ("E1", "the one award allowed was made"), ("E2", "the one award allowed was made")]


def test_areas_are_told_apart_as_a_person_would() -> None:
    result = tally([_c("A", 100, 3, "Conwy"), _c("B", 100, 2, " conwy"),
                    _c("C", 100, 1, "Gwynedd")], "top-per-area", D(1000), per_area=1)
    assert [(o.candidate.id, o.funded) for o in result.outcomes] == [
        ("A", True), ("B", False), ("C", True)]
