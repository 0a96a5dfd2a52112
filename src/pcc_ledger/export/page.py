"""The transparency page of `pcc-ledger publish`: for each year, each fund's allocation and what
was committed, and the table of funded projects (framework section 8).

Two pages, each one self-contained file: `index.html` in English and `cy/index.html` in Welsh,
each linking the other at its top. Every fixed text is a msgid of the message catalogue, marked
here by `t.gettext`, `t.ngettext`, `t.html` or `N_` (export/language.py; `pybabel extract`
finds them); data texts on the Welsh page are their `_cy` twins, or the English marked as such.
No scripts, no fonts or styles from the network, readable from disk and on a phone (on a narrow
screen each table row becomes a card whose cells are labelled with their column's name). The
links to the open data come first; then the years that funded projects, newest first, then the
years that funded none. Every text from the data passes through html.escape, so a recipient
named `<script>alert(1)</script>` is shown, never run.

The stylesheet, shared with `--format html`, is render/stylesheet.py's `STYLE`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from html import escape
from re import sub

from ..ledger import Ledger, Position, Pot, RoundEntry
from ..model import INDIVIDUAL_TYPES, Commitment
from ..render.stylesheet import STYLE
from ..rounds import candidates, tally_round
from ..scalars import FinancialYear
from ..tally import preference
from .language import Language, english, welsh
from .registers import by_month, decisions, register_grants, undecided, year_totals
from .threesixty import Grant


def N_(message: str) -> str:  # gettext's name for "translate later"
    """Marks a msgid for `pybabel extract` where it is written; translated where it is used."""
    return message


# threesixty.INDIVIDUAL_NAME, the name the 360Giving standard suggests (a test holds them equal)
INDIVIDUAL = N_("Individual Recipient")


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
    label = sub(r"<[^>]*>", "", caption)  # no markup in an attribute (an English-only note)
    return (f'<div class="scroll" tabindex="0" role="region" aria-label="{label}"><table>\n'
            f"<caption>{caption}</caption>\n<thead><tr>{head}"
            f"</tr></thead>\n<tbody>\n{body}\n</tbody>{foot}\n</table></div>")


def _headers(t: Language, *names: str) -> list[str]:
    return [escape(t.gettext(name)) for name in names]


def _sum(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def _not_stated(t: Language) -> str:
    return escape(t.gettext("not stated"))


def _allocation(t: Language, position: Position) -> str:
    amount = position.allocation.amount
    return _not_stated(t) if amount is None else t.money(amount)


def _moved(pots: list[Pot]) -> Decimal:
    return _sum([pot.transfers_in - pot.transfers_out for pot in pots])


def _signed(t: Language, amount: Decimal) -> str:
    return ("+" if amount > 0 else "") + t.money(amount)


def _total(t: Language, label: str, pots: list[Pot], allocation: str, moves: bool) -> list[str]:
    """A totals row; with `moves`, the transfers and the revised allocation too (blank where
    the allocation is: not stated, or not to be added up)."""
    committed = t.money(_sum([pot.committed for pot in pots]))
    if not moves:
        return [label, allocation, committed]
    stated = allocation not in ("", _not_stated(t))
    revised = t.money(_sum([pot.limit or Decimal(0) for pot in pots])) if stated else ""
    return [label, allocation, _signed(t, _moved(pots)) if stated else "",
            revised or allocation, committed]


def _funds_totals(t: Language, positions: list[Position], moves: bool) -> list[list[str]]:
    """The totals of one year, as `summary` makes them: a fund with no stated allocation has
    nothing to add to the allocations, so when both kinds are listed each has its subtotal and
    the total adds up only what was committed."""
    stated = [p.whole for p in positions if p.allocation.amount is not None]
    unstated = [p.whole for p in positions if p.allocation.amount is None]
    allocated = t.money(_sum([p.allocation.amount for p in positions
                              if p.allocation.amount is not None]))
    total = escape(t.gettext("Total"))
    if stated and unstated:
        return [
            _total(t, escape(t.gettext("Subtotal, stated allocations")), stated, allocated,
                   moves),
            _total(t, escape(t.gettext("Subtotal, no stated allocation")), unstated,
                   _not_stated(t), moves),
            _total(t, total, stated + unstated, "", moves),
        ]
    if stated:
        return [_total(t, total, stated, allocated, moves)]
    return [_total(t, total, unstated, _not_stated(t), moves)]


def _funds_table(t: Language, year: FinancialYear, positions: list[Position]) -> str:
    """Each fund's allocation and what was committed; in a year money moved in or out of
    (virements, carry-forwards, reserves), the transfers and the revised allocation too, so
    that a fund committing more than its allocation is seen to have had the money."""
    moves = any(p.whole.transfers_in or p.whole.transfers_out for p in positions)
    rows = []
    for p in positions:
        row = [t.text(p.fund, "name"), _allocation(t, p)]
        if moves:
            stated = p.whole.limit is not None
            row += [_signed(t, _moved([p.whole])) if stated else "",
                    t.money(p.whole.limit) if p.whole.limit is not None else _not_stated(t)]
        rows.append([*row, t.money(p.whole.committed)])
    footer = _funds_totals(t, positions, moves) if positions else []
    headers = (_headers(t, N_("Fund"), N_("Allocation"), N_("Transfers"),
                        N_("Revised allocation"), N_("Committed"))
               if moves else _headers(t, N_("Fund"), N_("Allocation"), N_("Committed")))
    return _table(t.html("Funds in {year}", year=escape(str(year))), headers, rows,
                  set(range(1, len(headers))), footer)


def _span(t: Language, c: Commitment) -> str:
    """`2017/18`, or `2017/18 to 2019/20` for a commitment over several years."""
    if c.last_year == c.year:
        return escape(str(c.year))
    return t.html("{first} to {last}", first=escape(str(c.year)), last=escape(str(c.last_year)))


def _recipient(t: Language, c: Commitment) -> str:
    """The recipient as published: never a person's name."""
    if c.recipient.type in INDIVIDUAL_TYPES:
        return escape(t.gettext(INDIVIDUAL))
    return escape(c.recipient.name)


def _fund_name(t: Language, ledger: Ledger, fund_id: str) -> str:
    return t.text(ledger.funds.funds[fund_id], "name")


def _objective(t: Language, ledger: Ledger, objective: str) -> str:
    funds = ledger.funds
    title = funds.objectives.get(objective, objective)
    return t.twin(title, funds.objective_title_cy(objective) if t.welsh else None)


def _projects_table(t: Language, ledger: Ledger, year: FinancialYear,
                    grants: list[Grant]) -> str:
    if not grants:
        none = t.html("No projects were funded in {year}.", year=escape(str(year)))
        return f"<p>{none}</p>"
    rows = []
    for grant in grants:
        c = grant.entry.commitment
        # A grant over several years is listed under the year it was awarded, with its whole
        # amount: say so beside its title.
        years = f" ({_span(t, c)})" if c.last_year != c.year else ""
        rows.append([
            t.text(c, "title") + years, _recipient(t, c), _fund_name(t, ledger, c.fund),
            t.money(c.amount), _objective(t, ledger, c.objective),
            t.text(c, "area") if c.area else t.text(ledger.funds.organisation, "area"),
        ])
    total = _sum([g.entry.commitment.amount for g in grants])
    count = escape(t.ngettext("{n} projects", "{n} projects", len(grants)).format(
        n=t.number(len(grants))))
    footer = [count, "", "", t.money(total), "", ""]
    return _table(t.html("Funded projects in {year}", year=escape(str(year))),
                  _headers(t, N_("Project"), N_("Recipient"), N_("Fund"), N_("Amount"),
                           N_("Objective"), N_("Area")),
                  rows, {3}, [footer])


_METHOD_WORDS = {
    "greedy": N_("The projects were funded in order of votes while the budget of {budget} "
                 "lasted."),
    "equal-shares": N_("The budget of {budget} was shared out by the Method of Equal Shares, "
                       "which gives each group of voters a fair share of it."),
}


def _method(t: Language, method: str, per_area: int | None, budget: str) -> str:
    if method == "top-per-area":
        return t.ngettext(
            "The most-voted project of each area was funded in order of votes while the "
            "budget of {budget} lasted.",
            "The {n} most-voted projects of each area were funded in order of votes while the "
            "budget of {budget} lasted.", per_area or 1).format(n=per_area, budget=budget)
    return t.gettext(_METHOD_WORDS[method]).format(budget=budget)


def _round_table(t: Language, ledger: Ledger, entry: RoundEntry) -> str:
    """A round's projects with their votes and whether they were funded: counts only, never a
    ballot (a ballot file may show how someone voted)."""
    pb_round = entry.round
    result = tally_round(ledger, entry)
    funded = ({o.candidate.id for o in result.outcomes if o.funded}
              if result is not None else None)
    rank = {candidate.id: preference(candidate) for candidate in candidates(pb_round)}
    rows = []
    for project in sorted(pb_round.projects, key=lambda p: rank[p.id]):
        outcome = (t.gettext("not counted") if funded is None
                   else t.gettext("Yes") if project.id in funded else t.gettext("No"))
        rows.append([t.text(project, "title"), t.text(project, "area"),
                     t.number(project.votes.total), t.money(project.amount), escape(outcome)])
    votes = sum(p.votes.total for p in pb_round.projects)
    footer = [[escape(t.gettext("All {n} projects").format(n=len(rows))), "", t.number(votes),
               t.money(_sum([p.amount for p in pb_round.projects])), ""]]
    if result is not None:
        footer.append([escape(t.gettext("Funded")), "", "", t.money(result.funded),
                       escape(t.ngettext("{n} projects", "{n} projects",
                                         len(result.winners)).format(n=len(result.winners)))])
    fund = ledger.funds.funds.get(pb_round.fund)
    if pb_round.title:
        name = t.text(pb_round, "title")
    elif fund is not None:
        name = t.text(fund, "name")
    else:
        name = escape(pb_round.fund)
    if result is None:  # only with --allow-problems: `check` says why
        how = t.gettext("Its result is not counted here until the errors in its data are "
                        "corrected.")
    else:
        how = _method(t, pb_round.method, pb_round.per_area, t.money(result.budget))
    about = t.html("{name}: the people voted, and the result was declared on {day}. {how}",
                   name=name, day=escape(t.day(pb_round.date)), how=escape(how))
    return f"<p>{about}</p>\n" + _table(
        t.html("{name}: the public vote", name=name),
        _headers(t, N_("Project"), N_("Area"), N_("Votes"), N_("Amount"), N_("Funded")), rows,
        {2, 3}, footer)


def _link(t: Language, name: str) -> str:
    return f'<a href="{t.root}{name}">{name}</a>'


def _conditions(t: Language, c: Commitment) -> str:
    """The conditions as a list: in Welsh if every one has its Welsh (`conditions_cy`, in the
    same order), else the English ones marked."""
    welsh_ones = c.conditions_cy if t.welsh else []
    if t.welsh and len(welsh_ones) == len(c.conditions):
        items = [t.twin(english, cy) for english, cy in zip(c.conditions, welsh_ones)]
    else:
        items = [t.twin(english, None) for english in c.conditions]
    return f"<ul>{''.join(f'<li>{item}</li>' for item in items)}</ul>" if items else ""


def _grants_register(t: Language, ledger: Ledger) -> str:
    """The crime and disorder reduction grants, by month of decision, with what the Specified
    Information Order 2011 asks for; then what they charge to each year, as `summary` does."""
    grants = register_grants(ledger)
    intro = "<p>" + t.html(
        "Each crime and disorder reduction grant, with its recipient, purpose, the reasons it "
        "will help reduce crime and disorder, and its conditions, as the Elected Local Policing "
        "Bodies (Specified Information) Order 2011 requires; newest decisions first. Also as "
        "{link}.", link=_link(t, "grants-register.csv")) + "</p>"
    if not grants:
        return intro + "\n<p>" + escape(t.gettext(
            "No crime and disorder reduction grants have been made.")) + "</p>"
    headers = _headers(t, N_("Grant"), N_("Decided"), N_("Recipient"), N_("Fund"),
                       N_("Amount"), N_("Purpose"), N_("Reasons"), N_("Conditions"))
    tables = []
    for month, entries in by_month(grants):
        rows = []
        for entry in entries:
            c = entry.commitment
            assert c.approved is not None
            years = f" ({_span(t, c)})" if c.last_year != c.year else ""
            rows.append([
                f"{t.text(c, 'title')}{years} ({escape(c.id)})", c.approved.isoformat(),
                _recipient(t, c), _fund_name(t, ledger, c.fund), t.money(c.amount),
                t.text(c, "purpose"), t.text(c, "reasons"), _conditions(t, c),
            ])
        total = _sum([e.commitment.amount for e in entries])
        count = t.ngettext("{n} grant", "{n} grants", len(entries)).format(n=len(entries))
        footer = [escape(count), "", "", "", t.money(total), "", "", ""]
        tables.append(_table(t.html("Grants decided in {month}", month=escape(t.month(month))),
                             headers, rows, {4}, [footer]))
    totals = year_totals(ledger, grants)
    rows = [[escape(str(year)), t.money(amount)] for year, amount in totals]
    tables.append(_table(escape(t.gettext("Grants register: charged to each year")),
                         _headers(t, N_("Year"), N_("Committed")), rows, {1}))
    return intro + "\n" + "\n".join(tables)


def _ids(ids: list[str]) -> str:
    """Ids as a list, one a line: a phone would break them at their hyphens."""
    return f"<ul>{''.join(f'<li>{escape(i)}</li>' for i in ids)}</ul>" if ids else ""


def _decisions(t: Language, ledger: Ledger) -> str:
    """Each decision reference with its date, what it made and their total."""
    found = decisions(ledger)
    intro = "<p>" + t.html(
        "Each decision, newest first: the commitments and transfers it made and what they add "
        "up to. Also as {link}.", link=_link(t, "decisions.csv")) + "</p>"
    missing = undecided(ledger)
    note = ("\n<p>" + escape(t.ngettext(
        "{n} approved commitment ({ids}) records no decision reference, so no decision lists "
        "it.",
        "{n} approved commitments ({ids}) record no decision reference, so no decision lists "
        "them.", len(missing))).format(n=str(len(missing)),
                                       ids=escape(", ".join(c.id for c in missing)))
            + "</p>") if missing else ""
    if not found:
        return intro + "\n<p>" + escape(t.gettext("No decisions are recorded.")) + "</p>" + note
    rows = [[escape(d.reference), d.date.isoformat(),
             _ids([c.id for c in d.commitments]), _ids(d.transfers),
             t.money(d.committed), t.money(d.transferred), t.money(d.total)]
            for d in found]
    footer = [escape(t.gettext("{n} decisions").format(n=len(found))), "", "", "",
              t.money(_sum([d.committed for d in found])),
              t.money(_sum([d.transferred for d in found])),
              t.money(_sum([d.total for d in found]))]
    return intro + "\n" + _table(
        escape(t.gettext("Decisions")),
        _headers(t, N_("Decision"), N_("Date"), N_("Grants"), N_("Transfers"), N_("Committed"),
                 N_("Transferred"), N_("Total")), rows, {4, 5, 6}, [footer]) + note


def _languages(t: Language) -> tuple[str, str]:
    """The link to the other language's page (for the top of the page) and the alternates
    for <head>."""
    here = "index.html"
    english_page, welsh_page = (f"{t.root}{here}", here) if t.welsh else (here, f"cy/{here}")
    if t.welsh:
        link = f'<a href="{english_page}" hreflang="en-GB" lang="en-GB">English</a>'
    else:
        link = f'<a href="{welsh_page}" hreflang="cy" lang="cy">Cymraeg</a>'
    alternates = (f'<link rel="alternate" hreflang="en-GB" href="{english_page}">\n'
                  f'<link rel="alternate" hreflang="cy" href="{welsh_page}">')
    return f'<p class="languages">{link}</p>', alternates


def transparency_page(ledger: Ledger, grants: list[Grant], modified: datetime,
                      language: Language | None = None) -> str:
    """The page in `language` (English by default)."""
    t = language or english()
    organisation = t.text(ledger.funds.organisation, "name")
    names = ledger.funds.organisation
    plain = escape((names.name_cy if t.welsh else None) or names.name)
    awarded = {g.entry.commitment.year for g in grants}
    # The years that funded projects first, then the others; newest first within each.
    years = sorted({p.year for p in ledger.select()},
                   key=lambda year: (year in awarded, year), reverse=True)
    sections = []
    for year in years:
        positions = ledger.select(year)
        mine = [g for g in grants if g.entry.commitment.year == year]
        anchor = "y" + str(year).replace("/", "-")
        votes = "".join(f"\n{_round_table(t, ledger, entry)}" for entry in
                        sorted(ledger.rounds, key=lambda e: (e.round.fund, e.round.id))
                        if entry.round.year == year)
        sections.append(
            f'<section aria-labelledby="{anchor}">\n<h2 id="{anchor}">{escape(str(year))}</h2>\n'
            f"{_funds_table(t, year, positions)}\n{_projects_table(t, ledger, year, mine)}"
            f"{votes}\n</section>"
        )
    register, decided = t.gettext("Grants register"), t.gettext("Decisions")
    sections.append('<section aria-labelledby="grants-register">\n<h2 id="grants-register">'
                    f"{escape(register)}</h2>\n{_grants_register(t, ledger)}\n</section>")
    sections.append('<section aria-labelledby="decisions">\n<h2 id="decisions">'
                    f"{escape(decided)}</h2>\n{_decisions(t, ledger)}\n</section>")
    illustrative = any(g.entry.illustrative for g in grants)
    note = ('<p class="note">' + escape(t.gettext(
        "These commitments are illustrative examples, not real decisions of the "
        "Commissioner.")) + "</p>\n" if illustrative else "")
    if t.english_only:
        note += ('<p class="note">' + escape(t.gettext(
            "Some texts from the records are not yet translated: they are shown in English, "
            "marked “English only”.")) + "</p>\n")
    stamp = modified.isoformat()
    day = (modified.strftime("%d %B %Y") if not t.welsh else t.day(modified.date()))
    languages, alternates = _languages(t)
    title = t.html("Funded projects: {organisation}", organisation=plain)
    heading = t.html("Projects and work programmes funded by the {organisation}",
                     organisation=organisation)
    promise = t.html("As the Commissioning Framework 2017–2021 (section 8) promises, this page "
                     "lists the projects that receive financial support, with each fund's "
                     "allocation and what was committed.")
    open_data = t.html("Open data in the 360Giving standard: {json} (package) and {csv} "
                       "(flattened).", json=_link(t, "360giving.json"),
                       csv=_link(t, "360giving.csv"))
    modified_on = t.html("Data last modified: {day}.",
                         day=f'<time datetime="{escape(stamp)}">{escape(day)}</time>')
    return f"""<!DOCTYPE html>
<html lang="{t.html_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{alternates}
<style>{STYLE}</style>
</head>
<body>
<header>
{languages}
<h1>{heading}</h1>
<p>{promise}</p>
<p>{open_data}</p>
<p>{modified_on}</p>
{note}</header>
<main>
{chr(10).join(sections)}
</main>
</body>
</html>
"""


def transparency_pages(ledger: Ledger, grants: list[Grant], modified: datetime
                       ) -> dict[str, str]:
    """Both pages, by their path in the published folder."""
    return {"index.html": transparency_page(ledger, grants, modified, english()),
            "cy/index.html": transparency_page(ledger, grants, modified, welsh())}
