"""Payment schedules: the planned payments of a commitment add up to it, and fall within the
years it is charged to."""

from __future__ import annotations

from collections.abc import Iterator

from ..ledger import Entry
from ..problems import Problem
from ..rules import make_problem
from ..scalars import format_money


def check(entries: list[Entry]) -> Iterator[Problem]:
    for entry in entries:
        commitment = entry.commitment
        if not commitment.schedule or commitment.status == "cancelled":
            continue
        if commitment.scheduled != commitment.amount:
            yield make_problem(
                "schedule-total",
                entry.at("schedule", key=True),
                f"the schedule of {commitment.id} plans {format_money(commitment.scheduled)}, "
                f"but the commitment is {format_money(commitment.amount)}; the planned payments "
                "add up to the commitment: correct a planned payment or the amount",
                year=commitment.year,
            )
        first, last = commitment.year.first_day, commitment.last_year.last_day
        for index, planned in enumerate(commitment.schedule):
            if not first <= planned.date <= last:
                span = (str(commitment.year) if commitment.year == commitment.last_year
                        else f"{commitment.year} to {commitment.last_year}")
                yield make_problem(
                    "schedule-outside-years",
                    entry.at("schedule", index, "date"),
                    f"planned payment of {format_money(planned.amount)} on {commitment.id} is "
                    f"dated {planned.date}, outside the years it is charged to ({span}, "
                    f"{first} to {last}); move the date, or charge the commitment to that year",
                    year=commitment.year,
                )
