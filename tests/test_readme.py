"""The README stays true: its rule table, its sample output and its set-up commands."""

from __future__ import annotations

import json
import re

import pytest

from pcc_ledger.cli import app
from pcc_ledger.rules import RULES

from .conftest import REPO, new_runner

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_rule_table_lists_every_rule_as_the_catalogue_does() -> None:
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning|off) \| (fact|policy) \| (.+) \|$",
                      README, re.MULTILINE)
    assert rows == [
        (r.id, r.default, "fact" if r.factual else "policy", r.summary)
        for r in RULES.values()
    ]


def test_summary_sample_is_the_real_output() -> None:
    # The 80-column terminal's, which test_readable_reports.py checks against a real run.
    at_80 = (REPO / "tests" / "fixtures" / "summary-2017-18-80.txt").read_text("utf-8")
    assert f"$ pcc-ledger summary --year 2017/18\n{at_80}```" in README


def test_year_end_sample_is_the_real_output() -> None:
    at_80 = (REPO / "tests" / "fixtures" / "year-end-funds-80.txt").read_text("utf-8")
    assert f"$ pcc-ledger year-end 2017/18 --section funds\n{at_80}```" in README


def _golden(name: str) -> str:
    # The demo's real outputs, which test_check_formats.py checks byte for byte.
    return (REPO / "tests" / "fixtures" / "demo" / "expected" / name).read_text("utf-8")


def test_check_sample_is_the_real_output() -> None:
    command = "check --data tests/fixtures/demo --as-of 2018-04-01"
    assert f"$ pcc-ledger {command}\n{_golden('check.txt')}```" in README


def test_github_sample_is_the_real_output() -> None:
    assert f"--format github\n{_golden('check.github')}```" in README


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = ci.strip().splitlines()[-1]
    assert f"```sh\n{command}\n```" in README
    assert "```sh\npython -m pip install . && pcc-ledger check && pcc-ledger summary\n```" in README


def test_json_sample_has_the_shape_and_figures_of_the_real_output() -> None:
    start = README.index("```json\n") + len("```json\n")
    sample = json.loads(README[start : README.index("```", start)])
    real = json.loads(_golden("check.json"))
    assert list(sample) == list(real)
    assert {key: sample[key] for key in ("version", "files", "counts", "exit_status")} == {
        key: real[key] for key in ("version", "files", "counts", "exit_status")
    }
    assert sample["problems"] == real["problems"][:1]  # the sample is abridged to one problem


def test_report_samples_are_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("PCC_LEDGER_DATA", raising=False)
    monkeypatch.setenv("COLUMNS", "80")  # as an 80-column terminal shows them
    for command in ("years --fund community-safety-fund", "commitments --fund victims-services",
                    "payments --fund victims-services --from 2018-01-01", "transfers",
                    "profile --fund victims-services --year 2017/18 --by quarter",
                    "reviews --as-of 2018-10-31"):
        output = new_runner().invoke(app, [*command.split(), "--format", "table"]).stdout
        output = "".join(line.rstrip() + "\n" for line in output.splitlines())
        assert f"$ pcc-ledger {command}\n{output}```" in README, command


def test_every_relative_link_points_inside_the_repository() -> None:
    targets = re.findall(r"\]\((?!https?://|#)([^)\s]+)\)", README)
    assert targets, "the README links to its source documents"
    for target in targets:
        path = (REPO / target.split("#")[0]).resolve()
        assert REPO.resolve() in path.parents and path.exists(), target


def test_round_samples_are_the_real_output() -> None:
    for command, golden in (("rounds", "rounds.txt"), ("round YCYC-2018", "round-ycyc-2018.txt")):
        text = (REPO / "tests" / "fixtures" / golden).read_text("utf-8")
        assert f"$ pcc-ledger {command}\n{text}```" in README
