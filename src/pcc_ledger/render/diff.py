"""`diff` output, one renderer per format; each takes the same BudgetDiff and never computes.

- text: plain sections that read in an 80-column terminal (the budget as a small table per
  pot, each record on a line of its own, wrapped), every text from the data escaped.
- markdown: a pull-request comment: a heading, GitHub tables, and long lists folded away in
  `<details>`; every text from the data escaped as the markdown reports escape it.
- json: one object with stable keys for scripts; money as exact strings ("1234.00").
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from decimal import Decimal

from ..budgetdiff import (
    BudgetDiff,
    Changed,
    FieldChange,
    Found,
    MeasureChange,
    PaymentChange,
    PotChange,
    RecordChanges,
    SeenProblem,
    Side,
    part_label,
    plain,
)
from ..model import Commitment, Transfer
from ..scalars import format_money
from ..textsafety import escape_controls
from .markup import _escape_markdown

WIDTH = 80
FOLD_AFTER = 10  # rows of a markdown list shown before it is folded into <details>
MARKER = "<!-- pcc-ledger diff -->"  # lets a workflow find its own comment again
NO_CHANGE = "No change to the budget, the records or the problems."
_MEASURE_TITLES = {"allocation": "Allocation", "committed": "Committed", "paid": "Paid",
                   "available": "Available"}


def _one_line(value: str) -> str:
    return escape_controls(" ".join(value.split()))


def _money(value: Decimal | None) -> str:
    return "—" if value is None else format_money(value)


def _change(measure: MeasureChange) -> str:
    change = measure.change
    if change is None:
        return "—"
    return f"+{format_money(change)}" if change > 0 else format_money(change)


def _side_line(side: Side) -> str:
    problems = [f"{count} {name}{'' if count == 1 else 's'}"
                for count, name in ((side.errors, "error"), (side.warnings, "warning"))
                if count]
    files = f"{side.files} file{'' if side.files == 1 else 's'}"
    said = f"{', '.join(problems) or 'no problems'} in {files}"
    if side.errors:
        said = f"its data has {said}"
    if not side.funds_readable:
        said += "; its funds.yaml cannot be read, so no budget is compared"
    elif side.incomplete is not None:
        left = side.incomplete
        parts = [f"{count} {noun}{'' if count == 1 else 's'}"
                 for count, noun in ((left.commitments, "commitment"),
                                     (left.transfers, "transfer"),
                                     (left.unread, "unreadable file"),
                                     (left.unread_folders, "unreadable folder")) if count]
        said += ("; " + " and ".join(parts) + " not counted in its figures" if parts
                 else "; a figure may be wrong")
    if side.outside_links:
        said += (f"; {len(side.outside_links)} link(s) out of the data directory not read "
                 f"({', '.join(side.outside_links)})")
    return escape_controls(said)


def _pot_title(pot: PotChange) -> str:
    part = part_label(pot.part)
    title = f"{pot.fund} {pot.year}" + (f", {part}" if part else "")
    state = {"added": " (new)", "removed": " (no longer in the data)"}.get(pot.state, "")
    return escape_controls(title + state)


def _years(commitment: Commitment) -> str:
    charged = [str(year) for year, _ in commitment.charges]
    return charged[0] if len(charged) == 1 else f"{charged[0]} to {charged[-1]}"


def _commitment_summary(commitment: Commitment) -> str:
    fence = f", ring-fence {commitment.ring_fence}" if commitment.ring_fence else ""
    paid = commitment.paid
    return (f"{commitment.fund} {_years(commitment)}{fence}, {commitment.status}, "
            f"{format_money(commitment.amount)}"
            + (f", paid {format_money(paid)}" if paid else ""))


def _transfer_summary(transfer: Transfer) -> str:
    return (f"{transfer.date}, {format_money(transfer.amount)} from {transfer.source} to "
            f"{transfer.destination}")


# Said of a record added or removed whose file has errors on the other side.
_ADDED_DOUBT = "perhaps not new: its file had errors before, and it may not have been read"
_REMOVED_DOUBT = "perhaps not removed: its file has errors now, and it may not have been read"
_DOUBT_NOTE = ("⚠ Its file has errors on the other side: it may be there but unreadable, "
               "rather than added or removed.")


def _field_text(change: FieldChange) -> str:
    return f"{change.field} {change.before_text} → {change.after_text}"


# --- text ------------------------------------------------------------------------------------


def _wrapped(line: str, indent: str = "  ", more: str = "      ") -> list[str]:
    return textwrap.wrap(line, WIDTH, initial_indent=indent, subsequent_indent=more,
                         break_on_hyphens=False, break_long_words=False) or [indent]


def _text_budget(diff: BudgetDiff) -> list[str]:
    rows = [(f"  {_MEASURE_TITLES[m.measure]}", _money(m.before), _money(m.after), _change(m))
            for pot in diff.pots for m in pot.changes]
    widths = [max(len(row[index]) for row in rows) for index in range(4)]
    widths = [max(widths[0], 12), *(max(w, len("Before")) for w in widths[1:])]

    def line(cells: tuple[str, str, str, str]) -> str:
        return "  ".join([cells[0].ljust(widths[0]),
                          *(cell.rjust(width) for cell, width in zip(cells[1:], widths[1:]))])

    lines = [line(("Budget", "Before", "After", "Change")).rstrip()]
    figures = iter(rows)
    for pot in diff.pots:
        lines.append(_pot_title(pot))
        lines.extend(line(next(figures)) for _ in pot.changes)
    return lines


def _text_records(title: str, changes: RecordChanges[Commitment] | RecordChanges[Transfer],
                  summary: Callable[[object], str]) -> list[str]:
    lines: list[str] = []
    for heading, found, doubt in ((f"{title} added", changes.added, _ADDED_DOUBT),
                                  (f"{title} removed", changes.removed, _REMOVED_DOUBT)):
        if found:
            lines.extend(["", f"{heading} ({len(found)})"])
            for item in found:
                lines.extend(_wrapped(_one_line(
                    f"{item.record.id}: {summary(item.record)} ({item.file})"
                    + (f"; {doubt}" if item.maybe_unreadable else ""))))
    if changes.changed:
        lines.extend(["", f"{title} changed ({len(changes.changed)})"])
        for changed in changes.changed:
            said = "; ".join(_field_text(change) for change in changed.changes)
            lines.extend(_wrapped(_one_line(f"{changed.record.id}: {said}")))
    return lines


def _commitment_line(record: object) -> str:
    assert isinstance(record, Commitment)
    return (f"{_commitment_summary(record)}; {' '.join(record.recipient.name.split())}: "
            f"{' '.join(record.title.split())}")


def _transfer_line(record: object) -> str:
    assert isinstance(record, Transfer)
    return _transfer_summary(record)


def _text_payments(title: str, payments: list[PaymentChange]) -> list[str]:
    if not payments:
        return []
    return ["", f"{title} ({len(payments)})", *(
        "  " + _one_line(f"{payment.commitment}: {payment.date} {format_money(payment.amount)}")
        for payment in payments)]


def _text_problems(title: str, problems: list[SeenProblem], snippets: bool,
                   after: str = "") -> list[str]:
    if not problems:
        return []
    lines = ["", f"{title} ({len(problems)}){after}"]
    for problem in problems:
        where = problem.file if problem.line <= 0 else (
            f"{problem.file}:{problem.line}:{problem.column}")
        lines.extend(_wrapped(_one_line(f"{where}: {problem.severity}: {problem.message} "
                                        f"[{problem.rule}]")))
        if snippets and problem.source is not None and problem.line > 0:
            code = problem.source
            lead = "".join("\t" if char == "\t" else " " * len(escape_controls(char))
                           for char in code[: max(problem.column - 1, 0)])
            gutter = " " * len(str(problem.line))
            lines.append(f"   {problem.line} | {escape_controls(code)}")
            lines.append(f"   {gutter} | {lead}^")
    return lines


def render_text(diff: BudgetDiff) -> str:
    lines = [escape_controls(f"Budget change in {diff.data}: {diff.before.label} → "
                             f"{diff.after.label}"),
             *_wrapped(f"Before, {escape_controls(diff.before.label)}: "
                       f"{_side_line(diff.before)}", "", "  "),
             *_wrapped(f"After, {escape_controls(diff.after.label)}: "
                       f"{_side_line(diff.after)}", "", "  ")]
    if diff.unchanged:
        return "\n".join([*lines, "", NO_CHANGE])
    if diff.pots:
        lines.extend(["", *_text_budget(diff)])
    lines.extend(_text_records("Commitments", diff.commitments, _commitment_line))
    lines.extend(_text_payments("Payments added", diff.payments_added))
    lines.extend(_text_payments("Payments removed", diff.payments_removed))
    lines.extend(_text_records("Transfers", diff.transfers, _transfer_line))
    lines.extend(_text_problems("Problems introduced", diff.introduced, snippets=True))
    lines.extend(_text_problems("Problems fixed", diff.fixed, snippets=False,
                                after=escape_controls(f", at their lines in {diff.before.label}")))
    return "\n".join(lines)


# --- markdown --------------------------------------------------------------------------------


def _md(value: object) -> str:
    return _escape_markdown(str(value))


def _table(headers: list[str], rows: list[list[str]], right: tuple[int, ...] = ()) -> str:
    """A GitHub table; the columns numbered in `right` (the money) aligned right."""
    align = ["--:" if index in right else "---" for index in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines)


def _section(title: str, headers: list[str], rows: list[list[str]],
             right: tuple[int, ...] = (), after: str = "") -> str:
    """A titled table, folded into <details> when long, so the comment stays readable."""
    table = _table(headers, rows, right)
    heading = f"{title} ({len(rows)}){after}"
    if len(rows) > FOLD_AFTER:
        return f"<details><summary>{heading}</summary>\n\n{table}\n\n</details>"
    return f"**{heading}**\n\n{table}"


def _md_budget(diff: BudgetDiff) -> str:
    rows = []
    for pot in diff.pots:
        state = {"added": " (new)", "removed": " (gone)"}.get(pot.state, "")
        for index, measure in enumerate(pot.changes):
            first = index == 0
            rows.append([_md(pot.fund) if first else "", _md(pot.year) if first else "",
                         _md(part_label(pot.part) + state) if first else "",
                         _MEASURE_TITLES[measure.measure], _money(measure.before),
                         _money(measure.after), _change(measure)])
    table = _table(["Fund", "Year", "Part", "", "Before", "After", "Change"], rows,
                   right=(4, 5, 6))
    if len(rows) > FOLD_AFTER * 2:
        return (f"### Budget\n\n<details><summary>{len(rows)} figures changed, in "
                f"{len(diff.pots)} funds, years and parts</summary>\n\n{table}\n\n</details>")
    return f"### Budget\n\n{table}"


def _md_commitments(changes: RecordChanges[Commitment]) -> list[str]:
    def rows(found: list[Found[Commitment]]) -> list[list[str]]:
        return [[_md(item.record.id) + (" ⚠" if item.maybe_unreadable else ""),
                 _md(c.fund), _md(_years(c)), _md(c.ring_fence or ""), c.status,
                 format_money(c.amount), format_money(c.paid), _md(c.recipient.name),
                 _md(c.title)] for item in found for c in [item.record]]

    headers = ["Id", "Fund", "Year", "Ring-fence", "Status", "Amount", "Paid", "Recipient",
               "Title"]
    parts = [_section(title, headers, rows(found), right=(5, 6))
             for title, found in (("Commitments added", changes.added),
                                  ("Commitments removed", changes.removed)) if found]
    if changes.changed:
        parts.append(_section("Commitments changed", ["Id", "What changed"],
                              _changed_rows(changes.changed)))
    return [*parts, *_doubt_note(changes)]


def _changed_rows(changed: list[Changed[Commitment]] | list[Changed[Transfer]]
                  ) -> list[list[str]]:
    return [[_md(item.record.id), "; ".join(_md(_field_text(c)) for c in item.changes)]
            for item in changed]


def _md_payments(title: str, payments: list[PaymentChange]) -> list[str]:
    if not payments:
        return []
    return [_section(title, ["Commitment", "Date", "Amount"],
                     [[_md(p.commitment), str(p.date), format_money(p.amount)]
                      for p in payments], right=(2,))]


def _md_transfers(changes: RecordChanges[Transfer]) -> list[str]:
    def rows(found: list[Found[Transfer]]) -> list[list[str]]:
        return [[_md(item.record.id) + (" ⚠" if item.maybe_unreadable else ""),
                 str(t.date), _md(t.source), _md(t.destination), format_money(t.amount)]
                for item in found for t in [item.record]]

    headers = ["Id", "Date", "From", "To", "Amount"]
    parts = [_section(title, headers, rows(found), right=(4,))
             for title, found in (("Transfers added", changes.added),
                                  ("Transfers removed", changes.removed)) if found]
    if changes.changed:
        parts.append(_section("Transfers changed", ["Id", "What changed"],
                              _changed_rows(changes.changed)))
    return [*parts, *_doubt_note(changes)]


def _doubt_note(changes: RecordChanges[Commitment] | RecordChanges[Transfer]) -> list[str]:
    if any(item.maybe_unreadable for item in [*changes.added, *changes.removed]):
        return [_DOUBT_NOTE]
    return []


def _md_problems(title: str, problems: list[SeenProblem], after: str = "") -> list[str]:
    if not problems:
        return []
    rows = [[_md(f"{p.file}:{p.line}" if p.line > 0 else p.file), p.severity, _md(p.message),
             _md(p.rule)] for p in problems]
    return [_section(title, ["Where", "Severity", "Problem", "Rule"], rows, after=_md(after))]


def render_markdown(diff: BudgetDiff) -> str:
    before, after = diff.before, diff.after
    parts = [
        f"{MARKER}\n## Budget change: {_md(before.label)} → {_md(after.label)}",
        _table(["", "Revision", "Data"], [
            ["Before", _md(before.label), _md(_side_line(before))],
            ["After", _md(after.label), _md(_side_line(after))],
        ]),
    ]
    if diff.unchanged:
        parts.append(NO_CHANGE)
        return "\n\n".join(parts)
    if diff.pots:
        parts.append(_md_budget(diff))
    records = [*_md_commitments(diff.commitments),
               *_md_payments("Payments added", diff.payments_added),
               *_md_payments("Payments removed", diff.payments_removed),
               *_md_transfers(diff.transfers)]
    if records:
        parts.extend(["### Records", *records])
    problems = [*_md_problems("Problems introduced", diff.introduced),
                *_md_problems("Problems fixed", diff.fixed, f", at their lines in {before.label}")]
    if problems:
        parts.extend(["### Problems", *problems])
    return "\n\n".join(parts)


# --- json ------------------------------------------------------------------------------------


def _json_side(side: Side) -> dict[str, object]:
    return {"label": side.label, "revision": side.revision, "commit": side.commit,
            "files": side.files, "errors": side.errors, "warnings": side.warnings,
            "funds_readable": side.funds_readable,
            "incomplete": None if side.incomplete is None else side.incomplete.as_data(),
            "outside_links": list(side.outside_links)}


def _json_pot(pot: PotChange) -> dict[str, object]:
    return {"fund": pot.fund, "year": str(pot.year), "part": pot.part, "state": pot.state,
            "changes": {m.measure: {"before": plain(m.before), "after": plain(m.after),
                                    "change": plain(m.change)} for m in pot.changes}}


def _json_commitment(item: Found[Commitment]) -> dict[str, object]:
    c = item.record
    return {"id": c.id, "file": item.file, "maybe_unreadable": item.maybe_unreadable,
            "fund": c.fund,
            "years": {str(year): plain(amount) for year, amount in c.charges},
            "ring_fence": c.ring_fence, "status": c.status, "amount": plain(c.amount),
            "paid": plain(c.paid), "recipient": c.recipient.name, "title": c.title}


def _json_transfer(item: Found[Transfer]) -> dict[str, object]:
    t = item.record
    return {"id": t.id, "file": item.file, "maybe_unreadable": item.maybe_unreadable,
            "date": plain(t.date), "from": plain(t.source),
            "to": plain(t.destination), "amount": plain(t.amount)}


def _json_changed(item: Changed[Commitment] | Changed[Transfer]) -> dict[str, object]:
    return {"id": item.record.id, "file": item.file,
            "changes": [{"field": c.field, "before": c.before, "after": c.after}
                        for c in item.changes]}


def _json_payment(payment: PaymentChange) -> dict[str, object]:
    return {"commitment": payment.commitment, "date": plain(payment.date),
            "amount": plain(payment.amount), "file": payment.file}


def _json_problem(problem: SeenProblem) -> dict[str, object]:
    return {"file": problem.file, "line": problem.line, "column": problem.column,
            "severity": problem.severity, "rule": problem.rule,
            "message": escape_controls(problem.message)}


def render_json(diff: BudgetDiff) -> str:
    commitments, transfers = diff.commitments, diff.transfers
    document = {
        "version": 1,
        "data": diff.data,
        "before": _json_side(diff.before),
        "after": _json_side(diff.after),
        "unchanged": diff.unchanged,
        "budget_compared": diff.budget_compared,
        "budget": [_json_pot(pot) for pot in diff.pots],
        "commitments": {
            "added": [_json_commitment(item) for item in commitments.added],
            "removed": [_json_commitment(item) for item in commitments.removed],
            "changed": [_json_changed(item) for item in commitments.changed],
        },
        "payments": {
            "added": [_json_payment(payment) for payment in diff.payments_added],
            "removed": [_json_payment(payment) for payment in diff.payments_removed],
        },
        "transfers": {
            "added": [_json_transfer(item) for item in transfers.added],
            "removed": [_json_transfer(item) for item in transfers.removed],
            "changed": [_json_changed(item) for item in transfers.changed],
        },
        "problems": {
            "introduced": [_json_problem(problem) for problem in diff.introduced],
            "fixed": [_json_problem(problem) for problem in diff.fixed],
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


DIFF_FORMATS: dict[str, Callable[[BudgetDiff], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
}
