"""The command line: parse options, call the core, render, exit. Nothing here computes money.

Exit codes: 0 no errors; 1 errors found (or warnings under --strict); 2 usage error or no data.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Annotated, NoReturn

import typer
from pydantic_core import PydanticCustomError
from rich.console import Console

from . import __version__
from .checks import run_checks
from .loader import ENV_DATA, LoadResult, NoData, data_directory, load
from .problems import Problem, Severity, count_line
from .render.plain import render_plain
from .render.problems_text import render_problems_text
from .render.rich_table import fits, render_rich
from .reports import Report, summary_report
from .rules import RULES
from .scalars import FinancialYear

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    name="pcc-ledger",
    help="A budget ledger for the commissioning funds of a Police and Crime Commissioner.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"pcc-ledger {__version__}")
        raise typer.Exit()


VersionOption = Annotated[
    bool,
    typer.Option(
        "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
]
DataOption = Annotated[
    str | None,
    typer.Option(
        "--data",
        metavar="DIR",
        help=f"The data directory (default: ${ENV_DATA}, else ./data).",
        show_default=False,
    ),
]


class TableFormat(str, Enum):
    table = "table"
    plain = "plain"


def _fail_usage(message: str) -> NoReturn:
    typer.echo(f"pcc-ledger: error: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


def _load_and_check(data: str | None) -> tuple[LoadResult, list[Problem]]:
    try:
        result = load(data_directory(data))
    except NoData as error:
        _fail_usage(str(error))
    return result, [*result.problems, *run_checks(result.entries, result.ledger)]


def _wants_rich() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


@app.callback()
def root(version: VersionOption = False) -> None:
    """Validate the funds and commitments in a data directory and report on them."""


@app.command()
def check(
    data: DataOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    version: VersionOption = False,
) -> None:
    """Check every data file and every limit; print each problem with its file and line.

    Exit status: 0 no errors; 1 errors (or warnings, with --strict); 2 usage error or no data.
    """
    result, problems = _load_and_check(data)
    typer.echo(render_problems_text(problems, len(result.files)))
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    raise typer.Exit(EXIT_PROBLEMS if any(p.severity in failing for p in problems) else EXIT_OK)


def _parse_year(text: str | None) -> FinancialYear | None:
    if text is None:
        return None
    try:
        return FinancialYear.parse(text)
    except PydanticCustomError as error:
        _fail_usage(f"--year: {error.message()}")


@app.command()
def summary(
    data: DataOption = None,
    year: Annotated[
        str | None,
        typer.Option("--year", metavar="FY", help="Only this financial year, such as 2017/18."),
    ] = None,
    fund: Annotated[
        str | None,
        typer.Option("--fund", metavar="ID", help="Only this fund (its id in funds.yaml)."),
    ] = None,
    output: Annotated[
        TableFormat | None,
        typer.Option(
            "--format",
            help="table (Rich) or plain text (default: table on a terminal, else plain).",
            show_default=False,
        ),
    ] = None,
    version: VersionOption = False,
) -> None:
    """The reconciliation table of every fund and year, with ring-fences and totals.

    Columns: allocation, committed (approved), planned (proposed), paid, outstanding
    (committed - paid), available (allocation - committed) and utilisation (committed / allocation).
    """
    wanted_year = _parse_year(year)
    result, problems = _load_and_check(data)
    ledger = result.ledger
    blocking = [p for p in problems if p.severity is Severity.ERROR and RULES[p.rule].factual]
    if ledger is None or blocking:
        typer.echo(render_problems_text(problems, len(result.files)), err=True)
        typer.echo(
            "pcc-ledger: the data has errors, so no summary is printed; fix them first "
            "(`pcc-ledger check` lists them)",
            err=True,
        )
        raise typer.Exit(EXIT_PROBLEMS)
    if fund is not None and fund not in ledger.funds.funds:
        _fail_usage(f"--fund: no fund `{fund}`; funds: {', '.join(ledger.funds.funds)}")
    positions = ledger.select(wanted_year, fund)
    if not positions:
        _fail_usage(f"no allocation for {wanted_year}" + (f" in fund {fund}" if fund else ""))
    _print_report(summary_report(ledger, positions), output)
    if problems:
        typer.echo(
            f"pcc-ledger: {count_line(problems, len(result.files))}; `pcc-ledger check` lists them",
            err=True,
        )


def _print_report(report: Report, output: TableFormat | None) -> None:
    chosen = output or (TableFormat.table if _wants_rich() else TableFormat.plain)
    console = Console()
    if chosen is TableFormat.table and fits(report, console):
        console.print(render_rich(report))
    else:
        typer.echo(render_plain(report))


def main() -> None:
    """The console script. A bug must not show a user a traceback, but must still be reported."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - the last line of defence
        typer.echo(
            f"pcc-ledger: internal error ({type(error).__name__}: {error}); this is a bug, "
            "please report it with the command you ran",
            err=True,
        )
        sys.exit(70)
