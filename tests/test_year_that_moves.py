"""A year that moves, end to end on the command line: the position on any day, the forecast
outturn, the spend profile, the payments and transfers listings, and the journals' balances
with transfers and reserves. Figures are exact, and worked out by hand in the comments."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from .conftest import SHIPPED_DATA, invoke, write


def _csv(cli: CliRunner, *args: str) -> str:
    result = invoke(cli, *args, "--data", str(SHIPPED_DATA), "--format", "csv")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_position_on_a_day_before_the_virement(cli: CliRunner) -> None:
    # 2017-09-30: the virement (2017-10-02) and VS-2017-005 (approved 2017-10-16) are still to
    # come. Ring-fence: VS-2017-001 £30,000 + VS-2017-002 £26,442, paid £15,000 + £13,221.
    # Unfenced: VS-2017-003 £520,000 + the first year of VS-2017-006 £40,000, paid £130,000
    # twice and £20,000.
    assert _csv(cli, "summary", "--fund", "victims-services", "--as-of", "2017-09-30") == (
        "Fund,Year,Part,Allocation,Transfers in,Transfers out,Revised,Committed,Planned,Paid,"
        "Outstanding,Available,Forecast,Forecast variance,Utilisation\n"
        "victims-services,2017/18,,814076.00,0.00,0.00,814076.00,616442.00,60000.00,308221.00,"
        "308221.00,197634.00,616442.00,197634.00,75.7\n"
        "victims-services,2017/18,ring-fence child-sexual-abuse,56442.00,0.00,0.00,56442.00,"
        "56442.00,0.00,28221.00,28221.00,0.00,56442.00,0.00,100.0\n"
        "victims-services,2017/18,unfenced,757634.00,0.00,0.00,757634.00,560000.00,60000.00,"
        "280000.00,280000.00,197634.00,560000.00,197634.00,73.9\n"
        "Total,2017/18,,814076.00,0.00,0.00,814076.00,616442.00,60000.00,308221.00,308221.00,"
        "197634.00,616442.00,197634.00,75.7\n"
    )


def test_the_position_after_the_virement(cli: CliRunner) -> None:
    rows = _csv(cli, "summary", "--fund", "victims-services", "--as-of", "2017-12-31")
    fence = rows.splitlines()[2].split(",")
    # The ring-fence took £10,000 by virement and VS-2017-005 drew all of it.
    assert fence[3:12] == ["56442.00", "10000.00", "0.00", "66442.00", "66442.00", "0.00",
                           "53221.00", "13221.00", "0.00"]


@pytest.mark.parametrize(("day", "balance"), [("2018-04-15", "0.00"), ("2018-04-16", "50000.00")])
def test_a_reserve_balance_on_a_day(cli: CliRunner, day: str, balance: str) -> None:
    # One table: the transfers and the reserves in a long table with a section column.
    rows = [row for row in _csv(cli, "transfers", "--as-of", day).splitlines()
            if row.startswith("reserves,")]
    assert rows[0].endswith(f",community-safety-reserve,0.00,{balance},0.00,{balance}")


def test_the_transfers_listing(cli: CliRunner) -> None:
    assert _csv(cli, "transfers", "--year", "2018/19") == (
        "section,ID,Date,Kind,From,To,In,Out,Decision,Reserve,Opening,Transfers in,"
        "Transfers out,Balance\n"
        "transfers,CF-2017-01,2018-04-16,carry-forward,fund your-community-your-choice 2017/18,"
        "fund your-community-your-choice 2018/19,20000.00,,Example decision 2018/10,,,,,\n"
        "transfers,Total (1 transfer),,,,,20000.00,0.00,,,,,,\n"
        "reserves,,,,,,,,,community-safety-reserve,0.00,50000.00,0.00,50000.00\n"
        "reserves,,,,,,,,,Total,0.00,50000.00,0.00,50000.00\n"
    )


def test_the_payments_listing_by_date_range(cli: CliRunner) -> None:
    assert _csv(cli, "payments", "--fund", "victims-services", "--from", "2017-07-01",
                "--to", "2018-03-31") == (
        "Commitment,Fund,Year,Recipient,Date,Amount,Reference\n"
        "VS-2017-006,victims-services,2017/18,Example Independent Advocacy Service,2017-07-31,"
        "20000.00,\n"
        "VS-2017-002,victims-services,2017/18,Example Family Therapy Partnership,2017-09-29,"
        "13221.00,\n"
        "VS-2017-003,victims-services,2017/18,Example Victim Help Centre,2017-09-29,130000.00,\n"
        "VS-2017-005,victims-services,2017/18,Example Young Survivors Project,2017-12-15,"
        "10000.00,\n"
        "VS-2017-001,victims-services,2017/18,Example Children's Support Service,2017-12-29,"
        "15000.00,\n"
        "VS-2017-006,victims-services,2017/18,Example Independent Advocacy Service,2018-02-14,"
        "20000.00,\n"
        "Total (6 payments),,,,,208221.00,\n"
    )


def test_payments_usage_errors(cli: CliRunner) -> None:
    swapped = invoke(cli, "payments", "--data", str(SHIPPED_DATA), "--from", "2018-01-01",
                     "--to", "2017-01-01")
    assert (swapped.exit_code, swapped.stderr) == (
        2, "pcc-ledger: error: --from 2018-01-01 is after --to 2017-01-01; swap them\n")
    bad = invoke(cli, "payments", "--data", str(SHIPPED_DATA), "--to", "2017-02-30")
    assert (bad.exit_code, bad.stderr) == (
        2, "pcc-ledger: error: --to: `2017-02-30` is not a date: day is out of range for "
        "month\n")


def test_the_spend_profile_by_quarter(cli: CliRunner) -> None:
    # Planned: VS-2017-006's schedule (July, January). Actual: every victims' payment.
    assert _csv(cli, "profile", "--fund", "victims-services", "--year", "2017/18",
                "--by", "quarter") == (
        "Period,Planned,Actual,Variance,Planned to date,Actual to date,Variance to date\n"
        "Q1 Apr-Jun 2017,0.00,145000.00,145000.00,0.00,145000.00,145000.00\n"
        "Q2 Jul-Sep 2017,20000.00,163221.00,143221.00,20000.00,308221.00,288221.00\n"
        "Q3 Oct-Dec 2017,0.00,25000.00,25000.00,20000.00,333221.00,313221.00\n"
        "Q4 Jan-Mar 2018,20000.00,20000.00,0.00,40000.00,353221.00,313221.00\n"
        "Total,40000.00,353221.00,313221.00,,,\n"
    )


def test_the_spend_profile_as_on_a_day_leaves_later_months_blank(cli: CliRunner) -> None:
    rows = _csv(cli, "profile", "--fund", "victims-services", "--year", "2017/18",
                "--as-of", "2017-08-15").splitlines()
    assert rows[1:6] == [
        "Apr 2017,0.00,0.00,0.00,0.00,0.00,0.00",
        "May 2017,0.00,0.00,0.00,0.00,0.00,0.00",
        "Jun 2017,0.00,145000.00,145000.00,0.00,145000.00,145000.00",
        "Jul 2017,20000.00,20000.00,0.00,20000.00,165000.00,145000.00",
        "Aug 2017,0.00,0.00,0.00,20000.00,165000.00,145000.00",  # up to the 15th
    ]
    assert rows[6] == "Sep 2017,0.00,,,20000.00,,"


def _slipping(tmp_path: Path) -> Path:
    """A two-year grant whose schedule puts £300 of its first year's £600 after that year."""
    root = tmp_path / "data"
    write(root / "funds.yaml", """
        organisation: {name: Test}
        objectives: {o: O}
        funds:
          f:
            name: F
            workstream: victims
            allocations:
              2017/18: {amount: 1000, basis: test}
              2018/19: {amount: 1000, basis: test}
        """)
    write(root / "allocations" / "a.yaml", """
        commitments:
          - id: G-1
            fund: f
            years: {2017/18: 600, 2018/19: 400}
            recipient: {name: R, type: charity}
            title: Two years
            objective: o
            status: approved
            approved: 2017-05-01
            schedule:
              - {date: 2017-06-30, amount: 300}
              - {date: 2018-05-31, amount: 300}
              - {date: 2019-01-31, amount: 400}
            payments:
              - {date: 2017-06-30, amount: 300}
        """)
    return root


def test_the_forecast_holds_back_what_the_schedule_puts_after_the_year(
    cli: CliRunner, tmp_path: Path
) -> None:
    root = _slipping(tmp_path)
    result = invoke(cli, "summary", "--data", str(root), "--as-of", "2017-10-01",
                    "--format", "csv")
    assert result.exit_code == 0, result.output
    # 2017/18: £600 charged, £300 paid; the next £300 is planned for May 2018, after the year:
    # forecast £300, a forecast underspend of £700. 2018/19: its £400 is planned in the year.
    lines = result.stdout.splitlines()
    assert [lines[1], lines[3]] == [
        "reconciliation-2017-18,f,2017/18,,1000.00,600.00,0.00,300.00,300.00,400.00,300.00,"
        "700.00,60.0",
        "reconciliation-2018-19,f,2018/19,,1000.00,400.00,0.00,0.00,400.00,600.00,400.00,"
        "600.00,40.0",
    ]
    # A closed year's forecast stays put: the day passing the slipped payment's date changes
    # nothing, nor does paying it after the year.
    for day in ("2018-05-30", "2018-06-01", "2026-01-01"):
        later = invoke(cli, "summary", "--data", str(root), "--as-of", day, "--format", "csv")
        assert later.stdout.splitlines()[1].split(",")[10] == "300.00", day
    # Paid early, the slipping payment no longer slips.
    with (root / "allocations" / "a.yaml").open("a", encoding="utf-8") as more:
        more.write("      - {date: 2017-09-30, amount: 300}\n")  # payments is the last key
    paid = invoke(cli, "summary", "--data", str(root), "--as-of", "2017-10-01",
                  "--format", "csv")
    assert paid.stdout.splitlines()[1].split(",")[10:12] == ["600.00", "400.00"]


def test_year_end_as_on_a_day_in_the_year(cli: CliRunner, tmp_path: Path) -> None:
    root = _slipping(tmp_path)
    result = invoke(cli, "year-end", "2017/18", "--data", str(root), "--as-of", "2017-10-01",
                    "--format", "csv", "--section", "funds")
    assert result.exit_code == 0, result.output
    # On a day in the year, the year-end is provisional: paid to date, and what remains is not
    # an underspend.
    assert result.stdout.splitlines()[:2] == [
        "Fund,Part,Revised allocation,Committed,Paid to date,Outstanding,Remaining,Forecast,"
        "Utilisation",
        "f,,1000.00,600.00,300.00,300.00,400.00,300.00,60.0",
    ]


def _beancount_balances(path: Path) -> dict[str, Decimal]:
    from beancount import loader
    from beancount.core import realization

    entries, errors, _ = loader.load_file(str(path))
    assert errors == []
    tree = realization.realize(entries)
    balances = {}
    for account in realization.iter_children(tree):
        position = account.balance.get_currency_units("GBP")
        if account.account:
            balances[account.account] = position.number
    return balances


def test_the_beancount_journal_books_transfers_and_reserves(
    cli: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "l.beancount"
    assert invoke(cli, "export", "beancount", str(target), "--data",
                  str(SHIPPED_DATA)).exit_code == 0
    balances = _beancount_balances(target)
    assert balances["Assets:Reserves:Community-Safety-Reserve"] == Decimal("50000.00")
    # Available = revised allocation - committed, as in summary.
    assert balances["Assets:Available:Victims-Services:FY2017-18:Child-Sexual-Abuse"] == 0
    assert balances["Assets:Available:Victims-Services:FY2017-18:Unfenced"] == \
        Decimal("187634.00")
    assert balances["Assets:Available:Community-Safety-Fund:FY2017-18"] == Decimal("516000.00")
    assert balances["Assets:Available:Your-Community-Your-Choice:FY2018-19"] == \
        Decimal("4650.00")  # £42,000 and the £20,000 carried forward, less the round's awards
    text = target.read_text("utf-8")
    assert '2018-04-16 * "Office of the Police and Crime Commissioner for North Wales" ' \
        '"Community safety underspend earmarked for 2018/19 projects"' in text


@pytest.mark.skipif(shutil.which("hledger") is None,
                    reason="hledger is not installed (Debian: apt-get install hledger)")
def test_the_hledger_journal_has_the_same_balances(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "l.journal"
    assert invoke(cli, "export", "hledger", str(target), "--data",
                  str(SHIPPED_DATA)).exit_code == 0
    result = subprocess.run(
        ["hledger", "-f", str(target), "balance", "--flat", "--no-total",
         "Assets:Reserves", "Assets:Available:Your-Community-Your-Choice"],
        capture_output=True, text=True, check=True)
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "50,000.00 GBP Assets:Reserves:Community-Safety-Reserve" in lines
    assert "15,749.50 GBP Assets:Available:Your-Community-Your-Choice:FY2017-18" in lines
    # summary's available for 2018/19: £62,000.00 revised less the round's £57,350.00 awards
    assert "4,650.00 GBP Assets:Available:Your-Community-Your-Choice:FY2018-19" in lines
