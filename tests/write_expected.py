"""Write the expected.txt of fixture cases from what `check` prints now.

    python -m tests.write_expected CASE [CASE ...]

Then read every line of the result before committing it: the file is the test.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from pcc_ledger.cli import app

from .conftest import FIXTURES
from .test_cases import _as_of, _data_dir


def main(names: list[str]) -> None:
    for name in names:
        case = FIXTURES / "cases" / name
        with tempfile.TemporaryDirectory() as scratch:
            _data_dir(case, Path(scratch))
            here = os.getcwd()
            os.chdir(scratch)
            try:
                result = CliRunner().invoke(app, ["check", "--data", "data", "--as-of", _as_of(case)])
            finally:
                os.chdir(here)
        (case / "expected.txt").write_text(result.stdout, encoding="utf-8")
        print(f"== {name} (exit {result.exit_code})\n{result.stdout}")


if __name__ == "__main__":
    main(sys.argv[1:])
