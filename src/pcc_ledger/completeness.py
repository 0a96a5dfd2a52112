"""Whether a report covers every record, and if not, what it leaves out.

A typo in one commitment must not hide the whole budget: the reports print from every record
that could be read. But a figure from part of the data must never pass for the whole, so the
report says what is missing, and the command exits 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from .checking import Checked
from .ledger import Entry, Ledger, awaits_funding
from .problems import Severity
from .rules import RULES


@dataclass(frozen=True)
class Incomplete:
    """What a report printed from data with errors leaves out."""

    errors: int  # errors about facts (a record that cannot be read, an unknown fund...)
    commitments: int  # commitments that count nowhere: unreadable, or in no known pot
    transfers: int  # transfers that move nothing: unreadable, or with an unknown end
    unread: int  # files of which no record could be read
    unread_folders: int = 0  # folders that could not be searched for files

    @property
    def records(self) -> int:
        return self.commitments + self.transfers

    def message(self) -> str:
        """`Incomplete: 2 commitments and 1 unreadable file not counted, 3 errors in the data;
        run `pcc-ledger check`.` (A transfer with an unknown end is still listed by
        `transfers`, but it moves no money in any figure: it is not counted.)"""
        parts = [_count(n, noun) for n, noun in ((self.commitments, "commitment"),
                                                  (self.transfers, "transfer"),
                                                  (self.unread, "unreadable file"),
                                                  (self.unread_folders, "unreadable folder"))
                 if n]
        errors = _count(self.errors, "error")
        if not parts:
            return (f"Incomplete: {errors} in the data, so a figure may be wrong; run "
                    "`pcc-ledger check`.")
        left = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return (f"Incomplete: {left} not counted, {errors} in the data; run `pcc-ledger "
                "check`.")

    def as_data(self) -> dict[str, object]:
        return {"errors": self.errors, "commitments_not_counted": self.commitments,
                "transfers_not_counted": self.transfers, "files_unread": self.unread,
                "folders_unread": self.unread_folders,
                "message": self.message()}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _awaits_funding(ledger: Ledger, entry: Entry) -> bool:
    """Counted in no total by design (see ledger.awaits_funding): nothing is missing."""
    fund = ledger.funds.funds.get(entry.commitment.fund)
    return fund is not None and awaits_funding(entry, fund)


def incompleteness(checked: Checked, funds_only: bool = False) -> Incomplete | None:
    """None when the reports cover the whole of the data: no error about the facts. (A policy
    error, such as an over-commitment, is a figure the report shows, not a gap in it.) With
    `funds_only`, for a report of funds.yaml alone, only the errors in funds.yaml count."""
    errors = [p for p in checked.problems
              if p.severity is Severity.ERROR and RULES[p.rule].factual]
    loaded = checked.loaded
    if funds_only:
        errors = [p for p in errors if p.location.file == loaded.files[0]]
        return Incomplete(len(errors), 0, 0, 0) if errors else None
    if not errors:
        return None
    ledger = loaded.ledger
    unplaced = unmoved = 0
    if ledger is not None:
        whole = ledger.on(None)
        unplaced = len({entry.source.id for entry in whole.charges
                        if next(whole.pots_of(entry), None) is None
                        and not _awaits_funding(whole, entry)})
        unmoved = sum(1 for entry in whole.transfers if whole.ends_of(entry.transfer) is None)
    return Incomplete(
        errors=len(errors),
        commitments=loaded.skipped["commitment"] + unplaced,
        transfers=loaded.skipped["transfer"] + unmoved,
        unread=len(loaded.unread),
        unread_folders=len(loaded.unread_folders),
    )
