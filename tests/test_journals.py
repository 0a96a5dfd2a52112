"""The journals show a budget: Fava's financial year and `custom "budget"` entries in the
beancount journal, periodic transactions for `hledger bal --budget` in the hledger one; and a
commitment linked to its payments, illustrative entries tagged, allocations booked from Equity.

Figures are compared with the Ledger's pots (what `summary` prints), not with a report."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pcc_ledger.export.journal import beancount_journal, hledger_journal
from pcc_ledger.ledger import Ledger, Pot
from pcc_ledger.loader import load
from pcc_ledger.scalars import FinancialYear

from .conftest import REPO, SHIPPED_DATA, invoke, write

D = Decimal
VS = "Victims-Services:FY2017-18"
HLEDGER = shutil.which("hledger")
needs_hledger = pytest.mark.skipif(
    HLEDGER is None, reason="hledger is not installed (Debian: apt-get install hledger)")


def _ledger(root: Path = SHIPPED_DATA) -> Ledger:
    result = load(str(root))
    assert result.ledger is not None
    return result.ledger


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return _ledger()


@pytest.fixture(scope="module")
def entries(ledger: Ledger, tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    from beancount import loader

    target = tmp_path_factory.mktemp("bean") / "ledger.beancount"
    target.write_text(beancount_journal(ledger), "utf-8")
    loaded, errors, _ = loader.load_file(str(target))
    assert errors == []
    return list(loaded)


def _pot(ledger: Ledger, fund_id: str, year: str, part: str | None = None) -> Pot:
    position = next(p for p in ledger.select(FinancialYear.parse(year), fund_id))
    return position.whole if part is None else position.parts[part]


def _budgets(entries: list[Any]) -> list[tuple[date, str, str, Decimal, dict[str, Any]]]:
    return [(e.date, e.values[0].value, e.values[1].value, e.values[2].value.number,
             {k: v for k, v in e.meta.items() if k not in ("filename", "lineno")})
            for e in entries if type(e).__name__ == "Custom" and e.type == "budget"]


# -- beancount and Fava -------------------------------------------------------------------------

def test_fava_financial_year_is_april_to_march(entries: list[Any]) -> None:
    options = [(e.date, [v.value for v in e.values]) for e in entries
               if type(e).__name__ == "Custom" and e.type == "fava-option"]
    # Month 15 is March of the next year: Fava's FY2017 is 2017/18, as the accounts name it.
    assert options == [(date(1970, 1, 1), ["fiscal-year-end", "15-31"])]


def test_budgets_of_victims_services_2017_18(entries: list[Any], ledger: Ledger) -> None:
    vs = [b for b in _budgets(entries) if f"Expenses:Paid:{VS}" in b[1]]
    shown = [(day, account, period, number, str(meta.get("revised-allocation") or "") or None)
             for day, account, period, number, meta in vs]
    assert sorted(shown, key=lambda b: (b[0], b[1])) == [
        (date(2017, 4, 1), f"Expenses:Paid:{VS}:Child-Sexual-Abuse", "quarterly", D("16610.50"),
         "66442.00 GBP"),
        (date(2017, 4, 1), f"Expenses:Paid:{VS}:Unfenced", "quarterly", D("186908.50"),
         "747634.00 GBP"),
        # Each budget ends with its year: the account belongs to 2017/18 only.
        (date(2018, 4, 1), f"Expenses:Paid:{VS}:Child-Sexual-Abuse", "quarterly", D("0.00"), None),
        (date(2018, 4, 1), f"Expenses:Paid:{VS}:Unfenced", "quarterly", D("0.00"), None),
    ]
    # The parts are budgeted, never the whole as well (both tools add them into it): together
    # they are the revised allocation summary shows, £814,076.00.
    assert _pot(ledger, "victims-services", "2017/18").limit == D("814076.00")
    assert sum(b[3] * 4 for b in vs) == D("814076.00")
    assert _pot(ledger, "victims-services", "2017/18", "child-sexual-abuse").limit == D("66442")


def test_every_stated_allocation_is_a_budget_and_nothing_else_is(
    entries: list[Any], ledger: Ledger
) -> None:
    expected = {}
    for position in ledger.select():
        for pot in list(position.parts.values()) or [position.whole]:
            if pot.limit is not None:
                expected[(pot.fund_id, str(pot.year), pot.part)] = pot.limit
    opening = [b for b in _budgets(entries) if b[4]]
    assert len(opening) == len(expected) == 10
    assert sorted(b[4]["revised-allocation"].number for b in opening) == sorted(expected.values())
    assert all(b[3] * 4 == b[4]["revised-allocation"].number for b in opening)
    # Funds with no stated allocation (the PACT grants) have no budget.
    assert not [b for b in _budgets(entries) if "Pact" in b[1]]


def test_fava_reads_each_budget_as_the_allocation_of_its_financial_year(
    ledger: Ledger, tmp_path: Path
) -> None:
    core = pytest.importorskip("fava.core", reason="Fava is not installed (pip install fava)")
    dates = pytest.importorskip("fava.util.date")
    target = tmp_path / "ledger.beancount"
    target.write_text(beancount_journal(ledger), "utf-8")
    fava = core.FavaLedger(str(target))
    assert list(fava.errors) == []
    fye = fava.fava_options.fiscal_year_end

    def budget(account: str, fy: str) -> Decimal:
        begin, end = dates.parse_date(fy, fye)
        found = fava.budgets.calculate_children(account, begin, end)
        return D(found.get("GBP", 0)).quantize(D("0.01"))

    assert dates.parse_date("FY2017", fye) == (date(2017, 4, 1), date(2018, 4, 1))
    assert budget(f"Expenses:Paid:{VS}", "FY2017") == D("814076.00")
    assert budget(f"Expenses:Paid:{VS}:Child-Sexual-Abuse", "FY2017") == D("66442.00")
    assert budget(f"Expenses:Paid:{VS}", "FY2018") == 0  # ended with its year
    # 2019/20 has a 29 February: a "yearly" budget would give 42,086.46 here.
    ycyc = "Expenses:Paid:Your-Community-Your-Choice:FY2019-20"
    assert budget(ycyc, "FY2019") == D("42000.00")
    for position in ledger.select():
        for pot in list(position.parts.values()) or [position.whole]:
            if pot.limit is not None:
                fy = f"FY{pot.year.start}"
                assert budget(f"Expenses:Paid:{_name(pot)}", fy) == pot.limit, pot


def _name(pot: Pot) -> str:
    """`Victims-Services:FY2017-18:Child-Sexual-Abuse`: the account's fund, year and part."""
    def title(slug: str) -> str:
        return "-".join(word.capitalize() for word in slug.split("-"))

    year = f"FY{pot.year.start}-{str(pot.year.start + 1)[2:]}"
    return ":".join([title(pot.fund_id), year] + ([] if pot.part is None else [title(pot.part)]))


def test_a_commitment_and_its_payments_share_a_link(entries: list[Any]) -> None:
    linked = [(e.date, e.narration, sorted(e.tags)) for e in entries
              if type(e).__name__ == "Transaction" and "VS-2017-003" in e.links]
    assert linked == [
        (date(2017, 4, 1), "Needs assessment and support for victims of crime",
         ["illustrative"]),
        (date(2017, 6, 30), "Payment on VS-2017-003", ["illustrative"]),
        (date(2017, 9, 29), "Payment on VS-2017-003", ["illustrative"]),
    ]
    links = {e.narration: set(e.links) for e in entries if type(e).__name__ == "Transaction"}
    assert links["Allocation 2017/18"] == set()


def test_illustrative_entries_are_tagged_and_others_are_not(
    entries: list[Any], tmp_path: Path
) -> None:
    tagged = [e for e in entries if type(e).__name__ == "Transaction"
              and "illustrative" in e.tags]
    # Every file of the shipped commitments is marked illustrative: 22 commitments, their 15
    # payments and 3 transfers. Allocations come from funds.yaml and are not tagged.
    assert len(tagged) == 40
    assert {e.meta.get("kind") for e in tagged} >= {"virement", "reserve transfer",
                                                      "carry-forward"}
    assert not [e for e in tagged if e.narration.startswith("Allocation")]
    text = beancount_journal(_ledger(_real_data(tmp_path)))
    assert "#illustrative" not in text and "^R-1" in text


def _real_data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    write(root / "funds.yaml", """
        organisation: {name: O}
        objectives: {o: O}
        funds:
          f:
            name: F
            workstream: victims
            allocations:
              2017/18: {amount: 1000, basis: t}
        """)
    write(root / "allocations" / "a.yaml", """
        commitments:
          - id: R-1
            fund: f
            year: 2017/18
            recipient: {name: B, type: charity}
            title: Real
            objective: o
            amount: 100
            status: approved
            approved: 2017-05-01
            payments:
              - {date: 2017-06-01, amount: 40}
        """)
    return root


def test_allocations_come_from_equity_so_nothing_reads_as_profit(
    entries: list[Any], ledger: Ledger
) -> None:
    from beancount.core import realization

    real = realization.realize(entries)
    assert realization.get(real, "Income") is None

    def balance(account: str) -> Decimal:
        node = realization.get(real, account)
        return D(realization.compute_balance(node).get_currency_units("GBP").number)

    assert balance(f"Equity:Allocations:{VS}") == D("-814076.00")  # the allocation booked
    # The income statement is the spend alone: summary's paid.
    assert balance("Expenses") == sum((p.whole.paid for p in ledger.select()), D(0))


def test_the_cli_writes_the_budgets(cli: CliRunner, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    target = tmp_path / "l.beancount"
    assert invoke(cli, "export", "beancount", str(target)).exit_code == 0
    text = target.read_text("utf-8")
    assert '1970-01-01 custom "fava-option" "fiscal-year-end" "15-31"' in text
    assert re.search(rf'2017-04-01 custom "budget" Expenses:Paid:{VS}:Unfenced +"quarterly" +'
                     r"186908\.50 GBP\n  revised-allocation: 747634\.00 GBP\n", text)


# -- hledger ------------------------------------------------------------------------------------

def _hledger(ledger: Ledger, tmp_path: Path, *args: str) -> list[str]:
    assert HLEDGER is not None
    target = tmp_path / "ledger.journal"
    target.write_text(hledger_journal(ledger), "utf-8")
    result = subprocess.run([HLEDGER, "-f", str(target), *args], capture_output=True,
                            text=True, check=False)
    assert (result.returncode, result.stderr) == (0, "")
    return [" ".join(line.split()) for line in result.stdout.splitlines()]


def _money(value: Decimal) -> str:
    return f"{value:,.2f} GBP"


@needs_hledger
def test_hledger_budget_of_a_fund_year_is_summarys(ledger: Ledger, tmp_path: Path) -> None:
    assert _hledger(ledger, tmp_path, "check", "--strict") == []
    lines = _hledger(ledger, tmp_path, "balance", "--budget", "Expenses:Paid:.*:FY2017-18")
    vs = _pot(ledger, "victims-services", "2017/18")
    fence = _pot(ledger, "victims-services", "2017/18", "child-sexual-abuse")
    assert (vs.paid, vs.limit) == (D("353221.00"), D("814076.00"))
    assert f"Expenses:Paid:{VS} || {_money(vs.paid)} [43% of {_money(vs.limit)}]" in lines
    assert (f"Expenses:Paid:{VS}:Child-Sexual-Abuse || {_money(fence.paid)} "
            f"[80% of {_money(D('66442'))}]") in lines
    assert "Expenses:Paid:Your-Community-Your-Choice:FY2017-18 || 3,500.00 GBP " \
        "[16% of 22,000.00 GBP]" in lines  # the revised allocation: £20,000 carried forward


@needs_hledger
def test_hledger_budgets_land_in_their_financial_year(ledger: Ledger, tmp_path: Path) -> None:
    lines = _hledger(ledger, tmp_path, "balance", "--budget", "Expenses:Paid:Your-Community",
                     "-p", "every 12 months from 2017-04-01 to 2019-04-01")
    assert lines[0] == "Budget performance in 2017-04-01..2019-03-31:"
    assert "|| 2017-04-01..2018-03-31 2018-04-01..2019-03-31" in lines
    assert "Expenses:Paid:Your-Community-Your-Choice:FY2017-18 || 3,500.00 GBP " \
        "[16% of 22,000.00 GBP] 0 [ 0]" in lines
    # 2018/19: the round's awards, £6,500.00 paid of the £62,000.00 revised (summary's figures)
    assert "Expenses:Paid:Your-Community-Your-Choice:FY2018-19 || 0 [ 0] " \
        "6,500.00 GBP [10% of 62,000.00 GBP]" in lines


@needs_hledger
def test_readme_shows_the_real_hledger_budget(ledger: Ledger, tmp_path: Path) -> None:
    version = subprocess.run([str(HLEDGER), "--version"], capture_output=True, text=True,
                             check=False).stdout
    if not version.startswith("hledger 1.25"):
        pytest.skip(f"the README's sample was made with hledger 1.25, not {version.strip()}")
    readme = (REPO / "README.md").read_text("utf-8")
    command = "hledger -f ledger.journal bal --budget --tree 'Expenses:Paid:.*:FY2017-18'"
    start = readme.index(f"$ {command}\n") + len(command) + 3
    sample = readme[start:readme.index("```", start)].splitlines()
    lines = _hledger(ledger, tmp_path, "bal", "--budget", "--tree", "Expenses:Paid:.*:FY2017-18")
    assert [" ".join(line.split()) for line in sample] == lines
