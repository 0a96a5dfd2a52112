"""360Giving open data and the transparency page: the export field by field, validation against
the official schema offline, no personal data, escaping, and safe publishing."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from typer.testing import CliRunner

from .conftest import REPO, invoke, write

OFFICIAL = REPO.parent / "shared" / "360giving"
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
    """The official schema files from shared/, every reference resolved locally."""
    grant = json.loads((OFFICIAL / "360-giving-schema.json").read_text("utf-8"))
    package = json.loads((OFFICIAL / "360-giving-package-schema.json").read_text("utf-8"))
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


def test_the_shipped_schema_is_the_official_one() -> None:
    for name in ("360-giving-schema.json", "360-giving-package-schema.json", "LICENSE.md"):
        assert (PACKAGED / name).read_bytes() == (OFFICIAL / name).read_bytes()


def test_package_of_the_shipped_data_field_by_field(cli: CliRunner, data: Path,
                                                    tmp_path: Path) -> None:
    text = _export(cli, data, tmp_path / "grants.json")
    package = json.loads(text, parse_float=Decimal)
    assert (package["version"], package["issued"]) == ("1.4", "2026-11-18")
    grants = package["grants"]
    assert [g["id"] for g in grants] == [f"{PREFIX}-{i}" for i in (
        "VS-2017-003", "CSF-2017-001", "CSF-2017-002", "VS-2017-001", "VS-2017-002",
        "PACT-NPT-2017-001", "PACT-CG-2017-001", "YCYC-2017-001", "YCYC-2017-002")]
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
    ycyc = grants[7]
    assert ycyc["beneficiaryLocation"] == [{"name": "Conwy", "countryCode": "GB"}]
    assert sum(g["amountAwarded"] for g in grants) == Decimal("1184742.50")  # = summary


def test_a_grant_to_a_police_officer_publishes_no_personal_data(cli: CliRunner, data: Path,
                                                                tmp_path: Path) -> None:
    text = _export(cli, data, tmp_path / "grants.json")
    grant = next(g for g in json.loads(text)["grants"] if g["id"].endswith("PACT-NPT-2017-001"))
    assert grant["recipientIndividual"] == {"id": f"{PREFIX}-IND-PACT-NPT-2017-001",
                                            "name": "Individual recipient"}
    assert "recipientOrganization" not in grant
    flat = _export(cli, data, tmp_path / "grants.csv")
    for published in (text, flat):
        assert "Neighbourhood Policing Team officer" not in published


def test_flattened_csv_uses_the_standards_column_titles(cli: CliRunner, data: Path,
                                                       tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(cli, data, tmp_path / "g.csv"))))
    assert len(rows) == 9
    for title in ("Identifier", "Title", "Description", "Currency", "Amount Awarded",
                  "Award Date", "Recipient Org:Identifier", "Recipient Org:Name",
                  "Funding Org:Identifier", "Funding Org:Name", "Grant Programme:Title",
                  "Planned Dates:Start Date", "Amount Disbursed", "Beneficiary Location:Name",
                  "Last Modified", "Data Source"):
        assert title in rows[0]
    assert (rows[1]["Identifier"], rows[1]["Amount Awarded"], rows[1]["Amount Disbursed"]) == (
        f"{PREFIX}-CSF-2017-001", "180000.00", "135000.00")


def test_the_shipped_datas_export_passes_the_official_schema(cli: CliRunner, data: Path,
                                                            tmp_path: Path) -> None:
    text = _export(cli, data, tmp_path / "g.json")
    errors = list(_official_validator().iter_errors(json.loads(text, parse_float=Decimal)))
    assert errors == []


def test_a_larger_generated_ledger_passes_the_official_schema(cli: CliRunner,
                                                             tmp_path: Path) -> None:
    root = tmp_path / "big"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(root),
                    "--commitments", "2000", "--files", "5"], check=True, capture_output=True)
    funds = root / "funds.yaml"
    funds.write_text(funds.read_text("utf-8").replace(
        "organisation:\n", "organisation:\n  publisher_prefix: 360G-TEST\n", 1), "utf-8")
    text = _export(cli, root, tmp_path / "big.json", "--validate")
    package = json.loads(text, parse_float=Decimal)
    assert len(package["grants"]) > 1000
    assert list(_official_validator().iter_errors(package)) == []


def test_validate_reports_a_failing_grant_at_its_commitment(cli: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "data"
    write(root / "funds.yaml", """
        organisation: {name: Test, publisher_prefix: 360G-TEST, url: not a web address}
        objectives: {o: O}
        funds:
          f: {name: F, workstream: victims, allocations: {2017/18: {amount: 100, basis: t}}}
        """)
    write(root / "allocations" / "a.yaml", """
        commitments:
          - id: G-1
            fund: f
            year: 2017/18
            recipient: {name: A, type: charity}
            title: T
            objective: o
            amount: 10
            status: approved
            approved: 2017-05-01
        """)
    target = tmp_path / "g.json"
    result = invoke(cli, "export", "360giving", str(target), "--data", str(root), "--validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{root}/allocations/a.yaml:2:5: error: 360G-TEST-G-1: dataSource: 'not a web address' "
        "is not a 'uri' [open-data-invalid]"
    )
    assert not target.exists()
    # Without --validate the file is written, as asked.
    assert invoke(cli, "export", "360giving", str(target), "--data", str(root)).exit_code == 0


def test_export_needs_a_publisher_prefix(cli: CliRunner, data: Path) -> None:
    funds = data / "funds.yaml"
    funds.write_text(funds.read_text("utf-8").replace(
        "  publisher_prefix: 360G-PLACEHOLDER-OPCCNW\n", ""), "utf-8")
    result = invoke(cli, "export", "360giving", "-", "--data", str(data))
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", (
        "pcc-ledger: error: funds.yaml has no `organisation: publisher_prefix:`; 360Giving "
        "identifiers start with the prefix 360Giving registers for the publisher (360G-...)\n"))


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
    assert sorted(p.name for p in site.iterdir()) == ["360giving.csv", "360giving.json",
                                                     "index.html"]
    html = (site / "index.html").read_text("utf-8")
    page = _Page()
    page.feed(html)
    tags = [tag for tag, _ in page.tags]
    assert page.tags[0] == ("html", {"lang": "en-GB"})
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) \
        in page.tags
    assert tags.count("section") == 1 and tags.count("table") == 2
    assert tags.count("caption") == 2 and tags.count("thead") == 2
    assert "<script>alert(1)</script>" in page.text  # shown as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Individual recipient" in page.text
    assert "2026-11-18T11:06:40+00:00" in html and "18 November 2026" in " ".join(page.text)
    links = [attrs.get("href") for tag, attrs in page.tags if tag == "a"]
    assert links == ["360giving.json", "360giving.csv"]
    assert "illustrative examples" in html
    assert "£1,184,742.50" in html  # the projects' total for 2017/18


def test_publish_refuses_a_non_empty_folder_without_force(cli: CliRunner, data: Path,
                                                          tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "keep.txt").write_text("mine", "utf-8")
    result = invoke(cli, "publish", str(site), "--data", str(data))
    assert (result.exit_code, result.stderr) == (
        2, f"pcc-ledger: error: {site} is not empty; pass --force to replace what is in it\n")
    assert [p.name for p in site.iterdir()] == ["keep.txt"]
    assert invoke(cli, "publish", str(site), "--data", str(data), "--force").exit_code == 0
    assert sorted(p.name for p in site.iterdir()) == ["360giving.csv", "360giving.json",
                                                     "index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site"]  # nothing left over


@pytest.mark.parametrize("where", ["data", ".", ".."])
def test_publish_never_replaces_the_data_or_the_folder_it_is_run_in(
    cli: CliRunner, data: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.chdir(data.parent)
    result = invoke(cli, "publish", where, "--data", "data", "--force")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"pcc-ledger: error: {where} holds the ")
    assert (data / "funds.yaml").exists()
