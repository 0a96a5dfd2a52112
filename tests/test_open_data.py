"""360Giving open data and the transparency page: the export field by field, validation against
the official schema offline, no personal data, escaping, and safe publishing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from typer.testing import CliRunner

from pcc_ledger.checking import check_directory

from .conftest import REPO, invoke, write

PACKAGED = REPO / "src" / "pcc_ledger" / "schemas" / "threesixtygiving"
MODIFIED = 1_795_000_000  # 2026-11-18T11:06:40Z: data files' mtime, fixed for exact output
PREFIX = "360G-PLACEHOLDER-OPCCNW"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the shipped data with a fixed modification time."""
    import shutil

    root = tmp_path / "data"
    shutil.copytree(REPO / "data", root)
    for path in root.rglob("*.yaml"):
        os.utime(path, (MODIFIED, MODIFIED))
    return root


def _official_validator() -> Draft202012Validator:
    """The official schema files (the package's own copy, checked unchanged below), every
    reference resolved locally: the suite needs nothing beside the repository."""
    grant = json.loads((PACKAGED / "360-giving-schema.json").read_text("utf-8"))
    package = json.loads((PACKAGED / "360-giving-package-schema.json").read_text("utf-8"))
    resource = Resource.from_contents(grant, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resources(
        [(package["properties"]["grants"]["items"]["$ref"], resource), (grant["$id"], resource)]
    )
    return Draft202012Validator(package, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def _export(cli: CliRunner, data: Path, target: Path, *extra: str) -> str:
    result = invoke(cli, "export", "360giving", str(target), "--data", str(data), *extra)
    assert result.exit_code == 0, result.output
    return target.read_text("utf-8")


# SHA-256 of the official 1.4.3 files (ThreeSixtyGiving/standard), as published.
OFFICIAL_SHA256 = {
    "360-giving-schema.json":
        "e8a1c581ce18447b2dc9c757d7229862624970a3724718d8319a8d3c47429ebb",
    "360-giving-package-schema.json":
        "30c0897090628d161cda0f3048031abd955eb9b68cfd83f8fe54340756886b11",
    "LICENSE.md": "c701444d81234a1dfdf4c3289a11429548473b47e6bc36735db938ae18837141",
}


def test_the_shipped_schema_is_the_official_one() -> None:
    for name, digest in OFFICIAL_SHA256.items():
        assert hashlib.sha256((PACKAGED / name).read_bytes()).hexdigest() == digest, name


def test_package_of_the_shipped_data_field_by_field(cli: CliRunner, data: Path,
                                                    tmp_path: Path) -> None:
    text = _export(cli, data, tmp_path / "grants.json")
    package = json.loads(text, parse_float=Decimal)
    assert (package["version"], package["issued"]) == ("1.4", date.today().isoformat())
    assert package["description"] == (
        "The publisher prefix 360G-PLACEHOLDER-OPCCNW is a placeholder, not a registered "
        "360Giving prefix. Some grants come from files marked illustrative: they are examples, "
        "not real decisions.")
    assert package["publisher"] == {
        "name": "Office of the Police and Crime Commissioner for North Wales",
        "identifier": f"{PREFIX}-office-of-the-police-and-crime-commissioner-for-north-wales",
        "website": "http://www.northwales-pcc.gov.uk"}
    assert package["license"] == (
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
    grants = package["grants"]
    assert [g["id"] for g in grants] == [f"{PREFIX}-{i}" for i in (
        "VS-2017-003", "CSF-2017-001", "CSF-2017-002", "VS-2017-001", "VS-2017-002",
        "PACT-NPT-2017-001", "VS-2017-006", "PACT-CG-2017-001", "YCYC-2017-001",
        "YCYC-2017-002", "VS-2017-005",
        # The winners of the illustrative 2018/19 round, all decided on the day it was declared
        *(f"YCYC-2018-P{n:02d}" for n in (1, 2, 4, 6, 7, 8, 10, 13, 14, 16, 17)))]
    assert grants[3] == {
        "id": f"{PREFIX}-VS-2017-001",
        "title": "Independent support for child survivors of sexual abuse",
        "description": "Independent support for child survivors of sexual abuse. Funded from "
                       "Victims' commissioning funding, 2017/18.",
        "currency": "GBP",
        "amountAwarded": Decimal("30000.00"),
        "amountDisbursed": Decimal("30000.00"),
        "awardDate": "2017-04-20",
        "plannedDates": [{"startDate": "2017-04-01", "endDate": "2018-03-31"}],
        "recipientOrganization": [{"id": f"{PREFIX}-example-children-s-support-service",
                                   "name": "Example Children's Support Service"}],
        "fundingOrganization": [{
            "id": f"{PREFIX}-office-of-the-police-and-crime-commissioner-for-north-wales",
            "name": "Office of the Police and Crime Commissioner for North Wales"}],
        "grantProgramme": [{"code": "victims-services",
                            "title": "Victims' commissioning funding"}],
        "beneficiaryLocation": [{"name": "North Wales", "countryCode": "GB"}],
        "dateModified": "2026-11-18T11:06:40+00:00",
        "dataSource": "http://www.northwales-pcc.gov.uk",
    }
    assert '"amountAwarded": 30000.00,' in text  # exact, from the Decimal text
    ycyc = grants[8]
    assert ycyc["beneficiaryLocation"] == [{"name": "Conwy", "countryCode": "GB"}]
    # The three-year grant is one grant: the whole award, planned over its three years.
    three_years = grants[6]
    assert (three_years["amountAwarded"], three_years["amountDisbursed"],
            three_years["plannedDates"], three_years["description"]) == (
        Decimal("120000.00"), Decimal("40000.00"),
        [{"startDate": "2017-04-01", "endDate": "2020-03-31"}],
        "Independent domestic and sexual violence advocacy, three years. Funded from Victims' "
        "commissioning funding, 2017/18 to 2019/20.")
    # = the approved total of `pcc-ledger commitments` (every year of every grant)
    assert sum(g["amountAwarded"] for g in grants) == Decimal("1372092.50")


def test_a_grant_to_a_police_officer_publishes_no_personal_data(cli: CliRunner, data: Path,
                                                                tmp_path: Path) -> None:
    path = data / "allocations" / "2017-18" / "community-focused.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "name: Neighbourhood Policing Team officer (name withheld)",
        "{name: PC Jane Smith 1234, id: GB-PERSON-1234}".replace("{", "").replace("}", "")
        .replace(", id: ", "\n      id: ")), "utf-8")
    assert "PC Jane Smith 1234" in path.read_text("utf-8")
    text = _export(cli, data, tmp_path / "grants.json")
    grant = next(g for g in json.loads(text)["grants"] if g["id"].endswith("PACT-NPT-2017-001"))
    assert grant["recipientIndividual"] == {"id": f"{PREFIX}-IND-PACT-NPT-2017-001",
                                            "name": "Individual Recipient"}
    # What it was for, from 360Giving's codelists: social action, a community project.
    assert grant["toIndividualsDetails"] == {"primaryGrantReason": "GTIR120",
                                             "grantPurpose": ["GTIP160"]}
    assert "recipientOrganization" not in grant
    flat = _export(cli, data, tmp_path / "grants.csv")
    assert invoke(cli, "publish", str(tmp_path / "site"), "--data", str(data)).exit_code == 0
    page = (tmp_path / "site" / "index.html").read_text("utf-8")
    for published in (text, flat, page):
        assert "Jane Smith" not in published and "GB-PERSON-1234" not in published


def test_flattened_csv_uses_the_standards_column_titles(cli: CliRunner, data: Path,
                                                       tmp_path: Path) -> None:
    reader = csv.DictReader(io.StringIO(_export(cli, data, tmp_path / "g.csv")))
    rows = list(reader)
    assert len(rows) == 22
    assert reader.fieldnames == [
        "Identifier", "Title", "Description", "Currency", "Amount Awarded", "Amount Disbursed",
        "Award Date", "Planned Dates:Start Date", "Planned Dates:End Date",
        "Recipient Org:Identifier", "Recipient Org:Name", "Recipient Ind:Identifier",
        "Recipient Ind:Name", "To Individuals Details:Primary Grant Reason",
        "To Individuals Details:Grant Purpose", "Funding Org:Identifier", "Funding Org:Name",
        "Grant Programme:Code", "Grant Programme:Title", "Beneficiary Location:Name",
        "Beneficiary Location:Country Code", "Last Modified", "Data Source",
    ]
    assert (rows[1]["Identifier"], rows[1]["Amount Awarded"], rows[1]["Amount Disbursed"]) == (
        f"{PREFIX}-CSF-2017-001", "180000.00", "135000.00")
    officer = next(row for row in rows if row["Identifier"].endswith("PACT-NPT-2017-001"))
    assert (officer["To Individuals Details:Primary Grant Reason"],
            officer["To Individuals Details:Grant Purpose"]) == ("GTIR120", "GTIP160")
    assert rows[1]["To Individuals Details:Grant Purpose"] == ""  # a grant to an organisation


def test_the_shipped_datas_export_passes_the_official_schema(cli: CliRunner, data: Path,
                                                            tmp_path: Path) -> None:
    text = _export(cli, data, tmp_path / "g.json")
    errors = list(_official_validator().iter_errors(json.loads(text, parse_float=Decimal)))
    assert errors == []


def test_a_larger_generated_ledger_passes_the_official_schema(cli: CliRunner,
                                                             tmp_path: Path) -> None:
    root = tmp_path / "big"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(root),
                    "--commitments", "1000", "--files", "5"], check=True, capture_output=True)
    funds = root / "funds.yaml"
    funds.write_text(funds.read_text("utf-8").replace(
        "organisation:\n", "organisation:\n  publisher_prefix: 360G-TEST\n", 1), "utf-8")
    text = _export(cli, root, tmp_path / "big.json", "--validate")
    package = json.loads(text, parse_float=Decimal)
    assert len(package["grants"]) > 500
    assert list(_official_validator().iter_errors(package)) == []


def test_validate_reports_a_failing_grant_at_its_commitment(
    cli: CliRunner, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing a user can write gets past `check` into an invalid grant, so break one record.
    from pcc_ledger.export import threesixty

    real = threesixty._record

    def one_bad_date(*args: Any) -> dict[str, Any]:
        record = real(*args)
        if record["id"].endswith("VS-2017-002"):
            record["awardDate"] = "2017-13-45"
        return record

    monkeypatch.setattr(threesixty, "_record", one_bad_date)
    target = tmp_path / "g.json"
    result = invoke(cli, "export", "360giving", str(target), "--data", str(data), "--validate")
    assert result.exit_code == 1
    problem = [line for line in result.stderr.splitlines() if "[open-data-invalid]" in line]
    assert problem == [
        f"{data}/allocations/2017-18/victims.yaml:32:5: error: {PREFIX}-VS-2017-002: "
        "awardDate: '2017-13-45' is not valid under any of the given schemas "
        "[open-data-invalid]"
    ]
    assert not target.exists()


def test_a_bad_web_address_is_caught_by_check(cli: CliRunner, data: Path) -> None:
    funds = data / "funds.yaml"
    funds.write_text(funds.read_text("utf-8").replace(
        "url: http://www.northwales-pcc.gov.uk", "url: not a web address"), "utf-8")
    result = invoke(cli, "check", "--data", str(data))
    assert result.stdout.splitlines()[0] == (
        f"{data}/funds.yaml:20:8: error: `not a web address` is not a valid `url`: write a web "
        "address with no spaces or control characters, such as "
        "http://www.northwales-pcc.gov.uk [invalid-value]"
    )


def test_recipients_never_share_an_identifier(cli: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "data"
    write(root / "funds.yaml", """
        organisation: {name: Funder, publisher_prefix: 360G-TEST}
        objectives: {o: O}
        funds:
          f: {name: F, workstream: victims, allocations: {2017/18: {amount: 100, basis: t}}}
        """)
    commitments = "".join(f"""
          - {{id: R-{n}, fund: f, year: 2017/18, recipient: {{name: "{name}", type: charity}},
             title: T, objective: o, amount: 1, status: approved, approved: 2017-05-01}}"""
                          for n, name in enumerate(["Example Trust", "Example-Trust!",
                                                    "Unique Group", "北京社区", "Свет"]))
    write(root / "allocations" / "a.yaml", "commitments:" + commitments + "\n")
    text = _export(cli, root, tmp_path / "g.json", "--validate")
    ids = [g["recipientOrganization"][0]["id"] for g in json.loads(text)["grants"]]
    assert ids[2] == "360G-TEST-unique-group"  # no clash: the plain slug
    assert len(set(ids)) == 5
    assert ids[0].startswith("360G-TEST-example-trust-") and len(ids[0]) == len(ids[1])
    # Stable: the same names give the same identifiers every time.
    again = json.loads(_export(cli, root, tmp_path / "g2.json"))["grants"]
    assert [g["recipientOrganization"][0]["id"] for g in again] == ids


def test_export_needs_a_publisher_prefix(cli: CliRunner, data: Path) -> None:
    funds = data / "funds.yaml"
    funds.write_text(funds.read_text("utf-8").replace(
        "  publisher_prefix: 360G-PLACEHOLDER-OPCCNW\n", ""), "utf-8")
    result = invoke(cli, "export", "360giving", "-", "--data", str(data))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(
        "pcc-ledger: error: funds.yaml has no `organisation: publisher_prefix:`; 360Giving "
        "identifiers start with the prefix 360Giving registers for the publisher (360G-...)\n")


def _flagged_data(root: Path, prefix: bool) -> Path:
    """Grants with something of each kind 360Giving's Data Quality Tool flags."""
    write(root / "funds.yaml", f"""
        organisation:
          name: Funder
          id: GB-GOR-PB123
          {"publisher_prefix: 360G-TEST" if prefix else ""}
        objectives: {{o: O}}
        funds:
          f: {{name: F, workstream: victims, allocations: {{2017/18: {{amount: 100, basis: t}}}}}}
        """)
    write(root / "allocations" / "a.yaml", f"""
        commitments:
          - {{id: Q-1, fund: f, year: 2017/18, recipient: {{name: R, type: charity, id: GB-CHC-1}},
             title: "{"T" * 141}", objective: o, amount: 0, status: approved,
             approved: 2017-05-01}}
          - {{id: Q-2, fund: f, year: 2017/18, recipient: {{name: a@b.org, type: police-officer}},
             title: Same, description: Same, objective: o, amount: 1, status: approved,
             approved: 2017-05-01, area: write to x@example.org}}
        """)
    return root


def test_the_quality_checks_judge_only_data_published_as_360giving(tmp_path: Path) -> None:
    unpublished = check_directory(str(_flagged_data(tmp_path / "a", prefix=False)),
                                  date(2017, 9, 30)).problems
    assert [p.rule for p in unpublished] == []
    published = check_directory(str(_flagged_data(tmp_path / "b", prefix=True)),
                                date(2017, 9, 30)).problems
    assert sorted((p.rule, p.severity.value, p.location.line) for p in published) == [
        ("open-data-email", "warning", 7),  # the area; an individual's name is not published
        ("open-data-identifier", "warning", 2),  # GB-CHC-1; the funder's GB-GOR- id is fine
        ("open-data-location", "warning", 2),  # Q-1 (Q-2 has an area)
        ("open-data-title", "warning", 3), ("open-data-title", "warning", 6),
        ("open-data-zero-amount", "warning", 3),
    ]


def test_what_the_quality_checks_flag_still_passes_the_official_schema(
        cli: CliRunner, tmp_path: Path) -> None:
    root = _flagged_data(tmp_path / "data", prefix=True)
    package = json.loads(_export(cli, root, tmp_path / "g.json", "--validate"),
                         parse_float=Decimal)
    assert list(_official_validator().iter_errors(package)) == []
    assert package["publisher"] == {"name": "Funder", "identifier": "GB-GOR-PB123"}
    assert "beneficiaryLocation" not in package["grants"][0]  # no area anywhere: none
    assert package["grants"][1]["toIndividualsDetails"] == {"primaryGrantReason": "GTIR120",
                                                            "grantPurpose": ["GTIP160"]}
    assert [g["grantProgramme"] for g in package["grants"]] == [[{"code": "f", "title": "F"}]] * 2


def test_every_kind_of_individual_has_details_from_the_codelists() -> None:
    from pcc_ledger.export import threesixty

    assert set(threesixty.INDIVIDUAL_DETAILS) == threesixty.INDIVIDUAL_TYPES
    # Codes of grantToIndividualsReason.csv and grantToIndividualsPurpose.csv (closed lists).
    reasons = {f"GTIR{n:03d}" for n in range(10, 121, 10)}
    purposes = {f"GTIP{n:03d}" for n in range(10, 171, 10)}
    for details in threesixty.INDIVIDUAL_DETAILS.values():
        assert details["primaryGrantReason"] in reasons
        assert set(details["grantPurpose"]) <= purposes


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _hostile(root: Path) -> None:
    path = root / "allocations" / "2017-18" / "community-focused.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "name: Example Town Youth Club", "name: \"<script>alert(1)</script>\""), "utf-8")
    os.utime(path, (MODIFIED, MODIFIED))


def test_publish_writes_a_self_contained_escaped_page(cli: CliRunner, data: Path,
                                                      tmp_path: Path) -> None:
    _hostile(data)
    site = tmp_path / "site"
    result = invoke(cli, "publish", str(site), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == [
        "360giving.csv", "360giving.json", "cy", "cy/index.html", "decisions.csv",
        "grants-register.csv", "index.html"]
    html = (site / "index.html").read_text("utf-8")
    page = _Page()
    page.feed(html)
    tags = [tag for tag, _ in page.tags]
    assert page.tags[0] == ("html", {"lang": "en-GB"})
    assert "script" not in tags and "img" not in tags
    # A <link> only names the page in the other language (rel="alternate" loads nothing).
    assert [attrs for tag, attrs in page.tags if tag == "link"] == [
        {"rel": "alternate", "hreflang": "en-GB", "href": "index.html"},
        {"rel": "alternate", "hreflang": "cy", "href": "cy/index.html"}]
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) \
        in page.tags
    # A section per year of the data; each lists its funds, 2017/18 and 2018/19 their projects
    # too, and 2018/19 its round's vote.
    # Then the grants register (its months and its years) and the decisions.
    assert tags.count("section") == 9 and tags.count("table") == 17
    assert tags.count("caption") == 17 and tags.count("thead") == 17
    assert ("th", {"scope": "row"}) in page.tags
    assert "No projects were funded in 2019/20." in page.text
    assert "<script>alert(1)</script>" in page.text  # shown as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Individual Recipient" in page.text
    assert "2026-11-18T11:06:40+00:00" in html and "18 November 2026" in " ".join(page.text)
    links = [attrs.get("href") for tag, attrs in page.tags if tag == "a"]
    assert links == ["cy/index.html", "360giving.json", "360giving.csv", "grants-register.csv",
                     "decisions.csv"]
    assert "illustrative examples" in html
    assert "£1,314,742.50" in html  # the projects' total for 2017/18 (grants awarded in it)
    # The three-year grant, under the year it was awarded, says it spans three years.
    assert "Independent domestic and sexual violence advocacy, three years (2017/18 to " \
        "2019/20)" in html


def test_publish_replaces_only_an_earlier_publish(cli: CliRunner, data: Path,
                                                  tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert invoke(cli, "publish", str(site), "--data", str(data)).exit_code == 0
    again = invoke(cli, "publish", str(site), "--data", str(data))
    assert (again.exit_code, again.stderr) == (
        2, f"pcc-ledger: error: {site} is not empty; pass --force to replace what is in it\n")
    assert invoke(cli, "publish", str(site), "--data", str(data), "--force").exit_code == 0
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == [
        "360giving.csv", "360giving.json", "cy", "cy/index.html", "decisions.csv",
        "grants-register.csv", "index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site"]  # nothing left over
    mask = os.umask(0)
    os.umask(mask)
    assert site.stat().st_mode & 0o777 == 0o777 & ~mask  # readable by a web server
    assert (site / "index.html").stat().st_mode & 0o777 == 0o666 & ~mask
    assert (site / "cy").stat().st_mode & 0o777 == 0o777 & ~mask
    assert (site / "cy" / "index.html").stat().st_mode & 0o777 == 0o666 & ~mask


def test_publish_never_deletes_files_it_did_not_write(cli: CliRunner, data: Path,
                                                     tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "keep.txt").write_text("mine", "utf-8")
    result = invoke(cli, "publish", str(site), "--data", str(data), "--force")
    assert (result.exit_code, result.stderr) == (
        2, f"pcc-ledger: error: {site} holds files that publish did not write (keep.txt); "
        "move them, or publish to another folder\n")
    assert [p.name for p in site.iterdir()] == ["keep.txt"]
    inside = invoke(cli, "publish", str(data / "allocations"), "--data", str(data), "--force")
    assert inside.exit_code == 2
    assert (data / "allocations" / "2017-18" / "victims.yaml").exists()


@pytest.mark.parametrize("where", ["data", ".", ".."])
def test_publish_never_replaces_the_data_or_the_folder_it_is_run_in(
    cli: CliRunner, data: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.chdir(data.parent)
    result = invoke(cli, "publish", where, "--data", "data", "--force")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"pcc-ledger: error: {where} holds the ")
    assert (data / "funds.yaml").exists()


def test_every_text_on_the_page_is_escaped(cli: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "data"
    hostile = '<b onmouseover=alert(1)>&amp; "quoted"'  # written in single-quoted YAML
    write(root / "funds.yaml", f"""
        organisation:
          name: 'Org {hostile}'
          publisher_prefix: 360G-TEST
          area: 'Area {hostile}'
        objectives: {{o: 'Objective {hostile}'}}
        funds:
          f:
            name: 'Fund {hostile}'
            workstream: victims
            allocations: {{2017/18: {{amount: 100, basis: t}}}}
        """)
    write(root / "allocations" / "a.yaml", f"""
        commitments:
          - id: E-1
            fund: f
            year: 2017/18
            recipient: {{name: 'Recipient {hostile}', type: charity}}
            title: 'Title {hostile}'
            objective: o
            amount: 10
            status: approved
            approved: 2017-05-01
        """)
    site = tmp_path / "site"
    assert invoke(cli, "publish", str(site), "--data", str(root)).exit_code == 0
    html = (site / "index.html").read_text("utf-8")
    assert "<b " not in html and "onmouseover=alert" not in html.replace("&lt;b onmouseover=", "")
    page = _Page()
    page.feed(html)
    assert [tag for tag, _ in page.tags].count("b") == 0
    text = "".join(page.text)
    for what in ("Org", "Area", "Objective", "Fund", "Recipient", "Title"):
        assert f"{what} {hostile}" in text, what


@pytest.mark.parametrize(("field", "value", "message"), [
    ("dateModified", "yesterday", "dateModified: 'yesterday' is not a 'date-time'"),
    ("url", "not a web address", "url: 'not a web address' is not a 'uri'"),
])
def test_the_formats_the_official_schema_uses_are_checked(
        cli: CliRunner, data: Path, tmp_path: Path, field: str, value: str, message: str) -> None:
    """date-time and uri need their checkers installed (rfc3339-validator, rfc3986-validator):
    jsonschema passes a format it has no checker for without a word."""
    from pcc_ledger.export.threesixty import validation_errors

    package = json.loads(_export(cli, data, tmp_path / "g.json"))
    package["grants"][0][field] = value
    assert validation_errors(package) == [(0, message)]
