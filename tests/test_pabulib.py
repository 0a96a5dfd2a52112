"""Reading a round's ballots in Pabulib's .pb format: what a good file gives, and the exact
message and line of everything a file can get wrong (the fixture case `ballots` has the rest)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from pcc_ledger.pabulib import MAX_PROBLEMS, read_ballots
from pcc_ledger.problems import Location

NAMED_AT = Location("data/allocations/round.yaml", 9, 14)

GOOD = """\
META
key; value
description; Municipal PB in an example town
num_projects; 3
num_votes; 4
budget; 2500
vote_type; approval
PROJECTS
project_id; cost; name
1; 600; "Trees; and benches"
2; 800,50; Sport
4; 1400; Culture
VOTES
voter_id; age; vote
1; 34; 1,2,4
2; 51; 1,2
3; 23; 4,2
4; 40;
"""


def _read(tmp_path: Path, text: str | bytes, name: str = "round.pb"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return read_ballots(path, name, NAMED_AT)


def _said(problems: list) -> list[tuple[str, int, int, str, str]]:  # type: ignore[type-arg]
    return [(p.location.file, p.location.line, p.location.column, p.rule, p.message)
            for p in problems]


def test_a_good_file_gives_its_projects_and_ballots(tmp_path: Path) -> None:
    ballots, problems = _read(tmp_path, "\ufeff" + GOOD)  # a byte-order mark is fine
    assert problems == []
    assert ballots is not None
    assert ballots.meta["budget"] == "2500" and ballots.meta["vote_type"] == "approval"
    assert {p.id: (p.cost, p.line) for p in ballots.projects.values()} == {
        "1": (Decimal("600"), 10), "2": (Decimal("800.50"), 11), "4": (Decimal("1400"), 12)}
    # Identical ballots are counted together; order within a ballot does not matter.
    assert ballots.ballots == Counter({frozenset({"1", "2", "4"}): 1,
                                       frozenset({"1", "2"}): 1, frozenset({"2", "4"}): 1,
                                       frozenset(): 1})
    assert ballots.voters == 4
    assert ballots.approvals() == Counter({"2": 3, "1": 2, "4": 2})


@pytest.mark.parametrize(("text", "said"), [
    ("", [(1, 1, "no META section; a .pb file has META, PROJECTS and VOTES, in that order"),
          (1, 1, "no PROJECTS section; a .pb file has META, PROJECTS and VOTES, in that order"),
          (1, 1, "no VOTES section; a .pb file has META, PROJECTS and VOTES, in that order")]),
    ("project_id;cost\n1;5\n", [
        (1, 1, "a .pb file starts with the line META; is this a Pabulib file?"),
        (2, 1, "no META section; a .pb file has META, PROJECTS and VOTES, in that order"),
        (2, 1, "no PROJECTS section; a .pb file has META, PROJECTS and VOTES, in that order"),
        (2, 1, "no VOTES section; a .pb file has META, PROJECTS and VOTES, in that order")]),
    (GOOD.replace("PROJECTS\nproject_id; cost; name", "PROJECTS\nid; price; name"),
     [(9, 1, "the PROJECTS header has no `project_id` or `cost` column; it starts "
             "project_id;cost")]),
    (GOOD.replace("VOTES\n", "VOTES\nMETA\n"),
     [(14, 1, "a second META section; a .pb file has one each of META, PROJECTS and VOTES")]),
    (GOOD.replace("num_votes; 4", "num_votes; 5").replace("budget; 2500", "budget; lots"),
     [(5, 1, "num_votes says 5, but the file has 4 voters; correct one of them"),
      (6, 1, "budget `lots` is not an amount")]),
    (GOOD.replace("vote_type; approval\n", "vote_type; approval\nbudget; 3000\n"),
     [(8, 1, "`budget` again; it is already set on line 6")]),
    (GOOD.replace("num_projects; 3\n", ""),
     [(3, 1, "META has no `num_projects`; a Pabulib file states it")]),
    (GOOD.replace("2; 51; 1,2", "2; 51"),
     [(16, 1, "2 cells where the VOTES header has 3; each voter is one row of them")]),
])
def test_what_a_file_gets_wrong_is_said_on_its_line(tmp_path: Path, text: str,
                                                    said: list[tuple[int, int, str]]) -> None:
    ballots, problems = _read(tmp_path, text)
    assert ballots is None
    assert _said(problems) == [("round.pb", line, column, "ballots-invalid", message)
                               for line, column, message in said]


@pytest.mark.parametrize(("raw", "said"), [
    (b"META\nkey;value\n\x00\x01", (1, 1, "not a text file (UTF-16, or binary); a .pb file is "
                                          "UTF-8 text")),
    ("META\n".encode("utf-16"), (1, 1, "not a text file (UTF-16, or binary); a .pb file is "
                                       "UTF-8 text")),
    (b"META\nkey;value\ndescription;Gda\xf1sk\n", (3, 1, "not UTF-8 text (byte 0xf1 on this "
                                                        "line); save the file as UTF-8")),
])
def test_a_file_that_is_not_utf8_text(tmp_path: Path, raw: bytes,
                                      said: tuple[int, int, str]) -> None:
    ballots, problems = _read(tmp_path, raw)
    assert ballots is None
    assert _said(problems) == [("round.pb", *said[:2], "ballots-invalid", said[2])]


def test_a_file_wrong_throughout_says_so_once(tmp_path: Path) -> None:
    votes = "".join(f"{n};9\n" for n in range(1, 101))
    text = GOOD.split("VOTES")[0] + "VOTES\nvoter_id;vote\n" + votes
    text = text.replace("num_votes; 4", "num_votes; 100")
    _, problems = _read(tmp_path, text)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0].message == "voter `1` chose `9`, not a project of the PROJECTS section"
    assert (problems[-1].location.line, problems[-1].message) == (
        0, "and 80 more problems in this file, not shown; correct those above and run "
           "`pcc-ledger check` again")


def test_a_missing_or_unreadable_file_is_said_where_it_is_named(tmp_path: Path) -> None:
    _, missing = read_ballots(tmp_path / "gone.pb", "data/gone.pb", NAMED_AT)
    (tmp_path / "folder.pb").mkdir()
    _, folder = read_ballots(tmp_path / "folder.pb", "data/folder.pb", NAMED_AT)
    assert _said(missing + folder) == [
        ("data/allocations/round.yaml", 9, 14, "ballots-unreadable",
         "no ballots file data/gone.pb; put the round's .pb file there (beside the file that "
         "names it), or correct `ballots:`"),
        ("data/allocations/round.yaml", 9, 14, "ballots-unreadable",
         "the ballots file data/folder.pb is a folder; name the .pb file in it"),
    ]


def test_lines_end_at_newlines_only(tmp_path: Path) -> None:
    """A name may hold a character str.splitlines would break at (U+2028, a form feed):
    every line number after it stays right."""
    text = GOOD.replace('"Trees; and benches"', "Trees\u2028and\x0cbenches").replace(
        "3; 23; 4,2", "3; 23; 4,9")
    _, problems = _read(tmp_path, text)
    assert _said(problems) == [("round.pb", 17, 8, "ballots-invalid",
                                "voter `3` chose `9`, not a project of the PROJECTS section")]
