"""Every --help reads right, on the lowest Typer the project allows and on the newest: no type
after a flag, no braces round an argument, each usage line naming its command and arguments;
and --version works on every command and group."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from pcc_ledger import __version__
from pcc_ledger.cli import app

HELP_ENV = {"COLUMNS": "200", "TERM": "dumb", "NO_COLOR": "1"}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # in case colour is forced on (FORCE_COLOR, CI)

# The positional argument of each command that takes one, as the usage line names it.
ARGUMENTS = {
    "check": "[DIR]",
    "year-end": "FY",
    "round": "ID",
    "publish": "DIR",
    "diff": "[REV] [REV2]",
    "export xlsx": "FILE",
    "export beancount": "FILE",
    "export hledger": "FILE",
    "export 360giving": "FILE",
    "schema": "[KIND]",
    "init": "DIR",
    "approve": "ID",
    "pay": "ID AMOUNT",
    "cancel": "ID",
}
GROUPS = {"": "COMMAND [ARGS]...", "export": "COMMAND [ARGS]..."}


def _tree(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """The root, every command and every sub-command, each with its path of names."""
    found = [(path, command)]
    for name, child in getattr(command, "commands", {}).items():
        found.extend(_tree(child, (*path, name)))
    return found


TREE = _tree(typer.main.get_command(app))
PATHS = [path for path, _ in TREE]
COMMANDS = dict(TREE)


def _id(path: tuple[str, ...]) -> str:
    return " ".join(path) or "pcc-ledger"


def _help(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env=HELP_ENV, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return ANSI.sub("", result.stdout)


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "GITHUB_ACTIONS", "PCC_LEDGER_DATA"):
        monkeypatch.delenv(name, raising=False)


def test_the_walk_finds_every_command_and_group() -> None:
    assert sorted(_id(path) for path in PATHS) == sorted([
        "pcc-ledger", "check", "rules", "summary", "year-end", "years", "funds", "commitments",
        "payments", "transfers", "profile", "reviews", "rounds", "round", "publish", "export",
        "export xlsx", "export beancount", "export hledger", "export 360giving", "diff", "schema",
        "init",
        "add", "approve", "pay", "cancel", "transfer",
    ])


@pytest.mark.parametrize("path", PATHS, ids=_id)
def test_the_usage_line_names_the_command_and_its_arguments(path: tuple[str, ...]) -> None:
    text = _help(path)
    usage = [line.strip() for line in text.splitlines() if "Usage:" in line]
    name = " ".join(path)
    tail = GROUPS.get(name) or ARGUMENTS.get(name)
    expected = " ".join(part for part in ("Usage: pcc-ledger", name, "[OPTIONS]", tail) if part)
    assert usage == [expected]
    assert "{" not in usage[0] and "}" not in usage[0]


@pytest.mark.parametrize("path", PATHS, ids=_id)
def test_no_type_is_shown_beside_a_flag(path: tuple[str, ...]) -> None:
    text = _help(path)
    assert "<bool>" not in text
    assert "BOOLEAN" not in text
    assert "[default: None]" not in text
    flags = [(p.opts[0], p.help) for p in COMMANDS[path].params if getattr(p, "is_flag", False)]
    flags.append(("--help", "Show this message and exit."))
    for option, help_text in flags:
        rows = [line for line in text.splitlines() if f" {option} " in line]
        assert len(rows) == 1, (option, rows)
        # Nothing between the flag and the start of its help (as Markdown shows it): no type.
        start = re.escape(help_text.replace("`", "")[:30])
        # (or its short form, in a column of its own: `--quiet  -q  Print …`).
        assert re.search(rf"│ {re.escape(option)} +(-[a-zA-Z] +)?{start}", rows[0]), rows[0]


def test_the_rows_of_a_command_exactly() -> None:
    rows = [" ".join(line.strip("│ ").split()) for line in _help(("check",)).splitlines()]
    for row in (
        "--data DIR The data directory (default: $PCC_LEDGER_DATA, else ./data).",
        "--strict Fail on warnings too.",
        "--as-of DATE Judge year-end warnings as on this day, YYYY-MM-DD (default: today).",
        "--quiet -q Print the problems and nothing else (no count line; nothing at all when "
        "there are none).",
        "--disable RULE Switch a policy rule off for this run (over the checks: of funds.yaml); "
        "repeat for more.",
        "--version -V Show the version and exit.",
        "--help -h Show this message and exit.",
    ):
        assert row in rows


def test_an_argument_shows_its_name_once() -> None:
    text = _help(("year-end",))
    assert text.count("FY") == 2  # the usage line and the argument's row
    assert "{FY}" not in text


@pytest.mark.parametrize("path", PATHS, ids=_id)
def test_version_on_every_command_and_group(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--version"], catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (0, f"pcc-ledger {__version__}\n")
