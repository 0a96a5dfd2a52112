"""360Giving's data quality, not only its schema: the notices 360Giving's Data Quality Tool
(CoVE, its "quality and accuracy" and "usefulness" checks) shows a publisher, reported as
warnings on the commitments the export publishes, so they are fixed before anything is
published rather than after.

The checks run only on data that is published as 360Giving, that is when funds.yaml gives
`organisation: publisher_prefix:`, and only on what `export 360giving` writes: each approved
commitment, once. What they mirror (thresholds as the tool's):

- a grant of £0 (`amountAwarded` 0);
- an organisation identifier whose prefix is not a recognised register (ORG_ID_PREFIXES), or a
  GB-CHC- charity number or GB-COH- company number that does not have the register's form;
- text that looks like an email address (the tool's pattern), which may be personal data;
- an award date after today, or more than 25 years before it. Both are judged on the day
  `check` runs, as the tool judges them on the day the data is published, whatever `--as-of`
  says: they are about the data as it would be published now;
- a title that is the description, or over 140 characters;
- no beneficiary location (neither the commitment's `area` nor the organisation's).

Two of the tool's notices cannot arise from the export, so they have no rule: every grant has a
grant programme (its fund), and every grant to an individual has `toIndividualsDetails` (see
export/threesixty.py). A recipient without an `id` gets a 360G- identifier, which the tool
lists as a usefulness notice only; it is what the standard asks for an organisation with no
register number, so it is not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ..ledger import Entry, Ledger
from ..model import INDIVIDUAL_TYPES
from ..problems import Location, Problem
from ..rules import make_problem

# The org-id.guide (https://org-id.guide) prefixes of the registers UK grant-makers' recipients
# are found in: charities, companies, mutuals, public bodies, councils, schools and colleges,
# the NHS, social housing. A short list, not the whole of org-id.guide (which 360Giving's tool
# downloads); an identifier from a register not listed here is reported, and a correct one can
# be kept with a `# pcc-ledger: ignore[open-data-identifier]` comment.
ORG_ID_PREFIXES = (
    "GB-CHC",      # Charity Commission for England and Wales
    "GB-SC",       # Office of the Scottish Charity Regulator
    "GB-NIC",      # Charity Commission for Northern Ireland
    "GB-COH",      # Companies House
    "GB-MPR",      # Mutuals Public Register (FCA): societies, co-operatives
    "GB-REV",      # HM Revenue and Customs (charities known only to HMRC)
    "GB-CASC",     # Community amateur sports clubs (HMRC)
    "GB-GOR",      # Government Organisation Register
    "XI-PB",       # Public bodies
    "GB-LAE",      # Local authorities, England
    "GB-PLA",      # Principal local authorities, Wales
    "GB-LAS",      # Local authorities, Scotland
    "GB-LANI",     # Local authorities, Northern Ireland
    "GB-NHS",      # NHS organisations
    "GB-UKPRN",    # UK Register of Learning Providers
    "GB-HESA",     # Higher education providers
    "GB-EDU",      # Schools in England (Get Information about Schools)
    "GB-LAESTAB",  # Schools in England, by local authority and establishment number
    "GB-WALEDU",   # Schools in Wales
    "GB-SCOTEDU",  # Schools in Scotland
    "GB-NIEDU",    # Schools in Northern Ireland
    "GB-SHPE",     # Registered social housing providers, England
    "XI-GRID",     # Global Research Identifier Database
    "XI-ROR",      # Research Organization Registry
    "360G",        # an identifier given by a 360Giving publisher
)
CHARITY_NUMBER = re.compile(r"[0-9]{6,7}(-[0-9]+)?")  # 1234567, or 1234567-1 (a linked charity)
COMPANY_NUMBER = re.compile(r"[0-9]{8}|[A-Z]{2}[0-9]{6}")  # 01234567, SC123456
# The Data Quality Tool's own pattern for "text that looks like an email address".
EMAIL = re.compile(r"[\w.-]+@[\w.-]+\.[\w.-]+")
TITLE_LIMIT = 140
OLDEST_YEARS = 25
TOOL = "360Giving's Data Quality Tool"


def check(ledger: Ledger, today: date | None = None) -> Iterator[Problem]:
    organisation = ledger.funds.organisation
    if organisation.publisher_prefix is None:
        return  # not published as 360Giving: nothing to judge
    today = today or date.today()
    if organisation.id:
        yield from _identifier(organisation.id, "the funder's identifier (organisation: id:)",
                               ledger.funds_document.at(("organisation", "id")))
    for entry in _published(ledger):
        yield from _one_grant(entry, ledger, today)


def _published(ledger: Ledger) -> Iterator[Entry]:
    """The commitments `export 360giving` makes grants of: approved ones, once each."""
    for entry in ledger.entries:
        commitment = entry.source
        fund = ledger.funds.funds.get(commitment.fund)
        if (commitment.status == "approved" and commitment.approved is not None
                and fund is not None and commitment.year in fund.allocations):
            yield entry


def _one_grant(entry: Entry, ledger: Ledger, today: date) -> Iterator[Problem]:
    c = entry.source
    year = c.year
    if c.amount == 0:
        yield make_problem(
            "open-data-zero-amount", entry.at("years" if c.years else "amount"),
            f"{c.id} is a grant of £0.00, which {TOOL} flags; if nothing was awarded, cancel "
            "it, else say why in its `description`", year=year)
    individual = c.recipient.type in INDIVIDUAL_TYPES
    if c.recipient.id and not individual:
        yield from _identifier(c.recipient.id, f"the recipient identifier of {c.id}",
                               entry.at("recipient", "id"))
    texts: list[tuple[str, str | None, tuple[str, ...]]] = [
        ("title", c.title, ("title",)), ("description", c.description, ("description",)),
        ("area", c.area, ("area",)),
    ]
    if not individual:  # an individual's name and id are never published
        texts += [("recipient name", c.recipient.name, ("recipient", "name")),
                  ("recipient identifier", c.recipient.id, ("recipient", "id"))]
    for what, text, path in texts:
        found = EMAIL.search(text or "")
        if found:
            yield make_problem(
                "open-data-email", entry.at(*path),
                f"the {what} of {c.id} contains `{found.group()}`, which looks like an email "
                "address: personal data must not be published as open data; remove it",
                year=year)
    assert c.approved is not None
    if c.approved > today:
        yield make_problem(
            "open-data-award-date", entry.at("approved"),
            f"{c.id} was approved on {c.approved}, which is still to come ({TOOL} flags an "
            "award date in the future); record the decision once it is made, or correct the "
            "date", year=year)
    elif c.approved < _years_before(today, OLDEST_YEARS):
        yield make_problem(
            "open-data-award-date", entry.at("approved"),
            f"{c.id} was approved on {c.approved}, over {OLDEST_YEARS} years ago ({TOOL} flags "
            "such a date as a likely typo); correct the date", year=year)
    if c.description is not None and c.description.strip() == c.title.strip():
        yield make_problem(
            "open-data-title", entry.at("description"),
            f"the description of {c.id} is its title ({TOOL} flags that); describe the grant "
            "in more detail, or leave `description` out and the export writes one from the "
            "fund and years", year=year)
    if len(c.title) > TITLE_LIMIT:
        yield make_problem(
            "open-data-title", entry.at("title"),
            f"the title of {c.id} is {len(c.title)} characters; 360Giving recommends at most "
            f"{TITLE_LIMIT}, so that people quickly understand what the grant is for: shorten "
            "it and put the detail in `description`", year=year)
    if not (c.area or ledger.funds.organisation.area):
        yield make_problem(
            "open-data-location", entry.at("id"),
            f"{c.id} has no beneficiary location; give it `area:` (where its beneficiaries "
            "are), or give funds.yaml `organisation: area:`, which stands for every grant "
            "without one", year=year)


def _identifier(identifier: str, what: str, where: Location) -> Iterator[Problem]:
    upper = identifier.upper()
    prefix = next((p for p in ORG_ID_PREFIXES if upper.startswith(p + "-")
                   and len(upper) > len(p) + 1), None)
    if prefix is None:
        yield make_problem(
            "open-data-identifier", where,
            f"{what}, `{identifier}`, does not start with the prefix of a recognised register "
            "(org-id.guide), such as GB-CHC- or GB-COH-; correct it, or leave it out for a "
            "360G- identifier")
        return
    number = identifier[len(prefix) + 1:]
    if prefix == "GB-CHC" and not CHARITY_NUMBER.fullmatch(number):
        yield make_problem(
            "open-data-identifier", where,
            f"{what}, `{identifier}`, is not a charity number: GB-CHC- is followed by the 6 or 7 "
            "digits of a Charity Commission number (-N after it for a linked charity), such as "
            "GB-CHC-1234567")
    elif prefix == "GB-COH" and not COMPANY_NUMBER.fullmatch(number):
        yield make_problem(
            "open-data-identifier", where,
            f"{what}, `{identifier}`, is not a company number: GB-COH- is followed by the 8 "
            "characters of a Companies House number, 8 digits (01234567) or 2 capital letters "
            "and 6 digits (SC123456)")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year - years, day=28)
