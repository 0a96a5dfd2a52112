"""Recording decisions without hand-editing: a new commitment, an approval, a payment, a
cancellation, a transfer — each a change to one data file, tried on a copy of the whole data
with every check before anything is written.

The core makes the change and says what it would bring in; the CLI decides (with --force) and
writes. A new commitment goes to `allocations/<year>/<fund>.yaml` (made if missing), a new
transfer to `allocations/<year>/transfers.yaml`; every other change to the file that holds the
record, edited in place (see yamledit) so that the rest of the file is left as it was.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import yamledit
from .checking import Checked, check_directory
from .datadir import COMMITMENTS_DIR, shown
from .ledger import Ledger
from .problems import Problem, Severity
from .scalars import FinancialYear

_AMOUNT = r"£?\d[\d,]*(\.\d{1,2})?"


class RecordMissing(Exception):
    """No record with the id given: a usage error."""


class ChangedMeanwhile(Exception):
    """The file changed between reading it and writing the change: nothing is written."""


@dataclass
class Change:
    """One file's text before and after, and the pot to show afterwards."""

    target: Path  # on disk
    shown: str  # as the user sees it
    before: str | None  # None: a file made by the change
    after: str
    done: str  # "added commitment X to FILE"
    fund: str | None = None
    year: FinancialYear | None = None


@dataclass
class Tried:
    change: Change
    checked: Checked  # the whole data with the change
    brought: list[Problem]  # errors the change brings in


def value(text: str) -> str:
    """A value for a data file: amounts, dates, years and ids plain, other text quoted where
    YAML would read it otherwise."""
    if re.fullmatch(rf"{_AMOUNT}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{4}}/\d{{2}}", text.strip()):
        return text.strip()
    return yamledit.scalar(text)


def amount(text: str) -> str:
    """An amount as the shipped data writes it (`1000`, `2750.50`) when it reads as one
    (`£1,000` does); otherwise as given, for the checks to say what is wrong with it."""
    from .scalars import parse_money

    try:
        pounds = parse_money(text)
    except Exception:  # noqa: BLE001 - the checks' message is the one to show
        return value(text)
    whole = pounds == pounds.to_integral_value()
    return f"{pounds:.0f}" if whole else f"{pounds:.2f}"


def year_folder(year: str) -> str:
    return year.replace("/", "-")


def _file_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "commitments"


def new_commitment(checked: Checked, fields: dict[str, Any]) -> Change:
    """`fields`: the commitment's keys as the data writes them (recipient as a mapping)."""
    year, fund = str(fields["year"]), str(fields["fund"])
    return _new_record(checked, "commitments", fields, f"{_file_name(fund)}.yaml", year,
                       fund, year)


def new_transfer(checked: Checked, fields: dict[str, Any], year: str) -> Change:
    source = fields["from"]
    return _new_record(checked, "transfers", fields, "transfers.yaml", year,
                       source.get("fund"), source.get("year") or year)


def _new_record(checked: Checked, kind: str, fields: dict[str, Any], file_name: str,
                folder_year: str, fund: str | None, year: str) -> Change:
    """A new record at the end of `kind:` in allocations/<year>/<file_name> (made if
    missing), its amount written as the data writes amounts."""
    root = checked.loaded.root
    target = root / COMMITMENTS_DIR / year_folder(folder_year) / file_name
    record = {key: _written(item) for key, item in fields.items() if item is not None}
    record["amount"] = amount(str(fields["amount"]))
    before = _read(target)
    name = shown(_label(checked), target, root)
    start = before if before is not None else _new_file_header(kind)
    after = _edited(name, lambda: yamledit.append_item(start, kind, record))
    return Change(target, name, before, after,
                  f"added {kind.removesuffix('s')} {fields['id']} to {name}", fund, _year(year))


def _new_file_header(kind: str) -> str:
    return (f"# {kind.capitalize()} recorded with pcc-ledger (edit freely: comments and layout "
            "are kept).\n")


def _written(item: Any) -> Any:
    if isinstance(item, dict):
        return {key: _written(inner) for key, inner in item.items() if inner is not None}
    if isinstance(item, list):
        return [_written(inner) for inner in item]
    return value(str(item))


def _year(text: str | None) -> FinancialYear | None:
    try:
        return FinancialYear.parse(text) if text else None
    except Exception:  # noqa: BLE001 - a bad year is the checks' to report
        return None


def _label(checked: Checked) -> str:
    """The data directory as the user named it (files are shown under it)."""
    return str(checked.loaded.root)


def _read(path: Path) -> str | None:
    """A file's text with its line ends as they are (\r\n kept: the edit keeps them)."""
    try:
        with open(path, encoding="utf-8", newline="") as stream:
            return stream.read()
    except FileNotFoundError:
        return None


def holder(checked: Checked, record_id: str, kind: str = "commitment") -> tuple[Path, str]:
    """The file that holds a commitment (or transfer), and its name as shown."""
    loaded = checked.loaded
    if kind == "commitment":
        found = [(e.document.source, e.document.file) for e in loaded.entries
                 if e.commitment.id == record_id]
    else:
        found = [(t.document.source, t.document.file) for t in loaded.transfers
                 if t.transfer.id == record_id]
    if len(found) == 1:
        return found[0]
    if found:
        raise RecordMissing(f"{len(found)} {kind}s have the id {record_id}; `pcc-ledger check` "
                            "shows where: give them different ids first")
    known = sorted(e.commitment.id for e in loaded.entries)
    import difflib

    guess = difflib.get_close_matches(record_id, known, n=1)
    hint = f"; did you mean {guess[0]}?" if guess else ""
    raise RecordMissing(f"no {kind} {record_id} in the data{hint} (a {kind} with errors is "
                        "left out: `pcc-ledger check` lists them)")


def _known(checked: Checked, record_id: str) -> bool:
    return any(e.commitment.id == record_id for e in checked.loaded.entries)


def _commitment(checked: Checked, record_id: str) -> Any:
    return next(e.commitment for e in checked.loaded.entries if e.commitment.id == record_id)


def _edited(name: str, edit: Callable[[], str]) -> str:
    """An edit, with the file named in what stops it."""
    try:
        return edit()
    except yamledit.EditRefused as error:
        raise yamledit.EditRefused(f"cannot edit {name}: {error}") from None


def edit_commitment(checked: Checked, record_id: str, values: dict[str, str], after: str,
                    done: str) -> Change:
    path, name = holder(checked, record_id)
    before = _read(path) or ""
    written = {key: value(item) for key, item in values.items()}
    text = _edited(name, lambda: yamledit.set_values(before, "commitments", record_id, written,
                                                     after))
    commitment = _commitment(checked, record_id)
    return Change(path, name, before, text, f"{done} in {name}", commitment.fund,
                  commitment.year)


def approve(checked: Checked, record_id: str, day: str, decision: str | None,
            details: dict[str, str] | None = None, conditions: list[str] | None = None
            ) -> Change:
    """`details`: the grant's `purpose` and `reasons`, `conditions` its conditions (what the
    law asks a PCC to publish of a crime and disorder reduction grant), where given."""
    commitment = _commitment(checked, record_id) if _known(checked, record_id) else None
    if commitment is not None and commitment.status != "proposed":
        when = (f" on {commitment.approved}"
                if commitment.status == "approved" and commitment.approved else "")
        raise yamledit.EditRefused(
            f"{record_id} is {commitment.status}{when}, not proposed: only a proposal is "
            "approved (to change a decision's date or reference, edit the file)")
    values = {"status": "approved", "approved": day}
    if decision is not None:
        values["decision"] = decision
    values.update(details or {})
    change = edit_commitment(checked, record_id, values, "status", f"approved {record_id}")
    if conditions:
        written = [value(condition) for condition in conditions]
        last = list(values)[-1]
        change.after = _edited(change.shown, lambda: yamledit.add_list(
            change.after, "commitments", record_id, "conditions", written, last))
    return change


def cancel(checked: Checked, record_id: str) -> Change:
    if _known(checked, record_id) and _commitment(checked, record_id).status == "cancelled":
        raise yamledit.EditRefused(f"{record_id} is cancelled already")
    return edit_commitment(checked, record_id, {"status": "cancelled"}, "status",
                           f"cancelled {record_id}")


def pay(checked: Checked, record_id: str, paid: str, day: str,
        reference: str | None) -> Change:
    path, name = holder(checked, record_id)
    before = _read(path) or ""
    payment = {"date": value(day), "amount": amount(paid)}
    if reference is not None:
        payment["reference"] = value(reference)
    text = _edited(name, lambda: yamledit.append_to_list(before, "commitments", record_id,
                                                         "payments", payment))
    commitment = _commitment(checked, record_id)
    return Change(path, name, before, text, f"recorded a payment of {paid} on {record_id} "
                  f"in {name}", commitment.fund, commitment.year)


def attempt(checked: Checked, change: Change, as_of: date) -> Tried:
    """The whole data with the change made, checked in a copy of the data directory (the
    real one is not touched), and the errors that the change brings in."""
    root = checked.loaded.root
    with tempfile.TemporaryDirectory(prefix="pcc-ledger-") as scratch:
        copy = Path(scratch) / "data"
        shutil.copytree(root, copy, symlinks=True)
        placed = copy / change.target.relative_to(root)
        placed.parent.mkdir(parents=True, exist_ok=True)
        placed.write_text(change.after, encoding="utf-8")
        after = check_directory(str(copy), as_of, shown_as=_label(checked))
        # Settle every position while the copy is still there to be read.
        for problem in after.problems:
            _ = problem.location.line
    # An error the data had already is not one the change brings in, even where the change
    # moves its figures (cancelling one of the commitments of an over-committed fund makes it
    # less over-committed: that is a repair, and must not be refused). So errors are matched
    # by rule and message with the sums and dates left out.
    before = Counter((p.rule, _gist(p.message)) for p in checked.problems)
    brought = []
    for problem in sorted(after.problems):
        key = (problem.rule, _gist(problem.message))
        if before[key]:
            before[key] -= 1
        elif problem.severity is Severity.ERROR:
            brought.append(problem)
    return Tried(change, after, brought)


_FIGURES = re.compile(r"-?£[\d,]+(?:\.\d+)?|\d{4}-\d{2}-\d{2}")


def _gist(message: str) -> str:
    return _FIGURES.sub("…", message)


def ledger_of(tried: Tried) -> Ledger | None:
    return tried.checked.loaded.ledger


def unified_diff(change: Change) -> str:
    import difflib

    before = (change.before or "").splitlines(keepends=True)
    after = change.after.splitlines(keepends=True)
    origin = change.shown if change.before is not None else "/dev/null"
    return "".join(difflib.unified_diff(before, after, origin, change.shown))


def write(change: Change) -> None:
    """Write the new text atomically, unless the file changed since it was read (an editor
    saved it meanwhile): then nothing is written and the user runs the command again."""
    from .atomic import write_atomically

    if _read(change.target) != change.before:
        raise ChangedMeanwhile(f"{change.shown} changed while the change was checked; nothing "
                               "was written: run the command again")
    change.target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(change.target, change.after.encode("utf-8"),
                     force=change.before is not None)
