"""Property tests: whatever the commitments, the totals reconcile to the penny."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pcc_ledger.ledger import UNFENCED, Entry, Ledger
from pcc_ledger.model import Commitment, FundsFile
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
        Entry(Commitment.model_validate(item), DOCUMENT, ("commitments", n))
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
