"""The README stays true: its rule table, its sample output and its set-up commands."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from pcc_ledger.cli import app
from pcc_ledger.rules import RULES

from .conftest import REPO
from .test_cli import SUMMARY_2017_18

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_rule_table_lists_every_rule_as_the_catalogue_does() -> None:
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \| (fact|policy) \| (.+) \|$",
                      README, re.MULTILINE)
    assert rows == [
        (r.id, r.severity.value, "fact" if r.factual else "policy", r.summary)
        for r in RULES.values()
    ]


def test_summary_sample_is_the_real_output() -> None:
    assert SUMMARY_2017_18 in README


def test_check_sample_is_the_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    command = ["check", "--data", "tests/fixtures/demo", "--as-of", "2018-04-01"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 1
    assert f"$ pcc-ledger {' '.join(command)}\n{result.stdout}```" in README


def test_github_sample_is_the_real_output() -> None:
    github = (REPO / "tests" / "fixtures" / "demo" / "expected" / "check.github").read_text("utf-8")
    assert f"--format github\n{github}```" in README


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = ci.strip().splitlines()[-1]
    assert f"```sh\n{command}\n```" in README
    assert "```sh\npython -m pip install . && pcc-ledger check && pcc-ledger summary\n```" in README


def test_json_sample_has_the_shape_and_figures_of_the_real_output(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    start = README.index("```json\n") + len("```json\n")
    sample = json.loads(README[start : README.index("```", start)])
    real = json.loads(
        CliRunner().invoke(app, ["check", "--data", "tests/fixtures/demo", "--as-of",
                                 "2018-04-01", "--format", "json"]).stdout
    )
    assert list(sample) == list(real)
    assert {key: sample[key] for key in ("version", "files", "counts", "exit_status")} == {
        key: real[key] for key in ("version", "files", "counts", "exit_status")
    }
    assert sample["problems"] == real["problems"][:1]  # the sample is abridged to one problem
