"""The fast reader gives exactly the reference reader's data, or steps aside.

`fastyaml.read` is only ever a shortcut: on any text it reads, the reference reader
(`yamlsource.reference_parse`, libyaml's events) must find no problem and build the same data,
in the same order. Shown on the shapes the format uses, on every file shipped or used as a
fixture, and on thousands of mutated files; and it must actually be taken on the plain files,
or the shortcut would be a slow no-op that these tests could not tell from a correct one.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcc_ledger import fastyaml, yamlsource

ROOT = Path(__file__).resolve().parent.parent

# A commitments file with every shape the fast reader takes: comments everywhere, block and
# flow mappings, lists at the key's indent and below it, quoted values, nulls, years as keys.
SEED = """\
# Commitments of the community safety fund (illustrative).
illustrative: true
note: 'Officer''s copy: #2'
commitments:
  - id: CSF-2017-001   # the first
    fund: community-safety
    year: 2017/18
    recipient: {name: "Safer Wrexham, Ltd", type: charity}
    title: Street pastors' equipment in Ynys Môn
    category: community-safety
    objective: prevent-crime
    amount: £1,035.50
    status: approved
    approved: 2017-05-02
    decision: PCC-D-2017-04
    note: ~
    payments:
    - {date: 2017-06-01, amount: "£1,000.00"}
    - {date: 2017-07-01, amount: 35.50}
  -   id: CSF-2017-002
      fund: community-safety
      years:
        2017/18: 400
        2018/19: 400
      recipient:
        name: Conwy Youth Club (7)
        type: community-group
      title: A [bracketed] {braced} title, with commas
      amount:
      status: proposed
      schedule: []
      ring_fence: null

transfers:
  - id: T-1
    date: 2018-03-31
    from: {fund: community-safety, year: 2017/18}
    to: {reserve: safety-reserve}
    amount: 100
    reason: Carry-forward of the year's underspend
"""

EXPECTED_SEED = {
    "illustrative": "true",
    "note": "Officer's copy: #2",
    "commitments": [
        {
            "id": "CSF-2017-001", "fund": "community-safety", "year": "2017/18",
            "recipient": {"name": "Safer Wrexham, Ltd", "type": "charity"},
            "title": "Street pastors' equipment in Ynys Môn", "category": "community-safety",
            "objective": "prevent-crime", "amount": "£1,035.50", "status": "approved",
            "approved": "2017-05-02", "decision": "PCC-D-2017-04", "note": None,
            "payments": [{"date": "2017-06-01", "amount": "£1,000.00"},
                         {"date": "2017-07-01", "amount": "35.50"}],
        },
        {
            "id": "CSF-2017-002", "fund": "community-safety",
            "years": {"2017/18": "400", "2018/19": "400"},
            "recipient": {"name": "Conwy Youth Club (7)", "type": "community-group"},
            "title": "A [bracketed] {braced} title, with commas", "amount": None,
            "status": "proposed", "schedule": [], "ring_fence": None,
        },
    ],
    "transfers": [
        {"id": "T-1", "date": "2018-03-31",
         "from": {"fund": "community-safety", "year": "2017/18"},
         "to": {"reserve": "safety-reserve"}, "amount": "100",
         "reason": "Carry-forward of the year's underspend"},
    ],
}


def _reference(text: str) -> Any:
    """The reference reader's data, or a marker when it finds any problem (or nothing)."""
    built = yamlsource.reference_parse("f.yaml", text)
    if built.problems or built.duplicates or built.empty:
        return "REFERENCE FOUND A PROBLEM"
    return built.data


def _agrees(text: str) -> bool:
    """True when the fast reader read `text` (and then exactly as the reference did); False
    when it stepped aside. Fails the test when it read something differently."""
    fast = fastyaml.read(text)
    if not yamlsource._REFUSED.search(text):  # what read_yaml has made sure of
        assert repr(fastyaml.read(text, controls_refused=True)) == repr(fast), text
    if fast is None:
        return False
    reference = _reference(text)
    assert fast == reference, text
    # Same order too: problems are reported in the order of the keys.
    assert repr(fast) == repr(reference), text
    return True


def test_reads_every_shape_of_the_seed_exactly() -> None:
    assert fastyaml.read(SEED) == EXPECTED_SEED
    assert _reference(SEED) == EXPECTED_SEED
    assert _agrees(SEED)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\n", {"a": "1"}),
        ("a:\n", {"a": None}),
        ("a:\nb: x\n", {"a": None, "b": "x"}),
        ("a: ''\nb: \"\"\nc: Null\nd: NULL\ne: '~'\n",
         {"a": "", "b": "", "c": None, "d": None, "e": "~"}),
        ("a: x:y\nb: http://example.org/a#b\n", {"a": "x:y", "b": "http://example.org/a#b"}),
        ("a: value   # a comment: with a colon\n", {"a": "value"}),
        ("a:   # nothing yet\n  b: 1\n", {"a": {"b": "1"}}),
        ("list:\n- a\n- 'b'\n-   c\nnext: 1\n",
         {"list": ["a", "b", "c"], "next": "1"}),
        ("a: [x, \"y, z\", ~]\n", {"a": ["x", "y, z", None]}),
        ("a: {}\nb: []\n", {"a": {}, "b": []}),
        ("- not a mapping at the top\n", None),
        ("a: \u00a0spaced\n", {"a": "\u00a0spaced"}),
        ("years: {2017/18: 1, 2018/19: 2}\n", {"years": {"2017/18": "1", "2018/19": "2"}}),
    ],
)
def test_small_shapes(text: str, expected: Any) -> None:
    assert fastyaml.read(text) == expected
    if expected is not None:
        assert _reference(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",  # empty: the reference reports it
        "# only a comment\n",
        "a: 1\na: 2\n",  # a duplicate key: the reference reports it
        "a: {x: 1, x: 2}\n",
        "a:\n\tb: 1\n",  # a tab
        "a: 1\r\nb: 2\r\n",  # carriage returns
        "a: &anchor 1\nb: *anchor\n",
        "a: !!str 1\n",
        "a: |\n  text\n",
        "a: >-\n  folded\n",
        "a: first line\n  runs on\n",  # a plain value over two lines
        "a:\n  first line\n",
        "a: b: c\n",
        "a: b:\n",
        "a:b\n",
        '"a": 1\n',
        "a : 1\n",
        "? a\n: 1\n",
        "<<: {a: 1}\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "a: {x: £1,200}\n",  # in flow, the comma ends the value
        "a: {x: 1,}\n",
        "a: {x: {y: 1}}\n",
        "a: [1, [2]]\n",
        "a: {x: 1\n",
        "a: \"escaped \\\" quote\"\n",
        "a: 'unclosed\n",
        "a: -5\n",
        "a:\n  - x\n - y\n",
        "a:\n  b: 1\n c: 2\n",
        "a:\n- x\nb: 1\n- y\n",
        "-\n  a: 1\n",
        "a:\n  -\n    b: 1\n",
        "a:\n  - - x\n",
        "a:\n  - # comment\n    b: 1\n",
        "\ufeffa: 1\n",
        "a: 1\u2028b: 2\n",
        # libyaml's limit: a key's `:` within 1024 characters of its start (found by review)
        "k" * 1025 + ": v\n",
        "a: 1\n" + "k" * 1025 + ": 1\n",
        "l:\n- " + "k" * 1025 + ": 1\n",
        "a: {b: c, " + "k" * 1025 + ": 1}\n",
        "a: {b" + " " * 1024 + ": v}\n",
    ],
)
def test_steps_aside_for_anything_else(text: str) -> None:
    assert fastyaml.read(text) is None


def _yaml_files() -> list[Path]:
    return sorted(p for folder in (ROOT / "data", ROOT / "tests" / "fixtures")
                  for p in folder.rglob("*") if p.suffix in (".yaml", ".yml"))


def test_agrees_on_every_shipped_and_fixture_file() -> None:
    read_fast = []
    for path in _yaml_files():
        text = path.read_bytes().decode("utf-8", errors="replace")
        if _agrees(text):
            read_fast.append(path.relative_to(ROOT).as_posix())
    # The shortcut is taken on the plain files, the shipped commitments among them.
    assert "data/allocations/2017-18/victims.yaml" in read_fast
    assert len(read_fast) >= len(_yaml_files()) * 3 // 4


# What a mutation may insert: everything that means something to YAML, and ordinary text.
_INSERTS = [" ", "  ", ":", ": ", "-", "- ", "#", " #", "'", '"', "''", "{", "}", "[", "]",
            ",", ", ", "&a ", "*a", "!", "|", ">", "?", "%", "@", "`", "~", "null", "\n",
            "\n  ", "\t", "\\", "x", "1", "£", "é", "\u00a0", "<<: "]


def _mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        lines = text.split("\n")
        where = rng.randrange(len(lines))
        kind = rng.randrange(6)
        if kind == 0:  # insert something in a line
            line = lines[where]
            at = rng.randint(0, len(line))
            lines[where] = line[:at] + rng.choice(_INSERTS) + line[at:]
        elif kind == 1:  # delete a few characters
            line = lines[where]
            at = rng.randint(0, len(line))
            lines[where] = line[:at] + line[at + rng.randint(1, 3):]
        elif kind == 2:  # indent or dedent a line
            shift = rng.choice([-2, -1, 1, 2])
            lines[where] = (" " * shift + lines[where] if shift > 0
                            else lines[where][-shift:] if lines[where][:-shift].isspace()
                            else lines[where])
        elif kind == 3:  # repeat a line (duplicate keys, extra items)
            lines.insert(where, lines[where])
        elif kind == 4:  # drop a line
            del lines[where]
        else:  # swap two lines
            other = rng.randrange(len(lines))
            lines[where], lines[other] = lines[other], lines[where]
        text = "\n".join(lines)
    return text


def test_agrees_on_mutated_files() -> None:
    rng = random.Random(20261125)
    seeds = [SEED] + [path.read_text(encoding="utf-8") for path in _yaml_files()
                      if "allocations" in path.parts or path.name == "a.yaml"][:20]
    read_fast = 0
    tried = 5_000  # kept short for the suite: a longer run of 2,000,000 found no disagreement
    for _ in range(tried):
        if _agrees(_mutate(rng.choice(seeds), rng)):
            read_fast += 1
    # Enough of the mutants are read fast for the agreement to mean something.
    assert read_fast > tried // 5


_FRAGMENTS = st.sampled_from(
    ["a", "b", "id", "2017/18", ":", ": ", " ", "  ", "- ", "-", "#", " # c", "'", '"', "{",
     "}", "[", "]", ",", ", ", "~", "null", "x y", "£1,000", "\u00a0", "\n", "\n  ",
     "\n    ", "\n  - "])


@settings(max_examples=400, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=30).map("".join))
def test_agrees_on_generated_text(text: str) -> None:
    _agrees(text)


_PLAIN_PAIRS = st.tuples(  # what payments and reviews are written as
    st.sampled_from(["date", "amount", "result", "a"]), st.sampled_from([": ", ":  "]),
    st.sampled_from(["2017-05-01", "1200", "£1.50", "met", "x y", "~", "null", '"£1,074.54"',
                     '""']),
).map("".join)
_ODD_PAIRS = st.tuples(
    st.sampled_from(["date", "amount", "a", "date ", " date", "a b", "-x", "2017/18", "é"]),
    st.sampled_from([": ", ":  ", ":", " : ", ":\u00a0"]),
    st.sampled_from(["2017-05-01", "1200", "£1.50", "~", "null", "x y", "a:b", "a #c", "#c",
                     "'q'", '"q"', "-1", " v", "v  ", "", "[1]", "x,", "\u00a0v", "met",
                     '"a: b, c}"', '"~"', '"x\\"y"', '"q" x', '"#c"', '"{[\']}"']),
).map("".join)
_FLOW_PAIRS = st.one_of(_PLAIN_PAIRS, _PLAIN_PAIRS, _ODD_PAIRS)
_FLOW_MAPPINGS = st.tuples(
    st.sampled_from(["{", "{ ", "{  "]),
    st.lists(_FLOW_PAIRS, max_size=4),
    st.sampled_from([", ", ", ", ",", " , ", ",,", " ,  "]),
    st.sampled_from(["}", "}", " }", ",}", "} # c", "}x"]),
).map(lambda parts: parts[0] + parts[2].join(parts[1]) + parts[3])


@settings(max_examples=600, deadline=None)
@given(_FLOW_MAPPINGS)
def test_the_short_way_for_a_plain_flow_mapping_agrees_with_the_long_way(text: str) -> None:
    """Payments and reviews (`{date: 2017-05-01, amount: 1200}`) are matched whole by one
    pattern; whatever it reads, the general flow reader reads the same."""
    try:
        fast = fastyaml._flow(text)
    except fastyaml._Unsure:
        fast = "unsure"
    try:
        general = fastyaml._any_flow(text)
    except fastyaml._Unsure:
        general = "unsure"
    assert fast == general


def test_the_short_way_reads_a_payment_and_a_review() -> None:
    assert fastyaml._flow("{date: 2017-05-01, amount: 1200}") == {
        "date": "2017-05-01", "amount": "1200"}
    assert fastyaml._flow("{ date: 2018-05-30 ,result:  met }") == {
        "date": "2018-05-30", "result": "met"}
    assert fastyaml._flow("{date: ~, amount: null}") == {"date": None, "amount": None}
    assert fastyaml._flow('{date: 2017-05-01, amount: "£1,074.54", note: "~"}') == {
        "date": "2017-05-01", "amount": "£1,074.54", "note": "~"}
    assert fastyaml._PLAIN_FLOW_MAPPING.fullmatch('{date: 2017-05-01, amount: "£1,074.54"}')
    assert fastyaml._PLAIN_FLOW_MAPPING.fullmatch("{date: 2017-05-01, date: 2017-05-02}")
    with pytest.raises(fastyaml._Unsure):  # the short way matches, the long way refuses it
        fastyaml._flow("{date: 2017-05-01, date: 2017-05-02}")


def test_a_plain_value_written_again_is_the_same_string() -> None:
    read = fastyaml.read("commitments:\n  - fund: victims\n    status: approved\n"
                         "  - fund: victims\n    status: approved\n")
    first, second = read["commitments"]
    assert first == second and first["fund"] is second["fund"]
    assert first["status"] is second["status"]
