"""benchmarks/bench_startup.py counts a program's imports and not the interpreter's: its reading
of `-X importtime` is what the start-up figures in the README rest on."""

from __future__ import annotations

import subprocess
import sys
from types import ModuleType

import pytest

from .conftest import load_benchmark

# As `-X importtime` writes it: a module's imports before the module, two spaces a level.
IMPORTTIME = """\
import time: self [us] | cumulative | imported package
import time:       100 |        100 |   _codecs
import time:       300 |        400 | codecs
import time:        50 |         50 |     certifi.core
import time:        20 |         70 |   certifi
import time:      1000 |       1070 | site
import time:       300 |        300 | encodings.utf_8
import time:       200 |        200 |     pydantic_core
import time:      3000 |       3200 |   pydantic
import time:        40 |       3240 | typer
import time:         7 |          7 | _signal
import time:       500 |        500 | pcc_ledger.model
"""


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_benchmark("bench_startup")


def test_the_interpreters_own_imports_and_all_below_them_are_left_out(bench: ModuleType) -> None:
    found = bench.imports(IMPORTTIME)
    assert [(one.name, one.self_us, one.depth) for one in found] == [
        ("pydantic_core", 200, 2), ("pydantic", 3000, 1), ("typer", 40, 0),
        ("pcc_ledger.model", 500, 0)]
    assert bench.Run(0.5, found).import_seconds == 0.00374


def test_each_module_is_taken_at_its_best_over_the_runs(bench: ModuleType) -> None:
    slower = IMPORTTIME.replace("3000 |       3200 |   pydantic", "3500 |       3700 |   pydantic")
    faster_model = IMPORTTIME.replace("500 |        500 | pcc_ledger.model",
                                      "450 |        450 | pcc_ledger.model")
    runs = [bench.Run(0.5, bench.imports(slower)), bench.Run(0.5, bench.imports(faster_model))]
    assert bench.best_self_times(runs) == {
        "pydantic_core": 200, "pydantic": 3000, "typer": 40, "pcc_ledger.model": 450}


def test_the_output_of_importtime_is_read_as_this_python_writes_it(bench: ModuleType) -> None:
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", "import json"],
                            capture_output=True, text=True, check=True)
    names = [one.name for one in bench.imports(result.stderr)]
    assert names[-1] == "json" and "json.decoder" in names
    assert not {"site", "encodings", "codecs"} & set(names)
