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


def write_atomically(path: Path, content: bytes, *, force: bool = False) -> None:
    if path.is_dir():
        raise WriteRefused(f"{path} is a directory; name a file to write")
    if path.exists() and not force:
        raise WriteRefused(f"{path} exists; pass --force to replace it")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise WriteRefused(f"no directory {directory} to write {path.name} in")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise WriteRefused(f"cannot write in {directory}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteRefused(f"cannot write {path}: {error.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_directory_atomically(path: Path, files: dict[str, bytes], *, force: bool = False) -> None:
    """Write a folder of files so that readers see the old folder or the new, never a mix: the
    files go into a temporary folder beside `path`, which then takes its place."""
    if path.exists() and not path.is_dir():
        raise WriteRefused(f"{path} is a file; name a directory to publish into")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise WriteRefused(f"{path} is not empty; pass --force to replace what is in it")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise WriteRefused(f"no directory {parent} to publish {path.name} in")
    try:
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{path.name}.", suffix=".new"))
    except OSError as error:
        raise WriteRefused(f"cannot write in {parent}: {error.strerror}") from None
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        if path.exists():
            retired = Path(tempfile.mkdtemp(dir=parent, prefix=f".{path.name}.", suffix=".old"))
            os.rename(path, retired / path.name)
            os.rename(staging, path)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(staging, path)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise WriteRefused(f"cannot publish {path}: {error.strerror}") from None
