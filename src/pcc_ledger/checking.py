"""One call from a data directory to the final list of problems: load, check, apply the data's
own severity settings. The CLI, the pre-commit hook and every report go through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import policy
from .checks import Context, run_checks
from .loader import LoadResult, load
from .problems import Problem


@dataclass
class Checked:
    loaded: LoadResult
    problems: list[Problem]


def check_directory(directory: str, as_of: date) -> Checked:
    loaded = load(directory)
    checks = run_checks(loaded.entries, loaded.ledger, Context(as_of), loaded.transfers)
    found = [*loaded.problems, *checks]
    return Checked(loaded, policy.apply(found, loaded.settings))
