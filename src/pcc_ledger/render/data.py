"""csv, tsv and json: the same reports as data for spreadsheets and scripts.

csv and tsv cells of text that a spreadsheet would run as a formula (starting with `=`, `+`,
`-`, `@`, a tab or a carriage return) are neutralised with a leading `'`, the usual defence
against formula injection; figures are never touched, so `-15924.00` stays a number.
"""

from __future__ import annotations

import csv
import io
import json

from ..reports.table import Cell, Report
from . import data_value

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _delimited(reports: list[Report], dialect: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, dialect=dialect, lineterminator="\n")
    for index, report in enumerate(reports):
        if len(reports) > 1:
            if index:
                writer.writerow([])
            writer.writerow([report.title])
        writer.writerow([column.title for column in report.columns])
        for row in [*report.rows, *report.totals]:
            values = []
            for cell, column in zip(row, report.columns):
                value = data_value(cell, column.kind)
                text = "" if value is None else str(value)
                values.append(neutralise(text) if column.kind == "text" else text)
            writer.writerow(values)
    return out.getvalue().rstrip("\n")


def render_csv(reports: list[Report]) -> str:
    return _delimited(reports, "excel")


def render_tsv(reports: list[Report]) -> str:
    return _delimited(reports, "excel-tab")


def report_data(report: Report) -> dict[str, object]:
    def record(row: list[Cell]) -> dict[str, object]:
        return {column.key: data_value(cell, column.kind)
                for cell, column in zip(row, report.columns)}

    return {
        "title": report.title,
        "columns": [{"key": c.key, "title": c.title, "kind": c.kind} for c in report.columns],
        "rows": [record(row) for row in report.rows],
        "totals": [record(row) for row in report.totals],
        "notes": report.notes,
    }


def render_json(reports: list[Report]) -> str:
    return json.dumps({"reports": [report_data(r) for r in reports]}, indent=2,
                      ensure_ascii=False)
