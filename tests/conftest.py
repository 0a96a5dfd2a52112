"""Shared helpers: building small data directories and running the CLI."""

from __future__ import annotations

import importlib.util
import inspect
import shutil
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from pcc_ledger.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
SHIPPED_DATA = REPO / "data"


def load_benchmark(script: str) -> ModuleType:
    """A script of benchmarks/ as a module (they are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"pcc_ledger_{script}",
                                                  REPO / "benchmarks" / f"{script}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> Path:
    """The suite never reads or writes the user's own cache folder; each test has its own."""
    folder = tmp_path_factory.mktemp("cache") / "pcc-ledger"
    monkeypatch.setenv("PCC_LEDGER_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the loader parses, by name (a file the cache gave back is not parsed)."""
    from pcc_ledger import loader

    parsed: list[str] = []
    real = loader.read_yaml

    def counting(path: Path, shown: str):  # type: ignore[no-untyped-def]
        parsed.append(path.name)
        return real(path, shown)

    monkeypatch.setattr(loader, "read_yaml", counting)
    return parsed


@pytest.fixture
def position_passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many lines each text had that a pass over libyaml's events looked for positions
    in: a whole file's, or one item's (yamlsource._positions_in_plain)."""
    from pcc_ledger import yamlsource

    seen: list[int] = []
    whole_pass = yamlsource._positions_of

    def counting(text: str, requests: list[tuple[yamlsource.YamlPath, bool]]
                 ) -> yamlsource.Found:
        seen.append(text.count("\n") + 1)
        return whole_pass(text, requests)

    monkeypatch.setattr(yamlsource, "_positions_of", counting)
    return seen


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data directory with the fixtures' base funds.yaml."""
    root = tmp_path / "data"
    root.mkdir()
    shutil.copy(FIXTURES / "base-funds.yaml", root / "funds.yaml")
    return root


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    # The suite must pass inside GitHub Actions too, where these would change the output.
    for name in ("PCC_LEDGER_DATA", "NO_COLOR", "GITHUB_ACTIONS", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return new_runner()


def new_runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout on every Click the project allows: Click
    8.2 always does; 8.1 mixes them unless told not to."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


def invoke(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)
