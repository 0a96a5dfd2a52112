"""Load a data directory into one Ledger, collecting every problem on the way.

Layout: `funds.yaml` at the top, commitments in any `*.yaml`/`*.yml` file below `allocations/`.
Nothing here stops at the first problem: a file that cannot be read is reported and the rest
are still loaded, and each commitment is validated on its own so that one bad entry does not
hide the problems of the others.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from . import datadir, policy
from .datadir import COMMITMENTS_DIR, FUNDS_FILE, shown
from .ledger import Entry, Ledger
from .model import Commitment, CommitmentsFile, FundsFile
from .problems import Location, Problem
from .rules import make_problem
from .schema_errors import schema_problems
from .textsafety import shown_path
from .yamlsource import Document, read_yaml

ENV_DATA = "PCC_LEDGER_DATA"


class NoData(Exception):
    """The data directory or its funds.yaml is missing: a usage error, not a data problem."""


@dataclass
class LoadResult:
    ledger: Ledger | None  # None when funds.yaml itself could not be understood
    root: Path = Path("data")  # the data directory
    entries: list[Entry] = field(default_factory=list)  # every valid commitment, ledger or not
    settings: dict[str, str] = field(default_factory=dict)  # the valid `checks:` settings
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # as shown to the user
    paths: list[Path] = field(default_factory=list)  # the same files, as they are on disk


def data_directory(option: str | None) -> str:
    """`--data DIR`, else `$PCC_LEDGER_DATA`, else `./data` (as the user wrote it, for display).
    An empty `--data ''` is taken as given (and refused), not as "use the default"."""
    if option is not None:
        return option
    return os.environ.get(ENV_DATA) or "data"


def load(directory: str) -> LoadResult:
    root = Path(directory)
    if not directory or datadir.kind_of(root) != "folder":
        raise NoData(
            f"no data directory at {shown_path(directory)}; pass --data DIR or set {ENV_DATA}"
        )
    funds_path = root / FUNDS_FILE
    if datadir.kind_of(funds_path) is None:
        raise NoData(
            f"no {FUNDS_FILE} in {shown_path(directory)}; every data directory starts with one"
        )

    found = datadir.scan(root)
    result = LoadResult(ledger=None, root=root)
    result.problems.extend(_unreadable(directory, root, found.unreadable))
    funds_document, funds = _load_funds(funds_path, shown(directory, funds_path, root), result)
    for path in found.commitments:
        result.entries.extend(_load_commitments(path, shown(directory, path, root), result))
    result.problems.extend(_stray(directory, root, found.stray))
    if funds is not None and funds_document is not None:
        result.ledger = Ledger(funds, funds_document, result.entries, result.files)
    return result


def _unreadable(directory: str, root: Path, places: list[datadir.Unreadable]) -> list[Problem]:
    """A folder that cannot be listed may hold commitments: never let it pass in silence."""
    return [
        make_problem(
            "folder-unreadable" if place.folder else "file-unreadable",
            Location(shown(directory, place.path, root)),
            f"cannot read this {'folder' if place.folder else 'entry'}: {place.reason}; the data "
            f"in it is not checked: give yourself permission to read it (chmod u+r"
            f"{'x' if place.folder else ''}), or move it out of the data directory",
        )
        for place in places
    ]


def _stray(directory: str, root: Path, paths: list[Path]) -> list[Problem]:
    """YAML files that are not read (data/commitments.yaml, a misspelt data/allocation/...):
    a user who put commitments there would otherwise think they had been checked."""
    return [
        make_problem(
            "stray-file",
            Location(shown(directory, path, root)),
            f"this file is not read: pcc-ledger reads {FUNDS_FILE} and the files below "
            f"{COMMITMENTS_DIR}/; move it there, or out of the data directory",
        )
        for path in paths
    ]


def _load_funds(
    path: Path, shown: str, result: LoadResult
) -> tuple[Document | None, FundsFile | None]:
    result.files.append(shown)
    result.paths.append(path)
    document, problems = read_yaml(path, shown)
    result.problems.extend(problems)
    if document is None:
        return None, None
    data = document.take_data()
    if isinstance(data, dict):
        result.settings, problems = policy.read_settings(data.get("checks"), document)
        result.problems.extend(problems)
    try:
        return document, FundsFile.model_validate(data)
    except ValidationError as error:
        result.problems.extend(schema_problems(error, document, FundsFile))
        return document, None


def _load_commitments(path: Path, shown: str, result: LoadResult) -> list[Entry]:
    result.files.append(shown)
    result.paths.append(path)
    document, problems = read_yaml(path, shown)
    result.problems.extend(problems)
    if document is None:
        return []
    data = document.take_data()
    try:
        top = CommitmentsFile.model_validate(data)
        items, illustrative = top.commitments, top.illustrative
    except ValidationError as error:
        result.problems.extend(schema_problems(error, document, CommitmentsFile))
        # A bad `note:` or `illustrative:` must not hide the problems of every commitment.
        listed = data.get("commitments") if isinstance(data, dict) else None
        items, illustrative = (listed if isinstance(listed, list) else []), False
    entries = []
    for index, item in enumerate(items):
        where = ("commitments", index)
        try:
            commitment = Commitment.model_validate(item)
        except ValidationError as error:
            result.problems.extend(schema_problems(error, document, Commitment, where))
            continue
        entries.append(Entry(commitment, document, where, illustrative))
    return entries
