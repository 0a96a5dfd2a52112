"""The ledger as a double-entry journal, for beancount (Fava) and hledger.

Accounts carry the fund, the year and the part of the allocation:

    Income:Allocations:<Fund>:<FY>              where each allocation comes from
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
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..ledger import UNFENCED, Entry, Ledger, Pot, ReserveBalance
from ..scalars import FinancialYear

CURRENCY = "GBP"


@dataclass(frozen=True)
class Posting:
    account: str
    amount: Decimal


@dataclass(frozen=True)
class Transaction:
    day: date
    payee: str
    narration: str
    postings: tuple[Posting, ...]
    meta: dict[str, str] = field(default_factory=dict)
    order: int = 0  # allocations, then commitments, then payments on the same day

    @property
    def day_year(self) -> FinancialYear:
        return FinancialYear(self.day.year if self.day.month >= 4 else self.day.year - 1)


def component(name: str) -> str:
    """`child-sexual-abuse` -> `Child-Sexual-Abuse`: a valid account component in both tools."""
    words = [word for word in name.replace("_", "-").split("-") if word]
    return "-".join(word[:1].upper() + word[1:] for word in words) or "X"


def year_component(year: FinancialYear) -> str:
    return f"FY{str(year).replace('/', '-')}"


def account(kind: str, pot: Pot) -> str:
    parts = [kind, component(pot.fund_id), year_component(pot.year)]
    if pot.part is not None:
        parts.append("Unfenced" if pot.part == UNFENCED else component(pot.part))
    return ":".join(parts)


def reserve_account(kind: str, reserve_id: str) -> str:
    return f"{kind}:Reserves:{component(reserve_id)}"


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
            meta, order=1)


def _allocation(name: str, whole: Pot, parts: list[Pot]) -> Iterator[Transaction]:
    # Book every part with a stated amount: with no stated total, a ring-fence may still have
    # one (and its commitments then draw on it, like any other).
    postings = [Posting(account("Assets:Available", pot), pot.original)
                for pot in (parts or [whole]) if pot.original]
    if not postings:
        return
    source = f"Income:Allocations:{component(whole.fund_id)}:{year_component(whole.year)}"
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
    yield Transaction(c.approved, c.recipient.name, c.title,
                      (Posting(committed, c.amount), Posting(source, -c.amount)), meta, order=1)
    for payment in c.payments:
        yield Transaction(payment.date, c.recipient.name, f"Payment on {c.id}",
                          (Posting(account("Expenses:Paid", pot), payment.amount),
                           Posting(committed, -payment.amount)), {"id": c.id}, order=2)


def accounts_and_first_day(found: list[Transaction]) -> tuple[list[str], date]:
    names = sorted({posting.account for t in found for posting in t.postings})
    first = min((t.day for t in found), default=date(2000, 1, 1))
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


def beancount_journal(ledger: Ledger) -> str:
    found = transactions(ledger)
    names, first = accounts_and_first_day(found)
    lines = [
        f"; {_one_line(ledger.funds.organisation.name)}: exported by pcc-ledger",
        f'option "title" {_quote(ledger.funds.organisation.name)}',
        f'option "operating_currency" "{CURRENCY}"',
        "",
        *[f"{first.isoformat()} open {name} {CURRENCY}" for name in names],
    ]
    for t in found:
        lines.append("")
        lines.append(f"{t.day.isoformat()} * {_quote(t.payee)} {_quote(t.narration)}")
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
    names, _ = accounts_and_first_day(found)
    lines = [
        f"; {_one_line(ledger.funds.organisation.name)}: exported by pcc-ledger",
        f"commodity 1,000.00 {CURRENCY}",
        "",
        *[f"account {name}" for name in names],
    ]
    for t in found:
        code = _hledger_text(t.meta.get("id", year_component(t.day_year))).replace(")", "]")
        tags = ", ".join(f"{key}:{_hledger_text(value).replace(',', ' ')}"
                         for key, value in t.meta.items())
        lines.append("")
        description = f"{_hledger_text(t.payee)} | {_hledger_text(t.narration)}"
        # An explicit code: otherwise a payee such as "(Paren) Trust" would be read as one.
        lines.append(f"{t.day.isoformat()} * ({code}) {description}"
                     + (f"  ; {tags}" if tags else ""))
        lines.extend(_postings(t, indent="    "))
    return "\n".join(lines) + "\n"
