"""Problems are values: what is wrong, where, and how bad.

Checks never raise for something the user can fix; they yield a `Problem` and the run goes on,
so one `pcc-ledger check` reports everything at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a data file; line and column count from 1, as editors do."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    # Field order is the sort order: by file, then line and column, then rule.
    location: Location
    rule: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value}: {self.message} [{self.rule}]"


def count_line(problems: list[Problem], files: int) -> str:
    """The closing line of `check`: "2 errors, 1 warning in 5 files" or "no problems in 5 files"."""
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    where = f"in {files} file" + ("" if files == 1 else "s")
    parts = []
    if errors:
        parts.append(f"{errors} error" + ("" if errors == 1 else "s"))
    if warnings:
        parts.append(f"{warnings} warning" + ("" if warnings == 1 else "s"))
    return f"{', '.join(parts) or 'no problems'} {where}"
