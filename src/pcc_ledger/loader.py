"""Load a data directory into one Ledger, collecting every problem on the way.

Layout: `funds.yaml` at the top, commitments in any `*.yaml`/`*.yml` file below `allocations/`.
Nothing here stops at the first problem: a file that cannot be read is reported and the rest
are still loaded, and each commitment is validated on its own so that one bad entry does not
hide the problems of the others.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import datadir, policy
from .cache import FileCache, Records
from .datadir import COMMITMENTS_DIR, ENV_DATA, FUNDS_FILE, NoData, shown
from .ledger import Entry, Ledger, RoundEntry, TransferEntry, make_entry
from .model import (
    COMMITMENT,
    COMMITMENT_INPUT,
    ROUND,
    TRANSFER,
    Commitment,
    CommitmentInput,
    CommitmentsFile,
    FundsFile,
    Round,
    Transfer,
    _CommitmentFields,
)
from .pabulib import read_ballots
from .problems import Location, Problem
from .rules import make_problem
from .scalars import format_money
from .schema_errors import schema_problems
from .textsafety import shown_path
from .yamlsource import Document, Stamp, YamlPath, read_yaml


@dataclass
class LoadResult:
    ledger: Ledger | None  # None when funds.yaml itself could not be understood
    root: Path = Path("data")  # the data directory
    entries: list[Entry] = field(default_factory=list)  # every valid commitment, ledger or not
    transfers: list[TransferEntry] = field(default_factory=list)  # every well-formed transfer
    rounds: list[RoundEntry] = field(default_factory=list)  # every well-formed round
    unread_rounds: set[str] = field(default_factory=set)  # ids of rounds that could not be read
    settings: dict[str, str] = field(default_factory=dict)  # the valid `checks:` settings
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # as shown to the user
    paths: list[Path] = field(default_factory=list)  # the same files, as they are on disk
    # What could not be read into records, so that a report printed anyway can say what it
    # left out: counts of commitments and transfers, and the files or folders of which no
    # record could be read at all.
    skipped: Counter[str] = field(default_factory=Counter)
    unread: list[str] = field(default_factory=list)
    unread_folders: list[str] = field(default_factory=list)


# Told, after each file, how many of how many files are read: for a progress bar.
Progress = Callable[[int, int], None]


def load(directory: str, progress: Progress | None = None,
         cache: FileCache | None = None, *, shown_as: str | None = None) -> LoadResult:
    """`shown_as`: the name to show the data directory by, when it is read from somewhere
    else (`diff` reads a git revision's data from a temporary folder, and shows its files
    under the data directory's own name, as `check` would)."""
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

    label = directory if shown_as is None else shown_as
    found = datadir.scan(root)
    result = LoadResult(ledger=None, root=root)
    result.problems.extend(_unreadable(label, root, found.unreadable))
    for place in found.unreadable:
        unread = result.unread_folders if place.folder else result.unread
        unread.append(shown(label, place.path, root))
    total = 1 + len(found.commitments)
    funds_document, funds = _load_funds(funds_path, shown(label, funds_path, root), result)
    for done, path in enumerate(found.commitments, start=1):
        if progress is not None:
            progress(done, total)
        result.entries.extend(_load_commitments(path, shown(label, path, root), result,
                                                cache))
    if progress is not None:
        progress(total, total)
    _read_ballots(label, root, result)
    result.problems.extend(_stray(label, root, found.stray))
    result.problems.extend(
        make_problem(
            "link-outside-data",
            Location(shown(label, path, root)),
            "a link to a folder outside the data directory: it is not followed, so the data "
            "in it is not checked; move or copy the folder into the data directory",
        )
        for path in found.outside
    )
    if funds is not None and funds_document is not None:
        result.ledger = Ledger(funds, funds_document, result.entries, result.files,
                               result.transfers, result.rounds,
                               frozenset(result.unread_rounds))
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


def _load_commitments(path: Path, shown: str, result: LoadResult,
                      cache: FileCache | None = None) -> list[Entry]:
    result.files.append(shown)
    result.paths.append(path)
    key = cache.key(path) if cache is not None else None
    if cache is not None:
        cached = cache.get(path, key)
        if cached is not None:
            document = Document(shown, path, None, cached.plain_stamp)
            result.transfers.extend(TransferEntry(transfer, document, where, cached.illustrative)
                                    for transfer, where in cached.transfers)
            result.rounds.extend(RoundEntry(pb_round, document, where, cached.illustrative)
                                 for pb_round, where in cached.rounds)
            illustrative = cached.illustrative
            return [make_entry(commitment, document, where, illustrative, None, 0)
                    for commitment, where in cached.commitments]
    before = (len(result.problems), sum(result.skipped.values()), len(result.unread),
              len(result.transfers), len(result.rounds))
    entries, illustrative, plain_stamp = _read_commitments(path, shown, result)
    clean = (len(result.problems), sum(result.skipped.values()), len(result.unread)) == before[:3]
    if cache is not None and clean:
        cache.put(path, key, Records(
            [(entry.commitment, entry.path) for entry in entries],
            [(entry.transfer, entry.path) for entry in result.transfers[before[3]:]],
            illustrative,
            [(entry.round, entry.path) for entry in result.rounds[before[4]:]],
            plain_stamp))
    return entries


def _read_commitments(path: Path, shown: str,
                      result: LoadResult) -> tuple[list[Entry], bool, Stamp | None]:
    """The commitments of one file (its transfers and problems go into `result`), whether the
    file says they are illustrative, and its stamp if fastyaml read it (see `Document`)."""
    document, problems = read_yaml(path, shown)
    result.problems.extend(problems)
    if document is None:
        result.unread.append(shown)
        return [], False, None
    data = document.take_data()
    try:
        top = CommitmentsFile.model_validate(data)
        items, transfers, illustrative = top.commitments, top.transfers, top.illustrative
        rounds = top.rounds
        if not isinstance(data, dict) or not (set(_RECORD_KEYS) & set(data)):
            result.problems.append(make_problem(
                "missing-key", document.at(()),
                "a file below allocations/ holds `commitments:`, `transfers:`, `rounds:` or "
                "more than one of them; add them, or move the file out of allocations/"))
    except ValidationError as error:
        result.problems.extend(schema_problems(error, document, CommitmentsFile))
        # A bad `note:` or `illustrative:` must not hide the problems of every commitment.
        def listed(key: str) -> list[Any]:
            found = data.get(key) if isinstance(data, dict) else None
            return found if isinstance(found, list) else []
        items, transfers, illustrative = listed("commitments"), listed("transfers"), False
        rounds = listed("rounds")
        if not isinstance(data, dict) or any(
                data.get(key) is not None and not isinstance(data.get(key), list)
                for key in _RECORD_KEYS):
            result.unread.append(shown)  # its records cannot even be counted
    entries = []
    for index, item in enumerate(items):
        where: YamlPath = ("commitments", index)
        if (isinstance(item, dict) and item.get("years") is None
                and item.get("year") is not None and item.get("amount") is not None):
            # The common case, one year (its year and amount given, so nothing is missing):
            # validated straight into the Commitment the ledger uses, with no second model made
            # from the first (a fifth of the load's memory). Anything wrong is validated again
            # below, for the messages every path gives.
            try:
                entries.append(make_entry(COMMITMENT.validate_python(item), document, where,
                                          illustrative, None, 0))
                continue
            except ValidationError:
                pass
        else:
            result.problems.extend(_missing_year_or_amount(item, document, where))
        try:
            written = COMMITMENT_INPUT.validate_python(item)
        except ValidationError as error:
            result.problems.extend(schema_problems(error, document, CommitmentInput, where))
            result.skipped["commitment"] += 1
            continue
        commitment, problems = _shaped(written, document, where)
        result.problems.extend(problems)
        if commitment is None:
            result.skipped["commitment"] += 1
        else:
            entries.append(Entry(commitment, document, where, illustrative))
    for index, item in enumerate(transfers):
        where = ("transfers", index)
        problems = _end_problems(item, document, where)
        result.problems.extend(problems)
        try:
            transfer = TRANSFER.validate_python(item)
        except ValidationError as error:
            result.problems.extend(schema_problems(error, document, Transfer, where))
            result.skipped["transfer"] += 1
            continue
        if problems:
            result.skipped["transfer"] += 1
        else:
            result.transfers.append(TransferEntry(transfer, document, where, illustrative))
    for index, item in enumerate(rounds):
        where = ("rounds", index)
        try:
            result.rounds.append(RoundEntry(ROUND.validate_python(item), document, where,
                                            illustrative))
        except ValidationError as error:
            result.problems.extend(schema_problems(error, document, Round, where))
            result.skipped["round"] += 1
            written_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(written_id, str):
                result.unread_rounds.add(written_id.strip())
    return entries, illustrative, document.plain_stamp


_RECORD_KEYS = ("commitments", "transfers", "rounds")


def _read_ballots(directory: str, root: Path, result: LoadResult) -> None:
    """Each round's ballots file, named relative to the file of the round. Read on every run
    (never cached with the round): a ballots file can change while its round's file does not."""
    real_root = root.resolve()
    for index, entry in enumerate(result.rounds):
        named = entry.round.ballots
        if named is None:
            continue
        # Shown as named, `..` folded away (not through links, which only the read follows).
        source = Path(os.path.normpath(entry.document.source.parent / named))
        at = entry.at("ballots")
        try:
            outside = Path(named).is_absolute() or real_root not in source.resolve().parents
        except (OSError, RuntimeError) as error:  # a loop of links, a name too long
            reason = getattr(error, "strerror", None) or "a loop of symbolic links"
            result.problems.append(make_problem(
                "ballots-unreadable", at,
                f"cannot find the ballots file `{named}`: {reason}; name the .pb file beside "
                "the round's file"))
            continue
        if outside:
            result.problems.append(make_problem(
                "ballots-unreadable", at,
                f"the ballots file `{named}` is outside the data directory; keep it beside "
                "the round's file and name it by its file name"))
            continue
        file = shown(directory, source, root)
        ballots, problems = read_ballots(source, file, at)
        result.problems.extend(problems)
        if file not in result.files and _is_file(source):
            result.files.append(file)  # read, and counted as a file read
            result.paths.append(source)
        if ballots is not None:
            result.rounds[index] = dataclasses.replace(entry, ballots=ballots)


def _is_file(path: Path) -> bool:
    try:
        return os.path.isfile(path)
    except (OSError, ValueError):
        return False


def _shaped(
    written: CommitmentInput, document: Document, where: YamlPath
) -> tuple[Commitment | None, list[Problem]]:
    """A commitment is `year` + `amount`, or `years` (with `amount`, if given, their sum)."""
    at = functools.partial(_at, document, where)
    # The fields themselves, not a dump: a dump would turn dates and amounts into text.
    fields = {field.name: getattr(written, field.name)
              for field in dataclasses.fields(_CommitmentFields)}
    if written.years is not None:
        if written.year is not None:
            return None, [make_problem(
                "invalid-value", at("year", key=True),
                f"{written.id} has both `year` and `years`; give `year` and `amount` for one "
                "year, or `years` (each year with its amount) for several, not both")]
        if not written.years:
            return None, [make_problem(
                "missing-key", at("years"),
                f"`years` of {written.id} is empty; list each year charged with its amount")]
        total = sum(written.years.values(), Decimal(0))
        if written.amount is not None and written.amount != total:
            return None, [make_problem(
                "invalid-amount", at("amount"),
                f"`amount` of {written.id}, {format_money(written.amount)}, is not the sum of "
                f"its `years`, {format_money(total)}; correct one of them, or leave `amount` "
                "out")]
        first = min(written.years)
        return Commitment(**fields, year=first, amount=total,
                          years=dict(sorted(written.years.items()))), []
    if written.year is None or written.amount is None:
        return None, []  # reported by _missing_year_or_amount
    return Commitment(**fields, year=written.year, amount=written.amount, years=None), []


def _missing_year_or_amount(item: Any, document: Document, where: YamlPath) -> list[Problem]:
    """`year` and `amount` are required unless `years` is given: told from the keys as
    written, so they are reported even when other values of the commitment are wrong."""
    if not isinstance(item, dict) or item.get("years") is not None:
        return []
    problems = []
    for key, kind, example in (("year", "a financial year", "2017/18"),
                               ("amount", "an amount", "56442.00")):
        if key not in item:
            problems.append(make_problem(
                "missing-key", document.at(where),
                f"missing key `{key}`; add it" + (
                    " (or `years`, each year with its amount, for a commitment over several "
                    "years)" if key == "year" else "")))
        elif item[key] is None:
            problems.append(make_problem(
                "missing-key", document.at((*where, key)),
                f"`{key}`: no value given; write {kind} such as {example}"))
    return problems


def _end_problems(item: Any, document: Document, where: YamlPath) -> list[Problem]:
    """Each end names a pot (`fund` and `year`, perhaps a `ring_fence`) or a `reserve`: told
    from the keys as written, so it is reported even when other values are wrong."""
    if not isinstance(item, dict):
        return []
    written_id = item.get("id")
    name = written_id if isinstance(written_id, str) else f"number {int(where[-1]) + 1}"
    problems = []
    for key in ("from", "to"):
        end = item.get(key)
        if not isinstance(end, dict):
            continue  # missing or not a mapping: the schema says so
        if end.get("reserve") is not None:
            extra = [k for k in ("fund", "year", "ring_fence") if end.get(k) is not None]
            if extra:
                problems.append(make_problem(
                    "invalid-value", _at(document, where, key, extra[0], key=True),
                    f"`{key}` of transfer {name} names a reserve and `{extra[0]}`; a reserve "
                    "end has only `reserve:`, a fund end `fund:` and `year:`"))
            continue
        for wanted in ("fund", "year"):
            if end.get(wanted) is None:
                problems.append(make_problem(
                    "missing-key", _at(document, where, key),
                    f"missing key `{wanted}` in `{key}` of transfer {name}; an end is "
                    "`{fund: ..., year: ...}` (with `ring_fence:` for a ring-fence) or "
                    "`{reserve: ...}`"))
    return problems


def _at(document: Document, where: YamlPath, *sub: str, key: bool = False) -> Location:
    return document.at((*where, *sub), key=key)
