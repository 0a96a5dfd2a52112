"""Reports a finance officer can read: fitted to the terminal, per-year totals, printed from
broken data (marked incomplete), provisional year-ends, and data formats that are data."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from pcc_ledger.render.rich_table import fit_reports, layout
from pcc_ledger.reports import Column, Report
from pcc_ledger.reports.yearend import SECTIONS

from .conftest import FIXTURES, REPO, SHIPPED_DATA, invoke, write

REPORTS = [
    ["summary"],
    ["summary", "--year", "2017/18"],
    ["year-end", "2017/18"],
    ["years"],
    ["funds"],
    ["commitments"],
    ["payments"],
    ["transfers"],
    ["profile", "--year", "2017/18"],
    ["rules"],
]
FIGURE = re.compile(r"-?£[\d,]+\.\d\d")
# Anything that starts like a figure: a figure split across lines leaves a piece of one
# (`£1,166,0` here, `00.00` there) that is not a whole figure.
FIGURE_START = re.compile(r"-?£[\d,.]*")


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _on_terminal(cli: CliRunner, monkeypatch: pytest.MonkeyPatch, width: int,
                 *args: str) -> str:
    """What a terminal `width` columns wide shows (Rich takes the width from COLUMNS)."""
    monkeypatch.setenv("COLUMNS", str(width))
    result = invoke(cli, *args, "--format", "table")
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("width", [80, 120, 200])
@pytest.mark.parametrize("args", REPORTS, ids=" ".join)
def test_every_report_fits_the_terminal_with_every_figure_whole(
        cli: CliRunner, monkeypatch: pytest.MonkeyPatch, width: int, args: list[str]) -> None:
    shown = _on_terminal(cli, monkeypatch, width, *args)
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "-" * 20 not in shown  # the compact layout, not the plain table's rules
    assert "…" not in shown  # nothing cut short by Rich: every cell fits its column
    starts = FIGURE_START.findall(shown)
    assert starts and all(FIGURE.fullmatch(s) for s in starts) or args == ["rules"]
    # Every figure shown is one the piped table has, whole.
    piped = invoke(cli, *args, "--format", "plain").stdout
    assert set(FIGURE.findall(shown)) <= set(FIGURE.findall(piped))


def test_the_summary_at_80_columns(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    shown = _on_terminal(cli, monkeypatch, 80, "summary", "--year", "2017/18")
    expected = (FIXTURES / "summary-2017-18-80.txt").read_text(encoding="utf-8")
    assert "\n".join(line.rstrip() for line in shown.splitlines()) + "\n" == expected


def test_the_year_end_funds_at_80_columns(cli: CliRunner,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    shown = _on_terminal(cli, monkeypatch, 80, "year-end", "2017/18", "--section", "funds")
    expected = (FIXTURES / "year-end-funds-80.txt").read_text(encoding="utf-8")
    assert "\n".join(line.rstrip() for line in shown.splitlines()) + "\n" == expected


def test_the_summary_at_120_columns_keeps_more(cli: CliRunner,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    shown = _on_terminal(cli, monkeypatch, 120, "summary", "--year", "2017/18")
    header = shown.splitlines()[1].split()
    assert header == ["Fund", "Allocation", "Revised", "Committed", "Paid", "Available",
                      "Forecast", "Used"]
    assert shown.rstrip().endswith(
        "Left out to fit 120 columns: Year, Forecast variance, Planned, Transfers in, \n"
        "Transfers out, Outstanding. `--wide` shows every column; piped output has them all."
    ) or "Left out to fit 120 columns: Year, Forecast variance, Planned, Transfers in, " \
        "Transfers out, Outstanding." in " ".join(shown.split())


def test_wide_shows_every_column(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = invoke(cli, "summary", "--year", "2017/18", "--format", "table", "--wide")
    header = result.stdout.splitlines()[1]
    assert header.split() == [
        "Fund", "Year", "Allocation", "In", "Out", "Revised", "Committed", "Planned", "Paid",
        "Outstanding", "Available", "Forecast", "Variance", "Used"]
    assert "Left out" not in result.stdout


def test_piped_output_keeps_every_column(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    piped = invoke(cli, "summary", "--year", "2017/18").stdout
    assert piped.splitlines()[2].split("  ")[0] == "Fund"
    for title in ("Forecast variance", "Transfers in", "Planned", "Outstanding", "Utilisation"):
        assert title in piped.splitlines()[2]


def test_ring_fences_are_indented_under_their_fund() -> None:
    report = Report("T", [Column("Fund"), Column("Part", under="Fund"),
                          Column("Amount", "money")],
                    [["vs", "", Decimal(3)], ["vs", "ring-fence csa", Decimal(1)],
                     ["vs", "unfenced", Decimal(2)]])
    console = Console(width=40, file=io.StringIO())
    fitted = fit_reports([report], 40)
    assert fitted is not None
    console.print(fitted.renderable)
    lines = [line.rstrip() for line in console.file.getvalue().splitlines()]  # type: ignore[attr-defined]
    assert lines[1:6] == [
        "Fund              Amount",
        "────────────────────────",
        "vs                 £3.00",
        "  ring-fence csa   £1.00",
        "  unfenced         £2.00",
    ]


def test_wide_characters_are_measured_as_the_terminal_draws_them() -> None:
    report = Report("T", [Column("Name"), Column("Amount", "money")],
                    [["北京社区" * 5, Decimal("49.00")]])
    natural = 2 * 20 + 2 + len("£49.00")  # each of these characters takes two cells
    plan = layout(report, natural)
    assert plan is not None and plan.widths == [40, 6]
    narrower = layout(report, natural - 1)
    assert narrower is not None and narrower.widths[0] < 40  # the name wraps; the figure not


def test_a_terminal_too_narrow_for_any_figure_gets_the_plain_table(
        cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "30")
    result = invoke(cli, "summary", "--year", "2017/18", "--format", "table")
    plain = (FIXTURES / "summary-2017-18.txt").read_text(encoding="utf-8")
    # Every table whole, as piped (for the terminal to wrap, never cut), and a note saying so.
    assert result.stdout.startswith(plain.rstrip("\n"))
    assert " ".join(result.stdout[len(plain):].split()) == (
        "Too wide for 30 columns, so printed whole: Reconciliation 2017/18, Reserves.")


# 2. Figures that mean something


def test_summary_totals_each_year_on_its_own(cli: CliRunner) -> None:
    result = invoke(cli, "summary", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    header = rows[0]
    totals = [dict(zip(header, row)) for row in rows[1:] if row[1].startswith(("Total", "Sub"))]
    # Every total row belongs to one year: none adds up money of two years.
    assert all(row["Year"] for row in totals)
    by_year = {row["Year"]: row["Allocation"] for row in totals
               if row["Fund"] in ("Total", "Subtotal, stated allocations")
               and row["Allocation"]}
    assert by_year == {"2012/13": "1553734.00", "2013/14": "1379000.00",
                       "2016/17": "1130178.00", "2017/18": "2022076.00",
                       "2018/19": "42000.00", "2019/20": "42000.00", "2020/21": "42000.00"}


def test_funds_adds_no_allocations_across_years(cli: CliRunner) -> None:
    listing = invoke(cli, "funds", "--format", "csv").stdout.splitlines()
    assert listing[0] == "Fund,Name,Work stream,Years,Rules"
    assert not any(line.startswith("Total") for line in listing)
    one_year = invoke(cli, "funds", "--year", "2017/18", "--format", "csv").stdout.splitlines()
    assert one_year[0] == "Fund,Name,Work stream,Years,Allocation,Rules"
    assert one_year[-1] == "Total (5 funds),,,,2022076.00,"


# 3. A broken record does not hide the report


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The shipped data, with one commitment of a bad amount and one file that does not parse."""
    root = tmp_path / "data"
    for path in SHIPPED_DATA.rglob("*"):
        if path.is_file():
            target = root / path.relative_to(SHIPPED_DATA)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    write(root / "allocations" / "2017-18" / "typo.yaml", """
        commitments:
          - {id: T-1, fund: victims-services, year: 2017/18, recipient: {name: R, type: charity},
             title: T, objective: support-victims, amount: 12,50, status: approved,
             approved: 2017-05-01}
        """)
    write(root / "allocations" / "2017-18" / "broken.yaml", "commitments: [\n")
    return root


INCOMPLETE = ("Incomplete: 1 commitment and 1 unreadable file not counted, 2 errors in the data; "
              "run `pcc-ledger check`.")


def test_funds_and_rules_never_depend_on_the_commitments(cli: CliRunner, broken: Path) -> None:
    funds = invoke(cli, "funds", "--data", str(broken))
    assert funds.exit_code == 0
    assert funds.stdout.startswith("Funds\n")
    assert "Incomplete" not in funds.stdout
    assert invoke(cli, "rules").exit_code == 0


def test_money_reports_print_what_could_be_read_marked_incomplete(cli: CliRunner,
                                                                  broken: Path) -> None:
    result = invoke(cli, "summary", "--data", str(broken), "--year", "2017/18",
                    "--format", "plain")
    assert result.exit_code == 1
    assert result.stdout.startswith(INCOMPLETE + "\n\nReconciliation 2017/18\n")
    assert "£626,442.00" in result.stdout  # the victims' commitments that could be read
    assert result.stderr == "pcc-ledger: 2 errors, 2 warnings in 9 files; `pcc-ledger check` " \
                            "lists them\n"


def test_incomplete_is_a_caption_on_a_terminal(cli: CliRunner, broken: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    result = invoke(cli, "commitments", "--data", str(broken), "--format", "table")
    assert result.exit_code == 1
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    total = max(n for n, line in enumerate(lines) if line.startswith("Total cancelled"))
    caption = next(n for n, line in enumerate(lines) if line.startswith("Incomplete:"))
    assert total < caption <= total + 2  # under the table, before its notes
    assert " ".join(lines[caption:caption + 2]).startswith(INCOMPLETE.split(";")[0])


def test_incomplete_is_a_field_in_json(cli: CliRunner, broken: Path) -> None:
    result = invoke(cli, "year-end", "2017/18", "--data", str(broken), "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["incomplete"] == {
        "errors": 2, "commitments_not_counted": 1, "transfers_not_counted": 0,
        "files_unread": 1, "folders_unread": 0,
        "message": INCOMPLETE}
    complete = json.loads(invoke(cli, "year-end", "2017/18", "--format", "json").stdout)
    assert complete["incomplete"] is None


def test_incomplete_goes_to_stderr_for_csv(cli: CliRunner, broken: Path) -> None:
    result = invoke(cli, "payments", "--data", str(broken), "--format", "csv")
    assert result.exit_code == 1
    assert "Incomplete" not in result.stdout
    assert result.stderr.startswith(f"pcc-ledger: {INCOMPLETE}\n")


def test_a_commitment_to_an_unknown_fund_is_counted_as_left_out(cli: CliRunner,
                                                              data_dir: Path) -> None:
    write(data_dir / "allocations" / "a.yaml", """
        commitments:
          - {id: A, fund: grantz, year: 2017/18, recipient: {name: A, type: charity}, title: T,
             objective: reduce-harm, amount: 100, status: approved, approved: 2017-05-01}
        """)
    result = invoke(cli, "summary", "--data", str(data_dir), "--format", "plain")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "Incomplete: 1 commitment not counted, 1 error in the data; run `pcc-ledger check`.")


def test_an_unreadable_funds_file_still_stops_the_report(cli: CliRunner, data_dir: Path) -> None:
    write(data_dir / "funds.yaml", "funds: [\n")
    result = invoke(cli, "summary", "--data", str(data_dir))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.endswith(
        f"pcc-ledger: {data_dir}/funds.yaml cannot be read, so no summary is printed; fix it "
        "first (`pcc-ledger check` lists every problem)\n")


# 4. A year that has not ended is provisional


def test_a_running_year_is_provisional(cli: CliRunner) -> None:
    result = invoke(cli, "year-end", "2017/18", "--as-of", "2017-10-01", "--format", "json")
    sections = json.loads(result.stdout)["sections"]
    funds = sections["funds"]
    assert funds["title"] == "Outturn 2017/18 by fund (provisional, as of 2017-10-01)"
    titles = [column["title"] for column in funds["columns"]]
    assert "Underspend" not in titles and "Remaining" in titles
    assert "Paid to date" in titles
    assert sections["open-commitments"]["title"] == (
        "Commitments open in 2017/18 (provisional, as of 2017-10-01)")
    assert funds["notes"][-1] == ("The year has not ended: figures are as of 2017-10-01. "
                                  "Remaining is what is not yet committed, not an underspend.")


def test_an_ended_year_is_not_provisional(cli: CliRunner) -> None:
    result = invoke(cli, "year-end", "2017/18", "--as-of", "2018-04-01", "--format", "json")
    funds = json.loads(result.stdout)["sections"]["funds"]
    assert funds["title"] == "Outturn 2017/18 by fund"
    assert "Underspend" in [column["title"] for column in funds["columns"]]


# 5. Data formats are data


def test_year_end_csv_is_one_table(cli: CliRunner) -> None:
    rows = list(csv.reader(io.StringIO(invoke(cli, "year-end", "2017/18", "--format",
                                              "csv").stdout)))
    assert rows[0][0] == "section"
    assert {len(row) for row in rows} == {len(rows[0])}
    # Every section with rows (no problem concerns 2017/18, so that one has none; it had no
    # public vote, so it has no rounds).
    assert list(dict.fromkeys(row[0] for row in rows[1:])) == [
        name for name in SECTIONS[:-1] if name != "rounds"]


def test_year_end_one_section(cli: CliRunner) -> None:
    result = invoke(cli, "year-end", "2017/18", "--format", "tsv", "--section", "awards")
    assert result.stdout.splitlines()[0] == "Fund\tAwards\tMaximum\tProposed\tCancelled"
    assert "\t12\t" in result.stdout  # Your Community, Your Choice: at most 12 awards


def test_an_unknown_section_is_a_usage_error(cli: CliRunner) -> None:
    result = invoke(cli, "year-end", "2017/18", "--section", "fundz")
    assert result.exit_code == 2
    assert result.stderr == ("pcc-ledger: error: --section: no section `fundz`; sections: "
                             + ", ".join(SECTIONS) + "\n")


def test_sections_are_listed_in_help(cli: CliRunner) -> None:
    shown = " ".join(invoke(cli, "year-end", "--help").stdout.split())
    assert all(name in shown for name in SECTIONS)


def test_year_end_json_is_one_object_of_sections(cli: CliRunner) -> None:
    document = json.loads(invoke(cli, "year-end", "2017/18", "--format", "json").stdout)
    assert list(document) == ["incomplete", "sections"]
    assert list(document["sections"]) == [name for name in SECTIONS if name != "rounds"]


def test_html_is_styled_like_the_page(cli: CliRunner) -> None:
    from pcc_ledger.render.stylesheet import STYLE

    page = invoke(cli, "summary", "--year", "2017/18", "--format", "html").stdout
    assert f"<style>{STYLE}" in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    foot = page[page.index("<tfoot>"):page.index("</tfoot>")]
    assert '<td data-label="Fund">Subtotal, stated allocations</td>' in foot
    assert '<td class="money" data-label="Committed">£1,232,692.50</td>' in foot
    assert re.findall("<caption>([^<]*)</caption>", page) == ["Reconciliation 2017/18",
                                                              "Reserves"]


@pytest.mark.parametrize(("text", "width", "indent", "lines"), [
    ("Example Health Board Substance", 12, 0, ["Example", "Health Board", "Substance"]),
    ("Example Health Board Substance", 11, 0, ["Example", "Health", "Board", "Substance"]),
    ("your-community-your-choice", 20, 0, ["your-community-your-", "choice"]),
    ("ring-fence child-sexual-abuse", 20, 2, ["  ring-fence child-", "  sexual-abuse"]),
    ("北京社区" * 2, 5, 0, ["北京", "社区", "北京", "社区"]),  # two cells a character
])
def test_names_wrap_at_spaces_and_hyphens_within_the_width(
        text: str, width: int, indent: int, lines: list[str]) -> None:
    from pcc_ledger.render.rich_table import wrap

    assert wrap(text, width, indent) == lines


def test_years_marks_a_running_year_provisional() -> None:
    from datetime import date

    from pcc_ledger.checking import check_directory
    from pcc_ledger.reports import years_report

    ledger = check_directory(str(SHIPPED_DATA), date(2017, 10, 1)).loaded.ledger
    assert ledger is not None
    report = years_report(ledger, "victims-services", date(2017, 10, 1))
    assert [row[1] for row in report.rows] == ["2017/18 (provisional)"]
    # As it stood that day, as year-end shows it: VS-2017-005 (£10,000) is approved on the
    # 16th, so not yet committed.
    assert report.rows[0][6] == Decimal("616442.00")
    assert report.notes[-1] == ("2017/18 has not ended (on 2017-10-01): the figures are "
                                "provisional, and the underspend is what is not yet committed.")
    closed = years_report(ledger, "victims-services", date(2018, 4, 1))
    assert [row[1] for row in closed.rows] == ["2017/18"]


# What a review found


def test_a_table_too_wide_for_any_layout_is_printed_whole_and_named() -> None:
    from datetime import date

    from pcc_ledger.checking import check_directory
    from pcc_ledger.reports import year_end_report
    from pcc_ledger.scalars import FinancialYear

    checked = check_directory(str(SHIPPED_DATA), date(2018, 4, 1))
    assert checked.loaded.ledger is not None
    reports = year_end_report(checked.loaded.ledger, FinancialYear(2017), checked.problems)
    console = Console(width=50, file=io.StringIO())
    console.print(fit_reports(reports, 50).renderable, crop=False)
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert " ".join(shown.split()).endswith(
        "Too wide for 50 columns, so printed whole: Outturn 2017/18 by work stream, Outturn "
        "2017/18 by fund, Transfers 2017/18, Reserves on 2018-03-31, Commitments open at the "
        "end of 2017/18, Reviews 2017/18.")
    assert re.search(r"Awards 2017/18 *\nFund", shown)  # the awards fit: a table of its own


def test_years_never_shows_utilisation_without_the_revised_allocation() -> None:
    from datetime import date

    from pcc_ledger.checking import check_directory
    from pcc_ledger.reports import years_report

    ledger = check_directory(str(SHIPPED_DATA), date(2018, 4, 1)).loaded.ledger
    assert ledger is not None
    for width in range(60, 200, 4):
        plan = layout(years_report(ledger), width)
        assert plan is not None
        titles = [shown.column.title for shown in plan.columns]
        assert "Utilisation" not in titles or "Revised" in titles, width


def test_summary_of_no_allocation_says_so(cli: CliRunner, data_dir: Path) -> None:
    write(data_dir / "funds.yaml", """
        organisation: {name: Test Office}
        objectives: {reduce-harm: Reduce harm}
        funds: {}
        """)
    result = invoke(cli, "summary", "--data", str(data_dir), "--format", "plain")
    assert result.exit_code == 0
    assert result.stdout.startswith("Reconciliation\n")
    assert result.stdout.rstrip().endswith("No fund has an allocation yet: add one to funds.yaml.")


def test_the_workbooks_running_year_is_provisional() -> None:
    from datetime import date

    from pcc_ledger.checking import check_directory
    from pcc_ledger.reports.yearend import outturn_by_year_report

    ledger = check_directory(str(SHIPPED_DATA), date(2017, 10, 1)).loaded.ledger
    assert ledger is not None
    by_year = {report.title: report for report in outturn_by_year_report(ledger,
                                                                        date(2017, 10, 1))}
    running = by_year["Outturn 2017/18"]
    assert {row[0] for row in [*running.rows, *running.totals]} == {"2017/18 (provisional)"}
    assert running.notes[-1] == ("2017/18 has not ended (on 2017-10-01): its figures are as "
                                 "on that day, and its underspend is what is not yet committed.")
    victims = next(row for row in running.rows if row[1] == "victims-services" and not row[2])
    assert victims[4] == Decimal("616442.00")  # committed on that day, as year-end shows
    assert {row[0] for row in by_year["Outturn 2016/17"].rows} == {"2016/17"}


def test_an_unreadable_folder_is_named_a_folder() -> None:
    from pcc_ledger.completeness import Incomplete

    assert Incomplete(1, 0, 0, 0, 1).message() == (
        "Incomplete: 1 unreadable folder not counted, 1 error in the data; run `pcc-ledger "
        "check`.")


def test_a_running_year_end_is_as_of_today(cli: CliRunner, data_dir: Path) -> None:
    from datetime import date, timedelta

    from pcc_ledger.scalars import FinancialYear

    today = date.today()
    year = FinancialYear.containing(today)
    later = today + timedelta(days=1)
    if later > year.last_day:
        pytest.skip("the last day of a financial year: no later day in it")
    write(data_dir / "funds.yaml", f"""
        organisation: {{name: Test Office}}
        objectives: {{reduce-harm: Reduce harm}}
        funds:
          f:
            name: F
            workstream: community-safety
            allocations:
              {year}: {{amount: 1000, basis: illustrative}}
        """)
    write(data_dir / "allocations" / "a.yaml", f"""
        commitments:
          - {{id: A, fund: f, year: {year}, recipient: {{name: A, type: charity}}, title: T,
             objective: reduce-harm, amount: 100, status: approved, approved: {today}}}
          - {{id: B, fund: f, year: {year}, recipient: {{name: B, type: charity}}, title: T,
             objective: reduce-harm, amount: 200, status: approved, approved: {later}}}
        """)
    result = invoke(cli, "year-end", str(year), "--data", str(data_dir), "--format", "json",
                    "--section", "funds")
    funds = json.loads(result.stdout)["sections"]["funds"]
    assert funds["title"] == f"Outturn {year} by fund (provisional, as of {today})"
    assert funds["rows"][0]["committed"] == "100.00"  # B is approved tomorrow
    assert funds["rows"][0]["remaining"] == "900.00"


def test_html_shows_percentages_without_a_terminals_bars(cli: CliRunner) -> None:
    page = invoke(cli, "year-end", "2017/18", "--format", "html", "--section", "funds").stdout
    assert '<td class="num" data-label="Utilisation">53.8%</td>' in page
    assert "█" not in page and "░" not in page


def test_a_year_charged_before_any_allocation_is_not_counted(cli: CliRunner,
                                                             data_dir: Path) -> None:
    # 2016/17 comes before every allocation of the fund: a mistake (unknown-year), not money
    # awaiting future funding, so the report says a commitment is not counted.
    write(data_dir / "allocations" / "a.yaml", """
        commitments:
          - {id: A, fund: grants, years: {2016/17: 100, 2017/18: 100},
             recipient: {name: A, type: charity}, title: T, objective: reduce-harm,
             status: approved, approved: 2016-05-01}
        """)
    result = invoke(cli, "summary", "--data", str(data_dir), "--format", "plain")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "Incomplete: 1 commitment not counted, 1 error in the data; run `pcc-ledger check`.")
