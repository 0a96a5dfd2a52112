"""Start-up: a command imports what it needs when it needs it (measured by
benchmarks/bench_check.py; here, what each command loads, which cannot drift unnoticed)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO

PROBE = """
import sys
from pcc_ledger.cli import main
sys.argv = ["pcc-ledger", *{argv!r}]
try:
    main()
except SystemExit:
    pass
print("\\nLOADED", " ".join(sorted(sys.modules)), file=sys.stderr)
"""


def _loaded(*argv: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", PROBE.format(argv=list(argv))],
                            capture_output=True, text=True, cwd=REPO, check=True)
    return set(result.stderr.rsplit("LOADED ", 1)[1].split())


def test_version_loads_no_model_no_report_and_no_export() -> None:
    loaded = _loaded("--version")
    assert not {"pcc_ledger.model", "pcc_ledger.ledger", "pcc_ledger.reports.summary",
                "pcc_ledger.export.journal", "tabulate", "yaml", "rich.console",
                "importlib.metadata"} & loaded


def test_check_loads_no_report_renderer_and_no_export() -> None:
    loaded = _loaded("check", "--data", "data")
    assert "pcc_ledger.model" in loaded  # it does check the data
    assert not {"pcc_ledger.reports.summary", "pcc_ledger.export.threesixty",
                "pcc_ledger.export.xlsx", "tabulate", "rich.table"} & loaded
