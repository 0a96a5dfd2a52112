"""Writing a file so that it is never left half-written: a temporary file beside the target,
flushed to disk, then renamed over it in one step. An existing file is replaced only when the
user says so (`--force`)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


class WriteRefused(Exception):
    """The file exists (and --force was not given), or the place cannot be written."""


def _looked_at(what: str, path: Path, error: OSError | RuntimeError) -> WriteRefused:
    """A place that cannot even be looked at (a folder we may not search, a name too long, a
    loop of links) is refused as a place to write, never taken for a full disk."""
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return WriteRefused(f"cannot {what} {path}: {reason}; choose another place")


def check_writable(path: Path, *, force: bool = False) -> Path:
    """Raise WriteRefused unless a file may be written at `path`; return its directory."""
    try:
        return _check_writable(path, force)
    except (OSError, RuntimeError) as error:
        raise _looked_at("write", path, error) from None


def _check_writable(path: Path, force: bool) -> Path:
    if path.is_dir():
        raise WriteRefused(f"{path} is a directory; name a file to write")
    if path.is_symlink() and not path.exists() and not force:
        raise WriteRefused(f"{path} is a link to nothing; pass --force to replace the link")
    if path.exists() and not force:
        raise WriteRefused(f"{path} exists; pass --force to replace it")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise WriteRefused(f"no directory {directory} to write {path.name} in")
    return directory


def write_atomically(path: Path, content: bytes, *, force: bool = False) -> None:
    directory = check_writable(path, force=force)
    _remove_stale(directory, path.name, ".tmp")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=_temporary_prefix(path.name),
                                             suffix=".tmp")
    except OSError as error:
        raise WriteRefused(f"cannot write in {directory}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private (0600): keep the mode of the file replaced, or give the
        # one any new file gets here.
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteRefused(f"cannot write {path}: {error.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _temporary_prefix(name: str) -> str:
    """Hidden (the loader never reads hidden files), and carrying the writer's process id, so
    that a later write can tell a temporary file left by a killed writer from a live one."""
    return f".{name}.{os.getpid()}."


def _remove_stale(directory: Path, name: str, suffix: str) -> None:
    """Remove what a killed writer of `name` left behind in `directory`: temporary files (or
    folders) whose writing process no longer runs. They hold a whole copy of the data."""
    prefix = f".{name}."
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(suffix)):
            continue
        pid_text = entry.name[len(prefix):].split(".", 1)[0]
        if not pid_text.isdigit() or _running(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or not ours to judge: leave its files alone
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_directory_atomically(
    path: Path, files: dict[str, bytes], *, force: bool = False
) -> None:
    """Write a folder of files so that readers see the old folder or the new, never a mix: the
    files go into a temporary folder beside `path`, which then takes its place.

    With `force`, an existing folder is replaced only if it holds nothing but files of these
    names (an earlier publish): anything else in it is the user's, and is never deleted."""
    check_replaceable(path, set(files), force=force)
    parent = path.parent if str(path.parent) else Path(".")
    for suffix in (".new", ".old"):
        _remove_stale(parent, path.name, suffix)
    try:
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=_temporary_prefix(path.name),
                                        suffix=".new"))
    except OSError as error:
        raise WriteRefused(f"cannot write in {parent}: {error.strerror}") from None
    try:
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp's 0700 would hide the site from a server
        for name, content in files.items():
            target = staging / name
            for folder in reversed(target.relative_to(staging).parents[:-1]):
                if not (staging / folder).is_dir():  # `cy/index.html`: its folder first
                    (staging / folder).mkdir()
                    os.chmod(staging / folder, 0o777 & ~_umask())
            target.write_bytes(content)
        _swap(staging, path)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise WriteRefused(f"cannot publish {path}: {error.strerror}") from None


def check_replaceable(path: Path, names: set[str], *, force: bool) -> None:
    """Raise WriteRefused unless a folder of `names` may be written at `path`."""
    try:
        _check_replaceable(path, names, force)
    except (OSError, RuntimeError) as error:
        raise _looked_at("publish to", path, error) from None


def _check_replaceable(path: Path, names: set[str], force: bool) -> None:
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise WriteRefused(f"{path} is not a folder; name a folder to publish into")
    existing = sorted(entry.name for entry in path.iterdir()) if path.is_dir() else []
    if existing and not force:
        raise WriteRefused(f"{path} is not empty; pass --force to replace what is in it")
    # Only plain files of the names publish writes: a folder or link called index.html is
    # the user's, not an earlier publish.
    foreign = _foreign(path, names) if existing else []
    if foreign:
        raise WriteRefused(
            f"{path} holds files that publish did not write ({', '.join(foreign[:5])}"
            f"{', ...' if len(foreign) > 5 else ''}); move them, or publish to another folder"
        )
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise WriteRefused(f"no directory {parent} to publish {path.name} in")


def _foreign(path: Path, names: set[str]) -> list[str]:
    """What in the folder `path` publish did not write: anything but plain files of `names`
    (paths such as `cy/index.html`) and plain folders holding only such files."""
    files = {name for name in names if "/" not in name}
    folders: dict[str, set[str]] = {}
    for name in names:
        if "/" in name:
            folder, rest = name.split("/", 1)
            folders.setdefault(folder, set()).add(rest)
    found = []
    for entry in sorted(path.iterdir(), key=lambda e: e.name):
        if entry.is_symlink():
            found.append(entry.name)
        elif entry.name in files and entry.is_file():
            continue
        elif entry.name in folders and entry.is_dir():
            found += [f"{entry.name}/{inner}" for inner in _foreign(entry, folders[entry.name])]
        else:
            found.append(entry.name)
    return found


def _swap(staging: Path, path: Path) -> None:
    """Put `staging` where `path` is; if that fails half-way, put the old folder back."""
    if not path.exists():
        os.rename(staging, path)
        return
    retired = Path(tempfile.mkdtemp(dir=staging.parent, prefix=_temporary_prefix(path.name),
                                    suffix=".old"))
    os.rename(path, retired / path.name)
    try:
        os.rename(staging, path)
    except OSError:
        os.rename(retired / path.name, path)
        shutil.rmtree(retired, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
