"""What was funded, as 360Giving open data: a JSON package and the flattened CSV.

Framework section 8 promises to publish the projects that receive funding; 360Giving is the UK
standard for that. Only approved commitments are grants. Identifiers:

- a grant is `<publisher prefix>-<commitment id>`;
- the funder is `organisation.id` (an org-id.guide identifier) or, without one, the prefix plus
  a slug of its name, as the standard allows; the same for a recipient without an `id`;
- a grant to an individual (recipient type `police-officer`: the small grants PACT pays to
  officers) uses `recipientIndividual`, as the standard requires, and publishes no personal
  data: its name is "Individual Recipient" and its id is derived from the grant, not the person;
  `toIndividualsDetails` says what it was for, from 360Giving's codelists (INDIVIDUAL_DETAILS).

Each grant's `grantProgramme` is its fund. The package names its `publisher` (the funder) and
its `license`, the Open Government Licence v3.0. checks/opendata.py warns, in `check`, of what
360Giving's Data Quality Tool would flag in the export.

A slug is the name in lower-case ASCII words joined by hyphens. Where two different names would
share one (`Example Trust` and `Example-Trust!`), or a name has no ASCII letters at all, the slug
gets a short hash of the exact name, so different organisations never share an identifier and
the same name always gets the same one.

Amounts are written as JSON numbers straight from their Decimal text; they never pass through
a float.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from typing import Any

from ..ledger import Entry, Ledger
from ..model import INDIVIDUAL_TYPES as INDIVIDUAL_TYPES  # here too, for page and registers
from ..model import Commitment
from ..scalars import FinancialYear

INDIVIDUAL_NAME = "Individual Recipient"  # the name the standard suggests
# What a grant to an individual was for, from 360Giving's closed codelists
# (grantToIndividualsReason.csv, grantToIndividualsPurpose.csv, in ThreeSixtyGiving/standard):
# a PACT Neighbourhood Policing Team small grant is paid to an officer for a community project
# (framework 6.3), not for the officer's own needs: reason GTIR120 "Social action" ("supporting
# a community or cause not solely driven by the needs of the individual receiving the grant"),
# purpose GTIP160 "Community projects". No secondary reason applies.
INDIVIDUAL_DETAILS: dict[str, dict[str, Any]] = {
    "police-officer": {"primaryGrantReason": "GTIR120", "grantPurpose": ["GTIP160"]},
}
# The Open Government Licence v3.0, which 360Giving advises UK public bodies to publish under.
LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SCHEMA_VERSION = "1.4"
GRANT_SCHEMA = "360-giving-schema.json"
PACKAGE_SCHEMA = "360-giving-package-schema.json"


class NoPublisherPrefix(Exception):
    """funds.yaml has no `organisation.publisher_prefix`, which every identifier needs."""


@dataclass(frozen=True)
class Grant:
    entry: Entry
    record: dict[str, Any]


def slug(text: str) -> str:
    """`Example Support Service (Wrexham)` -> `example-support-service-wrexham`."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def _hashed(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


class Slugs:
    """Slugs for a set of names, unique among them: see the module's note."""

    def __init__(self, names: Iterable[str]) -> None:
        owners: dict[str, set[str]] = {}
        for name in names:
            owners.setdefault(slug(name), set()).add(name)
        self._shared = {key for key, group in owners.items() if len(group) > 1 or not key}

    def __call__(self, name: str) -> str:
        key = slug(name)
        if key in self._shared:
            return f"{key}-{_hashed(name)}" if key else _hashed(name)
        return key


def grants(ledger: Ledger, modified: datetime, year: FinancialYear | None = None) -> list[Grant]:
    prefix = ledger.funds.organisation.publisher_prefix
    if prefix is None:
        raise NoPublisherPrefix(
            "funds.yaml has no `organisation: publisher_prefix:`; 360Giving identifiers start "
            "with the prefix 360Giving registers for the publisher (360G-...)"
        )
    # One grant per commitment, however many years it is charged to: listed under the year of
    # its award (its first), with the whole amount and planned dates spanning its years.
    chosen = [
        dataclasses.replace(entry, commitment=entry.source, whole=None)
        for position in ledger.select(year)
        for entry in position.whole.approved
        if entry.charge_index == 0
    ]
    chosen.sort(key=lambda e: (e.commitment.year, e.commitment.approved, e.commitment.id))
    slugs = _slugs(ledger)
    return [Grant(entry, _record(ledger, entry, prefix, modified, slugs)) for entry in chosen]


def _slugs(ledger: Ledger) -> Slugs:
    """Over every recipient, so an identifier does not depend on the year chosen."""
    names = [ledger.funds.organisation.name]
    names += [e.commitment.recipient.name for e in ledger.entries
              if e.commitment.recipient.type not in INDIVIDUAL_TYPES]
    return Slugs(names)


def span(commitment: Commitment) -> str:
    """`2017/18`, or `2017/18 to 2019/20` for a commitment over several years."""
    if commitment.last_year == commitment.year:
        return str(commitment.year)
    return f"{commitment.year} to {commitment.last_year}"


def _funder(ledger: Ledger, prefix: str, slugs: Slugs) -> dict[str, str]:
    organisation = ledger.funds.organisation
    return {"id": organisation.id or f"{prefix}-{slugs(organisation.name)}",
            "name": organisation.name}


def _record(ledger: Ledger, entry: Entry, prefix: str, modified: datetime,
            slugs: Slugs) -> dict[str, Any]:
    c = entry.commitment
    fund = ledger.funds.funds[c.fund]
    organisation = ledger.funds.organisation
    assert c.approved is not None
    record: dict[str, Any] = {
        "id": f"{prefix}-{c.id}",
        "title": c.title,
        "description": c.description or f"{c.title}. Funded from {fund.name}, {span(c)}.",
        "currency": "GBP",
        "amountAwarded": c.amount,
        "amountDisbursed": c.paid,
        "awardDate": c.approved.isoformat(),
        "plannedDates": [{"startDate": c.year.first_day.isoformat(),
                          "endDate": c.last_year.last_day.isoformat()}],
    }
    if c.recipient.type in INDIVIDUAL_TYPES:
        record["recipientIndividual"] = {"id": f"{prefix}-IND-{c.id}", "name": INDIVIDUAL_NAME}
        record["toIndividualsDetails"] = dict(INDIVIDUAL_DETAILS[c.recipient.type])
    else:
        record["recipientOrganization"] = [{
            "id": c.recipient.id or f"{prefix}-{slugs(c.recipient.name)}",
            "name": c.recipient.name,
        }]
    record["fundingOrganization"] = [_funder(ledger, prefix, slugs)]
    record["grantProgramme"] = [{"code": c.fund, "title": fund.name}]
    area = c.area or organisation.area
    if area:
        record["beneficiaryLocation"] = [{"name": area, "countryCode": "GB"}]
    record["dateModified"] = modified.isoformat()
    if organisation.url:
        record["dataSource"] = organisation.url
    return record


def package(ledger: Ledger, found: list[Grant], issued: date) -> dict[str, Any]:
    document: dict[str, Any] = {
        "grants": [grant.record for grant in found],
        "version": SCHEMA_VERSION,
        "title": f"Grants of the {ledger.funds.organisation.name}",
        "issued": issued.isoformat(),
        "publisher": _publisher(ledger),
        "license": LICENSE,
    }
    cautions = publishing_cautions(ledger, found)
    if cautions:
        document["description"] = " ".join(cautions)
    return document


def _publisher(ledger: Ledger) -> dict[str, str]:
    """The package's publisher: the funder, with its identifier and web site."""
    organisation = ledger.funds.organisation
    publisher = {"name": organisation.name,
                 "identifier": _funder(ledger, organisation.publisher_prefix or "",
                                       _slugs(ledger))["id"]}
    if organisation.url:
        publisher["website"] = organisation.url
    return publisher


def publishing_cautions(ledger: Ledger, found: list[Grant]) -> list[str]:
    """What makes this data unfit to publish as it is: said in the package and to the user."""
    cautions = []
    prefix = ledger.funds.organisation.publisher_prefix or ""
    if "PLACEHOLDER" in prefix.upper():
        cautions.append(f"The publisher prefix {prefix} is a placeholder, not a registered "
                        "360Giving prefix.")
    if any(grant.entry.illustrative for grant in found):
        cautions.append("Some grants come from files marked illustrative: they are examples, "
                        "not real decisions.")
    return cautions


def to_json(value: Any, indent: str = "  ", level: int = 0) -> str:
    """JSON with Decimals written as exact numbers (the json module would need a float)."""
    pad, inner = indent * level, indent * (level + 1)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(key)}: {to_json(item, indent, level + 1)}"
                 for key, item in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [f"{inner}{to_json(item, indent, level + 1)}" for item in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return json.dumps(value, ensure_ascii=False)


FLAT_COLUMNS = [
    "Identifier", "Title", "Description", "Currency", "Amount Awarded", "Amount Disbursed",
    "Award Date", "Planned Dates:Start Date", "Planned Dates:End Date",
    "Recipient Org:Identifier", "Recipient Org:Name", "Recipient Ind:Identifier",
    "Recipient Ind:Name", "To Individuals Details:Primary Grant Reason",
    "To Individuals Details:Grant Purpose", "Funding Org:Identifier", "Funding Org:Name",
    "Grant Programme:Code", "Grant Programme:Title", "Beneficiary Location:Name",
    "Beneficiary Location:Country Code", "Last Modified", "Data Source",
]


def flat_csv(found: list[Grant]) -> str:
    """The standard's flattened form: one row per grant, its column titles as headers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FLAT_COLUMNS)
    for grant in found:
        r = grant.record
        org = r.get("recipientOrganization", [{}])[0]
        person = r.get("recipientIndividual", {})
        details = r.get("toIndividualsDetails", {})
        location = r.get("beneficiaryLocation", [{}])[0]
        values = [
            r["id"], r["title"], r["description"], r["currency"], r["amountAwarded"],
            r["amountDisbursed"], r["awardDate"], r["plannedDates"][0]["startDate"],
            r["plannedDates"][0]["endDate"], org.get("id"), org.get("name"), person.get("id"),
            person.get("name"), details.get("primaryGrantReason"),
            ";".join(details.get("grantPurpose", [])) or None, r["fundingOrganization"][0]["id"],
            r["fundingOrganization"][0]["name"], r["grantProgramme"][0]["code"],
            r["grantProgramme"][0]["title"], location.get("name"), location.get("countryCode"),
            r["dateModified"], r.get("dataSource"),
        ]
        writer.writerow(["" if v is None else _cell(v) for v in values])
    return out.getvalue()


def _cell(value: Any) -> str:
    # Verbatim, unlike pcc-ledger's report csv: this file is the open data itself, and must say
    # what the JSON says. (Open it in a spreadsheet by importing it as text.)
    return format(value, "f") if isinstance(value, Decimal) else str(value)


# -- validation ---------------------------------------------------------------------------------

def _schema(name: str) -> dict[str, Any]:
    source = resources.files("pcc_ledger.schemas.threesixtygiving") / name
    loaded: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    return loaded


def validation_errors(document: dict[str, Any]) -> list[tuple[int | None, str]]:
    """Every way `document` (a package, read with Decimals) fails the official schema, as
    (grant index or None, message). Offline: the grant schema's URLs resolve to the copy
    shipped with pcc-ledger, never to the network."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    grant_schema = _schema(GRANT_SCHEMA)
    resource = Resource.from_contents(grant_schema, default_specification=DRAFT202012)
    package_schema = _schema(PACKAGE_SCHEMA)
    reference = package_schema["properties"]["grants"]["items"]["$ref"]
    registry: Registry[Any] = Registry().with_resources(
        [(reference, resource), (grant_schema["$id"], resource)]
    )
    validator = Draft202012Validator(
        package_schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    found = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        path = list(error.absolute_path)
        index = path[1] if len(path) > 1 and path[0] == "grants" else None
        where = "/".join(str(part) for part in path[2:]) or "grant"
        found.append((index if isinstance(index, int) else None, f"{where}: {error.message}"))
    return found
