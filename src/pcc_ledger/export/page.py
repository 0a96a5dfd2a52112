"""The transparency page of `pcc-ledger publish`: for each year, each fund's allocation and what
was committed, and the table of funded projects (framework section 8).

One self-contained file: no scripts, no fonts or styles from the network, readable from disk and
on a phone (on a narrow screen each table row becomes a card whose cells are labelled with their
column's name). The links to the open data come first; then the years that funded projects,
newest first, then the years that funded none. Every text from the data passes through
html.escape, so a recipient named `<script>alert(1)</script>` is shown, never run.

The stylesheet, shared with `--format html`, is render/stylesheet.py's `STYLE`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from html import escape

from ..ledger import Ledger, Position, Pot, RoundEntry
from ..model import INDIVIDUAL_TYPES
from ..render.stylesheet import STYLE
from ..rounds import candidates, tally_round
from ..scalars import FinancialYear, format_money
from ..tally import preference
from .registers import by_month, decisions, recipient_shown, register_grants, undecided, year_totals
from .threesixty import INDIVIDUAL_NAME, Grant, span

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


def _moved(pots: list[Pot]) -> Decimal:
    return _sum([pot.transfers_in - pot.transfers_out for pot in pots])


def _signed(amount: Decimal) -> str:
    return ("+" if amount > 0 else "") + format_money(amount)


def _total(label: str, pots: list[Pot], allocation: str, moves: bool) -> list[str]:
    """A totals row; with `moves`, the transfers and the revised allocation too (blank where
    the allocation is: not stated, or not to be added up)."""
    committed = format_money(_sum([pot.committed for pot in pots]))
    if not moves:
        return [label, allocation, committed]
    stated = allocation not in ("", _NOT_STATED)
    revised = format_money(_sum([pot.limit or Decimal(0) for pot in pots])) if stated else ""
    return [label, allocation, _signed(_moved(pots)) if stated else "",
            revised or allocation, committed]


def _funds_totals(positions: list[Position], moves: bool) -> list[list[str]]:
    """The totals of one year, as `summary` makes them: a fund with no stated allocation has
    nothing to add to the allocations, so when both kinds are listed each has its subtotal and
    the total adds up only what was committed."""
    stated = [p.whole for p in positions if p.allocation.amount is not None]
    unstated = [p.whole for p in positions if p.allocation.amount is None]
    allocated = format_money(_sum([p.allocation.amount for p in positions
                                   if p.allocation.amount is not None]))
    if stated and unstated:
        return [
            _total("Subtotal, stated allocations", stated, allocated, moves),
            _total("Subtotal, no stated allocation", unstated, _NOT_STATED, moves),
            _total("Total", stated + unstated, "", moves),
        ]
    if stated:
        return [_total("Total", stated, allocated, moves)]
    return [_total("Total", unstated, _NOT_STATED, moves)]


def _funds_table(year: FinancialYear, positions: list[Position]) -> str:
    """Each fund's allocation and what was committed; in a year money moved in or out of
    (virements, carry-forwards, reserves), the transfers and the revised allocation too, so
    that a fund committing more than its allocation is seen to have had the money."""
    moves = any(p.whole.transfers_in or p.whole.transfers_out for p in positions)
    rows = []
    for p in positions:
        row = [escape(p.fund.name), _allocation(p)]
        if moves:
            stated = p.whole.limit is not None
            row += [_signed(_moved([p.whole])) if stated else "",
                    format_money(p.whole.limit) if p.whole.limit is not None else _NOT_STATED]
        rows.append([*row, format_money(p.whole.committed)])
    footer = _funds_totals(positions, moves) if positions else []
    headers = (["Fund", "Allocation", "Transfers", "Revised allocation", "Committed"] if moves
               else ["Fund", "Allocation", "Committed"])
    return _table(f"Funds in {escape(str(year))}", headers, rows,
                  set(range(1, len(headers))), footer)


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


_METHOD_WORDS = {
    "greedy": "The projects were funded in order of votes while the budget of {budget} lasted.",
    "top-per-area": "The {most} of each area {were} funded in order of votes while the budget "
                    "of {budget} lasted.",
    "equal-shares": "The budget of {budget} was shared out by the Method of Equal Shares, which "
                    "gives each group of voters a fair share of it.",
}


def _round_table(ledger: Ledger, entry: RoundEntry) -> str:
    """A round's projects with their votes and whether they were funded: counts only, never a
    ballot (a ballot file may show how someone voted)."""
    pb_round = entry.round
    result = tally_round(ledger, entry)
    funded = ({o.candidate.id for o in result.outcomes if o.funded}
              if result is not None else None)
    rank = {candidate.id: preference(candidate) for candidate in candidates(pb_round)}
    rows = []
    for project in sorted(pb_round.projects, key=lambda p: rank[p.id]):
        outcome = "not counted" if funded is None else ("Yes" if project.id in funded else "No")
        rows.append([escape(project.title), escape(project.area), f"{project.votes.total:,}",
                     format_money(project.amount), outcome])
    votes = sum(p.votes.total for p in pb_round.projects)
    footer = [[f"All {len(rows)} projects", "", f"{votes:,}",
               format_money(_sum([p.amount for p in pb_round.projects])), ""]]
    if result is not None:
        footer.append(["Funded", "", "", format_money(result.funded),
                       f"{len(result.winners)} projects"])
    fund = ledger.funds.funds.get(pb_round.fund)
    name = pb_round.title or (fund.name if fund else pb_round.fund)
    day = pb_round.date
    if result is None:  # only with --allow-problems: `check` says why
        how = "Its result is not counted here until the errors in its data are corrected."
    else:
        how = _METHOD_WORDS[pb_round.method].format(
            most=("most-voted project" if pb_round.per_area == 1
                  else f"{pb_round.per_area} most-voted projects"),
            were="was" if pb_round.per_area == 1 else "were", budget=format_money(result.budget))
    about = (f"<p>{escape(name)}: the people voted, and the result was declared on "
             f"{day.day} {day:%B %Y}. {escape(how)}</p>\n")
    return about + _table(f"{escape(name)}: the public vote",
                          ["Project", "Area", "Votes", "Amount", "Funded"], rows, {2, 3},
                          footer)


def _grants_register(ledger: Ledger) -> str:
    """The crime and disorder reduction grants, by month of decision, with what the Specified
    Information Order 2011 asks for; then what they charge to each year, as `summary` does."""
    grants = register_grants(ledger)
    intro = ("<p>Each crime and disorder reduction grant, with its recipient, purpose, the "
             "reasons it will help reduce crime and disorder, and its conditions, as the Elected "
             "Local Policing Bodies (Specified Information) Order 2011 requires; newest decisions "
             'first. Also as <a href="grants-register.csv">grants-register.csv</a>.</p>')
    if not grants:
        return intro + "\n<p>No crime and disorder reduction grants have been made.</p>"
    headers = ["Grant", "Decided", "Recipient", "Fund", "Amount", "Purpose", "Reasons",
               "Conditions"]
    tables = []
    for month, entries in by_month(grants):
        rows = []
        for entry in entries:
            c = entry.commitment
            assert c.approved is not None
            years = f" ({span(c)})" if c.last_year != c.year else ""
            conditions = "".join(f"<li>{escape(condition)}</li>" for condition in c.conditions)
            rows.append([
                escape(f"{c.title}{years} ({c.id})"), c.approved.isoformat(),
                escape(recipient_shown(c)), escape(ledger.funds.funds[c.fund].name),
                format_money(c.amount), escape(c.purpose or ""), escape(c.reasons or ""),
                f"<ul>{conditions}</ul>" if conditions else "",
            ])
        total = _sum([e.commitment.amount for e in entries])
        footer = [f"{len(entries)} grant{'s' if len(entries) != 1 else ''}", "", "", "",
                  format_money(total), "", "", ""]
        tables.append(_table(f"Grants decided in {month:%B %Y}", headers, rows, {4}, [footer]))
    totals = year_totals(ledger, grants)
    rows = [[escape(str(year)), format_money(amount)] for year, amount in totals]
    tables.append(_table("Grants register: charged to each year", ["Year", "Committed"], rows,
                         {1}))
    return intro + "\n" + "\n".join(tables)


def _ids(ids: list[str]) -> str:
    """Ids as a list, one a line: a phone would break them at their hyphens."""
    return f"<ul>{''.join(f'<li>{escape(i)}</li>' for i in ids)}</ul>" if ids else ""


def _decisions(ledger: Ledger) -> str:
    """Each decision reference with its date, what it made and their total."""
    found = decisions(ledger)
    intro = ("<p>Each decision, newest first: the commitments and transfers it made and what "
             'they add up to. Also as <a href="decisions.csv">decisions.csv</a>.</p>')
    missing = undecided(ledger)
    note = (f"\n<p>{len(missing)} approved commitment{'s' if len(missing) != 1 else ''} "
            f"({escape(', '.join(c.id for c in missing))}) "
            f"record{'s' if len(missing) == 1 else ''} no decision reference, so "
            "no decision lists them.</p>") if missing else ""
    if not found:
        return intro + "\n<p>No decisions are recorded.</p>" + note
    rows = [[escape(d.reference), d.date.isoformat(),
             _ids([c.id for c in d.commitments]), _ids(d.transfers),
             format_money(d.committed), format_money(d.transferred), format_money(d.total)]
            for d in found]
    footer = [f"{len(found)} decisions", "", "", "",
              format_money(_sum([d.committed for d in found])),
              format_money(_sum([d.transferred for d in found])),
              format_money(_sum([d.total for d in found]))]
    return intro + "\n" + _table(
        "Decisions", ["Decision", "Date", "Grants", "Transfers", "Committed",
                      "Transferred", "Total"], rows, {4, 5, 6}, [footer]) + note


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
        votes = "".join(f"\n{_round_table(ledger, entry)}" for entry in
                        sorted(ledger.rounds, key=lambda e: (e.round.fund, e.round.id))
                        if entry.round.year == year)
        sections.append(
            f'<section aria-labelledby="{anchor}">\n<h2 id="{anchor}">{escape(str(year))}</h2>\n'
            f"{_funds_table(year, positions)}\n{_projects_table(ledger, year, mine)}{votes}\n"
            "</section>"
        )
    sections.append('<section aria-labelledby="grants-register">\n<h2 id="grants-register">'
                    f"Grants register</h2>\n{_grants_register(ledger)}\n</section>")
    sections.append('<section aria-labelledby="decisions">\n<h2 id="decisions">Decisions</h2>'
                    f"\n{_decisions(ledger)}\n</section>")
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
