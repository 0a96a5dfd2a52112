"""The year-end, years, funds and commitments reports on the shipped data, with exact figures,
and the report formats (markdown, csv, tsv, json, html) with their safety rules."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from .conftest import REPO, invoke, write

D = Decimal


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _json(cli: CliRunner, *args: str) -> list[dict[str, object]]:
    result = invoke(cli, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    sections: dict[str, dict[str, object]] = json.loads(result.stdout)["sections"]
    return list(sections.values())


def _rows(report: dict[str, object]) -> list[dict[str, object]]:
    return report["rows"]  # type: ignore[return-value]


def test_year_end_outturn_by_work_stream(cli: CliRunner) -> None:
    streams = _json(cli, "year-end", "2017/18")[0]
    assert streams["title"] == "Outturn 2017/18 by work stream"
    # Allocations revised by the illustrative transfers: £50,000 of the Community Safety Fund
    # to the reserve, £20,000 of Your Community, Your Choice carried forward to 2018/19.
    assert [(r["work_stream"], r["revised_allocation"], r["committed"], r["paid_by_year_end"],
             r["outstanding_at_year_end"], r["underspend"], r["forecast"], r["utilisation"])
            for r in _rows(streams)] == [
        ("community-safety", "1116000.00", "600000.00", "240000.00", "360000.00", "516000.00",
         "600000.00", "53.8"),
        ("community-focused", "22000.00", "6250.50", "3500.00", "2750.50", "15749.50",
         "6250.50", "28.4"),
        ("community-focused (no stated allocation)", None, "2050.00", "2050.00", "0.00", None,
         "2050.00", None),
        ("victims", "814076.00", "626442.00", "353221.00", "273221.00", "187634.00",
         "626442.00", "77.0"),
    ]
    stated, unstated, total = streams["totals"]  # type: ignore[misc]
    assert (stated["revised_allocation"], stated["committed"], stated["underspend"]) == (
        "1952076.00", "1232692.50", "719383.50"
    )
    assert (unstated["committed"], total["committed"], total["paid_by_year_end"]) == (
        "2050.00", "1234742.50", "598771.00"
    )


def test_year_end_reconciles_with_summary(cli: CliRunner) -> None:
    by_fund = _json(cli, "year-end", "2017/18")[1]
    summary = _json(cli, "summary", "--year", "2017/18")[0]
    outturn = {(r["fund"], r["part"]): r for r in _rows(by_fund)}
    for row in _rows(summary):
        mine = outturn[(row["fund"], row["part"])]
        assert (mine["revised_allocation"], mine["committed"]) == (row["revised"],
                                                                   row["committed"])
        assert mine["underspend"] == row["available"]
    assert by_fund["totals"][-1]["committed"] == summary["totals"][-1]["committed"]  # type: ignore[index]


def test_year_end_breakdowns_add_up_to_the_committed_total(cli: CliRunner) -> None:
    reports = _json(cli, "year-end", "2017/18")
    titles = [r["title"] for r in reports]
    assert titles == [
        "Outturn 2017/18 by work stream", "Outturn 2017/18 by fund", "Transfers 2017/18",
        "Reserves on 2018-03-31", "2017/18 by plan objective", "2017/18 by recipient type",
        "2017/18 by service category", "Awards 2017/18", "Commitments open at the end of 2017/18",
        "Reviews 2017/18", "Problems concerning 2017/18",
    ]
    for breakdown in reports[4:7]:
        total = breakdown["totals"][0]  # type: ignore[index]
        assert (total["awards"], total["committed"]) == (11, "1234742.50")
        assert sum(D(r["committed"]) for r in _rows(breakdown)) == D("1234742.50")
    objectives = {r["objective"]: r["committed"] for r in _rows(reports[4])}
    assert objectives == {
        "Build effective partnerships": "3000.50",
        "Deliver an effective response": "520000.00",
        "Prevent crime": "185300.00",
        "Reduce harm and the risk of harm": "526442.00",  # with the 2017/18 year of VS-2017-006
    }
    awards = {r["fund"]: (r["awards"], r["maximum"], r["proposed"], r["cancelled"])
              for r in _rows(reports[7])}
    assert awards["your-community-your-choice"] == (2, 12, 1, 0)
    assert awards["community-safety-fund"] == (2, None, 0, 1)
    open_total = reports[8]["totals"][0]  # type: ignore[index]
    assert (open_total["id"], open_total["outstanding"]) == ("Total (5 open)", "635971.50")
    reviewed = reports[9]["totals"][0]  # type: ignore[index]
    assert (reviewed["approved"], reviewed["reviewed"], reviewed["overdue"]) == (11, 11, 0)
    assert _rows(reports[10]) == []  # the future-funding warnings concern 2018/19 and 2019/20
    # In and out of the year's allocations: the virement is both (within victims-services);
    # the totals are the transfer columns of `summary --year 2017/18`.
    moved = {r["id"]: (r["kind"], r["in"], r["out"]) for r in _rows(reports[2])}
    assert moved == {"VIR-2017-01": ("virement", "10000.00", "10000.00"),
                     "RES-2017-01": ("reserve transfer", None, "50000.00"),
                     "CF-2017-01": ("carry-forward", None, "20000.00")}
    total = reports[2]["totals"][0]  # type: ignore[index]
    assert (total["in"], total["out"]) == ("10000.00", "80000.00")
    # The reserve at the year end: the underspend went into it on 2018-04-16, after.
    assert [(r["reserve"], r["opening"], r["transfers_in"], r["balance"])
            for r in _rows(reports[3])] == [
        ("community-safety-reserve", "0.00", "0.00", "0.00")]


def test_year_end_lists_the_years_warnings(cli: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "data"
    write(root / "funds.yaml", """
        organisation: {name: Test}
        objectives: {o: O}
        funds:
          f:
            name: F
            workstream: victims
            allocations:
              2017/18:
                amount: 1000
                basis: test
                ring_fences: {r: {name: R, amount: 400, must_spend: true}}
              2018/19: {amount: 1000, basis: test}
        """)
    problems = _json(cli, "year-end", "2017/18", "--data", str(root))[-1]
    assert [(r["severity"], r["rule"], r["where"]) for r in _rows(problems)] == [
        ("warning", "unspent-allocation", f"{root}/funds.yaml:9:17"),
        ("warning", "unspent-ring-fence", f"{root}/funds.yaml:11:44"),
    ]


def test_year_end_of_a_year_not_in_the_data(cli: CliRunner) -> None:
    result = invoke(cli, "year-end", "2030/31")
    assert (result.exit_code, result.stderr) == (
        2, "pcc-ledger: error: FY: no fund has an allocation for 2030/31; years in the data: "
        "2012/13, 2013/14, 2016/17, 2017/18, 2018/19, 2019/20, 2020/21\n"
    )
    assert invoke(cli, "year-end", "2017-18").exit_code == 2


def test_years_shows_each_change_on_the_year_before(cli: CliRunner) -> None:
    rows = _rows(_json(cli, "years", "--fund", "community-safety-fund")[0])
    assert [(r["year"], r["allocation"], r["change"], r["change_%"]) for r in rows] == [
        ("2012/13", "1553734.00", None, None),
        ("2013/14", "1379000.00", "-174734.00", "-11.2"),
        ("2016/17", "1130178.00", "-248822.00", "-18.0"),
        ("2017/18", "1166000.00", "35822.00", "3.2"),
    ]
    every = _rows(_json(cli, "years")[0])
    assert len(every) == 17
    assert {r["year"] for r in every} == {
        "2012/13", "2013/14", "2016/17", "2017/18", "2018/19", "2019/20", "2020/21"
    }


def test_funds_listing(cli: CliRunner) -> None:
    listing = _json(cli, "funds")[0]
    # No money column across years: a fund's allocations of four years add up to nothing
    # anybody can spend.
    assert [(r["fund"], r["years"]) for r in _rows(listing)] == [
        ("community-safety-fund", "2012/13 to 2017/18 (4)"),
        ("your-community-your-choice", "2017/18 to 2020/21 (4)"),
        ("pact-npt-small-grants", "2017/18 to 2020/21 (4)"),
        ("pact-community-grants", "2017/18 to 2020/21 (4)"),
        ("victims-services", "2017/18"),
    ]
    assert listing["totals"] == []
    assert _rows(listing)[2]["rules"] == ("awards up to £250.00; only to police-officer; "
                                          "purpose, reasons and conditions required")
    one_year = _json(cli, "funds", "--year", "2018/19")[0]
    assert [(r["fund"], r["allocation"]) for r in _rows(one_year)] == [
        ("your-community-your-choice", "42000.00"), ("pact-npt-small-grants", None),
        ("pact-community-grants", None)
    ]
    assert one_year["totals"][0]["allocation"] == "42000.00"  # type: ignore[index]


# The commitments the illustrative 2018/19 round made, in id order.
ROUND_WINNERS = [f"YCYC-2018-P{n:02d}" for n in (1, 2, 4, 6, 7, 8, 10, 13, 14, 16, 17)]


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        ([], ["CSF-2017-001", "CSF-2017-002", "CSF-2017-003", "YCYC-2017-001", "YCYC-2017-002",
              "YCYC-2017-003", "PACT-NPT-2017-001", "PACT-CG-2017-001", "VS-2017-001",
              "VS-2017-002", "VS-2017-003", "VS-2017-004", "VS-2017-005", "VS-2017-006",
              # the winners of the 2018/19 round, then the three-year grant's later years (one
              # row for each year of it)
              *ROUND_WINNERS, "VS-2017-006", "VS-2017-006"]),
        (["--fund", "victims-services", "--status", "approved"],
         ["VS-2017-001", "VS-2017-002", "VS-2017-003", "VS-2017-005", "VS-2017-006",
          "VS-2017-006", "VS-2017-006"]),
        (["--ring-fence", "child-sexual-abuse"], ["VS-2017-001", "VS-2017-002", "VS-2017-005"]),
        (["--category", "advocacy"], ["VS-2017-006", "VS-2017-006", "VS-2017-006"]),
        (["--recipient-type", "police-officer"], ["PACT-NPT-2017-001"]),
        (["--open", "--fund", "victims-services"],
         ["VS-2017-002", "VS-2017-003", "VS-2017-006", "VS-2017-006"]),
        # On 2017-09-30 VS-2017-005 was not yet approved, and less was paid.
        (["--open", "--fund", "victims-services", "--as-of", "2017-09-30"],
         ["VS-2017-001", "VS-2017-002", "VS-2017-003", "VS-2017-006", "VS-2017-006",
          "VS-2017-006"]),
        (["--objective", "partnerships"], ["CSF-2017-003", "YCYC-2017-002", "PACT-NPT-2017-001",
                                           "YCYC-2018-P04", "YCYC-2018-P08"]),
        (["--recipient", "EXAMPLE victim"], ["VS-2017-003"]),
        (["--year", "2018/19"], [*ROUND_WINNERS, "VS-2017-006"]),
        (["--year", "2020/21"], []),
    ],
)
def test_commitments_filters(cli: CliRunner, filters: list[str], ids: list[str]) -> None:
    # Sorted by year, then fund in funds.yaml order, then id.
    rows = _rows(_json(cli, "commitments", *filters)[0])
    assert [r["id"] for r in rows] == ids


def test_no_matching_commitments_says_so(cli: CliRunner) -> None:
    report = _json(cli, "commitments", "--year", "2020/21")[0]
    assert (report["rows"], report["totals"], report["notes"]) == (
        [], [], ["No commitments match."])


def test_commitments_totals_per_status(cli: CliRunner) -> None:
    totals = _json(cli, "commitments")[0]["totals"]
    assert [(t["id"], t["amount"], t["paid"], t["outstanding"]) for t in totals] == [  # type: ignore[union-attr]
        # Twenty-four rows: twenty-two commitments, one of them over three years.
        ("Total approved (24)", "1372092.50", "605271.00", "766821.50"),
        ("Total proposed (2)", "64000.00", None, None),
        ("Total cancelled (1)", "35000.00", None, None),
    ]


def test_listing_usage_errors(cli: CliRunner) -> None:
    assert invoke(cli, "commitments", "--status", "paid").exit_code == 2
    result = invoke(cli, "commitments", "--objective", "harm")
    assert (result.exit_code, result.stderr) == (
        2, "pcc-ledger: error: --objective: no objective `harm`; objectives: prevent-crime, "
        "effective-response, reduce-harm, partnerships\n"
    )


def _hostile_data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    write(root / "funds.yaml", """
        organisation: {name: Test}
        objectives: {o: O}
        checks: {review-overdue: off}  # not what the tests of this data are about
        funds:
          f: {name: F, workstream: victims, allocations: {2017/18: {amount: 1000, basis: t}}}
        """)
    write(root / "allocations" / "a.yaml", """
        commitments:
          - id: H-1
            fund: f
            year: 2017/18
            recipient: {name: '=HYPERLINK("http://x","y")', type: charity}
            title: <script>alert(1)</script>
            objective: o
            amount: 10
            status: approved
            approved: 2017-05-01
          - id: H-2
            fund: f
            year: 2017/18
            recipient: {name: "+cmd|' /C calc'!A0", type: charity}
            title: "-2+3 | pipes"
            objective: o
            amount: 20
            status: proposed
          - id: H-3
            fund: f
            year: 2017/18
            recipient: {name: "<script>alert(1)</script>", type: charity}
            title: Over the allocation, so available is negative
            objective: o
            amount: 2000
            status: approved
            approved: 2017-05-02
          - id: H-4
            fund: f
            year: 2017/18
            recipient: {name: "@SUM(A1)", type: charity}
            title: T
            objective: o
            amount: 1
            status: proposed
          - id: H-5
            fund: f
            year: 2017/18
            recipient: {name: "-2+3 Group", type: charity}
            title: T
            objective: o
            amount: 1
            status: proposed
        """)
    return root


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_delimited_output_neutralises_formulas_but_not_figures(
    cli: CliRunner, tmp_path: Path, fmt: str
) -> None:
    root = _hostile_data(tmp_path)
    text = invoke(cli, "commitments", "--data", str(root), "--format", fmt).stdout
    rows = list(csv.reader(io.StringIO(text), dialect="excel" if fmt == "csv" else "excel-tab"))
    assert rows[0][:5] == ["ID", "Fund", "Year", "Ring-fence", "Recipient"]
    assert [row[4] for row in rows[1:6]] == [
        "'=HYPERLINK(\"http://x\",\"y\")", "'+cmd|' /C calc'!A0", "<script>alert(1)</script>",
        "'@SUM(A1)", "'-2+3 Group"]
    assert rows[1][10] == "10.00"  # Amount, after Status and Stage
    summary = invoke(cli, "summary", "--data", str(root), "--format", fmt).stdout
    over = list(csv.reader(io.StringIO(summary), dialect="excel" if fmt == "csv" else "excel-tab"))
    # A negative figure (over-committed) is a number, never prefixed.
    assert over[1][3:9] == ["1000.00", "2010.00", "22.00", "0.00", "2010.00", "-1010.00"]


def test_neutralise_covers_every_formula_start() -> None:
    from pcc_ledger.render.data import neutralise

    for text in ("=1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    for text in ("1", "a=1", " =1", "£5", ""):
        assert neutralise(text) == text


def test_html_escapes_every_text_from_the_data(cli: CliRunner, tmp_path: Path) -> None:
    root = _hostile_data(tmp_path)
    page = invoke(cli, "commitments", "--data", str(root), "--format", "html").stdout
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the recipient, shown as text
    cells: list[str] = []

    class Cells(HTMLParser):
        def handle_data(self, data: str) -> None:
            cells.append(data)

    Cells().feed(page)
    assert '=HYPERLINK("http://x","y")' in cells
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')


def test_markdown_escapes_pipes(cli: CliRunner, tmp_path: Path) -> None:
    root = _hostile_data(tmp_path)
    table = invoke(cli, "commitments", "--data", str(root), "--format", "markdown").stdout
    line = next(row for row in table.splitlines() if row.startswith("| H-2"))
    assert "+cmd\\|' /C calc'!A0" in line
    line = next(row for row in table.splitlines() if row.startswith("| H-3"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in line and "<script>" not in table
    assert table.startswith("## Commitments\n\n| ID ")


def test_json_amounts_are_decimal_strings(cli: CliRunner) -> None:
    report = _json(cli, "summary", "--fund", "victims-services")[0]
    assert _rows(report)[0]["allocation"] == "814076.00"
    assert [c["kind"] for c in report["columns"]][:4] == ["text", "text", "text", "money"]  # type: ignore[index]
