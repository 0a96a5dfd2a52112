"""What a change to the data does to the budget (`pcc-ledger diff`), as values.

The data at two git revisions (or at one and in the working tree) is loaded and checked
exactly as `check` loads and checks it, and the two are compared:

- per fund, year and part (the whole allocation, each ring-fence, the unfenced part), the
  revised allocation, committed, paid and available, before and after: the rows that changed;
- the commitments and transfers added, removed and changed, matched by id, with the fields
  that changed; the payments added to or removed from a commitment on both sides;
- the problems introduced and fixed, matched by file, rule, severity and message: not by line,
  since an edit above a problem moves it without changing it.

A side whose data has errors is still compared, from every record that could be read (its
`Side` counts the errors, for the report to say so); a side whose funds.yaml cannot be read
has no budget to compare, but its records and problems still are. Nothing here prints: the
renderers are in render/diff.py.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Generic, TypeVar

from . import gitrevision
from .checking import Checked, check_directory
from .completeness import Incomplete, incompleteness
from .datadir import NoData
from .gitrevision import Repository, Revision, RevisionRefused
from .ledger import UNFENCED
from .model import (
    Commitment,
    Payment,
    Recipient,
    Review,
    ScheduledPayment,
    Transfer,
    TransferEnd,
)
from .render.problems import read_lines
from .scalars import FinancialYear, format_money
from .scalars import shown as shortened

if TYPE_CHECKING:
    from .cache import FileCache

MEASURES = ("allocation", "committed", "paid", "available")
WORK_TREE = "working tree"


@dataclass(frozen=True)
class Figures:
    """One pot's figures. `allocation` is the revised allocation (after transfers), which is
    what commitments are measured against; it and `available` are None where no amount is
    stated."""

    allocation: Decimal | None
    committed: Decimal
    paid: Decimal
    available: Decimal | None


# A pot: fund, year, and part (None: the whole allocation; a ring-fence id; or UNFENCED).
PotKey = tuple[str, FinancialYear, str | None]


@dataclass(frozen=True)
class SeenProblem:
    """A problem as found on one side, with its place resolved and the text of its line (the
    side's files may be gone by the time it is shown)."""

    file: str
    line: int
    column: int
    severity: str
    rule: str
    message: str
    source: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.file, self.rule, self.severity, self.message)


@dataclass(frozen=True)
class Side:
    """One side of the comparison, and how its data fared."""

    label: str  # "HEAD (9d3a0f0)", "working tree"
    revision: str | None  # as named; None for the working tree
    commit: str | None
    files: int
    errors: int
    warnings: int
    funds_readable: bool  # False: funds.yaml cannot be read, so there is no budget
    # What its figures leave out, when errors in its data kept records out (as a report says).
    incomplete: Incomplete | None = None
    outside_links: tuple[str, ...] = ()  # links out of the data directory, not followed


@dataclass
class Snapshot:
    side: Side
    pots: dict[PotKey, Figures]  # in the order of the reports: fund, year, whole then parts
    commitments: list[tuple[Commitment, str]]  # every commitment read, with its file
    transfers: list[tuple[Transfer, str]]
    problems: list[SeenProblem]


@dataclass(frozen=True)
class MeasureChange:
    measure: str  # one of MEASURES
    before: Decimal | None
    after: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class PotChange:
    fund: str
    year: FinancialYear
    part: str | None  # None: the whole allocation; a ring-fence id; or UNFENCED
    state: str  # "changed"; "added" (a new allocation, ring-fence...); "removed"
    changes: list[MeasureChange]


@dataclass(frozen=True)
class FieldChange:
    """One field of a record: as plain values (for json: money as "1234.00", dates as text)
    and as text people read (money as £1,234.00)."""

    field: str
    before: object
    after: object
    before_text: str
    after_text: str


Record = TypeVar("Record", Commitment, Transfer)


@dataclass(frozen=True)
class Found(Generic[Record]):
    """A record found on one side only, with its file there."""

    record: Record
    file: str
    # The file has errors on the other side: the record may be there but unreadable, rather
    # than added or removed.
    maybe_unreadable: bool = False


@dataclass(frozen=True)
class Changed(Generic[Record]):
    """A record on both sides, as it is after, with what changed."""

    record: Record
    file: str
    changes: list[FieldChange]


@dataclass
class RecordChanges(Generic[Record]):
    added: list[Found[Record]] = field(default_factory=list)
    removed: list[Found[Record]] = field(default_factory=list)
    changed: list[Changed[Record]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class PaymentChange:
    commitment: str
    date: date
    amount: Decimal
    file: str


@dataclass
class BudgetDiff:
    data: str  # the data directory, as the user named it
    before: Side
    after: Side
    budget_compared: bool  # False when a side's funds.yaml cannot be read
    pots: list[PotChange]
    commitments: RecordChanges[Commitment]
    payments_added: list[PaymentChange]
    payments_removed: list[PaymentChange]
    transfers: RecordChanges[Transfer]
    introduced: list[SeenProblem]
    fixed: list[SeenProblem]

    @property
    def unchanged(self) -> bool:
        return not (self.pots or self.commitments or self.payments_added
                    or self.payments_removed or self.transfers or self.introduced or self.fixed)


def budget_diff(directory: str, first: str | None, second: str | None, as_of: date,
                environ: Mapping[str, str], cache: FileCache | None = None) -> BudgetDiff:
    """`diff [REV [REV2]]`: REV (default: HEAD, or the pull request's base in GitHub Actions)
    against REV2 (default: the working tree). Raises RevisionRefused or NoData, usage errors,
    when git, the repository, a revision or the data is not there."""
    repository = gitrevision.locate(directory)
    base = (gitrevision.revision(repository, first) if first is not None
            else gitrevision.default_base(repository, environ))
    other = gitrevision.revision(repository, second) if second is not None else None
    # Every refusal before any loading: a revision without the data is said at once.
    base_tree = gitrevision.data_tree(repository, base)
    other_tree = gitrevision.data_tree(repository, other) if other is not None else None
    if other_tree is None:
        after = snapshot(check_directory(directory, as_of, None, cache), WORK_TREE, None)
    else:
        after = _revision_snapshot(repository, other_tree, as_of)
    before = _revision_snapshot(repository, base_tree, as_of)
    return compare(directory, before, after)


def _revision_snapshot(repository: Repository, tree: gitrevision.DataTree,
                       as_of: date) -> Snapshot:
    with gitrevision.exported(repository, tree) as written:
        try:
            checked = check_directory(str(written.folder), as_of,
                                      shown_as=repository.directory)
        except NoData:  # funds.yaml is there, as a link that leads out of the data
            raise RevisionRefused(f"{tree.revision.label} has no readable funds.yaml in "
                                  f"{repository.directory}") from None
        # Inside the block: problems' lines are found by reading their files again.
        return snapshot(checked, tree.revision.label, tree.revision,
                        tuple(written.outside_links))


def snapshot(checked: Checked, label: str, revision: Revision | None,
             outside_links: tuple[str, ...] = ()) -> Snapshot:
    """What one side's comparison needs, as plain values, so that its files (a temporary
    folder, for a revision) are no longer needed once it is made."""
    loaded = checked.loaded
    ledger = loaded.ledger
    pots: dict[PotKey, Figures] = {}
    if ledger is not None:
        for position in ledger.select():
            for pot in (position.whole, *position.parts.values()):
                pots[(pot.fund_id, pot.year, pot.part)] = Figures(
                    pot.limit, pot.committed, pot.paid, pot.available)
    problems = _seen(checked)
    errors = sum(1 for problem in problems if problem.severity == "error")
    side = Side(label, None if revision is None else revision.name,
                None if revision is None else revision.commit, len(loaded.files), errors,
                len(problems) - errors, ledger is not None, incompleteness(checked),
                outside_links)
    return Snapshot(
        side, pots,
        [(entry.commitment, entry.document.file) for entry in loaded.entries],
        [(entry.transfer, entry.document.file) for entry in loaded.transfers],
        problems)


def _seen(checked: Checked) -> list[SeenProblem]:
    problems = sorted(checked.problems)
    real = dict(zip(checked.loaded.files, checked.loaded.paths, strict=False))
    wanted: dict[str, set[int]] = {}
    for problem in problems:
        if problem.location.line > 0 and problem.location.file in real:
            wanted.setdefault(problem.location.file, set()).add(problem.location.line)
    lines = {(file, number): text for file, numbers in wanted.items()
             for number, text in read_lines(real[file], numbers)}
    return [
        SeenProblem(problem.location.file, problem.location.line, problem.location.column,
                    problem.severity.value, problem.rule, problem.message,
                    lines.get((problem.location.file, problem.location.line)))
        for problem in problems
    ]


def compare(directory: str, before: Snapshot, after: Snapshot) -> BudgetDiff:
    budget_compared = before.side.funds_readable and after.side.funds_readable
    introduced, fixed = _problem_changes(before.problems, after.problems)
    commitments = _doubted(_record_changes(before.commitments, after.commitments,
                                           lambda c: c.id, _commitment_fields), before, after)
    added, removed = _payment_changes(before.commitments, after.commitments)
    return BudgetDiff(
        directory, before.side, after.side, budget_compared,
        _pot_changes(before.pots, after.pots) if budget_compared else [],
        commitments, added, removed,
        _doubted(_record_changes(before.transfers, after.transfers, lambda t: t.id,
                                 _transfer_fields), before, after),
        introduced, fixed)


def _doubted(changes: RecordChanges[Record], before: Snapshot,
             after: Snapshot) -> RecordChanges[Record]:
    """Marks the records added or removed whose file, on the other side, has errors that kept
    records out of it: an unreadable commitment must not pass for one removed in silence."""
    def broken(side: Snapshot) -> set[str]:
        if side.side.incomplete is None:
            return set()
        return {problem.file for problem in side.problems if problem.severity == "error"}

    was_broken, now_broken = broken(before), broken(after)
    changes.added = [dataclasses.replace(item, maybe_unreadable=item.file in was_broken)
                     for item in changes.added]
    changes.removed = [dataclasses.replace(item, maybe_unreadable=item.file in now_broken)
                       for item in changes.removed]
    return changes


def _pot_changes(before: dict[PotKey, Figures], after: dict[PotKey, Figures]) -> list[PotChange]:
    keys = [*after, *(key for key in before if key not in after)]
    funds = {fund: index for index, (fund, _, _) in reversed(list(enumerate(keys)))}
    parts = {key: index for index, key in reversed(list(enumerate(keys)))}

    def order(key: PotKey) -> tuple[int, FinancialYear, int]:
        return (funds[key[0]], key[1], -1 if key[2] is None else parts[key])

    changes = []
    for key in sorted(keys, key=order):
        old, new = before.get(key), after.get(key)
        measures = [
            MeasureChange(measure, was, now)
            for measure in MEASURES
            for was, now in [(_figure(old, measure), _figure(new, measure))]
            if was != now
        ]
        if measures:
            state = "added" if old is None else "removed" if new is None else "changed"
            changes.append(PotChange(*key, state, measures))
    return changes


def _figure(figures: Figures | None, measure: str) -> Decimal | None:
    if figures is None:
        return None
    value: Decimal | None = getattr(figures, measure)
    return value


def part_label(part: str | None) -> str:
    """How a report names a part: "" for the whole allocation."""
    if part is None:
        return ""
    return "unfenced" if part == UNFENCED else f"ring-fence {part}"


def _problem_changes(before: list[SeenProblem], after: list[SeenProblem]
                     ) -> tuple[list[SeenProblem], list[SeenProblem]]:
    """The problems after that were not before, and the other way round. The same problem
    twice (two commitments over one limit, say) counts twice."""
    def extra(these: list[SeenProblem], those: list[SeenProblem]) -> list[SeenProblem]:
        left = Counter(problem.key for problem in those)
        found = []
        for problem in these:
            if left[problem.key]:
                left[problem.key] -= 1
            else:
                found.append(problem)
        return found

    return extra(after, before), extra(before, after)


def _record_changes(before: list[tuple[Record, str]], after: list[tuple[Record, str]],
                    identity: Callable[[Record], str],
                    fields: Callable[[Record, Record], list[FieldChange]]
                    ) -> RecordChanges[Record]:
    """Records matched by id (the first with an id before to the first after, and so on, so
    that a duplicated id, which `check` reports, is still compared one by one)."""
    old = _by_id(before, identity)
    changes: RecordChanges[Record] = RecordChanges()
    seen: Counter[str] = Counter()
    for record, file in after:
        key = identity(record)
        index = seen[key]
        seen[key] += 1
        earlier = old.get(key, [])
        if index >= len(earlier):
            changes.added.append(Found(record, file))
            continue
        was, was_in = earlier[index]
        found = fields(was, record)
        if was_in != file:
            found.append(FieldChange("file", was_in, file, was_in, file))
        if found:
            changes.changed.append(Changed(record, file, found))
    for key, records in old.items():
        changes.removed.extend(Found(record, file) for record, file in records[seen[key]:])
    return changes


def _by_id(records: list[tuple[Record, str]],
           identity: Callable[[Record], str]) -> dict[str, list[tuple[Record, str]]]:
    grouped: dict[str, list[tuple[Record, str]]] = {}
    for record, file in records:
        grouped.setdefault(identity(record), []).append((record, file))
    return grouped


# The fields of a commitment in the order a change to them is told: money first. Payments
# are told on their own (added and removed); any field not named here comes last.
_COMMITMENT_ORDER = ("status", "amount", "years", "year", "fund", "ring_fence", "approved",
                     "recipient", "title")
_COMMITMENT_FIELDS = (*_COMMITMENT_ORDER, *(
    field.name for field in dataclasses.fields(Commitment)
    if field.name not in (*_COMMITMENT_ORDER, "id", "payments")))
# A transfer's fields as the data names them (`from`, `to`).
_TRANSFER_FIELDS = (("amount", "amount"), ("date", "date"), ("from", "source"),
                    ("to", "destination"), *(
                        (field.name, field.name) for field in dataclasses.fields(Transfer)
                        if field.name not in ("id", "amount", "date", "source",
                                              "destination")))


def _field_changes(before: object, after: object,
                   names: Iterable[tuple[str, str]]) -> list[FieldChange]:
    changes = []
    for name, attribute in names:
        was, now = getattr(before, attribute), getattr(after, attribute)
        if was != now:
            changes.append(FieldChange(name, plain(was), plain(now), text(was), text(now)))
    return changes


def _commitment_fields(before: Commitment, after: Commitment) -> list[FieldChange]:
    changes = _field_changes(before, after, ((name, name) for name in _COMMITMENT_FIELDS))
    # The same payments by date and amount, but not the same payments: a reference or a note
    # changed (a payment added or removed is told on its own).
    if (_payment_keys(before.payments) == _payment_keys(after.payments)
            and sorted(map(_payment_order, before.payments))
            != sorted(map(_payment_order, after.payments))):
        changes.append(FieldChange("payments", plain(before.payments), plain(after.payments),
                                   text(before.payments), text(after.payments)))
    return changes


def _payment_order(payment: Payment) -> tuple[date, Decimal, str, str]:
    return (payment.date, payment.amount, payment.reference or "", payment.note or "")


def _transfer_fields(before: Transfer, after: Transfer) -> list[FieldChange]:
    return _field_changes(before, after, _TRANSFER_FIELDS)


def _payment_keys(payments: list[Payment]) -> Counter[tuple[date, Decimal]]:
    return Counter((payment.date, payment.amount) for payment in payments)


def _payment_changes(before: list[tuple[Commitment, str]], after: list[tuple[Commitment, str]]
                     ) -> tuple[list[PaymentChange], list[PaymentChange]]:
    """Payments added to and removed from the commitments on both sides, by date and amount
    (a commitment added or removed brings its payments with it: they are told with it)."""
    old = _by_id(before, lambda c: c.id)
    seen: Counter[str] = Counter()
    added: list[PaymentChange] = []
    removed: list[PaymentChange] = []
    for commitment, file in after:
        index = seen[commitment.id]
        seen[commitment.id] += 1
        earlier = old.get(commitment.id, [])
        if index >= len(earlier):
            continue
        was, was_in = earlier[index]
        was_paid, now_paid = _payment_keys(was.payments), _payment_keys(commitment.payments)
        added.extend(PaymentChange(commitment.id, day, amount, file)
                     for (day, amount), count in sorted((now_paid - was_paid).items())
                     for _ in range(count))
        removed.extend(PaymentChange(commitment.id, day, amount, was_in)
                       for (day, amount), count in sorted((was_paid - now_paid).items())
                       for _ in range(count))
    return added, removed


def plain(value: object) -> object:
    """A value for json: money as "1234.00" (exact, never a float), dates and years as text,
    records as objects."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, FinancialYear):
        return str(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, TransferEnd):
        return {name: plain(getattr(value, name)) for name in ("fund", "year", "ring_fence",
                                                                "reserve")
                if getattr(value, name) is not None}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {item.name: plain(getattr(value, item.name))
                for item in dataclasses.fields(value)}
    return value


def text(value: object) -> str:
    """A field's value as the other reports write it, on one line, long text shortened."""
    if value is None:
        return "none"
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return shortened(" ".join(value.split()))
    if isinstance(value, Recipient):
        return f"{shortened(' '.join(value.name.split()))} ({value.type})"
    if isinstance(value, dict):
        return ", ".join(f"{key} {text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return _listed(value)
    return str(value)  # a financial year, a transfer's end


def _listed(items: list[object]) -> str:
    dated = [item for item in items if isinstance(item, (Payment, ScheduledPayment))]
    if not items:
        return "none"
    lines = [item for item in items if isinstance(item, str)]  # outcomes
    if len(lines) == len(items):
        return "; ".join(shortened(" ".join(line.split())) for line in lines)
    reviews = [item for item in items if isinstance(item, Review)]
    if len(reviews) == len(items):  # the findings are internal: not in a comment
        return "; ".join(f"{review.date} {review.result}" for review in reviews)
    if len(dated) != len(items) or len(items) > 3:
        total = sum((item.amount for item in dated), Decimal(0))
        return f"{len(items)} payments, {format_money(total)}"
    return "; ".join(
        f"{item.date} {format_money(item.amount)}" + "".join(
            f" {shortened(' '.join(note.split()), 20)}"
            for note in (getattr(item, "reference", None), item.note) if note)
        for item in dated)
