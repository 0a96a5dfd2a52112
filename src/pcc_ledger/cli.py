"""The command line: parse options, call the core, render, exit. Nothing here computes money.

Exit codes: 0 no errors; 1 errors found (or warnings under --strict); 2 usage error or no data.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from enum import Enum
from typing import Annotated, NoReturn

import typer
from pydantic_core import PydanticCustomError
from rich.console import Console

from . import __version__, policy
from .checking import Checked, check_directory
from .loader import ENV_DATA, NoData, data_directory
from .problems import Severity, count_line
from .render.problems import CHECK_FORMATS, CheckOutput, render_text
from .render.reports import REPORT_FORMATS
from .render.rich_table import fits, render_rich
from .reports import Report, rules_report, summary_report
from .rules import RULES
from .scalars import FinancialYear, parse_date

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
    markdown = "markdown"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    html = "html"


def _fail_usage(message: str) -> NoReturn:
    typer.echo(f"pcc-ledger: error: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


TableFormatOption = Annotated[
    TableFormat | None,
    typer.Option(
        "--format",
        help="table (Rich), plain, markdown, csv, tsv, json or html (default: table on a "
        "terminal, else plain).",
        show_default=False,
    ),
]


class CheckFormat(str, Enum):
    text = "text"
    github = "github"
    json = "json"


def _load_and_check(data: str | None, as_of: date | None = None) -> Checked:
    try:
        return check_directory(data_directory(data), as_of or date.today())
    except NoData as error:
        _fail_usage(str(error))


def _wants_rich() -> bool:
    # no-color.org: NO_COLOR set to any non-empty value turns colour off.
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _parse_as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return parse_date(text)
    except PydanticCustomError as error:
        _fail_usage(f"--as-of: {error.message()}")


@app.callback()
def root(version: VersionOption = False) -> None:
    """Validate the funds and commitments in a data directory and report on them."""


@app.command()
def check(
    data: DataOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    output: Annotated[
        CheckFormat | None,
        typer.Option(
            "--format",
            help="text, github (annotations) or json (default: github when GITHUB_ACTIONS=true, "
            "else text).",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Judge year-end warnings as on this day, YYYY-MM-DD (default: today).",
        ),
    ] = None,
    version: VersionOption = False,
) -> None:
    """Check every data file and every rule; print each problem with its file and line.

    Exit status: 0 no errors; 1 errors (or warnings, with --strict); 2 usage error or no data.
    """
    checked = _load_and_check(data, _parse_as_of(as_of))
    status = EXIT_PROBLEMS if policy.fails(checked.problems, strict) else EXIT_OK
    chosen = output or (
        CheckFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else CheckFormat.text
    )
    report = CheckOutput(sorted(checked.problems), len(checked.loaded.files), status)
    colour = chosen is CheckFormat.text and _wants_rich()
    # click strips colour it thinks nobody will see; we have already decided who will.
    typer.echo(CHECK_FORMATS[chosen.value](report, colour), color=colour)
    raise typer.Exit(status)


@app.command()
def rules(
    output: TableFormatOption = None,
    version: VersionOption = False,
) -> None:
    """List every rule `check` applies: its id, default severity, kind and what it reports.

    Policy rules can be set to error, warning or off in the `checks:` section of funds.yaml;
    facts cannot.
    """
    _print_report(rules_report(), output)


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
    output: TableFormatOption = None,
    version: VersionOption = False,
) -> None:
    """The reconciliation table of every fund and year, with ring-fences and totals.

    Columns: allocation, committed (approved), planned (proposed), paid, outstanding
    (committed - paid), available (allocation - committed) and utilisation (committed / allocation).
    """
    wanted_year = _parse_year(year)
    checked = _load_and_check(data)
    result, problems = checked.loaded, checked.problems
    ledger = result.ledger
    blocking = [p for p in problems if p.severity is Severity.ERROR and RULES[p.rule].factual]
    if ledger is None or blocking:
        shown = CheckOutput(sorted(blocking), len(result.files), EXIT_PROBLEMS)
        typer.echo(render_text(shown), err=True)
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


def _print_report(reports: Report | list[Report], output: TableFormat | None) -> None:
    sections = reports if isinstance(reports, list) else [reports]
    chosen = output or (TableFormat.table if _wants_rich() else TableFormat.plain)
    console = Console()
    if chosen is TableFormat.table:
        if fits(sections, console):
            console.print(render_rich(sections))
            return
        chosen = TableFormat.plain
    typer.echo(REPORT_FORMATS[chosen.value](sections))


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
