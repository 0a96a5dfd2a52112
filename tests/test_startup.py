"""Start-up: a command imports what it needs when it needs it (measured by
benchmarks/bench_check.py; here, what each command loads, which cannot drift unnoticed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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


def _modules(code: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, check=True)
    return set(result.stderr.rsplit("LOADED ", 1)[1].split())


def _loaded(*argv: str) -> set[str]:
    """What the command loads beyond what Typer itself does (older Typers load Rich)."""
    typer_alone = _modules('import sys, typer\nprint("LOADED", " ".join(sys.modules), '
                           "file=sys.stderr)")
    return _modules(PROBE.format(argv=list(argv))) - typer_alone


def test_version_loads_no_model_no_report_and_no_export() -> None:
    loaded = _loaded("--version")
    assert not {"pcc_ledger.model", "pcc_ledger.ledger", "pcc_ledger.reports.summary",
                "pcc_ledger.export.journal", "tabulate", "yaml", "rich.console",
                "importlib.metadata", "pydantic", "pcc_ledger.render.problems"} & loaded


LAUNCH = """
import sys
from pcc_ledger.launch import main
sys.argv = ["pcc-ledger", *{argv!r}]
try:
    main()
except SystemExit as stop:
    print("EXIT", stop.code, file=sys.stderr)
print("\\nLOADED", " ".join(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_the_console_script_answers_version_without_the_cli(flag: str) -> None:
    result = subprocess.run([sys.executable, "-c", LAUNCH.format(argv=[flag])],
                            capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout == "pcc-ledger 0.1.0\n"
    loaded = set(result.stderr.rsplit("LOADED ", 1)[1].split())
    assert not {"typer", "click", "pcc_ledger.cli", "pydantic", "rich"} & loaded
    assert "EXIT" not in result.stderr  # exit 0


def test_the_console_script_is_the_front_door() -> None:
    pyproject = (REPO / "pyproject.toml").read_text("utf-8")
    assert 'pcc-ledger = "pcc_ledger.launch:main"' in pyproject
    # Anything but the version alone goes to the CLI: `-V` after a command, a usage error.
    result = subprocess.run([sys.executable, "-c", LAUNCH.format(argv=["-V", "extra"])],
                            capture_output=True, text=True, cwd=REPO, check=True)
    assert "pcc_ledger.cli" in result.stderr.rsplit("LOADED ", 1)[1].split()


def test_the_version_into_a_closed_pipe_is_no_traceback() -> None:
    reader = subprocess.Popen([sys.executable, "-m", "pcc_ledger", "--version"], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # as `| head -0`
    assert (reader.wait(), reader.stderr.read()) in ((141, b""), (0, b""))


def test_check_loads_no_report_renderer_and_no_export() -> None:
    loaded = _loaded("check", "--data", "data")
    assert "pcc_ledger.model" in loaded  # it does check the data
    assert not {"pcc_ledger.reports.summary", "pcc_ledger.export.threesixty",
                "pcc_ledger.export.xlsx", "tabulate", "rich.table"} & loaded
    # Its colours are Typer's: Click itself is not loaded where Typer carries its own (0.2x).
    assert "click" not in loaded


def test_the_model_builds_its_validators_at_first_use() -> None:
    """Importing the model builds no validator (a run that finds every commitment file in the
    cache never validates a commitment); validating builds what it uses, and nothing else."""
    code = ("from pcc_ledger import model as m\n"
            "built = lambda: sorted([name for name in ('FundsFile', 'Fund', 'Commitment', "
            "'Transfer', 'Round') if getattr(m, name).__pydantic_complete__] + [name for name in "
            "('COMMITMENT', 'COMMITMENT_INPUT', 'TRANSFER', 'ROUND') "
            "if getattr(m, name).pydantic_complete])\n"
            "print(built())\n"
            "m.TRANSFER.validate_python({'id': 'T-1', 'date': '2017-04-01', 'amount': '1', "
            "'from': {'fund': 'a', 'year': '2017/18'}, 'to': {'fund': 'b', 'year': '2017/18'}})\n"
            "print(built())\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, check=True)
    assert result.stdout.splitlines() == ["[]", "['TRANSFER']"]


def test_the_load_tells_its_progress_file_by_file() -> None:
    from datetime import date

    from pcc_ledger.checking import check_directory

    told: list[tuple[int, int]] = []
    check_directory(str(REPO / "data"), date(2018, 4, 1), lambda done, total: told.append(
        (done, total)))
    files = len(list((REPO / "data" / "allocations").rglob("*.yaml")))
    assert told == [(n, files + 1) for n in range(1, files + 1)] + [(files + 1, files + 1)]


def test_a_progress_bar_only_for_a_person_at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from pcc_ledger import cli

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert cli._shows_progress() is True
    monkeypatch.setenv("CI", "true")  # GitHub Actions, GitLab CI...
    assert cli._shows_progress() is False
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)  # piped, or a file
    assert cli._shows_progress() is False


def test_no_bar_for_a_load_shorter_than_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    from pcc_ledger import cli

    now = [100.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: now[0])
    bar = cli.LoadProgress()  # started at 100.0
    now[0] = 100.5
    bar(1, 40)  # half a second in: nothing shown
    assert bar.bar is None
    now[0] = 101.5
    bar(2, 40)  # a second and a half: the bar appears
    assert bar.bar is not None
    bar(40, 40)  # every file read: it goes (the checks that follow are not reading)
    assert bar.bar is None
    bar(40, 40)
    assert bar.bar is None


def test_the_renderers_load_neither_the_data_model_nor_the_exports() -> None:
    loaded = _modules('import sys\nimport pcc_ledger.render.reports, pcc_ledger.render.rich_table\n'
                      "from pcc_ledger.render.reports import REPORT_FORMATS, renderer\n"
                      "for name in REPORT_FORMATS: renderer(name)\n"
                      'print("LOADED", " ".join(sys.modules), file=sys.stderr)')
    assert {"pcc_ledger.render.plain", "pcc_ledger.render.markup",
            "pcc_ledger.render.data"} <= loaded
    assert not {"pcc_ledger.model", "pcc_ledger.checking", "pcc_ledger.export.page"} & loaded


def test_a_piped_listing_loads_the_plain_renderer_alone() -> None:
    loaded = _loaded("commitments", "--data", "data")
    assert "pcc_ledger.render.plain" in loaded
    assert not {"pcc_ledger.render.rich_table", "pcc_ledger.render.markup",
                "pcc_ledger.render.data", "rich.table"} & loaded


def test_every_table_format_but_rich_has_a_renderer() -> None:
    from pcc_ledger.cli import TableFormat
    from pcc_ledger.render.reports import REPORT_FORMATS, renderer

    assert set(REPORT_FORMATS) == {f.value for f in TableFormat} - {"table"}
    assert all(callable(renderer(name)) for name in REPORT_FORMATS)


def test_the_collector_is_off_while_reports_are_made_and_back_on_after(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A long listing makes millions of objects and no cycles: the cyclic collector stays off
    from the load to the end of the command, and is back on after it, however it ends."""
    import gc

    from pcc_ledger.render import plain

    from .conftest import SHIPPED_DATA, invoke, new_runner

    seen: list[bool] = []
    render = plain.render_plain

    def watched(*args):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return render(*args)

    monkeypatch.setattr(plain, "render_plain", watched)
    assert gc.isenabled()
    result = invoke(new_runner(), "commitments", "--data", str(SHIPPED_DATA), "--format",
                    "plain")
    assert result.exit_code == 0
    assert seen == [False]
    assert gc.isenabled()
    # A command that fails on its data turns it back on too.
    (tmp_path / "funds.yaml").write_text("funds: [\n", encoding="utf-8")
    assert invoke(new_runner(), "summary", "--data", str(tmp_path)).exit_code != 0
    assert gc.isenabled()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("argv", [["--version"], ["check", "--data", "data"]])
def test_a_full_disk_is_said_the_same_way_by_the_front_door_and_the_cli(argv: list[str]) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = subprocess.run([sys.executable, "-m", "pcc_ledger", *argv], cwd=REPO,
                                stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    assert (result.returncode, result.stderr) == (
        1, "pcc-ledger: error: cannot write the output: No space left on device\n")
