#!/usr/bin/env python3
"""Write a synthetic pcc-ledger data directory, for benchmarks and load tests.

    python benchmarks/generate.py OUTDIR --commitments 100000 --files 40 [--seed 1]

OUTDIR gets a `funds.yaml` (five funds shaped like the North Wales ones, allocations for every
year from 2012/13 to 2030/31, ring-fences, and each kind of fund rule) and `--files` commitment
files below `OUTDIR/allocations/`, using every key of the format and every accepted way of
writing an amount.

The data is built to be clean: `pcc-ledger check --data OUTDIR` must report no problems, so a
benchmark measures the normal run. That takes some care, because the warnings of PRODUCT.md
fire on realistic-looking data too:

* an allocation or ring-fence unspent after its year has ended is a warning, so for every year
  that ended before `--as-of` the allocation (and each ring-fence) is set to exactly what its
  approved commitments add up to;
* an allocation that changes more than tenfold from one year to the next is a warning, so every
  fund gets about the same number of commitments each year;
* no decision or payment is dated after `--as-of` (a fixed date, not today, so the output
  depends on the arguments alone), so years after it hold proposals only.

`--transfers N` adds a file of N transfers: carry-forwards from one year to the next and
transfers into and out of an earmarked reserve, out of the year `--as-of` falls in (whose
commitments are approved, so judging a transfer against what was available on its date runs
through them) and the years after, each within what its source has left, so the data stays
clean. It measures what checking transfers costs beside the commitments.

`--errors` adds exactly one mistake to each file (a typo'd key, an over-commitment, a bad
amount, ...) so a benchmark can show what finding and locating problems costs.

Standard library only. Money is handled as integer pence and written as text, never as a float.
The same arguments always give byte-identical output.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

FIRST_YEAR, LAST_YEAR = 2012, 2030  # financial years 2012/13 .. 2030/31
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
DEFAULT_AS_OF = date(2026, 10, 31)
MANIFEST = ".pcc-ledger-benchmark-files"  # what we wrote, so --force deletes only that
MIN_PER_FUND_YEAR = 4  # enough for a ring-fenced year to have approved commitments in each part

OBJECTIVES = {
    "prevent-crime": "Prevent crime",
    "effective-response": "Deliver an effective response",
    "reduce-harm": "Reduce harm and the risk of harm",
    "partnerships": "Build effective partnerships",
}
VICTIMS_EXCLUDED = (
    "rape-support-centre",
    "homicide",
    "court-witness-service",
    "human-trafficking",
    "national-victims-helpline",
)
PLACES = (
    "Wrexham", "Flintshire", "Denbighshire", "Conwy", "Gwynedd", "Ynys Môn", "Bangor", "Rhyl",
    "Llandudno", "Holyhead", "Caernarfon", "Colwyn Bay", "Mold", "Prestatyn", "Bala", "Pwllheli",
    "Ruthin", "Denbigh", "Llangefni", "Blaenau Ffestiniog", "Buckley", "Connah's Quay", "Abergele",
)
SURNAMES = (
    "Jones", "Williams", "Davies", "Evans", "Roberts", "Hughes", "Lewis", "Thomas", "Parry",
    "Owen", "Pritchard", "Griffiths", "Morgan", "Rees", "Ellis", "Lloyd", "Price", "Wyn",
)


# What a commitment pays for: a title (a place is added) and its service category.
Activity = tuple[str, str]


@dataclass(frozen=True)
class FenceSpec:
    id: str
    name: str
    share: float  # fraction of a year's approved commitments that draw on the ring-fence
    must_spend: bool
    from_year: int
    activities: tuple[Activity, ...]


@dataclass(frozen=True)
class FundSpec:
    id: str
    prefix: str  # of commitment ids
    name: str
    workstream: str
    source: str
    share: float  # of the commitments left once the capped fund has had its few
    award: tuple[int, int]  # a typical award, in pounds: drawn log-uniformly in this range
    recipient_types: tuple[str, ...]
    activities: tuple[Activity, ...]
    has_amount: bool = True  # False: rules but no stated amount (the PACT grant streams)
    fixed_allocation: int | None = None  # pounds, the same every year
    max_award: int | None = None
    max_awards: int | None = None
    restrict_types: bool = False  # write recipient_types as a fund rule
    excluded_categories: tuple[str, ...] = ()
    fences: tuple[FenceSpec, ...] = ()


FUNDS = (
    FundSpec(
        "community-safety-fund", "CSF", "Commissioner's Community Safety Fund",
        "community-safety", "Home Office", 0.35, (2_000, 60_000),
        ("local-authority", "community-group", "voluntary-group", "charity", "health-board",
         "police-service", "public-body", "company"),
        (("Substance misuse outreach", "substance-misuse"),
         ("Anti-social behaviour mediation", "anti-social-behaviour"),
         ("Rural crime prevention", "rural-crime"),
         ("Night-time economy safety", "night-time-economy"),
         ("Cyber crime awareness for older people", "cyber-crime"),
         ("Integrated offender management", "offender-management"),
         ("Road safety education", "road-safety"),
         ("Domestic abuse perpetrator programme", "domestic-abuse")),
        fences=(FenceSpec("youth-diversion", "Youth diversion", 0.15, False, 2019,
                          (("Youth diversion programme", "youth-diversion"),
                           ("Sport and mentoring for young people at risk", "youth-diversion"))),),
    ),
    FundSpec(
        "your-community-your-choice", "YCYC", "Your Community, Your Choice",
        "community-focused", "Commissioner's community focused funding", 0.0, (1_500, 6_000),
        ("community-group", "voluntary-group", "charity"),
        (("Youth club evenings", "youth-activities"),
         ("Community garden and safe space", "community-safety"),
         ("Boxing club for young people", "youth-activities"),
         ("Neighbourhood clean-up days", "community-safety"),
         ("Scam awareness sessions", "crime-prevention")),
        fixed_allocation=42_000, max_awards=12,
    ),
    FundSpec(
        "pact-npt-small-grants", "NPT", "PACT Neighbourhood Policing Team Small Grant Fund",
        "community-focused", "North Wales Police and Community Trust (PACT)", 0.20, (25, 250),
        ("police-officer",),
        (("Bike marking event", "crime-prevention"),
         ("Football tournament with local officers", "youth-activities"),
         ("Shed alarms for allotments", "crime-prevention"),
         ("Halloween safety packs", "youth-activities"),
         ("Neighbourhood watch signs", "neighbourhood-watch")),
        has_amount=False, max_award=250, restrict_types=True,
    ),
    FundSpec(
        "pact-community-grants", "PCG", "PACT grants for community and voluntary groups",
        "community-focused", "North Wales Police and Community Trust (PACT)", 0.20, (100, 2_000),
        ("community-group", "voluntary-group"),
        (("CCTV for the community centre", "crime-prevention"),
         ("Street pastors' equipment", "community-safety"),
         ("Youth drop-in sessions", "youth-activities"),
         ("Safer routes to school", "community-safety"),
         ("Women's safety walk", "community-safety")),
        has_amount=False, max_award=2_000, restrict_types=True,
    ),
    FundSpec(
        "victims-services", "VS", "Victims' commissioning funding",
        "victims", "Ministry of Justice", 0.25, (1_000, 80_000),
        ("charity", "public-body", "health-board", "company", "local-authority"),
        (("Needs assessment and support for victims of crime", "victim-support"),
         ("Independent domestic violence advisers", "domestic-abuse"),
         ("Restorative justice for victims who choose it", "restorative-justice"),
         ("Support for young victims", "young-victims"),
         ("Hate crime advocacy", "hate-crime"),
         ("Counselling after serious crime", "mental-health"),
         ("Sexual assault referral centre support", "sexual-assault-referral-centre")),
        excluded_categories=VICTIMS_EXCLUDED,
        fences=(FenceSpec("child-sexual-abuse", "Child sexual abuse services", 0.10, True,
                          FIRST_YEAR,
                          (("Independent support for child survivors of sexual abuse",
                            "child-sexual-abuse"),
                           ("Therapeutic support for families after child sexual abuse",
                            "child-sexual-abuse"))),),
    ),
)


@dataclass(frozen=True)
class Recipient:
    name: str
    type: str
    id: str | None


@dataclass
class Commitment:
    id: str
    fund: FundSpec
    year: int  # first calendar year of the financial year
    ring_fence: str | None
    recipient: Recipient
    title: str
    category: str | None
    objective: str
    pence: int
    amount_text: str
    status: str
    approved: date | None
    decision: str | None
    payments: list[tuple[date, int, str]] = field(default_factory=list)  # date, pence, text
    reviewed: date | None = None  # the day of its review (met), if it has one
    # Mistakes added by --errors: a key written under another name, a value replaced by text.
    renamed: dict[str, str] = field(default_factory=dict)
    replaced: dict[str, str] = field(default_factory=dict)


@dataclass
class Allocation:
    pence: int | None
    fences: dict[str, int] = field(default_factory=dict)  # ring-fence id -> pence


def fy(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def last_day(start: int) -> date:
    return date(start + 1, 3, 31)


# --- money as text --------------------------------------------------------------------------


def money_text(pence: int, rng: random.Random) -> str:
    """One of the accepted ways to write an amount: 1200, 1200.00, 1,200, £1,200.50 ..."""
    pounds, rest = divmod(pence, 100)
    grouped = f"{pounds:,}"
    forms: tuple[str, ...]
    if rest == 0:
        forms = (str(pounds), f"{pounds}.00", grouped, f"£{grouped}", f"£{grouped}.00")
    else:
        forms = (f"{pounds}.{rest:02d}", f"{grouped}.{rest:02d}", f"£{grouped}.{rest:02d}")
    return rng.choice(forms)


def draw_pence(rng: random.Random, low: int, high: int) -> int:
    """A log-uniform award between `low` and `high` pounds, mostly in whole pounds."""
    pence = int(math.exp(rng.uniform(math.log(low * 100), math.log(high * 100))))
    if rng.random() < 0.7:
        pence = max(low * 100, pence - pence % 100)
    return min(pence, high * 100)


def split(total: int, parts: int, rng: random.Random, minimum: int = 1) -> list[int]:
    """`total` as `parts` positive integers (each at least `minimum`) that add up exactly."""
    parts = max(1, min(parts, total // minimum))
    spare = total - parts * minimum
    if rng.random() < 0.5:  # equal instalments, the remainder on the last
        share, remainder = divmod(spare, parts)
        shares = [share] * parts
        shares[-1] += remainder
    else:
        cuts = sorted(rng.sample(range(spare + 1), parts - 1)) if parts > 1 else []
        shares = [b - a for a, b in zip([0, *cuts], [*cuts, spare])]
    return [minimum + share for share in shares]


# --- YAML as text ---------------------------------------------------------------------------

# Text that reads back as itself as a plain YAML scalar; anything else is double-quoted.
_PLAIN = re.compile(r"[A-Za-z0-9£][\w £.,'()/&-]*")


def scalar(text: str, flow: bool = False) -> str:
    plain = _PLAIN.fullmatch(text) and not text.endswith(" ") and not (flow and "," in text)
    return text if plain else json.dumps(text, ensure_ascii=False)


# --- recipients -----------------------------------------------------------------------------

_FIXED_BODIES = {
    "local-authority": (
        "Wrexham County Borough Council", "Flintshire County Council",
        "Denbighshire County Council", "Conwy County Borough Council", "Gwynedd Council",
        "Isle of Anglesey County Council",
    ),
    "health-board": ("Betsi Cadwaladr University Health Board", "Public Health Wales"),
    "police-service": ("North Wales Police",),
    "public-body": (
        "North Wales Fire and Rescue Service", "Probation Service Wales",
        "Conwy and Denbighshire Youth Justice Service", "Wrexham Youth Justice Service",
    ),
}
_ORG_WORDS = {
    "charity": ("Women's Aid", "Youth Trust", "Victim Support", "Family Centre", "Mind",
                "Citizens Advice", "Refuge", "Rape Crisis"),
    "community-group": ("Residents' Association", "Community Council", "Youth Club",
                        "Boxing Club", "Allotment Society", "Men's Shed"),
    "voluntary-group": ("Street Pastors", "Volunteers", "Befriending Service",
                        "Community Transport", "Food Bank"),
    "company": ("Safety Solutions Ltd", "Training Ltd", "Consulting Ltd", "Mediation Ltd"),
}


def recipient(kind: str, index: int) -> Recipient:
    """Recipient number `index` of a type: the same index always gives the same recipient."""
    if kind in _FIXED_BODIES:
        bodies = _FIXED_BODIES[kind]
        return Recipient(bodies[index % len(bodies)], kind, None)
    if kind == "police-officer":
        surname = SURNAMES[index % len(SURNAMES)]
        return Recipient(f"PC {1000 + index} {surname}", kind, None)
    words = _ORG_WORDS[kind]
    place = PLACES[index % len(PLACES)]
    name = f"{place} {words[(index // len(PLACES)) % len(words)]}"
    if index >= len(PLACES) * len(words):  # more recipients than names: number the branches
        name += f" ({index // (len(PLACES) * len(words)) + 1})"
    org_id = None
    if kind == "charity" or (kind == "voluntary-group" and index % 3 == 0):
        org_id = f"GB-CHC-{1_000_000 + index * 7_919 % 999_999}"
    elif kind == "company":
        org_id = f"GB-COH-{10_000_000 + index * 104_729 % 9_999_999:08d}"
    return Recipient(name, kind, org_id)


# --- the ledger -----------------------------------------------------------------------------


class Generator:
    def __init__(self, commitments: int, seed: int, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.total = commitments
        self.as_of = as_of
        # Recipients come from pools that grow with the data, so some recipients get many awards.
        self.pool = max(40, commitments // 25)
        self.allocations: dict[tuple[str, int], Allocation] = {}
        self.commitments: list[Commitment] = []

    def counts(self) -> dict[tuple[str, int], int]:
        """How many commitments each fund gets each year: about the same every year."""
        capped = [f for f in FUNDS if f.max_awards is not None]
        per_capped_year = max(MIN_PER_FUND_YEAR, min(12, self.total // 2_000))
        rest = self.total - per_capped_year * len(capped) * len(YEARS)
        shares = [f for f in FUNDS if f.max_awards is None]
        weight = sum(f.share for f in shares)
        counts: dict[tuple[str, int], int] = {}
        left = rest
        for n, fund in enumerate(shares):
            mine = left if n == len(shares) - 1 else round(rest * fund.share / weight)
            left -= mine
            base, extra = divmod(mine, len(YEARS))
            lucky = set(self.rng.sample(list(YEARS), extra))
            for year in YEARS:
                counts[fund.id, year] = base + (year in lucky)
        for fund in capped:
            for year in YEARS:
                counts[fund.id, year] = per_capped_year
        smallest = min(counts.values())
        if smallest < MIN_PER_FUND_YEAR:
            raise SystemExit(
                f"generate.py: --commitments {self.total} is too few to give every fund "
                f"{MIN_PER_FUND_YEAR} commitments a year; use at least 500"
            )
        return counts

    def run(self) -> None:
        counts = self.counts()
        for fund in FUNDS:
            previous: Allocation | None = None
            for year in YEARS:
                previous = self.fund_year(fund, year, counts[fund.id, year], previous)

    def status(self, year: int) -> str:
        if date(year, 4, 1) > self.as_of:
            return "proposed"  # nothing can have been decided yet
        roll = self.rng.random()
        if last_day(year) < self.as_of:  # a closed year: every proposal has been decided
            return "approved" if roll < 0.9 else "cancelled"
        return "approved" if roll < 0.55 else "proposed" if roll < 0.95 else "cancelled"

    def fund_year(
        self, fund: FundSpec, year: int, count: int, previous: Allocation | None
    ) -> Allocation:
        rng = self.rng
        closed = last_day(year) < self.as_of
        statuses = [self.status(year) for _ in range(count)]
        fences = [f for f in fund.fences if year >= f.from_year]
        if closed:
            # Each part of the allocation needs an approved commitment, or it would be unspent.
            for n in range(min(count, 1 + len(fences))):
                statuses[n] = "approved"
        approved = [n for n, s in enumerate(statuses) if s == "approved"]
        fence_of: dict[int, FenceSpec] = {}
        for fence in fences:
            unassigned = [n for n in approved if n not in fence_of]
            if len(unassigned) < 2:
                break  # keep at least one approved commitment on the unfenced part
            wanted = min(len(unassigned) - 1, max(1, round(len(approved) * fence.share)))
            for n in rng.sample(unassigned, wanted):
                fence_of[n] = fence

        if fund.fixed_allocation is not None:
            # A fixed sum shared among the year's approved awards, as participatory budgeting does.
            allocation_pence = fund.fixed_allocation * 100
            spend = allocation_pence if closed else allocation_pence * 3 // 5
            awards = [p * 100 for p in split(spend // 100, len(approved), rng, 500)]
            fixed_amounts = dict(zip(approved, awards))
        else:
            fixed_amounts = {}

        made: list[Commitment] = []
        for n, status in enumerate(statuses):
            pence = fixed_amounts.get(n) or draw_pence(rng, *fund.award)
            made.append(self.commitment(fund, year, status, fence_of.get(n), pence))

        allocation = self.allocation(fund, year, made, previous, closed)
        self.allocations[fund.id, year] = allocation
        # Ids and decision numbers follow the order of decisions, as a real register would.
        made.sort(key=lambda c: (c.approved is None, c.approved or date.min))
        for seq, c in enumerate(made, 1):
            c.id = f"{fund.prefix}-{year}-{seq:05d}"
            if c.decision is not None:
                c.decision = f"PCC decision {fy(year)}/{fund.prefix}-{seq:05d}"
        self.commitments.extend(made)
        return allocation

    def allocation(
        self,
        fund: FundSpec,
        year: int,
        made: list[Commitment],
        previous: Allocation | None,
        closed: bool,
    ) -> Allocation:
        if not fund.has_amount:
            return Allocation(None)
        if fund.fixed_allocation is not None:
            return Allocation(fund.fixed_allocation * 100)

        def committed(fence: str | None) -> int:
            return sum(c.pence for c in made if c.status == "approved" and c.ring_fence == fence)

        fences = {f.id: committed(f.id) for f in fund.fences if year >= f.from_year}
        unfenced = committed(None)
        if closed or previous is None or previous.pence is None:
            # Exactly what was committed: nothing is left unspent once the year has ended.
            return Allocation(unfenced + sum(fences.values()), fences)
        # An open year: last year's figures with some drift, and never below what is committed.
        drift = self.rng.uniform(0.95, 1.08)
        for fence_id, spent in fences.items():
            before = previous.fences.get(fence_id, spent)
            fences[fence_id] = max(spent, round(before * drift))
        total = max(round(previous.pence * drift), unfenced + sum(fences.values()))
        return Allocation(total, fences)

    def commitment(
        self, fund: FundSpec, year: int, status: str, fence: FenceSpec | None, pence: int
    ) -> Commitment:
        rng = self.rng
        kind = rng.choice(fund.recipient_types)
        who = recipient(kind, rng.randrange(self.pool))
        place = rng.choice(PLACES)
        activity, service = rng.choice(fence.activities if fence else fund.activities)
        title = f"{activity} in {place}"
        category: str | None = service
        if rng.random() < 0.05 and fence is None:
            category = None  # the key is optional
        objective = "reduce-harm" if fence else rng.choice(list(OBJECTIVES))
        approved: date | None = None
        decided = status == "approved" or (status == "cancelled" and rng.random() < 0.5)
        if decided:
            end = min(last_day(year), self.as_of)
            start = date(year, 4, 1)
            approved = start + timedelta(days=rng.randrange((end - start).days + 1))
        commitment = Commitment(
            id="",  # numbered once the year is complete
            fund=fund,
            year=year,
            ring_fence=fence.id if fence else None,
            recipient=who,
            title=title,
            category=category,
            objective=objective,
            pence=pence,
            amount_text=money_text(pence, rng),
            status=status,
            approved=approved,
            decision="" if decided and rng.random() < 0.9 else None,
        )
        if status == "approved" and approved is not None:
            commitment.payments = self.payments(pence, approved)
            # Reviewed two months after its year ended, once that day has come: a ledger that
            # keeps up with the review stage (review-overdue has nothing to report).
            review = last_day(year) + timedelta(days=60)
            if review <= self.as_of:
                commitment.reviewed = review
        return commitment

    def payments(self, pence: int, approved: date) -> list[tuple[date, int, str]]:
        """Payments after the decision, up to the as-of date, never more than the commitment."""
        rng = self.rng
        window = (min(approved + timedelta(days=540), self.as_of) - approved).days
        if window < 1:
            return []
        age = (self.as_of - approved).days
        if age > 540 and rng.random() < 0.9:
            paid = pence  # older commitments are mostly paid in full
        elif rng.random() < 0.2:
            return []
        else:
            paid = max(1, pence * rng.randint(10, 100) // 100)
        count = min(rng.randint(1, 4), window)
        days = sorted(rng.sample(range(1, window + 1), count))
        amounts = split(paid, count, rng)
        return [
            (approved + timedelta(days=d), a, money_text(a, rng))
            for d, a in zip(days, amounts)
        ]


# --- mistakes for --errors ------------------------------------------------------------------


def add_error(chunk: list[Commitment], number: int, rng: random.Random, as_of: date) -> None:
    """Put one mistake in a file; the kind rotates from file to file. A kind that the file
    gives no chance for (no payments to inflate, say) falls back to a typo'd key."""
    kinds = ("typo-key", "over-commitment", "bad-amount", "unknown-objective",
             "payments-over", "bad-date")
    kind = kinds[number % len(kinds)]
    approved = [c for c in chunk if c.status == "approved"]
    if kind == "over-commitment":
        # Only a closed year is fully committed; an open one may have room for £100,000 more.
        candidates = [c for c in approved if c.fund.has_amount and last_day(c.year) < as_of]
        if candidates:
            c = rng.choice(candidates)
            c.pence += 10_000_000
            c.amount_text = f"{c.pence // 100:,}.{c.pence % 100:02d}"
            return
    elif kind == "payments-over":
        candidates = [c for c in approved if c.payments]
        if candidates:
            c = rng.choice(candidates)
            day, _, _ = c.payments[-1]
            over = c.pence - sum(p for _, p, _ in c.payments[:-1]) + 100  # £1 too much
            c.payments[-1] = (day, over, f"{over // 100}.{over % 100:02d}")
            return
    elif kind == "bad-date" and approved:
        rng.choice(approved).replaced["approved"] = "2017-02-30"
        return
    elif kind == "bad-amount":
        rng.choice(chunk).replaced["amount"] = "1,20.505"
        return
    elif kind == "unknown-objective":
        c = rng.choice(chunk)
        c.replaced["objective"] = c.objective[:-1] + "x"  # reduce-harm -> reduce-harx
        return
    rng.choice(chunk).renamed["amount"] = "ammount"


# --- writing --------------------------------------------------------------------------------


def commitment_lines(c: Commitment) -> list[str]:
    items: list[tuple[str, str]] = [("id", c.id), ("fund", c.fund.id), ("year", fy(c.year))]
    if c.ring_fence:
        items.append(("ring_fence", c.ring_fence))
    head = [f"{key}: {scalar(c.replaced.get(key, value))}" for key, value in items]
    lines = [f"  - {head[0]}", *(f"    {line}" for line in head[1:])]
    lines += ["    recipient:", f"      name: {scalar(c.recipient.name)}",
              f"      type: {c.recipient.type}"]
    if c.recipient.id:
        lines.append(f"      id: {c.recipient.id}")
    tail: list[tuple[str, str]] = [("title", c.title)]
    if c.category:
        tail.append(("category", c.category))
    tail += [("objective", c.objective), ("amount", c.amount_text), ("status", c.status)]
    if c.approved:
        tail.append(("approved", c.approved.isoformat()))
    if c.decision:
        tail.append(("decision", c.decision))
    for key, value in tail:
        shown = c.replaced.get(key, value)
        lines.append(f"    {c.renamed.get(key, key)}: {scalar(shown)}")
    if c.payments:
        lines.append("    payments:")
        lines += [
            f"      - {{date: {day.isoformat()}, amount: {scalar(text, flow=True)}}}"
            for day, _, text in c.payments
        ]
    if c.reviewed:
        lines += ["    reviews:", f"      - {{date: {c.reviewed.isoformat()}, result: met}}"]
    return lines


RESERVE = "bench-reserve"


def transfer_lines(gen: Generator, count: int, seed: int) -> list[str]:
    """`count` clean transfers: carry-forwards of a fund's unfenced money to its next year,
    and transfers into, then out of, a reserve. They come out of the year --as-of falls in,
    whose commitments are already approved, so that judging each against what its source had
    available on its date really runs through those commitments; and out of the later years."""
    rng = random.Random(f"{seed}-transfers")
    current = gen.as_of.year if gen.as_of.month >= 4 else gen.as_of.year - 1
    committed: dict[tuple[str, int], int] = {}
    for c in gen.commitments:
        if c.status == "approved" and c.ring_fence is None:
            committed[c.fund.id, c.year] = committed.get((c.fund.id, c.year), 0) + c.pence
    room: dict[tuple[str, int], int] = {}  # unfenced pence a source year can still give
    for fund in FUNDS:
        for year in range(current, LAST_YEAR):  # a carry-forward needs the year after
            allocation = gen.allocations[fund.id, year]
            if allocation.pence is not None:
                unfenced = allocation.pence - sum(allocation.fences.values())
                room[fund.id, year] = max(0, unfenced - committed.get((fund.id, year), 0))
    sources = sorted(key for key, pence in room.items() if pence > 0)
    reserve = 0
    out = [f"# SYNTHETIC transfers written by benchmarks/generate.py (seed {seed}); "
           "not real decisions.", "transfers:"]
    share = 4 * count // max(1, len(sources)) + 4
    for n in range(count):
        fund_id, year = sources[rng.randrange(len(sources))]
        amount = max(1, room[fund_id, year] // share)
        if n % 5 == 4 and reserve >= amount:  # out of the reserve, later than every one in
            reserve -= amount
            out += [f"  - id: TR-{n + 1:06d}", f"    date: {LAST_YEAR}-04-{1 + n % 28:02d}",
                    f"    from: {{reserve: {RESERVE}}}",
                    f"    to: {{fund: {fund_id}, year: {fy(LAST_YEAR)}}}",
                    f"    amount: {pounds(amount)}"]
            continue
        room[fund_id, year] -= amount
        end = (f"{{reserve: {RESERVE}}}" if n % 5 == 3
               else f"{{fund: {fund_id}, year: {fy(year + 1)}}}")
        if n % 5 == 3:
            reserve += amount
        out += [f"  - id: TR-{n + 1:06d}", f"    date: {year + 1}-04-{1 + n % 28:02d}",
                f"    from: {{fund: {fund_id}, year: {fy(year)}}}", f"    to: {end}",
                f"    amount: {pounds(amount)}",
                "    decision: Synthetic decision"]
    return out


def pounds(pence: int) -> str:
    return f"{pence // 100}.{pence % 100:02d}"


def funds_lines(gen: Generator, seed: int, reserves: bool = False) -> list[str]:
    basis = f"Synthetic benchmark data (benchmarks/generate.py, seed {seed})"
    rng = random.Random(f"{seed}-funds")  # only picks how amounts are written
    out = [
        "# SYNTHETIC data written by benchmarks/generate.py: invented figures for benchmarks and",
        f"# load tests only ({gen.total:,} commitments, seed {seed}, as of {gen.as_of}).",
        "",
        "organisation:",
        "  name: Office of the Police and Crime Commissioner for North Wales (synthetic)",
        "",
        "currency: GBP",
        "",
        "objectives:",
        *(f"  {key}: {scalar(title)}" for key, title in OBJECTIVES.items()),
        "",
        *(["reserves:", f"  {RESERVE}:", "    name: Synthetic earmarked reserve", ""]
          if reserves else []),
        "funds:",
    ]
    for fund in FUNDS:
        out += [f"  {fund.id}:", f"    name: {scalar(fund.name)}",
                f"    workstream: {fund.workstream}", f"    source: {scalar(fund.source)}"]
        rules = []
        if fund.max_award is not None:
            rules.append(f"      max_award: {fund.max_award}")
        if fund.max_awards is not None:
            rules.append(f"      max_awards: {fund.max_awards}")
        if fund.restrict_types:
            rules.append(f"      recipient_types: [{', '.join(fund.recipient_types)}]")
        if fund.excluded_categories:
            rules.append("      excluded_categories:")
            rules += [f"        - {c}" for c in fund.excluded_categories]
        if rules:
            out += ["    rules:", *rules]
        out.append("    allocations:")
        for year in YEARS:
            allocation = gen.allocations[fund.id, year]
            out.append(f"      {fy(year)}:")
            if allocation.pence is not None:
                out.append(f"        amount: {scalar(money_text(allocation.pence, rng))}")
            out.append(f"        basis: {scalar(basis)}")
            if allocation.fences:
                out.append("        ring_fences:")
            for fence in fund.fences:
                if fence.id not in allocation.fences:
                    continue
                out += [f"          {fence.id}:", f"            name: {scalar(fence.name)}",
                        f"            amount: "
                        f"{scalar(money_text(allocation.fences[fence.id], rng))}",
                        f"            basis: {scalar(basis)}"]
                if fence.must_spend:
                    out.append("            must_spend: true")
        out.append("")
    return out


def runs(items: list[Commitment], count: int) -> list[list[Commitment]]:
    """`items` cut, in order, into `count` runs of nearly equal length."""
    size, extra = divmod(len(items), count)
    out, start = [], 0
    for n in range(count):
        end = start + size + (n < extra)
        out.append(items[start:end])
        start = end
    return out


def layout(commitments: list[Commitment], files: int) -> dict[str, list[Commitment]]:
    """Relative path -> the commitments of that file.

    As users do, each file holds one fund's commitments for a year or a run of years:
    `allocations/<fund>/<first year>_<last year>-<n>.yaml`. The files are shared among the
    funds in proportion to their commitments, at least one each. With fewer files than funds,
    the commitments are simply cut into `--files` parts.
    """
    if files < len(FUNDS):
        return {f"allocations/part-{n:03d}.yaml": run
                for n, run in enumerate(runs(commitments, files), 1)}
    by_fund = {fund.id: [c for c in commitments if c.fund is fund] for fund in FUNDS}
    # Largest-remainder apportionment of the files beyond the one each fund gets.
    spare = files - len(FUNDS)
    quotas = {fid: spare * len(items) / len(commitments) for fid, items in by_fund.items()}
    shares = {fid: 1 + int(quota) for fid, quota in quotas.items()}
    leftover = files - sum(shares.values())
    for fid in sorted(quotas, key=lambda f: quotas[f] - int(quotas[f]), reverse=True)[:leftover]:
        shares[fid] += 1
    out: dict[str, list[Commitment]] = {}
    for fid, items in by_fund.items():
        for n, run in enumerate(runs(items, min(shares[fid], len(items))), 1):
            first, last = (fy(c.year).replace("/", "-") for c in (run[0], run[-1]))
            years = first if first == last else f"{first}_{last}"
            out[f"allocations/{fid}/{years}-{n:03d}.yaml"] = run
    return out


def prepare(outdir: Path, force: bool) -> None:
    """Refuse a non-empty OUTDIR unless --force; with it, delete what an earlier run wrote."""
    if not outdir.exists():
        return
    if not outdir.is_dir():
        raise SystemExit(f"generate.py: {outdir} exists and is not a directory")
    if not any(outdir.iterdir()):
        return
    if not force:
        raise SystemExit(
            f"generate.py: {outdir} is not empty; pass --force to write into it "
            "(files from an earlier run of this script are replaced, nothing else is deleted)"
        )
    manifest = outdir / MANIFEST
    if manifest.is_file():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            (outdir / line).unlink(missing_ok=True)
        manifest.unlink()
        # Remove the folders that the earlier run's files leave empty.
        folders = sorted((p for p in (outdir / "allocations").rglob("*") if p.is_dir()),
                         key=lambda p: len(p.parts), reverse=True)
        for folder in folders:
            if not any(folder.iterdir()):
                folder.rmdir()
    left = list((outdir / "allocations").rglob("*.y*ml"))
    if left:
        print(f"generate.py: note: {len(left)} YAML file(s) under {outdir}/allocations were not "
              "written by this script; pcc-ledger check will read them too", file=sys.stderr)


def generate(
    outdir: Path,
    commitments: int,
    files: int,
    seed: int = 1,
    *,
    errors: bool = False,
    force: bool = False,
    as_of: date = DEFAULT_AS_OF,
    transfers: int = 0,
) -> list[Path]:
    """Write the data directory; returns the files written (funds.yaml first)."""
    if files < 1 or files > commitments:
        raise SystemExit("generate.py: --files must be between 1 and --commitments")
    prepare(outdir, force)
    gen = Generator(commitments, seed, as_of)
    gen.run()
    written: list[Path] = []

    def write(relative: str, lines: list[str]) -> None:
        path = outdir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)

    write("funds.yaml", funds_lines(gen, seed, reserves=bool(transfers)))
    if transfers:
        write("allocations/transfers.yaml", transfer_lines(gen, transfers, seed))
    error_rng = random.Random(f"{seed}-errors")  # its own stream: errors leave the rest as is
    for number, (relative, chunk) in enumerate(layout(gen.commitments, files).items()):
        if errors:
            add_error(chunk, number, error_rng, as_of)
        lines = [
            f"# SYNTHETIC commitments written by benchmarks/generate.py (seed {seed}); "
            "not real decisions.",
            "commitments:",
        ]
        for c in chunk:
            lines += commitment_lines(c)
        write(relative, lines)
    (outdir / MANIFEST).write_text(
        "".join(f"{p.relative_to(outdir).as_posix()}\n" for p in written), encoding="utf-8"
    )
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Write a synthetic pcc-ledger data directory for benchmarks.",
    )
    parser.add_argument("outdir", type=Path, metavar="OUTDIR")
    parser.add_argument("--commitments", type=int, default=100_000,
                        help="how many commitments (default: %(default)s; at least 500)")
    parser.add_argument("--files", type=int, default=40,
                        help="how many commitment files (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: %(default)s)")
    parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF,
                        metavar="YYYY-MM-DD",
                        help="no decision or payment after this day; years ended before it "
                        "are fully committed (default: %(default)s)")
    parser.add_argument("--errors", action="store_true",
                        help="put one mistake in each commitment file")
    parser.add_argument("--transfers", type=int, default=0,
                        help="how many transfers, in a file of their own (default: none)")
    parser.add_argument("--force", action="store_true",
                        help="write into a non-empty OUTDIR, replacing an earlier run's files")
    args = parser.parse_args(argv)
    written = generate(args.outdir, args.commitments, args.files, args.seed,
                       errors=args.errors, force=args.force, as_of=args.as_of,
                       transfers=args.transfers)
    print(f"wrote {args.commitments:,} commitments in {len(written) - 1} files and funds.yaml "
          f"to {args.outdir}")


if __name__ == "__main__":
    main()
