"""The transparency page of `pcc-ledger publish` read as a finance officer reads it, on a phone
too: the open data first, the years that funded projects before the empty ones, a total per
year under each funds table, and every cell labelled for the narrow-screen cards of `STYLE`."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pcc_ledger.render.stylesheet import STYLE

from .conftest import REPO, invoke, write

MODIFIED = 1_795_000_000  # a fixed modification time, so the page is the same every run


@dataclass
class _Cell:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""


@dataclass
class _Table:
    caption: str = ""
    head: list[_Cell] = field(default_factory=list)
    body: list[list[_Cell]] = field(default_factory=list)
    foot: list[list[_Cell]] = field(default_factory=list)


class _Page(HTMLParser):
    """The page's tables cell by cell, and the order of its headings, links and sections."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, str]] = []  # ("h2", text), ("a", href), ("section", "")
        self.tables: list[_Table] = []
        self.style = ""
        self._part = ""
        self._cell: _Cell | None = None
        self._in: str | None = None  # "caption", "h2" or "style" while inside one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "table":
            self.tables.append(_Table())
        elif tag in ("thead", "tbody", "tfoot"):
            self._part = tag
        elif tag == "tr" and self._part in ("tbody", "tfoot"):
            (self.tables[-1].body if self._part == "tbody" else self.tables[-1].foot).append([])
        elif tag in ("th", "td"):
            self._cell = _Cell(tag, named)
        elif tag in ("caption", "h2", "style"):
            self._in = tag
        elif tag == "a":
            self.events.append(("a", named.get("href") or ""))
        elif tag == "section":
            self.events.append(("section", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            table = self.tables[-1]
            if self._part == "thead":
                table.head.append(self._cell)
            else:
                (table.body if self._part == "tbody" else table.foot)[-1].append(self._cell)
            self._cell = None
        elif tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data
        elif self._in == "caption":
            self.tables[-1].caption += data
        elif self._in == "h2":
            self.events.append(("h2", data))
        elif self._in == "style":
            self.style += data


def _texts(rows: list[list[_Cell]]) -> list[list[str]]:
    return [[cell.text for cell in row] for row in rows]


def _publish(cli: CliRunner, data: Path, site: Path) -> tuple[str, _Page]:
    result = invoke(cli, "publish", str(site), "--data", str(data))
    assert result.exit_code == 0, result.output
    html = (site / "index.html").read_text("utf-8")
    page = _Page()
    page.feed(html)
    return html, page


@pytest.fixture
def shipped(cli: CliRunner, tmp_path: Path) -> tuple[str, _Page]:
    """The page published from a copy of the shipped data."""
    root = tmp_path / "data"
    shutil.copytree(REPO / "data", root)
    for path in root.rglob("*.yaml"):
        os.utime(path, (MODIFIED, MODIFIED))
    return _publish(cli, root, tmp_path / "site")


def _funds(page: _Page, year: str) -> _Table:
    [table] = [t for t in page.tables if t.caption == f"Funds in {year}"]
    return table


def test_the_open_data_links_come_before_the_first_year(shipped: tuple[str, _Page]) -> None:
    _, page = shipped
    links = [i for i, (kind, _) in enumerate(page.events) if kind == "a"]
    first_section = page.events.index(("section", ""))
    # First the link to the Welsh page (tests/test_welsh_page.py), then the open data.
    assert [page.events[i][1] for i in links] == ["cy/index.html", "360giving.json",
                                                  "360giving.csv", "grants-register.csv",
                                                  "decisions.csv"]
    assert max(links[:3]) < first_section


def test_years_with_projects_come_before_years_without(shipped: tuple[str, _Page]) -> None:
    _, page = shipped
    years = [text for kind, text in page.events if kind == "h2"]
    # The shipped data awards grants in 2017/18 and 2018/19; then the others, newest first.
    assert years == ["2018/19", "2017/18", "2020/21", "2019/20", "2016/17", "2013/14",
                     "2012/13", "Grants register", "Decisions"]
    captions = [t.caption for t in page.tables]
    assert captions[:5] == ["Funds in 2018/19", "Funded projects in 2018/19",
                            "Your Community, Your Choice 2018: the public vote",
                            "Funds in 2017/18", "Funded projects in 2017/18"]


def test_each_funds_table_totals_its_own_year_as_summary_does(
    shipped: tuple[str, _Page]
) -> None:
    html, page = shipped
    funds = [t for t in page.tables if t.caption.startswith("Funds in ")]
    assert len(funds) == 7
    for table in funds:
        assert table.foot and table.foot[-1][0].text == "Total", table.caption
        assert table.foot[-1][0].attrs == {"scope": "row"}
    # 2017/18 mixes stated allocations and funds with none: as in `pcc-ledger summary --year
    # 2017/18`, each kind has its subtotal and the total adds up only what was committed.
    # Money moved out of that year (a reserve transfer, a carry-forward): the transfers and
    # the revised allocation are shown too.
    assert _texts(_funds(page, "2017/18").foot) == [
        ["Subtotal, stated allocations", "£2,022,076.00", "-£70,000.00", "£1,952,076.00",
         "£1,232,692.50"],
        ["Subtotal, no stated allocation", "not stated", "", "not stated", "£2,050.00"],
        ["Total", "", "", "", "£1,234,742.50"],
    ]
    # ...and into 2018/19, where the round committed more than the year's own £42,000.
    assert _texts(_funds(page, "2018/19").body)[0] == [
        "Your Community, Your Choice", "£42,000.00", "+£20,000.00", "£62,000.00", "£57,350.00"]
    # One fund, with an allocation: a single total row.
    assert _texts(_funds(page, "2013/14").foot) == [["Total", "£1,379,000.00", "£0.00"]]
    # Never the allocations of several years added together (summary over every year).
    assert "£6,210,988.00" not in html


def test_a_year_with_no_stated_allocation_totals_what_was_committed(
    cli: CliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "data"
    write(root / "funds.yaml", """
        organisation: {name: Funder, publisher_prefix: 360G-TEST}
        objectives: {o: Objective}
        funds:
          open:
            name: Open fund
            workstream: community-focused
            allocations: {2017/18: {basis: rules but no amount}}
        """)
    write(root / "allocations" / "a.yaml", """
        commitments:
          - id: E-1
            fund: open
            year: 2017/18
            recipient: {name: A charity, type: charity}
            title: A project
            objective: o
            amount: 10
            status: approved
            approved: 2017-05-01
        """)
    _, page = _publish(cli, root, tmp_path / "site")
    assert _texts(_funds(page, "2017/18").foot) == [["Total", "not stated", "£10.00"]]


def test_every_cell_is_labelled_with_its_column(shipped: tuple[str, _Page]) -> None:
    _, page = shipped
    cells = 0
    for table in page.tables:
        titles = [cell.text for cell in table.head]
        assert all(cell.attrs.get("scope") == "col" for cell in table.head)
        for row in [*table.body, *table.foot]:
            assert len(row) == len(titles), table.caption
            # The first cell names the row; every other is a td labelled with its column.
            assert (row[0].tag, row[0].attrs) == ("th", {"scope": "row"})
            for cell, title in zip(row[1:], titles[1:], strict=True):
                assert cell.tag == "td" and cell.attrs["data-label"] == title
                cells += 1
    assert cells > 100
    money = _funds(page, "2017/18").body[0][1]
    assert money.attrs["class"] == "money"


def test_the_stylesheet_turns_rows_into_labelled_cards_on_a_narrow_screen(
    shipped: tuple[str, _Page]
) -> None:
    _, page = shipped
    assert page.style == STYLE  # the page carries the stylesheet other pages may import
    narrow = re.search(r"@media \(max-width: (\d+)rem\) \{(.*)\}\s*$", STYLE, re.DOTALL)
    assert narrow is not None
    assert 24 < int(narrow.group(1)) * 16 < 1024  # wider than a phone, narrower than a laptop
    cards = narrow.group(2)
    assert "td[data-label]::before { content: attr(data-label);" in cards
    assert "display: block" in cards
    # Figures right aligned in tabular digits; totals bold; nothing fetched from the network.
    assert "td.money, th.num, td.num { text-align: right;" in STYLE
    assert "font-variant-numeric: tabular-nums" in STYLE
    assert "tfoot th, tfoot td { font-weight: bold;" in STYLE
    assert "url(" not in STYLE and "@import" not in STYLE and "@font-face" not in STYLE
    # The contract for other pages opens the stylesheet.
    assert STYLE.lstrip().startswith("/* Report tables:")
