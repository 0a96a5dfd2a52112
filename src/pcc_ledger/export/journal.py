"""The ledger as a double-entry journal, for beancount (Fava) and hledger.

Accounts carry the fund, the year and the part of the allocation:

    Equity:Allocations:<Fund>:<FY>              where each allocation comes from
    Assets:Available:<Fund>:<FY>[:<Part>]       allocation - committed  (pcc-ledger's available)
    Assets:Committed:<Fund>:<FY>[:<Part>]       committed - paid        (outstanding)
    Expenses:Paid:<Fund>:<FY>[:<Part>]          paid
    Equity:Unstated-Allocations:<Fund>:<FY>     the source of commitments on an allocation
                                                the framework states no amount for
    Assets:Reserves:<Reserve>                   an earmarked reserve's balance
    Equity:Reserves:<Reserve>                   where a reserve's opening balance comes from

<Part> is the ring-fence, or `Unfenced`, for allocations that have ring-fences. An allocation is
booked on the first day of its year, a commitment on the day it was approved, a payment on its
date. A transfer moves money between the Available accounts of its ends (or a reserve's) on
its date, so each Available balance is the revised allocation less what is committed. A
commitment over several years is booked once per year charged, with the payments attributed to
that year. Proposed and cancelled commitments, and payments on them, move no money and are left
out, as they are from pcc-ledger's own totals; so the balances equal `pcc-ledger summary`.

An allocation is money the commissioner is given to spend, not income earned: it is booked from
Equity, so an income statement (Fava's, hledger's `incomestatement`) shows what was paid, not
the unspent allocation as a "Net Profit".

Budgets: each stated pot's revised allocation is the budget of its `Expenses:Paid` account for
its year, so Fava and `hledger bal --budget` compare the allocation with what has been paid.
Paid, not committed: the Expenses accounts hold exactly `paid` (committed money is still an
asset, set aside in `Assets:Committed`), and a budget report compares a budget with the change
in an account. The budget goes on the most specific account (each ring-fence and `Unfenced`),
never on a parent too, as both tools add children's budgets into their parent's.

- beancount: `custom "budget"` entries, "quarterly" at a quarter of the allocation from the
  first day of the year and 0 from the first day of the next. Fava spreads a "yearly" budget
  over the calendar year, so a financial year with a 29 February would get 275/365 + 91/366 of
  it; the four calendar quarters April to March are exactly the year, so quarterly sums to the
  allocation in every year. Each entry carries the allocation itself, as `revised-allocation:`.
  `fiscal-year-end` "15-31" makes Fava's `FY2017` the year 2017/18 (April 2017 to March 2018),
  named by its first year as pcc-ledger and the account names do.
- hledger: a periodic transaction per fund-year, `~ every 12 months from <first day> to
  <first day of the next year>`, which occurs once, on the first day (hledger refuses
  `yearly from 2017-04-01`: not the first day of a calendar year). Its postings are unbalanced
  virtual ones, so only the Expenses accounts carry a budget.

A commitment and its payments share a beancount link (`^<id>`); a commitment or transfer from
a file marked `illustrative: true`, and its payments, are tagged `#illustrative` (an
`illustrative:` tag in hledger).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..ledger import UNFENCED, Entry, Ledger, Pot, ReserveBalance
from ..scalars import FinancialYear

CURRENCY = "GBP"
ILLUSTRATIVE = "illustrative"
# Fava's financial year: month 15 is March of the next year, so `FY2017` is 2017/18.
FISCAL_YEAR_END = "15-31"


# Postings and transactions are made by the hundred thousand and never changed: plain slotted
# classes, as a frozen dataclass sets each field through object.__setattr__ (a tenth of an
# export).
@dataclass(slots=True)
class Posting:
    account: str
    amount: Decimal


@dataclass(frozen=True)
class Budget:
    """A pot's revised allocation, the budget of its Expenses:Paid account for its year."""

    account: str
    year: FinancialYear
    amount: Decimal
    payee: str

    @property
    def end(self) -> date:
        """The first day after the year."""
        return date(self.year.start + 1, 4, 1)


@dataclass(slots=True)
class Transaction:
    day: date
    payee: str
    narration: str
    postings: tuple[Posting, ...]
    meta: dict[str, str] = field(default_factory=dict)
    order: int = 0  # allocations, then commitments, then payments on the same day
    links: tuple[str, ...] = ()  # a commitment's id, on it and on its payments
    tags: tuple[str, ...] = ()  # ILLUSTRATIVE, for entries from a file marked so

    @property
    def day_year(self) -> FinancialYear:
        return FinancialYear(self.day.year if self.day.month >= 4 else self.day.year - 1)


@functools.lru_cache(maxsize=4096)  # a few fund, ring-fence and reserve names, on every posting
def component(name: str) -> str:
    """`child-sexual-abuse` -> `Child-Sexual-Abuse`: a valid account component in both tools."""
    words = [word for word in name.replace("_", "-").split("-") if word]
    return "-".join(word[:1].upper() + word[1:] for word in words) or "X"


def year_component(year: FinancialYear) -> str:
    return f"FY{str(year).replace('/', '-')}"


def account(kind: str, pot: Pot) -> str:
    return _account(kind, pot.fund_id, pot.year, pot.part)


@functools.lru_cache(maxsize=4096)  # every posting of a pot names the same account
def _account(kind: str, fund_id: str, year: FinancialYear, part: str | None) -> str:
    parts = [kind, component(fund_id), year_component(year)]
    if part is not None:
        parts.append("Unfenced" if part == UNFENCED else component(part))
    return ":".join(parts)


def reserve_account(kind: str, reserve_id: str) -> str:
    return f"{kind}:Reserves:{component(reserve_id)}"


def link(commitment_id: str) -> str:
    """A beancount link name: ids are letters, digits and `._/-` already; anything else, which
    only data with problems could carry, becomes `-`."""
    return re.sub(r"[^A-Za-z0-9._/-]", "-", commitment_id) or "X"


def budgets(ledger: Ledger) -> list[Budget]:
    """One budget for each pot with a stated amount, on the account its payments go to: the
    parts of an allocation with ring-fences, else the whole (never both: each tool adds a
    child's budget into its parent's)."""
    found: list[Budget] = []
    for position in ledger.select():
        for pot in list(position.parts.values()) or [position.whole]:
            if pot.limit is not None:
                found.append(Budget(account("Expenses:Paid", pot), pot.year, pot.limit,
                                    position.fund.name))
    return sorted(found, key=lambda b: (b.year.start, b.account))


def transactions(ledger: Ledger) -> list[Transaction]:
    found: list[Transaction] = []
    for position in ledger.select():
        found.extend(_allocation(position.fund.name, position.whole, list(position.parts.values())))
        pots = list(position.parts.values()) or [position.whole]
        for pot in pots:
            for entry in pot.approved:
                found.extend(_commitment(entry, pot))
    for balance in ledger.reserves.values():
        opening = balance.reserve.opening
        if balance.opening and opening is not None:
            found.append(Transaction(
                opening.date, balance.reserve.name, f"Opening balance of {balance.reserve_id}",
                (Posting(reserve_account("Assets", balance.reserve_id), balance.opening),
                 Posting(reserve_account("Equity", balance.reserve_id), -balance.opening)),
                order=0))
    found.extend(_transfers(ledger))
    return sorted(found, key=lambda t: (t.day, t.order, t.meta.get("id", ""), t.narration))


def _transfers(ledger: Ledger) -> Iterator[Transaction]:
    """Each transfer the ledger applied, between the most specific accounts of its ends."""
    for entry in ledger.moves:
        transfer = entry.transfer
        ends = ledger.ends_of(transfer)
        if ends is None:
            continue
        accounts = [
            reserve_account("Assets", end.reserve_id) if isinstance(end, ReserveBalance)
            else account("Assets:Available", end[-1])
            for end in ends
        ]
        meta = {"id": transfer.id, "kind": transfer.kind}
        if transfer.decision:
            meta["decision"] = transfer.decision
        yield Transaction(
            transfer.date, ledger.funds.organisation.name,
            transfer.reason or f"{transfer.kind.capitalize()} {transfer.id}",
            (Posting(accounts[1], transfer.amount), Posting(accounts[0], -transfer.amount)),
            meta, order=1, tags=_tags(entry.illustrative))


def _tags(illustrative: bool) -> tuple[str, ...]:
    return (ILLUSTRATIVE,) if illustrative else ()


def _allocation(name: str, whole: Pot, parts: list[Pot]) -> Iterator[Transaction]:
    # Book every part with a stated amount: with no stated total, a ring-fence may still have
    # one (and its commitments then draw on it, like any other).
    postings = [Posting(account("Assets:Available", pot), pot.original)
                for pot in (parts or [whole]) if pot.original]
    if not postings:
        return
    source = f"Equity:Allocations:{component(whole.fund_id)}:{year_component(whole.year)}"
    postings.append(Posting(source, -sum((p.amount for p in postings), Decimal(0))))
    yield Transaction(whole.year.first_day, name, f"Allocation {whole.year}", tuple(postings),
                      order=0)


def _commitment(entry: Entry, pot: Pot) -> Iterator[Transaction]:
    c = entry.commitment
    assert c.approved is not None  # approved commitments have a date (check enforces it)
    committed = account("Assets:Committed", pot)
    if pot.limit is None:
        source = (f"Equity:Unstated-Allocations:{component(pot.fund_id)}:"
                  f"{year_component(pot.year)}")
    else:
        source = account("Assets:Available", pot)
    meta = {"id": c.id, "objective": c.objective, "recipient-type": c.recipient.type}
    if c.decision:
        meta["decision"] = c.decision
    links, tags = (link(c.id),), _tags(entry.illustrative)
    yield Transaction(c.approved, c.recipient.name, c.title,
                      (Posting(committed, c.amount), Posting(source, -c.amount)), meta, order=1,
                      links=links, tags=tags)
    for payment in c.payments:
        yield Transaction(payment.date, c.recipient.name, f"Payment on {c.id}",
                          (Posting(account("Expenses:Paid", pot), payment.amount),
                           Posting(committed, -payment.amount)), {"id": c.id}, order=2,
                          links=links, tags=tags)


def accounts_and_first_day(found: list[Transaction],
                           planned: list[Budget]) -> tuple[list[str], date]:
    """Every account posted to or budgeted (a year with nothing paid yet still shows its
    budget), and the first day of the journal."""
    names = sorted({posting.account for t in found for posting in t.postings}
                   | {budget.account for budget in planned})
    first = min([t.day for t in found] + [b.year.first_day for b in planned],
                default=date(2000, 1, 1))
    return names, first


def _one_line(text: str) -> str:
    """A value from the data, made safe to stand in a comment line: it cannot start another."""
    return " ".join(text.split())


def _quote(text: str) -> str:
    """A beancount string: backslashes and quotes escaped, on one line."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", " ").replace("\r", " ") + '"'


def _amount(value: Decimal) -> str:
    return f"{value:.2f} {CURRENCY}"


def _quarter(value: Decimal) -> str:
    """A quarter of an amount, exactly: to two places, or to as many as it needs (four, for
    an amount in pennies)."""
    quarter = value / 4
    return f"{quarter:.2f} {CURRENCY}" if quarter == round(quarter, 2) else \
        f"{quarter:f} {CURRENCY}"


def beancount_journal(ledger: Ledger) -> str:
    found = transactions(ledger)
    planned = budgets(ledger)
    names, first = accounts_and_first_day(found, planned)
    lines = [
        f"; {_one_line(ledger.funds.organisation.name)}: exported by pcc-ledger",
        f'option "title" {_quote(ledger.funds.organisation.name)}',
        f'option "operating_currency" "{CURRENCY}"',
        "; Fava's financial year: FY2017 is April 2017 to March 2018",
        f'1970-01-01 custom "fava-option" "fiscal-year-end" "{FISCAL_YEAR_END}"',
        "",
        *[f"{first.isoformat()} open {name} {CURRENCY}" for name in names],
    ]
    if planned:
        lines += ["", "; Budgets: each revised allocation, on the account its payments go to, "
                  "for its year", "; (quarterly: a quarter of it in each calendar quarter)"]
    width = max((len(budget.account) for budget in planned), default=0)
    for budget in planned:
        name = budget.account.ljust(width)
        lines.append(f'{budget.year.first_day.isoformat()} custom "budget" {name} "quarterly" '
                     f"{_quarter(budget.amount):>16}")
        lines.append(f"  revised-allocation: {_amount(budget.amount)}")
        lines.append(f'{budget.end.isoformat()} custom "budget" {name} "quarterly" '
                     f"{_amount(Decimal(0)):>16}")
    for t in found:
        lines.append("")
        marks = "".join(f" #{tag}" for tag in t.tags) + "".join(f" ^{ln}" for ln in t.links)
        lines.append(f"{t.day.isoformat()} * {_quote(t.payee)} {_quote(t.narration)}{marks}")
        lines.extend(f"  {key}: {_quote(value)}" for key, value in t.meta.items())
        lines.extend(_postings(t, indent="  "))
    return "\n".join(lines) + "\n"


def _postings(t: Transaction, indent: str) -> list[str]:
    """The postings, accounts aligned and amounts right-aligned, as both tools accept."""
    width = max(len(p.account) for p in t.postings) + len(indent)
    return [f"{indent}{p.account.ljust(width)}{_amount(p.amount):>20}" for p in t.postings]


def _hledger_text(text: str) -> str:
    """hledger descriptions and tag values end at a `|`, `;` or `,`; keep them on one line."""
    return " ".join(text.replace(";", ",").replace("|", "/").split())


def hledger_journal(ledger: Ledger) -> str:
    found = transactions(ledger)
    planned = budgets(ledger)
    names, _ = accounts_and_first_day(found, planned)
    lines = [
        f"; {_one_line(ledger.funds.organisation.name)}: exported by pcc-ledger",
        f"commodity 1,000.00 {CURRENCY}",
        "",
        *[f"account {name}" for name in names],
    ]
    if planned:
        lines += ["", "; Budgets for `hledger bal --budget`: each revised allocation, on the "
                  "account its", "; payments go to, once on the first day of its year"]
    for (year, payee), group in _by_year_and_fund(planned):
        lines.append("")
        lines.append(f"~ every 12 months from {year.first_day.isoformat()} to "
                     f"{group[0].end.isoformat()}  {_hledger_text(payee)} | Budget {year}")
        width = max(len(budget.account) for budget in group) + 2
        # Grouped digits: hledger 1.25 shows a budget's amount as written, not in the
        # commodity's style.
        lines.extend(f"    {('(' + b.account + ')').ljust(width)}{b.amount:>18,.2f} {CURRENCY}"
                     for b in group)
    for t in found:
        code = _hledger_text(t.meta.get("id", year_component(t.day_year))).replace(")", "]")
        tags = ", ".join([f"{key}:{_hledger_text(value).replace(',', ' ')}"
                          for key, value in t.meta.items()] + [f"{tag}:" for tag in t.tags])
        lines.append("")
        description = f"{_hledger_text(t.payee)} | {_hledger_text(t.narration)}"
        # An explicit code: otherwise a payee such as "(Paren) Trust" would be read as one.
        lines.append(f"{t.day.isoformat()} * ({code}) {description}"
                     + (f"  ; {tags}" if tags else ""))
        lines.extend(_postings(t, indent="    "))
    return "\n".join(lines) + "\n"


def _by_year_and_fund(planned: list[Budget]) -> list[tuple[tuple[FinancialYear, str],
                                                            list[Budget]]]:
    """Budgets grouped by year and fund (the fund-year's parts together), years in order."""
    groups: dict[tuple[FinancialYear, str, str], list[Budget]] = {}
    for budget in planned:
        fund_year = ":".join(budget.account.split(":")[:4])  # Expenses:Paid:<Fund>:<FY>
        groups.setdefault((budget.year, fund_year, budget.payee), []).append(budget)
    return [((year, payee), group) for (year, _, payee), group in groups.items()]
