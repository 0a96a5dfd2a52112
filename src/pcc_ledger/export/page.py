"""The transparency page of `pcc-ledger publish`: for each year, each fund's allocation and what
was committed, and the table of funded projects (framework section 8).

One self-contained file: no scripts, no fonts or styles from the network, readable from disk and
on a phone (on a narrow screen each table row becomes a card whose cells are labelled with their
column's name). The links to the open data come first; then the years that funded projects,
newest first, then the years that funded none. Every text from the data passes through
html.escape, so a recipient named `<script>alert(1)</script>` is shown, never run.

`STYLE` is the stylesheet, for any page of report tables: its opening comment is the contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from html import escape

from ..ledger import Ledger, Position, Pot
from ..scalars import FinancialYear, format_money
from .threesixty import INDIVIDUAL_NAME, INDIVIDUAL_TYPES, Grant, span

STYLE = """
/* Report tables: the markup this stylesheet expects (any page of tables may use it).
   - <table> with a <caption>; <thead> of <th scope="col">; rows in <tbody>; total rows in
     <tfoot> (shown bold). A cell that names its row is <th scope="row">.
   - Figures: class "money" (amounts) or "num" (other numbers) on their <th> and <td>: right
     aligned, tabular figures, never broken across lines.
   - Every <td> carries data-label="<its column's title>", escaped as any attribute value.
     Narrower than 56rem, each row becomes a card: the <th scope="row"> is its heading, each
     <td> shows its data-label before its value, an empty <td> is hidden, <thead> is kept
     for screen readers only. A row with no <th scope="row"> is a card without a heading.
   - Optional: wrap a table in <div class="scroll" role="region" aria-label="..."
     tabindex="0">, so a wide table scrolls sideways in its own box on a mid-sized screen.
   - class "note" on a <p>: a highlighted notice. */
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.5;
       margin: 0 auto; max-width: 70rem; padding: 1rem; color: #1b1b1b; background: #fff; }
h1 { font-size: 1.6rem; line-height: 1.25; }
h2 { margin-top: 2.5rem; border-bottom: 2px solid #1b1b1b; }
a { color: #0b57d0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { border-bottom: 1px solid #c8c8c8; padding: 0.4rem 0.6rem; text-align: left;
         vertical-align: top; }
th.money, td.money, th.num, td.num { text-align: right; white-space: nowrap;
                                     font-variant-numeric: tabular-nums; }
tbody th { font-weight: normal; }
tfoot th, tfoot td { font-weight: bold; border-bottom: 0; }
tfoot tr:first-child th, tfoot tr:first-child td { border-top: 2px solid #1b1b1b; }
.note { background: #fff4ce; padding: 0.6rem 1rem; }
@media (max-width: 56rem) {
  .scroll { overflow-x: visible; }
  table, caption, tbody, tfoot, tr, th, td { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
          clip-path: inset(50%); white-space: nowrap; }
  tr { border: 1px solid #c8c8c8; border-radius: 0.3rem; margin: 0 0 0.75rem;
       padding: 0.3rem 0.75rem; max-width: 36rem; }
  th, td { border: 0; padding: 0.2rem 0; overflow-wrap: anywhere; }
  tbody th, tfoot th { font-weight: bold; text-align: left; }
  th[scope="row"] { border-bottom: 1px solid #e4e4e4; margin-bottom: 0.2rem;
                    padding-bottom: 0.3rem; }
  td[data-label] { display: grid; grid-template-columns: minmax(6rem, 35%) 1fr;
                   gap: 0.75rem; }
  td[data-label]::before { content: attr(data-label); font-weight: normal; color: #4a4a4a;
                           text-align: left; white-space: normal; }
  td:empty { display: none; }
  tfoot tr { background: #f2f2f2; }
  tfoot tr:first-child th, tfoot tr:first-child td { border-top: 0; }
}
"""

_NOT_STATED = "not stated"


def _cells(values: Sequence[str], headers: Sequence[str], money: set[int]) -> str:
    """A row: its first cell names the row (a header for screen readers), every other cell is
    labelled with its column's title (for the cards of a narrow screen), figures align right."""
    cells = []
    for index, (value, header) in enumerate(zip(values, headers, strict=True)):
        if index == 0:
            cells.append(f'<th scope="row">{value}</th>')
        else:
            kind = ' class="money"' if index in money else ""
            cells.append(f'<td{kind} data-label="{header}">{value}</td>')
    return "".join(cells)


def _table(caption: str, headers: list[str], rows: list[list[str]], money: set[int],
           footer: Sequence[list[str]] = ()) -> str:
    """`headers`, `rows` and `caption` are HTML already (data text escaped)."""
    head = "".join(
        f'<th scope="col" class="money">{h}</th>' if i in money else f'<th scope="col">{h}</th>'
        for i, h in enumerate(headers)
    )
    body = "\n".join(f"<tr>{_cells(row, headers, money)}</tr>" for row in rows)
    foot = "\n".join(f"<tr>{_cells(row, headers, money)}</tr>" for row in footer)
    foot = f"\n<tfoot>\n{foot}\n</tfoot>" if footer else ""
    # A wide table scrolls inside its box on a mid-sized screen; tabindex lets a keyboard
    # scroll it too. Narrower, the rows are cards and nothing scrolls.
    return (f'<div class="scroll" tabindex="0" role="region" aria-label="{caption}"><table>\n'
            f"<caption>{caption}</caption>\n<thead><tr>{head}"
            f"</tr></thead>\n<tbody>\n{body}\n</tbody>{foot}\n</table></div>")


def _sum(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def _allocation(position: Position) -> str:
    amount = position.allocation.amount
    return _NOT_STATED if amount is None else format_money(amount)


def _total(label: str, pots: list[Pot], allocation: str) -> list[str]:
    return [label, allocation, format_money(_sum([pot.committed for pot in pots]))]


def _funds_totals(positions: list[Position]) -> list[list[str]]:
    """The totals of one year, as `summary` makes them: a fund with no stated allocation has
    nothing to add to the allocations, so when both kinds are listed each has its subtotal and
    the total adds up only what was committed."""
    stated = [p.whole for p in positions if p.allocation.amount is not None]
    unstated = [p.whole for p in positions if p.allocation.amount is None]
    allocated = format_money(_sum([p.allocation.amount for p in positions
                                   if p.allocation.amount is not None]))
    if stated and unstated:
        return [
            _total("Subtotal, stated allocations", stated, allocated),
            _total("Subtotal, no stated allocation", unstated, _NOT_STATED),
            _total("Total", stated + unstated, ""),
        ]
    if stated:
        return [_total("Total", stated, allocated)]
    return [_total("Total", unstated, _NOT_STATED)]


def _funds_table(year: FinancialYear, positions: list[Position]) -> str:
    rows = [[escape(p.fund.name), _allocation(p), format_money(p.whole.committed)]
            for p in positions]
    footer = _funds_totals(positions) if positions else []
    return _table(f"Funds in {escape(str(year))}", ["Fund", "Allocation", "Committed"], rows,
                  {1, 2}, footer)


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
    total = _sum([g.entry.commitment.amount for g in grants])
    footer = [f"{len(grants)} projects", "", "", format_money(total), "", ""]
    return _table(f"Funded projects in {escape(str(year))}",
                  ["Project", "Recipient", "Fund", "Amount", "Objective", "Area"], rows, {3},
                  [footer])


def transparency_page(ledger: Ledger, grants: list[Grant], modified: datetime) -> str:
    organisation = escape(ledger.funds.organisation.name)
    awarded = {g.entry.commitment.year for g in grants}
    # The years that funded projects first, then the others; newest first within each.
    years = sorted({p.year for p in ledger.select()},
                   key=lambda year: (year in awarded, year), reverse=True)
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
<p>Open data in the 360Giving standard: <a href="360giving.json">360giving.json</a>
(package) and <a href="360giving.csv">360giving.csv</a> (flattened).</p>
<p>Data last modified: <time datetime="{escape(stamp)}">{escape(day)}</time>.</p>
{note}</header>
<main>
{chr(10).join(sections)}
</main>
</body>
</html>
"""
