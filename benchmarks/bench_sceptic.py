#!/usr/bin/env python3
"""`pcc-ledger check` beside the plain-text accounting tools, on the same grants.

    python benchmarks/bench_sceptic.py [--sizes 10000,100000] [--repeat 3]

For each size, generate.py writes a pcc-ledger data directory, and pcc-ledger's own exports
write the same grants as an hledger journal and a beancount file (every allocation, commitment
and payment; the journal's periodic budget transactions are left out of ledger-cli's copy, as
ledger reads their descriptions as part of the period). Then, each `--repeat` times, as fresh
processes:

- `pcc-ledger check --no-cache` (cold: every file read) and `pcc-ledger check` with the per-file
  cache filled (warm: nothing changed since the last run);
- `hledger -f JOURNAL check` and `ledger -f JOURNAL bal`, where Debian's `hledger` and `ledger`
  are installed, and `bean-check FILE` where PyPI's `beancount` is.

It prints the median wall time and the largest peak RSS of each, and each pcc-ledger time as a
fraction of hledger's and ledger's. A tool that is missing is said to be, not skipped in
silence. Unix only (os.wait4 gives each process's own peak memory).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_check import (  # benchmarks/ is on sys.path
    Run,
    environment,
    generate_apart,
    parse_arguments,
    run_or_stop,
)

HERE = Path(__file__).resolve().parent


def run(command: Sequence[str], env: dict[str, str] | None = None) -> Run:
    return run_or_stop(command, env)


def pcc(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "pcc_ledger", *arguments]


def without_periodic(journal: Path, target: Path) -> None:
    """The journal without its `~` periodic transactions, which ledger-cli cannot read. Line
    by line: this process must stay small (see bench_check.generate_apart)."""
    skipping = False
    with journal.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for line in lines:
            if line.startswith("~"):
                skipping = True
                continue
            if skipping and line.startswith((" ", "\t")):
                continue
            skipping = False
            out.write(line)


@dataclass
class Row:
    tool: str
    times: list[Run]

    @property
    def median(self) -> float:
        return statistics.median(t.seconds for t in self.times)

    @property
    def peak(self) -> float:
        return max(t.peak_mib for t in self.times)


def measure(size: int, files: int, repeat: int, seed: int,
            out: Path) -> tuple[list[Row], list[str]]:
    data = out / f"sceptic-{size}-{files}-s{seed}"
    print(f"generating {size:,} commitments in {data} ...", file=sys.stderr)
    generate_apart(data, size, files, seed, force=True)
    missing = []
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        journal, beancount, ledger_copy = work / "grants.journal", work / "grants.beancount", \
            work / "grants.ledger"
        run(pcc("--no-cache", "export", "hledger", str(journal), "--data", str(data)))
        run(pcc("--no-cache", "export", "beancount", str(beancount), "--data", str(data)))
        without_periodic(journal, ledger_copy)
        cache = {"PCC_LEDGER_CACHE_DIR": str(work / "cache")}
        run(pcc("check", "--data", str(data)), cache)  # fills the cache
        commands: list[tuple[str, list[str], dict[str, str] | None]] = [
            ("pcc-ledger check (cold, --no-cache)", pcc("check", "--no-cache", "--data",
                                                         str(data)), None),
            ("pcc-ledger check (warm)", pcc("check", "--data", str(data)), cache),
        ]
        for tool, command in (("hledger", ["hledger", "-f", str(journal), "check"]),
                              ("ledger", ["ledger", "-f", str(ledger_copy), "bal"]),
                              ("bean-check", ["bean-check", str(beancount)])):
            if shutil.which(tool):
                commands.append((" ".join(command[:1] + command[3:]
                                          if tool != "bean-check" else command[:1]),
                                 command, None))
            else:
                missing.append(tool)
        for label, command, env in commands:
            times: list[Run] = []
            for n in range(repeat):
                times.append(run(command, env))
                print(f"  {label} run {n + 1}: {times[-1].seconds:.2f} s, "
                      f"{times[-1].peak_mib:.0f} MiB", file=sys.stderr)
            rows.append(Row(label, times))
    return rows, missing


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_arguments(argv, __doc__, "10000,100000", 50)
    print("## pcc-ledger beside hledger, ledger and beancount\n")
    print("\n".join(environment()))
    versions = []
    for tool, flag in (("hledger", "--version"), ("ledger", "--version")):
        if shutil.which(tool):
            text = subprocess.run([tool, flag], capture_output=True, text=True).stdout
            versions.append(text.splitlines()[0] if text else tool)
    try:
        from importlib.metadata import version
        versions.append(f"beancount {version('beancount')}")
    except Exception:  # noqa: BLE001 - not installed: said below
        pass
    print(f"- {'; '.join(versions) or 'no other tool installed'}")
    print(f"- runs per command: {args.repeat} (median shown); {args.files} files; seed "
          f"{args.seed}\n")
    for size in args.sizes:
        rows, missing = measure(size, args.files, args.repeat, args.seed, args.out)
        by_tool = {row.tool.split()[0]: row for row in rows}
        print(f"### {size:,} commitments\n")
        print("| command | median wall (s) | peak RSS (MiB) | ÷ hledger | ÷ ledger |")
        print("|---|---:|---:|---:|---:|")
        for row in rows:
            ratios = []
            for other in ("hledger", "ledger"):
                base = by_tool.get(other)
                ratios.append(f"{row.median / base.median:.2f}" if base else "–")
            print(f"| `{row.tool}` | {row.median:.2f} | {row.peak:.0f} | {ratios[0]} | "
                  f"{ratios[1]} |")
        if missing:
            print(f"\nNot installed, so not measured: {', '.join(missing)}.")
        print()


if __name__ == "__main__":
    main()
