"""The ledger as an Excel workbook an accountant would keep: a sheet per report (summary,
commitments, payments, year-end, transfers, reserves, a spend profile per year), no formulas.

Each sheet is a plain table: one header row (bold; figure headers right-aligned), then the data
rows and nothing else, so an autofilter, a SUM over a column or a pivot never counts a total
twice. The totals follow after a blank row, in bold, and the report's notes (illustrative data,
funds with no stated allocation, ...) below them. The header row is frozen and repeats on every
printed page; a sheet prints landscape on A4, one page wide.

Amounts are numbers in £, percentages fractions shown as `0.0%` (51.5 % is 0.515), dates real
date cells shown as `yyyy-mm-dd`. Every text cell is stored as a string, never a formula, and
marked with a quote prefix, so a recipient named `=HYPERLINK("http://x","y")` stays inert text
in any spreadsheet.

The SpreadsheetML is written here, a sheet at a time straight into the zip, rather than through
a library: 100,000 commitments make over two million cells, and the libraries were measured at
some 20 µs a cell (openpyxl, write-only mode with named styles) and 5 µs (XlsxWriter in its
constant-memory mode), so the cells alone would take 10 to 50 s; here they take about one.
What is written is a small, fixed part of the format (inline strings, numbers, dates, a dozen
cell formats, an autofilter, a frozen pane, page set-up); the tests read every workbook back
with openpyxl, and LibreOffice opens and prints it. Only one sheet's reports are held at a time.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Context, Decimal
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from ..ledger import Ledger
from ..reports import (
    CommitmentFilter,
    Report,
    commitments_report,
    payments_report,
    reserves_report,
    summary_report,
    transfers_report,
)
from ..reports.profile import SpendProfiles
from ..reports.table import Cell, Column, Kind
from ..reports.yearend import outturn_by_year_report
from ..scalars import FinancialYear

MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
COUNT_FORMAT = "#,##0"  # one of Excel's built-in formats, number 3
_SHEET_TITLE_LIMIT = 31  # Excel's limit on a sheet's name
_TEXT_WIDTH_LIMIT = 60  # characters; longer text is cut off on screen, not in the cell
_ROWS_PER_WRITE = 2000
_COMPRESSION = 1  # zlib's fastest: a second less at 100k than 6, for a fifth more bytes

SheetReports = Report | list[Report]


def workbook_bytes(ledger: Ledger, today: date | None = None) -> bytes:
    """The workbook; a year still running on `today` is marked provisional."""
    buffer = io.BytesIO()
    sheets: list[_Sheet] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=_COMPRESSION) as book:
        for title, build in _sheets(ledger, today):
            built = build()  # one sheet's reports at a time, written at once
            reports = built if isinstance(built, list) else [built]
            if not reports:
                continue  # no table at all (a ledger with no years): no sheet
            with book.open(f"xl/worksheets/sheet{len(sheets) + 1}.xml", "w") as out:
                sheets.append(_write_sheet(out, title[:_SHEET_TITLE_LIMIT], reports,
                                           selected=not sheets))
            del built, reports
        for name, text in _package(sheets).items():
            book.writestr(name, text)
    return buffer.getvalue()


def _sheets(ledger: Ledger, today: date | None
            ) -> Iterator[tuple[str, Callable[[], SheetReports]]]:
    yield "Summary", lambda: summary_report(ledger, ledger.select(), with_reserves=False)
    yield "Commitments", lambda: commitments_report(ledger, CommitmentFilter())
    yield "Payments", lambda: payments_report(ledger)
    yield "Year-end", lambda: outturn_by_year_report(ledger, today)
    yield "Transfers", lambda: transfers_report(ledger)
    yield "Reserves", lambda: reserves_report(ledger)
    profiles = SpendProfiles(ledger)
    for year in _years_with_payments(ledger):
        yield f"Profile {str(year).replace('/', '-')}", functools.partial(profiles.of, year)


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


# -- styles ---------------------------------------------------------------------------------
# Number formats of our own take ids from 164; fonts: 0 regular, 1 bold, 2 italic; borders:
# 0 none, 1 a thin rule below. A cell's `s` is its index in cellXfs, in this order.

_NUMBER_FORMATS = {MONEY_FORMAT: 164, PERCENT_FORMAT: 165, DATE_FORMAT: 166, COUNT_FORMAT: 3,
                   "General": 0}
_KIND_FORMATS: dict[Kind, str] = {
    "text": "General", "money": MONEY_FORMAT, "percent": PERCENT_FORMAT,
    "count": COUNT_FORMAT, "date": DATE_FORMAT,
}
_KINDS: tuple[Kind, ...] = ("text", "money", "percent", "count", "date")


@dataclass(frozen=True)
class _Style:
    number_format: str = "General"
    font: int = 0
    border: int = 0
    align: str | None = None
    text: bool = False  # a quote prefix: kept as text when edited

    def xml(self) -> str:
        attributes = (f'numFmtId="{_NUMBER_FORMATS[self.number_format]}" fontId="{self.font}" '
                      f'fillId="0" borderId="{self.border}" xfId="0"')
        if self.number_format != "General":
            attributes += ' applyNumberFormat="1"'
        if self.font:
            attributes += ' applyFont="1"'
        if self.border:
            attributes += ' applyBorder="1"'
        if self.text:
            attributes += ' quotePrefix="1"'
        if self.align is None:
            return f"<xf {attributes}/>"
        return f'<xf {attributes} applyAlignment="1"><alignment horizontal="{self.align}"/></xf>'


_STYLES: list[_Style] = [
    _Style(),
    *(_Style(_KIND_FORMATS[kind], font=int(total), text=kind == "text")
      for total in (False, True) for kind in _KINDS),
    _Style(font=1, border=1, align="left", text=True),  # a header
    _Style(font=1, border=1, align="right", text=True),  # a figure's header
    _Style(font=2, text=True),  # a note
]


def _style(kind: Kind, total: bool) -> int:
    return 1 + _KINDS.index(kind) + (len(_KINDS) if total else 0)


_HEADER, _FIGURE_HEADER, _NOTE = len(_STYLES) - 3, len(_STYLES) - 2, len(_STYLES) - 1


# -- a sheet --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Sheet:
    title: str
    data: str  # the header and data rows, as A1:O20: what the autofilter covers


def _write_sheet(out: IO[bytes], title: str, reports: Sequence[Report], *,
                 selected: bool) -> _Sheet:
    """One header row, every report's rows as the data range, a blank row, every report's
    totals in bold, a blank row and the notes (each once)."""
    columns = reports[0].columns
    if any(report.columns != columns for report in reports[1:]):
        raise ValueError(f"the reports of sheet {title!r} have different columns")
    letters = [_column_letter(index) for index in range(len(columns))]
    leaves = [_leaves(report) for report in reports]
    data_rows = sum(len(rows) for rows in leaves)
    totals = [row for report in reports for row in report.totals]
    notes = list(dict.fromkeys(note for report in reports for note in report.notes))
    last_row = 1 + data_rows + (1 + len(totals) if totals else 0) + (1 + len(notes) if notes else 0)
    data = f"A1:{letters[-1]}{1 + data_rows}"
    titles = {report.title for report in reports}
    heading = titles.pop() if len(titles) == 1 else title

    out.write(_head(columns, reports, f"A1:{letters[-1]}{last_row}", selected))
    plain = [_cell_writer(column.kind, total=False) for column in columns]
    bold = [_cell_writer(column.kind, total=True) for column in columns]
    header = "".join(
        _text_cell(f"{letter}1", column.title, _FIGURE_HEADER if column.numeric else _HEADER)
        for letter, column in zip(letters, columns))
    chunk = [f'<row r="1">{header}</row>']
    number = 1

    def emit(text: str) -> None:
        chunk.append(text)
        if len(chunk) >= _ROWS_PER_WRITE:
            out.write("".join(chunk).encode("utf-8"))
            chunk.clear()

    def emit_row(row: Sequence[Cell], writers: list[_CellWriter]) -> None:
        nonlocal number
        number += 1
        at = str(number)  # once a row, not once a cell: 2.4 million cells at 100k
        emit(f'<row r="{at}">' + "".join(
            [write(letter + at, value)
             for letter, write, value in zip(letters, writers, row)
             if value is not None and value != ""]) + "</row>")

    for rows in leaves:
        for row in rows:
            emit_row(row, plain)
    if totals:
        number += 1  # a blank row: the totals are outside the data range
        for row in totals:
            emit_row(row, bold)
    if notes:
        number += 1
        for note in notes:
            number += 1
            emit(f'<row r="{number}">{_text_cell(f"A{number}", note, _NOTE)}</row>')
    out.write("".join(chunk).encode("utf-8"))
    out.write(_tail(data, heading))
    return _Sheet(title, data)


def _leaves(report: Report) -> list[list[Cell]]:
    """The rows that do not overlap: a fund with ring-fences is its ring-fence and unfenced
    rows, which add up to it, not those and its own row too. So a SUM, a filter or a pivot
    over the data range counts every pound once (the fund's own row is the sum by Fund)."""
    titles = [column.title for column in report.columns]
    nested = [(n, titles.index(column.under)) for n, column in enumerate(report.columns)
              if column.under in titles]
    if not nested:
        return report.rows
    part, owner = nested[0]
    divided = {row[owner] for row in report.rows if row[part] not in (None, "")}
    return [row for row in report.rows
            if row[part] not in (None, "") or row[owner] not in divided]


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _head(columns: list[Column], reports: Sequence[Report], extent: str,
          selected: bool) -> bytes:
    widths = "".join(
        f'<col min="{index}" max="{index}" width="{_width(column, index - 1, reports)}" '
        'customWidth="1"/>'
        for index, column in enumerate(columns, start=1))
    view = ' tabSelected="1"' if selected else ""
    return (
        f'{_DECLARATION}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="{extent}"/>'
        f'<sheetViews><sheetView{view} workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{widths}</cols><sheetData>"
    ).encode("utf-8")


def _tail(data: str, heading: str) -> bytes:
    return (
        f'</sheetData><autoFilter ref="{data}"/>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        f"<headerFooter><oddHeader>{escape('&C' + heading.replace('&', '&&'))}</oddHeader>"
        f"<oddFooter>{escape('&CPage &P of &N')}</oddFooter></headerFooter>"
        "</worksheet>"
    ).encode("utf-8")


def _width(column: Column, index: int, reports: Sequence[Report]) -> int:
    title = len(column.title) + 2
    if column.kind == "money":
        return max(16, title)
    if column.kind == "date":
        return max(12, title)
    if column.numeric:
        return max(10, title)
    longest = max((len(str(row[index] or "")) for report in reports for row in report.rows),
                  default=0)
    return min(_TEXT_WIDTH_LIMIT, max(title, longest + 2))


def _column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# -- cells ----------------------------------------------------------------------------------

_CellWriter = Callable[[str, Cell], str]
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()  # day 0 of Excel's 1900 date system, as it counts
_SIGNIFICANT = Context(prec=17)  # all a spreadsheet's double keeps; 0.515 stays 0.515
# A positive figure written in at most 17 characters has at most 16 digits: `plus` keeps it.
_AS_IS = 17
# Characters XML 1.0 cannot carry at all: replaced, so the workbook still opens.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _cell_writer(kind: Kind, total: bool) -> _CellWriter:
    style, text_style = _style(kind, total), _style("text", total)

    def text(reference: str, value: Cell) -> str:  # also a note in a column of figures
        return _text_cell(reference, str(value), text_style)

    def number(reference: str, value: Cell) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return f'<c r="{reference}" s="{style}"><v>{value}</v></c>'
        if not isinstance(value, Decimal):
            return text(reference, value)
        if kind == "percent":
            value = value.scaleb(-2)  # 51.5 (%) is 0.515: exact, no float on the way
        figure = f"{value:f}"
        if len(figure) > _AS_IS or figure[0] == "-":  # too many digits, or a sign (-0) to settle
            figure = f"{_SIGNIFICANT.plus(value):f}"
        return f'<c r="{reference}" s="{style}"><v>{figure}</v></c>'

    def day(reference: str, value: Cell) -> str:
        if not isinstance(value, date):
            return text(reference, value)
        serial = value.toordinal() - _EXCEL_EPOCH  # a datetime's time of day is not shown
        return f'<c r="{reference}" s="{style}"><v>{serial}</v></c>'

    return text if kind == "text" else day if kind == "date" else number


def _text_cell(reference: str, text: str, style: int) -> str:
    """An inline string, never a formula, whatever it starts with."""
    return f'<c r="{reference}" {_text_content(text, style)}'


@functools.lru_cache(maxsize=1 << 16)  # funds, years, types, statuses recur on every row
def _text_content(text: str, style: int) -> str:
    text = _NOT_XML.sub("\ufffd", text)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f's="{style}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


# -- the rest of the package ----------------------------------------------------------------

def _package(sheets: list[_Sheet]) -> dict[str, str]:
    worksheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{worksheet}"/>'
        for n in range(1, len(sheets) + 1))
    sheet_list = "".join(
        f'<sheet name={quoteattr(sheet.title)} sheetId="{n}" r:id="rId{n}"/>'
        for n, sheet in enumerate(sheets, start=1))
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{escape(_absolute(sheet.title, sheet.data))}</definedName>"
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">'
        f"{escape(_quoted(sheet.title))}!$1:$1</definedName>"
        for n, sheet in enumerate(sheets))
    relationships = "".join(
        f'<Relationship Id="rId{n}" Type="{_RELATIONSHIPS}/worksheet" '
        f'Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1))
    package = "http://schemas.openxmlformats.org/package/2006"
    return {
        "[Content_Types].xml": (
            f'{_DECLARATION}<Types xmlns="{package}/content-types">'
            '<Default Extension="rels" '
            f'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>"),
        "_rels/.rels": (
            f'{_DECLARATION}<Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'{_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheet_list}</sheets><definedNames>{names}</definedNames>"
            '<calcPr calcId="191029"/></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'{_DECLARATION}<Relationships xmlns="{package}/relationships">{relationships}'
            f'<Relationship Id="rId{len(sheets) + 1}" Type="{_RELATIONSHIPS}/styles" '
            'Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": _styles_xml(),
    }


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _absolute(title: str, cells: str) -> str:
    """'Summary'!$A$1:$O$20"""
    return _quoted(title) + "!" + ":".join(
        re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", corner) for corner in cells.split(":"))


def _styles_xml() -> str:
    formats = "".join(f'<numFmt numFmtId="{number}" formatCode={quoteattr(code)}/>'
                      for code, number in _NUMBER_FORMATS.items() if number >= 164)
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
    fonts = f"<font>{font}</font><font><b/>{font}</font><font><i/>{font}</font>"
    cell_formats = "".join(style.xml() for style in _STYLES)
    return (
        f'{_DECLARATION}<styleSheet xmlns="{_MAIN}">'
        f'<numFmts count="{formats.count("<numFmt ")}">{formats}</numFmts>'
        f'<fonts count="3">{fonts}</fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
        '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom>'
        "<diagonal/></border></borders>"
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        f'<cellXfs count="{len(_STYLES)}">{cell_formats}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )
