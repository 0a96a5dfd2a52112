"""The ledger as an Excel workbook: a sheet per report (summary, commitments, payments,
year-end), amounts as numeric cells in £, no formulas.

Every text cell is stored as a string, never a formula, and marked with a quote prefix, so a
recipient named `=HYPERLINK("http://x","y")` stays inert text in any spreadsheet.
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..ledger import Ledger
from ..reports import (
    CommitmentFilter,
    Report,
    commitments_report,
    payments_report,
    profile_report,
    reserves_report,
    summary_report,
    transfers_report,
)
from ..reports.table import Cell, Column
from ..reports.yearend import outturn_by_year_report
from ..scalars import FinancialYear

MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
PERCENT_FORMAT = '0.0"%"'
_SHEET_TITLE_LIMIT = 31  # Excel's limit on a sheet's name


def workbook_bytes(ledger: Ledger) -> bytes:
    reports = [
        ("Summary", summary_report(ledger, ledger.select(), with_reserves=False)[0]),
        ("Commitments", commitments_report(ledger, CommitmentFilter())),
        ("Payments", payments_report(ledger)),
        ("Year-end", outturn_by_year_report(ledger)),
        ("Transfers", transfers_report(ledger)),
        ("Reserves", reserves_report(ledger)),
        *[(f"Profile {str(year).replace('/', '-')}", profile_report(ledger, year))
          for year in _years_with_payments(ledger)],
    ]
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, report in reports:
        _write_sheet(book.create_sheet(title[:_SHEET_TITLE_LIMIT]), report)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _years_with_payments(ledger: Ledger) -> list[FinancialYear]:
    """The years a spend profile has something to show: planned or actual payments."""
    days = [
        day
        for entry in ledger.entries if entry.commitment.status == "approved"
        for day in [*(p.date for p in entry.commitment.schedule),
                    *(p.date for p in entry.commitment.payments)]
    ]
    years = {FinancialYear.containing(day) for day in days}
    return sorted(years)


def _write_sheet(sheet: Worksheet, report: Report) -> None:
    bold = Font(bold=True)
    for index, column in enumerate(report.columns, start=1):
        _put(sheet, 1, index, column.title, Column(column.title)).font = bold
    row_number = 1
    for row in report.rows:
        row_number += 1
        for index, (cell, column) in enumerate(zip(row, report.columns), start=1):
            _put(sheet, row_number, index, cell, column)
    for row in report.totals:
        row_number += 1
        for index, (cell, column) in enumerate(zip(row, report.columns), start=1):
            _put(sheet, row_number, index, cell, column).font = bold
    sheet.freeze_panes = "A2"
    for index, column in enumerate(report.columns, start=1):
        width = 16 if column.kind != "text" else min(60, max(
            [len(column.title)] + [len(str(row[index - 1] or "")) for row in report.rows]) + 2)
        sheet.column_dimensions[get_column_letter(index)].width = width


def _put(sheet: Worksheet, row: int, column_index: int, cell: Cell, column: Column) -> SheetCell:
    target = sheet.cell(row=row, column=column_index)
    assert isinstance(target, SheetCell)  # nothing here merges cells
    if cell is None:
        return target
    if column.kind in ("text", "date") or not isinstance(cell, (Decimal, int)):
        target.value = str(cell)
        target.data_type = "s"  # never a formula, whatever the text starts with
        target.quotePrefix = True
    elif column.kind == "money":
        target.value = Decimal(cell)
        target.number_format = MONEY_FORMAT
    elif column.kind == "percent":
        target.value = Decimal(cell).quantize(Decimal("0.1"), ROUND_HALF_UP)  # as elsewhere
        target.number_format = PERCENT_FORMAT
    else:
        target.value = cell
    return target
