"""One call from a data directory to the final list of problems: load, check, apply the data's
own severity settings. The CLI, the pre-commit hook and every report go through here."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from . import policy, suppressions
from .cache import FileCache
from .checks import Context, run_checks
from .loader import LoadResult, Progress, load
from .problems import Problem


@dataclass
class Checked:
    loaded: LoadResult
    problems: list[Problem]
    suppressed: list[Problem] = field(default_factory=list)  # ignored by a comment in the data


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
                    cache: FileCache | None = None,
                    overrides: Mapping[str, str] | None = None, *,
                    shown_as: str | None = None) -> Checked:
    """`overrides`: settings from the command line (--disable, --enable), over funds.yaml's.
    `shown_as`: the name the files are shown under, when read from elsewhere (see `load`)."""
    with _without_cycle_collection():
        loaded = load(directory, progress, cache, shown_as=shown_as)
        settings = {**loaded.settings, **(overrides or {})}
        context = Context(as_of, policy.review_due_months(loaded.settings),
                          policy.switched_off(settings))
        checks = run_checks(loaded.entries, loaded.ledger, context, loaded.transfers)
        found = [*loaded.problems, *checks]
        tuned = policy.apply(found, settings)
        comments, malformed = suppressions.scan_files(zip(loaded.paths, loaded.files))
        applied = suppressions.apply(tuned, comments, settings)
        about_comments = policy.apply([*malformed, *applied.problems], settings)
    return Checked(loaded, [*applied.kept, *about_comments], applied.suppressed)
