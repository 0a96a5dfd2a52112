"""The workbook an accountant would keep, read back with openpyxl: date cells, percentages as
fractions, a plain data range under one frozen header with the totals (bold) and the notes
outside it, an autofilter on every sheet, and a landscape page one page wide."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from pcc_ledger.cli import app
from pcc_ledger.export import xlsx
from pcc_ledger.ledger import Ledger
from pcc_ledger.loader import load
from pcc_ledger.reports import Report, summary_report
from pcc_ledger.reports.table import Column

from .conftest import SHIPPED_DATA, new_runner

D = Decimal
MONEY = '"£"#,##0.00;-"£"#,##0.00'
PENNY = D("0.01")


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    result = load(str(SHIPPED_DATA))
    assert result.ledger is not None
    return result.ledger


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    """The shipped data exported by the CLI, as a user would, and read back."""
    target = tmp_path_factory.mktemp("workbook") / "ledger.xlsx"
    with pytest.MonkeyPatch.context() as patch:
        for name in ("PCC_LEDGER_DATA", "NO_COLOR", "GITHUB_ACTIONS", "FORCE_COLOR"):
            patch.delenv(name, raising=False)
        result = new_runner().invoke(
            app, ["export", "xlsx", str(target), "--data", str(SHIPPED_DATA)],
            catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(target)


def _reports(built: Report | list[Report]) -> list[Report]:
    return built if isinstance(built, list) else [built]


def _data_end(sheet: Worksheet) -> int:
    """The last row of the data range, as the autofilter says."""
    ref = sheet.auto_filter.ref
    assert ref is not None and ref.startswith("A1:")
    return int("".join(ch for ch in ref.split(":")[1] if ch.isdigit()))


def _column(sheet: Worksheet, title: str) -> int:
    return [cell.value for cell in sheet[1]].index(title) + 1


def _values(sheet: Worksheet, first: int, last: int, column: int) -> Iterator[SheetCell]:
    for (cell,) in sheet.iter_rows(min_row=first, max_row=last, min_col=column,
                                   max_col=column):
        assert isinstance(cell, SheetCell)
        yield cell


def _pounds(value: object) -> Decimal:
    """A money cell read back (a float) as the pence it was written with."""
    assert isinstance(value, (int, float)), value
    return D(str(value)).quantize(PENNY)


def _empty(sheet: Worksheet, row: int) -> bool:
    return all(cell.value is None for cell in sheet[row])


def test_dates_are_date_cells(book: Workbook, ledger: Ledger) -> None:
    commitments = book["Commitments"]
    approved = _column(commitments, "Approved")
    cell = commitments.cell(row=2, column=approved)
    assert commitments.cell(row=2, column=1).value == "CSF-2017-001"
    assert (cell.data_type, cell.value, cell.number_format) == (
        "d", datetime(2017, 4, 12), "yyyy-mm-dd")
    cancelled = next(row for row in commitments.iter_rows(min_row=2)
                     if row[_column(commitments, "Status") - 1].value == "cancelled")
    assert cancelled[approved - 1].value is None  # no date: an empty cell, not text
    payments = book["Payments"]
    days = list(_values(payments, 2, _data_end(payments), _column(payments, "Date")))
    assert all(isinstance(c.value, datetime) and c.number_format == "yyyy-mm-dd" for c in days)
    expected = sorted(p.date for entry in ledger.entries for p in entry.commitment.payments)
    assert sorted(c.value.date() for c in days if isinstance(c.value, datetime)) == expected
    moved = book["Transfers"].cell(row=2, column=2)
    assert (moved.value, moved.number_format) == (datetime(2017, 10, 2), "yyyy-mm-dd")


def test_percentages_are_fractions_with_a_percent_format(book: Workbook, ledger: Ledger) -> None:
    reports = _reports(summary_report(ledger, ledger.select(), with_reserves=False))
    key = slice(0, 3)  # fund, year, part
    expected = {tuple(row[key]): row[-1] for report in reports for row in report.rows}
    summary = book["Summary"]
    utilisation = _column(summary, "Utilisation")
    assert summary.cell(row=1, column=utilisation).alignment.horizontal == "right"
    checked = 0
    for row in summary.iter_rows(min_row=2, max_row=_data_end(summary)):
        shown = expected[tuple(cell.value or "" for cell in row[key])]
        cell = row[utilisation - 1]
        if shown is None:
            assert cell.value is None
            continue
        assert isinstance(shown, Decimal) and isinstance(cell.value, (int, float))
        assert cell.number_format == "0.0%"
        assert abs(cell.value - float(shown / 100)) < 1e-12, (shown, cell.value)
        checked += int(shown != 0)
    assert checked >= 3
    # 51.5 % was once written as 51.5 with a literal "%": a fraction now, at most 100 % here.
    assert all(0 <= c.value <= 1.0 for c in _values(summary, 2, _data_end(summary), utilisation)
               if isinstance(c.value, float))


def test_every_sheet_is_a_plain_table_with_the_totals_below_it(book: Workbook) -> None:
    assert book.sheetnames[:6] == ["Summary", "Commitments", "Payments", "Year-end",
                                   "Transfers", "Reserves"]
    assert any(name.startswith("Profile ") for name in book.sheetnames)
    for sheet in book.worksheets:
        header = sheet[1]
        last = len(header)
        end = _data_end(sheet)
        assert sheet.auto_filter.ref == f"A1:{header[-1].column_letter}{end}", sheet.title
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b and cell.data_type == "s" for cell in header)
        for cell in header:
            money = sheet.cell(row=2, column=cell.column).number_format == MONEY
            if money:
                assert cell.alignment.horizontal == "right", (sheet.title, cell.value)
                width = sheet.column_dimensions[cell.column_letter].width
                assert width >= 16
        assert all(not _empty(sheet, row) for row in range(2, end + 1)), sheet.title
        assert _empty(sheet, end + 1), f"{sheet.title}: no blank row above the totals"
        totals = end + 2
        assert not _empty(sheet, totals)
        row = totals
        while row <= sheet.max_row and not _empty(sheet, row):
            cells = [cell for cell in sheet[row][:last] if cell.value is not None]
            assert all(cell.font.b for cell in cells), (sheet.title, row)
            row += 1
        # The print layout: landscape, one page wide, the header on every page.
        assert sheet.page_setup.orientation == "landscape"
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr is not None
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
    assert book["Commitments"].column_dimensions["K"].width == 16  # Amount


def test_the_data_range_adds_up_to_the_totals_to_the_penny(
    book: Workbook, ledger: Ledger
) -> None:
    reports = _reports(summary_report(ledger, ledger.select(), with_reserves=False))
    paid_column = [column.title for column in reports[0].columns].index("Paid")
    paid = sum((row[paid_column] for report in reports for row in report.totals
                if row[0] == "Total" and isinstance(row[paid_column], Decimal)), D(0))
    assert paid == D("605271.00")  # the shown summary figure

    payments = book["Payments"]
    amount, end = _column(payments, "Amount"), _data_end(payments)
    assert sum(_pounds(c.value) for c in _values(payments, 2, end, amount)) == paid
    assert _pounds(payments.cell(row=end + 2, column=amount).value) == paid

    # A ring-fenced fund is its parts in the data range, not its parts and its own row: a
    # plain SUM of any column is the sum of the years' totals.
    for sheet_name, title in (("Summary", "Paid"), ("Year-end", "Paid by year end")):
        sheet = book[sheet_name]
        column, end = _column(sheet, title), _data_end(sheet)
        data = sum(_pounds(row[column - 1].value)
                   for row in sheet.iter_rows(min_row=2, max_row=end)
                   if row[column - 1].value is not None)
        total_rows = [row for row in range(end + 2, sheet.max_row + 1)
                      if "Total" in (sheet.cell(row=row, column=1).value,
                                     sheet.cell(row=row, column=2).value)]
        assert total_rows
        assert sum(_pounds(sheet.cell(row=row, column=column).value)
                   for row in total_rows) == data == paid, sheet_name
    summary = book["Summary"]
    part, fund = _column(summary, "Part"), _column(summary, "Fund")
    victims = [row[part - 1].value for row in summary.iter_rows(min_row=2)
               if row[fund - 1].value == "victims-services"]
    assert victims == ["ring-fence child-sexual-abuse", "unfenced"]

    commitments = book["Commitments"]
    amount, status, end = (_column(commitments, "Amount"), _column(commitments, "Status"),
                           _data_end(commitments))
    approved = sum(_pounds(row[amount - 1].value)
                   for row in commitments.iter_rows(min_row=2, max_row=end)
                   if row[status - 1].value == "approved")
    total = next(row for row in commitments.iter_rows(min_row=end + 2)
                 if str(row[0].value).startswith("Total approved"))
    assert approved == _pounds(total[amount - 1].value) == D("1372092.50")


def test_the_notes_are_kept_below_the_totals(book: Workbook, ledger: Ledger) -> None:
    reports = _reports(summary_report(ledger, ledger.select(), with_reserves=False))
    notes = list(dict.fromkeys(note for report in reports for note in report.notes))
    assert any("illustrative" in note for note in notes)
    assert any(note.startswith("No allocation is stated") for note in notes)
    summary = book["Summary"]
    column = [str(cell.value) for cell in _values(summary, 1, summary.max_row, 1)]
    assert column[-len(notes):] == notes  # each once, in order, at the foot
    first = summary.max_row - len(notes) + 1
    assert _empty(summary, first - 1)
    assert summary.cell(row=first, column=1).font.i
    assert first - 1 > _data_end(summary) + 1  # below the totals
    profile = next(sheet for sheet in book.worksheets if sheet.title.startswith("Profile "))
    assert str(profile.cell(row=profile.max_row, column=1).value).startswith("Planned: ")


def test_a_sheet_of_several_reports_and_formula_like_text(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet takes reports with the same columns (the summary has one a year): one data
    range, then all their totals, then their notes once. Text stays text, whatever it is."""
    columns = [Column("Name"), Column("Day", "date"), Column("Amount", "money"),
               Column("Share", "percent"), Column("Count", "count")]
    hostile = ['=HYPERLINK("http://x","y")', "=1+1", "#N/A", "+cmd|' /C calc'!A0",
               " padded ", "a & b <c>", "TRUE", "0042"]
    first = Report("Year 1", columns, [
        [text, date(2020, 1, 1), D("1.10"), D("51.5"), 3] for text in hostile],
        totals=[["Total", None, D("8.80"), None, 24]], notes=["Illustrative.", "Shared."])
    second = Report("Year 2", columns, [["plain", None, D("-0.30"), D("0"), 0]],
                    totals=[["Total", None, D("-0.30"), "n/a", 0]], notes=["Shared."])
    monkeypatch.setattr(xlsx, "_sheets", lambda *_: iter([("Two years", lambda: [first, second]),
                                                         ("Nothing", lambda: []),
                                                         ("One", lambda: second)]))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.workbook_bytes(ledger)))
    assert book.sheetnames == ["Two years", "One"]  # no report, no sheet
    sheet = book["Two years"]
    assert sheet.auto_filter.ref == "A1:E10"
    names = [cell.value for cell in _values(sheet, 2, 9, 1)]
    assert names == hostile
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in _values(sheet, 1, 10, 1))
    share = sheet.cell(row=2, column=4)
    assert (share.value, share.number_format) == (0.515, "0.0%")
    assert sheet.cell(row=10, column=4).value == 0
    assert sheet.cell(row=10, column=2).value is None
    assert _empty(sheet, 11)
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=12)] == [
        ["Total", None, 8.8, None, 24], ["Total", None, -0.3, "n/a", 0],
        [None] * 5, ["Illustrative.", None, None, None, None], ["Shared.", None, None, None, None]]
    assert all(c.font.b for c in sheet[12] if c.value is not None)
    assert sheet.cell(row=12, column=3).number_format == MONEY
    assert (sheet.cell(row=13, column=4).data_type, sheet.cell(row=13, column=4).quotePrefix) == (
        "s", True)  # text among figures is text too
    assert sheet.oddHeader.center.text == "Two years"  # titles differ: the sheet's name
    assert book["One"].oddHeader.center.text == "Year 2"
    assert book["One"].auto_filter.ref == "A1:E2"


def test_the_workbook_is_a_well_formed_package(book: Workbook, tmp_path: Path,
                                               ledger: Ledger) -> None:
    """Every part parses as XML and every sheet the workbook names is there."""
    import zipfile
    from xml.etree import ElementTree

    data = xlsx.workbook_bytes(ledger)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        for name in names:
            ElementTree.fromstring(archive.read(name))
    assert "[Content_Types].xml" in names and "xl/styles.xml" in names
    assert sum(name.startswith("xl/worksheets/sheet") for name in names) == len(book.sheetnames)


def test_figures_are_written_exactly_as_far_as_a_spreadsheet_can_keep_them() -> None:
    from decimal import Decimal

    from pcc_ledger.export.xlsx import _cell_writer

    money, percent = _cell_writer("money", total=False), _cell_writer("percent", total=False)

    def figure(write, value: str) -> str:  # type: ignore[no-untyped-def]
        return write("B7", Decimal(value)).split("<v>")[1].split("</v>")[0]

    assert money("B7", Decimal("1035.50")) == '<c r="B7" s="2"><v>1035.50</v></c>'
    assert figure(money, "123456789012345.67") == "123456789012345.67"  # 17 digits: all kept
    assert figure(money, "1.123456789012345678901") == "1.1234567890123457"  # a double's 17
    assert figure(money, "-15.25") == "-15.25"
    assert figure(money, "-0.00") == "0.00"  # no negative zero in a sheet
    assert figure(percent, "51.5") == "0.515"
    assert figure(percent, "33.333333333333333333333") == "0.33333333333333333"
