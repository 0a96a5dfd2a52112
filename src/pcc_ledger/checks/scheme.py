"""Grant-scheme rules, per fund and overridable per year: `max_award`, `max_awards`,
`recipient_types` and `excluded_categories` (framework sections 6 and 7.2), and
`grant_details_required`.

They apply to every commitment that is not cancelled: a proposal that breaks a rule is worth
knowing about before it is approved. `max_awards` counts approved commitments only, and so does
`grant_details_required`: the Elected Local Policing Bodies (Specified Information) Order 2011
has each crime and disorder reduction grant published with its purpose, the reasons it will help
reduce crime and disorder, and its conditions, once it is made.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..ledger import Entry, Ledger, Position
from ..model import Commitment, Rules
from ..problems import Problem
from ..rules import make_problem
from ..scalars import FinancialYear, format_money


def check(ledger: Ledger) -> Iterator[Problem]:
    # A fund's rules for a year, worked out once (a year's overrides make a copy of the model).
    rules: dict[tuple[str, FinancialYear], Rules | None] = {}
    for entry in ledger.entries:
        commitment = entry.commitment
        key = (commitment.fund, commitment.year)
        if key not in rules:
            rules[key] = _rules_for(ledger, *key)
        found = rules[key]
        if found is not None and commitment.status != "cancelled":
            yield from _one_commitment(found, entry)
    for position in ledger.positions.values():
        yield from _number_of_awards(position)


def _rules_for(ledger: Ledger, fund_id: str, year: FinancialYear) -> Rules | None:
    """The rules of a fund's year that a commitment can break; None when there are none, or for
    a fund or year funds.yaml does not have (reported by the reference checks)."""
    fund = ledger.funds.funds.get(fund_id)
    if fund is None or year not in fund.allocations:
        return None
    rules = fund.rules_for(year)
    binding = (rules.max_award is not None or rules.recipient_types is not None
               or rules.excluded_categories or rules.grant_details_required)
    return rules if binding else None


def _one_commitment(rules: Rules, entry: Entry) -> Iterator[Problem]:
    commitment = entry.commitment
    if rules.max_award is not None and commitment.amount > rules.max_award:
        yield make_problem(
            "award-above-maximum",
            entry.at("amount"),
            f"commitment {commitment.id} of {format_money(commitment.amount)} exceeds the "
            f"{format_money(rules.max_award)} maximum award of fund {commitment.fund}; reduce "
            "it, or split the work between funds",
            year=commitment.year,
        )
    kind = commitment.recipient.type
    if rules.recipient_types is not None and kind not in rules.recipient_types:
        yield make_problem(
            "recipient-type-not-allowed",
            entry.at("recipient", "type"),
            f"commitment {commitment.id} is to a {kind}, but fund {commitment.fund} awards only "
            f"to: {', '.join(rules.recipient_types)}; choose a recipient of one of those types, "
            "or fund it from another fund",
            year=commitment.year,
        )
    category = commitment.category
    if category is not None and category in (rules.excluded_categories or []):
        yield make_problem(
            "excluded-category",
            entry.at("category"),
            f"commitment {commitment.id} is for {category}, a service fund {commitment.fund} "
            "does not commission (see its excluded_categories); fund it from elsewhere",
            year=commitment.year,
        )
    if rules.grant_details_required and commitment.status == "approved":
        yield from _grant_details(entry)


GRANT_DETAILS = ("purpose", "reasons", "conditions")


def missing_grant_details(commitment: Commitment) -> list[str]:
    """The keys of GRANT_DETAILS a commitment lacks (an empty `conditions: []` too)."""
    return [key for key in GRANT_DETAILS if not getattr(commitment, key)]


def _grant_details(entry: Entry) -> Iterator[Problem]:
    commitment = entry.commitment
    missing = missing_grant_details(commitment)
    if not missing:
        return
    keys = [f"`{key}`" for key in missing]
    named = keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} or {keys[-1]}"
    yield make_problem(
        "grant-details-missing",
        entry.at("status"),
        f"approved commitment {commitment.id} has no {named}, which fund {commitment.fund} "
        "requires (grant_details_required): the Specified Information Order 2011 has each crime "
        "and disorder reduction grant published with its purpose, the reasons it will reduce "
        f"crime and disorder, and its conditions; add {'it' if len(keys) == 1 else 'them'}",
        year=commitment.year,
    )


def _number_of_awards(position: Position) -> Iterator[Problem]:
    limit = position.fund.rules_for(position.year).max_awards
    awards = position.whole.approved  # in order of decision
    if limit is None or len(awards) <= limit:
        return
    crossing = awards[limit]
    yield make_problem(
        "too-many-awards",
        crossing.at("status"),
        f"fund {position.fund_id} {position.year} has {len(awards)} approved awards, more than "
        f"its maximum of {limit}; {crossing.commitment.id} is award number {limit + 1} in "
        "order of decision: cancel one, or fund it from another year or fund",
        year=position.year,
    )
