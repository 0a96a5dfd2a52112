"""One fixture folder per check under fixtures/cases/: a small data directory whose files mark
each line that must be reported with `# expect: rule-id`, and whose `expected.txt` is the exact
output of `pcc-ledger check` on it. The tests assert that exactly those (file, line, rule)
problems are found, and the messages word for word. Adding a case is adding a folder.

To write a new case's expected.txt, run `check` as the test does and read every line of it.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pcc_ledger.checking import check_directory

from .conftest import FIXTURES, invoke

CASES = sorted(path for path in (FIXTURES / "cases").iterdir() if path.is_dir())
EXPECT = re.compile(r"#\s*expect:\s*(?P<rules>[a-z0-9, -]+)$")


def _expected(root: Path) -> set[tuple[str, int, str]]:
    found = set()
    for path in sorted(root.rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = EXPECT.search(line)
            if match:
                for rule in match["rules"].split(","):
                    found.add((path.relative_to(root).as_posix(), number, rule.strip()))
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
    for path in case.glob("*.yaml"):
        target = root / "funds.yaml" if path.name == "funds.yaml" else root / "allocations" / path.name
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
    expected = {
        (("funds.yaml" if file == "funds.yaml" else f"allocations/{file}"), line, rule)
        for file, line, rule in _expected(case)
    }
    assert reported == expected
    assert len(problems) == len(expected), "one problem per expectation, none reported twice"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_output_word_for_word(
    case: Path, tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _data_dir(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = invoke(cli, "check", "--data", "data", "--as-of", _as_of(case))
    assert result.stdout == (case / "expected.txt").read_text(encoding="utf-8")
    assert result.exit_code == (0 if case.name == "clean" else 1)


def test_every_case_but_clean_expects_something() -> None:
    # A failing fixture that expects nothing would pass without testing anything.
    for case in CASES:
        assert (case.name == "clean") == (not _expected(case)), case.name
