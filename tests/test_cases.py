"""One fixture folder per check under fixtures/cases/: a small data directory whose files mark
each line that must be reported with `# expect: rule-id`, and whose `expected.txt` is the exact
output of `pcc-ledger check` on it. The tests assert that exactly those (file, line, rule)
problems are found, and the messages word for word. Adding a case is adding a folder.

To write a new case's expected.txt, run `check` as the test does and read every line of it.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pcc_ledger.checking import check_directory
from pcc_ledger.ledger import Ledger
from pcc_ledger.loader import load
from pcc_ledger.rules import RULES

from .conftest import FIXTURES, invoke

CASES = sorted(path for path in (FIXTURES / "cases").iterdir() if path.is_dir())
# `# expect: rule` marks the line a problem is reported on; `# expect-file: rule` a problem
# about the whole file (line 0).
EXPECT = re.compile(r"#\s*expect(?P<file>-file)?:\s*(?P<rules>[a-z0-9, -]+)$")
# Rules whose failing cases live in test_yamlsource.py, test_cli.py and test_open_data.py,
# because what they report (a binary file, an alias bomb, an export) cannot carry a comment.
RULES_TESTED_ELSEWHERE = {
    "file-unreadable", "folder-unreadable", "internal-check-error", "link-outside-data",
    "file-too-large",
    "file-binary", "file-encoding", "empty-file", "yaml-syntax", "yaml-character", "yaml-tag",
    "yaml-merge-key", "yaml-complex-key", "yaml-nesting",
    "yaml-alias-limit", "open-data-invalid",
}


def _target(case: Path, path: Path) -> str:
    """Where a case's file goes in the data directory: funds.yaml at the top, anything under
    the case's root/ as it is, every other file under allocations/."""
    relative = path.relative_to(case)
    if relative.parts[0] == "root":
        return Path(*relative.parts[1:]).as_posix()
    return "funds.yaml" if path.name == "funds.yaml" else f"allocations/{path.name}"


def _case_files(case: Path) -> list[Path]:
    return sorted(p for p in case.rglob("*")
                  if p.is_file() and p.suffix in (".yaml", ".yml", ".txt", ".pb")
                  and p.name not in ("expected.txt", "as-of.txt"))


def _expected(case: Path) -> set[tuple[str, int, str]]:
    found = set()
    for path in _case_files(case):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = EXPECT.search(line)
            if match:
                for rule in match["rules"].split(","):
                    at = 0 if match["file"] else number
                    found.add((_target(case, path), at, rule.strip()))
    return found


def _as_of(case: Path) -> str:
    """The day a case is judged on: its `as-of.txt`, else within its year, so that year-end
    warnings appear only in the cases about them."""
    day = case / "as-of.txt"
    return day.read_text(encoding="utf-8").strip() if day.exists() else "2017-09-30"


def _data_dir(case: Path, tmp_path: Path) -> Path:
    """The case as a data directory: its own funds.yaml or the base one; other files under
    allocations/."""
    root = tmp_path / "data"
    (root / "allocations").mkdir(parents=True)
    for path in _case_files(case):
        target = root / _target(case, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    if not (root / "funds.yaml").exists():
        shutil.copy(FIXTURES / "base-funds.yaml", root / "funds.yaml")
    return root


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_reports_exactly_the_expected_problems(case: Path, tmp_path: Path) -> None:
    root = _data_dir(case, tmp_path)
    problems = check_directory(str(root), date.fromisoformat(_as_of(case))).problems
    reported = {
        (Path(p.location.file).relative_to(root).as_posix(), p.location.line, p.rule)
        for p in problems
    }
    expected = _expected(case)
    assert reported == expected
    assert len(problems) == len(expected), "one problem per expectation, none reported twice"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_output_word_for_word(
    case: Path, tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _data_dir(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = invoke(cli, "check", "--data", "data", "--as-of", _as_of(case))
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    assert result.stdout == expected
    assert result.exit_code == (1 if ": error: " in expected else 0)


def test_passing_cases_expect_nothing_and_failing_ones_something() -> None:
    # A failing fixture that expects nothing would pass without testing anything.
    for case in CASES:
        passing = case.name == "clean" or case.name.endswith("-ok")
        assert passing == (not _expected(case)), case.name
        assert (case / "expected.txt").exists(), case.name


def test_every_rule_has_a_failing_case() -> None:
    expected = {rule for case in CASES for _, _, rule in _expected(case)}
    assert expected | RULES_TESTED_ELSEWHERE == set(RULES)
    assert not expected & RULES_TESTED_ELSEWHERE


def _figures(ledger: Ledger) -> list[object]:
    """Every figure a report reads from a ledger's position, pot by pot, and the reserves."""
    pots = [pot for position in ledger.positions.values()
            for pot in (position.whole, *position.parts.values())]
    return ([(pot.fund_id, pot.year, pot.part, pot.committed, pot.planned, pot.paid,
              pot.forecast, pot.transfers_in, pot.transfers_out, len(pot.approved))
             for pot in pots]
            + [(r.reserve_id, r.opening, r.balance) for r in ledger.reserves.values()])


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_position_on_a_day_is_the_same_however_it_is_reached(
        case: Path, tmp_path: Path) -> None:
    """`Ledger.on(day)` reuses the position of everything recorded when nothing is dated after
    the day; it must be the position computed from the day itself, on every case."""
    ledger = load(str(_data_dir(case, tmp_path))).ledger
    if ledger is None:
        return  # funds.yaml itself is broken in this case: no positions at all
    shortcut_taken = 0
    for day in sorted({date(2017, 4, 1), date(2017, 9, 30), date(2018, 3, 31),
                       date(2019, 6, 1), date(2030, 1, 1), ledger.settled}
                      - {date.max}):
        on_day = ledger.on(day)
        recomputed = dataclasses.replace(ledger, as_of=day, _charges=None, _computed=None)
        assert _figures(on_day) == _figures(recomputed), day
        assert on_day.as_of == day
        shortcut_taken += on_day._computed is ledger._computed
    if ledger.settled <= date(2030, 1, 1):  # not a case with a decision dated far ahead
        assert shortcut_taken >= 2  # on the day everything had happened, and in 2030
