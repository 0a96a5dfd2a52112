"""`pcc-ledger schema`: JSON Schema of the data files, made from the models, that accepts what
the reader accepts as editors and check-jsonschema read YAML, and refuses what it can see."""

from __future__ import annotations

import functools
import json
import math
import random
import re
import shutil
import subprocess
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import ruamel.yaml
from jsonschema import Draft202012Validator
from pydantic import TypeAdapter
from pydantic_core import PydanticCustomError
from typer.testing import CliRunner

from pcc_ledger import jsonschema_export as export
from pcc_ledger.checking import check_directory
from pcc_ledger.model import CommitmentInput, FundsFile, Round, Transfer
from pcc_ledger.rules import RULES
from pcc_ledger.scalars import (
    DATE_PATTERN,
    FinancialYear,
    count_json_schema,
    flag_json_schema,
    money_json_schema,
    parse_count,
    parse_date,
    parse_flag,
    parse_money,
    parse_votes,
    pence_divisors,
    votes_json_schema,
    year_pattern,
)

from .conftest import FIXTURES, REPO, SHIPPED_DATA, invoke, write
from .test_cases import CASES, _data_dir

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SHIPPED_FILES = sorted((SHIPPED_DATA / "allocations").rglob("*.yaml"))
ID_FIELDS = {  # (definition, property) -> the ids it lists
    ("CommitmentInput", "fund"): "funds", ("CommitmentInput", "objective"): "objectives",
    ("CommitmentInput", "ring_fence"): "ring_fences", ("TransferEnd", "fund"): "funds",
    ("TransferEnd", "ring_fence"): "ring_fences", ("TransferEnd", "reserve"): "reserves",
    ("Round", "fund"): "funds", ("Round", "objective"): "objectives",
    ("Project", "objective"): "objectives",
}


class _AsCheckJsonschema(ruamel.yaml.SafeConstructor):
    """YAML read as check-jsonschema 0.39 reads it: YAML 1.2 by ruamel's safe loader, with
    dates left as the text written (it maps the timestamp tag to str)."""

    yaml_constructors = {
        **ruamel.yaml.SafeConstructor.yaml_constructors,
        "tag:yaml.org,2002:timestamp":
            ruamel.yaml.SafeConstructor.yaml_constructors["tag:yaml.org,2002:str"],
    }


def _keys_as_text(data: Any) -> Any:  # as check-jsonschema does too
    if isinstance(data, dict):
        return {str(key): _keys_as_text(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_keys_as_text(value) for value in data]
    return data


def as_tools_read(path: Path) -> Any:
    reader = ruamel.yaml.YAML(typ="safe", pure=True)
    reader.Constructor = _AsCheckJsonschema
    return _keys_as_text(reader.load(path.read_bytes()))


def validator(kind: str | None, ids: export.Ids | None = None) -> Draft202012Validator:
    if ids is None:
        return _plain_validator(kind)
    return Draft202012Validator(export.schema(kind, ids))


@functools.cache
def _plain_validator(kind: str | None) -> Draft202012Validator:
    """Without ids the schema is the same for every case: made once, not once per case."""
    return Draft202012Validator(export.schema(kind, None))


def errors(checker: Draft202012Validator, path: Path) -> list[str]:
    return [error.message for error in checker.iter_errors(as_tools_read(path))]


def kind_of(path: Path, root: Path) -> str:
    return "funds" if path == root / "funds.yaml" else "commitments"


@pytest.fixture(scope="module")
def shipped_ids() -> export.Ids:
    return export.read_ids(str(SHIPPED_DATA))


# The model gives the schema ---------------------------------------------------------------

def test_the_models_give_a_json_schema_with_every_scalar_typed() -> None:
    funds = FundsFile.model_json_schema()  # it raised on the financial year
    allocation = funds["$defs"]["Allocation"]["properties"]
    amount = allocation["amount"]["anyOf"][0]
    assert [form.get("type") for form in amount["anyOf"]] == ["integer", "number", "string"]
    assert funds["$defs"]["Fund"]["properties"]["allocations"]["patternProperties"].keys() == {
        year_pattern()}
    assert funds["$defs"]["RingFence"]["properties"]["must_spend"]["anyOf"][0] == {
        "type": "boolean"}
    payment = TypeAdapter(CommitmentInput).json_schema()["$defs"]["Payment"]["properties"]
    assert payment["date"]["pattern"] == DATE_PATTERN
    assert TypeAdapter(Transfer).json_schema()["properties"].keys() >= {"from", "to"}
    assert "votes" in TypeAdapter(Round).json_schema()["$defs"]["Project"]["properties"]


@pytest.mark.parametrize("kind", ["funds", "commitments", None])
def test_each_schema_is_valid_draft_2020_12_and_closed(kind: str | None,
                                                       shipped_ids: export.Ids) -> None:
    for made in (export.schema(kind), export.schema(kind, shipped_ids)):
        Draft202012Validator.check_schema(made)
        assert made["$schema"] == DRAFT
        assert made["title"].startswith("pcc-ledger ")
        assert made["description"]
        models = [definition for definition in made["$defs"].values()
                  if definition.get("type") == "object" and "properties" in definition]
        assert models and all(model["additionalProperties"] is False for model in models)
        text = json.dumps(made)
        assert all(f'"#/$defs/{name}"' in text for name in made["$defs"])  # none unused


def test_one_schema_for_either_file_kind() -> None:
    made = export.schema(None)
    assert made["oneOf"] == [{"$ref": "#/$defs/FundsFile"}, {"$ref": "#/$defs/CommitmentsFile"}]
    # Each scalar once, named where it is used.
    assert made["$defs"]["Money"] == json.loads(json.dumps(money_json_schema()))
    assert made["$defs"]["RingFence"]["properties"]["amount"] == {"$ref": "#/$defs/Money",
                                                                  "title": "Amount"}
    assert made["$defs"]["Fund"]["properties"]["allocations"]["propertyNames"] == {
        "$ref": "#/$defs/FinancialYear"}
    assert json.dumps(made).count(year_pattern().replace("\\", "\\\\")) == 1
    checker = Draft202012Validator(made)
    assert errors(checker, SHIPPED_DATA / "funds.yaml") == []
    assert all(errors(checker, path) == [] for path in SHIPPED_FILES)


# The command -------------------------------------------------------------------------------

def test_the_command_writes_the_schema_as_sorted_json(cli: CliRunner,
                                                      shipped_ids: export.Ids) -> None:
    result = invoke(cli, "schema", "commitments", "--data", str(SHIPPED_DATA))
    assert (result.exit_code, result.stderr) == (0, "")
    made = json.loads(result.stdout)
    assert result.stdout == json.dumps(made, indent=2, sort_keys=True) + "\n"
    assert made == export.schema("commitments", shipped_ids)
    assert made["$comment"] == (f"The fund, objective, ring-fence and reserve ids are those of "
                                f"{SHIPPED_DATA}/funds.yaml: write the schema again when they "
                                "change.")
    assert invoke(cli, "schema", "Commitments", "--data", str(SHIPPED_DATA)).stdout == \
        result.stdout  # any case
    assert json.loads(invoke(cli, "schema", "FUNDS").stdout) == export.schema("funds")


def test_the_enums_are_exactly_the_shipped_ids(cli: CliRunner) -> None:
    made = json.loads(invoke(cli, "schema", "commitments", "--data", str(SHIPPED_DATA)).stdout)
    written = as_tools_read(SHIPPED_DATA / "funds.yaml")  # read here another way
    expected = {
        "funds": sorted(written["funds"]),
        "objectives": sorted(written["objectives"]),
        "reserves": sorted(written["reserves"]),
        "ring_fences": sorted({fence for fund in written["funds"].values()
                               for year in fund["allocations"].values()
                               for fence in year.get("ring_fences") or {}}),
    }
    assert "victims-services" in expected["funds"]
    assert expected["ring_fences"] == ["child-sexual-abuse"]
    assert expected["reserves"] == ["community-safety-reserve"]
    for (definition, name), ids in ID_FIELDS.items():
        field = made["$defs"][definition]["properties"][name]
        listed = [form for form in field.get("anyOf", [field]) if "enum" in form]
        assert [form["enum"] for form in listed] == [expected[ids]], (definition, name)


def test_with_no_data_the_schema_takes_any_id(cli: CliRunner, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no ./data here
    result = invoke(cli, "schema", "commitments")
    assert result.exit_code == 0
    made = json.loads(result.stdout)
    assert made == export.schema("commitments")
    assert "$comment" not in made and "enum" not in json.dumps(
        made["$defs"]["TransferEnd"]["properties"])


def test_the_default_data_gives_the_ids(cli: CliRunner,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SHIPPED_DATA.parent)
    made = json.loads(invoke(cli, "schema").stdout)
    assert made == export.schema(None, export.read_ids("data"))
    assert made["$comment"].startswith("The fund, objective, ring-fence and reserve ids are "
                                       "those of data/funds.yaml")


@pytest.mark.parametrize(("args", "env", "message"), [
    (["schema", "fund"], None, "no schema for `fund`; write funds or commitments"),
    (["schema", "commitments", "--data", "nowhere"], None,
     "no data directory at nowhere; pass --data DIR or set PCC_LEDGER_DATA"),
    (["schema"], "nowhere", "no data directory at nowhere; pass --data DIR or set "
     "PCC_LEDGER_DATA"),
])
def test_usage_errors(cli: CliRunner, args: list[str], env: str | None, message: str,
                      monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    if env is not None:
        monkeypatch.setenv("PCC_LEDGER_DATA", env)
    result = invoke(cli, *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"pcc-ledger: error: {message}\n"


def test_a_funds_file_that_cannot_be_read_is_an_error(cli: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "cases" / "funds-broken", root)
    result = invoke(cli, "schema", "commitments", "--data", str(root))
    assert (result.exit_code, result.stdout) == (1, "")
    assert f"{root}/funds.yaml:9:17: error: " in result.stderr
    assert result.stderr.endswith(
        f"pcc-ledger: {root}/funds.yaml cannot be read, so no schema with its ids is written; "
        "fix it first (`pcc-ledger check` lists every problem)\n")
    funds = invoke(cli, "schema", "funds", "--data", str(root))  # funds.yaml names no ids
    assert funds.exit_code == 0


def test_the_readme_shows_how_to_bind_the_schemas() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("### `pcc-ledger schema [funds|commitments] [--data DIR]`\n")
    section = readme[start:readme.index("### Exit codes", start)]
    assert "pcc-ledger schema commitments > schema/commitments.schema.json\n" in section
    assert ("```yaml\n# yaml-language-server: "
            "$schema=../../../schema/commitments.schema.json\n") in section
    settings = section[section.index("```json\n") + 8:section.index("```", section.index(
        "```json\n") + 8)]
    assert json.loads(settings) == {"yaml.schemas": {
        "./schema/funds.schema.json": "/data/funds.yaml",
        "./schema/commitments.schema.json": "/data/allocations/**/*.yaml"}}


# The shipped data and the fixtures ---------------------------------------------------------

def _check_jsonschema(schema_file: Path, *files: Path) -> subprocess.Popen[str]:
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent
                                                   / "check-jsonschema")
    return subprocess.Popen([tool, "--schemafile", str(schema_file), *map(str, files)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_check_jsonschema_passes_the_shipped_data_and_fails_mistakes(
        cli: CliRunner, tmp_path: Path) -> None:
    schemas = {}
    for kind, data in (("funds", []), ("commitments", ["--data", str(SHIPPED_DATA)])):
        schemas[kind] = tmp_path / f"{kind}.schema.json"
        schemas[kind].write_text(invoke(cli, "schema", kind, *data).stdout, encoding="utf-8")
    unknown = write(tmp_path / "unknown.yaml", """
        commitments:
          - id: X-1
            fund: victims-services
            year: 2017/18
            recipient: {name: Example Trust, type: charity}
            title: A misspelt key
            objective: reduce-harm
            ammount: 100
            status: proposed
        """)
    amounts = [write(tmp_path / f"amount-{n}.yaml",
                     commitment(fund="victims-services", amount=bad).replace("{n}", str(n)))
               for n, bad in enumerate(["-5", "12.345", "abc", "'12,34'"])]
    runs = [_check_jsonschema(schemas["funds"], SHIPPED_DATA / "funds.yaml"),
            _check_jsonschema(schemas["commitments"], *SHIPPED_FILES),
            _check_jsonschema(schemas["commitments"], unknown, *amounts)]
    (good_funds, _), (good_commitments, _), (bad, _) = [(run.communicate()[0], run.wait())
                                                        for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 1]
    assert good_funds.strip() == good_commitments.strip() == "ok -- validation done"
    for path in (unknown, *amounts):
        assert f"{path}::$" in bad, path  # each file is reported
    assert "'ammount' was unexpected" in bad


def test_the_jsonschema_library_passes_the_shipped_data(shipped_ids: export.Ids) -> None:
    assert errors(validator("funds"), SHIPPED_DATA / "funds.yaml") == []
    for checker in (validator("commitments"), validator("commitments", shipped_ids)):
        assert {path.name: errors(checker, path) for path in SHIPPED_FILES} == {
            path.name: [] for path in SHIPPED_FILES}


FIXTURE_DIRS = [*CASES, FIXTURES / "demo", SHIPPED_DATA]


@pytest.mark.parametrize("case", FIXTURE_DIRS, ids=[case.name for case in FIXTURE_DIRS])
def test_every_fixture_file_check_accepts_validates(case: Path, tmp_path: Path) -> None:
    """A file in which `check` finds no fact (whatever its policy warnings) validates, with
    the ids of its own data directory too."""
    root = case if case.name in ("demo", "data") else _data_dir(case, tmp_path)
    checked = check_directory(str(root), date(2017, 9, 30))
    with_facts = {p.location.file for p in checked.problems if RULES[p.rule].factual}
    try:
        ids: export.Ids | None = export.read_ids(str(root))
    except export.UnreadableFunds:
        ids = None
    checkers = {"funds": [validator("funds")],
                "commitments": [validator("commitments")]
                + ([validator("commitments", ids)] if ids else [])}
    clean = [(shown, path) for shown, path in zip(checked.loaded.files, checked.loaded.paths)
             if shown not in with_facts and path.suffix in (".yaml", ".yml")]
    for shown, path in clean:
        for checker in checkers[kind_of(path, root)]:
            assert errors(checker, path) == [], shown
    if case.name in ("clean", "demo", "data", "rounds-ok", "transfers-ok", "multi-year-ok"):
        assert len(clean) >= 2  # funds.yaml and commitments, at least


# Each form the reader accepts, and refuses -------------------------------------------------

COMMITMENT = {
    "id": "C-{n}", "fund": "grants", "year": "2017/18",
    "recipient": "{name: Example Trust, type: charity}", "title": "A commitment",
    "objective": "reduce-harm", "amount": "100", "status": "proposed",
}
ROUND = """
rounds:
  - id: R-{{n}}
    fund: round-{fund}
    year: 2017/18
    date: 2017-06-01
    objective: reduce-harm
    method: greedy
    projects:
      - id: R-{{n}}-P1
        title: A project
        recipient: {{name: Example Group, type: community-group}}
        area: Gwynedd
        amount: 100
        votes: {votes}
"""
ROUND_FUNDS = 10  # one round decides a fund's year: each round has a fund of its own
TRANSFER = """
transfers:
  - id: T-{{n}}
    date: 2017-06-01
    from: {source}
    to: {{fund: grants, year: 2017/18, ring_fence: fenced}}
    amount: 10
"""


def commitment(**changed: str | None) -> str:
    fields = {**COMMITMENT, **changed}
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    return "commitments:\n  - " + "\n    ".join(lines) + "\n"


ACCEPTED = {
    **{f"amount {text}": commitment(amount=text) for text in (
        "56442", "56442.00", "56442.5", "56,442", "£56,442.50", "0", "0.07", "1234567.89",
        "999999999999.99", "999999999999", "'56442'", "' 56,442.00 '", "£1,234,567")},
    **{f"year {text}": commitment(year=text) for text in ("2017/18", "'2017/18'")},
    **{f"approved {text}": commitment(status="approved", approved=text) for text in (
        "2017-04-20", "'2017-04-20'", "2016-02-29", "2000-02-29")},
    **{f"illustrative {text}": f"illustrative: {text}\n" + commitment() for text in (
        "true", "false", "True", "FALSE", "'tRuE'", "' false '")},
    "text as numbers and flags": commitment(title="123", area="true", note="1.5",
                                            decision="2017/04", description="2017-04-20"),
    "ids as numbers": commitment(id="2017001{n}", category="2017"),
    "no value": commitment(note="", category="~", approved="null"),
    "several years": commitment(year=None, amount=None, years="{2017/18: '£1,000.50'}"),
    "years and their sum": commitment(year=None, years="{2017/18: 40}", amount="40"),
    "payments": commitment(amount="20", payments="[{date: 2017-06-30, amount: 15.5, "
                           "reference: 12345}]"),
    **{f"votes {text}": ROUND.format(fund=fund, votes=text) for fund, text in enumerate((
        "412", "0", "'1,204'", "{online: 300, paper: '1,112'}"))},
    "a transfer": TRANSFER.format(source="{fund: grants, year: 2017/18}"),
}
REFUSED = {
    **{f"amount {text}": commitment(amount=text) for text in (
        "-5", "12.345", "abc", "'12.345'", "'1,23'", "£-5", "56.442,00", "1234567890123",
        "'£1,2345'", "''", "[5]")},
    **{f"year {text}": commitment(year=text) for text in ("2017/19", "2017-18", "17/18",
                                                        "'2017/18 '", "2999/00")},
    **{f"approved {text}": commitment(status="approved", approved=text) for text in (
        "2017-02-30", "2017-4-20", "2019-02-29", "1900-02-29", "20/04/2017")},
    "approved with no date": commitment(status="approved"),
    **{f"illustrative {text}": f"illustrative: {text}\n" + commitment() for text in (
        "yes", "no", "on", "off", "1")},
    "unknown key": commitment(ammount="5"),
    "unknown status": commitment(status="done"),
    "unknown recipient type": commitment(recipient="{name: Example, type: friend}"),
    "no amount": commitment(amount=None),
    "no year": commitment(year=None),
    "year and years": commitment(amount=None, years="{2017/18: 40}"),
    "empty years": commitment(year=None, amount=None, years="{}"),
    "bad id": commitment(id="-C-{n}"),
    "bad category": commitment(category="Bad_Category"),
    "empty title": commitment(title="''"),
    "control character": commitment(title='"\\e[2J"'),
    **{f"votes {text}": ROUND.format(fund=fund, votes=text) for fund, text in enumerate((
        "-1", "'1,2'", "{}", "{Online: 3}", "{online: -3}"), start=4)},
    "a transfer from a reserve and a fund": TRANSFER.format(
        source="{reserve: r, fund: grants}"),
    "a transfer end with no year": TRANSFER.format(source="{fund: grants}"),
}


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bool, bool, bool]]:
    """For each case, in one data directory (a file each): does `check` find a fact in it,
    does the schema refuse it, and does the schema with the directory's ids?"""
    root = tmp_path_factory.mktemp("forms") / "data"
    (root / "allocations").mkdir(parents=True)
    (root / "funds.yaml").write_text((FIXTURES / "base-funds.yaml").read_text("utf-8") + "".join(
        f"  round-{fund}:\n    name: Round {fund}\n    workstream: victims\n    allocations:\n"
        "      2017/18: {amount: 1000, basis: test}\n" for fund in range(ROUND_FUNDS)), "utf-8")
    names = {}
    for n, (name, text) in enumerate({**ACCEPTED, **REFUSED}.items()):
        names[f"{n}.yaml"] = name
        (root / "allocations" / f"{n}.yaml").write_text(text.replace("{n}", str(n)),
                                                        encoding="utf-8")
    checked = check_directory(str(root), date(2017, 9, 30))
    facts = {Path(p.location.file).name for p in checked.problems if RULES[p.rule].factual}
    generic = validator("commitments")
    with_ids = validator("commitments", export.read_ids(str(root)))
    return {name: (file in facts, bool(errors(generic, root / "allocations" / file)),
                   bool(errors(with_ids, root / "allocations" / file)))
            for file, name in names.items()}


@pytest.mark.parametrize("case", ACCEPTED)
def test_what_the_reader_accepts_validates(case: str,
                                           verdicts: dict[str, tuple[bool, bool, bool]]) -> None:
    assert verdicts[case] == (False, False, False)


@pytest.mark.parametrize("case", REFUSED)
def test_what_the_reader_refuses_fails(case: str,
                                       verdicts: dict[str, tuple[bool, bool, bool]]) -> None:
    assert verdicts[case] == (True, True, True)


@pytest.mark.parametrize("text", ["1e3", "0x1F", "0o17", "+5", "1.", "1_000"])
def test_what_json_schema_cannot_see(text: str, tmp_path: Path) -> None:
    """YAML 1.2 reads these as plain numbers, which the schema cannot tell from 1000 or 31:
    `check` refuses them (the README says so)."""
    path = write(tmp_path / "a.yaml", commitment(amount=text).replace("{n}", "1"))
    assert errors(validator("commitments"), path) == []
    with pytest.raises(PydanticCustomError):
        parse_money(text)


def test_ids_not_in_funds_yaml_fail_with_data(tmp_path: Path) -> None:
    root = tmp_path / "data"
    root.mkdir()
    shutil.copy(FIXTURES / "base-funds.yaml", root / "funds.yaml")
    path = write(tmp_path / "a.yaml", commitment(fund="grant", objective="reduce-harms",
                                                 ring_fence="fence").replace("{n}", "1"))
    assert errors(validator("commitments"), path) == []
    found = errors(validator("commitments", export.read_ids(str(root))), path)
    assert sorted(found) == ["'fence' is not valid under any of the given schemas",
                             "'grant' is not one of ['grants', 'open']",
                             "'reduce-harms' is not one of ['prevent-crime', 'reduce-harm']"]


def test_funds_yaml_forms(tmp_path: Path) -> None:
    base = (FIXTURES / "base-funds.yaml").read_text(encoding="utf-8")
    good = write(tmp_path / "good.yaml", base.replace("    workstream: victims\n", """\
    workstream: victims
    rules: {max_award: '£2,000', max_awards: 12, recipient_types: [charity]}
""").replace("            amount: 300\n", "            amount: 300\n            must_spend: TRUE\n")
        + "checks:\n  unspent-allocation: off\n")
    checker = validator("funds")
    assert errors(checker, good) == []
    for written, instead in (
            ("max_awards: 12", "max_awards: 0"), ("max_awards: 12", "max_awards: '1000000'"),
            ("must_spend: TRUE", "must_spend: yes"),
            ("unspent-allocation: off", "unspent-allocation: quiet"),
            ("unspent-allocation: off", "yaml-syntax: off"),  # a fact is not tuned
            ("2017/18:", "2017/19:"), ("  grants:", "  Grants:"),
            ("currency: GBP", "currency: EUR")):
        text = good.read_text(encoding="utf-8")
        assert written in text
        path = write(tmp_path / "bad.yaml", text.replace(written, instead))
        assert errors(checker, path), instead


# The patterns are the parsers' -------------------------------------------------------------

def _accepts(parse: Any, text: str) -> bool:
    try:
        parse(text)
    except PydanticCustomError:
        return False
    return True


def test_the_year_pattern_is_the_parser() -> None:
    pattern = re.compile(year_pattern())
    for start in range(10000):
        for end in (start + 1, start + 2, start):
            text = f"{start:04d}/{end % 100:02d}"
            assert bool(pattern.search(text)) == _accepts(FinancialYear.parse, text), text
    for text in ("2017/18 ", " 2017/18", "2017-18", "17/18", "2017/018", "２017/18"):
        assert not pattern.search(text) and not _accepts(FinancialYear.parse, text)


def test_the_date_pattern_is_the_parser() -> None:
    pattern = re.compile(DATE_PATTERN)
    for year in (0, 1, 4, 100, 400, 1900, 2000, 2016, 2017, 2019, 2100, 2400, 9996, 9999):
        for month in range(14):
            for day in range(33):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                assert bool(pattern.search(text)) == _accepts(parse_date, text), text
    for text in ("2017-4-20", "17-04-20", "2017/04/20", " 2017-04-20 ", "2017-04-20T00:00"):
        assert bool(pattern.search(text)) == _accepts(parse_date, text), text


def _texts(pieces: list[str], longest: int, count: int) -> list[str]:
    generator = random.Random(len(pieces))
    return ["".join(generator.choice(pieces) for _ in range(generator.randrange(1, longest)))
            for _ in range(count)]


@pytest.mark.parametrize(("schema", "parse", "pieces", "longest"), [
    (money_json_schema, parse_money, [*"0123456789,.£ -e", "000", ",000"], 10),
    (count_json_schema, parse_count, [*"0123456789 ,.-"], 9),
    (flag_json_schema, parse_flag, ["true", "TRUE", "False", "fALSE", "yes", "t", "e", " "], 4),
    (votes_json_schema, parse_votes, [*"0123456789,. -", ",000"], 9),
], ids=["money", "count", "flag", "votes"])
def test_each_text_pattern_accepts_what_its_parser_does(schema: Any, parse: Any,
                                                        pieces: list[str], longest: int) -> None:
    checker = Draft202012Validator(schema())
    texts = _texts(pieces, longest, 3000)
    agreed = [(text, checker.is_valid(text), _accepts(parse, text)) for text in texts]
    assert [row for row in agreed if row[1] != row[2]] == []
    valid = sum(valid for _, valid, _ in agreed)
    assert 100 < valid < len(texts) - 100, valid  # both kinds tried


def test_the_pence_divisors_provably_accept_every_amount_in_pence() -> None:
    """The argument of scalars.pence_divisors, in exact arithmetic: every relative error of
    an amount read as a float lies within u/2 of one divisor's relative error, u = 2**-53."""
    unit = Fraction(1, 2**53)
    errors_of = sorted((Fraction(m) - Fraction(1, 100 * p)) / Fraction(1, 100 * p) / unit
                       for m, p in zip(pence_divisors(), (1, 3, 3), strict=True))
    assert Fraction(1, 100 * 3) - Fraction(pence_divisors()[2]) > 0  # the float below 1/300
    gaps = [Fraction(-1), *errors_of, Fraction(1)]
    worst = max(max(b - a for a, b in zip(gaps[1:-2], gaps[2:-1], strict=True)) / 2,
                errors_of[0] - gaps[0], gaps[-1] - errors_of[-1])
    assert worst < Fraction(1, 2)


def test_numbers_with_pence_pass_and_with_a_tenth_of_a_penny_fail() -> None:
    pence = Draft202012Validator(money_json_schema())
    generator = random.Random(7)
    pounds = [float(f"{c // 100}.{c % 100:02d}") for c in (
        *range(0, 3000), *(generator.randrange(10**14) for _ in range(3000)))]
    assert [x for x in pounds if not pence.is_valid(x)] == []
    tenths = [m / 1000 for m in range(1, 3000) if m % 10]
    assert [x for x in tenths if pence.is_valid(x)] == []
    assert not any(pence.is_valid(x) for x in (math.nan, math.inf, -0.01, 1e12, 10**400))
