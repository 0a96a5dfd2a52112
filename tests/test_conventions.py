"""The conventions of the tools pcc-ledger sits beside (yamllint, check-jsonschema, hledger,
ruff): the data directory as an argument, -q, --color, -V/-h, case-insensitive format names,
--disable/--enable, suppression comments, shell completion."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pcc_ledger import __version__
from pcc_ledger.suppressions import scan_text

from .conftest import FIXTURES, SHIPPED_DATA, invoke, write

CASE = FIXTURES / "cases" / "suppressions"
ANSI = "\x1b["


@pytest.fixture
def scheme(tmp_path: Path) -> Path:
    """A data directory with one commitment above its fund's max_award."""
    root = tmp_path / "data"
    write(root / "funds.yaml", """
        organisation: {name: Test Office}
        objectives: {partnerships: Build effective partnerships}
        funds:
          pact-community-grants:
            name: PACT grants
            workstream: community-focused
            rules: {max_award: 2000}
            allocations:
              2017/18: {basis: test}
        """)
    write(root / "allocations" / "a.yaml", """
        commitments:
          - id: PACT-1
            fund: pact-community-grants
            year: 2017/18
            recipient: {name: Example Group, type: community-group}
            title: Above the cap
            objective: partnerships
            amount: 2400
            status: proposed
        """)
    return root


ABOVE = ("commitment PACT-1 of £2,400.00 exceeds the £2,000.00 maximum award of fund "
         "pact-community-grants; reduce it, or split the work between funds "
         "[award-above-maximum]")


def test_the_data_directory_is_an_argument_too(cli: CliRunner, scheme: Path) -> None:
    by_argument = invoke(cli, "check", str(scheme))
    by_option = invoke(cli, "check", "--data", str(scheme))
    assert by_argument.exit_code == by_option.exit_code == 1
    assert by_argument.stdout == by_option.stdout
    assert f"{scheme}/allocations/a.yaml:8:13: error: {ABOVE}" in by_argument.stdout


def test_two_different_data_directories_are_a_usage_error(cli: CliRunner, scheme: Path) -> None:
    result = invoke(cli, "check", str(scheme), "--data", "elsewhere")
    assert result.exit_code == 2
    assert result.stderr == (f"pcc-ledger: error: two data directories ({scheme} and --data "
                             "elsewhere); give one\n")


def test_quiet_prints_the_problems_only(cli: CliRunner, scheme: Path) -> None:
    loud = invoke(cli, "check", str(scheme))
    quiet = invoke(cli, "check", "-q", str(scheme))
    assert quiet.exit_code == loud.exit_code == 1
    assert loud.stdout.endswith("1 error in 2 files\n")
    assert quiet.stdout == loud.stdout.removesuffix("1 error in 2 files\n")
    assert invoke(cli, "check", "--quiet", "--format", "github", str(scheme)).stdout == (
        f"::error file={scheme}/allocations/a.yaml,line=8,col=13,title=award-above-maximum::"
        + ABOVE.removesuffix(" [award-above-maximum]") + "\n")


def test_quiet_prints_nothing_when_there_is_nothing(cli: CliRunner, scheme: Path) -> None:
    result = invoke(cli, "check", "-q", "--disable", "award-above-maximum", str(scheme))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize(("options", "env", "coloured"), [
    (["--color", "always"], {}, True),
    (["--color", "ALWAYS"], {"NO_COLOR": "1"}, True),  # asked for by name: NO_COLOR is a default
    (["--color", "never"], {}, False),
    ([], {}, False),  # auto, and the runner is not a terminal
])
def test_colour_is_chosen_by_option(cli: CliRunner, scheme: Path, options: list[str],
                                    env: dict[str, str], coloured: bool,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = invoke(cli, "check", *options, str(scheme))
    assert (ANSI in result.stdout) is coloured
    assert "award-above-maximum" in result.stdout


def test_colour_is_a_global_option_too(cli: CliRunner, scheme: Path) -> None:
    result = invoke(cli, "--color", "always", "check", str(scheme))
    assert ANSI in result.stdout
    table = invoke(cli, "--color", "always", "funds", "--data", str(scheme))
    assert ANSI in table.stdout  # Rich's table, coloured, though the runner is no terminal


def test_an_unknown_colour_is_a_usage_error(cli: CliRunner, scheme: Path) -> None:
    result = invoke(cli, "check", "--color", "sometimes", str(scheme))
    assert result.exit_code == 2
    assert "'sometimes' is not one of" in result.stderr


@pytest.mark.parametrize("args", [["-V"], ["--version"], ["check", "-V"], ["summary", "-V"]])
def test_short_version(cli: CliRunner, args: list[str]) -> None:
    result = invoke(cli, *args)
    assert (result.exit_code, result.stdout) == (0, f"pcc-ledger {__version__}\n")


@pytest.mark.parametrize("args", [["-h"], ["check", "-h"], ["export", "xlsx", "-h"]])
def test_short_help(cli: CliRunner, args: list[str]) -> None:
    short, long = invoke(cli, *args), invoke(cli, *args[:-1], "--help")
    assert short.exit_code == 0
    assert short.stdout == long.stdout
    assert "Usage: pcc-ledger" in short.stdout


@pytest.mark.parametrize(("args", "start"), [
    (["check", "--format", "JSON"], "{\n  \"version\": 1,"),
    (["check", "--format", "GitHub"], "::error file="),
    (["funds", "--format", "Markdown"], "## Funds\n\n| Fund "),
    (["funds", "--format", "CSV"], "Fund,Name,"),
    (["commitments", "--status", "PROPOSED", "--format", "csv"], "ID,Fund,Year"),
    (["profile", "--by", "Quarter", "--year", "2017/18", "--format", "csv"], "Period,"),
])
def test_format_names_are_case_insensitive(cli: CliRunner, scheme: Path, args: list[str],
                                           start: str) -> None:
    result = invoke(cli, *args, "--data", str(scheme))
    assert result.stdout.startswith(start), result.stdout[:80]


def test_disable_switches_a_policy_rule_off(cli: CliRunner, scheme: Path) -> None:
    result = invoke(cli, "check", "--disable", "award-above-maximum", str(scheme))
    assert (result.exit_code, result.stdout) == (0, "no problems in 2 files\n")


def test_enable_overrides_the_data_setting(cli: CliRunner, scheme: Path) -> None:
    funds = scheme / "funds.yaml"
    funds.write_text(funds.read_text() + "checks: {award-above-maximum: off}\n")
    assert invoke(cli, "check", str(scheme)).exit_code == 0
    result = invoke(cli, "check", "--enable", "award-above-maximum", str(scheme))
    assert result.exit_code == 1
    assert ABOVE in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--disable", "unknown-key"],
     "--disable: `unknown-key` reports a fact about the data, which is always checked; only "
     "policy rules can be switched off or on"),
    (["--enable", "award-above-maximun"],
     "--enable: no rule `award-above-maximun`; did you mean `award-above-maximum`?"),
    (["--disable", "award-above-maximum", "--enable", "award-above-maximum"],
     "`award-above-maximum` is both disabled and enabled; name it once"),
    (["--disable", "nothing-like-it-at-all"],
     "--disable: no rule `nothing-like-it-at-all`; `pcc-ledger rules` lists them"),
])
def test_naming_a_wrong_rule_is_a_usage_error(cli: CliRunner, scheme: Path, args: list[str],
                                              message: str) -> None:
    result = invoke(cli, "check", *args, str(scheme))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"pcc-ledger: error: {message}\n"


def _case_dir(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    (root / "allocations").mkdir(parents=True)
    shutil.copy(CASE / "funds.yaml", root / "funds.yaml")
    shutil.copy(CASE / "a.yaml", root / "allocations" / "a.yaml")
    return root


def test_suppressed_problems_are_listed_in_json(cli: CliRunner, tmp_path: Path) -> None:
    root = _case_dir(tmp_path)
    document = json.loads(invoke(cli, "check", "--format", "json", "--as-of", "2018-01-01",
                                 str(root)).stdout)
    assert document["counts"] == {"errors": 7, "warnings": 1, "suppressed": 4}
    assert [(p["line"], p["rule"]) for p in document["suppressed"]] == [
        (6, "recipient-type-not-allowed"), (9, "award-above-maximum"),
        (25, "award-above-maximum"), (36, "award-above-maximum")]
    assert document["suppressed"][0] == {
        "file": f"{root}/allocations/a.yaml", "line": 6, "column": 46, "severity": "error",
        "rule": "recipient-type-not-allowed",
        "message": "commitment PACT-2017-001 is to a charity, but fund pact-community-grants "
                   "awards only to: community-group, voluntary-group; choose a recipient of one "
                   "of those types, or fund it from another fund"}


def test_a_suppression_never_fails_a_run(cli: CliRunner, scheme: Path) -> None:
    path = scheme / "allocations" / "a.yaml"
    path.write_text(path.read_text().replace(
        "amount: 2400", "amount: 2400  # pcc-ledger: ignore[award-above-maximum]"))
    result = invoke(cli, "check", "--strict", str(scheme))
    assert (result.exit_code, result.stdout) == (0, "no problems in 2 files (1 suppressed)\n")


def test_an_unused_suppression_of_a_rule_switched_off_is_not_reported(
        cli: CliRunner, scheme: Path) -> None:
    path = scheme / "allocations" / "a.yaml"
    path.write_text(path.read_text().replace(
        "status: proposed", "status: proposed  # pcc-ledger: ignore[too-many-awards]"))
    reported = invoke(cli, "check", "--disable", "award-above-maximum", str(scheme))
    assert "[suppression-unused]" in reported.stdout
    quiet = invoke(cli, "check", "--disable", "award-above-maximum", "--disable",
                   "too-many-awards", str(scheme))
    assert (quiet.exit_code, quiet.stdout) == (0, "no problems in 2 files\n")


def test_suppression_comments_in_funds_yaml(cli: CliRunner, scheme: Path) -> None:
    funds = scheme / "funds.yaml"
    funds.write_text(funds.read_text().replace(
        "      2017/18: {basis: test}",
        "      2017/18: {amount: 10000, basis: test}  # pcc-ledger: ignore[unspent-allocation]"))
    result = invoke(cli, "check", "--as-of", "2018-06-01", "--disable", "award-above-maximum",
                    str(scheme))
    assert (result.exit_code, result.stdout) == (0, "no problems in 2 files (1 suppressed)\n")


@pytest.mark.parametrize(("text", "covered"), [
    ("a: 1  # pcc-ledger: ignore[award-above-maximum]\nb: 2\n", (1, 1)),
    ("# pcc-ledger: ignore[award-above-maximum]\n\n# note\nb: 2\nc: 3\n", (4, 4)),
    ("x:\n  - id: A  # pcc-ledger: ignore[award-above-maximum]\n    amount: 1\n\n"
     "    # a comment inside\n    status: approved\n  - id: B\n", (2, 6)),
    ("x:\n  - id: A\n    payments:  # pcc-ledger: ignore[award-above-maximum]\n"
     "      - {date: 2017-05-01, amount: 1}\n", (3, 3)),
    ("x:\n  -  # pcc-ledger: ignore[award-above-maximum]\n    id: A\n  - id: B\n", (2, 3)),
])
def test_the_lines_a_comment_covers(text: str, covered: tuple[int, int]) -> None:
    found, problems = scan_text("f.yaml", text)
    assert problems == []
    assert [(s.first, s.last) for s in found] == [covered]


@pytest.mark.parametrize("text", [
    "title: 'x # pcc-ledger: ignore[award-above-maximum]'\n",
    'title: "x # pcc-ledger: ignore[award-above-maximum]"\n',
    "title: x#pcc-ledger: ignore[award-above-maximum]\n",
    "title: pcc-ledger: ignore[award-above-maximum]\n",
])
def test_text_that_is_not_a_comment_is_not_a_suppression(text: str) -> None:
    assert scan_text("f.yaml", text) == ([], [])


def test_a_comment_with_nothing_after_it(cli: CliRunner, scheme: Path) -> None:
    path = scheme / "allocations" / "a.yaml"
    path.write_text(path.read_text() + "# pcc-ledger: ignore[award-above-maximum]\n")
    result = invoke(cli, "check", str(scheme))
    assert (f"{scheme}/allocations/a.yaml:10:1: error: this suppression comment has no data "
            "after it to apply to; remove it [suppression-invalid]") in result.stdout


def complete(words: str) -> list[str]:
    """What bash completion offers after `words`."""
    env = {**os.environ, "_PCC_LEDGER_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    # As the console script runs it: completion is keyed by the program's name.
    program = "from pcc_ledger.cli import app; app(prog_name='pcc-ledger')"
    done = subprocess.run([sys.executable, "-c", program], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    return done.stdout.split()


def test_shell_completion_of_commands_and_rules() -> None:
    assert complete("pcc-ledger che") == ["check"]
    assert complete("pcc-ledger check --disable unspent") == [
        "unspent-ring-fence", "unspent-allocation"]
    assert complete("pcc-ledger check --format ") == ["text", "github", "json"]


def test_show_completion_prints_a_script(cli: CliRunner) -> None:
    result = invoke(cli, "--show-completion", "bash")
    assert result.exit_code == 0
    assert "_PCC_LEDGER_COMPLETE=complete_bash" in result.stdout


def test_the_shipped_data_has_no_suppression(cli: CliRunner) -> None:
    result = invoke(cli, "check", "--format", "json", str(SHIPPED_DATA))
    assert json.loads(result.stdout)["counts"]["suppressed"] == 0


@pytest.mark.parametrize(("text", "rules"), [
    ("amount: 300  # the PCC's choice # pcc-ledger: ignore[award-above-maximum]\n",
     ("award-above-maximum",)),
    ("title: Kit for the club's juniors  # pcc-ledger: ignore[award-above-maximum]\n",
     ("award-above-maximum",)),
    ("title: 'it''s # not' # pcc-ledger: ignore[award-above-maximum]\n",
     ("award-above-maximum",)),
])
def test_apostrophes_do_not_hide_a_comment(text: str, rules: tuple[str, ...]) -> None:
    found, problems = scan_text("f.yaml", text)
    assert problems == [] and [s.rules for s in found] == [rules]


def test_the_text_of_a_block_scalar_holds_no_suppression() -> None:
    text = ("x:\n  description: |  # pcc-ledger: ignore[award-above-maximum]\n"
            "    # pcc-ledger: ignore[too-many-awards]\n\n    more text\n  amount: 1\n")
    found, problems = scan_text("f.yaml", text)
    assert problems == []
    assert [(s.line, s.rules) for s in found] == [(2, ("award-above-maximum",))]


def test_markdown_never_mentions_a_github_user() -> None:
    from pcc_ledger.render.markup import _escape_markdown

    assert _escape_markdown("@octocat's group") == "&#64;octocat's group"


def test_completion_of_schema_kinds_and_diff_formats() -> None:
    assert complete("pcc-ledger schema c") == ["commitments"]
    assert complete("pcc-ledger diff --format m") == ["markdown"]
    assert complete("pcc-ledger add --status ") == ["proposed", "approved"]
