"""When the data last changed, for the open data's `dateModified` and the published page."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path


class ImpossibleTime(Exception):
    """A file time or commit date no calendar can hold (after the year 9999): a clock fault."""


def last_modified(data_files: list[Path], shown: list[str] | None = None) -> datetime:
    """When the data last changed: the last commit that touched its files when they are in git
    (a checkout resets every file's time), else the newest file's time; in UTC, to the second.

    Paths are made absolute before git sees them: git runs in the data's own folder, so a
    relative `--data data` would otherwise name files that are not there, and the date would
    quietly fall back to the time of the clone."""
    names = shown or [str(path) for path in data_files]
    present = [(os.path.abspath(path), name) for path, name in zip(data_files, names)
               if os.path.exists(path)]
    files = [path for path, _ in present]
    stamp = _git_stamp(files)
    if stamp is not None:
        return _utc(stamp, "the last git commit of the data")
    newest: tuple[float, str] | None = None
    for path, name in present:
        mtime = os.stat(path).st_mtime
        if newest is None or mtime > newest[0]:
            newest = (mtime, name)
    if newest is None:
        return datetime.fromtimestamp(0, tz=UTC)
    return _utc(newest[0], newest[1])


def _utc(stamp: float, what: str) -> datetime:
    try:
        moment = datetime.fromtimestamp(int(stamp), tz=UTC)
    except (OverflowError, OSError, ValueError):
        moment = None
    if moment is None or moment.year < 1970:
        raise ImpossibleTime(
            f"{what} is dated outside the years 1970 to 9999 (a clock fault?); give it the "
            "right time (`touch FILE`, or commit the data again) and run this again"
        )
    return moment


def _git_stamp(files: list[str]) -> int | None:
    if not files:
        return None
    try:
        found = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", *files],
            cwd=os.path.dirname(files[0]), capture_output=True, text=True,
            timeout=20, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    # Not a repository, or files not committed yet (then their own time is the truth).
    stamp = found.stdout.strip()
    if found.returncode != 0 or not stamp.isdigit() or _uncommitted(files):
        return None
    return int(stamp)


def _uncommitted(files: list[str]) -> bool:
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", *files],
            cwd=os.path.dirname(files[0]), capture_output=True, text=True,
            timeout=20, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return True
    return status.returncode != 0 or bool(status.stdout.strip())
