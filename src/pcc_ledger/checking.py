"""One call from a data directory to the final list of problems: load, check, apply the data's
own severity settings. The CLI, the pre-commit hook and every report go through here."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from . import policy
from .cache import FileCache
from .checks import Context, run_checks
from .loader import LoadResult, Progress, load
from .problems import Problem


@dataclass
class Checked:
    loaded: LoadResult
    problems: list[Problem]


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Loading makes millions of objects that all live on (the ledger), and none of them in
    cycles to collect: Python's cyclic garbage collector would scan them again and again as
    they accumulate, a third of a large load's time. It is switched off for the load and the
    checks, and back on (if it was on) after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_directory(directory: str, as_of: date, progress: Progress | None = None,
                    cache: FileCache | None = None) -> Checked:
    with _without_cycle_collection():
        loaded = load(directory, progress, cache)
        checks = run_checks(loaded.entries, loaded.ledger, Context(as_of), loaded.transfers)
        found = [*loaded.problems, *checks]
        problems = policy.apply(found, loaded.settings)
    return Checked(loaded, problems)
