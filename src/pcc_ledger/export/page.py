"""The transparency page of `pcc-ledger publish`: for each year, each fund's allocation and what
was committed, and the table of funded projects (framework section 8).

One self-contained file: no scripts, no fonts or styles from the network, readable from disk and
on a phone (the tables scroll sideways inside their own box). Every text from the data passes
through html.escape, so a recipient named `<script>alert(1)</script>` is shown, never run.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from html import escape

from ..ledger import Ledger, Position
from ..scalars import FinancialYear, format_money
from .threesixty import INDIVIDUAL_NAME, INDIVIDUAL_TYPES, Grant, span

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.5;
       margin: 0 auto; max-width: 70rem; padding: 1rem; color: #1b1b1b; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #1b1b1b; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { border-bottom: 1px solid #c8c8c8; padding: 0.4rem 0.6rem; text-align: left;
         vertical-align: top; }
td.money, th.money { text-align: right; white-space: nowrap; }
tfoot td { font-weight: bold; }
.note { background: #fff4ce; padding: 0.6rem 1rem; }
tbody th { font-weight: normal; }
"""


def _cells(values: Iterable[str], money: set[int]) -> str:
    """A row: its first cell names the row (a header for screen readers), figures align right."""
    cells = []
    for index, value in enumerate(values):
        if index == 0:
            cells.append(f'<th scope="row">{value}</th>')
        elif index in money:
            cells.append(f'<td class="money">{value}</td>')
        else:
            cells.append(f"<td>{value}</td>")
    return "".join(cells)


def _table(caption: str, headers: list[str], rows: list[list[str]], money: set[int],
           footer: list[str] | None = None) -> str:
    head = "".join(
        f'<th scope="col" class="money">{h}</th>' if i in money else f'<th scope="col">{h}</th>'
        for i, h in enumerate(headers)
    )
    body = "\n".join(f"<tr>{_cells(row, money)}</tr>" for row in rows)
    foot = f"\n<tfoot><tr>{_cells(footer, money)}</tr></tfoot>" if footer else ""
    # The box scrolls on a narrow screen; tabindex lets a keyboard scroll it too.
    return (f'<div class="scroll" tabindex="0" role="region" aria-label="{caption}"><table>\n'
            f"<caption>{caption}</caption>\n<thead><tr>{head}"
            f"</tr></thead>\n<tbody>\n{body}\n</tbody>{foot}\n</table></div>")


def _funds_table(year: FinancialYear, positions: list[Position]) -> str:
    rows = [
        [escape(p.fund.name),
         format_money(p.allocation.amount) if p.allocation.amount is not None else "not stated",
         format_money(p.whole.committed)]
        for p in positions
    ]
    return _table(f"Funds in {escape(str(year))}", ["Fund", "Allocation", "Committed"], rows,
                  {1, 2})


def _projects_table(ledger: Ledger, year: FinancialYear, grants: list[Grant]) -> str:
    if not grants:
        return f"<p>No projects were funded in {escape(str(year))}.</p>"
    rows = []
    for grant in grants:
        c = grant.entry.commitment
        recipient = INDIVIDUAL_NAME if c.recipient.type in INDIVIDUAL_TYPES else c.recipient.name
        # A grant over several years is listed under the year it was awarded, with its whole
        # amount: say so beside its title.
        years = f" ({span(c)})" if c.last_year != c.year else ""
        rows.append([
            escape(c.title + years), escape(recipient), escape(ledger.funds.funds[c.fund].name),
            format_money(c.amount), escape(ledger.funds.objectives.get(c.objective, c.objective)),
            escape(c.area or ledger.funds.organisation.area or ""),
        ])
    total = sum((g.entry.commitment.amount for g in grants), Decimal(0))
    footer = [f"{len(grants)} projects", "", "", format_money(total), "", ""]
    return _table(f"Funded projects in {escape(str(year))}",
                  ["Project", "Recipient", "Fund", "Amount", "Objective", "Area"], rows, {3},
                  footer)


def transparency_page(ledger: Ledger, grants: list[Grant], modified: datetime) -> str:
    organisation = escape(ledger.funds.organisation.name)
    years = sorted({p.year for p in ledger.select()}, reverse=True)
    sections = []
    for year in years:
        positions = ledger.select(year)
        mine = [g for g in grants if g.entry.commitment.year == year]
        anchor = "y" + str(year).replace("/", "-")
        sections.append(
            f'<section aria-labelledby="{anchor}">\n<h2 id="{anchor}">{escape(str(year))}</h2>\n'
            f"{_funds_table(year, positions)}\n{_projects_table(ledger, year, mine)}\n</section>"
        )
    illustrative = any(g.entry.illustrative for g in grants)
    note = ('<p class="note">These commitments are illustrative examples, not real decisions of '
            "the Commissioner.</p>\n" if illustrative else "")
    stamp = modified.isoformat()
    day = modified.strftime("%d %B %Y")
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Funded projects: {organisation}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>Projects and work programmes funded by the {organisation}</h1>
<p>As the Commissioning Framework 2017&#8211;2021 (section 8) promises, this page lists the
projects that receive financial support, with each fund's allocation and what was committed.</p>
<p>Data last modified: <time datetime="{escape(stamp)}">{escape(day)}</time>.</p>
{note}</header>
<main>
{chr(10).join(sections)}
</main>
<footer>
<p>Open data in the 360Giving standard: <a href="360giving.json">360giving.json</a>
(package) and <a href="360giving.csv">360giving.csv</a> (flattened).</p>
</footer>
</body>
</html>
"""
