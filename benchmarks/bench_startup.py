#!/usr/bin/env python3
"""What start-up costs, and whose it is: pcc-ledger's own modules, or the framework under them.

    python benchmarks/bench_startup.py [--repeat 9]

Runs each of these `--repeat` times as a fresh process and prints a markdown table of its best
and median wall time and its median time spent importing (`-X importtime`, less what the
interpreter imports before any program: `site` and everything below it):

* `python -c pass`: the interpreter alone;
* the framework floor: a Typer program of a dozen lines, one command with a path option given
  that validates one Pydantic model, importing nothing else: the least any program on Typer and
  Pydantic pays before its own code (Typer 0.29 coerces every option through a Pydantic
  validator, so it imports Pydantic even for a command that does not);
* `pcc-ledger --version`;
* `pcc-ledger check --no-cache` on the shipped data (cold: every file read and validated).

Then it splits the imports of that `check` into the modules the framework floor imports too,
pcc-ledger's own modules and the rest (the standard library and PyYAML as pcc-ledger uses them),
with the costliest of its own, each at its best over the runs.

Standard library only. Run `python -m compileall -q src` first if PYTHONDONTWRITEBYTECODE is
set: otherwise every run compiles the package again.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHIPPED = HERE.parent / "data"
# What the `pcc-ledger` console script runs (not `python -m pcc_ledger`, which imports runpy).
CONSOLE_SCRIPT = ["-c", "from pcc_ledger.launch import main; main()"]

FRAMEWORK_FLOOR = '''\
from pathlib import Path

import typer
from pydantic import BaseModel

app = typer.Typer()


class Settings(BaseModel):
    data: Path


@app.command()
def check(data: Path = typer.Option(Path("data")), strict: bool = False) -> None:
    """What every pcc-ledger command has (a path and a flag), and one Pydantic model."""
    Settings.model_validate({"data": data})


@app.command()
def other() -> None:
    """A second command, so the first is a subcommand as pcc-ledger's are."""


app()
'''

# The interpreter imports these (and what they import) before any program starts.
_INTERPRETER_OWN = frozenset({"site", "encodings", "_frozen_importlib_external", "codecs",
                              "io", "abc", "zipimport", "posix", "time", "marshal", "winreg"})


@dataclass
class Import:
    name: str
    self_us: int
    depth: int


def imports(stderr: str) -> list[Import]:
    """The program's own imports in `-X importtime`'s output: every module, with its own time,
    but not the interpreter's (a top-level module of `_INTERPRETER_OWN`, or private, and all it
    imported)."""
    own: list[Import] = []
    pending: list[Import] = []  # the output lists a module's imports before the module itself
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line.split(":", 1)[1].split("|")
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        pending.append(Import(name.strip(), int(self_us), depth))
        if depth == 0:
            package = pending[-1].name.split(".")[0]  # `encodings.utf_8` is listed on its own
            if package not in _INTERPRETER_OWN and not package.startswith("_"):
                own.extend(pending)
            pending = []
    return own


@dataclass
class Run:
    seconds: float
    imports: list[Import]

    @property
    def import_seconds(self) -> float:
        return sum(module.self_us for module in self.imports) / 1e6


def run(command: Sequence[str]) -> Run:
    """The command once as it is, for its wall time, and once with `-X importtime` (which
    slows it down), for its imports."""
    started = time.perf_counter()
    plain = subprocess.run([sys.executable, *command], capture_output=True, check=False)
    seconds = time.perf_counter() - started
    timed = subprocess.run([sys.executable, "-X", "importtime", *command],
                           capture_output=True, text=True, check=False)
    for result in (plain, timed):
        if result.returncode != 0:
            stderr = (result.stderr if isinstance(result.stderr, str)
                      else result.stderr.decode("utf-8", "replace"))
            raise SystemExit(f"`{' '.join(command)}` failed (exit {result.returncode}):\n"
                             f"{stderr[-2000:]}")
    return Run(seconds, imports(timed.stderr))


def best_self_times(runs: Sequence[Run]) -> dict[str, int]:
    """Each module's own import time at its best over the runs (the least disturbed)."""
    best: dict[str, int] = {}
    for one in runs:
        for module in one.imports:
            best[module.name] = min(module.self_us, best.get(module.name, module.self_us))
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=9, help="runs of each (default: 9)")
    parser.add_argument("--top", type=int, default=8,
                        help="how many of pcc-ledger's own modules to list (default: 8)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        floor_program = Path(folder) / "framework_floor.py"
        floor_program.write_text(FRAMEWORK_FLOOR, encoding="utf-8")
        commands = {
            "`python -c pass`": ["-c", "pass"],
            "framework floor (Typer, Pydantic, one command)":
                [str(floor_program), "check", "--data", str(SHIPPED)],
            "`pcc-ledger --version`": [*CONSOLE_SCRIPT, "--version"],
            "`pcc-ledger check --no-cache` (shipped data)":
                [*CONSOLE_SCRIPT, "check", "--no-cache", "--data", str(SHIPPED)],
        }
        runs: dict[str, list[Run]] = {label: [] for label in commands}
        for _ in range(args.repeat):  # interleaved, so a busy moment touches every row alike
            for label, command in commands.items():
                runs[label].append(run(command))

    print(f"Python {sys.version.split()[0]}, best and median of {args.repeat} runs\n")
    print("| command | best wall (s) | median wall (s) | median imports (s) |")
    print("|---|---:|---:|---:|")
    for label, done in runs.items():
        walls = [one.seconds for one in done]
        print(f"| {label} | {min(walls):.3f} | {statistics.median(walls):.3f} | "
              f"{statistics.median(one.import_seconds for one in done):.3f} |")

    floor_modules = set(best_self_times(runs["framework floor (Typer, Pydantic, one command)"]))
    check = best_self_times(runs["`pcc-ledger check --no-cache` (shipped data)"])
    shares: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for name, self_us in check.items():
        if name in floor_modules:
            shares["the framework floor's modules"] += self_us
        elif name == "pcc_ledger" or name.startswith("pcc_ledger."):
            shares["pcc-ledger's own modules"] += self_us
            own[name] += self_us
        else:
            shares["the rest (standard library, PyYAML)"] += self_us
    print(f"\nThe imports of `check` on the shipped data, each module at its best "
          f"({sum(check.values()) / 1e6:.3f} s in all):\n")
    for share, self_us in shares.most_common():
        print(f"- {share}: {self_us / 1e6:.3f} s")
    print("\nThe costliest of pcc-ledger's own: " + ", ".join(
        f"`{name}` {self_us / 1e3:.1f} ms" for name, self_us in own.most_common(args.top)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
