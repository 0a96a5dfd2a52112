"""The shipped data/: the framework's real figures, the illustrative commitments, and a
reconciliation that adds up to the penny."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pcc_ledger.checking import check_directory
from pcc_ledger.ledger import UNFENCED, Ledger
from pcc_ledger.loader import load
from pcc_ledger.reports import summary_report
from pcc_ledger.scalars import FinancialYear

from .conftest import SHIPPED_DATA

FY = FinancialYear.parse


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    result = load(str(SHIPPED_DATA))
    assert result.problems == []
    assert result.ledger is not None
    return result.ledger


@pytest.mark.parametrize("as_of", [date(2017, 9, 30), date(2018, 4, 1), date.today()])
def test_shipped_data_passes_every_check(as_of: date) -> None:
    # No error; two warnings, on purpose: the illustrative three-year victims' grant is charged
    # to 2018/19 and 2019/20, for which the framework states no allocation yet.
    problems = check_directory(str(SHIPPED_DATA), as_of).problems
    assert [(p.rule, p.severity.value, str(p.year)) for p in problems] == [
        ("future-funding", "warning", "2018/19"), ("future-funding", "warning", "2019/20"),
    ]


def test_every_allocation_says_where_its_figure_comes_from(ledger: Ledger) -> None:
    for fund in ledger.funds.funds.values():
        for allocation in fund.allocations.values():
            assert allocation.basis.startswith("Commissioning Framework 2017-2021, ")


@pytest.mark.parametrize(
    ("fund", "year", "amount"),
    [
        ("community-safety-fund", "2012/13", "1553734"),
        ("community-safety-fund", "2013/14", "1379000"),
        ("community-safety-fund", "2016/17", "1130178"),
        ("community-safety-fund", "2017/18", "1166000"),
        ("your-community-your-choice", "2017/18", "42000"),
        ("your-community-your-choice", "2018/19", "42000"),
        ("your-community-your-choice", "2019/20", "42000"),
        ("your-community-your-choice", "2020/21", "42000"),
        ("victims-services", "2017/18", "814076"),
    ],
)
def test_framework_figures(ledger: Ledger, fund: str, year: str, amount: str) -> None:
    assert ledger.funds.funds[fund].allocations[FY(year)].amount == Decimal(amount)


def test_2012_13_is_derived_from_the_2013_14_reduction(ledger: Ledger) -> None:
    years = ledger.funds.funds["community-safety-fund"].allocations
    assert years[FY("2012/13")].amount == years[FY("2013/14")].amount + Decimal(174734)
    assert "1,130,178,000" in (years[FY("2016/17")].note or "")


def test_framework_rules(ledger: Ledger) -> None:
    funds = ledger.funds.funds
    assert funds["your-community-your-choice"].rules.max_awards == 12
    npt, community = funds["pact-npt-small-grants"], funds["pact-community-grants"]
    assert (npt.rules.max_award, npt.rules.recipient_types) == (Decimal(250), ["police-officer"])
    assert (community.rules.max_award, community.rules.recipient_types) == (
        Decimal(2000),
        ["community-group", "voluntary-group"],
    )
    # PACT: rules, but no stated amount, in every year of the framework.
    for fund in (npt, community):
        assert sorted(str(y) for y in fund.allocations) == [
            "2017/18", "2018/19", "2019/20", "2020/21"]
        assert all(a.amount is None for a in fund.allocations.values())
    assert funds["victims-services"].rules.excluded_categories == [
        "rape-support-centre",
        "homicide",
        "court-witness-service",
        "human-trafficking",
        "national-victims-helpline",
    ]
    assert list(ledger.funds.objectives) == [
        "prevent-crime", "effective-response", "reduce-harm", "partnerships"
    ]
    assert {f.workstream for f in funds.values()} == {
        "community-safety", "community-focused", "victims"}


def test_illustrative_commitments_cover_what_the_issue_asks(ledger: Ledger) -> None:
    commitments = [entry.commitment for entry in ledger.entries]
    assert all(entry.illustrative for entry in ledger.entries)
    assert {c.fund for c in commitments} == set(ledger.funds.funds)
    assert any(c.ring_fence == "child-sexual-abuse" for c in commitments)
    assert any(c.payments for c in commitments)
    assert sorted(c.status for c in commitments).count("proposed") >= 1
    assert sorted(c.status for c in commitments).count("cancelled") >= 1


def test_victims_2017_18_position(ledger: Ledger) -> None:
    position = ledger.positions[("victims-services", FY("2017/18"))]
    fence, unfenced = position.parts["child-sexual-abuse"], position.parts[UNFENCED]
    # The framework's figures, and the illustrative £10,000 virement into the ring-fence.
    assert (position.whole.original, fence.original, unfenced.original) == (
        Decimal("814076.00"), Decimal("56442.00"), Decimal("757634.00")
    )
    assert (position.whole.limit, fence.limit, unfenced.limit) == (
        Decimal("814076.00"), Decimal("66442.00"), Decimal("747634.00")
    )
    assert (fence.committed, fence.paid, fence.available) == (
        Decimal("66442.00"), Decimal("53221.00"), Decimal("0.00")
    )
    # £520,000 of single-year commitments and the first £40,000 year of the three-year grant.
    assert (unfenced.committed, unfenced.planned, unfenced.available) == (
        Decimal("560000.00"), Decimal("60000.00"), Decimal("187634.00")
    )


def test_reconciliation_adds_up_to_the_penny(ledger: Ledger) -> None:
    for position in ledger.positions.values():
        pots = [position.whole, *position.parts.values()]
        for pot in pots:
            assert pot.outstanding == pot.committed - pot.paid
            if pot.limit is not None:
                assert pot.available == pot.limit - pot.committed
        if position.parts:
            for column in ("limit", "committed", "planned", "paid"):
                parts = sum(getattr(part, column) for part in position.parts.values())
                assert parts == getattr(position.whole, column), column


def test_summary_totals_are_the_sums_of_the_fund_rows(ledger: Ledger) -> None:
    tables = summary_report(ledger, ledger.select())
    # One table per year, each with its own totals: never a sum across years.
    assert [table.title for table in tables] == [
        "Reconciliation 2012/13", "Reconciliation 2013/14", "Reconciliation 2016/17",
        "Reconciliation 2017/18", "Reconciliation 2018/19", "Reconciliation 2019/20",
        "Reconciliation 2020/21", "Reserves"]
    report = tables[3]
    assert {row[1] for row in [*report.rows, *report.totals]} == {"2017/18"}
    keys = [column.key for column in report.columns]
    fund_rows = [row for row in report.rows if row[2] == ""]
    stated_rows = [row for row in fund_rows if row[3] is not None]
    unstated_rows = [row for row in fund_rows if row[3] is None]
    stated, unstated, grand = report.totals
    assert [stated[0], unstated[0], grand[0]] == [
        "Subtotal, stated allocations", "Subtotal, no stated allocation", "Total"
    ]
    money = [n for n, column in enumerate(report.columns) if column.kind == "money"]
    for column in money:
        for total, rows in ((stated, stated_rows), (unstated, unstated_rows), (grand, fund_rows)):
            values = [row[column] for row in rows if row[column] is not None]
            assert total[column] == (sum(values, Decimal(0)) if total[column] is not None else None)
    figures = dict(zip(keys, stated))
    assert {key: figures[key] for key in keys[3:14]} == {
        "allocation": Decimal("2022076.00"),  # £1,166,000 + £42,000 + £814,076
        "transfers_in": Decimal("10000.00"),  # the virement into the ring-fence
        # ... out of the unfenced part, £20,000 carried forward, £50,000 to the reserve
        "transfers_out": Decimal("80000.00"),
        "revised": Decimal("1952076.00"),
        "committed": Decimal("1232692.50"),
        "planned": Decimal("64000.00"),
        "paid": Decimal("596721.00"),
        "outstanding": Decimal("635971.50"),
        "available": Decimal("719383.50"),
        "forecast": Decimal("1232692.50"),  # nothing scheduled after its year end
        "forecast_variance": Decimal("719383.50"),
    }
    # Across the years, what left the allocations and did not come back is in the reserve.
    reserve = ledger.reserves["community-safety-reserve"]
    moved = [dict(zip(keys, table.totals[0])) for table in tables[:-1]]
    assert sum(t["transfers_out"] - t["transfers_in"] for t in moved) == reserve.balance
    assert dict(zip(keys, unstated))["allocation"] is None
    assert dict(zip(keys, unstated))["committed"] == Decimal("2050.00")
    assert dict(zip(keys, grand))["committed"] == Decimal("1234742.50")
    assert dict(zip(keys, grand))["paid"] == Decimal("598771.00")


def test_a_clean_run_asks_for_no_line_numbers() -> None:
    # Locations are found lazily, only for problems; a check that asked for one eagerly (for
    # every payment, say) would make a large ledger with one problem re-read whole files.
    checked = check_directory(str(SHIPPED_DATA), date.today())
    # (funds.yaml may hold some for problems the `checks:` settings then switched off; the
    # file with the three-year grant holds the two future-funding warnings.)
    documents = [entry.document for entry in checked.loaded.entries
                 if not entry.document.file.endswith("transfers.yaml")]
    assert [document._pending for document in documents] == [[]] * len(documents)
