"""`check` output, one renderer per format; each takes the same sorted problems.

- text: `path:line:col: severity: message [rule]`, the source line with a caret under the
  column (as rustc and hledger show it), then the count line. Colour only when asked.
- github: workflow commands that GitHub Actions turns into annotations on the diff.
- json: a stable object for scripts (documented in the README; `version` changes if it does).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import typer

from ..problems import Problem, Severity, count_line
from ..textsafety import escape_controls

# Problems about the file as a whole, or whose line is not text worth printing.
_NO_SNIPPET = {"file-unreadable", "file-too-large", "file-binary", "file-encoding"}
_SNIPPET_WIDTH = 120


@dataclass(frozen=True)
class CheckOutput:
    problems: list[Problem]  # sorted
    files: int
    exit_status: int
    suppressed: list[Problem] = field(default_factory=list)  # sorted; ignored by a comment
    quiet: bool = False  # the problems only: no count line

    def closing(self) -> list[str]:
        """The count line, unless quiet: "2 errors in 7 files (1 suppressed)"."""
        if self.quiet:
            return []
        line = count_line(self.problems, self.files)
        if self.suppressed:
            line += f" ({len(self.suppressed)} suppressed)"
        return [line]


class _Sources:
    """The lines that problems point at, each file read once, keeping only those lines (a
    file of 100,000 commitments with one problem costs one line of memory, not the file)."""

    def __init__(self, problems: list[Problem]) -> None:
        wanted: dict[str, set[int]] = {}
        for problem in problems:
            if problem.location.line > 0 and problem.rule not in _NO_SNIPPET:
                wanted.setdefault(problem.location.file, set()).add(problem.location.line)
        self._lines = {
            (file, number): text
            for file, numbers in wanted.items()
            for number, text in read_lines(file, numbers)
        }

    def line(self, file: str, number: int) -> str | None:
        return self._lines.get((file, number))


def read_lines(file: str | Path, numbers: set[int]) -> Iterator[tuple[int, str]]:
    last = max(numbers)
    try:
        # Universal newlines count \n, \r\n and a lone \r as line breaks, as YAML does.
        with open(file, encoding="utf-8-sig", errors="replace") as source:
            for number, text in enumerate(source, start=1):
                if number in numbers:
                    yield number, text.rstrip("\r\n")
                if number >= last:
                    return
    except OSError:
        return


def _snippet(line: str, column: int) -> tuple[str, str]:
    """The source line (a window of it, if long) and the caret line under `column`."""
    start = 0
    if len(line) > _SNIPPET_WIDTH:
        start = max(0, min(column - 1 - _SNIPPET_WIDTH // 2, len(line) - _SNIPPET_WIDTH))
        line = line[start : start + _SNIPPET_WIDTH]
    # Keep tabs as tabs so the caret lines up however the terminal draws them; a character
    # shown escaped takes the width of its escape.
    lead = "".join("\t" if char == "\t" else " " * len(escape_controls(char))
                   for char in line[: max(column - 1 - start, 0)])
    return escape_controls(line), lead + "^"


def render_text(output: CheckOutput, color: bool = False) -> str:
    problems = output.problems
    sources = _Sources(problems)
    lines = []
    for index, problem in enumerate(problems):
        lines.append(_headline(problem, color))
        where = problem.location
        following = problems[index + 1].location if index + 1 < len(problems) else None
        source = None
        # Several problems at one place (missing keys, say) share one snippet, after the last.
        if where.line > 0 and problem.rule not in _NO_SNIPPET and following != where:
            source = sources.line(where.file, where.line)
        if source is not None:
            code, caret = _snippet(source, where.column)
            gutter = " " * len(str(where.line))
            tint = "red" if problem.severity is Severity.ERROR else "yellow"
            if color:
                caret = typer.style(caret, fg=tint, bold=True)
            lines.append(f" {where.line} | {code}")
            lines.append(f" {gutter} | {caret}")
    lines.extend(output.closing())
    return "\n".join(lines)


def render_headlines(problems: list[Problem]) -> str:
    """Each problem on one line, indented, without the source line (for a change not written:
    the file on disk does not hold the lines the problems point at)."""
    return "\n".join(f"  {_one_line(str(problem))}" for problem in problems)


def _one_line(text: str) -> str:
    """A message on one line, whatever the data put in it (a value can hold a line break),
    and nothing in it that could drive a terminal."""
    return escape_controls(text.replace("\r", "\\r").replace("\n", "\\n"))


def _headline(problem: Problem, color: bool) -> str:
    if not color:
        return _one_line(str(problem))
    tint = "red" if problem.severity is Severity.ERROR else "yellow"
    return (
        typer.style(f"{problem.location}:", bold=True)
        + " "
        + typer.style(f"{problem.severity.value}:", fg=tint, bold=True)
        + f" {_one_line(problem.message)} "
        + typer.style(f"[{problem.rule}]", dim=True)
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(output: CheckOutput, color: bool = False) -> str:
    lines = []
    for problem in output.problems:
        where = problem.location
        fields = [f"file={_escape_property(where.file)}"]
        if where.line > 0:
            fields += [f"line={where.line}", f"col={where.column}"]
        fields.append(f"title={_escape_property(problem.rule)}")
        lines.append(f"::{problem.severity.value} {','.join(fields)}::"
                     f"{escape_controls(_escape_data(problem.message))}")
    lines.extend(output.closing())
    return "\n".join(lines)


def _as_json(problem: Problem) -> dict[str, object]:
    return {
        "file": problem.location.file,
        "line": problem.location.line,
        "column": problem.location.column,
        "severity": problem.severity.value,
        "rule": problem.rule,
        "message": escape_controls(problem.message),
    }


def render_json(output: CheckOutput, color: bool = False) -> str:
    errors = sum(1 for p in output.problems if p.severity is Severity.ERROR)
    document = {
        "version": 1,
        "files": output.files,
        "counts": {"errors": errors, "warnings": len(output.problems) - errors,
                   "suppressed": len(output.suppressed)},
        "exit_status": output.exit_status,
        "problems": [_as_json(p) for p in output.problems],
        # Ignored by a `# pcc-ledger: ignore[…]` comment: not counted, never failing a run.
        "suppressed": [_as_json(p) for p in output.suppressed],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


CHECK_FORMATS: dict[str, Callable[[CheckOutput, bool], str]] = {
    "text": render_text,
    "github": render_github,
    "json": render_json,
}
