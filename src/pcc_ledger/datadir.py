"""What is in a data directory: funds.yaml, the files below allocations/, the YAML files that
are not read, and every folder or entry that could not be looked at.

One walk of the whole directory, by hand rather than with `Path.rglob`, because rglob skips a
folder it may not list without a word, and `Path.is_file()` raises on a folder it may not
search. Here each of those is recorded, so that `check` can say which folder went unread
instead of reporting "no problems" over data it never saw.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .textsafety import shown_path

ENV_DATA = "PCC_LEDGER_DATA"


class NoData(Exception):
    """The data directory or its funds.yaml is missing: a usage error, not a data problem."""


def data_directory(option: str | None) -> str:
    """`--data DIR`, else `$PCC_LEDGER_DATA`, else `./data` (as the user wrote it, for display).
    An empty `--data ''` is taken as given (and refused), not as "use the default"."""
    if option is not None:
        return option
    return os.environ.get(ENV_DATA) or "data"


FUNDS_FILE = "funds.yaml"
COMMITMENTS_DIR = "allocations"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Unreadable:
    path: Path
    reason: str
    folder: bool


@dataclass
class DataFiles:
    root: Path
    commitments: list[Path] = field(default_factory=list)  # YAML files below allocations/
    stray: list[Path] = field(default_factory=list)  # YAML files that are not read
    unreadable: list[Unreadable] = field(default_factory=list)
    outside: list[Path] = field(default_factory=list)  # links to folders outside the root


def is_yaml(name: str) -> bool:
    return name.lower().endswith(YAML_SUFFIXES)


def scan(root: Path) -> DataFiles:
    """Every YAML file below `root` (any case of .yaml/.yml, hidden entries skipped, links to
    folders inside the data directory followed once), in a stable order. A broken link with a
    YAML name is listed, so that reading it reports it rather than ignoring it. A link to a
    folder outside the data directory is not followed (a link to `/` would read the whole
    machine) but recorded, so that it is said."""
    found = DataFiles(root)
    real_root = root.resolve()
    yaml_files: list[Path] = []
    seen_folders: set[tuple[int, int]] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            identity = os.stat(folder)
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            found.unreadable.append(Unreadable(folder, _reason(error), folder=True))
            continue
        if (identity.st_dev, identity.st_ino) in seen_folders:
            continue  # a link back to a folder already read: its files are read once
        seen_folders.add((identity.st_dev, identity.st_ino))
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                # Anything else with a YAML name (a file, a link, a FIFO...) is listed, so that
                # reading it says what it is rather than skipping it in silence.
                folder_entry = entry.is_dir()
                yaml_file = not folder_entry and is_yaml(entry.name)
            except OSError as error:
                found.unreadable.append(Unreadable(path, _reason(error), folder=False))
                continue
            if folder_entry and entry.is_symlink() and not _inside(path, real_root):
                found.outside.append(path)
            elif folder_entry:
                pending.append(path)
            elif yaml_file:
                yaml_files.append(path)
    funds = root / FUNDS_FILE
    commitments_folder = root / COMMITMENTS_DIR
    for path in sorted(yaml_files, key=lambda p: p.relative_to(root).as_posix()):
        if path == funds:
            continue
        if commitments_folder in path.parents:
            found.commitments.append(path)
        else:
            found.stray.append(path)
    found.unreadable.sort(key=lambda item: item.path.as_posix())
    return found


def _inside(path: Path, real_root: Path) -> bool:
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # a loop: reading it says so
        return True
    return target == real_root or real_root in target.parents


def kind_of(path: Path) -> str | None:
    """'file', 'folder', 'other', or None when nothing is there (a broken link counts as
    there: reading it will say what is wrong). Never raises: a place that cannot be looked at
    is 'other', and reading it reports why."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "other" if os.path.islink(path) else None
    except OSError:
        return "other"
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else "other"


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def shown(directory: str, path: Path, root: Path) -> str:
    """A data file's name as the user should see it: under the data directory as they wrote
    it, with anything that cannot be printed safely escaped."""
    return shown_path((Path(directory) / path.relative_to(root)).as_posix())
