"""Write the expected output of fixture cases from what `check` prints now.

    python -m tests.write_expected CASE [CASE ...]    # tests/fixtures/cases/CASE/expected.txt
    python -m tests.write_expected demo                # tests/fixtures/demo/expected/*

Then read every line of the result before committing it: the file is the test.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from pcc_ledger import cli
from pcc_ledger.cli import app

from .conftest import FIXTURES, REPO
from .test_cases import _as_of, _data_dir

DEMO = ["check", "--data", "tests/fixtures/demo", "--as-of", "2018-04-01"]
DEMO_OUTPUTS = {"check.txt": [], "check.github": ["--format", "github"],
                "check.json": ["--format", "json"]}


def write_demo() -> None:
    expected = FIXTURES / "demo" / "expected"
    for name, options in DEMO_OUTPUTS.items():
        result = CliRunner().invoke(app, [*DEMO, *options])
        (expected / name).write_text(result.stdout, encoding="utf-8")
    real = cli._wants_rich
    cli._wants_rich = lambda: True  # as on a terminal
    try:
        result = CliRunner().invoke(app, DEMO)
    finally:
        cli._wants_rich = real
    (expected / "check-colour.txt").write_text(result.stdout, encoding="utf-8")
    _refresh_readme(expected)
    print((expected / "check.txt").read_text(encoding="utf-8"))


def _refresh_readme(expected: Path) -> None:
    """The README shows the text and github outputs of the demo after their commands."""
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    for command, name in ((" ".join(DEMO), "check.txt"),
                          (" ".join([*DEMO, *DEMO_OUTPUTS["check.github"]]), "check.github")):
        start = text.index(f"$ pcc-ledger {command}\n") + len(f"$ pcc-ledger {command}\n")
        end = text.index("```", start)
        text = text[:start] + (expected / name).read_text(encoding="utf-8") + text[end:]
    readme.write_text(text, encoding="utf-8")


def main(names: list[str]) -> None:
    for name in names:
        if name == "demo":
            write_demo()
            continue
        case = FIXTURES / "cases" / name
        with tempfile.TemporaryDirectory() as scratch:
            _data_dir(case, Path(scratch))
            here = os.getcwd()
            os.chdir(scratch)
            try:
                result = CliRunner().invoke(
                    app, ["check", "--data", "data", "--as-of", _as_of(case)])
            finally:
                os.chdir(here)
        (case / "expected.txt").write_text(result.stdout, encoding="utf-8")
        print(f"== {name} (exit {result.exit_code})\n{result.stdout}")


if __name__ == "__main__":
    main(sys.argv[1:])
