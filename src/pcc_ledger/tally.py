"""Who wins a participatory-budgeting round: the voting rules, on plain values.

Three methods (PRODUCT.md, "Participatory budgeting rounds"):

- `greedy`: projects in order of votes, each funded if it still fits in what is left of the
  budget, skipped otherwise (what most cities do);
- `top-per-area`: the `per_area` most-voted projects of each area are the candidates, then
  greedy among them, so that every area has its share before any has more;
- `equal-shares`: the Method of Equal Shares (Peters, Pierczyński and Skowron): the budget is
  split equally between the voters, and a project is bought by its supporters' shares, each
  paying as equal a part as their shares allow; the project that costs its supporters least
  per pound of the project goes first. What that leaves is spent greedily, by votes (the
  usual completion). A group of voters gets projects in proportion to its size.

The order of preference, which also breaks every tie, is the same for all three: more votes
first; between equal votes, the cheaper project (it leaves more for the others); between
equal votes and amounts, the project id in alphabetical (code point) order. So the result
never depends on the order of the files or of the projects in them.

A project with no votes is never funded, nor one the fund's rules bar (`barred`: above its
`max_award`, say); once the fund's `max_awards` are made, nothing more is. Areas are told
apart as a person would: `Conwy` and `conwy ` are one area. Money is exact throughout: amounts are
`Decimal`, and the shares of the Method of Equal Shares are fractions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .scalars import format_money

TIE_BREAK = ("more votes first; between equal votes, the cheaper project; between equal votes "
             "and amounts, the project id in alphabetical order")


@dataclass(frozen=True)
class Candidate:
    id: str
    area: str
    amount: Decimal
    votes: int


@dataclass(frozen=True)
class Outcome:
    candidate: Candidate
    funded: bool
    order: int | None  # 1 for the first project funded, and so on; None if not funded
    reason: str  # why not funded; for equal shares, how it was funded


@dataclass
class Tally:
    method: str
    budget: Decimal
    outcomes: list[Outcome] = field(default_factory=list)  # in order of preference

    @property
    def winners(self) -> list[Outcome]:
        return sorted((o for o in self.outcomes if o.funded), key=lambda o: o.order or 0)

    @property
    def funded(self) -> Decimal:
        return sum((o.candidate.amount for o in self.outcomes if o.funded), Decimal(0))

    @property
    def left(self) -> Decimal:
        return self.budget - self.funded


def preference(candidate: Candidate) -> tuple[int, Decimal, str]:
    return (-candidate.votes, candidate.amount, candidate.id)


def tally(
    candidates: Sequence[Candidate],
    method: str,
    budget: Decimal,
    *,
    max_awards: int | None = None,
    barred: Mapping[str, str] | None = None,
    per_area: int | None = None,
    ballots: Counter[frozenset[str]] | None = None,
) -> Tally:
    """The outcome of a round. `ballots` (each distinct approval ballot and how many voters
    cast it) is needed by `equal-shares` only; `per_area` by `top-per-area` only; `barred`,
    the projects that cannot be funded whatever their votes, with why."""
    ordered = sorted(candidates, key=preference)
    reasons: dict[str, str] = {}
    for candidate in ordered:
        if barred and candidate.id in barred:
            reasons[candidate.id] = barred[candidate.id]
        elif candidate.votes == 0 and method != "equal-shares":
            reasons[candidate.id] = "no votes"
    eligible = [c for c in ordered if c.id not in reasons]
    funded: list[str] = []
    if method == "equal-shares":
        supporters_of = supporters(ballots or Counter())
        for candidate in eligible:
            if not supporters_of.get(candidate.id):
                reasons[candidate.id] = "no votes"
        eligible = [c for c in eligible if c.id not in reasons]
        chosen = _equal_shares(eligible, budget, ballots or Counter(), max_awards)
        funded.extend(chosen)
        for candidate_id in chosen:
            reasons[candidate_id] = "equal shares: its supporters' shares paid for it"
        rest = [c for c in eligible if c.id not in reasons]
        # Completion, by votes as on the ballots (the same as the round's counts, or `check`
        # says they disagree).
        approvals = {c.id: supporters_of.get(c.id, 0) for c in rest}
        rest.sort(key=lambda c: (-approvals[c.id], c.amount, c.id))
        completed = _greedy(rest, budget - _cost(eligible, funded), max_awards, len(funded),
                            reasons)
        for candidate_id in completed:
            reasons[candidate_id] = "by votes, with what equal shares left"
        for candidate in rest:
            if candidate.id not in completed and reasons[candidate.id].startswith("did not"):
                reasons[candidate.id] = ("its supporters' shares could not pay for it, and then "
                                         "it " + reasons[candidate.id])
        funded.extend(completed)
    else:
        if method == "top-per-area":
            eligible = _top_per_area(eligible, per_area or 1, reasons)
        funded.extend(_greedy(eligible, budget, max_awards, 0, reasons))
    order = {candidate_id: number for number, candidate_id in enumerate(funded, start=1)}
    result = Tally(method, budget)
    for candidate in ordered:
        number = order.get(candidate.id)
        reason = reasons.get(candidate.id, "")
        result.outcomes.append(Outcome(candidate, number is not None, number, reason))
    return result


def _cost(candidates: list[Candidate], chosen: list[str]) -> Decimal:
    wanted = set(chosen)
    return sum((c.amount for c in candidates if c.id in wanted), Decimal(0))


def _greedy(ordered: list[Candidate], budget: Decimal, max_awards: int | None, made: int,
            reasons: dict[str, str]) -> list[str]:
    """Each candidate in turn, funded if it fits in what is left; the reasons of the others."""
    left = budget
    funded: list[str] = []
    for candidate in ordered:
        if max_awards is not None and made + len(funded) >= max_awards:
            reasons[candidate.id] = (
                "no award was left to make" if max_awards == 0 else
                "the one award allowed was made" if max_awards == 1 else
                f"the {max_awards} awards allowed were made")
        elif candidate.amount <= left:
            funded.append(candidate.id)
            left -= candidate.amount
        else:
            reasons[candidate.id] = f"did not fit: {format_money(left)} left"
    return funded


def _top_per_area(ordered: list[Candidate], per_area: int, reasons: dict[str, str]
                  ) -> list[Candidate]:
    taken: Counter[str] = Counter()
    kept = []
    most = "the most voted in" if per_area == 1 else f"the top {per_area} of"
    for candidate in ordered:
        area = " ".join(candidate.area.casefold().split())
        if taken[area] < per_area:
            taken[area] += 1
            kept.append(candidate)
        else:
            reasons[candidate.id] = f"not {most} {candidate.area}"
    return kept


def supporters(ballots: Counter[frozenset[str]]) -> Counter[str]:
    """How many voters chose each project (each distinct ballot with how many cast it)."""
    counts: Counter[str] = Counter()
    for ballot, voters in ballots.items():
        for project in ballot:
            counts[project] += voters
    return counts


def _equal_shares(ordered: list[Candidate], budget: Decimal,
                  ballots: Counter[frozenset[str]], max_awards: int | None) -> list[str]:
    """The Method of Equal Shares with cost utilities: the ids funded, in the order bought.

    Each voter starts with an equal share of the budget. A project is affordable while its
    supporters' shares add up to its cost; it is bought at the least `q` such that every
    supporter pays min(their share, q) and the payments add up to the cost. The project with
    the least q per pound of its cost goes first (ties: the order of preference).

    Voters who hold the same share count the same, whoever they are, so each project keeps how
    many of its supporters hold each share (a handful of distinct values, where there may be
    100,000 voters, each value numbered so that it is counted by a cheap key): a purchase
    moves only its own supporters from one share to the next, and only the projects they
    support are priced again."""
    voters = sum(ballots.values())
    if voters == 0 or not ordered:
        return []
    wanted = {c.id for c in ordered}
    values = [Fraction(budget) / voters]  # the distinct shares, numbered; 0 is the start
    numbered = {values[0]: 0}
    rank = [0]  # of each numbered share among them all, smallest first
    groups = [(ballot & wanted, count) for ballot, count in ballots.items()]
    share = [0] * len(groups)  # the number of the share each voter of a group holds
    holding: dict[str, Counter[int]] = {c.id: Counter() for c in ordered}
    backers: dict[str, list[int]] = {c.id: [] for c in ordered}
    for index, (ballot, count) in enumerate(groups):
        for project in ballot:
            holding[project][0] += count
            backers[project].append(index)
    priced: dict[str, tuple[Fraction, Fraction] | None] = {}  # id -> (per pound, cap)
    remaining = list(ordered)  # kept in the order of preference, so ties go to the first
    bought: list[str] = []
    while remaining and (max_awards is None or len(bought) < max_awards):
        best: tuple[Fraction, Candidate, Fraction] | None = None
        still = []
        for candidate in remaining:
            if candidate.id not in priced:
                priced[candidate.id] = _price(Fraction(candidate.amount),
                                              holding[candidate.id], values, rank)
            price = priced[candidate.id]
            if price is None:
                continue  # shares only ever fall: it will never be affordable again
            still.append(candidate)
            if best is None or price[0] < best[0]:
                best = (price[0], candidate, price[1])
        remaining = still
        if best is None:
            break
        _, chosen, cap = best
        after: dict[int, int] = {}
        touched: set[str] = set()
        for index in backers[chosen.id]:
            before = share[index]
            now = after.get(before)
            if now is None:
                left = values[before] - min(values[before], cap)
                now = numbered.get(left)
                if now is None:
                    now = numbered[left] = len(values)
                    values.append(left)
                after[before] = now
            share[index] = now
            ballot, count = groups[index]
            touched |= ballot
            for project in ballot:
                moved = holding[project]
                moved[before] -= count
                if not moved[before]:
                    del moved[before]
                moved[now] += count
        for project in touched:
            priced.pop(project, None)
        order = sorted(range(len(values)), key=values.__getitem__)
        rank = [0] * len(values)
        for position, number in enumerate(order):
            rank[number] = position
        bought.append(chosen.id)
        remaining.remove(chosen)
    return bought


def _price(cost: Fraction, held: Counter[int], values: list[Fraction], rank: list[int]
           ) -> tuple[Fraction, Fraction] | None:
    """(what its supporters pay per pound of it, the most any one pays), or None when their
    shares do not add up to its cost. `held`: share number -> how many supporters hold it."""
    payers = [(values[number], count) for number, count in
              sorted(held.items(), key=lambda item: rank[item[0]]) if values[number]]
    if sum(value * count for value, count in payers) < cost:
        return None
    cap = _cap(cost, payers)
    return (cap / cost if cost else Fraction(0)), cap


def _cap(cost: Fraction, payers: list[tuple[Fraction, int]]) -> Fraction:
    """The least q such that the payers (share, how many hold it; smallest share first), each
    paying min(share, q), pay `cost` between them (they can: the caller has checked)."""
    left, count = cost, sum(voters for _, voters in payers)
    for held, voters in payers:
        if held * count >= left:
            return left / count
        left -= held * voters
        count -= voters
    return left  # unreachable when the payers can afford the cost
