"""Suppression comments: `# pcc-ledger: ignore[rule-id, …]` in a data file, the way
`# noqa: E501` and `# type: ignore[code]` work in code.

- At the end of a line, it ignores those rules' problems on that line.
- On a line of its own, it ignores them on the next line that holds data.
- When that line starts a list item (`- id: VS-2017-001`), it ignores them anywhere in the
  item: a whole commitment, transfer or round.

Only policy rules can be ignored: a fact (a bad amount, an unknown fund) is never hidden, and a
comment naming one is itself an error, as is a rule that does not exist. A comment that ignores
nothing is reported too, so that suppressions do not outlive the problems they were for.

Files are looked at only when their bytes hold the marker, so a data directory without
suppressions costs one `find` per file.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .policy import setting_of
from .problems import Location, Problem
from .rules import RULES, make_problem
from .scalars import shown
from .yamllines import block_end, comment_start, holds_data, indent_of, opens_block_scalar
from .yamlsource import MAX_FILE_BYTES

MARKER = b"pcc-ledger:"
_COMMENT = re.compile(r"#\s*pcc-ledger:\s*(?P<word>[A-Za-z-]*)(?:\[(?P<rules>[^\]]*)\])?")
_EXAMPLE = "`# pcc-ledger: ignore[award-above-maximum]`"


@dataclass(frozen=True)
class Suppression:
    file: str  # as shown to the user
    line: int  # where the comment is
    column: int
    rules: tuple[str, ...]
    first: int  # the lines it covers, inclusive
    last: int


@dataclass
class Applied:
    kept: list[Problem]
    suppressed: list[Problem]
    problems: list[Problem]  # about the comments themselves


def scan_text(file: str, text: str) -> tuple[list[Suppression], list[Problem]]:
    """Every suppression comment in one file's text, and a problem for each malformed one."""
    lines = text.splitlines()
    found: list[Suppression] = []
    problems: list[Problem] = []
    scalar_owner: int | None = None  # the indentation of the key of a block scalar's text
    for index, line in enumerate(lines):
        if scalar_owner is not None:
            if not line.strip() or indent_of(line) > scalar_owner:
                continue  # the text of a `|` or `>` value: no comments in it
            scalar_owner = None
        if opens_block_scalar(line):
            scalar_owner = indent_of(line)
        if "pcc-ledger:" not in line:
            continue
        match = _comment_in(line)
        if match is None:
            continue
        where = Location(file, index + 1, match.start() + 1)
        rules, refused = _rules_of(match, where)
        problems.extend(refused)
        if not rules:
            continue
        own_line = not line[: match.start()].strip()
        target = _next_data_line(lines, index + 1) if own_line else index
        if target is None:
            problems.append(make_problem(
                "suppression-invalid", where,
                "this suppression comment has no data after it to apply to; remove it"))
            continue
        found.append(Suppression(file, index + 1, match.start() + 1, rules,
                                 target + 1, _item_end(lines, target) + 1))
    return found, problems


def _comment_in(line: str) -> re.Match[str] | None:
    """The marker in the line's YAML comment (not in a quoted value: see comment_start)."""
    start = comment_start(line)
    if start is None:
        return None
    for match in _COMMENT.finditer(line, start):
        if match.start() == start or line[match.start() - 1].isspace():
            return match
    return None


def _rules_of(match: re.Match[str], where: Location) -> tuple[tuple[str, ...], list[Problem]]:
    if match["word"] != "ignore":
        return (), [make_problem(
            "suppression-invalid", where,
            f"`pcc-ledger: {shown(match['word'])}` is not a suppression; write {_EXAMPLE}")]
    named = [name.strip() for name in (match["rules"] or "").split(",") if name.strip()]
    if not named:
        return (), [make_problem(
            "suppression-invalid", where,
            f"name the rules to ignore, as {_EXAMPLE} (`pcc-ledger rules` lists them)")]
    rules: list[str] = []
    problems = []
    for name in named:
        rule = RULES.get(name)
        if rule is None:
            guess = difflib.get_close_matches(name, list(RULES), n=1)
            hint = f"did you mean `{guess[0]}`?" if guess else "`pcc-ledger rules` lists them"
            problems.append(make_problem("suppression-invalid", where,
                                         f"no rule `{shown(name)}` to ignore; {hint}"))
        elif rule.factual:
            problems.append(make_problem(
                "suppression-invalid", where,
                f"`{name}` reports a fact about the data, which cannot be ignored: correct the "
                "data instead (only policy rules can be ignored)"))
        else:
            rules.append(name)
    return tuple(rules), problems


def _next_data_line(lines: list[str], start: int) -> int | None:
    return next((index for index in range(start, len(lines)) if holds_data(lines[index])),
                None)


def _item_end(lines: list[str], target: int) -> int:
    """The last line of the list item starting on `target` (or `target`, if it starts none)."""
    if not lines[target].lstrip(" ").startswith("-"):
        return target
    return block_end(lines, target)


def scan_files(files: Iterable[tuple[Path, str]]) -> tuple[list[Suppression], list[Problem]]:
    """The suppressions of every data file, given as (path on disk, name shown)."""
    found: list[Suppression] = []
    problems: list[Problem] = []
    for path, file in files:
        try:
            # Only what the loader would read: never a FIFO (reading one waits for a writer
            # that may never come) or a device, nor a file over the size limit.
            status = os.stat(path)
            if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
                continue
            raw = path.read_bytes()
        except OSError:  # reported by the loader already
            continue
        if MARKER not in raw:
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:  # reported by the loader already
            continue
        more, malformed = scan_text(file, text)
        found.extend(more)
        problems.extend(malformed)
    return found, problems


def apply(problems: list[Problem], suppressions: list[Suppression],
          settings: Mapping[str, str]) -> Applied:
    """Set aside the problems a comment ignores; report a comment that ignores nothing (unless
    the rule it names is off anyway)."""
    if not suppressions:
        return Applied(problems, [], [])
    by_file: dict[str, list[Suppression]] = {}
    for suppression in suppressions:
        by_file.setdefault(suppression.file, []).append(suppression)
    used: set[tuple[Suppression, str]] = set()
    kept, suppressed = [], []
    for problem in problems:
        rule = RULES.get(problem.rule)
        hit = None
        if rule is not None and not rule.factual:
            line = problem.location.line
            hit = next((s for s in by_file.get(problem.location.file, ())
                        if problem.rule in s.rules and s.first <= line <= s.last), None)
        if hit is None:
            kept.append(problem)
        else:
            used.add((hit, problem.rule))
            suppressed.append(problem)
    unused = [
        make_problem(
            "suppression-unused",
            Location(suppression.file, suppression.line, suppression.column),
            f"nothing here is reported as `{rule_id}`: remove it from the suppression comment",
        )
        for suppression in suppressions
        for rule_id in suppression.rules
        if (suppression, rule_id) not in used
        and (rule_id not in RULES or setting_of(rule_id, settings) != "off")
    ]
    return Applied(kept, suppressed, unused)
