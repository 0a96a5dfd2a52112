"""csv, tsv and json: the same reports as data for spreadsheets and scripts.

csv and tsv cells of text that a spreadsheet would run as a formula (starting with `=`, `+`,
`-`, `@`, a tab or a carriage return) are neutralised with a leading `'`, the usual defence
against formula injection; figures are never touched, so `-15924.00` stays a number.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from ..reports.table import Cell, Column, Report
from . import data_value

if TYPE_CHECKING:  # only the type: the renderers need not load the data's model
    from ..completeness import Incomplete

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _delimited(reports: list[Report], dialect: str) -> str:
    """One table, whatever the number of reports: a spreadsheet import reads one. Several
    reports become one long table with a `section` column (the report's key) in front, over
    the union of their columns."""
    out = io.StringIO()
    writer = csv.writer(out, dialect=dialect, lineterminator="\n")
    several = len(reports) > 1
    columns: dict[str, Column] = {}
    for report in reports:
        for column in report.columns:
            columns.setdefault(column.key, column)
    writer.writerow((["section"] if several else []) + [c.title for c in columns.values()])
    for report in reports:
        for row in [*report.rows, *report.totals]:
            values = dict.fromkeys(columns, "")
            for cell, column in zip(row, report.columns):
                value = data_value(cell, column.kind)
                text = "" if value is None else str(value)
                values[column.key] = neutralise(text) if column.kind == "text" else text
            writer.writerow(([report.key] if several else []) + list(values.values()))
    return out.getvalue().rstrip("\n")


def render_csv(reports: list[Report], incomplete: Incomplete | None = None) -> str:
    """(The CLI says on stderr when the data is incomplete: a csv has no place for it.)"""
    return _delimited(reports, "excel")


def render_tsv(reports: list[Report], incomplete: Incomplete | None = None) -> str:
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


def render_json(reports: list[Report], incomplete: Incomplete | None = None) -> str:
    """One object: the sections by key, and whether the data was complete."""
    sections: dict[str, object] = {}
    for report in reports:
        key, n = report.key, 1
        while key in sections:
            n += 1
            key = f"{report.key}-{n}"
        sections[key] = report_data(report)
    document = {"incomplete": incomplete.as_data() if incomplete else None,
                "sections": sections}
    return json.dumps(document, indent=2, ensure_ascii=False)
