"""The voters' ballots of a participatory-budgeting round, in Pabulib's `.pb` format.

Pabulib (pabulib.org/format) is the open library of participatory-budgeting votes, and its
format the one the research field and `pabutools` read: a UTF-8 text file of three sections,
each a header row and rows of `;`-separated cells:

    META                      key;value rows: vote_type, num_projects, num_votes, budget...
    PROJECTS                  project_id;cost;... one row a project
    VOTES                     voter_id;vote;...   `vote` lists the projects a voter approved

pcc-ledger reads approval ballots (each voter's chosen projects), which is what the Method of
Equal Shares needs. Every problem names the line; the reading never stops at the first one.
A ballots file may identify voters' choices: nothing here is ever published, only counts.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .problems import Location, Problem
from .rules import make_problem
from .tally import supporters

MAX_BALLOTS_BYTES = 64 * 1024 * 1024
MAX_PROBLEMS = 20  # in one file: a file that is wrong throughout says so once, not 100,000 times
SECTIONS = ("META", "PROJECTS", "VOTES")
_NEEDED_META = ("vote_type", "num_projects", "num_votes", "budget")
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
_WHOLE = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class PbProject:
    id: str
    cost: Decimal
    line: int
    cost_text: str = ""  # as written, for messages


@dataclass
class Ballots:
    """What a .pb file says: its metadata, its projects (with their lines) and its ballots,
    identical ballots counted together (a voter's choices, not who made them)."""

    file: str  # as the user sees it
    meta: dict[str, str] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    projects: dict[str, PbProject] = field(default_factory=dict)
    ballots: Counter[frozenset[str]] = field(default_factory=Counter)
    rows: Counter[str] = field(default_factory=Counter)  # rows of each section, good or not
    broken: set[str] = field(default_factory=set)  # sections not read to their end

    @property
    def voters(self) -> int:
        return sum(self.ballots.values())

    def approvals(self) -> Counter[str]:
        """How many voters approved each project (0 for those nobody chose)."""
        counts: Counter[str] = Counter({project: 0 for project in self.projects})
        counts.update(supporters(self.ballots))
        return counts


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.more = 0

    def problem(self, line: int, column: int, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(make_problem("ballots-invalid",
                                              Location(self.file, line, column), message))
        else:
            self.more += 1

    def finish(self) -> list[Problem]:
        if self.more:
            self.problems.append(make_problem(
                "ballots-invalid", Location(self.file),
                f"and {self.more:,} more problems in this file, not shown; correct those above "
                "and run `pcc-ledger check` again"))
        return self.problems


def read_ballots(path: Path, file: str, named_at: Location) -> tuple[Ballots | None, list[Problem]]:
    """Read a .pb file. `file` is the path as the user should see it; `named_at`, the
    `ballots:` key that names it, where a file that cannot be read at all is reported."""

    def unreadable(why: str) -> tuple[None, list[Problem]]:
        return None, [make_problem("ballots-unreadable", named_at, why)]

    try:
        found = os.stat(path)
        if stat.S_ISDIR(found.st_mode):
            return unreadable(f"the ballots file {file} is a folder; name the .pb file in it")
        if not stat.S_ISREG(found.st_mode):
            return unreadable(f"the ballots file {file} is not a regular file; name a .pb file")
        if found.st_size > MAX_BALLOTS_BYTES:
            return unreadable(
                f"the ballots file {file} is {found.st_size / 1024 / 1024:,.0f} MiB, over the "
                f"{MAX_BALLOTS_BYTES // 1024 // 1024} MiB limit; is it the right file?")
        raw = path.read_bytes()
    except FileNotFoundError:
        return unreadable(f"no ballots file {file}; put the round's .pb file there (beside the "
                          "file that names it), or correct `ballots:`")
    except OSError as error:
        return unreadable(f"cannot read the ballots file {file}: {error.strerror or error}; "
                          "check that you may read it")
    reader = _Reader(file)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\0" in raw:
        reader.problem(1, 1, "not a text file (UTF-16, or binary); a .pb file is UTF-8 text")
        return None, reader.finish()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        reader.problem(line, 1, f"not UTF-8 text (byte 0x{raw[error.start]:02x} on this line); "
                       "save the file as UTF-8")
        return None, reader.finish()
    ballots = _parse(text, reader)
    problems = reader.finish()
    return (None if problems else ballots), problems


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in next(csv.reader([line], delimiter=";"))]


def _column(line: str, index: int) -> int:
    """The column where the cell `index` of a line starts (quotes aside, close enough)."""
    column = 1
    for _ in range(index):
        found = line.find(";", column - 1)
        if found < 0:
            return column
        column = found + 2
    while column <= len(line) and line[column - 1] == " ":
        column += 1
    return column


def _parse(text: str, reader: _Reader) -> Ballots:
    ballots = Ballots(reader.file)
    section: str | None = None
    header: dict[str, int] | None = None
    seen_sections: list[str] = []
    voter_ids: set[str] = set()
    last_line = 0
    # Lines end at \n (and \r\n) only, as csv reads them: str.splitlines would also break at
    # U+2028, form feeds and the like inside a project's name, and miscount every line after.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        last_line = number
        marker = line.strip().upper()
        if marker in SECTIONS:
            expected = SECTIONS[len(seen_sections)] if len(seen_sections) < 3 else None
            misplaced = marker in seen_sections or marker != expected
            if marker in seen_sections:
                reader.problem(number, 1, f"a second {marker} section; a .pb file has one each "
                               "of META, PROJECTS and VOTES")
            elif marker != expected:
                reader.problem(number, 1, f"{marker} before {expected}; the sections are META, "
                               "PROJECTS and VOTES, in that order")
            seen_sections.append(marker)
            if misplaced:
                # What follows cannot be trusted to belong where it stands: read no further
                # rows, and count none of the sections (a count would only repeat this).
                ballots.broken.update(SECTIONS)
                section = "?"
            else:
                section, header = marker, None
            continue
        if section is None:
            reader.problem(number, 1, "a .pb file starts with the line META; is this a "
                           "Pabulib file?")
            section = "?"
            continue
        if section == "?":
            continue
        cells = _cells(line)
        if header is None:
            header = {name.lower(): index for index, name in enumerate(cells)}
            wanted = {"META": ("key", "value"), "PROJECTS": ("project_id", "cost"),
                      "VOTES": ("voter_id", "vote")}[section]
            missing = [name for name in wanted if name not in header]
            if missing:
                reader.problem(number, 1, f"the {section} header has no "
                               + " or ".join(f"`{name}`" for name in missing)
                               + f" column; it starts {';'.join(wanted)}")
                ballots.broken.add(section)
                section = "?"
            continue
        ballots.rows[section] += 1
        if section == "META":
            _meta_row(cells, number, header, ballots, reader)
        elif section == "PROJECTS":
            _project_row(line, cells, number, header, ballots, reader)
        else:
            _vote_row(line, cells, number, header, ballots, voter_ids, reader)
    for marker in SECTIONS:
        if marker not in seen_sections:
            reader.problem(max(last_line, 1), 1, f"no {marker} section; a .pb file has META, "
                           "PROJECTS and VOTES, in that order")
    _check_meta(ballots, reader)
    return ballots


def _meta_row(cells: list[str], number: int, header: dict[str, int], ballots: Ballots,
              reader: _Reader) -> None:
    key_at, value_at = header["key"], header["value"]
    if len(cells) <= max(key_at, value_at):
        reader.problem(number, 1, "a META row is `key;value`")
        return
    key = cells[key_at].lower()
    if key in ballots.meta:
        reader.problem(number, 1, f"`{key}` again; it is already set on line "
                       f"{ballots.meta_lines[key]}")
        return
    ballots.meta[key] = cells[value_at]
    ballots.meta_lines[key] = number


def _project_row(line: str, cells: list[str], number: int, header: dict[str, int],
                 ballots: Ballots, reader: _Reader) -> None:
    id_at, cost_at = header["project_id"], header["cost"]
    if len(cells) <= max(id_at, cost_at):
        reader.problem(number, 1, f"{len(cells)} cells where the PROJECTS header has "
                       f"{len(header)}; each project is one row of them")
        return
    project_id, cost = cells[id_at], cells[cost_at]
    if not project_id:
        reader.problem(number, _column(line, id_at), "a project with no project_id")
        return
    if project_id in ballots.projects:
        reader.problem(number, _column(line, id_at), f"project `{project_id}` again; it is "
                       f"already on line {ballots.projects[project_id].line}")
        return
    if not _NUMBER.fullmatch(cost):
        reader.problem(number, _column(line, cost_at), f"cost `{cost}` of project "
                       f"`{project_id}` is not an amount; write it as a number such as 3500")
        return
    ballots.projects[project_id] = PbProject(project_id, Decimal(cost.replace(",", ".")), number,
                                             cost)


def _vote_row(line: str, cells: list[str], number: int, header: dict[str, int],
              ballots: Ballots, voter_ids: set[str], reader: _Reader) -> None:
    id_at, vote_at = header["voter_id"], header["vote"]
    if len(cells) <= max(id_at, vote_at):
        reader.problem(number, 1, f"{len(cells)} cells where the VOTES header has "
                       f"{len(header)}; each voter is one row of them")
        return
    voter = cells[id_at]
    if voter in voter_ids:
        reader.problem(number, _column(line, id_at), f"voter `{voter}` again; each voter "
                       "votes once")
        return
    voter_ids.add(voter)
    chosen = [part.strip() for part in cells[vote_at].split(",") if part.strip()]
    unknown = [project for project in chosen if project not in ballots.projects]
    if unknown and "PROJECTS" not in ballots.broken:
        reader.problem(number, _column(line, vote_at), f"voter `{voter}` chose "
                       + ", ".join(f"`{project}`" for project in unknown)
                       + ", not a project of the PROJECTS section")
        return
    # An approval ballot is a set: a project listed twice (real exports have them) counts once.
    ballots.ballots[frozenset(chosen)] += 1


def _check_meta(ballots: Ballots, reader: _Reader) -> None:
    meta, lines = ballots.meta, ballots.meta_lines
    if not lines:
        return  # no META rows at all: said already, or the file is not a .pb file
    first = min(lines.values())
    for key in _NEEDED_META:
        if key not in meta:
            reader.problem(first, 1, f"META has no `{key}`; a Pabulib file states it")
    vote_type = meta.get("vote_type", "approval").lower()
    if vote_type != "approval":
        reader.problem(lines["vote_type"], 1, f"vote_type `{vote_type}`: pcc-ledger counts "
                       "approval ballots (each voter's chosen projects); write the ballots as "
                       "vote_type approval")
    for key, counted, what in (("num_projects", ballots.rows["PROJECTS"], "projects"),
                               ("num_votes", ballots.rows["VOTES"], "voters")):
        stated = meta.get(key)
        if stated is None or ("PROJECTS" if key == "num_projects" else "VOTES") in ballots.broken:
            continue
        if not _WHOLE.fullmatch(stated):
            reader.problem(lines[key], 1, f"{key} `{stated}` is not a whole number")
        elif int(stated) != counted:
            reader.problem(lines[key], 1, f"{key} says {int(stated):,}, but the file has "
                           f"{counted:,} {what}; correct one of them")
    budget = meta.get("budget")
    if budget is not None and not _NUMBER.fullmatch(budget):
        reader.problem(lines["budget"], 1, f"budget `{budget}` is not an amount")
