"""The pieces a data repository uses in CI: the pre-commit hook and the workflow in the README."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import FIXTURES, REPO


def _hook() -> dict[str, object]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert isinstance(hook, dict)
    return hook


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PCC_LEDGER_DATA")}


def _entry() -> list[str]:
    words = shlex.split(str(_hook()["entry"]))
    # The entry names the console script pip installs beside this Python.
    script = Path(sys.executable).parent / words[0]
    found = str(script) if script.exists() else shutil.which(words[0])
    if found is None:
        pytest.fail(f"{words[0]} is not installed beside {sys.executable}")
    return [found, *words[1:]]


def test_hook_runs_once_on_the_whole_directory() -> None:
    hook = _hook()
    assert (hook["id"], hook["language"], hook["pass_filenames"]) == (
        "pcc-ledger-check", "python", False
    )
    assert hook["entry"] == "pcc-ledger check"


def test_hook_entry_passes_a_clean_data_directory(tmp_path: Path) -> None:
    shutil.copytree(REPO / "data", tmp_path / "data")
    result = subprocess.run(_entry(), cwd=tmp_path, capture_output=True, text=True, check=False,
                            env=_environment())
    # The shipped data's future-funding warnings do not fail a commit.
    assert result.returncode == 0
    assert result.stdout.endswith("\n2 warnings in 7 files\n")


def test_hook_entry_fails_a_commit_with_a_problem(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "cases" / "over-committed-unfenced", root / "allocations")
    (root / "allocations" / "expected.txt").unlink()
    shutil.copy(FIXTURES / "base-funds.yaml", root / "funds.yaml")
    result = subprocess.run(
        [*_entry(), "--data", "data", "--as-of", "2017-09-30"],
        cwd=tmp_path, capture_output=True, text=True, check=False, env=_environment(),
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith(
        "data/allocations/a.yaml:9:13: error: the unfenced part of fund grants 2017/18 is "
        "over-committed"
    )


def test_readme_workflow_runs_the_check_with_annotations() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```yaml\nname: pcc-ledger")
    workflow = yaml.safe_load(readme[start + len("```yaml\n") : readme.index("```", start + 7)])
    steps = workflow["jobs"]["check"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    assert runs[-1] == "pcc-ledger check --data data"
    # Inside GitHub Actions `check` writes annotations by itself (GITHUB_ACTIONS=true).
