"""Inputs that once crashed pcc-ledger, were skipped in silence or reported at the wrong line.

Each test here failed before its fix. Permission tests run the real command in a subprocess;
as root (CI runs as root) it is started without the capabilities that let root read anything
(`setpriv --bounding-set=-dac_override,-dac_read_search`), so a mode of 000 means what it
means for every other user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from .conftest import SHIPPED_DATA, invoke, write

AS_ROOT = os.geteuid() == 0
SETPRIV = shutil.which("setpriv")


def _run(*args: str, env: dict[str, str] | None = None,
         cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, as a user whom file permissions bind."""
    prefix: list[str] = []
    if AS_ROOT:
        if SETPRIV is None:
            pytest.skip("running as root without setpriv: permissions cannot bind")
        prefix = [SETPRIV, "--bounding-set=-dac_override,-dac_read_search"]
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    environment.pop("GITHUB_ACTIONS", None)
    environment.pop("PCC_LEDGER_DATA", None)
    return subprocess.run(
        [*prefix, sys.executable, "-m", "pcc_ledger", *args],
        capture_output=True, text=True, env=environment, cwd=cwd, check=False,
    )


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, root)
    return root


# --- 2. nothing skipped in silence --------------------------------------------------------


def test_a_folder_that_cannot_be_read_is_an_error_naming_it(shipped: Path) -> None:
    locked = shipped / "allocations" / "locked"
    locked.mkdir()
    shutil.copy(shipped / "allocations" / "2017-18" / "victims.yaml", locked / "more.yaml")
    locked.chmod(0o000)
    try:
        result = _run("check", "--data", "data", cwd=shipped.parent)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 1
    assert result.stdout == (
        "data/allocations/locked: error: cannot read this folder: permission denied; the data "
        "in it is not checked: give yourself permission to read it (chmod u+rx), or move it "
        "out of the data directory [folder-unreadable]\n"
        "1 error in 4 files\n"
    )
    assert result.stderr == ""


def test_a_folder_that_cannot_be_searched_is_reported_not_a_crash(shipped: Path) -> None:
    # Mode 644: its names can be listed, but nothing in it can be opened.
    unsearchable = shipped / "allocations" / "unsearchable"
    unsearchable.mkdir()
    write(unsearchable / "more.yaml", "commitments: []\n")
    (unsearchable / "deeper").mkdir()
    unsearchable.chmod(0o644)
    try:
        result = _run("check", "--data", "data", cwd=shipped.parent)
    finally:
        unsearchable.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr and "cannot write" not in result.stderr
    assert result.stdout.splitlines() == [
        "data/allocations/unsearchable/deeper: error: cannot read this folder: permission "
        "denied; the data in it is not checked: give yourself permission to read it "
        "(chmod u+rx), or move it out of the data directory [folder-unreadable]",
        "data/allocations/unsearchable/more.yaml: error: cannot read the file: Permission "
        "denied; check it exists and that you may read it [file-unreadable]",
        "2 errors in 5 files",
    ]


def test_a_file_that_cannot_be_read_is_an_error(shipped: Path) -> None:
    victims = shipped / "allocations" / "2017-18" / "victims.yaml"
    victims.chmod(0o000)
    result = _run("check", "--data", "data", cwd=shipped.parent)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "data/allocations/2017-18/victims.yaml: error: cannot read the file: Permission "
        "denied; check it exists and that you may read it [file-unreadable]"
    )


def test_an_unreadable_folder_outside_allocations_is_reported_too(shipped: Path) -> None:
    (shipped / "archive").mkdir(mode=0o000)
    result = _run("check", "--data", "data", cwd=shipped.parent)
    assert result.returncode == 1
    assert result.stdout.startswith("data/archive: error: cannot read this folder")


# --- 1. no internal error on any input ----------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_shown_escaped(shipped: Path) -> None:
    name = os.fsencode(shipped / "allocations") + b"/bad\xff\x1b[31mname.yaml"
    with open(name, "wb"):
        pass
    result = _run("check", "--data", "data", cwd=shipped.parent,
                  env={"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == (
        "data/allocations/bad\\xff\\x1b[31mname.yaml:1:1: error: file is empty (no YAML data, "
        "only blank lines or comments); add its data or delete it [empty-file]"
    )
    assert "\x1b" not in result.stdout


def test_funds_yaml_with_no_funds_reports_every_commitment(
    cli: CliRunner, shipped: Path
) -> None:
    text = (shipped / "funds.yaml").read_text(encoding="utf-8")
    (shipped / "funds.yaml").write_text(text[: text.index("\nfunds:")] + "\nfunds: {}\n",
                                        encoding="utf-8")
    result = invoke(cli, "check", "--data", str(shipped))
    assert result.exit_code == 1
    assert result.output.count("[unknown-fund]") == 12
    assert "unknown fund `victims-services`; funds.yaml defines none yet: add it there" \
        in result.output
    assert invoke(cli, "summary", "--data", str(shipped)).exit_code == 1


def test_a_check_that_raises_is_reported_and_the_others_still_run(
    cli: CliRunner, shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcc_ledger import checks

    def broken(ledger: object) -> list[object]:
        raise KeyError("boom")

    broken.__module__ = "pcc_ledger.checks.scheme"
    monkeypatch.setattr(checks, "LEDGER_CHECKS", [broken, *checks.LEDGER_CHECKS])
    write(shipped / "allocations" / "extra.yaml", "commitments: [{id: X}]\n")
    result = invoke(cli, "check", "--data", str(shipped))
    assert result.exit_code == 1
    assert (
        "pcc-ledger: error: the scheme.broken check failed (KeyError: 'boom'); its problems "
        "are not reported, the other checks ran. This is a bug: please report it with "
        "PCC_LEDGER_DEBUG=1 set, which prints the traceback [internal-check-error]"
    ) in result.output
    assert "[missing-key]" in result.output  # the other problems are still there
    assert "Traceback" not in result.output


@pytest.mark.parametrize("how", ["option", "environment"])
def test_debug_prints_the_traceback_of_a_failed_check(
    shipped: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    from pcc_ledger import checks

    def broken(ledger: object) -> list[object]:
        raise KeyError("boom")

    monkeypatch.setattr(checks, "LEDGER_CHECKS", [broken])
    for name in ("PCC_LEDGER_DATA", "NO_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    if how == "environment":
        monkeypatch.setenv("PCC_LEDGER_DEBUG", "1")
        args = ["check", "--data", str(shipped)]
    else:
        monkeypatch.delenv("PCC_LEDGER_DEBUG", raising=False)
        args = ["--debug", "check", "--data", str(shipped)]
    from pcc_ledger.cli import app

    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert "pcc-ledger: debug: internal-check-error:\nTraceback (most recent call last):" \
        in result.output
    assert 'raise KeyError("boom")' in result.output
