"""Reports as data: a title, typed columns, rows, totals rows and notes.

Every renderer (a Rich table on a terminal, plain text, markdown, csv, tsv, json, html) takes
the same `Report`s, so a figure is computed once and printed the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Kind = Literal["text", "money", "percent", "count", "date"]
Cell = str | Decimal | int | date | None


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = "text"
    bar: bool = False  # a percent column drawn as a bar too, where the format can draw one
    # How a narrow terminal shows the column (see render/rich_table.py): `drop`, the order in
    # which columns are left out (the highest first; 0 never); `short`, a shorter header;
    # `under`, the title of the column whose rows this one's values are indented under (a
    # ring-fence under its fund).
    drop: int = 0
    short: str = ""
    under: str = ""

    @property
    def numeric(self) -> bool:
        """Figures, right-aligned; text and dates are read from the left."""
        return self.kind in ("money", "percent", "count")

    @property
    def key(self) -> str:
        """The column's name in json output: `Allocation` -> `allocation`."""
        return self.title.lower().replace(" ", "_").replace("-", "_")


@dataclass
class Report:
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    totals: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The report's key among several (json's object of sections, csv's section column,
    # `year-end --section`): a slug of the title unless given.
    name: str = ""

    @property
    def key(self) -> str:
        return self.name or slug(self.title)


def slug(text: str) -> str:
    """`Outturn 2017/18 by fund` -> `outturn-2017-18-by-fund`."""
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in text).split()
    return "-".join(words)
