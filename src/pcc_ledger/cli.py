"""The command line: parse options, call the core, render, exit. Nothing here computes money.

Exit codes: 0 no errors; 1 errors found (or warnings under --strict); 2 usage error or no data.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
import traceback
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from . import __version__
from .atomic import (
    WriteRefused,
    check_replaceable,
    check_writable,
    write_atomically,
    write_directory_atomically,
)
from .datadir import ENV_DATA, NoData, data_directory
from .help_format import LedgerCommand, LedgerGroup
from .launch import cannot_write
from .problems import Location, Problem, Severity, count_line
from .reports.sections import SECTIONS

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.progress import Progress, TaskID

    from . import recording
    from .checking import Checked
    from .export import threesixty
    from .ledger import Ledger, RoundEntry
    from .reports import Report
    from .scalars import FinancialYear
    from .tally import Tally

# What only some commands need is imported in them (the reports and their renderers, Rich's
# console, the exports): every command, `check` above all, starts in less time.

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    name="pcc-ledger",
    help="A budget ledger for the commissioning funds of a Police and Crime Commissioner.",
    no_args_is_help=True,
    # `-h` as well as `--help` everywhere (subcommands inherit it), as hledger and yamllint.
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    cls=LedgerGroup,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"pcc-ledger {__version__}")
        raise typer.Exit()


VersionOption = Annotated[
    bool,
    typer.Option(
        "--version", "-V", callback=_show_version, is_eager=True,
        help="Show the version and exit."
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


class ColourChoice(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


_colour = ColourChoice.auto  # --color

ColourOption = Annotated[
    ColourChoice | None,
    typer.Option(
        "--color",
        case_sensitive=False,
        help="auto (colour on a terminal, unless NO_COLOR is set), always (CI logs that "
        "show colour) or never.",
        show_default=False,
    ),
]


def _choose_colour(choice: ColourChoice | None) -> None:
    global _colour
    if choice is not None:
        _colour = choice


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
        case_sensitive=False,
        help="table (Rich), plain, markdown, csv, tsv, json or html (default: table on a "
        "terminal, else plain).",
        show_default=False,
    ),
]


WideOption = Annotated[
    bool,
    typer.Option("--wide", help="On a terminal, every column, however wide (by default a "
                 "narrow terminal leaves the least important out, and says which)."),
]


class CheckFormat(str, Enum):
    text = "text"
    github = "github"
    json = "json"


def _load_and_check(data: str | None, as_of: date | None = None,
                    overrides: dict[str, str] | None = None) -> Checked:
    from .cache import FileCache, default_directory, writes_by_default
    from .checking import check_directory

    bar = LoadProgress() if _shows_progress() else None
    cache = None if _cache_refused else FileCache(default_directory(), writes_by_default())
    # What is loaded lives until the command ends, so the cyclic collector is kept off while
    # it is made and it is then frozen out of the collector's sight, never scanned: switched
    # back on before freezing, the collector would first walk all of it once (0.3 s at 100,000
    # commitments). A process-wide choice, so the CLI's, not the core's.
    gc.disable()
    try:
        checked = check_directory(data_directory(data), as_of or date.today(), bar, cache,
                                  overrides)
    except NoData as error:
        _fail_usage(str(error))
    finally:
        gc.freeze()
        _hold_collector()
        if bar is not None:
            bar.close()
    if cache is not None and cache.written:
        cache.prune()
    return checked


_collector_held = False  # a load left the cyclic collector off until the command is done


def _hold_collector() -> None:
    """The reports that follow a load make millions of objects and no cycles (rows of text):
    the collector stays off until the command is done (it would scan them again and again, a
    sixth of what a long listing adds to `check`); `root` has `_release_collector` switch it
    back on then, for whatever runs next in this process."""
    global _collector_held
    _collector_held = True


def _release_collector() -> None:
    global _collector_held
    if _collector_held:
        _collector_held = False
        gc.enable()


def _shows_progress() -> bool:
    """A progress bar only for a person at a terminal: never into a pipe or a file, never in
    CI's logs (where CI is set, as GitHub Actions, GitLab and most others set it)."""
    return (sys.stderr.isatty() and not os.environ.get("CI")
            and os.environ.get("TERM") != "dumb")


class LoadProgress:
    """Rich's progress bar on stderr, shown once reading the data has taken a second (a small
    ledger is read before a bar would be seen) and gone when the reading is done."""

    DELAY = 1.0  # seconds

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if done >= total:  # read: the checks that follow are not reading
            self.close()
            return
        if self.bar is None:
            if time.monotonic() - self.started < self.DELAY or done >= total:
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(f"Reading {total} files", total=total)
        assert self.task is not None
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
            self.started = float("inf")  # never again in this load


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _wants_rich() -> bool:
    """Colour (and Rich's tables) by --color, else for a terminal only. no-color.org: NO_COLOR
    set to any non-empty value turns colour off, but an explicit --color always wins."""
    if _colour is not ColourChoice.auto:
        return _colour is ColourChoice.always
    return (sys.stdout.isatty() and not os.environ.get("NO_COLOR")
            and os.environ.get("TERM") != "dumb")


def _parse_as_of(text: str | None, name: str = "--as-of") -> date | None:
    from pydantic_core import PydanticCustomError

    from .scalars import parse_date
    if text is None:
        return None
    try:
        return parse_date(text)
    except PydanticCustomError as error:
        _fail_usage(f"{name}: {error.message()}")


ENV_DEBUG = "PCC_LEDGER_DEBUG"
_debug_requested = False
_cache_refused = False  # --no-cache

NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", help="Read every file again, and keep nothing for next time "
                 "(the cache of what each unchanged file holds; see $PCC_LEDGER_CACHE_DIR)."),
]


def _debugging() -> bool:
    return _debug_requested or os.environ.get(ENV_DEBUG, "") not in ("", "0")


def _show_details(problems: list[Problem]) -> None:
    """With --debug, the tracebacks behind problems that are bugs, for a bug report."""
    if _debugging():
        for problem in problems:
            if problem.detail:
                typer.echo(f"pcc-ledger: debug: {problem.rule}:\n{problem.detail}", err=True)


@app.callback()
def root(
    context: typer.Context,
    version: VersionOption = False,
    debug: Annotated[bool, typer.Option(
        "--debug", help=f"Print the traceback of a bug (as {ENV_DEBUG}=1 does).")] = False,
    no_cache: NoCacheOption = False,
    colour: ColourOption = None,
) -> None:
    """Validate the funds and commitments in a data directory and report on them."""
    global _debug_requested, _cache_refused
    _debug_requested = debug
    _cache_refused = no_cache
    global _colour
    _colour = colour or ColourChoice.auto  # each run starts from auto (tests run many)
    context.call_on_close(_release_collector)  # after the command, whatever its end


RuleList = list[str] | None


def _completing(*choices: str) -> Callable[[str], list[str]]:
    """Shell completion for a value that is one of a few words (not a Typer choice, because
    it is read in any case and refused with a message of our own)."""
    def complete(incomplete: str) -> list[str]:
        return [choice for choice in choices if choice.startswith(incomplete.lower())]
    return complete


def _policy_rule_ids(incomplete: str) -> list[str]:
    """Shell completion for --disable/--enable: the rules that can be switched."""
    from .rules import RULES
    return [rule.id for rule in RULES.values()
            if not rule.factual and rule.id.startswith(incomplete)]


@app.command(cls=LedgerCommand)
def check(
    directory: Annotated[
        str | None,
        typer.Argument(metavar="DIR", help="The data directory (as --data; default: "
                       f"${ENV_DATA}, else ./data).", show_default=False),
    ] = None,
    data: DataOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print the problems and nothing else (no count line; nothing "
        "at all when there are none).")] = False,
    disable: Annotated[RuleList, typer.Option(
        "--disable", metavar="RULE", autocompletion=_policy_rule_ids,
        help="Switch a policy rule off for this run (over the `checks:` of funds.yaml); "
        "repeat for more.", show_default=False)] = None,
    enable: Annotated[RuleList, typer.Option(
        "--enable", metavar="RULE", autocompletion=_policy_rule_ids,
        help="Switch a policy rule back on at its default severity for this run (a rule off "
        "by default, such as welsh-text-missing, on as a warning); repeat for more.",
        show_default=False)] = None,
    no_cache: NoCacheOption = False,
    output: Annotated[
        CheckFormat | None,
        typer.Option(
            "--format",
            case_sensitive=False,
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
    colour: ColourOption = None,
    version: VersionOption = False,
) -> None:
    """Check every data file and every rule; print each problem with its file and line.

    A problem can be ignored where it is, by a comment on its line or on the first line of its
    commitment: `# pcc-ledger: ignore[award-above-maximum]` (policy rules only).

    Exit status: 0 no errors; 1 errors (or warnings, with --strict); 2 usage error or no data.
    """
    from . import policy
    global _cache_refused
    _cache_refused = _cache_refused or no_cache
    _choose_colour(colour)
    if directory is not None and data is not None and directory != data:
        _fail_usage(f"two data directories ({directory} and --data {data}); give one")
    overrides, wrong = policy.from_command_line(disable or [], enable or [])
    if wrong:
        _fail_usage("; ".join(wrong))
    checked = _load_and_check(directory if directory is not None else data,
                              _parse_as_of(as_of), overrides)
    status = EXIT_PROBLEMS if policy.fails(checked.problems, strict) else EXIT_OK
    chosen = output or (
        CheckFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else CheckFormat.text
    )
    from .render.problems import CHECK_FORMATS, CheckOutput

    report = CheckOutput(sorted(checked.problems), len(checked.loaded.files), status,
                         sorted(checked.suppressed), quiet)
    colour_on = chosen is CheckFormat.text and _wants_rich()
    text = CHECK_FORMATS[chosen.value](report, colour_on)
    if text:
        # click strips colour it thinks nobody will see; we have already decided who will.
        typer.echo(text, color=colour_on)
    _show_details(checked.problems)
    raise typer.Exit(status)


@app.command(cls=LedgerCommand)
def rules(
    output: TableFormatOption = None,
    wide: WideOption = False,
    version: VersionOption = False,
) -> None:
    """List every rule `check` applies: its id, default severity, kind and what it reports.

    Policy rules can be set to error, warning or off in the `checks:` section of funds.yaml;
    facts cannot.
    """
    from .reports import rules_report

    _print_report(rules_report(), output, wide)


def _parse_year(text: str | None, name: str = "--year") -> FinancialYear | None:
    from pydantic_core import PydanticCustomError

    from .scalars import FinancialYear
    if text is None:
        return None
    try:
        return FinancialYear.parse(text)
    except PydanticCustomError as error:
        _fail_usage(f"{name}: {error.message()}")


@app.command(cls=LedgerCommand)
def summary(
    data: DataOption = None,
    year: YearOption = None,
    fund: FundOption = None,
    as_of: AsOfOption = None,
    output: TableFormatOption = None,
    wide: WideOption = False,
    version: VersionOption = False,
) -> None:
    """The reconciliation table of each financial year (funds, ring-fences, the year's own
    totals), and the earmarked reserves.

    Columns: allocation; transfers in and out and the revised allocation (when there are
    transfers); committed (approved); planned (proposed); paid; outstanding (committed - paid);
    available (revised - committed); forecast outturn (paid, scheduled payments to come in the
    year and the unscheduled rest of approved commitments); forecast variance (revised -
    forecast: an underspend, or a negative overspend); utilisation (committed / revised).
    """
    from .reports import summary_report

    wanted_year = _parse_year(year)
    day = _parse_as_of(as_of)
    checked, ledger = _reportable(data, "summary")
    _check_scope(ledger, fund, wanted_year)
    ledger = ledger.on(day)
    positions = ledger.select(wanted_year, fund)
    _print_report(summary_report(ledger, positions, with_reserves=fund is None), output, wide,
                  checked)


def _reportable(data: str | None, what: str, as_of: date | None = None) -> tuple[Checked, Ledger]:
    """The checked data and its Ledger. Only a funds.yaml that cannot be understood stops a
    report (there is nothing to report against): any other error leaves its record out, and
    the report says so (see `_print_report`)."""
    from .rules import RULES
    checked = _load_and_check(data, as_of)
    ledger = checked.loaded.ledger
    if ledger is None:
        funds_file = checked.loaded.files[0]
        blocking = [p for p in checked.problems if p.severity is Severity.ERROR
                    and RULES[p.rule].factual and p.location.file == funds_file]
        from .render.problems import CheckOutput, render_text

        shown = CheckOutput(sorted(blocking), len(checked.loaded.files), EXIT_PROBLEMS)
        typer.echo(render_text(shown), err=True)
        _show_details(blocking)
        typer.echo(
            f"pcc-ledger: {funds_file} cannot be read, so no {what} is printed; fix it first "
            "(`pcc-ledger check` lists every problem)",
            err=True,
        )
        raise typer.Exit(EXIT_PROBLEMS)
    return checked, ledger


def _mention_problems(checked: Checked) -> None:
    if checked.problems:
        count = count_line(checked.problems, len(checked.loaded.files))
        typer.echo(f"pcc-ledger: {count}; `pcc-ledger check` lists them", err=True)


def _check_scope(ledger: Ledger, fund: str | None, year: FinancialYear | None,
                 name: str = "--year") -> None:
    """One answer, in every command, for a fund or year the data does not have: a usage error
    (exit 2) saying what there is. A known fund and year with nothing recorded is not this:
    it is an empty listing or a row of zeros."""
    if fund is not None and fund not in ledger.funds.funds:
        _fail_usage(f"--fund: no fund `{fund}`; funds: {', '.join(ledger.funds.funds)}")
    if year is None:
        return
    years = ledger.years(fund)
    if fund is not None:
        if year not in years:
            _fail_usage(f"{name}: fund {fund} has no allocation for {year}; its years: "
                        + (", ".join(str(fy) for fy in years) or "none"))
        return
    if year not in years:
        _fail_usage(f"{name}: no fund has an allocation for {year}; years in the data: "
                    + (", ".join(str(fy) for fy in years) or "none"))


AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE",
                 help="The position on this day, YYYY-MM-DD: commitments approved, payments made "
                 "and transfers dated on or before it (default: everything recorded)."),
]
FundOption = Annotated[
    str | None,
    typer.Option("--fund", metavar="ID", help="Only this fund (its id in funds.yaml)."),
]
YearOption = Annotated[
    str | None,
    typer.Option("--year", metavar="FY", help="Only this financial year, such as 2017/18."),
]


@app.command("year-end", cls=LedgerCommand)
def year_end(
    year: Annotated[str, typer.Argument(metavar="FY", help="The financial year, such as 2017/18.")],
    data: DataOption = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE",
                     help="The year as it stood on this day, YYYY-MM-DD, its warnings judged on "
                     "it (default: today; a year still running is provisional)."),
    ] = None,
    section: Annotated[
        str | None,
        typer.Option("--section", metavar="NAME",
                     help="Only this section: " + ", ".join(SECTIONS) + " (transfers, "
                     "reserves and rounds when the data has them). One table, for csv and tsv."),
    ] = None,
    output: TableFormatOption = None,
    wide: WideOption = False,
    version: VersionOption = False,
) -> None:
    """The end-of-year summary of one financial year.

    Outturn per work stream, fund, ring-fence and unfenced part (allocations revised by the
    year's transfers, with the forecast outturn); the transfers and reserves; breakdowns by plan
    objective, recipient type and service category; awards against max_awards; commitments
    open at the year end; and the problems that concern the year (judged as on today, or on
    the --as-of day). A year that has not ended on that day is provisional: it says so, its
    figures are as on that day, and what is not yet committed is "remaining", not an
    underspend.

    csv and tsv hold one table: all sections as one long table with a `section` column, or
    one section with --section. json is one object of sections.
    """
    from .reports import year_end_report

    wanted = _parse_year(year, "FY")
    assert wanted is not None
    day = _parse_as_of(as_of)
    if section is not None and section not in SECTIONS:
        _fail_usage(f"--section: no section `{section}`; sections: {', '.join(SECTIONS)}")
    # Judged as on the --as-of day, or today: a year still running is provisional, and its
    # figures and warnings are as on that day (a commitment approved later does not count yet).
    judged = day or date.today()
    checked, ledger = _reportable(data, "year-end summary", judged)
    _check_scope(ledger, None, wanted, "FY")
    provisional = judged if judged <= wanted.last_day else None
    seen = ledger.on(judged if provisional else day)
    reports = year_end_report(seen, wanted, checked.problems, provisional)
    if section is not None:
        reports = [report for report in reports if report.name == section]
        if not reports:
            _fail_usage(f"--section: {wanted} has no {section}")
    _print_report(reports, output, wide, checked)


@app.command(cls=LedgerCommand)
def years(
    data: DataOption = None,
    fund: FundOption = None,
    output: TableFormatOption = None,
    wide: WideOption = False,
    version: VersionOption = False,
) -> None:
    """Each fund's allocation and outturn in every year of the data, with the change on the
    year before: the view to see a trend, or a typo."""
    from .reports import years_report

    checked, ledger = _reportable(data, "report")
    _check_scope(ledger, fund, None)
    _print_report(years_report(ledger, fund, date.today()), output, wide, checked)


@app.command(cls=LedgerCommand)
def funds(
    data: DataOption = None,
    year: YearOption = None,
    output: TableFormatOption = None,
    wide: WideOption = False,
    version: VersionOption = False,
) -> None:
    """List the funds: name, work stream, years and grant-scheme rules (with --year, that
    year's allocations and their total)."""
    from .reports import funds_report

    wanted = _parse_year(year)
    checked, ledger = _reportable(data, "listing")
    _check_scope(ledger, None, wanted)
    _print_report(funds_report(ledger, wanted), output, wide, checked, funds_only=True)


class StatusChoice(str, Enum):
    proposed = "proposed"
    approved = "approved"
    cancelled = "cancelled"


@app.command(cls=LedgerCommand)
def commitments(
    data: DataOption = None,
    fund: FundOption = None,
    year: YearOption = None,
    status: Annotated[
        StatusChoice | None, typer.Option("--status", case_sensitive=False,
                                          help="Only commitments in this state.")
    ] = None,
    objective: Annotated[
        str | None, typer.Option("--objective", metavar="ID", help="Only this plan objective.")
    ] = None,
    recipient: Annotated[
        str | None,
        typer.Option("--recipient", metavar="TEXT",
                     help="Only recipients whose name contains this (any case)."),
    ] = None,
    ring_fence: Annotated[
        str | None, typer.Option("--ring-fence", metavar="ID",
                                 help="Only commitments drawing on this ring-fence.")
    ] = None,
    category: Annotated[
        str | None, typer.Option("--category", metavar="ID", help="Only this service category.")
    ] = None,
    recipient_type: Annotated[
        str | None, typer.Option("--recipient-type", metavar="TYPE",
                                 help="Only recipients of this type, such as charity.")
    ] = None,
    open_only: Annotated[
        bool, typer.Option("--open", help="Only approved commitments with something still to "
                           "pay (on the --as-of day).")
    ] = False,
    as_of: AsOfOption = None,
    output: TableFormatOption = None,
    wide: WideOption = False,
    version: VersionOption = False,
) -> None:
    """List commitments, filtered and sorted by year, fund and id, with totals per status.

    A commitment over several years is listed once for each year it is charged to."""
    from .model import RECIPIENT_TYPES
    from .reports import CommitmentFilter, commitments_report

    wanted = _parse_year(year)
    day = _parse_as_of(as_of)
    checked, ledger = _reportable(data, "listing")
    _check_scope(ledger, fund, wanted)
    if objective is not None and objective not in ledger.funds.objectives:
        _fail_usage(f"--objective: no objective `{objective}`; objectives: "
                    + ", ".join(ledger.funds.objectives))
    if recipient_type is not None and recipient_type not in RECIPIENT_TYPES:
        _fail_usage(f"--recipient-type: no recipient type `{recipient_type}`; types: "
                    + ", ".join(RECIPIENT_TYPES))
    chosen = CommitmentFilter(fund, wanted, status.value if status else None, objective,
                              recipient, ring_fence, category, recipient_type, open_only)
    _print_report(commitments_report(ledger.on(day), chosen), output, wide, checked)


@app.command(cls=LedgerCommand)
def payments(
    data: DataOption = None,
    fund: FundOption = None,
    year: Annotated[
        str | None,
        typer.Option("--year", metavar="FY", help="Only payments charged to this financial "
                     "year, such as 2017/18."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="Only payments on or after "
                                 "this day, YYYY-MM-DD.")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="Only payments on or before this "
                                 "day, YYYY-MM-DD.")
    ] = None,
    as_of: AsOfOption = None,
    output: TableFormatOption = None,
    wide: WideOption = False,
    version: VersionOption = False,
) -> None:
    """List the payments made on approved commitments, by date, with their total."""
    from .reports import PaymentFilter, payments_report

    wanted = _parse_year(year)
    first, last = _parse_as_of(start, "--from"), _parse_as_of(end, "--to")
    if first is not None and last is not None and first > last:
        _fail_usage(f"--from {first} is after --to {last}; swap them")
    day = _parse_as_of(as_of)
    checked, ledger = _reportable(data, "listing")
    _check_scope(ledger, fund, wanted)
    chosen = PaymentFilter(fund, wanted, first, last)
    _print_report(payments_report(ledger.on(day), chosen), output, wide, checked)


@app.command(cls=LedgerCommand)
def transfers(
    data: DataOption = None,
    fund: FundOption = None,
    year: YearOption = None,
    as_of: AsOfOption = None,
    output: TableFormatOption = None,
    wide: WideOption = False,
    version: VersionOption = False,
) -> None:
    """List the transfers (virements, carry-forwards, reserve transfers) by date, and the
    balances of the earmarked reserves."""
    from .reports import reserves_report, transfers_report

    wanted = _parse_year(year)
    day = _parse_as_of(as_of)
    checked, ledger = _reportable(data, "listing")
    _check_scope(ledger, fund, wanted)
    ledger = ledger.on(day)
    reports = [transfers_report(ledger, wanted, fund)]
    if ledger.reserves and fund is None:
        reports.append(reserves_report(ledger))
    _print_report(reports, output, wide, checked)


class Granularity(str, Enum):
    month = "month"
    quarter = "quarter"


@app.command(cls=LedgerCommand)
def profile(
    data: DataOption = None,
    year: Annotated[
        str | None,
        typer.Option("--year", metavar="FY", help="The financial year, such as 2017/18 "
                     "(default: the year of the --as-of day or today, else the latest in the "
                     "data)."),
    ] = None,
    fund: FundOption = None,
    by: Annotated[
        Granularity, typer.Option("--by", case_sensitive=False,
                                  help="Months or quarters of the year.")
    ] = Granularity.month,
    as_of: AsOfOption = None,
    output: TableFormatOption = None,
    wide: WideOption = False,
    version: VersionOption = False,
) -> None:
    """The spend profile: planned payments (schedules) against actual payments, per month or
    quarter of a financial year, with running totals and the variance."""
    from .reports import profile_report
    from .scalars import FinancialYear

    wanted = _parse_year(year)
    day = _parse_as_of(as_of)
    checked, ledger = _reportable(data, "profile")
    _check_scope(ledger, fund, wanted)
    if wanted is None:
        years = ledger.years(fund)
        current = FinancialYear.containing(day or date.today())
        wanted = current if current in years else (years[-1] if years else current)
    _print_report(profile_report(ledger.on(day), wanted, fund, by.value), output, wide,
                  checked)


@app.command(cls=LedgerCommand)
def rounds(
    data: DataOption = None,
    output: TableFormatOption = None,
    wide: WideOption = False,
    version: VersionOption = False,
) -> None:
    """List the participatory-budgeting rounds: fund, year, method, projects, votes, winners,
    budget and what was awarded. `pcc-ledger round ID` shows one round's result."""
    from .reports import rounds_report

    checked, ledger = _reportable(data, "listing")
    _print_report(rounds_report(ledger), output, wide, checked)


@app.command("round", cls=LedgerCommand)
def round_result(
    round_id: Annotated[str, typer.Argument(metavar="ID", help="The round's id, such as "
                                            "YCYC-2018 (`pcc-ledger rounds` lists them).")],
    data: DataOption = None,
    write: Annotated[bool, typer.Option(
        "--write", help="Write the winners not yet recorded as approved commitments, to a new "
        "file allocations/YEAR/ID-awards.yaml.")] = False,
    output: TableFormatOption = None,
    wide: WideOption = False,
    version: VersionOption = False,
) -> None:
    """The result of a participatory-budgeting round: every project with its votes, area and
    amount, funded or not and why, within the year's revised allocation and the fund's
    max_awards and max_award.

    Methods: greedy (in order of votes, each project funded if it fits in what is left);
    top-per-area (the per_area most-voted projects of each area, then in order of votes);
    equal-shares (the Method of Equal Shares over the voters' ballots, completed in order of
    votes). Ties: more votes first, then the cheaper project, then the project id.
    """
    from .reports import round_report
    from .rounds import tally_round

    checked, ledger = _reportable(data, "round")
    found = [entry for entry in ledger.rounds if entry.round.id == round_id]
    if not found and round_id in ledger.unread_rounds:
        typer.echo(f"pcc-ledger: round {round_id} cannot be read; `pcc-ledger check` lists its "
                   "errors", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    if not found:
        known = ", ".join(sorted(entry.round.id for entry in ledger.rounds)) or "none"
        _fail_usage(f"no round `{round_id}`; rounds: {known}")
    entry = found[0]
    result = tally_round(ledger, entry)
    if result is None:
        typer.echo(f"pcc-ledger: round {round_id} cannot be counted until its errors are "
                   "fixed; `pcc-ledger check` lists them", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    if write:
        _write_awards(checked, ledger, entry, result)
        return
    _print_report(round_report(ledger, entry, result), output, wide, checked)


def _write_awards(checked: Checked, ledger: Ledger, entry: RoundEntry, result: Tally) -> None:
    """The winners not yet recorded, as approved commitments in a new file: checked with the
    rest of the data first, and refused if they would bring in an error."""
    from . import policy
    from .awards import plan
    from .scalars import format_money

    planned = plan(checked, ledger, entry, result, date.today())
    if planned is None:
        typer.echo(f"pcc-ledger: nothing to write: every winner of round {entry.round.id} has "
                   "its commitment", err=True)
        raise typer.Exit(EXIT_PROBLEMS if policy.fails(checked.problems, False) else EXIT_OK)
    if planned.target.exists() or planned.target.is_symlink():
        _fail_usage(f"{planned.shown} exists already; the winners without a commitment are "
                    + ", ".join(award.project.id for award in planned.made)
                    + ": add them to it by hand, or move it away and write again")
    if planned.brought:
        for problem in sorted(planned.brought, key=lambda p: (p.rule, p.message)):
            typer.echo(f"pcc-ledger: error: {problem.message} [{problem.rule}]", err=True)
        count = len(planned.brought)
        typer.echo(f"pcc-ledger: nothing written: the awards would bring in {count} "
                   f"error{'s' if count > 1 else ''}", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    try:
        planned.target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(planned.target, planned.text.encode("utf-8"))
    except (WriteRefused, OSError) as refusal:
        _fail_usage(str(refusal))
    total = sum((award.project.amount for award in planned.made), Decimal(0))
    made = len(planned.made)
    typer.echo(f"wrote {planned.shown}: {made} commitment{'s' if made > 1 else ''} of round "
               f"{entry.round.id}, {format_money(total)}")
    if policy.fails(planned.problems, False):
        said = count_line(planned.problems, len(checked.loaded.files) + 1)
        typer.echo(f"pcc-ledger: {said}; `pcc-ledger check` lists them", err=True)
        raise typer.Exit(EXIT_PROBLEMS)


# Recording decisions: add, approve, pay, cancel, transfer. Each edits one file in place (see
# recording and yamledit), after checking the whole data with the change made.

ForceChangeOption = Annotated[bool, typer.Option(
    "--force", help="Write the change even if it brings in errors (they are printed, and the "
    "exit status is 1).")]
DryRunOption = Annotated[bool, typer.Option(
    "--dry-run", help="Print the change to the file as a diff, and write nothing.")]
DateOption = Annotated[str | None, typer.Option(
    "--date", metavar="DATE", help="YYYY-MM-DD (default: today).", show_default=False)]


class NewStatus(str, Enum):
    proposed = "proposed"
    approved = "approved"


def _can_prompt() -> bool:
    """Ask for what is missing only of a person at a terminal: never in a script or CI."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _record(data: str | None, make: Callable[[Checked], recording.Change], force: bool,
            dry_run: bool) -> None:
    from . import recording, yamledit
    from .render.problems import render_headlines

    checked = _load_and_check(data)
    try:
        change = make(checked)
    except recording.RecordMissing as error:
        _fail_usage(str(error))
    except yamledit.EditRefused as error:
        typer.echo(f"pcc-ledger: error: {error}", err=True)
        raise typer.Exit(EXIT_PROBLEMS) from None
    tried = recording.attempt(checked, change, date.today())
    brought = render_headlines(sorted(tried.brought))
    if dry_run:
        typer.echo(recording.unified_diff(change), nl=False)
        if brought:
            typer.echo(f"pcc-ledger: this change would bring in {_errors(tried)}:\n{brought}",
                       err=True)
        raise typer.Exit(EXIT_PROBLEMS if tried.brought else EXIT_OK)
    if tried.brought and not force:
        typer.echo(f"pcc-ledger: refused: this change would bring in {_errors(tried)} (lines "
                   f"as the file would be):\n{brought}\nnothing was written; correct the "
                   "values, or pass --force to write it anyway", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    try:
        recording.write(change)
    except (WriteRefused, recording.ChangedMeanwhile) as error:
        typer.echo(f"pcc-ledger: error: {error}", err=True)
        raise typer.Exit(EXIT_PROBLEMS) from None
    typer.echo(f"pcc-ledger: {change.done}", err=True)
    ledger = tried.checked.loaded.ledger
    if ledger is not None and change.fund in ledger.funds.funds and change.year is not None \
            and change.year in ledger.years(change.fund):
        from .reports import summary_report

        _print_report(summary_report(ledger, ledger.select(change.year, change.fund),
                                     with_reserves=False), None)
    if tried.brought:
        typer.echo(f"pcc-ledger: written with --force; it brings in {_errors(tried)}:\n"
                   f"{brought}", err=True)
        raise typer.Exit(EXIT_PROBLEMS)


def _errors(tried: recording.Tried) -> str:
    count = len(tried.brought)
    return f"{count} error" + ("" if count == 1 else "s")


def _asked(given: str | None, label: str, option: str, missing: list[str]) -> str | None:
    if given is not None:
        return given
    if _can_prompt():
        answer: str = typer.prompt(label)
        return answer
    missing.append(option)
    return None


def _field(name: str, metavar: str, help_text: str) -> Any:
    """An option of the record commands: a key of the record, given as text (the checks, not
    the option parser, say what is wrong with a value, in the words `check` uses)."""
    return typer.Option(name, metavar=metavar, help=help_text, show_default=False)


Field = str | None
# What the law asks a PCC to publish of a crime and disorder reduction grant (and what `check`
# asks of an approved commitment of a fund with `grant_details_required`).
PurposeOption = Annotated[Field, _field("--purpose", "TEXT", "What the grant is for.")]
ReasonsOption = Annotated[Field, _field("--reasons", "TEXT", "Why it will help reduce crime "
                                        "and disorder.")]
ConditionOption = Annotated[list[str] | None, _field("--condition", "TEXT", "A condition of "
                                                     "the grant; repeat for each.")]


@app.command(cls=LedgerCommand)
def add(
    record_id: Annotated[Field, _field("--id", "ID", "The commitment's id, unique across the "
                                       "data (e.g. VS-2017-007).")] = None,
    fund: Annotated[Field, _field("--fund", "FUND", "The fund's id.")] = None,
    year: Annotated[Field, _field("--year", "FY", "The financial year, as 2017/18.")] = None,
    recipient: Annotated[Field, _field("--recipient", "NAME", "The recipient's name.")] = None,
    recipient_type: Annotated[Field, _field(
        "--recipient-type", "TYPE", "charity, community-group, voluntary-group, police-officer, "
        "local-authority, health-board, police-service, public-body or company.")] = None,
    recipient_id: Annotated[Field, _field("--recipient-id", "ORG-ID", "Its org-id "
                                          "identifier, as GB-CHC-1234567.")] = None,
    title: Annotated[Field, _field("--title", "TEXT", "What it pays for.")] = None,
    objective: Annotated[Field, _field("--objective", "ID", "The Police and Crime Plan "
                                       "objective's id.")] = None,
    amount: Annotated[Field, _field("--amount", "AMOUNT", "Pounds: 30000, 2750.50 or "
                                    "£56,442.")] = None,
    ring_fence: Annotated[Field, _field("--ring-fence", "ID", "The ring-fence it draws "
                                        "on.")] = None,
    category: Annotated[Field, _field("--category", "SLUG", "The service category.")] = None,
    area: Annotated[Field, _field("--area", "TEXT", "Where its beneficiaries are.")] = None,
    description: Annotated[Field, _field("--description", "TEXT", "More about it.")] = None,
    status: Annotated[NewStatus, typer.Option("--status", case_sensitive=False,
                                              help="proposed or approved.")] = NewStatus.proposed,
    approved: Annotated[Field, _field("--approved", "DATE", "The decision's date (with --status "
                                      "approved; default: today).")] = None,
    decision: Annotated[Field, _field("--decision", "REF", "The decision's reference.")] = None,
    purpose: PurposeOption = None,
    reasons: ReasonsOption = None,
    conditions: ConditionOption = None,
    note: Annotated[Field, _field("--note", "TEXT", "A note kept with the record.")] = None,
    data: DataOption = None,
    force: ForceChangeOption = False,
    dry_run: DryRunOption = False,
    version: VersionOption = False,
) -> None:
    """Record a new commitment in allocations/YEAR/FUND.yaml (made if missing), after
    checking the data with it; then print its fund's position for the year.

    Every key is an option; on a terminal, those missing are asked for. A change that would
    bring in an error (over-commitment, the award cap, an unknown fund...) is refused unless
    --force. Exit status: 0 written; 1 refused (or written with --force, with errors); 2 usage.
    """
    from . import recording

    missing: list[str] = []
    record_id = _asked(record_id, "Id", "--id", missing)
    fund = _asked(fund, "Fund", "--fund", missing)
    year = _asked(year, "Financial year (as 2017/18)", "--year", missing)
    recipient = _asked(recipient, "Recipient's name", "--recipient", missing)
    recipient_type = _asked(recipient_type, "Recipient type", "--recipient-type", missing)
    title = _asked(title, "Title", "--title", missing)
    objective = _asked(objective, "Objective", "--objective", missing)
    amount = _asked(amount, "Amount (£)", "--amount", missing)
    if missing:
        _fail_usage(f"missing {', '.join(missing)} (there is no terminal to ask on)")
    if status is NewStatus.proposed and approved is not None:
        _fail_usage("--approved is the date of an approval: give --status approved too")
    if status is NewStatus.approved and approved is None:
        approved = date.today().isoformat()
    fields = {
        "id": record_id, "fund": fund, "year": year, "ring_fence": ring_fence,
        "recipient": {"name": recipient, "type": recipient_type, "id": recipient_id},
        "title": title, "description": description, "area": area, "category": category,
        "objective": objective, "amount": amount, "status": status.value, "approved": approved,
        "decision": decision, "purpose": purpose, "reasons": reasons,
        "conditions": conditions or None, "note": note,
    }
    _record(data, lambda checked: recording.new_commitment(checked, fields), force, dry_run)


IdArgument = Annotated[str, typer.Argument(metavar="ID", help="The commitment's id.",
                                           show_default=False)]


@app.command(cls=LedgerCommand)
def approve(
    record_id: IdArgument,
    day: DateOption = None,
    decision: Annotated[str | None, typer.Option("--decision", metavar="REF", help="The decision's "
                                                 "reference, as PCC decision 2017/31.")] = None,
    purpose: PurposeOption = None,
    reasons: ReasonsOption = None,
    conditions: ConditionOption = None,
    data: DataOption = None,
    force: ForceChangeOption = False,
    dry_run: DryRunOption = False,
    version: VersionOption = False,
) -> None:
    """Approve a commitment: `status: approved`, the decision's date and reference (and the
    grant's purpose, reasons and conditions, where given), in the file that holds it (nothing
    else in the file changes)."""
    from . import recording

    when = _given_date(day)
    details = {key: text for key, text in (("purpose", purpose), ("reasons", reasons))
               if text is not None}
    _record(data, lambda checked: recording.approve(checked, record_id, when, decision,
                                                    details, conditions), force, dry_run)


@app.command(cls=LedgerCommand)
def pay(
    record_id: IdArgument,
    amount: Annotated[str, typer.Argument(metavar="AMOUNT", help="Pounds: 15000, 2750.50 or "
                                          "£15,000.", show_default=False)],
    day: DateOption = None,
    reference: Annotated[Field, _field("--reference", "REF", "The payment's reference (an "
                                       "invoice, a BACS run).")] = None,
    data: DataOption = None,
    force: ForceChangeOption = False,
    dry_run: DryRunOption = False,
    version: VersionOption = False,
) -> None:
    """Record a payment on a commitment, under its `payments:` (in the style of those
    there)."""
    from . import recording

    when = _given_date(day)
    if recording.amount(amount) == "0":
        _fail_usage("a payment of £0.00 records nothing; give the amount paid")
    _record(data, lambda checked: recording.pay(checked, record_id, amount, when, reference),
            force, dry_run)


@app.command(cls=LedgerCommand)
def cancel(
    record_id: IdArgument,
    data: DataOption = None,
    force: ForceChangeOption = False,
    dry_run: DryRunOption = False,
    version: VersionOption = False,
) -> None:
    """Cancel a commitment: `status: cancelled` (it stays in the file, as the record of a
    decision undone)."""
    from . import recording

    _record(data, lambda checked: recording.cancel(checked, record_id), force, dry_run)


@app.command(cls=LedgerCommand)
def transfer(
    record_id: Annotated[Field, _field("--id", "ID", "The transfer's id, unique across the "
                                       "data.")] = None,
    amount: Annotated[Field, _field("--amount", "AMOUNT", "Pounds.")] = None,
    day: DateOption = None,
    from_fund: Annotated[Field, _field("--from-fund", "FUND", "The fund it comes from.")] = None,
    from_year: Annotated[Field, _field("--from-year", "FY", "Of that fund's year.")] = None,
    from_ring_fence: Annotated[Field, _field("--from-ring-fence", "ID", "Out of a ring-fence "
                                             "(a policy error unless tuned).")] = None,
    from_reserve: Annotated[Field, _field("--from-reserve", "RESERVE", "Or: the reserve it "
                                          "comes from.")] = None,
    to_fund: Annotated[Field, _field("--to-fund", "FUND", "The fund it goes to.")] = None,
    to_year: Annotated[Field, _field("--to-year", "FY", "Of that fund's year.")] = None,
    to_ring_fence: Annotated[Field, _field("--to-ring-fence", "ID", "Into a ring-fence of "
                                           "it.")] = None,
    to_reserve: Annotated[Field, _field("--to-reserve", "RESERVE", "Or: the reserve it goes "
                                        "to.")] = None,
    decision: Annotated[Field, _field("--decision", "REF", "The decision's reference.")] = None,
    reason: Annotated[Field, _field("--reason", "TEXT", "Why the money moves.")] = None,
    data: DataOption = None,
    force: ForceChangeOption = False,
    dry_run: DryRunOption = False,
    version: VersionOption = False,
) -> None:
    """Record a transfer (a virement, a carry-forward, a move into or out of a reserve) in
    allocations/YEAR/transfers.yaml, after checking the data with it.

    Each end is a fund and year (and a ring-fence, for the receiving end) or a reserve.
    """
    from . import recording

    missing: list[str] = []
    record_id = _asked(record_id, "Id", "--id", missing)
    amount = _asked(amount, "Amount (£)", "--amount", missing)
    when = _given_date(day)
    ends = []
    for side, fund, year, fence, reserve in (
            ("from", from_fund, from_year, from_ring_fence, from_reserve),
            ("to", to_fund, to_year, to_ring_fence, to_reserve)):
        if reserve is not None and (fund or year or fence):
            _fail_usage(f"--{side}-reserve names a whole end; give it without --{side}-fund, "
                        f"--{side}-year or --{side}-ring-fence")
        if reserve is None and fund is None and year is None:
            fund = _asked(None, f"{side.capitalize()}: fund", f"--{side}-fund", missing)
            year = _asked(None, f"{side.capitalize()}: year", f"--{side}-year", missing)
        ends.append({"reserve": reserve} if reserve is not None
                    else {"fund": fund, "year": year, "ring_fence": fence})
    if missing:
        _fail_usage(f"missing {', '.join(missing)} (there is no terminal to ask on)")
    fields = {"id": record_id, "date": when, "from": ends[0], "to": ends[1], "amount": amount,
              "decision": decision, "reason": reason}
    folder_year = ends[0].get("year") or ends[1].get("year") or _year_of(when)
    _record(data, lambda checked: recording.new_transfer(checked, fields, str(folder_year)),
            force, dry_run)


def _given_date(text: str | None) -> str:
    return date.today().isoformat() if text is None else text


def _year_of(day: str) -> str:
    from .scalars import FinancialYear

    try:
        return str(FinancialYear.containing(date.fromisoformat(day)))
    except ValueError:
        _fail_usage(f"--date: `{day}` is not a date written YYYY-MM-DD")


export_app = typer.Typer(
    help="Write the ledger for other tools: a spreadsheet, a beancount or hledger journal, "
    "360Giving open data.",
    no_args_is_help=True,
    cls=LedgerGroup,
)
app.add_typer(export_app, name="export")


@export_app.callback()
def export(version: VersionOption = False) -> None:
    pass  # only --version: the group's help is export_app's

FileArgument = Annotated[
    Path, typer.Argument(metavar="FILE", help="The file to write ('-' for standard output).")
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace FILE if it exists.")
]


AllowProblemsOption = Annotated[bool, typer.Option(
    "--allow-problems",
    help="Write even though `check` finds errors in the limits and rules (errors that make the "
    "data unreadable always stop it).")]


def _exportable(data: str | None, what: str, allow_problems: bool,
                target: Path | None = None, force: bool = False) -> tuple[Checked, Ledger]:
    """Like `_reportable`, but stricter: what leaves the tool (a file, a published page) is
    not made from data with errors unless the user says so; warnings are said, and pass.
    A target that cannot be written is refused first, before any work."""
    from . import policy
    if target is not None and str(target) != "-":
        _refuse_inside_data(target, Path(data_directory(data)))
        try:
            check_writable(target, force=force)
        except WriteRefused as refusal:
            _fail_usage(str(refusal))
    checked, ledger = _reportable(data, what)
    count = count_line(checked.problems, len(checked.loaded.files))
    if policy.fails(checked.problems, strict=False) and not allow_problems:
        typer.echo(
            f"pcc-ledger: {count}, so no {what} is written; fix them (`pcc-ledger check` lists "
            "them), or pass --allow-problems to write it all the same",
            err=True,
        )
        raise typer.Exit(EXIT_PROBLEMS)
    if checked.problems:
        typer.echo(f"pcc-ledger: {count}; `pcc-ledger check` lists them", err=True)
    return checked, ledger


def _write(target: Path, content: bytes, force: bool, checked: Checked) -> None:
    """Write atomically, never over an existing file without --force, and never into the data
    directory, even with it; '-' is standard output."""
    if str(target) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    _refuse_inside_data(target, checked.loaded.root, checked.loaded.paths)
    try:
        write_atomically(target, content, force=force)
    except WriteRefused as refusal:
        _fail_usage(str(refusal))
    typer.echo(f"wrote {target}", err=True)


def _resolved(path: Path) -> Path:
    """The real place a path names; a loop of links is a usage error, not a crash."""
    try:
        return path.resolve()
    except (OSError, RuntimeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "a loop " \
            "of symbolic links"
        _fail_usage(f"{path}: {reason}; name another place")


def _refuse_inside_data(target: Path, root: Path, files: list[Path] | None = None) -> None:
    """The data directory holds only data: no export is written into it (not even over a data
    file reached through a link from outside)."""
    data_root = _resolved(root)
    place = _resolved(target.parent) / target.name
    if place == data_root or data_root in place.parents or _resolved(place) in {
        _resolved(path) for path in files or []
    }:
        _fail_usage(f"{target} is inside the data directory {root}, which holds only data; "
                    "write the export somewhere else")


def _last_modified(checked: Checked) -> datetime:
    from .provenance import ImpossibleTime, last_modified

    try:
        return last_modified(checked.loaded.paths, checked.loaded.files)
    except ImpossibleTime as fault:
        typer.echo(f"pcc-ledger: error: {fault}", err=True)
        raise typer.Exit(EXIT_PROBLEMS) from None


@export_app.command("xlsx", cls=LedgerCommand)
def export_xlsx(
    file: FileArgument,
    data: DataOption = None,
    force: ForceOption = False,
    allow_problems: AllowProblemsOption = False,
    version: VersionOption = False,
) -> None:
    """An Excel workbook: summary, commitments, payments and year-end sheets; amounts as £
    numbers, no formulas, formula-like text kept inert."""
    if str(file) == "-" and _stdout_is_terminal():
        _fail_usage("a workbook is binary, not for a terminal: name a file to write, or "
                    "send standard output to one (`... export xlsx - > ledger.xlsx`)")
    checked, ledger = _exportable(data, "workbook", allow_problems, file, force)
    # Imported here: only this command writes a workbook.
    from .export.xlsx import workbook_bytes

    _write(file, workbook_bytes(ledger, date.today()), force, checked)


@export_app.command("beancount", cls=LedgerCommand)
def export_beancount(
    file: FileArgument,
    data: DataOption = None,
    force: ForceOption = False,
    allow_problems: AllowProblemsOption = False,
    version: VersionOption = False,
) -> None:
    """A beancount journal (open it in Fava): allocations, commitments and payments, with
    fund, year and ring-fence in the account names; its balances equal `summary`."""
    from .export.journal import beancount_journal

    checked, ledger = _exportable(data, "journal", allow_problems, file, force)
    _write(file, beancount_journal(ledger).encode("utf-8"), force, checked)


@export_app.command("hledger", cls=LedgerCommand)
def export_hledger(
    file: FileArgument,
    data: DataOption = None,
    force: ForceOption = False,
    allow_problems: AllowProblemsOption = False,
    version: VersionOption = False,
) -> None:
    """An hledger journal of the same transactions as the beancount export."""
    from .export.journal import hledger_journal

    checked, ledger = _exportable(data, "journal", allow_problems, file, force)
    _write(file, hledger_journal(ledger).encode("utf-8"), force, checked)


def _open_data(checked: Checked, ledger: Ledger, year: FinancialYear | None,
               validate: bool) -> tuple[list[threesixty.Grant], dict[str, object]]:
    from .export import threesixty
    from .rules import make_problem

    modified = _last_modified(checked)
    try:
        found = threesixty.grants(ledger, modified, year)
    except threesixty.NoPublisherPrefix as missing:
        _fail_usage(str(missing))
    if not found:
        _fail_usage("no approved commitments to publish" + (f" in {year}" if year else ""))
    document = threesixty.package(ledger, found, date.today())
    for caution in threesixty.publishing_cautions(ledger, found):
        typer.echo(f"pcc-ledger: warning: {caution}", err=True)
    if validate:
        text = threesixty.to_json(document)
        errors = threesixty.validation_errors(json.loads(text, parse_float=Decimal))
        if errors:
            from .render.problems import CheckOutput, render_text

            problems = [
                make_problem(
                    "open-data-invalid",
                    found[index].entry.at() if index is not None else Location("360Giving"),
                    f"{'' if index is None else found[index].record['id'] + ': '}{message}",
                )
                for index, message in errors
            ]
            typer.echo(render_text(CheckOutput(sorted(problems), len(checked.loaded.files),
                                               EXIT_PROBLEMS)), err=True)
            raise typer.Exit(EXIT_PROBLEMS)
    return found, document


@export_app.command("360giving", cls=LedgerCommand)
def export_360giving(
    file: Annotated[Path, typer.Argument(
        metavar="FILE", help="FILE.json for the package, FILE.csv for the flattened form "
        "('-' for the JSON on standard output).")],
    data: DataOption = None,
    year: YearOption = None,
    validate: Annotated[bool, typer.Option(
        "--validate", help="Check the grants against the official 360Giving schema first.")
    ] = False,
    force: ForceOption = False,
    allow_problems: AllowProblemsOption = False,
    version: VersionOption = False,
) -> None:
    """What was funded, as 360Giving open data: the approved commitments of a year (or all
    years), as a JSON package or the flattened CSV."""
    from .export import threesixty

    wanted = _parse_year(year)
    if str(file) != "-" and file.suffix.lower() not in (".json", ".csv"):
        _fail_usage(f"{file}: name a .json file (the package) or a .csv file (flattened)")
    checked, ledger = _exportable(data, "open data", allow_problems, file, force)
    found, document = _open_data(checked, ledger, wanted, validate)
    if file.suffix.lower() == ".csv":
        _write(file, threesixty.flat_csv(found).encode("utf-8"), force, checked)
    else:
        _write(file, (threesixty.to_json(document) + "\n").encode("utf-8"), force, checked)


PUBLISHED = ("index.html", "cy/index.html", "360giving.json", "360giving.csv",
             "grants-register.csv", "decisions.csv")


@app.command(cls=LedgerCommand)
def publish(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="The folder to write.")],
    data: DataOption = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace what is in DIR if it is not empty.")] = False,
    allow_problems: AllowProblemsOption = False,
    version: VersionOption = False,
) -> None:
    """A static folder for the website: index.html (each year's funds and funded projects,
    the grants register and the decisions) and its Welsh twin cy/index.html, 360giving.json
    and 360giving.csv, validated against the 360Giving schema first, grants-register.csv and
    decisions.csv."""
    from .export import registers, threesixty
    from .export.page import transparency_pages

    target = _resolved(directory)
    data_root = _resolved(Path(data_directory(data)))
    for precious, what in ((data_root, "the data directory"),
                           (Path.cwd().resolve(), "the current directory")):
        if target == precious or target in precious.parents:
            _fail_usage(f"{directory} holds {what}; publishing there would replace it: name "
                        "a folder of its own, such as site/")
    if data_root in target.parents:
        _fail_usage(f"{directory} is inside the data directory; publish outside it, such as "
                    "site/")
    try:  # before any work, so a refusal comes first and alone
        check_replaceable(directory, set(PUBLISHED), force=force)
    except WriteRefused as refusal:
        _fail_usage(str(refusal))
    checked, ledger = _exportable(data, "page", allow_problems)
    found, document = _open_data(checked, ledger, None, validate=True)
    pages = transparency_pages(ledger, found, _last_modified(checked))
    files = {
        PUBLISHED[0]: pages["index.html"].encode("utf-8"),
        PUBLISHED[1]: pages["cy/index.html"].encode("utf-8"),
        PUBLISHED[2]: (threesixty.to_json(document) + "\n").encode("utf-8"),
        PUBLISHED[3]: threesixty.flat_csv(found).encode("utf-8"),
        PUBLISHED[4]: registers.grants_register_csv(ledger).encode("utf-8"),
        PUBLISHED[5]: registers.decisions_csv(ledger).encode("utf-8"),
    }
    try:
        write_directory_atomically(directory, files, force=force)
    except WriteRefused as refusal:
        _fail_usage(str(refusal))
    typer.echo(f"wrote {directory}/: " + ", ".join(files), err=True)


@app.command(cls=LedgerCommand)
def schema(
    kind: Annotated[str | None, typer.Argument(
        metavar="KIND", show_default=False, autocompletion=_completing("funds", "commitments"),
        help="funds (funds.yaml) or commitments (the files below allocations/), in any case; "
        "without it, one schema for either.")] = None,
    data: DataOption = None,
    version: VersionOption = False,
) -> None:
    """JSON Schema (draft 2020-12) of the data files, for an editor or check-jsonschema.

    The commitments schema lists the fund, objective, ring-fence and reserve ids of the data
    (--data DIR, else $PCC_LEDGER_DATA, else ./data if it has a funds.yaml), so that an editor
    completes them; with no data, it takes any.

    Exit status: 0 written; 1 funds.yaml cannot be read; 2 usage error (an unknown KIND, no
    data directory where one is named).
    """
    from . import jsonschema_export as export

    wanted = None if kind is None else kind.lower()
    if wanted is not None and wanted not in export.KINDS:
        _fail_usage(f"no schema for `{kind}`; write funds or commitments")
    ids = None
    if wanted != "funds":  # funds.yaml names no ids of another file
        try:
            ids = export.read_ids(data_directory(data))
        except NoData as error:
            if data is not None or os.environ.get(ENV_DATA):  # named, so it must be there
                _fail_usage(str(error))
        except export.UnreadableFunds as unreadable:
            from .render.problems import CheckOutput, render_text

            typer.echo(render_text(CheckOutput(sorted(unreadable.problems), 1, EXIT_PROBLEMS)),
                       err=True)
            typer.echo(f"pcc-ledger: {unreadable.file} cannot be read, so no schema with its ids "
                       "is written; fix it first (`pcc-ledger check` lists every problem)",
                       err=True)
            raise typer.Exit(EXIT_PROBLEMS) from None
    sys.stdout.write(export.to_json(export.schema(wanted, ids)))
    sys.stdout.flush()


@app.command(cls=LedgerCommand)
def init(
    directory: Annotated[Path, typer.Argument(
        metavar="DIR", help="The folder to make: new, empty, or holding only .git.")],
    version: VersionOption = False,
) -> None:
    """A new data repository that passes `check` at once: a commented data/funds.yaml, the
    JSON Schemas bound in the editor, pre-commit, yamllint and GitHub Actions set up.

    Exit status: 0 made; 2 DIR is not empty or cannot be written (nothing is written).
    """
    from . import datarepo
    from .textsafety import shown_path

    files = datarepo.repository(date.today(), datarepo.install_requirement())
    try:
        datarepo.write(directory, files)
    except datarepo.Refused as refusal:
        _fail_usage(str(refusal))
    git = datarepo.git_init(directory)
    said = [f"made a pcc-ledger data repository in {shown_path(str(directory))}:",
            *(f"  {name}" for name in files)]
    if git.ok:
        said.append(git.message)
    else:  # the repository is made all the same; git can come later
        typer.echo(f"pcc-ledger: warning: {git.message}", err=True)
    steps = datarepo.next_steps(directory)
    typer.echo("\n".join([*said, "", "next:", *(f"  {step}" for step in steps)]))


@app.command(cls=LedgerCommand)
def reviews(
    data: DataOption = None,
    year: Annotated[
        str | None,
        typer.Option("--year", metavar="FY", help="Only commitments charged to this financial "
                     "year, such as 2017/18."),
    ] = None,
    fund: FundOption = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE",
                     help="The reviews as they stood on this day, YYYY-MM-DD: commitments "
                     "approved and reviews dated on or before it (default: today)."),
    ] = None,
    output: TableFormatOption = None,
    wide: WideOption = False,
    version: VersionOption = False,
) -> None:
    """The review stage: per plan objective and fund, the approved commitments, how many were
    reviewed and with what result (met, partly met, not met: the latest review), how many are
    overdue and not yet due; then each overdue commitment and when its review was due.

    A review is due `review-due-months` (in funds.yaml's `checks:`; default 6) after the end of
    the last year a commitment is charged to. Findings are not shown."""
    from .reports import reviews_report

    wanted = _parse_year(year)
    day = _parse_as_of(as_of) or date.today()
    checked, ledger = _reportable(data, "report", day)
    _check_scope(ledger, fund, wanted)
    _print_report(reviews_report(ledger, day, wanted, fund), output, wide, checked)


def _print_report(reports: Report | list[Report], output: TableFormat | None,
                  wide: bool = False, checked: Checked | None = None,
                  funds_only: bool = False) -> None:
    """Print the reports in the chosen format. When the data has errors they are printed
    anyway, from every record that could be read, marked incomplete, and the exit status is 1."""
    from .completeness import incompleteness

    sections = reports if isinstance(reports, list) else [reports]
    incomplete = None if checked is None else incompleteness(checked, funds_only)
    chosen = output or (TableFormat.table if _wants_rich() else TableFormat.plain)
    if chosen is TableFormat.table:
        from rich.console import Console

        from .render.rich_table import fit_reports

        # --color always: Rich's colours into a pipe too (a CI log that shows them).
        forced = True if _colour is ColourChoice.always else None
        console = Console(force_terminal=forced)
        fitted = fit_reports(sections, console.width, wide,
                             incomplete.message() if incomplete else None)
        if fitted.width > console.width:  # --wide: the terminal wraps, Rich must not
            console = Console(width=fitted.width, force_terminal=forced)
        console.print(fitted.renderable, crop=False)
    else:
        from .render.reports import renderer

        text = renderer(chosen.value)(sections, incomplete)
        if chosen is TableFormat.plain:
            # As it is: the plain renderer escapes every terminal control, so there is
            # nothing for click.echo to strip (its scan is noticeable on a long listing).
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        else:
            typer.echo(text)
        if incomplete and chosen in (TableFormat.csv, TableFormat.tsv):
            typer.echo(f"pcc-ledger: {incomplete.message()}", err=True)
    if checked is not None:
        _mention_problems(checked)
    if incomplete:
        raise typer.Exit(EXIT_PROBLEMS)


@app.command(cls=LedgerCommand)
def diff(
    revision: Annotated[str | None, typer.Argument(
        metavar="REV", help="The revision before: a commit, branch or tag (default: HEAD; in a "
        "GitHub Actions pull request, its merge base with origin/$GITHUB_BASE_REF).",
        show_default=False)] = None,
    revision2: Annotated[str | None, typer.Argument(
        metavar="REV2", help="The revision after (default: the working tree).",
        show_default=False)] = None,
    output: Annotated[str, typer.Option(
        "--format", metavar="FORMAT", autocompletion=_completing("text", "markdown", "json"),
        help="text, markdown (a pull-request comment) or json "
        "(default: text).", show_default=False)] = "text",
    data: DataOption = None,
    version: VersionOption = False,
) -> None:
    """What a change to the data does to the budget, between two git revisions, read from git
    without a checkout: per fund, year and part the change in allocation, committed, paid and
    available; the commitments, payments and transfers added, changed and removed; the
    problems introduced and fixed.

    Exit status: 0, changes or not (and whatever problems either side's data has); 2 usage
    error (outside a git repository, an unknown revision, a revision without the data).
    """
    from .budgetdiff import budget_diff
    from .cache import FileCache, default_directory, writes_by_default
    from .gitrevision import RevisionRefused
    from .render.diff import DIFF_FORMATS

    render = DIFF_FORMATS.get(output.lower())
    if render is None:
        _fail_usage(f"--format: `{output}` is not a format of diff; use text, markdown or json")
    cache = None if _cache_refused else FileCache(default_directory(), writes_by_default())
    try:
        found = budget_diff(data_directory(data), revision, revision2, date.today(), os.environ,
                            cache)
    except (RevisionRefused, NoData) as refusal:
        _fail_usage(str(refusal))
    typer.echo(render(found))


def main() -> None:
    """The console script. A bug must not show a user a traceback, but must still be reported."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # `pcc-ledger ... | head`: the reader has all it wanted
        sys.exit(141)
    except OSError as error:  # standard output is full, or gone
        cannot_write(error)
    except Exception as error:  # noqa: BLE001 - the last line of defence
        if _debugging():
            traceback.print_exc()
        typer.echo(
            f"pcc-ledger: internal error ({type(error).__name__}: {error}); this is a bug, "
            "please report it with the command you ran",
            err=True,
        )
        sys.exit(70)
