"""A per-file cache of the records read from a commitment file, so that a second run reads
again only the files that changed.

An entry holds what one clean file gave (its commitments and transfers, validated; a file with
any problem is always read again, so its messages and lines are the reader's own). It is kept
outside the data directory, in the user's cache folder (`$PCC_LEDGER_CACHE_DIR`, else
`$XDG_CACHE_HOME/pcc-ledger`, else `~/.cache/pcc-ledger`), and is trusted only when everything
that could have changed is as it was: the file's size, modification time, change time, inode and
device (taken before the file is read, and the same after, or nothing is kept); the pcc-ledger
version and a digest of its code (a development checkout never trusts records pickled by other
code); the Python, Pydantic and PyYAML versions; the cache's own format; and a SHA-256 of the
entry's contents (so a truncated or corrupted entry is never unpickled). Anything else is a
miss: the file is read again and the entry rewritten, atomically (a temporary file renamed over
it), so two runs at once never see half an entry.

A file changed within the last two seconds is read but not cached: a file system that keeps
modification times to the second could otherwise let a second change, of the same size in the
same second, go unseen.

The entries are pickles, which run code when loaded: so the folder must be the user's own and
writable by nobody else, or it is not used at all.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import stat
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__

ENV_CACHE_DIR = "PCC_LEDGER_CACHE_DIR"
FORMAT = 6  # of an entry; raised whenever what is pickled changes shape
SETTLE_SECONDS = 2.0
PRUNE_EVERY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Records:
    """What a clean commitment file gave: (record, path in the file) pairs."""

    commitments: list[tuple[Any, tuple[Any, ...]]]
    transfers: list[tuple[Any, tuple[Any, ...]]]
    illustrative: bool
    rounds: list[tuple[Any, tuple[Any, ...]]] = field(default_factory=list)
    # The file's stamp, if fastyaml read it: a problem found in it later (by a check across
    # files) is then located in the lines of its item alone (yamlsource.Document).
    plain_stamp: tuple[int, int, int] | None = None


def writes_by_default() -> bool:
    """Not in CI (where CI is set): a CI job starts from nothing and throws its folders away,
    so writing entries would only slow it. A CI that keeps a cache folder between jobs names
    it with $PCC_LEDGER_CACHE_DIR, and then it is written."""
    in_ci = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
    return not in_ci or bool(os.environ.get(ENV_CACHE_DIR))


def default_directory() -> Path | None:
    """The cache folder; None when there is none to be had (no home folder, say)."""
    configured = os.environ.get(ENV_CACHE_DIR)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative one is ignored
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError, OSError):  # no HOME, and no entry in passwd
            return None
    return Path(base) / "pcc-ledger"


class FileCache:
    """The cache in one folder; every failure to use it is a miss, never an error.
    `writes=False` reads entries but makes none (see `writes_by_default`)."""

    def __init__(self, directory: Path | None, writes: bool = True) -> None:
        self.directory = directory or Path()
        self.usable = directory is not None and _private_folder(directory)
        self.writes = writes
        self.hits = 0
        self.misses = 0
        self.written = 0

    def _entry(self, path: Path) -> Path:
        name = hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()
        return self.directory / f"{name}.entry"

    def key(self, path: Path) -> list[object] | None:
        """What the file is now, to look it up by, and to store what is read from it under
        (taken before it is read: see `put`)."""
        try:
            return _key(path)
        except OSError:
            return None

    def get(self, path: Path, key: list[object] | None) -> Records | None:
        if not self.usable or key is None:
            return None
        try:
            with self._entry(path).open("rb") as entry:
                header = json.loads(entry.readline())
                payload = entry.read()
            if header.get("key") != key or header.get("sha256") != _digest(payload):
                raise ValueError("stale or damaged")
            records = pickle.loads(payload)  # noqa: S301 - our own folder, checked above
            if not isinstance(records, Records):
                raise TypeError("not an entry")
        except Exception:  # noqa: BLE001 - a cache that cannot be used is only a miss
            self.misses += 1
            return None
        self.hits += 1
        return records

    def put(self, path: Path, key: list[object] | None, records: Records) -> None:
        """Keep what was read under `key`, the file as it was before it was read, and only if
        it is still so: a file saved while it was being read is read again next time."""
        if not self.usable or not self.writes or key is None:
            return
        try:
            if _key(path) != key:
                return  # changed while it was read
            if time.time() - path.stat().st_mtime < SETTLE_SECONDS:
                return  # still settling: see the module's docstring
            payload = pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)
            header = json.dumps({"key": key, "sha256": _digest(payload),
                                 "file": os.path.abspath(path)}).encode()
            descriptor, temporary = tempfile.mkstemp(dir=self.directory, prefix=".entry-")
            try:
                with os.fdopen(descriptor, "wb") as out:
                    out.write(header + b"\n" + payload)
                os.replace(temporary, self._entry(path))
                self.written += 1
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except Exception:  # noqa: BLE001, S110 - a cache that cannot be written is no harm
            pass


    def prune(self) -> None:
        """Remove the entries of files that are gone (a data directory deleted or moved), so
        the folder does not grow for ever. Run after a load that wrote entries, at most once
        a day."""
        if not self.usable or not self.writes:
            return
        stamp = self.directory / ".pruned"
        try:
            if time.time() - stamp.stat().st_mtime < PRUNE_EVERY_SECONDS:
                return
        except OSError:
            pass
        try:
            stamp.touch()
            for entry in self.directory.glob("*.entry"):
                try:
                    with entry.open("rb") as opened:
                        file = json.loads(opened.readline()).get("file")
                    if not isinstance(file, str) or not os.path.lexists(file):
                        entry.unlink()
                except (OSError, ValueError, AttributeError):
                    entry.unlink(missing_ok=True)  # damaged: it would be a miss anyway
        except OSError:
            pass


def _key(path: Path) -> list[object]:
    """Everything that could change what the file gives: its size, modification time, inode,
    device and change time (which nobody can set back, and which a change of permissions
    moves too), and the code and the libraries that read and validate it."""
    info = path.stat()
    return [FORMAT, __version__, code_fingerprint(), sys.version, _libraries(),
            os.path.abspath(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns,
            info.st_ino, info.st_dev]


@functools.cache
def _libraries() -> str:
    import pydantic
    import pydantic_core
    import yaml

    return (f"pydantic {pydantic.VERSION}, pydantic-core {pydantic_core.__version__}, "
            f"PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__})")


@functools.cache
def code_fingerprint() -> str:
    """A digest of the package's own code: a version number does not change with every
    change to the code (a development checkout, a patched install), and records pickled by
    other code must never be taken for this code's."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(os.fsencode(source.relative_to(package).as_posix()) + b"\0")
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def _private_folder(directory: Path) -> bool:
    """Create the folder (for this user alone) if need be; use it only if it is a real folder
    of this user's that nobody else can write to."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = directory.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    owned = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owned and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
