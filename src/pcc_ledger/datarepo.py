"""`pcc-ledger init`: a new data repository that passes `check` at once.

`repository` makes its files as values (path -> bytes) from the templates in templates/init/
and the schemas of jsonschema_export; `write` puts them in a new or empty folder, all of them
or none; `git_init` makes that folder a git repository. The CLI calls the three and prints.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .atomic import _remove_stale, _temporary_prefix, _umask  # temporary folders, as publish's
from .scalars import FinancialYear
from .textsafety import shown_path

if TYPE_CHECKING:
    from .jsonschema_export import Ids

# Each file of the repository and the template it is made from (in templates/init/, named so
# that no template is a hidden file, which packaging would leave out).
TEMPLATES = {
    ".github/workflows/pcc-ledger.yml": "workflow.yml",
    ".gitignore": "gitignore.txt",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".vscode/extensions.json": "vscode-extensions.json",
    ".vscode/settings.json": "vscode-settings.json",
    ".yamllint": "yamllint.yaml",
    "README.md": "README.md",
    "data/allocations/__FOLDER__/community-safety-fund.yaml": "commitments.yaml",
    "data/funds.yaml": "funds.yaml",
}
SCHEMAS = {"funds": "schema/funds.schema.json", "commitments": "schema/commitments.schema.json"}
FUNDS = "data/funds.yaml"

# A git URL CI can install from: https, no user or password in it, nothing a shell or YAML
# would read as more than the URL.
_GIT_URL = re.compile(r"https://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9._~%+-]+)+")


def install_requirement() -> str:
    """What CI gives pip for the pcc-ledger running now: its git repository at its commit,
    when it was installed from one by https (pip records that, PEP 610), else its version
    from the package index. A local folder or file means nothing on a CI machine."""
    from importlib import metadata

    pinned = f"pcc-ledger=={__version__}"
    try:
        recorded = metadata.distribution("pcc-ledger").read_text("direct_url.json")
        origin = json.loads(recorded) if recorded else None
    except (metadata.PackageNotFoundError, OSError, ValueError):
        return pinned
    if not isinstance(origin, dict) or not isinstance(origin.get("vcs_info"), dict):
        return pinned
    url, vcs = origin.get("url"), origin["vcs_info"]
    commit = vcs.get("commit_id")
    if (vcs.get("vcs") == "git" and isinstance(url, str) and _GIT_URL.fullmatch(url)
            and isinstance(commit, str) and re.fullmatch(r"[0-9a-f]{40,64}", commit)):
        return f"pcc-ledger @ git+{url}@{commit}"
    return pinned


def repository(today: date, requirement: str) -> dict[str, bytes]:
    """Every file of a new data repository, by its path inside it, sorted by path. Its one
    allocation is for the financial year `today` is in, so that `check` has nothing to say
    about it until that year has ended."""
    from . import jsonschema_export

    # It is written into YAML and a shell command between double quotes, as it is.
    if not re.fullmatch(r"[A-Za-z0-9 @+:/._~%=-]+", requirement):
        raise ValueError(f"{requirement!r} is not a requirement to write into a workflow")
    year = FinancialYear.containing(today)
    words = {"__YEAR__": str(year), "__FOLDER__": str(year).replace("/", "-"),
             "__START__": str(year.start), "__VERSION__": __version__,
             "__INSTALL__": requirement}
    files: dict[str, bytes] = {}
    for target, template in TEMPLATES.items():
        text = _template(template)
        for word, value in words.items():
            text = text.replace(word, value)
            target = target.replace(word, value)
        files[target] = text.encode("utf-8")
    ids = _ids(files[FUNDS])
    for kind, target in SCHEMAS.items():
        made = jsonschema_export.schema(kind, ids if kind == "commitments" else None)
        files[target] = jsonschema_export.to_json(made).encode("utf-8")
    return dict(sorted(files.items()))


def _template(name: str) -> str:
    return (resources.files("pcc_ledger.templates.init") / name).read_text(encoding="utf-8")


def _ids(funds: bytes) -> Ids:
    """The ids the skeleton's funds.yaml defines, read as `check` reads it, as `pcc-ledger
    schema commitments` run in the new repository lists them."""
    from .jsonschema_export import Ids
    from .model import FundsFile
    from .yamlsource import parse_yaml

    document, problems = parse_yaml(funds, Path(FUNDS), FUNDS)
    if document is None or problems:
        raise ValueError(f"the template of {FUNDS} does not read: {problems}")
    read = FundsFile.model_validate(document.data)
    fences = {fence for fund in read.funds.values() for allocation in fund.allocations.values()
              for fence in allocation.ring_fences}
    return Ids(FUNDS, tuple(sorted(read.funds)), tuple(sorted(read.objectives)),
               tuple(sorted(fences)), tuple(sorted(read.reserves)))


class Refused(Exception):
    """The folder cannot become a new repository: it holds something, or cannot be written."""


# A folder holding only this is empty enough: a fresh clone of an empty repository.
_ALLOWED = {".git"}


def _check_target(path: Path) -> bool:
    """Raise Refused unless `path` can become a new repository; whether it exists already."""
    shown = shown_path(str(path))
    try:
        if path.is_symlink() and not path.exists():
            raise Refused(f"{shown} is a link to nothing; name a new or empty folder")
        if path.exists():
            if not path.is_dir():
                raise Refused(f"{shown} is not a folder; name a new or empty folder")
            held = sorted(name for name in os.listdir(path) if name not in _ALLOWED)
            if held:
                listed = ", ".join(shown_path(name) for name in held[:5])
                raise Refused(
                    f"{shown} is not empty ({listed}{', ...' if len(held) > 5 else ''}); init "
                    "makes a repository in a new folder, an empty one, or one holding only "
                    ".git (a fresh clone of an empty repository): name another")
            return True
        parent = path.parent
        if not parent.is_dir():
            raise Refused(f"no folder {shown_path(str(parent))} to make {shown_path(path.name)} "
                          "in; create it first")
        return False
    except (OSError, RuntimeError) as error:  # a folder we may not list, a loop of links
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise Refused(f"cannot look at {shown}: {reason}; name another folder") from None


def write(path: Path, files: dict[str, bytes]) -> None:
    """Put the files in the folder `path`, all or none: they are written into a temporary
    folder beside it, which becomes `path` in one step (a new folder), or whose entries are
    moved into it (an existing empty folder, which stays where it is: it may be the current
    directory). On any failure, nothing of them is left. Refused if it cannot be done."""
    exists = _check_target(path)
    place = path.resolve()
    parent = place.parent
    _remove_stale(parent, place.name, ".new")  # what a killed init left here
    try:
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=_temporary_prefix(place.name),
                                        suffix=".new"))
    except OSError as error:
        raise Refused(f"cannot write in {shown_path(str(parent))}: {error.strerror}; nothing "
                      "was written") from None
    moved: list[Path] = []
    try:
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp's 0700 would keep the folder private
        for name, content in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(content)
        if not exists:
            os.rename(staging, place)
            return
        for entry in sorted(os.listdir(staging)):
            if os.path.lexists(place / entry):  # made by someone else since it was looked at
                raise Refused(f"{shown_path(str(path / entry))} appeared while init was "
                              "writing; nothing was written")
            os.rename(staging / entry, place / entry)
            moved.append(place / entry)
        staging.rmdir()
    except BaseException as error:
        for made in moved:
            with contextlib.suppress(OSError):
                if made.is_dir() and not made.is_symlink():
                    shutil.rmtree(made)
                else:
                    made.unlink()
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError):
            raise Refused(f"cannot write {shown_path(str(path))}: {error.strerror or error}; "
                          "nothing was written") from None
        raise


# Variables by which git finds a repository other than the one in the current folder (a
# pre-commit hook or `git rebase --exec` sets some): `git init` would act on that one.
_REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                         "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE")


@dataclass(frozen=True)
class GitOutcome:
    ok: bool
    message: str


def git_init(path: Path) -> GitOutcome:
    """Make `path` a git repository, unless it is one (it has its own .git). Never commits."""
    shown = shown_path(str(path))
    if os.path.lexists(path / ".git"):
        return GitOutcome(True, f"{shown} is a git repository already; nothing was committed")
    environment = {name: value for name, value in os.environ.items()
                   if name not in _REPOSITORY_VARIABLES}
    try:
        # In the folder, rather than naming it: a name starting with `-` is not an option.
        result = subprocess.run(["git", "init", "--quiet"], cwd=path, capture_output=True,
                                text=True, errors="replace", check=False, env=environment,
                                timeout=60)
    except FileNotFoundError:
        return GitOutcome(False, f"git is not installed, so {shown} is not a git repository "
                          "yet: install git and run `git init` in it")
    except (OSError, subprocess.TimeoutExpired) as error:
        return GitOutcome(False, f"`git init` could not run ({error}); run it in {shown}")
    if result.returncode != 0:
        said = [line for line in result.stderr.splitlines() if line.strip()]
        reason = shown_path(said[-1]) if said else f"exit status {result.returncode}"
        return GitOutcome(False, f"`git init` failed ({reason}); run it in {shown}")
    return GitOutcome(True, f"git init: {shown} is a new git repository; nothing was committed")


def next_steps(path: Path) -> list[str]:
    """What to do next, as commands to type."""
    with contextlib.suppress(OSError):
        if path.resolve() == Path.cwd().resolve():
            path = Path(".")
    # `./` before a name `cd` would take for an option.
    named = shown_path(str(path) if not str(path).startswith("-") else f"./{path}")
    return [
        *([] if str(path) == "." else [f"cd {shlex.quote(named)}"]),
        "edit data/funds.yaml: the organisation, the funds and their allocations",
        "pcc-ledger check",
        "git add -A && git commit -m 'A pcc-ledger data repository'",
        "pre-commit install    # to check the data before each commit",
    ]
