"""Property tests: whatever the commitments, the totals reconcile to the penny."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pcc_ledger.ledger import UNFENCED, Entry, Ledger, TransferEntry
from pcc_ledger.model import COMMITMENT, COMMITMENT_INPUT, TRANSFER, Commitment, FundsFile
from pcc_ledger.reports import summary_report
from pcc_ledger.yamlsource import Document

FUNDS = FundsFile.model_validate(
    {
        "organisation": {"name": "Test"},
        "objectives": {"o": "Objective"},
        "funds": {
            "f": {
                "name": "F",
                "workstream": "victims",
                "allocations": {
                    "2017/18": {
                        "amount": "1000.00",
                        "basis": "test",
                        "ring_fences": {"r": {"name": "R", "amount": "250.50"}},
                    }
                },
            },
            "g": {"name": "G", "workstream": "victims",
                  "allocations": {"2017/18": {"basis": "no amount"}}},
        },
    }
)
DOCUMENT = Document("x.yaml", Path("x.yaml"), None)

pence = st.integers(min_value=0, max_value=10**9).map(lambda p: f"{Decimal(p) / 100:.2f}")
commitments = st.builds(
    lambda n, fund, fence, amount, status, paid: {
        "id": f"C-{n}",
        "fund": fund,
        "year": "2017/18",
        "ring_fence": fence if fund == "f" else None,
        "recipient": {"name": "R", "type": "charity"},
        "title": "T",
        "objective": "o",
        "amount": amount,
        "status": status,
        "approved": "2017-05-01",
        "payments": [{"date": "2017-06-01", "amount": p} for p in paid],
    },
    st.integers(),
    st.sampled_from(["f", "g"]),
    st.sampled_from([None, "r"]),
    pence,
    st.sampled_from(["proposed", "approved", "cancelled"]),
    st.lists(pence, max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(commitments, max_size=30))
def test_parts_add_up_to_the_whole_and_totals_to_the_rows(items: list[dict[str, object]]) -> None:
    entries = [
        Entry(COMMITMENT.validate_python(item), DOCUMENT, ("commitments", n))
        for n, item in enumerate(items)
    ]
    ledger = Ledger(FUNDS, DOCUMENT, entries, [])
    models = [entry.commitment for entry in entries]
    position = next(iter(ledger.positions.values()))
    whole, fence, unfenced = position.whole, position.parts["r"], position.parts[UNFENCED]
    approved_f = [c for c in models if c.fund == "f" and c.status == "approved"]
    assert whole.committed == sum((c.amount for c in approved_f), Decimal(0))
    assert whole.paid == sum((c.paid for c in approved_f), Decimal(0))
    for column in ("limit", "committed", "planned", "paid", "outstanding", "available"):
        assert getattr(fence, column) + getattr(unfenced, column) == getattr(whole, column)
    report = summary_report(ledger, ledger.select())[0]
    stated, unstated, grand = report.totals
    approved = [c for c in models if c.status == "approved"]
    assert grand[4] == sum((c.amount for c in approved), Decimal(0))
    assert stated[4] + unstated[4] == grand[4]
    # Every subtotal row reconciles across: allocation - committed = available.
    assert stated[3] == Decimal("1000.00")
    assert stated[8] == stated[3] - stated[4] == whole.available
    assert (unstated[3], unstated[8], grand[3], grand[8]) == (None, None, None, None)


# -- a year that moves: transfers, reserves, multi-year commitments, schedules -----------------

MOVING_FUNDS = FundsFile.model_validate(
    {
        "organisation": {"name": "Test"},
        "objectives": {"o": "Objective"},
        # Opened in the middle of the dates drawn, so that some draws come before it.
        "reserves": {"res": {"name": "Reserve", "opening": {"amount": "500.00",
                                                            "date": "2018-01-01"}}},
        "funds": {
            "f": {
                "name": "F",
                "workstream": "victims",
                "allocations": {
                    year: {"amount": "1000.00", "basis": "test",
                           "ring_fences": {"r": {"name": "R", "amount": "250.50"}}}
                    for year in ("2017/18", "2018/19")
                },
            },
            "h": {"name": "H", "workstream": "community-safety",
                  "allocations": {"2017/18": {"amount": "700.00", "basis": "test"},
                                  "2018/19": {"amount": "300.00", "basis": "test"}}},
        },
    }
)
YEARS = ["2017/18", "2018/19"]
days = st.dates(min_value=date(2017, 4, 1), max_value=date(2019, 3, 31)).map(str)
pot_ends = st.builds(
    lambda fund, year, fence: {"fund": fund, "year": year,
                               **({"ring_fence": fence} if fund == "f" and fence else {})},
    st.sampled_from(["f", "h"]), st.sampled_from(YEARS), st.sampled_from([None, "r"]),
)
ends = st.one_of(pot_ends, st.just({"reserve": "res"}))
transfers = st.builds(
    lambda n, day, source, destination, amount: {
        "id": f"T-{n}", "date": day, "from": source, "to": destination, "amount": amount},
    st.integers(), days, ends, ends, pence,
)
multi_year = st.builds(
    lambda n, fund, charges, status, paid, planned: {
        "id": f"M-{n}", "fund": fund, "years": dict(zip(YEARS, charges)),
        "recipient": {"name": "R", "type": "charity"}, "title": "T", "objective": "o",
        "status": status, "approved": "2017-05-01",
        "payments": [{"date": day, "amount": amount} for day, amount in paid],
        "schedule": [{"date": day, "amount": amount} for day, amount in planned],
    },
    st.integers(), st.sampled_from(["f", "h"]), st.lists(pence, min_size=1, max_size=2),
    st.sampled_from(["proposed", "approved"]),
    st.lists(st.tuples(days, pence), max_size=4), st.lists(st.tuples(days, pence), max_size=4),
)


def _moving_ledger(items: list[dict[str, object]], moves: list[dict[str, object]],
                   day: date | None) -> tuple[Ledger, list[Commitment]]:
    from pcc_ledger.loader import _shaped

    models = []
    for index, item in enumerate(items):
        item = {**item, "id": f"M-{index}"}  # ids are unique, as check makes sure
        commitment, problems = _shaped(COMMITMENT_INPUT.validate_python(item), DOCUMENT, ())
        assert commitment is not None and problems == []
        models.append(commitment)
    entries = [Entry(c, DOCUMENT, ("commitments", n)) for n, c in enumerate(models)]
    moved = [TransferEntry(TRANSFER.validate_python(t), DOCUMENT, ("transfers", n))
             for n, t in enumerate(moves)]
    return Ledger(MOVING_FUNDS, DOCUMENT, entries, [], moved).on(day), \
        models


def _expected_moves(moves: list[dict[str, Any]], day: date | None
                    ) -> tuple[dict[tuple[str, str, str | None], Decimal],
                               dict[tuple[str, str, str | None], Decimal], Decimal, Decimal]:
    """An independent account of the transfers: money in and out of each finest pot (fund,
    year, part) and of the reserve, from the transfers as written."""
    moved_in: dict[tuple[str, str, str | None], Decimal] = {}
    moved_out: dict[tuple[str, str, str | None], Decimal] = {}
    reserve_in = reserve_out = Decimal(0)
    for move in moves:
        if day is not None and date.fromisoformat(move["date"]) > day:
            continue
        amount = Decimal(move["amount"])
        for end, book in ((move["from"], moved_out), (move["to"], moved_in)):
            if "reserve" in end:
                if book is moved_in:
                    reserve_in += amount
                else:
                    reserve_out += amount
                continue
            part = (end.get("ring_fence") or UNFENCED) if end["fund"] == "f" else None
            key = (end["fund"], end["year"], part)
            book[key] = book.get(key, Decimal(0)) + amount
    return moved_in, moved_out, reserve_in, reserve_out


@settings(max_examples=150, deadline=None)
@given(st.lists(multi_year, max_size=8), st.lists(transfers, max_size=12),
       st.one_of(st.none(), days.map(date.fromisoformat)))
def test_money_moved_is_never_made_or_lost(
    items: list[dict[str, Any]], moves: list[dict[str, Any]], day: date | None
) -> None:
    ledger, models = _moving_ledger(items, moves, day)
    moved_in, moved_out, reserve_in, reserve_out = _expected_moves(moves, day)
    # Every pot moved exactly what the transfers as written say, no more, no less.
    for (fund, year), position in ledger.positions.items():
        for pot in (list(position.parts.values()) or [position.whole]):
            key = (fund, str(year), pot.part)
            assert (pot.transfers_in, pot.transfers_out) == (
                moved_in.get(key, Decimal(0)), moved_out.get(key, Decimal(0))), key
            # Committed, from the commitments as written: each year charged by its own amount.
            decided = day is None or day >= date(2017, 5, 1)  # every approval's date
            charged = sum((Decimal(item["years"][str(year)]) for item in items
                           if item["status"] == "approved" and decided and item["fund"] == fund
                           and str(year) in item["years"] and pot.part in (None, UNFENCED)),
                          Decimal(0))
            assert pot.committed == charged
            assert pot.original is not None
            assert pot.available == pot.original + moved_in.get(key, Decimal(0)) \
                - moved_out.get(key, Decimal(0)) - charged
            assert pot.forecast <= pot.committed
        if position.parts:
            for column in ("limit", "committed", "paid", "forecast"):
                parts = sum(getattr(part, column) for part in position.parts.values())
                assert parts == getattr(position.whole, column), column
    reserve = ledger.reserves["res"]
    opening = Decimal("500.00") if day is None or day >= date(2018, 1, 1) else Decimal(0)
    assert reserve.balance == opening + reserve_in - reserve_out
    # Payments and planned payments are shared out over the years charged, never made or lost.
    for commitment in models:
        charges = [e for e in ledger.charges if e.source.id == commitment.id]
        if not charges:
            continue  # approved after the day
        paid = [p for p in commitment.payments if day is None or p.date <= day]
        assert sum((e.commitment.paid for e in charges), Decimal(0)) == sum(
            (p.amount for p in paid), Decimal(0))
        assert sum((e.commitment.scheduled for e in charges), Decimal(0)) == commitment.scheduled
        assert [e.commitment.amount for e in charges] == [a for _, a in commitment.charges]
        for earlier in charges[:-1]:  # only the last year can hold more than its charge
            assert earlier.commitment.paid <= earlier.commitment.amount
        for charge in charges:  # a charge with nothing planned after its year counts in full
            end = charge.commitment.year.last_day
            if all(planned.date <= end for planned in charge.commitment.schedule):
                assert _forecast_of(charge) == charge.commitment.amount
    tables = [t for t in summary_report(ledger, ledger.select()) if t.name != "reserves"]
    keys = [column.key for column in tables[0].columns]
    totals = [dict(zip(keys, table.totals[0])) for table in tables]
    if moves:  # the transfer columns are shown when the data has transfers
        assert sum(t["transfers_out"] - t["transfers_in"] for t in totals) == (
            reserve_in - reserve_out)
    else:
        assert "revised" not in totals[0]


def _forecast_of(charge: Entry) -> Decimal:
    from pcc_ledger.ledger import forecast_outturn

    return forecast_outturn(charge.commitment)
