"""Welsh beside English: the `_cy` keys, the long form of an objective, and `welsh-text-missing`
(off by default, on in the shipped data). The fixture cases welsh-text and welsh-text-ok hold
its exact messages and where they point."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from pcc_ledger import checks, policy
from pcc_ledger import jsonschema_export as export
from pcc_ledger.checking import check_directory
from pcc_ledger.loader import load
from pcc_ledger.model import FundsFile
from pcc_ledger.policy import apply, from_command_line
from pcc_ledger.problems import Location, Problem, Severity
from pcc_ledger.rules import RULES

from .conftest import FIXTURES, SHIPPED_DATA, invoke, write

IN_YEAR = "2017-09-30"
RULE = "welsh-text-missing"
FUNDS = """
    organisation: {name: Test Office}
    objectives:
      prevent-crime: Prevent crime
    funds:
      grants:
        name: Test grants
        workstream: victims
        allocations:
          2017/18: {amount: 1000, basis: test}
    """
COMMITMENT = """
    commitments:
      - {id: C-1, fund: grants, year: 2017/18, recipient: {name: A, type: charity},
         title: T, objective: prevent-crime, amount: 1, status: approved, approved: 2017-05-01}
    """


def _welsh(problems: list[Problem]) -> list[str]:
    return [p.message for p in problems if p.rule == RULE]


def _data(tmp_path: Path, checks: str = "") -> Path:
    root = tmp_path / "data"
    write(root / "funds.yaml", FUNDS.replace("    funds:\n", f"    {checks}\n    funds:\n"))
    write(root / "allocations" / "a.yaml", COMMITMENT)
    return root


def test_the_rule_is_off_by_default(tmp_path: Path) -> None:
    assert RULES[RULE].default == "off"
    assert RULES[RULE].severity is Severity.WARNING
    assert not RULES[RULE].factual
    checked = check_directory(str(_data(tmp_path)), date(2017, 9, 30))
    assert _welsh(checked.problems) == []


def test_checks_switch_it_on(tmp_path: Path) -> None:
    root = _data(tmp_path, "checks: {welsh-text-missing: warning}")
    problems = [p for p in check_directory(str(root), date(2017, 9, 30)).problems
                if p.rule == RULE]
    assert sorted((p.severity, p.message) for p in problems) == [
        (Severity.WARNING, "approved commitment C-1 has no Welsh for `title`; add `title_cy` "
         "beside it (Welsh public bodies publish in Welsh and English)"),
        (Severity.WARNING, "fund grants has no Welsh for `name`; add `name_cy` beside it (Welsh "
         "public bodies publish in Welsh and English)"),
        (Severity.WARNING, "objective prevent-crime has no Welsh title; add `title_cy` beside "
         "its title, as `prevent-crime: {title: …, title_cy: …}` (Welsh public bodies publish "
         "in Welsh and English)"),
    ]
    as_errors = _data(tmp_path / "e", "checks: {welsh-text-missing: error}")
    assert {p.severity for p in check_directory(str(as_errors), date(2017, 9, 30)).problems
            if p.rule == RULE} == {Severity.ERROR}


def test_enable_switches_it_on_for_one_run(cli: CliRunner, tmp_path: Path) -> None:
    root = _data(tmp_path)
    assert invoke(cli, "check", "--data", str(root), "--as-of", IN_YEAR).exit_code == 0
    result = invoke(cli, "check", "--data", str(root), "--as-of", IN_YEAR,
                    "--enable", RULE)
    assert result.exit_code == 0
    assert result.stdout.count(f"[{RULE}]") == 3
    assert result.stdout.endswith("3 warnings in 2 files\n")


def test_policy_settings_of_a_rule_off_by_default() -> None:
    problem = Problem(Location("funds.yaml", 1), RULE, "m", Severity.WARNING)
    assert apply([problem], {}) == []
    assert apply([problem], {RULE: "off"}) == []
    assert [p.severity for p in apply([problem], {RULE: "warning"})] == [Severity.WARNING]
    assert from_command_line([], [RULE]) == ({RULE: "warning"}, [])
    assert from_command_line([RULE], []) == ({RULE: "off"}, [])


def test_a_suppression_of_it_while_off_is_not_unused(tmp_path: Path) -> None:
    root = _data(tmp_path)
    write(root / "allocations" / "a.yaml", COMMITMENT.replace(
        "  - {id: C-1", "  - # pcc-ledger: ignore[welsh-text-missing]\n        {id: C-1"))
    rules = {p.rule for p in check_directory(str(root), date(2017, 9, 30)).problems}
    assert rules == set()


def test_rules_lists_it_as_off(cli: CliRunner) -> None:
    result = invoke(cli, "rules", "--format", "plain")
    assert [line.split()[:3] for line in result.stdout.splitlines()
            if line.startswith(RULE)] == [[RULE, "off", "policy"]]


def test_the_shipped_data_gives_every_welsh_twin() -> None:
    # Switched on in the shipped checks:, and nothing is missing: check reports only its two
    # future-funding warnings (test_cli.py holds them word for word).
    settings = yaml.safe_load((SHIPPED_DATA / "funds.yaml").read_text(encoding="utf-8"))["checks"]
    assert settings[RULE] == "warning"
    checked = check_directory(str(SHIPPED_DATA), date(2018, 4, 1))
    assert [p.rule for p in checked.problems] == ["future-funding", "future-funding"]
    ledger = load(str(SHIPPED_DATA)).ledger
    assert ledger is not None
    funds = ledger.funds
    assert funds.organisation.name_cy == "Swyddfa Comisiynydd Heddlu a Throseddu Gogledd Cymru"
    assert all(fund.name_cy for fund in funds.funds.values())
    assert all(reserve.name_cy for reserve in funds.reserves.values())
    assert {key: funds.objective_title_cy(key) for key in funds.objectives} == {
        "prevent-crime": "Atal trosedd",
        "effective-response": "Darparu ymateb effeithiol",
        "reduce-harm": "Lleihau niwed a'r risg o niwed",
        "partnerships": "Adeiladu partneriaethau effeithiol",
    }
    assert funds.funds["your-community-your-choice"].name_cy == "Eich Cymuned, Eich Dewis"
    assert "ILLUSTRATIVE" in (SHIPPED_DATA / "funds.yaml").read_text(encoding="utf-8")


def test_objectives_in_either_form_give_english_titles_to_every_consumer() -> None:
    funds = FundsFile.model_validate({
        "organisation": {"name": "O"},
        "objectives": {"prevent-crime": "Prevent crime",
                       "reduce-harm": {"title": "Reduce harm", "title_cy": "Lleihau niwed"},
                       "partnerships": {"title": "Build partnerships"}},
        "funds": {},
    })
    assert funds.objectives == {"prevent-crime": "Prevent crime", "reduce-harm": "Reduce harm",
                                "partnerships": "Build partnerships"}
    assert funds.objective_title_cy("reduce-harm") == "Lleihau niwed"
    assert funds.objective_title_cy("prevent-crime") is None
    assert funds.objective_title_cy("no-such-objective") is None


def test_the_schema_accepts_the_welsh_keys_and_the_long_objective_form() -> None:
    funds_schema = Draft202012Validator(export.schema("funds"))
    commitments_schema = Draft202012Validator(export.schema("commitments"))
    for case in ("welsh-text", "welsh-text-ok"):
        funds = yaml.safe_load((FIXTURES / "cases" / case / "funds.yaml").read_text("utf-8"))
        commitments = yaml.safe_load((FIXTURES / "cases" / case / "a.yaml").read_text("utf-8"))
        for data in (funds, commitments):
            _text_keys(data)
        assert list(funds_schema.iter_errors(funds)) == []
        assert list(commitments_schema.iter_errors(commitments)) == []
    wrong = {"organisation": {"name": "O"}, "funds": {},
             "objectives": {"prevent-crime": {"title": "T", "titel_cy": "Atal"}}}
    assert list(funds_schema.iter_errors(wrong)) != []


def test_an_unknown_key_in_the_long_objective_form_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "data"
    write(root / "funds.yaml", FUNDS.replace(
        "prevent-crime: Prevent crime", "prevent-crime: {title: Prevent crime, titel_cy: Atal}"))
    (root / "allocations").mkdir()
    problems = check_directory(str(root), date(2017, 9, 30)).problems
    assert [(p.rule, p.location.line, p.message) for p in problems] == [
        ("unknown-key", 3, "unknown key `titel_cy`; did you mean `title_cy`?")]


def _text_keys(data: object) -> None:
    """Keys as text and dates as written, as check-jsonschema reads YAML."""
    if isinstance(data, dict):
        for key in list(data):
            value = data.pop(key)
            data[str(key)] = str(value) if isinstance(value, date) else value
            _text_keys(data[str(key)])
    elif isinstance(data, list):
        for index, value in enumerate(data):
            data[index] = str(value) if isinstance(value, date) else value
            _text_keys(data[index])


def test_the_welsh_check_does_not_run_while_its_rule_is_off(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Off by default, it would otherwise look at every commitment of every ledger (1.5 s at
    100,000 commitments) for problems the policy then drops."""
    ran: list[object] = []

    def spy(ledger: object) -> list[object]:
        ran.append(ledger)
        return []

    monkeypatch.setattr(checks, "LEDGER_CHECKS", [spy])
    monkeypatch.setitem(checks.ONLY_REPORTS, spy, frozenset({"welsh-text-missing"}))
    assert checks.ONLY_REPORTS[checks.welsh.check] == frozenset({"welsh-text-missing"})
    off = policy.switched_off({})
    assert "welsh-text-missing" in off and "award-above-maximum" not in off
    ledger: Any = object()
    checks.run_checks([], ledger, checks.Context(date(2018, 1, 1), off=off))
    assert ran == []
    on = policy.switched_off({"welsh-text-missing": "warning"})
    checks.run_checks([], ledger, checks.Context(date(2018, 1, 1), off=on))
    assert ran == [ledger]
