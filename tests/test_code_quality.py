"""The tools that keep the code honest run with the suite, so the README's test command (and
CI) covers them: `mypy --strict` over the package and `ruff` (line length included) over the
package, the tests and the benchmarks. Both come with the test extras."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=REPO, capture_output=True,
                          text=True, check=False)


def test_mypy_strict_finds_nothing_in_the_package() -> None:
    result = _run("mypy", "--strict", "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found")


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "--no-cache", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_enforces_the_line_length() -> None:
    # The configuration is what makes the check above mean something.
    result = _run("ruff", "check", "--no-cache", "--show-settings", "src/pcc_ledger/cli.py")
    assert "line_length = 100" in result.stdout
    assert "E501" in result.stdout or "line-too-long" in result.stdout
