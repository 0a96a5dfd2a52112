"""The data directory as it was at a git revision, read straight from git.

`diff` compares the data of two revisions (or of one and the working tree) without a checkout:
the user's work tree and index are never touched. The revision's files below the data
directory are listed (`git ls-tree`) and their contents read in one `git cat-file --batch`
into a temporary folder, which is then loaded and checked exactly as `check` loads the data on
disk, and removed afterwards.

Git runs as a subprocess, always with a list of arguments (never through a shell), with `--`
before paths and a revision refused if it could be read as an option. Everything that can go
wrong here is the user's to put right (no repository, an unknown revision, a revision without
the data), so it is raised as `RevisionRefused`, whose message the command line prints as a
usage error.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .datadir import FUNDS_FILE
from .textsafety import shown_path

ENV_BASE_REF = "GITHUB_BASE_REF"  # set by GitHub Actions on pull requests: the base branch
BASE_REMOTE = "origin"
_SYMLINK = "120000"


class RevisionRefused(Exception):
    """No repository, no git, an unknown revision, or a revision without the data: a usage
    error, said in its message."""


@dataclass(frozen=True)
class Repository:
    top: Path  # the work tree's top folder
    data_path: str  # the data directory inside it, as git names it ("" for the top itself)
    directory: str  # the data directory as the user named it, to show its files under


@dataclass(frozen=True)
class Revision:
    """A commit, and how to name it to the user."""

    name: str  # as the user wrote it (or how it was found, for the pull request's base)
    commit: str  # its full object name

    @property
    def label(self) -> str:
        short = self.commit[:7]
        if len(self.name) >= len(short) and self.commit.startswith(self.name):
            return self.name  # the commit's own name already
        return f"{self.name} ({short})"


@dataclass(frozen=True)
class _Blob:
    path: str  # relative to the data directory, with `/`
    mode: str
    object: str


@dataclass(frozen=True)
class DataTree:
    """What the data directory holds at a revision: its files, not yet read."""

    revision: Revision
    blobs: list[_Blob]


@dataclass(frozen=True)
class Exported:
    folder: Path  # the revision's data directory, in a temporary folder
    # Links that lead out of the data directory: at a revision there is nothing sound for them
    # to point at (the work tree's files are not the revision's), so they are not written.
    outside_links: list[str] = field(default_factory=list)


def _git(arguments: list[str], cwd: Path, stdin: bytes | None = None) -> \
        subprocess.CompletedProcess[bytes]:
    # English messages, so that "not a git repository" can be told from other failures; no
    # pager, no prompt for a password (nothing here talks to a remote).
    environment = {**os.environ, "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(["git", *arguments], cwd=cwd, input=stdin, capture_output=True,
                               check=False, env=environment)
    except FileNotFoundError:
        raise RevisionRefused("diff reads the data from git, which was not found: install "
                              "git (and put it on PATH)") from None
    except OSError as error:
        raise RevisionRefused(f"cannot run git: {error.strerror or error}") from None


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    """Git's own message, on one line (without its `fatal: `)."""
    text = os.fsdecode(result.stderr).strip().splitlines()
    return shown_path(text[0].removeprefix("fatal: ") if text else "git failed")


def _nearest_folder(path: Path) -> Path:
    """The path, or the nearest folder above it that exists (the data directory need not exist
    in the working tree for two revisions to be compared)."""
    while not path.is_dir() and path != path.parent:
        path = path.parent
    return path


def locate(directory: str) -> Repository:
    """The repository holding the data directory `directory` (as the user named it), and where
    in it the data directory is."""
    if not directory:
        raise RevisionRefused("no data directory named (--data ''): name the data directory")
    place = Path(os.path.abspath(directory))
    result = _git(["rev-parse", "--show-toplevel"], _nearest_folder(place))
    if result.returncode != 0:
        said = _said(result)
        if "not a git repository" in said:
            raise RevisionRefused(
                f"{shown_path(directory)} is not in a git repository; diff compares the data "
                "of two git revisions: run it in a clone of the data's repository")
        raise RevisionRefused(f"cannot use the git repository of {shown_path(directory)}: "
                              f"{said}")
    top = Path(os.fsdecode(result.stdout.rstrip(b"\n")))
    try:
        inside = place.resolve().relative_to(top.resolve())
    except ValueError:
        raise RevisionRefused(f"the data directory {shown_path(directory)} is outside the git "
                              f"repository at {shown_path(str(top))}") from None
    data_path = inside.as_posix()
    return Repository(top, "" if data_path == "." else data_path, directory)


def revision(repository: Repository, name: str) -> Revision:
    """The commit `name` names (a branch, tag, commit or `HEAD~2`), or a usage error."""
    if not name or name.startswith("-"):  # it would be read as an option
        raise RevisionRefused(f"`{shown_path(name)}` is not a revision: name a commit, branch "
                              "or tag")
    found = _git(["rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"], repository.top)
    if found.returncode != 0:
        if name == "HEAD":
            raise RevisionRefused(
                f"the repository at {shown_path(str(repository.top))} has no commit yet: "
                "commit the data first")
        raise RevisionRefused(f"no revision `{shown_path(name)}` in the repository at "
                              f"{shown_path(str(repository.top))}; name a commit, branch or "
                              "tag (`git log --oneline` lists commits)")
    return Revision(name, os.fsdecode(found.stdout.strip()))


def default_base(repository: Repository, environ: Mapping[str, str]) -> Revision:
    """What the working tree is compared with when no revision is named: HEAD; but in a GitHub
    Actions pull request (GITHUB_BASE_REF set), where HEAD is the pull request itself, the
    merge base of the base branch and HEAD, which is what the pull request changes."""
    branch = environ.get(ENV_BASE_REF, "")
    if not branch:
        return revision(repository, "HEAD")
    remote_branch = f"{BASE_REMOTE}/{branch}"
    try:
        base = revision(repository, remote_branch)
    except RevisionRefused:
        raise RevisionRefused(
            f"{ENV_BASE_REF} is {shown_path(branch)}, but the repository has no "
            f"`{shown_path(remote_branch)}` to compare with: check out with `fetch-depth: 0` "
            "(actions/checkout), or name the revision to compare with") from None
    head = revision(repository, "HEAD")
    found = _git(["merge-base", base.commit, head.commit], repository.top)
    if found.returncode != 0:
        raise RevisionRefused(
            f"no common ancestor of `{shown_path(remote_branch)}` and HEAD (a shallow "
            "clone?): check out with `fetch-depth: 0`, or name the revision to compare with")
    return Revision(f"merge base of {remote_branch} and HEAD",
                    os.fsdecode(found.stdout.strip()))


def data_tree(repository: Repository, at: Revision) -> DataTree:
    """The files of the data directory at a revision; a usage error if it has none, or no
    funds.yaml."""
    prefix = repository.data_path
    listing = ["ls-tree", "-r", "-z", "--full-tree", at.commit]
    found = _git(listing + (["--", prefix] if prefix else []), repository.top)
    if found.returncode != 0:
        raise RevisionRefused(f"cannot list the files of {at.label}: {_said(found)}")
    blobs: list[_Blob] = []
    start = f"{prefix}/" if prefix else ""
    for record in found.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, name = os.fsdecode(meta).split(" ")
        path = os.fsdecode(raw_path)
        if not path.startswith(start) or kind != "blob":
            continue  # a neighbour whose name begins the same, or a submodule
        relative = path[len(start):]
        if not _plain(relative):
            continue  # git itself refuses to check such a path out
        blobs.append(_Blob(relative, mode, name))  # a link's target is judged once read
    shown = repository.directory
    if not blobs:
        raise RevisionRefused(f"{at.label} has no data directory {shown_path(shown)}: name a "
                              "revision that has the data")
    if not any(blob.path == FUNDS_FILE for blob in blobs):
        raise RevisionRefused(f"{at.label} has no {FUNDS_FILE} in {shown_path(shown)}: name a "
                              "revision that has the data")
    return DataTree(at, blobs)


def _plain(relative: str) -> bool:
    """A path that stays inside the folder it is written to."""
    parts = relative.split("/")
    return bool(relative) and not relative.startswith("/") and all(
        part not in ("", ".", "..") for part in parts)


@contextmanager
def exported(repository: Repository, tree: DataTree) -> Iterator[Exported]:
    """The data directory of the revision, written into a temporary folder that is removed
    when the block ends (so anything that reads its files, such as finding a problem's line,
    must be done inside it)."""
    with tempfile.TemporaryDirectory(prefix="pcc-ledger-diff-") as temporary:
        folder = Path(temporary) / "data"
        folder.mkdir()
        written = Exported(folder)
        contents = _contents(repository, tree)
        for blob in tree.blobs:
            target = folder / blob.path
            target.parent.mkdir(parents=True, exist_ok=True)
            content = contents[blob.object]
            if blob.mode == _SYMLINK:
                link = os.fsdecode(content)
                lands = posixpath.normpath(posixpath.join(posixpath.dirname(blob.path), link))
                if posixpath.isabs(link) or lands == ".." or lands.startswith("../"):
                    written.outside_links.append(blob.path)
                    continue
                os.symlink(link, target)
            else:
                target.write_bytes(content)
        yield written


def _contents(repository: Repository, tree: DataTree) -> dict[str, bytes]:
    """Every blob's bytes, from one `git cat-file --batch` (one process, not one per file)."""
    wanted = sorted({blob.object for blob in tree.blobs})
    result = _git(["cat-file", "--batch"], repository.top,
                  stdin="".join(f"{name}\n" for name in wanted).encode("ascii"))
    if result.returncode != 0:
        raise RevisionRefused(f"cannot read the files of {tree.revision.label}: {_said(result)}")
    output = result.stdout
    contents: dict[str, bytes] = {}
    at = 0
    for name in wanted:
        end = output.index(b"\n", at)
        header = output[at:end].split(b" ")
        if len(header) != 3 or header[0].decode("ascii") != name:
            raise RevisionRefused(f"cannot read the files of {tree.revision.label}: git gave "
                                  f"no object {name}")
        size = int(header[2])
        contents[name] = output[end + 1 : end + 1 + size]
        at = end + 1 + size + 1  # the contents are followed by a line feed
    return contents
