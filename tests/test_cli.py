"""The command line, end to end: exact output and exit codes."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pcc_ledger import __version__
from pcc_ledger import cli as cli_module
from pcc_ledger.rules import RULES

from .conftest import FIXTURES, REPO, invoke, write

COMMANDS = ["check", "summary", "rules"]
IN_YEAR = "2017-09-30"  # the fixtures' funds are for 2017/18: no year-end warnings yet


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, so the default ./data is the shipped data."""
    monkeypatch.chdir(REPO)


# The shipped data's one finding: the illustrative three-year victims' grant is charged to two
# years the framework states no allocation for yet. A warning: `check` passes.
SHIPPED_CHECK = (
    "data/allocations/2017-18/transfers.yaml:66:29: warning: VS-2017-006 charges £40,000.00 to "
    "2018/19, for which fund victims-services has no allocation yet: it is subject to future "
    "funding, and counts in no total until the allocation is added to funds.yaml "
    "[future-funding]\n"
    " 66 |     years: {2017/18: 40000, 2018/19: 40000, 2019/20: 40000}\n"
    "    |                             ^\n"
    "data/allocations/2017-18/transfers.yaml:66:45: warning: VS-2017-006 charges £40,000.00 to "
    "2019/20, for which fund victims-services has no allocation yet: it is subject to future "
    "funding, and counts in no total until the allocation is added to funds.yaml "
    "[future-funding]\n"
    " 66 |     years: {2017/18: 40000, 2018/19: 40000, 2019/20: 40000}\n"
    "    |                                             ^\n"
    "2 warnings in 7 files\n"
)


def test_check_on_shipped_data(cli: CliRunner, in_repo: None) -> None:
    result = invoke(cli, "check")
    assert (result.exit_code, result.output) == (0, SHIPPED_CHECK)


def test_check_reports_every_problem_sorted_with_a_count(cli: CliRunner, data_dir: Path) -> None:
    write(
        data_dir / "allocations" / "b.yaml",
        """
        commitments:
          - id: B-1
            fund: grants
            year: 2017/18
            recipient: {name: A, type: charity}
            title: Too much for the unfenced part
            objective: reduce-harm
            amount: 800
            status: approved
            approved: 2017-05-01
        """,
    )
    write(data_dir / "allocations" / "a.yaml", "commitments:\n  - id: A-1\n    ammount: 5\n")
    result = invoke(cli, "check", "--data", str(data_dir), "--as-of", IN_YEAR)
    d = str(data_dir)
    assert result.exit_code == 1
    assert result.output == (
        f"{d}/allocations/a.yaml:2:5: error: missing key `amount`; add it [missing-key]\n"
        f"{d}/allocations/a.yaml:2:5: error: missing key `fund`; add it [missing-key]\n"
        f"{d}/allocations/a.yaml:2:5: error: missing key `objective`; add it [missing-key]\n"
        f"{d}/allocations/a.yaml:2:5: error: missing key `recipient`; add it [missing-key]\n"
        f"{d}/allocations/a.yaml:2:5: error: missing key `status`; add it [missing-key]\n"
        f"{d}/allocations/a.yaml:2:5: error: missing key `title`; add it [missing-key]\n"
        f"{d}/allocations/a.yaml:2:5: error: missing key `year`; add it (or `years`, each year "
        "with its amount, for a commitment over several years) [missing-key]\n"
        " 2 |   - id: A-1\n"
        "   |     ^\n"
        f"{d}/allocations/a.yaml:3:5: error: unknown key `ammount`; did you mean `amount`? "
        "[unknown-key]\n"
        " 3 |     ammount: 5\n"
        "   |     ^\n"
        f"{d}/allocations/b.yaml:8:13: error: the unfenced part of fund grants 2017/18 is "
        "over-committed: approved commitments outside its ring-fences total £800.00 against its "
        "unfenced part of £700.00, £100.00 over; commitment B-1 (approved 2017-05-01) took it "
        "over the limit: reduce or cancel a commitment, or correct the limit in funds.yaml "
        "[over-committed-unfenced]\n"
        " 8 |     amount: 800\n"
        "   |             ^\n"
        "9 errors in 3 files\n"
    )


def test_data_directory_from_the_environment(
    cli: CliRunner, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PCC_LEDGER_DATA", str(data_dir))
    result = invoke(cli, "check", "--as-of", IN_YEAR)
    assert (result.exit_code, result.output) == (0, "no problems in 1 file\n")
    # --data wins over the environment.
    result = invoke(cli, "check", "--data", str(data_dir / "missing"))
    assert result.exit_code == 2


def test_no_data_directory_is_a_usage_error(cli: CliRunner, tmp_path: Path) -> None:
    result = invoke(cli, "check", "--data", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"pcc-ledger: error: no data directory at {tmp_path / 'nowhere'}; pass --data DIR or "
        "set PCC_LEDGER_DATA\n"
    )


def test_no_funds_file_is_a_usage_error(cli: CliRunner, tmp_path: Path) -> None:
    result = invoke(cli, "summary", "--data", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"pcc-ledger: error: no funds.yaml in {tmp_path}; every data directory starts with one\n"
    )


def test_unknown_option_is_a_usage_error(cli: CliRunner) -> None:
    assert invoke(cli, "check", "--nonsense").exit_code == 2


def test_strict_fails_on_warnings_and_passes_clean_data(
    cli: CliRunner, in_repo: None, tmp_path: Path
) -> None:
    assert invoke(cli, "check", "--strict").exit_code == 1  # the future-funding warnings
    shutil.copytree(REPO / "data", tmp_path / "data")
    (tmp_path / "data" / "allocations" / "2017-18" / "transfers.yaml").unlink()
    shutil.rmtree(tmp_path / "data" / "allocations" / "2018-19")  # its budget needs a transfer
    clean = invoke(cli, "check", "--strict", "--data", str(tmp_path / "data"))
    assert (clean.exit_code, clean.output) == (0, "no problems in 4 files\n")


# The plain summary of the shipped data, as a user sees it piped (also the README sample).
SUMMARY_2017_18 = (FIXTURES / "summary-2017-18.txt").read_text(encoding="utf-8")


def test_summary_of_2017_18_piped_is_plain_text(cli: CliRunner, in_repo: None) -> None:
    result = invoke(cli, "summary", "--year", "2017/18")
    assert result.exit_code == 0
    assert result.stdout == SUMMARY_2017_18


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_rich_tables_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert cli_module._wants_rich() is False  # piped
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert cli_module._wants_rich() is True
    monkeypatch.setenv("NO_COLOR", "")  # no-color.org: only a non-empty value counts
    assert cli_module._wants_rich() is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli_module._wants_rich() is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert cli_module._wants_rich() is False


def test_summary_for_one_fund(cli: CliRunner, in_repo: None) -> None:
    result = invoke(cli, "summary", "--fund", "victims-services", "--format", "plain")
    totals = [line for line in result.stdout.splitlines() if line.startswith("Total")]
    # The virement moved £10,000 within the fund's allocation: in and out of it both.
    assert totals[0].split() == [
        "Total", "2017/18", "£814,076.00", "£10,000.00", "£10,000.00", "£814,076.00", "£626,442.00",
        "£60,000.00", "£353,221.00", "£273,221.00", "£187,634.00", "£626,442.00", "£187,634.00",
        "77.0%",
    ]
    assert "victims.yaml." in result.stdout and "community-safety.yaml" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2017/19"], "pcc-ledger: error: --year: `2017/19` is not a financial year: "
         "the year after 2017 ends in 18; did you mean 2017/18?\n"),
        (["--year", "2030/31"], "pcc-ledger: error: --year: no fund has an allocation for "
         "2030/31; years in the data: 2012/13, 2013/14, 2016/17, 2017/18, 2018/19, 2019/20, "
         "2020/21\n"),
        (["--fund", "victims"], "pcc-ledger: error: --fund: no fund `victims`; funds: "
         "community-safety-fund, your-community-your-choice, pact-npt-small-grants, "
         "pact-community-grants, victims-services\n"),
    ],
)
def test_summary_usage_errors(cli: CliRunner, in_repo: None, args: list[str], message: str) -> None:
    result = invoke(cli, "summary", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_summary_still_shows_an_over_commitment(cli: CliRunner, data_dir: Path) -> None:
    write(
        data_dir / "allocations" / "a.yaml",
        """
        commitments:
          - {id: A, fund: grants, year: 2017/18, recipient: {name: A, type: charity}, title: T,
             objective: reduce-harm, amount: 1200, status: approved, approved: 2017-05-01}
        """,
    )
    result = invoke(cli, "summary", "--data", str(data_dir), "--fund", "grants")
    assert result.exit_code == 0
    rows = result.stdout.splitlines()[4:7]
    assert [row.split() for row in rows] == [
        ["grants", "2017/18", "£1,000.00", "£1,200.00", "£0.00", "£0.00", "£1,200.00",
         "-£200.00", "£1,200.00", "-£200.00", "120.0%"],
        ["grants", "2017/18", "ring-fence", "fenced", "£300.00", "£0.00", "£0.00", "£0.00",
         "£0.00", "£300.00", "£0.00", "£300.00", "0.0%"],
        ["grants", "2017/18", "unfenced", "£700.00", "£1,200.00", "£0.00", "£0.00", "£1,200.00",
         "-£500.00", "£1,200.00", "-£500.00", "171.4%"],
    ]
    # ...and A, approved in 2017, is overdue for review (today).
    assert result.stderr == ("pcc-ledger: 2 errors, 1 warning in 2 files; `pcc-ledger check` "
                             "lists them\n")


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_version_everywhere(cli: CliRunner, command: list[str]) -> None:
    result = invoke(cli, *command, "--version")
    assert (result.exit_code, result.output) == (0, f"pcc-ledger {__version__}\n")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_on_every_command(cli: CliRunner, command: str) -> None:
    result = invoke(cli, command, "--help")
    assert result.exit_code == 0
    assert f"Usage: pcc-ledger {command} [OPTIONS]" in result.output
    assert ("--data" in result.output) == (command != "rules")


def test_python_dash_m_runs_the_same_program() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pcc_ledger", "check", "--data", "data"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert (result.returncode, result.stdout) == (0, SHIPPED_CHECK)


def test_yaml_errors_on_the_command_line(cli: CliRunner, data_dir: Path) -> None:
    (data_dir / "allocations").mkdir()
    (data_dir / "allocations" / "bad.yaml").write_text("commitments:\n  - id: [A\n", "utf-8")
    (data_dir / "allocations" / "empty.yml").write_text("", "utf-8")
    (data_dir / "allocations" / "blob.YAML").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = invoke(cli, "check", "--data", str(data_dir), "--as-of", IN_YEAR)
    d = f"{data_dir}/allocations"
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{d}/bad.yaml:3:1: error: YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence); check the indentation, colons and quotes on this "
        "line and the one above [yaml-syntax]"
    )
    assert lines[1:] == [
        f"{d}/blob.YAML:3:1: error: binary file (it contains a NUL byte); pcc-ledger reads YAML "
        "text only: move the file out of the data directory [file-binary]",
        f"{d}/empty.yml:1:1: error: file is empty (no YAML data, only blank lines or comments); "
        "add its data or delete it [empty-file]",
        "3 errors in 4 files",
    ]


def test_a_broken_link_is_reported_not_skipped(cli: CliRunner, data_dir: Path) -> None:
    (data_dir / "allocations").mkdir()
    (data_dir / "allocations" / "gone.yaml").symlink_to(data_dir / "nowhere.yaml")
    result = invoke(cli, "check", "--data", str(data_dir), "--as-of", IN_YEAR)
    assert result.exit_code == 1
    assert result.stdout == (
        f"{data_dir}/allocations/gone.yaml: error: cannot read the file: No such file or "
        "directory; check it exists and that you may read it [file-unreadable]\n"
        "1 error in 2 files\n"
    )


def test_stray_yaml_files_are_warnings_that_fail_under_strict(
    cli: CliRunner, data_dir: Path
) -> None:
    write(data_dir / "commitments.yaml", "commitments: []\n")
    write(data_dir / "allocation" / "typo.yaml", "commitments: []\n")
    result = invoke(cli, "check", "--data", str(data_dir), "--as-of", IN_YEAR)
    message = (
        "warning: this file is not read: pcc-ledger reads funds.yaml and the files below "
        "allocations/; move it there, or out of the data directory [stray-file]"
    )
    assert result.stdout == (
        f"{data_dir}/allocation/typo.yaml: {message}\n"
        f"{data_dir}/commitments.yaml: {message}\n"
        "2 warnings in 1 file\n"
    )
    assert result.exit_code == 0
    strict = invoke(cli, "check", "--data", str(data_dir), "--strict", "--as-of", IN_YEAR)
    assert strict.exit_code == 1


def test_an_empty_data_option_is_not_the_default(cli: CliRunner, in_repo: None) -> None:
    result = invoke(cli, "check", "--data", "")
    assert (result.exit_code, result.stderr) == (
        2, "pcc-ledger: error: no data directory at ; pass --data DIR or set PCC_LEDGER_DATA\n"
    )


def test_a_bug_is_reported_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    import pcc_ledger.checking

    monkeypatch.setattr(pcc_ledger.checking, "check_directory", broken)
    monkeypatch.setattr(sys, "argv", ["pcc-ledger", "check"])
    with pytest.raises(SystemExit) as stopped:
        cli_module.main()
    assert stopped.value.code == 70
    captured = capsys.readouterr()
    assert captured.err == (
        "pcc-ledger: internal error (RuntimeError: boom); this is a bug, please report it with "
        "the command you ran\n"
    )
    assert "Traceback" not in captured.out + captured.err


def test_rules_lists_the_catalogue_in_order(cli: CliRunner) -> None:
    result = invoke(cli, "rules", "--format", "plain")
    assert result.exit_code == 0
    listed = [line.split()[:3] for line in result.stdout.splitlines()[4:4 + len(RULES)]]
    assert listed == [
        [rule.id, rule.default, "fact" if rule.factual else "policy"]
        for rule in RULES.values()
    ]


def test_a_control_character_in_text_is_a_problem(cli: CliRunner, data_dir: Path) -> None:
    write(data_dir / "allocations" / "a.yaml", """
        commitments:
          - {id: C-1, fund: grants, year: 2017/18, recipient: {name: "A\\u0001B", type: charity},
             title: T, objective: reduce-harm, amount: 1, status: proposed}
        """)
    result = invoke(cli, "check", "--data", str(data_dir), "--as-of", IN_YEAR)
    assert result.exit_code == 1
    assert "`name`: remove the control character from the text [invalid-value]" in result.stdout

