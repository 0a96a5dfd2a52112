"""What `publish` adds for the Elected Local Policing Bodies (Specified Information) Order 2011:
the grants register (each crime and disorder reduction grant with its recipient, purpose,
reasons and conditions, by month of decision) and the decisions record, on the page and as
grants-register.csv and decisions.csv; exact, escaped, with no personal data, and reconciling
with `summary` to the penny."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from .conftest import REPO, invoke, write
from .test_page import _Page, _texts

GRANT_FUNDS = ["community-safety-fund", "your-community-your-choice", "pact-npt-small-grants",
               "pact-community-grants"]


@pytest.fixture
def shipped(cli: CliRunner, tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(REPO / "data", root)
    return root


def _publish(cli: CliRunner, root: Path, site: Path) -> Path:
    result = invoke(cli, "publish", str(site), "--data", str(root))
    assert result.exit_code == 0, result.output
    return site


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8"))))


def test_the_grants_register_csv_lists_each_grant_of_the_funds_that_require_details(
    cli: CliRunner, shipped: Path, tmp_path: Path
) -> None:
    site = _publish(cli, shipped, tmp_path / "site")
    rows = _rows(site / "grants-register.csv")
    assert rows[0] == ["Commitment", "Title", "Decided", "Month", "Decision", "Recipient",
                       "Recipient type", "Fund", "Financial years", "Amount", "Purpose",
                       "Reasons", "Conditions"]
    # Newest decision first, then by id: the round's eleven awards, then 2017/18's six. No
    # victims' grant (that fund does not set grant_details_required); no proposed or cancelled
    # commitment.
    assert [row[0] for row in rows[1:]] == [
        *(f"YCYC-2018-P{n:02d}" for n in (1, 2, 4, 6, 7, 8, 10, 13, 14, 16, 17)),
        "YCYC-2017-001", "YCYC-2017-002", "PACT-CG-2017-001", "PACT-NPT-2017-001",
        "CSF-2017-001", "CSF-2017-002"]
    assert rows[-2] == [
        "CSF-2017-001", "Youth diversion from offending", "2017-04-12", "2017-04",
        "Example decision 2017/01", "Example County Council Youth Justice Service",
        "local-authority", "Commissioner's Community Safety Fund", "2017/18", "180000.00",
        "Diverting young people at risk of offending into support and activities",
        "Young people diverted before a first offence are less likely to offend again",
        "Quarterly monitoring returns; Unspent funds are repaid at the end of the grant"]
    # A grant to a police officer: the recipient is shown by its kind, never a name.
    assert rows[-3][:10] == [
        "PACT-NPT-2017-001", "Kit for a grass-roots junior football club", "2017-06-01",
        "2017-06", "", "Individual Recipient", "police-officer",
        "PACT Neighbourhood Policing Team Small Grant Fund", "2017/18", "250.00"]
    assert sum(Decimal(row[9]) for row in rows[1:]) == Decimal("665650.50")


def test_the_decisions_csv_totals_what_each_decision_made(
    cli: CliRunner, shipped: Path, tmp_path: Path
) -> None:
    site = _publish(cli, shipped, tmp_path / "site")
    rows = _rows(site / "decisions.csv")
    assert rows[0] == ["Decision", "Date", "Commitments", "Transfers", "Committed",
                       "Transferred", "Total"]
    assert rows[1] == ["YCYC-2018", "2018-07-01", " ".join(
        f"YCYC-2018-P{n:02d}" for n in (1, 2, 4, 6, 7, 8, 10, 13, 14, 16, 17)), "",
        "57350.00", "0.00", "57350.00"]
    assert rows[2:5] == [
        ["Example decision 2018/09", "2018-04-16", "", "RES-2017-01", "0.00", "50000.00",
         "50000.00"],
        ["Example decision 2018/10", "2018-04-16", "", "CF-2017-01", "0.00", "20000.00",
         "20000.00"],
        ["Example decision 2017/33", "2017-10-16", "VS-2017-005", "", "10000.00", "0.00",
         "10000.00"],
    ]
    # The three-year grant's decision made the whole of it.
    assert ["Example decision 2017/12", "2017-06-01", "VS-2017-006", "", "120000.00", "0.00",
            "120000.00"] in rows
    assert len(rows) == 13
    committed = sum(Decimal(row[4]) for row in rows[1:])
    transferred = sum(Decimal(row[5]) for row in rows[1:])
    # Every approved commitment is in a decision but the two PACT grants, which record no
    # reference (£250 + £1,800): together, the 360Giving total of approved grants.
    assert committed + Decimal("2050.00") == Decimal("1372092.50")
    assert transferred == Decimal("80000.00")  # the three transfers
    assert sum(Decimal(row[6]) for row in rows[1:]) == committed + transferred


def test_the_register_reconciles_with_summary_to_the_penny(
    cli: CliRunner, shipped: Path, tmp_path: Path
) -> None:
    site = _publish(cli, shipped, tmp_path / "site")
    page = _Page()
    page.feed((site / "index.html").read_text("utf-8"))
    [years] = [t for t in page.tables if t.caption == "Grants register: charged to each year"]
    shown = {row[0]: row[1] for row in _texts(years.body)}
    assert shown == {"2017/18": "£608,300.50", "2018/19": "£57,350.00"}
    summary = json.loads(invoke(cli, "summary", "--data", str(shipped), "--format",
                                "json").stdout)
    for year, text in shown.items():
        section = summary["sections"][f"reconciliation-{year.replace('/', '-')}"]
        committed = sum(Decimal(row["committed"]) for row in section["rows"]
                        if row["fund"] in GRANT_FUNDS and row["part"] == "")
        assert text == f"£{committed:,}", year


def test_the_page_lists_the_grants_by_month_with_their_details(
    cli: CliRunner, shipped: Path, tmp_path: Path
) -> None:
    site = _publish(cli, shipped, tmp_path / "site")
    page = _Page()
    page.feed((site / "index.html").read_text("utf-8"))
    months = [t for t in page.tables if t.caption.startswith("Grants decided in ")]
    assert [t.caption for t in months] == [
        "Grants decided in July 2018", "Grants decided in September 2017",
        "Grants decided in July 2017", "Grants decided in June 2017",
        "Grants decided in April 2017"]
    assert [cell.text for cell in months[0].head] == [
        "Grant", "Decided", "Recipient", "Fund", "Amount", "Purpose", "Reasons", "Conditions"]
    assert _texts(months[-1].body)[0] == [
        "Youth diversion from offending (CSF-2017-001)", "2017-04-12",
        "Example County Council Youth Justice Service", "Commissioner's Community Safety Fund",
        "£180,000.00", "Diverting young people at risk of offending into support and activities",
        "Young people diverted before a first offence are less likely to offend again",
        "Quarterly monitoring returnsUnspent funds are repaid at the end of the grant"]
    assert _texts(months[-1].foot) == [["2 grants", "", "", "", "£600,000.00", "", "", ""]]
    assert _texts(months[3].body)[0][2] == "Individual Recipient"
    [decided] = [t for t in page.tables if t.caption == "Decisions"]
    assert _texts(decided.foot) == [["12 decisions", "", "", "", "£1,370,042.50", "£80,000.00",
                                     "£1,450,042.50"]]


def test_no_personal_data_and_every_text_escaped(cli: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "data"
    hostile = '<b onmouseover=alert(1)>&amp; "quoted"'
    write(root / "funds.yaml", """
        organisation: {name: Funder, publisher_prefix: 360G-TEST}
        objectives: {o: Objective}
        funds:
          f:
            name: Fund
            workstream: community-safety
            rules: {grant_details_required: true}
            allocations:
              2017/18: {amount: 1000, basis: t}
              2018/19: {amount: 1000, basis: t}
        """)
    write(root / "allocations" / "a.yaml", f"""
        commitments:
          - id: E-1
            fund: f
            years: {{2017/18: 100, 2018/19: 50.25}}
            recipient: {{name: PC Jane Smith 1234, type: police-officer, id: GB-PERSON-1234}}
            title: 'Title {hostile}'
            objective: o
            status: approved
            approved: 2017-05-01
            decision: '=Decision {hostile}'
            purpose: 'Purpose {hostile}'
            reasons: '@Reasons {hostile}'
            conditions: ['Condition {hostile}', '+second']
        """)
    site = _publish(cli, root, tmp_path / "site")
    for name in ("index.html", "cy/index.html", "grants-register.csv", "decisions.csv"):
        text = (site / name).read_text("utf-8")
        assert "Jane Smith" not in text and "GB-PERSON-1234" not in text, name
    html = (site / "index.html").read_text("utf-8")
    assert "<b " not in html
    page = _Page()
    page.feed(html)
    [month] = [t for t in page.tables if t.caption == "Grants decided in May 2017"]
    assert _texts(month.body) == [[
        f"Title {hostile} (2017/18 to 2018/19) (E-1)", "2017-05-01", "Individual Recipient",
        "Fund", "£150.25", f"Purpose {hostile}", f"@Reasons {hostile}",
        f"Condition {hostile}+second"]]
    # A grant over two years: listed once, whole; charged to each year as summary counts it.
    [years] = [t for t in page.tables if t.caption == "Grants register: charged to each year"]
    assert _texts(years.body) == [["2017/18", "£100.00"], ["2018/19", "£50.25"]]
    # The CSVs a spreadsheet opens never start a cell with a formula.
    [_, row] = _rows(site / "grants-register.csv")
    assert row[4] == f"'=Decision {hostile}" and row[11] == f"'@Reasons {hostile}"
    assert row[12] == f"Condition {hostile}; +second" and row[9] == "150.25"
    [_, decision] = _rows(site / "decisions.csv")
    assert decision == [f"'=Decision {hostile}", "2017-05-01", "E-1", "", "150.25", "0.00",
                        "150.25"]


def test_without_funds_that_require_details_the_register_says_so(
    cli: CliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "data"
    write(root / "funds.yaml", """
        organisation: {name: Funder, publisher_prefix: 360G-TEST}
        objectives: {o: Objective}
        funds:
          f: {name: Fund, workstream: victims, allocations: {2017/18: {amount: 100, basis: t}}}
        """)
    write(root / "allocations" / "a.yaml", """
        commitments:
          - {id: E-1, fund: f, year: 2017/18, recipient: {name: A, type: charity}, title: T,
             objective: o, amount: 10, status: approved, approved: 2017-05-01}
        """)
    site = _publish(cli, root, tmp_path / "site")
    html = (site / "index.html").read_text("utf-8")
    assert "No crime and disorder reduction grants have been made." in html
    assert "No decisions are recorded." in html
    assert "1 approved commitment (E-1) records no decision reference" in html
    assert _rows(site / "grants-register.csv") == [[
        "Commitment", "Title", "Decided", "Month", "Decision", "Recipient", "Recipient type",
        "Fund", "Financial years", "Amount", "Purpose", "Reasons", "Conditions"]]
    assert len(_rows(site / "decisions.csv")) == 1
