"""The terminal table: Rich, laid out to the terminal's width.

A report is often wider than the terminal. Rather than let the terminal wrap a line through
the middle of a figure, the layout here fits the width it is given:

1. a part column (a ring-fence, the unfenced part) moves under the column it belongs to,
   indented, so `victims-services` is followed by `  ring-fence child-sexual-abuse`;
2. headers and names wrap (at spaces and hyphens), down to a comfortable width;
3. a percentage drawn as a bar loses its bar;
4. the least important columns are left out, in the order each report gives them (`drop`),
   and a closing note says which (`--wide` shows them all);
5. names wrap further, down to their longest word.

Piped output never comes here: it keeps every column (render/plain.py).

Figures never wrap. If even that does not fit (a terminal narrower than about 60 columns),
`layout` gives up, and that table alone is printed as the plain table, which the terminal may
wrap but which never loses a column; a closing note says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rich.box import Box
from rich.cells import cell_len
from rich.console import Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from ..reports.table import Column, Report
from . import display_cell

# A rule under the header and above the totals, nothing else: the lightest box that still
# separates the figures from their sums.
LEDGER_BOX = Box("    \n    \n ── \n    \n ── \n ── \n    \n    \n")
GAP = 2  # between two columns: a cell of padding and the box's blank divider
COMFORTABLE = 20  # names wrap to this width before any column is left out
INDENT = "  "


@dataclass(frozen=True)
class _Shown:
    """A column as the terminal shows it: which report column, its cells as text (with the
    indent of a part row), and how wide it may be."""

    index: int
    column: Column
    header: str
    cells: list[str]
    indents: list[int]
    data_rows: int  # the cells before the totals

    @property
    def natural(self) -> int:
        """As wide as its widest cell; a total's label ("Total (3 transfers)") may wrap
        instead of widening a column of short ids."""
        lines = self._lines()
        if not self.column.numeric:
            lines = lines[:self.data_rows] or lines
        return max(cell_len(line) for line in [self.header, *lines])

    @property
    def narrowest(self) -> int:
        """Text may wrap down to its longest word (and never below the header's longest)."""
        if self.column.numeric or self.column.kind == "date":
            return self.natural
        words = [w for cell, indent in zip(self.cells, self.indents)
                 for w in _words(cell, indent)]
        longest = max([cell_len(w) for w in words] or [1])
        return max([min(longest, LONGEST_WORD), *(cell_len(w) for w in self.header.split())])

    def _lines(self) -> list[str]:
        return [" " * indent + cell for cell, indent in zip(self.cells, self.indents)]


# A word, or the part of one up to a hyphen or a slash (in a path), with the spaces after it.
_PIECE = re.compile(r"([^\s/-]*[-/]+|[^\s/-]+)(\s*)")  # breaks after a hyphen or a slash
LONGEST_WORD = 20  # a longer word (a name in a script without spaces) may be cut


def _words(text: str, indent: int) -> list[str]:
    """The pieces a line may break between: at spaces, and after hyphens."""
    return [" " * indent + word for word, _ in _PIECE.findall(text)]


def _cut(word: str, room: int) -> tuple[str, str]:
    """The longest start of `word` that takes at most `room` cells (at least one character),
    and the rest."""
    taken = 0
    for n, char in enumerate(word):
        taken += cell_len(char)
        if taken > room:
            return word[:max(n, 1)], word[max(n, 1):]
    return word, ""


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """`text` in lines of at most `width` terminal cells (a CJK character takes two), broken
    at spaces and after hyphens, a word longer than a line cut; every line indented."""
    room = max(1, width - indent)
    lines: list[str] = []
    line = ""
    for word, space in _PIECE.findall(text):
        if line and cell_len(line + word) > room:
            lines.append(line.rstrip())
            line = ""
        while cell_len(word) > room:  # only a word longer than a whole line is cut
            head, word = _cut(word, room)
            if line:
                lines.append(line.rstrip())
                line = ""
            lines.append(head)
        line += word + (" " if space else "")
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return [" " * indent + piece for piece in lines]


@dataclass(frozen=True)
class Layout:
    columns: list[_Shown]
    widths: list[int]
    left_out: list[str]  # titles of the columns not shown

    @property
    def width(self) -> int:
        return sum(self.widths) + GAP * (len(self.widths) - 1)


def _shown_columns(report: Report, bars: bool) -> list[_Shown]:
    by_title = {column.title: n for n, column in enumerate(report.columns)}
    nested = {n: by_title[c.under] for n, c in enumerate(report.columns)
              if c.under and c.under in by_title}
    rows = [*report.rows, *report.totals]
    shown = []
    for index, column in enumerate(report.columns):
        if index in nested:
            continue
        parts = [n for n, target in nested.items() if target == index]
        cells, indents = [], []
        for row in rows:
            part = next((row[n] for n in parts if row[n] not in (None, "")), None)
            source, indent = (part, len(INDENT)) if part is not None else (row[index], 0)
            cells.append(display_cell(source, replace(column, bar=column.bar and bars)))
            indents.append(indent)
        header = column.short or column.title
        shown.append(_Shown(index, column, header, cells, indents, len(report.rows)))
    return shown


def layout(report: Report, width: int, wide: bool = False) -> Layout | None:
    """The columns and widths that fit `width` (every column, at its natural width, when
    `wide`), or None when the report cannot fit without splitting a figure."""
    columns = _shown_columns(report, bars=True)
    if wide:
        return Layout(columns, [c.natural for c in columns], [])
    left_out: list[str] = []

    def fitted(cap: int | None) -> Layout:
        widths = [c.natural if cap is None or c.column.numeric
                  else min(c.natural, max(c.narrowest, cap)) for c in columns]
        return Layout(columns, widths, left_out)

    # Step 1 (parts nested) is done; if everything fits as it is, that is the layout.
    candidate = fitted(None)
    if candidate.width <= width:
        return candidate
    # Step 2: names wrap to a comfortable width.
    candidate = fitted(COMFORTABLE)
    # Step 3: bars go.
    if candidate.width > width and any(c.column.bar for c in columns):
        columns = _shown_columns(report, bars=False)
        candidate = fitted(COMFORTABLE)
    # Step 4: the least important columns go; columns of the same rank (transfers in and out)
    # go together, so that what is left still reads as a whole.
    while candidate.width > width:
        ranks = [c.column.drop for c in columns if c.column.drop]
        if not ranks:
            break
        going = [c for c in columns if c.column.drop == max(ranks)]
        columns = [c for c in columns if c not in going]
        left_out.extend(c.column.title for c in going)
        candidate = fitted(COMFORTABLE)
    widths = list(candidate.widths)
    spare = width - candidate.width
    if spare >= 0:
        # Give back what is left over: names as wide as they are, or as fits.
        for n, shown in enumerate(columns):
            grow = min(spare, shown.natural - widths[n])
            if grow > 0:
                widths[n] += grow
                spare -= grow
    else:
        # Step 5: names wrap further, the widest first, down to their longest word.
        for _ in range(-spare):
            narrowable = [n for n, shown in enumerate(columns)
                          if not shown.column.numeric and widths[n] > shown.narrowest]
            if not narrowable:
                return None
            widths[max(narrowable, key=lambda n: widths[n])] -= 1
    return Layout(columns, widths, left_out)


def _wrapped(text: str, indent: int, width: int) -> str:
    if cell_len(text) + indent <= width:
        return " " * indent + text
    return "\n".join(wrap(text, width, indent))


def _table(report: Report, plan: Layout, caption: str | None) -> RenderableType:
    # Two cells between columns: one of padding on the right of each and the box's (blank)
    # divider. (Not collapse_padding: Rich 13.7 measures it as three.)
    table = Table(title=report.title, title_justify="left", box=LEDGER_BOX, show_edge=False,
                  pad_edge=False, padding=(0, 1, 0, 0), caption=caption,
                  caption_justify="left", caption_style="bold", width=plan.width)
    for shown, width in zip(plan.columns, plan.widths):
        justify: JustifyMethod = "right" if shown.column.numeric else "left"
        header = "\n".join(wrap(shown.header, width))
        table.add_column(header, justify=justify, no_wrap=True, width=width)
    count = len(report.rows)
    for row_number in range(count + len(report.totals)):
        # Text, not str, so a `[` in the data is never read as Rich markup.
        cells = [Text(_wrapped(shown.cells[row_number], shown.indents[row_number], width))
                 for shown, width in zip(plan.columns, plan.widths)]
        if row_number < count:
            table.add_row(*cells, end_section=row_number == count - 1)
        else:
            table.add_row(*cells, style="bold")
    notes = [Text(note, style="dim") for note in report.notes]
    return Group(table, *notes)


@dataclass(frozen=True)
class Fitted:
    renderable: RenderableType
    width: int  # the widest table's width


def fit_reports(reports: list[Report], width: int, wide: bool = False,
                caption: str | None = None) -> Fitted:
    """The reports fitted to `width`, with a closing note naming any columns left out, and
    any table too wide to fit at all printed whole as the plain table (and named). `caption`
    (such as a warning that the report is incomplete) goes under every table."""
    from .plain import render_plain

    parts: list[RenderableType] = []
    left_out: list[str] = []
    whole: list[str] = []
    widest = 0
    for index, report in enumerate(reports):
        if index:
            parts.append(Text(""))
        plan = layout(report, width, wide)
        if plan is None:
            plain = render_plain([report])
            # As the plain layout is printed when piped: lines as long as they are, for the
            # terminal to wrap (Rich must neither fold them nor cut them at the width).
            parts.append(Text(plain + (f"\n{caption}" if caption else ""), no_wrap=True,
                              overflow="ignore"))
            whole.append(report.title)
            continue
        parts.append(_table(report, plan, caption))
        widest = max(widest, plan.width)
        left_out.extend(title for title in plan.left_out if title not in left_out)
    if left_out:
        parts.append(Text(""))
        parts.append(Text(f"Left out to fit {width} columns: {', '.join(left_out)}. `--wide` "
                          "shows every column; piped output has them all.", style="dim"))
    if whole:
        parts.append(Text(""))
        parts.append(Text(f"Too wide for {width} columns, so printed whole: "
                          f"{', '.join(whole)}.", style="dim"))
    return Fitted(Group(*parts), widest)
