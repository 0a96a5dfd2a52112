"""When the data last changed, for the open data's `dateModified` and the published page."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime


def last_modified(data_files: list[str]) -> datetime:
    """When the data last changed: the last commit that touched its files when they are in git
    (a checkout resets every file's time), else the newest file's time; in UTC, to the second."""
    files = [file for file in data_files if os.path.exists(file)]
    committed = _git_date(files)
    if committed is not None:
        return committed
    newest = max((os.stat(file).st_mtime for file in files), default=0.0)
    return datetime.fromtimestamp(int(newest), tz=UTC)


def _git_date(files: list[str]) -> datetime | None:
    if not files:
        return None
    try:
        found = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", *files],
            cwd=os.path.dirname(os.path.abspath(files[0])), capture_output=True, text=True,
            timeout=20, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    # Not a repository, or files not committed yet (then their own time is the truth).
    stamp = found.stdout.strip()
    if found.returncode != 0 or not stamp.isdigit() or _uncommitted(files):
        return None
    return datetime.fromtimestamp(int(stamp), tz=UTC)


def _uncommitted(files: list[str]) -> bool:
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", *files],
            cwd=os.path.dirname(os.path.abspath(files[0])), capture_output=True, text=True,
            timeout=20, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return True
    return status.returncode != 0 or bool(status.stdout.strip())
