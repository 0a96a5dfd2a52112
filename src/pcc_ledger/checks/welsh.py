"""Welsh beside English: `welsh-text-missing`, for a ledger published in both languages.

Welsh public bodies publish in Welsh and English and must not treat Welsh less favourably, so
any text a fund, objective, reserve or commitment publishes may carry its Welsh in the key of
the same name with `_cy` (model.WELSH_SUFFIX). The rule reports a published English text with
no Welsh twin: the names and descriptions of the funds, their ring-fences and the reserves, the
objectives' titles, and the texts of each approved commitment (the ones published), once per
record, naming every twin it lacks, on the line of the first English text without one.

It is off by default (most ledgers are not published in Welsh): `checks:` in funds.yaml, or
`--enable welsh-text-missing`, switches it on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..ledger import Ledger
from ..model import WELSH_SUFFIX
from ..problems import Location, Problem
from ..rules import make_problem
from ..scalars import FinancialYear

FUND_TEXTS = ("name", "description")
RING_FENCE_TEXTS = ("name",)
RESERVE_TEXTS = ("name", "description")
COMMITMENT_TEXTS = ("title", "description", "purpose", "reasons", "conditions", "area")
WHY = "Welsh public bodies publish in Welsh and English"


def check(ledger: Ledger) -> Iterator[Problem]:
    funds = ledger.funds
    document = ledger.funds_document
    for fund_id, fund in funds.funds.items():
        yield from _record(f"fund {fund_id}", fund, FUND_TEXTS,
                           lambda key, f=fund_id: document.at(("funds", f, key)))
        for year, allocation in fund.allocations.items():
            for fence_id, fence in allocation.ring_fences.items():
                path = ("funds", fund_id, "allocations", str(year), "ring_fences", fence_id)
                yield from _record(
                    f"ring-fence {fence_id} of fund {fund_id} {year}", fence, RING_FENCE_TEXTS,
                    lambda key, p=path: document.at((*p, key)), year=year)
    for objective_id, objective in funds.objective_entries.items():
        if objective.title_cy is None:
            # On its title: the value of `id: title`, or the `title:` of the long form.
            yield _objective(objective_id, document.at(("objectives", objective_id, "title")))
    for reserve_id, reserve in funds.reserves.items():
        yield from _record(f"reserve {reserve_id}", reserve, RESERVE_TEXTS,
                           lambda key, r=reserve_id: document.at(("reserves", r, key)))
    for entry in ledger.entries:
        commitment = entry.source
        if commitment.status != "approved" or entry.charge_index > 0:
            continue  # published once each: an approved commitment's first charge
        yield from _record(f"approved commitment {commitment.id}", commitment,
                           COMMITMENT_TEXTS, lambda key, e=entry: e.at(key),
                           year=commitment.year)


def missing_twins(record: Any, keys: Sequence[str]) -> list[str]:
    """The English keys of `keys` a record gives with no Welsh twin. A list (`conditions`)
    lacks its twin unless the twin has as many entries."""
    missing = []
    for key in keys:
        english = getattr(record, key)
        welsh = getattr(record, key + WELSH_SUFFIX)
        if isinstance(english, list):
            if english and len(welsh) != len(english):
                missing.append(key)
        elif english is not None and welsh is None:
            missing.append(key)
    return missing


def _record(what: str, record: Any, keys: Sequence[str], at: Any,
            year: FinancialYear | None = None) -> Iterator[Problem]:
    missing = missing_twins(record, keys)
    if not missing:
        return
    english = _listed([f"`{key}`" for key in missing])
    twins = _listed([f"`{key}{WELSH_SUFFIX}`" for key in missing])
    one = len(missing) == 1
    list_note = (" (one Welsh condition for each condition, in the same order)"
                 if "conditions" in missing else "")
    yield make_problem(
        "welsh-text-missing",
        at(missing[0]),
        f"{what} has no Welsh for {english}; add {twins} beside {'it' if one else 'them'}"
        f"{list_note} ({WHY})",
        year=year,
    )


def _objective(objective_id: str, where: Location) -> Problem:
    return make_problem(
        "welsh-text-missing", where,
        f"objective {objective_id} has no Welsh title; add `title_cy` beside its title, as "
        f"`{objective_id}: {{title: …, title_cy: …}}` ({WHY})")


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
