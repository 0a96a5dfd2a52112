"""Dates of decisions: an approved commitment must say when it was approved."""

from __future__ import annotations

from collections.abc import Iterator

from ..ledger import Entry
from ..problems import Problem
from ..rules import make_problem


def check(entries: list[Entry]) -> Iterator[Problem]:
    for entry in entries:
        commitment = entry.commitment
        if commitment.status == "approved" and commitment.approved is None:
            yield make_problem(
                "approved-without-date",
                entry.at("status"),
                f"{commitment.id} is approved but has no decision date; add "
                "`approved: YYYY-MM-DD` (the date of the decision)",
            )
