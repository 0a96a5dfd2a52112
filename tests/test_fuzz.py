"""A short, seeded slice of benchmarks/fuzz.py: mutated data directories must never make a
command fail with an internal error, a traceback or an odd exit code. The same seed always
gives the same directories, so a failure here is reproduced with

    python benchmarks/fuzz.py --seed ci --replay I

where I is the iteration in the failure's report; run the fuzzer longer to look for more:
`python benchmarks/fuzz.py --seconds 600 --seed anything`."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import load_benchmark

SEED = "ci"
ITERATIONS = 25  # about a second and a half


@pytest.fixture(scope="module")
def fuzz() -> ModuleType:
    return load_benchmark("fuzz")


@pytest.fixture(scope="module")
def seeded_slice(fuzz: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return fuzz.fuzz(SEED, iterations=ITERATIONS, workdir=tmp_path_factory.mktemp("fuzz"),
                     do_minimize=False, timeout=20.0)


def test_a_seeded_slice_of_the_fuzzer_finds_nothing(seeded_slice: Any) -> None:
    assert not seeded_slice.findings, seeded_slice.summary()


def test_the_slice_runs_every_command_on_varied_data(fuzz: ModuleType, seeded_slice: Any) -> None:
    # Worth running only if its directories are written, get past `check` into the reports and
    # exports, and are mutated in many ways.
    assert seeded_slice.directories + seeded_slice.unwritable == ITERATIONS
    assert seeded_slice.unwritable <= 2
    per_directory = len(fuzz.CORE_COMMANDS) + 2
    assert seeded_slice.commands == seeded_slice.directories * per_directory
    assert seeded_slice.exit_codes["0"] >= seeded_slice.commands // 5, seeded_slice.exit_codes
    assert len(seeded_slice.mutators) >= 8, seeded_slice.mutators


def test_the_fuzzer_reports_shrinks_and_keeps_an_internal_error(
    fuzz: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The harness itself, on the unmutated shipped data with a bug planted in `funds`.
    from pcc_ledger.reports import listings

    def planted(*args: object, **kwargs: object) -> object:
        raise KeyError("planted")

    shipped = [(name, tree) for name, tree in fuzz.seed_trees() if name == "data"]
    monkeypatch.setattr(fuzz, "seed_trees", lambda: shipped)
    monkeypatch.setattr(fuzz, "mutate", lambda rng, tree, gentle=False: [])
    monkeypatch.setattr(listings, "funds_report", planted)  # `funds` imports it when run
    keep = tmp_path / "kept"
    report = fuzz.fuzz(SEED, iterations=1, workdir=tmp_path, keep=keep, timeout=20.0,
                       minimize_seconds=0.5)
    [finding] = report.findings.values()
    assert finding.signature.startswith("KeyError at "), finding.signature
    assert "pcc_ledger/cli.py:" in finding.signature
    assert finding.reason == "internal error"
    assert "funds" in finding.commands
    assert finding.minimal.size() < finding.tree.size()
    [kept] = keep.iterdir()
    assert {path.name for path in kept.iterdir()} >= {"minimal", "original", "repro.sh"}


def _shipped_data_unmutated(fuzz: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = [(name, tree) for name, tree in fuzz.seed_trees() if name == "data"]
    monkeypatch.setattr(fuzz, "seed_trees", lambda: shipped)
    monkeypatch.setattr(fuzz, "mutate", lambda rng, tree, gentle=False: [])


def test_a_command_that_kills_its_process_is_a_finding(
    fuzz: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A crash in C code (a segfault, the OOM killer) takes the process with it: the fuzzer,
    # whose commands run in a child, says so and goes on.
    import os
    import signal

    from pcc_ledger.reports import listings

    calls: list[int] = []

    def dies(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) > 1:  # not in the fuzzer's warm-up run, in the children only
            os.kill(os.getpid(), signal.SIGKILL)
        raise KeyError("the warm-up run")

    _shipped_data_unmutated(fuzz, monkeypatch)
    monkeypatch.setattr(listings, "funds_report", dies)
    monkeypatch.setattr(fuzz, "CORE_COMMANDS", (("check",), ("funds",), ("summary",)))
    monkeypatch.setattr(fuzz, "EXTRA_COMMANDS", (("years",), ("transfers",)))
    report = fuzz.fuzz(SEED, iterations=2, workdir=tmp_path, do_minimize=False, timeout=20.0)
    [finding] = report.findings.values()
    assert finding.signature == (
        "ProcessDied: the process running it died (killed by signal SIGKILL)")
    assert finding.reason == "the process died"
    assert finding.error == "ProcessDied: the process running it died (killed by signal SIGKILL)"
    assert finding.commands == {"funds"} and finding.hits == 2
    assert report.commands == 4  # check and funds in each directory; summary never ran


def test_every_directory_starts_from_the_same_state(
    fuzz: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What one directory's commands leave behind in the process (here a count; in long runs,
    # memory) does not reach the next: run in one process, the third `funds` would fail.
    from pcc_ledger.reports import listings

    real = listings.funds_report
    calls: list[int] = []

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) > 2:  # the warm-up's, then one per directory
            raise KeyError("state left by an earlier directory")
        return real(*args, **kwargs)

    _shipped_data_unmutated(fuzz, monkeypatch)
    monkeypatch.setattr(listings, "funds_report", counting)
    monkeypatch.setattr(fuzz, "CORE_COMMANDS", (("funds",),))
    monkeypatch.setattr(fuzz, "EXTRA_COMMANDS", (("years",), ("transfers",)))
    report = fuzz.fuzz(SEED, iterations=3, workdir=tmp_path, do_minimize=False, timeout=20.0)
    assert not report.findings, report.summary()
    assert report.exit_codes == {"0": 9}  # funds and two others in each directory
    assert calls == [1]  # the warm-up's; the directories' were in their children


def test_a_command_stuck_where_the_timer_cannot_reach_it_is_stopped(
    fuzz: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A command stuck in C code never sees SIGALRM: the fuzzer stops waiting for its child.
    import os
    import signal
    import time

    from pcc_ledger.reports import listings

    fuzzer = os.getpid()

    def stuck(*args: object, **kwargs: object) -> object:
        if os.getpid() != fuzzer:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(60)
        raise KeyError("the warm-up run")

    _shipped_data_unmutated(fuzz, monkeypatch)
    monkeypatch.setattr(listings, "funds_report", stuck)
    monkeypatch.setattr(fuzz, "CORE_COMMANDS", (("funds",), ("summary",)))
    monkeypatch.setattr(fuzz, "EXTRA_COMMANDS", (("years",), ("transfers",)))
    monkeypatch.setattr(fuzz, "STUCK_GRACE", 0.5)
    began = time.monotonic()
    report = fuzz.fuzz(SEED, iterations=1, workdir=tmp_path, do_minimize=False, timeout=1.0)
    assert time.monotonic() - began < 30
    [finding] = report.findings.values()
    assert finding.reason == "timeout"
    assert finding.error == "CommandTimeout: no answer after 1.5 s"
    assert report.commands == 1  # summary and the others are not tried after a timeout


def test_the_fuzzers_own_failure_in_a_child_is_not_taken_for_a_finding(
    fuzz: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(error: object) -> object:
        raise ValueError("a bug of the fuzzer")

    _shipped_data_unmutated(fuzz, monkeypatch)
    monkeypatch.setattr(fuzz, "captured", broken)
    monkeypatch.setattr(fuzz, "CORE_COMMANDS", (("check",),))
    monkeypatch.setattr(fuzz, "EXTRA_COMMANDS", (("years",), ("transfers",)))
    with pytest.raises(RuntimeError, match="(?s)the fuzzer failed in its child.*a bug of the"):
        fuzz.fuzz(SEED, iterations=1, workdir=tmp_path, do_minimize=False, timeout=20.0)
