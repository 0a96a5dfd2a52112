"""Problems are values: what is wrong, where, and how bad.

Checks never raise for something the user can fix; they yield a `Problem` and the run goes on,
so one `pcc-ledger check` reports everything at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from functools import total_ordering
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .scalars import FinancialYear


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Resolver(Protocol):
    def resolve(self) -> None: ...


@total_ordering
class Location:
    """A place in a data file; line and column count from 1, as editors do (0: the whole file).

    A location inside a parsed document may be *pending*: its line and column are found the
    first time anyone asks, together with every other pending location of the same file, in one
    pass over that file (see yamlsource.Document). A clean run never pays for line numbers.
    """

    __slots__ = ("_column", "_line", "_resolver", "file")

    def __init__(
        self, file: str, line: int = 0, column: int = 0, resolver: Resolver | None = None
    ) -> None:
        self.file = file
        self._line = line
        self._column = column
        self._resolver = resolver

    def settle(self, line: int, column: int) -> None:
        self._line, self._column, self._resolver = line, column, None

    def _resolved(self) -> tuple[int, int]:
        if self._resolver is not None:
            self._resolver.resolve()
        return self._line, self._column

    @property
    def line(self) -> int:
        return self._resolved()[0]

    @property
    def column(self) -> int:
        return self._resolved()[1]

    def _key(self) -> tuple[str, int, int]:
        return (self.file, *self._resolved())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Location) and self._key() == other._key()

    def __lt__(self, other: Location) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Location({self.file!r}, {self.line}, {self.column})"

    def __str__(self) -> str:
        line, column = self._resolved()
        return self.file if line <= 0 else f"{self.file}:{line}:{column}"


@dataclass(frozen=True, order=True)
class Problem:
    # Field order is the sort order: by file, then line and column, then rule.
    location: Location
    rule: str
    message: str
    severity: Severity = Severity.ERROR
    # The financial year the problem concerns, where it has one (for the year-end report).
    year: FinancialYear | None = field(default=None, compare=False)
    # For a bug report only (a traceback); shown with --debug, never in the normal output.
    detail: str | None = field(default=None, compare=False, repr=False)

    def with_detail(self, detail: str) -> Problem:
        return replace(self, detail=detail)

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
