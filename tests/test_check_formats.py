"""`check --format text|github|json`, byte for byte, on one fixture with many kinds of problem
(tests/fixtures/demo); plus colour, NO_COLOR, GitHub's automatic choice and its escaping."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pcc_ledger import cli as cli_module
from pcc_ledger.problems import Location, Problem, Severity
from pcc_ledger.render.problems import CheckOutput, render_github, render_text

from .conftest import REPO, invoke, write

EXPECTED = REPO / "tests" / "fixtures" / "demo" / "expected"
DEMO = ["check", "--data", "tests/fixtures/demo", "--as-of", "2018-04-01"]


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def _expected(name: str) -> str:
    return (EXPECTED / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("options", "golden"),
    [([], "check.txt"), (["--format", "text"], "check.txt"),
     (["--format", "github"], "check.github"), (["--format", "json"], "check.json")],
)
def test_each_format_byte_for_byte(cli: CliRunner, options: list[str], golden: str) -> None:
    result = invoke(cli, *DEMO, *options)
    assert result.exit_code == 1
    assert result.stdout == _expected(golden)


def test_json_is_the_documented_object(cli: CliRunner) -> None:
    document = json.loads(invoke(cli, *DEMO, "--format", "json").stdout)
    assert list(document) == ["version", "files", "counts", "exit_status", "problems",
                              "suppressed"]
    assert (document["version"], document["files"], document["exit_status"]) == (1, 3, 1)
    assert document["counts"] == {"errors": 5, "warnings": 2, "suppressed": 0}
    assert list(document["problems"][0]) == ["file", "line", "column", "severity", "rule",
                                            "message"]



def test_json_exit_status_follows_strict(cli: CliRunner, tmp_path: Path) -> None:
    # Warnings only: they pass, unless --strict.
    write(tmp_path / "data" / "funds.yaml", """
        organisation: {name: Test}
        objectives: {o: O}
        checks: {unspent-allocation: off}
        funds:
          f:
            name: F
            workstream: victims
            allocations:
              2016/17: {amount: 1000, basis: test}
              2017/18: {amount: 100000, basis: test}
        """)
    options = ["check", "--data", str(tmp_path / "data"), "--format", "json"]
    relaxed, strict = invoke(cli, *options), invoke(cli, *options, "--strict")
    assert (relaxed.exit_code, json.loads(relaxed.stdout)["exit_status"]) == (0, 0)
    assert (strict.exit_code, json.loads(strict.stdout)["exit_status"]) == (1, 1)
    assert json.loads(strict.stdout)["counts"] == {"errors": 0, "warnings": 1,
                                                       "suppressed": 0}


def test_github_is_chosen_inside_github_actions(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert invoke(cli, *DEMO).stdout == _expected("check.github")
    assert invoke(cli, *DEMO, "--format", "text").stdout == _expected("check.txt")


def test_colour_on_a_terminal_and_never_with_no_color(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_module, "_wants_rich", lambda: True)
    coloured = invoke(cli, *DEMO).stdout
    assert coloured == _expected("check-colour.txt")
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == _expected("check.txt")
    # github and json never carry colour, even on a terminal.
    assert invoke(cli, *DEMO, "--format", "github").stdout == _expected("check.github")


def test_github_escapes_what_would_break_a_workflow_command() -> None:
    problem = Problem(
        Location("data/a,b:c.yaml", 3, 4), "unknown-key", "50% done\nsecond line\r",
        Severity.ERROR,
    )
    assert render_github(CheckOutput([problem], 1, 1)) == (
        "::error file=data/a%2Cb%3Ac.yaml,line=3,col=4,title=unknown-key::50%25 done%0Asecond "
        "line%0D\n"
        "1 error in 1 file"
    )


def test_file_problems_have_no_line_in_any_format(tmp_path: Path) -> None:
    problem = Problem(Location("data/x.yaml"), "stray-file", "not read", Severity.WARNING)
    output = CheckOutput([problem], 1, 0)
    assert render_github(output) == "::warning file=data/x.yaml,title=stray-file::not read\n" \
        "1 warning in 1 file"
    assert render_text(output) == "data/x.yaml: warning: not read [stray-file]\n1 warning in 1 file"


def test_a_long_line_is_shown_around_the_column(tmp_path: Path) -> None:
    source = tmp_path / "long.yaml"
    source.write_text("x" * 300 + "HERE" + "y" * 300 + "\n", encoding="utf-8")
    problem = Problem(Location(str(source), 1, 301), "yaml-syntax", "m", Severity.ERROR)
    lines = render_text(CheckOutput([problem], 1, 1)).splitlines()
    code, caret = lines[1], lines[2]
    assert len(code) == len(" 1 | ") + 120
    assert code[caret.index("^") :].startswith("HERE")


def test_the_caret_keeps_tabs_and_the_line_ignores_a_byte_order_mark(tmp_path: Path) -> None:
    source = tmp_path / "tabs.yaml"
    source.write_text("\ufeffa:\n\t\tb: x\n", encoding="utf-8")
    first = Problem(Location(str(source), 1, 1), "yaml-syntax", "m", Severity.ERROR)
    second = Problem(Location(str(source), 2, 6), "yaml-syntax", "m", Severity.ERROR)
    lines = render_text(CheckOutput([first, second], 1, 1)).splitlines()
    assert lines[1:3] == [" 1 | a:", "   | ^"]
    assert lines[4:6] == [" 2 | \t\tb: x", "   | \t\t   ^"]


def test_a_line_break_inside_a_value_stays_inside_one_line_of_text() -> None:
    problem = Problem(Location("a.yaml"), "unknown-fund", "unknown fund `gr\nants`",
                      Severity.ERROR)
    assert render_text(CheckOutput([problem], 1, 1)).splitlines()[0] == (
        "a.yaml: error: unknown fund `gr\\nants` [unknown-fund]"
    )
