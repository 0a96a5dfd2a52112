"""`pcc-ledger reviews` and the `reviews` section of `year-end`: the review stage of the
commissioning cycle (framework 4.1). Per plan objective and fund, how many approved commitments
were reviewed, with what result (their latest review), and how many are overdue; then which are
overdue. Findings are internal: no report here shows them, and nothing publishes them."""

from __future__ import annotations

from datetime import date

from .. import policy
from ..ledger import Ledger
from ..model import Commitment
from ..reviewing import standing
from ..scalars import FinancialYear
from .table import Cell, Column, Report

REVIEW_COLUMNS = [
    Column("Objective"),
    Column("Fund", under="Objective"),
    Column("Approved", "count"),
    Column("Reviewed", "count", drop=1),  # met + partly met + not met
    Column("Met", "count"),
    Column("Partly met", "count", short="Partly"),
    Column("Not met", "count"),
    Column("Overdue", "count"),
    Column("Not yet due", "count", drop=2, short="Not due"),
]
OVERDUE_COLUMNS = [
    Column("ID"),
    Column("Fund"),
    Column("Years"),
    Column("Recipient", drop=1),
    Column("Due", "date"),
]
_RESULTS = ("met", "partly-met", "not-met")


def _years(commitment: Commitment) -> str:
    charged = [year for year, _ in commitment.charges]
    return str(charged[0]) if len(charged) == 1 else f"{charged[0]} to {charged[-1]}"


def _approved(ledger: Ledger, day: date, year: FinancialYear | None,
              fund: str | None) -> list[Commitment]:
    """The commitments approved by the day (as written: a commitment over several years is
    one), charged to the year and of the fund asked for."""
    return [
        c for c in (entry.commitment for entry in ledger.entries)
        if c.status == "approved" and c.approved is not None and c.approved <= day
        and (fund is None or c.fund == fund)
        and (year is None or any(charged == year for charged, _ in c.charges))
    ]


def reviews_report(ledger: Ledger, day: date, year: FinancialYear | None = None,
                   fund: str | None = None) -> list[Report]:
    """The reviews as they stood on `day`: the table by objective and fund, and the overdue
    commitments. The time allowed is `review-due-months` in funds.yaml's `checks:`."""
    months = policy.review_due_months(ledger.funds.checks)
    objectives = {objective: n for n, objective in enumerate(ledger.funds.objectives)}
    funds = {fund_id: n for n, fund_id in enumerate(ledger.funds.funds)}
    counts: dict[tuple[str, str], list[int]] = {}
    overdue: list[tuple[Commitment, date]] = []
    for c in _approved(ledger, day, year, fund):
        found = standing(c, day, months)
        row = counts.setdefault((c.objective, c.fund), [0] * 7)
        row[0] += 1
        if found.result is not None:
            row[1] += 1
            row[2 + _RESULTS.index(found.result)] += 1
        elif found.due < day:
            row[5] += 1
            overdue.append((c, found.due))
        else:
            row[6] += 1
    keys = sorted(counts, key=lambda key: (objectives.get(key[0], len(objectives)), key[0],
                                           funds.get(key[1], len(funds)), key[1]))
    # Each objective's row, then its funds' (under it, on a terminal).
    rows: list[list[Cell]] = []
    for objective in dict.fromkeys(objective for objective, _ in keys):
        mine = [key for key in keys if key[0] == objective]
        rows.append([objective, "", *[sum(counts[key][n] for key in mine) for n in range(7)]])
        rows.extend([objective, fund_id, *counts[objective, fund_id]] for _, fund_id in mine)
    totals: list[list[Cell]] = [["Total", "", *[sum(counts[key][n] for key in keys)
                                                for n in range(7)]]]
    scope = "" if year is None else f" {year}"
    charged = "" if year is None else f" charged to {year}"
    notes = [
        f"Approved: commitments{charged} approved by {day} (one over several years counts "
        f"once). Reviewed: with a review dated by then; met, partly met or not met by its "
        f"latest review. Overdue: not reviewed, and due for review before {day}; a review is "
        f"due {months} months after the end of the last year a commitment is charged to "
        "(`review-due-months` in `checks:`).",
    ]
    if not rows:
        notes.insert(0, "No approved commitments.")
    summary = Report(f"Reviews{scope}", REVIEW_COLUMNS, rows, totals, notes, name="reviews")
    overdue.sort(key=lambda item: (item[1], funds.get(item[0].fund, len(funds)), item[0].id))
    listed: list[list[Cell]] = [[c.id, c.fund, _years(c), c.recipient.name, due]
                                for c, due in overdue]
    late = Report(f"Reviews overdue{scope}", OVERDUE_COLUMNS, listed,
                  notes=[] if listed else [f"No review is overdue on {day}."],
                  name="reviews-overdue")
    return [summary, late]
