"""Exports, read back: the workbook with openpyxl, the beancount journal with bean-check and
beancount's own loader, the hledger journal with `hledger check`; and safe writing."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pcc_ledger.atomic import WriteRefused, write_atomically
from pcc_ledger.cli import app
from pcc_ledger.ledger import UNFENCED, Ledger
from pcc_ledger.loader import load

from .conftest import REPO, SHIPPED_DATA, invoke, write
from .test_reports import _hostile_data

D = Decimal


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    result = load(str(SHIPPED_DATA))
    assert result.ledger is not None
    return result.ledger


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


SHEETS = ["Summary", "Commitments", "Payments", "Year-end", "Transfers", "Reserves",
          "Profile 2017-18", "Profile 2018-19", "Profile 2019-20"]
# The shipped data's three-year grant is charged to years with no allocation yet.
SHIPPED_WARNINGS = "pcc-ledger: 2 warnings in 7 files; `pcc-ledger check` lists them\n"


def _export(cli: CliRunner, kind: str, target: Path, *extra: str) -> None:
    result = invoke(cli, "export", kind, str(target), *extra)
    assert result.exit_code == 0, result.output
    if "--allow-problems" in extra:
        said = "pcc-ledger: 1 error in 2 files; `pcc-ledger check` lists them\n"
    elif "--data" not in extra:
        said = SHIPPED_WARNINGS
    else:
        said = ""
    assert result.stderr.replace("3 files", "2 files") == f"{said}wrote {target}\n"


# -- the workbook ---------------------------------------------------------------------------

def test_workbook_has_a_sheet_per_report_with_numeric_pounds(
    cli: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "ledger.xlsx"
    _export(cli, "xlsx", target)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == SHEETS
    summary = book["Summary"]
    header = [cell.value for cell in summary[1]]
    assert header[:4] == ["Fund", "Year", "Part", "Allocation"]
    victims = [row for row in summary.iter_rows(min_row=2) if row[0].value == "victims-services"]
    allocation = victims[0][3]
    assert (allocation.data_type, D(str(allocation.value))) == ("n", D("56442"))
    assert allocation.number_format == '"£"#,##0.00;-"£"#,##0.00'
    # The fund's parts, which add up to it (£814,076): its own row would count it twice.
    assert [D(str(row[3].value)) for row in victims] == [D("56442"), D("757634")]
    payments = [[cell.value for cell in row] for row in book["Payments"].iter_rows(min_row=2)]
    blank = payments.index([None] * len(payments[0]))  # the data rows end at a blank row
    assert D(str(payments[blank + 1][5])) == D("605271")  # the totals row: paid, as in summary
    assert sum(D(str(row[5])) for row in payments[:blank]) == D("605271")
    moved = [[cell.value for cell in row] for row in book["Transfers"].iter_rows(min_row=2)]
    assert [(row[0], row[2], D(str(row[5]))) for row in moved if row[0] is not None] == [
        ("VIR-2017-01", "virement", D("10000")), ("RES-2017-01", "reserve transfer", D("50000")),
        ("CF-2017-01", "carry-forward", D("20000")), ("Total (3 transfers)", None, D("80000"))]
    reserve = [cell.value for cell in book["Reserves"][2]]
    assert reserve[0] == "community-safety-reserve" and D(str(reserve[4])) == D("50000")
    profile = [[cell.value for cell in row] for row in book["Profile 2017-18"].iter_rows()]
    assert profile[0][:3] == ["Period", "Planned", "Actual"]
    total = next(row for row in profile if row[0] == "Total")
    assert (D(str(total[1])), D(str(total[2]))) == (
        D("40000"), D("598771"))  # the schedules planned; every payment of the year
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows()
               for cell in row)


def test_workbook_keeps_formula_like_text_inert(cli: CliRunner, tmp_path: Path) -> None:
    root = _hostile_data(tmp_path)
    target = tmp_path / "hostile.xlsx"
    _export(cli, "xlsx", target, "--data", str(root), "--allow-problems")
    sheet = openpyxl.load_workbook(target)["Commitments"]
    recipient = sheet.cell(row=2, column=5)
    assert recipient.value == '=HYPERLINK("http://x","y")'
    assert (recipient.data_type, recipient.quotePrefix) == ("s", True)
    with zipfile.ZipFile(target) as archive:
        sheets = [archive.read(name).decode("utf-8") for name in archive.namelist()
                  if name.startswith("xl/worksheets/")]
    assert len(sheets) == 6  # no payments on this data: no spend profile
    assert all("<f>" not in sheet and "<f " not in sheet for sheet in sheets)  # no formula
    assert 'HYPERLINK(&quot;http://x&quot;' in sheets[1] or 'HYPERLINK("http://x"' in sheets[1]


def test_the_workbook_goes_to_standard_output_when_it_is_not_a_terminal(cli: CliRunner) -> None:
    result = cli.invoke(app, ["export", "xlsx", "-", "--data", str(SHIPPED_DATA)],
                        catch_exceptions=False)
    assert result.exit_code == 0
    book = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes))
    assert book.sheetnames == SHEETS


def test_the_workbook_is_not_written_to_a_terminal(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pcc_ledger.cli._stdout_is_terminal", lambda: True)
    result = invoke(cli, "export", "xlsx", "-", "--data", str(SHIPPED_DATA))
    assert result.exit_code == 2
    assert result.stderr == (
        "pcc-ledger: error: a workbook is binary, not for a terminal: name a file to write, or "
        "send standard output to one (`... export xlsx - > ledger.xlsx`)\n"
    )


# -- beancount --------------------------------------------------------------------------------

def _bean_check() -> str:
    script = Path(sys.executable).parent / "bean-check"
    found = str(script) if script.exists() else shutil.which("bean-check")
    if found is None:
        pytest.fail("bean-check is not installed: `pip install -e '.[test]'` installs beancount")
    return found


def test_beancount_export_passes_bean_check(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "ledger.beancount"
    _export(cli, "beancount", target)
    checked = subprocess.run([_bean_check(), str(target)], capture_output=True, text=True,
                             check=False)
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")


def test_beancount_balances_equal_the_summary(
    cli: CliRunner, tmp_path: Path, ledger: Ledger
) -> None:
    from beancount import loader
    from beancount.core import realization

    target = tmp_path / "ledger.beancount"
    _export(cli, "beancount", target)
    entries, errors, _ = loader.load_file(str(target))
    assert errors == []
    real = realization.realize(entries)

    def balance(account: str) -> Decimal:
        node = realization.get(real, account)
        if node is None:
            return Decimal(0)
        number = realization.compute_balance(node).get_currency_units("GBP").number
        return Decimal(number)

    checked = 0
    for position in ledger.select():
        fund = "-".join(w.capitalize() for w in position.fund_id.split("-"))
        year = "FY" + str(position.year).replace("/", "-")
        for pot in [position.whole, *position.parts.values()]:
            suffix = "" if pot.part is None else ":" + (
                "Unfenced" if pot.part == UNFENCED
                else "-".join(w.capitalize() for w in pot.part.split("-")))
            base = f"{fund}:{year}{suffix}"
            assert balance(f"Assets:Committed:{base}") == pot.outstanding
            assert balance(f"Expenses:Paid:{base}") == pot.paid
            if pot.available is not None:
                assert balance(f"Assets:Available:{base}") == pot.available
            checked += 1
    assert checked == 19
    total_paid = balance("Expenses:Paid")
    assert total_paid == Decimal("605271.00")  # summary's total paid, to the penny


def test_beancount_strings_are_escaped(cli: CliRunner, tmp_path: Path) -> None:
    root = _hostile_data(tmp_path)
    write(root / "allocations" / "b.yaml", """
        commitments:
          - id: Q-1
            fund: f
            year: 2017/18
            recipient: {name: 'Quote " and back\\slash', type: charity}
            title: "Line one\\nline two"
            objective: o
            amount: 1
            status: approved
            approved: 2017-05-02
        """)
    target = tmp_path / "hostile.beancount"
    _export(cli, "beancount", target, "--data", str(root), "--allow-problems")
    checked = subprocess.run([_bean_check(), str(target)], capture_output=True, text=True,
                             check=False)
    assert checked.returncode == 0, checked.stderr
    assert '"Quote \\" and back\\\\slash" "Line one line two"' in target.read_text("utf-8")


# -- hledger -----------------------------------------------------------------------------------

HLEDGER = shutil.which("hledger")


@pytest.mark.skipif(HLEDGER is None, reason="hledger is not installed (Debian: apt-get install "
                    "hledger); the export is still written and its round trip checked elsewhere")
def test_hledger_export_passes_hledger_check(cli: CliRunner, tmp_path: Path) -> None:
    assert HLEDGER is not None
    target = tmp_path / "ledger.journal"
    _export(cli, "hledger", target)
    for strict in ([], ["--strict"]):
        checked = subprocess.run([HLEDGER, "-f", str(target), "check", *strict],
                                 capture_output=True, text=True, check=False)
        assert (checked.returncode, checked.stderr) == (0, "")
    paid = subprocess.run([HLEDGER, "-f", str(target), "balance", "Expenses:Paid", "-N",
                           "--depth", "1", "--layout", "bare"],
                          capture_output=True, text=True, check=False).stdout
    # Every year's payments: summary's paid of 2017/18 (£598,771.00) and 2018/19 (£6,500.00).
    assert paid.replace(",", "").split()[:2] == ["605271.00", "GBP"]


def test_hledger_journal_carries_the_same_transactions(cli: CliRunner, tmp_path: Path) -> None:
    bean, hled = tmp_path / "l.beancount", tmp_path / "l.journal"
    _export(cli, "beancount", bean)
    _export(cli, "hledger", hled)
    bean_dates = [line[:10] for line in bean.read_text("utf-8").splitlines() if " * " in line]
    hledger_dates = [line[:10] for line in hled.read_text("utf-8").splitlines() if " * " in line]
    assert bean_dates == hledger_dates
    # 9 allocations, 22 approved commitments (the three-year grant's first year only: its later
    # years have no allocation yet), 15 payments, 3 transfers
    assert len(bean_dates) == 49


# -- writing safely ----------------------------------------------------------------------------

def test_an_existing_file_is_kept_unless_forced(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "ledger.beancount"
    target.write_text("precious", encoding="utf-8")
    result = invoke(cli, "export", "beancount", str(target))
    assert (result.exit_code, result.stderr) == (
        2, f"pcc-ledger: error: {target} exists; pass --force to replace it\n"
    )
    assert target.read_text("utf-8") == "precious"
    _export(cli, "beancount", target, "--force")
    assert target.read_text("utf-8").startswith("; Office of the Police and Crime Commissioner")
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.beancount"]  # no temporary left


def test_journals_can_go_to_standard_output(cli: CliRunner) -> None:
    result = invoke(cli, "export", "hledger", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("; Office of the Police and Crime Commissioner")


def test_atomic_write_leaves_the_old_file_whole_when_it_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def broken_replace(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pcc_ledger.atomic.os.replace", broken_replace)
    with pytest.raises(WriteRefused, match="No space left on device"):
        write_atomically(target, b"new", force=True)
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_refusals(tmp_path: Path) -> None:
    with pytest.raises(WriteRefused, match="is a directory"):
        write_atomically(tmp_path, b"x", force=True)
    with pytest.raises(WriteRefused, match="no directory"):
        write_atomically(tmp_path / "missing" / "x.txt", b"x")


def test_an_export_never_replaces_a_data_file(cli: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, root)
    funds = root / "funds.yaml"
    before = funds.read_bytes()
    result = invoke(cli, "export", "beancount", str(funds), "--data", str(root), "--force")
    assert (result.exit_code, result.stderr) == (
        2, f"pcc-ledger: error: {funds} is inside the data directory {root}, which holds only "
        "data; write the export somewhere else\n")
    assert funds.read_bytes() == before


def _ledger_with_unstated_total(tmp_path: Path) -> Path:
    """An allocation whose total is not stated but whose ring-fence is; a payment made after
    the year ended; and names that hledger would misread if written raw."""
    root = tmp_path / "data"
    write(root / "funds.yaml", """
        organisation: {name: "Funder; with | odd (chars)"}
        objectives: {o: O}
        checks: {review-overdue: off}  # not what this test is about
        funds:
          f:
            name: F
            workstream: victims
            allocations:
              2017/18:
                basis: t
                ring_fences: {r: {name: R, amount: 400}}
        """)
    write(root / "allocations" / "a.yaml", """
        commitments:
          - id: U-1
            fund: f
            year: 2017/18
            ring_fence: r
            recipient: {name: "(Paren) Trust; with | bars", type: charity}
            title: "On the ring-fence; paid late | partly"
            objective: o
            amount: 100
            status: approved
            approved: 2017-05-01
            payments:
              - {date: 2018-02-01, amount: 30}
              - {date: 2018-04-15, amount: 20}
          - id: U-2
            fund: f
            year: 2017/18
            recipient: {name: B, type: charity}
            title: Unfenced, with no stated amount to draw on
            objective: o
            amount: 50
            status: approved
            approved: 2017-05-01
        """)
    return root


def test_journals_balance_with_an_unstated_total_and_a_stated_ring_fence(
    cli: CliRunner, tmp_path: Path
) -> None:
    from beancount import loader
    from beancount.core import realization

    root = _ledger_with_unstated_total(tmp_path)
    target = tmp_path / "l.beancount"
    _export(cli, "beancount", target, "--data", str(root))
    entries, errors, _ = loader.load_file(str(target))
    assert errors == []
    real = realization.realize(entries)

    def balance(account: str) -> Decimal:
        node = realization.get(real, account)
        return Decimal(realization.compute_balance(node).get_currency_units("GBP").number)

    assert balance("Assets:Available:F:FY2017-18:R") == Decimal("300.00")  # = summary
    assert balance("Assets:Committed:F:FY2017-18:R") == Decimal("50.00")
    assert balance("Expenses:Paid:F:FY2017-18:R") == Decimal("50.00")
    assert balance("Assets:Committed:F:FY2017-18:Unfenced") == Decimal("50.00")
    assert balance("Equity:Unstated-Allocations:F:FY2017-18") == Decimal("-50.00")
    assert balance("Equity:Allocations:F:FY2017-18") == Decimal("-400.00")


@pytest.mark.skipif(HLEDGER is None, reason="hledger is not installed")
def test_hledger_reads_odd_names_as_written(cli: CliRunner, tmp_path: Path) -> None:
    assert HLEDGER is not None
    root = _ledger_with_unstated_total(tmp_path)
    target = tmp_path / "l.journal"
    _export(cli, "hledger", target, "--data", str(root))
    checked = subprocess.run([HLEDGER, "-f", str(target), "check", "--strict"],
                             capture_output=True, text=True, check=False)
    assert (checked.returncode, checked.stderr) == (0, "")
    codes = subprocess.run([HLEDGER, "-f", str(target), "print", "code:U-1"],
                           capture_output=True, text=True, check=False).stdout
    assert "(U-1) (Paren) Trust, with / bars | On the ring-fence, paid late / partly" in codes


def test_year_end_counts_only_payments_made_by_the_year_end(cli: CliRunner,
                                                            tmp_path: Path) -> None:
    import json

    root = _ledger_with_unstated_total(tmp_path)
    result = invoke(cli, "year-end", "2017/18", "--data", str(root), "--format", "json")
    by_fund = json.loads(result.stdout)["sections"]["funds"]
    fence = next(r for r in by_fund["rows"] if r["part"] == "ring-fence r")
    assert (fence["committed"], fence["paid_by_year_end"], fence["outstanding_at_year_end"],
            fence["underspend"]) == ("100.00", "30.00", "70.00", "300.00")


def test_replacing_a_file_keeps_its_mode(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "ledger.beancount"
    target.write_text("old", "utf-8")
    target.chmod(0o640)
    _export(cli, "beancount", target, "--force")
    assert target.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "new.beancount"
    _export(cli, "beancount", fresh)
    mask = os.umask(0)
    os.umask(mask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_standard_output_is_a_clear_error() -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "pcc_ledger", "export", "hledger", "-"],
                                cwd=REPO, stdout=full, stderr=subprocess.PIPE, text=True,
                                check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(
        "pcc-ledger: error: cannot write the output: ")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
