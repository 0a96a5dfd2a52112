#!/usr/bin/env python3
"""A mutation fuzzer for pcc-ledger: mutated data directories in, no internal errors out.

    python benchmarks/fuzz.py [--seconds 60] [--seed 1] [--iterations N] [--keep DIR]
                              [--replay I] [--no-minimize] [--timeout 30] [--memory-mb 2048]
                              [--workdir DIR] [--verbose]

Each iteration copies one seed data directory (the shipped data/, tests/fixtures/demo, or a case
of tests/fixtures/cases/ laid out as tests/test_cases.py lays it out), applies one to four
mutations (bytes, lines, YAML structure, odd Unicode, odd file and folder names, symlinks, FIFOs,
odd mtimes, huge values, `funds: {}`; odd permissions only when not run as root, since root
reads a mode 000 file anyway), writes it below a temporary folder and runs every command of
`CORE_COMMANDS` and two of `EXTRA_COMMANDS` on it, through `pcc_ledger.cli.main` (which turns
an unexpected exception into exit 70 and "pcc-ledger: internal error (...)") inside click's
`CliRunner.isolation`: UTF-8 stdout with strict errors and stderr with backslashreplace, as
Python sets them up under a UTF-8 locale. A directory's commands run in a child process forked
from the fuzzer (which ran each command once first, so the child has everything imported and
built): every directory starts from the same state, whatever ran before it.

A finding is exit 70 or "internal error" in the output, a traceback in the output, an exception
that escapes `main`, a child process that dies, an OSError that `main` reports as "cannot write
the output" (the captured output cannot fail, so something else raised it), an exit code
outside {0, 1, 2}, or a command that runs longer than `--timeout` seconds. Findings are
grouped by exception type and the innermost frames where it was raised; the first example of
each is shrunk (files, then lines, then long lines) while it still fails the same way, and
printed as a reproduction. `--keep DIR` also writes each one there, as the data directory
and a `repro.sh` that runs the command.

Iteration I of seed S is always the same directory and commands: `--seed S --replay I` reruns
it. The exit status is 1 if anything was found, else 0. The fuzzer caps its own address space
(`--memory-mb`), so that a runaway read is a MemoryError finding, not the OOM killer. Mtimes past
the year 9999 need a file system that stores them (tmpfs: `--workdir /dev/shm`; ext4 clamps).

Standard library, plus pcc-ledger and the click it is built on. Unix only (fork, SIGALRM, symlinks).
"""

from __future__ import annotations

import argparse
import gc
import inspect
import os
import pickle
import random
import re
import select
import shlex
import shutil
import signal
import struct
import sys
import sysconfig
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import typer
from typer.testing import CliRunner

from pcc_ledger import cli

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
ROOT_NOTE = ("running as root: permission mutations (mode 000, folders 644) skipped, as root "
             "reads anyway")

# Every directory gets all of these (relative to the iteration's folder, which is the cwd).
CORE_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("check",),
    ("check", "--format", "json"),
    ("check", "--format", "github"),
    ("summary",),
    ("summary", "--format", "csv"),
    ("year-end", "2017/18"),
    ("funds",),
    ("commitments",),
    ("years",),
    ("export", "beancount", "-"),
    ("export", "hledger", "-"),
    ("export", "xlsx", "out/ledger.xlsx"),
    ("export", "360giving", "out/grants.json"),
    ("publish", "site"),
    ("rounds",),
    ("round", "YCYC-2018"),
)
# ...and two of these.
EXTRA_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("check", "--strict"),
    ("check", "--as-of", "2018-04-01"),
    ("check", "--as-of", "9999-12-31"),
    ("summary", "--format", "json"),
    ("summary", "--format", "html"),
    ("summary", "--format", "markdown"),
    ("summary", "--format", "tsv"),
    ("summary", "--format", "table"),
    ("summary", "--year", "2017/18"),
    ("year-end", "2016/17"),
    ("year-end", "2998/99"),
    ("summary", "--year", "1900/01"),
    ("year-end", "2017/18", "--format", "html"),
    ("funds", "--format", "json"),
    ("funds", "--year", "2017/18"),
    ("commitments", "--format", "csv"),
    ("commitments", "--status", "approved", "--recipient", "e"),
    ("years", "--format", "markdown"),
    ("export", "360giving", "out/grants.csv"),
    ("export", "360giving", "-", "--validate"),
    ("round", "YCYC-2018", "--format", "json"),
    ("round", "YCYC-2018", "--write"),
    ("round", "R-shares"),
    ("round", "R-other", "--format", "html"),
)
CLEAN_ENV: dict[str, str | None] = {
    "PCC_LEDGER_DATA": None, "NO_COLOR": None, "GITHUB_ACTIONS": None, "FORCE_COLOR": None,
    "COLUMNS": None, "LINES": None,
}
_STDLIB = sysconfig.get_paths()["stdlib"]


# --- the data directory as a value ------------------------------------------------------------

@dataclass
class Tree:
    """A data directory to write: relative paths (bytes, '/'-separated) to what is there."""

    files: dict[bytes, bytes]
    dirs: set[bytes] = field(default_factory=lambda: {b"allocations"})
    links: dict[bytes, bytes] = field(default_factory=dict)  # path -> symlink target
    fifos: set[bytes] = field(default_factory=set)
    modes: dict[bytes, int] = field(default_factory=dict)  # chmod, applied last
    mtimes: dict[bytes, int] = field(default_factory=dict)  # seconds since the epoch
    root: bytes = b"data"  # the data directory's own name, passed as --data

    def copy(self) -> Tree:
        return replace(self, files=dict(self.files), dirs=set(self.dirs), links=dict(self.links),
                       fifos=set(self.fifos), modes=dict(self.modes), mtimes=dict(self.mtimes))

    def size(self) -> int:
        return (sum(len(content) + 1 for content in self.files.values()) + len(self.links)
                + len(self.fifos) + len(self.modes) + len(self.mtimes) + len(self.dirs))

    def describe(self, limit: int = 400) -> str:
        """The tree as shell-like steps, for a reproduction in a report."""
        lines = [f"data directory {self.root!r}"]
        for path in sorted(self.dirs):
            lines.append(f"  mkdir -p {path!r}")
        for path, content in sorted(self.files.items()):
            shown = content if len(content) <= limit else content[:limit] + b"..."
            lines.append(f"  file {path!r} ({len(content)} bytes): {shown!r}")
        for path, target in sorted(self.links.items()):
            lines.append(f"  ln -s {target!r} {path!r}")
        for path in sorted(self.fifos):
            lines.append(f"  mkfifo {path!r}")
        for path, stamp in sorted(self.mtimes.items()):
            lines.append(f"  touch -d @{stamp} {path!r}")
        for path, mode in sorted(self.modes.items()):
            lines.append(f"  chmod {mode:03o} {path!r}")
        return "\n".join(lines)


def _case_tree(case: Path) -> Tree:
    """A case folder as tests/test_cases.py lays it out: funds.yaml at the top (the case's, else
    base-funds.yaml), anything under root/ as it is, every other file under allocations/."""
    files: dict[bytes, bytes] = {}
    for path in sorted(case.rglob("*")):
        if (not path.is_file() or path.suffix not in (".yaml", ".yml", ".txt", ".pb")
                or path.name in ("expected.txt", "as-of.txt")):
            continue
        relative = path.relative_to(case)
        if relative.parts[0] == "root":
            target = Path(*relative.parts[1:]).as_posix()
        else:
            target = "funds.yaml" if path.name == "funds.yaml" else f"allocations/{path.name}"
        files[target.encode()] = path.read_bytes()
    files.setdefault(b"funds.yaml", (FIXTURES / "base-funds.yaml").read_bytes())
    return Tree(files)


def _folder_tree(folder: Path) -> Tree:
    return Tree({path.relative_to(folder).as_posix().encode(): path.read_bytes()
                 for path in sorted(folder.rglob("*.y*ml")) if path.is_file()})


def passes(seed_name: str) -> bool:
    """Seeds without errors (the shipped data and the cases named clean or *-ok): only their
    mutants get past `check` into the reports and exports."""
    return seed_name in ("data", "cases/clean") or seed_name.endswith("-ok")


def seed_trees() -> list[tuple[str, Tree]]:
    """The starting points: data/, the demo, and every case."""
    seeds = [("data", _folder_tree(REPO / "data")),
             ("demo", _folder_tree(FIXTURES / "demo"))]
    for case in sorted((FIXTURES / "cases").iterdir()):
        if case.is_dir():
            seeds.append((f"cases/{case.name}", _case_tree(case)))
    return seeds


# --- values worth trying ----------------------------------------------------------------------

def _u(*texts: str) -> list[bytes]:
    return [text.encode("utf-8", "surrogatepass") for text in texts]


ODD_TEXT: list[bytes] = _u(
    "\u2028", "\u2029", "\u0085", "\ufeff", "\x0b", "\x0c", "\x1b", "\x1b[31m", "\x1b]8;;x\x07",
    "\u009b", "\u009b2J", "\ufffe", "\uffff", "\ufdd0", "\U0010ffff", "\x7f", "\r", "\t", "\r\n",
    "中文字符", "ｆｕｌｌ", "\u3000", "😀", "\U000e0001", "\u200d", "\u200b", "\u200f", "\u202e",
    "\u2066", "\u061c", "\u0301", "e\u0301\u0301\u0301", "\u00a0", "\u1160", "\u115f", "\u0e33",
) + [b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\x85", b"\xff", b"\xc3", b"\x00"]
# YAML double-quoted escapes: the way control characters get past the parser into a value.
QUOTED_ESCAPES: list[bytes] = [
    rb'"\e[31mred"', rb'"a\Lb"', rb'"a\Pb"', rb'"a\Nb"', rb'"\x9b2J"', rb'"nul\0"', rb'"\ufffe"',
    rb'"\ud800"', rb'"\x7f"', rb'"\t\r\n"', rb'"\uFEFF"', rb'"\_"', rb'"\v"', rb'"\b"', rb'"\a"',
    rb'"\U0010FFFF"', rb'"\u202e"', rb'"\x85"', rb'"line\nbreak"', rb'"\x00"',
]
AMOUNTS: list[bytes] = [
    b"0", b"-1", b"-0", b"0.001", b"1.005", b"0.1", b"\xc2\xa3-5", b"-\xc2\xa35", b"\xc2\xa3",
    b"\xc2\xa3 1", b"1,00", b",100", b"1,,000", b"1e3", b"1E400", b"inf", b".inf", b"-.inf",
    b"nan", b".nan", b"NaN", b"Infinity", b"sNaN", b"0x10", b"0o7", b"1_000", "٣".encode(),
    "１２".encode(), b"1" + b"0" * 30, b"9" * 5000, b"0." + b"0" * 30 + b"1", b"1." + b"9" * 60,
    b"99999999999999999999999999.99", b"'1000'", b'"1000"', b"1000.", b".5", b"+5",
    b"\xc2\xa31.2.3", b"\xe2\x82\xac100", b"$5", b"GBP 100", b"1 000", b"1\xc2\xa0000",
    b"1e-400", b"-1e400", b"12345678901234567890e30", b"1,000,000,000,000,000,000", b"1.",
]
DATES: list[bytes] = [
    b"2017-02-29", b"2016-02-29", b"0001-01-01", b"9999-12-31", b"10000-01-01", b"0000-00-00",
    b"2017-13-01", b"2017-04-31", b"2017-4-1", b"2017-04-01T10:00:00", b"2017-04-01 10:00",
    b"2017-04-01Z", b"20170401", b"1/4/2017", b"2017-W14", b"-2017-04-01", b"+2017-04-01",
    "２０１７-04-01".encode(), b"1900-01-01", b"1582-10-10", b"2038-01-19", b"2017-04-01+01:00",
    b"9999-12-31T23:59:59", b"2017-001", b"'2017-04-20'", b"2019-03-31", b"2018-04-01",
    b"1900-04-01", b"1900-03-31", b"2999-03-31", b"2999-04-01",
]
YEARS: list[bytes] = [
    b"2017/18", b"2016/17", b"2018/19", b"2017/2018", b"2017-18", b"2017", b"0000/01",
    b"9999/00", b"9998/99", b"2018/17", b"1999/00", b"2099/00", b"0001/02", b"-1/00",
    b"'2017/18 '", b"2017 / 18", b"99999/00", b"2017/19", b"1/2", b"2017/1", b"1900/01",
    b"2998/99", b"1899/00", b"2999/00",
]
WORDS: list[bytes] = [
    b"", b"''", b'""', b"' '", b"-", b"approved", b"proposed", b"cancelled", b"APPROVED",
    b"withdrawn", b"true", b"false", b"yes", b"no", b"on", b"off", b"null", b"~", b"[]", b"{}",
    b"../../etc", b"<script>alert(1)</script>", b"'=cmd|\" /C calc\"!A0'", b"'+1'", b"'@SUM(1)'",
    b"'-1+2'", b"id with space", b"'#'", b"'%s%n'", b"a" * 300, b"x|y", b"'a: b'", b"&a x",
    b"*missing", b"!!str x", b"!!python/object:os.system x", b"'<!--'", b"\\", b"'`rm`'",
    b"victims", b"community-safety", b"community-focused", b"charity", b"prevent-crime",
]
MTIMES: list[int] = [0, -1, 2**31 - 1, 2**31, 2**32, 253402300799, 253402300800, 2**40,
                     -62135596800, -62135596801, 1_500_000_000]
ODD_FILE_NAMES: list[bytes] = [
    b"\xff\xfe.yaml", b"caf\xe9.yaml", b"\xed\xa0\x80.yaml", b"new\nline.yaml", b"cr\r.yaml",
    b"with space.yaml", b" leading.yaml", b"trailing .yaml", b"x" * 250 + b".yaml",
    b"-dash.yaml", b"--data.yaml", b"\xe2\x80\xae.yaml", b"\x1b[31mred.yaml", b"tab\t.yaml",
    b"UPPER.YAML", b".hidden.yaml", b"short.yml", b"#hash.yaml", b"%s%n.yaml", b"{}.yaml",
    b"$(echo hi).yaml", b"back\\slash.yaml", b"colon:.yaml", "中文.yaml".encode(),
    "e\u0301.yaml".encode(), b"\x7f.yaml", b".yaml", b"..yaml", b"a.yaml.", b"a.yaml ",
    b"\xc2\x9b.yaml", b"\xe2\x80\xa8.yaml", b"\xef\xbb\xbf.yaml", b"funds.yaml", b"*.yaml",
    b"'.yaml", b"\".yaml", b"<b>.yaml", b"=1+1.yaml",
]
ODD_ROOT_NAMES: list[bytes] = [
    b"data dir", b" data", b"-data", b"da\nta", b"d\xffata", b"\xed\xa0\x80", "データ".encode(),
    b"\x1b[31mdata", b"\xe2\x80\xaedata", b"d" * 200, b"data.yaml", b"-", b"--help", b"data\t",
    b"\xc2\x9bdata", b"=cmd", b"data\\", b"'", b"%d",
]


# --- mutations --------------------------------------------------------------------------------

Mutator = Callable[[random.Random, Tree], str | None]
MUTATORS: dict[str, tuple[int, Mutator]] = {}  # name -> (weight, function)
# Mutators that mostly keep the data valid, so that the reports and exports see odd data too
# (most mutations make `check` fail, and then every report stops before it starts).
GENTLE: set[str] = set()
_KEY_LINE = re.compile(
    rb"^(?P<indent>[ ]*)(?P<dash>(?:- +)*)(?P<key>[^\s:#'\"{}\[\],&*!|>%@`-][^:#\n]*?)"
    rb":(?P<sep>[ ]+|$)(?P<value>.*)$"
)


def mutator(name: str, weight: int = 10, *, gentle: bool = False,
            needs_non_root: bool = False) -> Callable[[Mutator], Mutator]:
    def register(function: Mutator) -> Mutator:
        if not (needs_non_root and IS_ROOT):
            MUTATORS[name] = (weight, function)
            if gentle:
                GENTLE.add(name)
        return function
    return register


def _pick_file(rng: random.Random, tree: Tree, *, yaml_only: bool = True) -> bytes | None:
    names = [name for name in tree.files
             if not yaml_only or name.lower().endswith((b".yaml", b".yml"))]
    return rng.choice(sorted(names)) if names else None


def _lines(content: bytes) -> list[bytes]:
    return content.split(b"\n")


def _key_lines(lines: list[bytes]) -> list[int]:
    return [number for number, line in enumerate(lines) if _KEY_LINE.match(line)]


def _pick_key_line(rng: random.Random, lines: list[bytes]) -> tuple[int, re.Match[bytes]] | None:
    """A random line that holds a key, and the match of its key; None if there is none."""
    candidates = _key_lines(lines)
    if not candidates:
        return None
    at = rng.choice(candidates)
    match = _KEY_LINE.match(lines[at])
    assert match is not None
    return at, match


def _indent(line: bytes) -> int:
    return len(line) - len(line.lstrip(b" "))


def _block_end(lines: list[bytes], start: int) -> int:
    """The line after the block that starts at `start` (its deeper-indented lines)."""
    match = _KEY_LINE.match(lines[start])
    own = _indent(lines[start]) + (len(match["dash"]) if match else 0)
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > own):
        end += 1
    return end


def _edit_lines(rng: random.Random, tree: Tree,
                edit: Callable[[list[bytes]], str | None]) -> str | None:
    name = _pick_file(rng, tree)
    if name is None:
        return None
    lines = _lines(tree.files[name])
    done = edit(lines)
    if done is None:
        return None
    tree.files[name] = b"\n".join(lines)
    return f"{done} in {name!r}"


def _char_offset(rng: random.Random, content: bytes) -> int:
    """A random offset that does not split a UTF-8 sequence."""
    offset = rng.randint(0, len(content))
    while 0 < offset < len(content) and content[offset] & 0xC0 == 0x80:
        offset -= 1
    return offset


@mutator("flip-bit")
def _flip_bit(rng: random.Random, tree: Tree) -> str | None:
    name = _pick_file(rng, tree, yaml_only=False)
    if name is None or not tree.files[name]:
        return None
    data = bytearray(tree.files[name])
    at = rng.randrange(len(data))
    data[at] ^= 1 << rng.randrange(8)
    tree.files[name] = bytes(data)
    return f"flip a bit of byte {at} of {name!r}"


@mutator("insert-bytes")
def _insert_bytes(rng: random.Random, tree: Tree) -> str | None:
    name = _pick_file(rng, tree, yaml_only=False)
    if name is None:
        return None
    content = tree.files[name]
    pool = [b"\t", b"\r", b"'", b'"', b"{", b"}", b"[", b"]", b":", b": ", b"#", b"&a ", b"*a",
            b"!!", b"%", b"@", b"`", b"|", b">", b"- ", b"? ", b",", b"\\", b"---\n", b"...\n"]
    insert = rng.choice(pool) if rng.random() < 0.7 else bytes(
        rng.randrange(256) for _ in range(rng.randint(1, 8)))
    at = rng.randint(0, len(content))
    tree.files[name] = content[:at] + insert + content[at:]
    return f"insert {insert!r} at byte {at} of {name!r}"


@mutator("delete-bytes")
def _delete_bytes(rng: random.Random, tree: Tree) -> str | None:
    name = _pick_file(rng, tree, yaml_only=False)
    if name is None or not tree.files[name]:
        return None
    content = tree.files[name]
    at = rng.randrange(len(content))
    count = rng.randint(1, 16)
    tree.files[name] = content[:at] + content[at + count:]
    return f"delete {count} bytes at {at} of {name!r}"


@mutator("swap-lines")
def _swap_lines(rng: random.Random, tree: Tree) -> str | None:
    def edit(lines: list[bytes]) -> str | None:
        if len(lines) < 2:
            return None
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
        return f"swap lines {a + 1} and {b + 1}"
    return _edit_lines(rng, tree, edit)


@mutator("duplicate-line")
def _duplicate_line(rng: random.Random, tree: Tree) -> str | None:
    def edit(lines: list[bytes]) -> str | None:
        at = rng.randrange(len(lines))
        lines.insert(at, lines[at])
        return f"duplicate line {at + 1}"
    return _edit_lines(rng, tree, edit)


@mutator("delete-line")
def _delete_line(rng: random.Random, tree: Tree) -> str | None:
    def edit(lines: list[bytes]) -> str | None:
        at = rng.randrange(len(lines))
        del lines[at]
        return f"delete line {at + 1}"
    return _edit_lines(rng, tree, edit)


@mutator("splice-line", 8)
def _splice_line(rng: random.Random, tree: Tree) -> str | None:
    """A line of another seed's file, at the same indent as the line it is put before."""
    donor = rng.choice(_all_seed_lines())

    def edit(lines: list[bytes]) -> str | None:
        at = rng.randrange(len(lines))
        lines.insert(at, b" " * _indent(lines[at]) + donor.lstrip(b" "))
        return f"insert line {donor!r} at {at + 1}"
    return _edit_lines(rng, tree, edit)


@mutator("shift-indent", 12)
def _shift_indent(rng: random.Random, tree: Tree) -> str | None:
    def edit(lines: list[bytes]) -> str | None:
        at = rng.randrange(len(lines))
        end = _block_end(lines, at) if rng.random() < 0.5 else at + 1
        by = rng.choice([-4, -2, -1, 1, 2, 4])
        for number in range(at, end):
            line = lines[number]
            lines[number] = b" " * by + line if by > 0 else line[min(-by, _indent(line)):]
        return f"shift lines {at + 1}-{end} by {by}"
    return _edit_lines(rng, tree, edit)


def _set_value_of(rng: random.Random, tree: Tree, choose: Callable[[bytes], bytes]) -> str | None:
    """Replace the value of a random `key: value` line with `choose(key)`."""
    def edit(lines: list[bytes]) -> str | None:
        picked = _pick_key_line(rng, lines)
        if picked is None:
            return None
        at, match = picked
        value = choose(match["key"])
        head = lines[at][: match.start("value")]
        if not match["sep"]:
            head += b" "
        if match["value"] == b"":  # a block: replace it too
            del lines[at + 1: _block_end(lines, at)]
        lines[at] = head + value
        return f"set `{match['key'].decode(errors='replace')}` on line {at + 1} to {value[:60]!r}"
    return _edit_lines(rng, tree, edit)


def _value_for(rng: random.Random, key: bytes) -> bytes:
    lowered = key.lower()
    if b"amount" in lowered or b"max_award" in lowered:
        pool = AMOUNTS
    elif lowered in (b"approved", b"date", b"from", b"to", b"start", b"end"):
        pool = DATES
    elif lowered == b"year" or b"/" in lowered:
        pool = YEARS
    else:
        pool = rng.choice([WORDS, WORDS, AMOUNTS, DATES, YEARS, QUOTED_ESCAPES])
    return rng.choice(pool)


@mutator("set-value", 30)
def _set_value(rng: random.Random, tree: Tree) -> str | None:
    return _set_value_of(rng, tree, lambda key: _value_for(rng, key))


@mutator("quoted-escape", 8)
def _quoted_escape(rng: random.Random, tree: Tree) -> str | None:
    return _set_value_of(rng, tree, lambda key: rng.choice(QUOTED_ESCAPES))


@mutator("scalar-to-collection", 10)
def _scalar_to_collection(rng: random.Random, tree: Tree) -> str | None:
    def shape(key: bytes) -> bytes:
        value = _value_for(rng, key)
        return rng.choice([
            b"[" + value + b"]", b"{" + value + b": " + value + b"}", b"[]", b"{}", b"[[]]",
            b"{a: {b: [c]}}", b"[" + value + b", " + value + b"]", b"{? [a]: b}", b"|\n  " + value,
            b">-\n  " + value, b"&anchor " + value, b"*anchor", b"!!binary aGk=", b"!!set {a}",
            b"\n  - " + value, b"\n  nested: " + value, b"{" + key + b": " + value + b"}",
        ])
    return _set_value_of(rng, tree, shape)


@mutator("remove-key", 12)
def _remove_key(rng: random.Random, tree: Tree) -> str | None:
    def edit(lines: list[bytes]) -> str | None:
        picked = _pick_key_line(rng, lines)
        if picked is None:
            return None
        at = picked[0]
        end = _block_end(lines, at)
        removed = lines[at]
        del lines[at:end]
        return f"remove key line {at + 1} {removed[:40]!r} and its block"
    return _edit_lines(rng, tree, edit)


@mutator("duplicate-key", 10)
def _duplicate_key(rng: random.Random, tree: Tree) -> str | None:
    def edit(lines: list[bytes]) -> str | None:
        picked = _pick_key_line(rng, lines)
        if picked is None:
            return None
        at = picked[0]
        end = _block_end(lines, at)
        block = lines[at:end]
        match = _KEY_LINE.match(block[0])
        if match and match["dash"]:  # a list item's first key: repeat the key, not the item
            indent = _indent(block[0]) + len(match["dash"])
            block[0] = b" " * indent + block[0][match.end("dash"):]
        lines[end:end] = block
        return f"duplicate key block of line {at + 1}"
    return _edit_lines(rng, tree, edit)


@mutator("rename-key", 10)
def _rename_key(rng: random.Random, tree: Tree) -> str | None:
    def edit(lines: list[bytes]) -> str | None:
        picked = _pick_key_line(rng, lines)
        if picked is None:
            return None
        at, match = picked
        new = rng.choice([rng.choice(_all_seed_keys()), rng.choice(YEARS), rng.choice(WORDS),
                          match["key"] + b"x", match["key"].upper(), b"'" + match["key"] + b" '"])
        if not new or new in (b"''", b'""'):
            new = b"''"
        lines[at] = lines[at][: match.start("key")] + new + lines[at][match.end("key"):]
        return f"rename key {match['key']!r} on line {at + 1} to {new!r}"
    return _edit_lines(rng, tree, edit)


@mutator("many-copies", 4)
def _many_copies(rng: random.Random, tree: Tree) -> str | None:
    def edit(lines: list[bytes]) -> str | None:
        items = [n for n, line in enumerate(lines) if line.lstrip(b" ").startswith(b"- ")]
        if not items:
            return None
        at = rng.choice(items)
        block = lines[at:_block_end(lines, at)]
        copies = rng.choice([2, 50, 500])
        end = _block_end(lines, at)
        lines[end:end] = block * copies
        return f"repeat the list item on line {at + 1} {copies} times"
    return _edit_lines(rng, tree, edit)


@mutator("empty-file", 5)
def _empty_file(rng: random.Random, tree: Tree) -> str | None:
    name = _pick_file(rng, tree)
    if name is None:
        return None
    tree.files[name] = rng.choice([
        b"", b"\n", b"# only a comment\n", b"---\n", b"...\n", b"~\n", b"null\n", b"[]\n",
        b"{}\n", b"''\n", b"commitments:\n", b"commitments: []\n", b"commitments: {}\n",
        b"commitments: [~]\n", b"commitments: [[]]\n", b"funds: {}\n", b"- a\n", b"a\n",
        b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff\x00a", b"%YAML 1.2\n---\n",
    ])
    return f"replace {name!r} with a near-empty one"


@mutator("truncate-file", 6)
def _truncate_file(rng: random.Random, tree: Tree) -> str | None:
    name = _pick_file(rng, tree)
    if name is None:
        return None
    at = rng.randint(0, len(tree.files[name]))
    tree.files[name] = tree.files[name][:at]
    return f"truncate {name!r} at byte {at}"


@mutator("second-document", 2)
def _second_document(rng: random.Random, tree: Tree) -> str | None:
    name = _pick_file(rng, tree)
    if name is None:
        return None
    tree.files[name] = tree.files[name] + rng.choice([b"\n---\n", b"\n---\na: b\n", b"\n...\n"])
    return f"append a document marker to {name!r}"


@mutator("funds-empty", 4)
def _funds_empty(rng: random.Random, tree: Tree) -> str | None:
    if b"funds.yaml" not in tree.files:
        return None
    lines = _lines(tree.files[b"funds.yaml"])
    new = rng.choice([b"funds: {}", b"funds: []", b"funds:", b"funds: ~", b"funds: {a: {}}",
                      b"funds: {a: ~}"])
    for at, line in enumerate(lines):
        if line.startswith(b"funds:"):
            lines[at:_block_end(lines, at)] = [new]
            break
    else:
        lines.append(new)
    tree.files[b"funds.yaml"] = b"\n".join(lines)
    return f"funds.yaml gets `{new.decode()}`"


@mutator("odd-unicode", 25)
def _odd_unicode(rng: random.Random, tree: Tree) -> str | None:
    """Odd text anywhere, or (more often) at the end of a value, where it survives parsing."""
    odd = rng.choice(ODD_TEXT)
    if rng.random() < 0.4:
        name = _pick_file(rng, tree, yaml_only=False)
        if name is None:
            return None
        content = tree.files[name]
        at = _char_offset(rng, content)
        tree.files[name] = content[:at] + odd + content[at:]
        return f"insert {odd!r} at byte {at} of {name!r}"

    def edit(lines: list[bytes]) -> str | None:
        candidates = [n for n in _key_lines(lines) if not lines[n].rstrip().endswith(b":")]
        if not candidates:
            return None
        at = rng.choice(candidates)
        line = lines[at].rstrip()
        if line.endswith((b"}", b"]", b'"', b"'")):
            lines[at] = line[:-1] + odd + line[-1:]
        else:
            lines[at] = line + (odd if rng.random() < 0.5 else b" " + odd + b"x")
        return f"append {odd!r} to the value on line {at + 1}"
    return _edit_lines(rng, tree, edit)


@mutator("huge-value", 5)
def _huge_value(rng: random.Random, tree: Tree) -> str | None:
    size = rng.choice([1_000, 10_000, 100_000, 1_000_000])

    def huge(key: bytes) -> bytes:
        return rng.choice([b"x" * size, b"9" * size, b"'" + b"a " * (size // 2) + b"'",
                           "字".encode() * (size // 3), b"1," * (size // 2) + b"000",
                           b"\xc2\xa3" + b"9" * size + b".99"])
    return _set_value_of(rng, tree, huge)


@mutator("huge-key", 2)
def _huge_key(rng: random.Random, tree: Tree) -> str | None:
    def edit(lines: list[bytes]) -> str | None:
        picked = _pick_key_line(rng, lines)
        if picked is None:
            return None
        at, match = picked
        key = b"k" * rng.choice([1_000, 100_000])
        lines[at] = lines[at][: match.start("key")] + key + lines[at][match.end("key"):]
        return f"a {len(key)}-character key on line {at + 1}"
    return _edit_lines(rng, tree, edit)


@mutator("deep-nesting", 6)
def _deep_nesting(rng: random.Random, tree: Tree) -> str | None:
    depth = rng.choice([10, 30, 60, 62, 63, 64, 65, 100, 1_000, 100_000])

    def nested(key: bytes) -> bytes:
        kind = rng.randrange(3)
        if kind == 0:
            return b"[" * depth + b"]" * depth
        if kind == 1:
            return b"{a: " * depth + b"1" + b"}" * depth
        block = b"".join(b"\n" + b" " * (2 * level + 4) + b"a:" for level in range(min(depth, 200)))
        return block + b" 1"
    return _set_value_of(rng, tree, nested)


# Values that pass the model (Text: no C0/C1 controls but tab and line breaks) yet are odd to
# print, to lay out in a table, or to put in a spreadsheet, journal, CSV or web page.
PRINTABLE_ODD: list[str] = [
    "中文字符", "ｆｕｌｌ", "\u3000", "😀👍🏽", "\u200d", "\u200b", "\u200f", "\u202e", "\u2066",
    "\u061c", "\u0301", "e\u0301\u0301\u0301", "\u00a0", "\u1160", "\u115f", "\u0e33", "\ufeff",
    "\U000e0001", "\u2028", "\u2029", "\r", "\n", "\t", "\r\n", "ﷺ", "\U0001f1ec\U0001f1e7",
    "<script>alert(1)</script>", "&amp;", "</td>", "|", "**bold**", "`code`", "[a](javascript:x)",
    "=1+1", "+1", "-1", "@SUM(A1)", "=HYPERLINK(\"x\")", "\t=cmd", '"', "'", ",", ";", "\\",
    "${x}", "%s", "{}", "#", " # no comment", "; comment", "* ", "Assets:Bad", "  two  spaces",
    "2017-04-01 * \"txn\"", "{{x}}", "<!--", "]]>", "NUL",
]
TEXT_KEYS = (b"name", b"title", b"description", b"basis", b"note", b"decision", b"source",
             b"area", b"reference")
VALID_AMOUNTS: list[bytes] = [
    b"0", b"0.01", b"0.00", b"1", b"\xc2\xa31", b"\xc2\xa30.50", b"999999999.99", b"1,000,000",
    b"99999999999999999999", b"'1,000'", b'"\xc2\xa32,400.00"', b"1.5", b"100000000000000000000.01",
]


def _yaml_quoted(text: str) -> bytes:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t").replace("\u2028", "\\L")
               .replace("\u2029", "\\P").replace("\ufeff", "\\uFEFF"))
    return b'"' + escaped.encode("utf-8") + b'"'


def _set_text_value(rng: random.Random, tree: Tree, make: Callable[[str], str]) -> str | None:
    """Replace the value of a free-text key (title, name, ...) with `make(old text)`."""
    def edit(lines: list[bytes]) -> str | None:
        candidates = [n for n in _key_lines(lines)
                      if (match := _KEY_LINE.match(lines[n])) and match["key"] in TEXT_KEYS
                      and match["value"].strip()]
        if not candidates:
            return None
        at = rng.choice(candidates)
        match = _KEY_LINE.match(lines[at])
        assert match is not None
        old = match["value"].strip().strip(b"'\">-|").decode("utf-8", "replace") or "x"
        value = _yaml_quoted(make(old))
        lines[at] = lines[at][: match.start("value")] + value
        return f"set `{match['key'].decode()}` on line {at + 1} to {value[:80]!r}"
    return _edit_lines(rng, tree, edit)


@mutator("odd-text", 20, gentle=True)
def _odd_text(rng: random.Random, tree: Tree) -> str | None:
    def make(old: str) -> str:
        odd = rng.choice(PRINTABLE_ODD)
        return rng.choice([odd + old, old + odd, old[: len(old) // 2] + odd + old[len(old) // 2:],
                           odd * rng.choice([1, 3, 40])])
    return _set_text_value(rng, tree, make)


@mutator("long-text", 4, gentle=True)
def _long_text(rng: random.Random, tree: Tree) -> str | None:
    size = rng.choice([200, 5_000, 100_000, 1_000_000])
    return _set_text_value(rng, tree, lambda old: rng.choice(
        ["word " * (size // 5), "x" * size, "字" * size, "e\u0301" * size]))


@mutator("valid-amount", 8, gentle=True)
def _valid_amount(rng: random.Random, tree: Tree) -> str | None:
    def edit(lines: list[bytes]) -> str | None:
        candidates = [n for n in _key_lines(lines) if _KEY_LINE.match(lines[n])
                      and b"amount: " in lines[n] and not lines[n].rstrip().endswith(b":")]
        if not candidates:
            return None
        at = rng.choice(candidates)
        line = lines[at]
        start = line.index(b"amount: ") + len(b"amount: ")
        end = start
        while end < len(line) and line[end:end + 1] not in b",}#":
            end += 1
        value = rng.choice(VALID_AMOUNTS)
        lines[at] = line[:start] + value + line[end:]
        return f"amount on line {at + 1} is {value!r}"
    return _edit_lines(rng, tree, edit)


@mutator("odd-file-name", 12, gentle=True)
def _odd_file_name(rng: random.Random, tree: Tree) -> str | None:
    names = [name for name in tree.files if name.startswith(b"allocations/")]
    if not names:
        return None
    old = rng.choice(sorted(names))
    new = rng.choice(ODD_FILE_NAMES)
    folder = old.rsplit(b"/", 1)[0]
    if rng.random() < 0.2:  # an odd folder name instead
        new = rng.choice(ODD_ROOT_NAMES) + b"/" + old.rsplit(b"/", 1)[1]
    target = folder + b"/" + new
    tree.files[target] = tree.files.pop(old)
    return f"rename {old!r} to {target!r}"


@mutator("odd-root-name", 5, gentle=True)
def _odd_root_name(rng: random.Random, tree: Tree) -> str | None:
    tree.root = rng.choice(ODD_ROOT_NAMES)
    return f"the data directory is called {tree.root!r}"


@mutator("deep-path", 3, gentle=True)
def _deep_path(rng: random.Random, tree: Tree) -> str | None:
    names = [name for name in tree.files if name.startswith(b"allocations/")]
    if not names:
        return None
    old = rng.choice(sorted(names))
    depth, width = rng.choice([(20, 1), (60, 60), (15, 250)])
    new = b"allocations/" + b"/".join([b"d" * width] * depth) + b"/" + old.rsplit(b"/", 1)[1]
    tree.files[new] = tree.files.pop(old)
    return f"move {old!r} {depth} folders deep ({len(new)} bytes)"


@mutator("empty-folder", 4, gentle=True)
def _empty_folder(rng: random.Random, tree: Tree) -> str | None:
    name = rng.choice([b"allocations/empty", b"allocations/dir.yaml", b"allocations/.hidden",
                       b"allocations/a/b/c", b"empty", b"allocation", b"funds.yaml.d",
                       b"allocations/" + rng.choice(ODD_ROOT_NAMES)])
    tree.dirs.add(name)
    return f"add the empty folder {name!r}"


@mutator("swap-kind", 3)
def _swap_kind(rng: random.Random, tree: Tree) -> str | None:
    """A file where a folder belongs, or the other way round."""
    kind = rng.randrange(3)
    if kind == 0:  # allocations/ is a file
        for name in [n for n in tree.files if n.startswith(b"allocations/")]:
            del tree.files[name]
        tree.dirs = {d for d in tree.dirs if not d.startswith(b"allocations")}
        tree.files[b"allocations"] = b"commitments: []\n"
        return "allocations is a file"
    if kind == 1:  # funds.yaml is a folder
        content = tree.files.pop(b"funds.yaml", b"")
        tree.files[b"funds.yaml/funds.yaml"] = content
        return "funds.yaml is a folder"
    tree.dirs.add(b"allocations/folder.yaml")
    tree.files[b"allocations/folder.yaml/inner.yaml"] = b"commitments: []\n"
    return "a folder named folder.yaml"


@mutator("symlink", 10)
def _symlink(rng: random.Random, tree: Tree) -> str | None:
    kind = rng.randrange(10)
    if kind == 0:
        tree.links[b"allocations/ghost.yaml"] = b"missing.yaml"
    elif kind == 1:
        tree.links[b"allocations/loop1.yaml"] = b"loop2.yaml"
        tree.links[b"allocations/loop2.yaml"] = b"loop1.yaml"
    elif kind == 2:
        tree.links[b"allocations/self.yaml"] = b"self.yaml"
    elif kind == 3:
        tree.links[b"allocations/up"] = b".."
    elif kind == 4:
        tree.links[b"allocations/here.yaml"] = b"."
    elif kind == 5:
        tree.links[b"allocations/funds.yaml"] = b"../funds.yaml"
    elif kind == 6:  # funds.yaml itself a link: dangling, or to a commitments file
        content = tree.files.pop(b"funds.yaml", b"")
        if rng.random() < 0.5:
            tree.files[b"real-funds.yml"] = content
            tree.links[b"funds.yaml"] = b"real-funds.yml"
        else:
            tree.links[b"funds.yaml"] = b"nowhere.yaml"
    elif kind == 7:  # allocations/ a dangling link, or a link to a sibling folder
        for name in [n for n in tree.files if n.startswith(b"allocations/")]:
            tree.files[b"elsewhere/" + name.split(b"/", 1)[1]] = tree.files.pop(name)
        tree.dirs = {d for d in tree.dirs if not d.startswith(b"allocations")}
        tree.links[b"allocations"] = rng.choice([b"elsewhere", b"missing", b"allocations"])
    elif kind == 8:  # a link out of the data, to a device, a folder or a pipe
        tree.links[b"allocations/abs.yaml"] = rng.choice([b"/dev/null", b"/dev/zero", b"/",
                                                          b"/proc/self/cwd", b"../pipe"])
        tree.fifos.add(b"pipe")
    else:
        tree.files.pop(b"funds.yaml", None)
        tree.links[b"funds.yaml"] = rng.choice([b"/dev/null", b"/dev/zero", b"pipe", b"."])
        tree.fifos.add(b"pipe")
    return f"symlinks {sorted(tree.links.items())!r}"


@mutator("fifo", 1)
def _fifo(rng: random.Random, tree: Tree) -> str | None:
    tree.fifos.add(rng.choice([b"allocations/pipe.yaml", b"pipe.yaml"]))
    return f"fifos {sorted(tree.fifos)!r}"


@mutator("odd-mtime", 4, gentle=True)
def _odd_mtime(rng: random.Random, tree: Tree) -> str | None:
    name = _pick_file(rng, tree)
    if name is None:
        return None
    tree.mtimes[name] = rng.choice(MTIMES)
    return f"mtime of {name!r} is {tree.mtimes[name]}"


@mutator("odd-permissions", 6, needs_non_root=True)
def _odd_permissions(rng: random.Random, tree: Tree) -> str | None:
    folders = sorted({b"allocations", *(n.rsplit(b"/", 1)[0] for n in tree.files if b"/" in n)})
    if rng.random() < 0.5:
        name = _pick_file(rng, tree, yaml_only=False)
        if name is None:
            return None
        tree.modes[name] = rng.choice([0o000, 0o200, 0o044])
    else:
        name = rng.choice(folders)
        tree.modes[name] = rng.choice([0o000, 0o644, 0o311, 0o555])
    return f"chmod {tree.modes[name]:03o} {name!r}"


_SEED_LINES: list[bytes] = []
_SEED_KEYS: list[bytes] = []


def _all_seed_lines() -> list[bytes]:
    if not _SEED_LINES:
        for _, tree in seed_trees():
            for content in tree.files.values():
                _SEED_LINES.extend(line for line in _lines(content)
                                   if line.strip() and not line.lstrip().startswith(b"#"))
    return _SEED_LINES


def _all_seed_keys() -> list[bytes]:
    if not _SEED_KEYS:
        found = {match["key"] for line in _all_seed_lines() if (match := _KEY_LINE.match(line))}
        _SEED_KEYS.extend(sorted(found))
    return _SEED_KEYS


def mutate(rng: random.Random, tree: Tree, *, gentle: bool = False) -> list[tuple[str, str]]:
    """Apply one to four mutations (only gentle ones if `gentle`); return (mutator, what it
    did) for each."""
    names = sorted(GENTLE if gentle else MUTATORS)
    weights = [MUTATORS[name][0] for name in names]
    wanted = 1 + min(3, int(rng.expovariate(1.2)))
    done: list[tuple[str, str]] = []
    for _ in range(wanted * 5):
        if len(done) == wanted:
            break
        name = rng.choices(names, weights)[0]
        what = MUTATORS[name][1](rng, tree)
        if what is not None:
            done.append((name, what))
    return done


# --- writing a tree and running commands on it ----------------------------------------------

def materialize(tree: Tree, work: bytes) -> bytes | None:
    """Write the tree as `work/<root>`; None if the file system refuses it (a name too long)."""
    root = os.path.join(work, tree.root)
    try:
        os.makedirs(root)
        for folder in sorted(tree.dirs):
            os.makedirs(os.path.join(root, folder), exist_ok=True)
        for name, content in sorted(tree.files.items()):
            path = os.path.join(root, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(content)
        for name, target in sorted(tree.links.items()):
            path = os.path.join(root, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.symlink(target, path)
        for name in sorted(tree.fifos):
            os.mkfifo(os.path.join(root, name))
        for name, stamp in tree.mtimes.items():
            try:
                os.utime(os.path.join(root, name), (stamp, stamp), follow_symlinks=False)
            except (OSError, OverflowError, ValueError):
                pass  # the file system cannot store that time: not a finding
        for name, mode in sorted(tree.modes.items(), key=lambda item: -item[0].count(b"/")):
            os.chmod(os.path.join(root, name), mode)
    except (OSError, ValueError):
        return None
    return root


def remove(work: bytes) -> None:
    """Delete an iteration's folder, first giving back the permissions that would stop it."""
    if not os.path.lexists(work):
        return
    if not IS_ROOT:
        with suppress(OSError):
            os.chmod(work, 0o700)
        for parent, folders, _ in os.walk(work):  # top down: each folder is fixed, then read
            for folder in folders:
                path = os.path.join(parent, folder)
                if not os.path.islink(path):
                    with suppress(OSError):
                        os.chmod(path, 0o700)
    shutil.rmtree(work, ignore_errors=True)


@contextmanager
def typer_command_built_once() -> Iterator[None]:
    """Typer builds the click command from the functions' annotations again on every call of
    the app, which is over half the time of a command on a small directory; build it once for
    the run. Each command still gets a fresh click context, as in a process of its own."""
    import typer.main

    original = typer.main.get_command
    built: dict[int, tuple[typer.Typer, Any]] = {}

    def get_command(typer_instance: typer.Typer) -> Any:  # typer vendors its click
        key = id(typer_instance)
        if key not in built:  # the app is kept too, so that its id stays its own
            built[key] = (typer_instance, original(typer_instance))
        return built[key][1]

    typer.main.get_command = get_command
    try:
        yield
    finally:
        typer.main.get_command = original


class CommandTimeout(BaseException):
    """Raised by SIGALRM inside a command; a BaseException, so that `main` lets it through."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise CommandTimeout(f"still running after {seconds} s")
    usable = (seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if usable:
        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if usable:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    code: object  # the exit code, as given to SystemExit
    stdout: bytes
    stderr: bytes
    error: BaseException | None  # what main caught (exit 70), or what escaped it
    escaped: bool  # the error got through main
    seconds: float


class Interrupted(Exception):
    """The user pressed Ctrl-C (or sent SIGTERM) while a command ran."""


def run_command(argv: Sequence[str], timeout: float) -> Outcome:
    """`pcc-ledger ARGV` in this process, through cli.main, in the current directory."""
    # Click 8.1 mixes stderr into stdout unless told not to (8.2 dropped the option).
    keep_apart = "mix_stderr" in inspect.signature(CliRunner.__init__).parameters
    runner = CliRunner(mix_stderr=False) if keep_apart else CliRunner()  # type: ignore[call-arg]
    saved_argv = sys.argv
    error: BaseException | None = None
    escaped = False
    code: object = 0
    start = time.perf_counter()
    with runner.isolation(env=CLEAN_ENV) as streams:  # (out, err) on Click 8.1, then a third
        out, err = streams[0], streams[1]
        sys.argv = ["pcc-ledger", *argv]
        try:
            with _time_limit(timeout):
                cli.main()
        except SystemExit as exit_:
            code = 0 if exit_.code is None else exit_.code
            context = exit_.__context__
            if context is not None and (not _is_click_exit(context) or _interrupted(context)):
                error = context
        except KeyboardInterrupt:
            raise
        except BaseException as uncaught:  # noqa: BLE001 - what escapes main is a finding
            error, escaped, code = uncaught, True, None
        finally:
            sys.argv = saved_argv
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (ValueError, UnicodeError):
                    pass
        stdout, stderr = out.getvalue(), err.getvalue()
    # The CLI freezes what it loaded out of the cyclic collector's sight, as a process runs
    # one command; here several share a process (a directory's, or the warm-up's every
    # command), so what they left is thawed for collection.
    gc.unfreeze()
    if _interrupted(error):
        raise Interrupted
    return Outcome(code, stdout, stderr, error, escaped, time.perf_counter() - start)


def _interrupted(error: BaseException | None) -> bool:
    """Ctrl-C: main makes it exit 130, or click makes it "Aborted!" and exit 1."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, KeyboardInterrupt):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _is_click_exit(error: BaseException) -> bool:
    name = type(error).__name__
    return name in ("Exit", "Abort", "UsageError", "BadParameter", "NoSuchOption",
                    "MissingParameter", "BadOptionUsage", "BadArgumentUsage")


def classify(outcome: Outcome) -> str | None:
    """Why this outcome is a finding, or None when it is not one."""
    both = outcome.stdout + outcome.stderr
    if kind_of(outcome.error) == "CommandTimeout":
        return "timeout"
    if kind_of(outcome.error) == "ProcessDied":
        return "the process died"
    if outcome.escaped:
        return "exception escaped main"
    if outcome.code == 70 or b"pcc-ledger: internal error" in both:
        return "internal error"
    if b"Traceback (most recent call last)" in both:
        return "traceback in the output"
    if b"cannot write the output" in outcome.stderr:
        return "an OSError reported as a failure to write the output"
    if outcome.code not in (0, 1, 2):
        return f"exit code {outcome.code!r}"
    return None


def _frame(summary: traceback.FrameSummary) -> str:
    """A frame as `path:line function`, the path from pcc_ledger/, site-packages or the
    standard library."""
    filename = summary.filename
    marker = f"{os.sep}pcc_ledger{os.sep}"
    if marker in filename:
        filename = "pcc_ledger/" + filename.split(marker, 1)[1]
    elif "site-packages" + os.sep in filename:
        filename = filename.split("site-packages" + os.sep, 1)[1]
    elif filename.startswith(_STDLIB):
        filename = os.path.relpath(filename, _STDLIB)
    return f"{filename}:{summary.lineno} {summary.name}"


def _frames(error: BaseException) -> list[traceback.FrameSummary]:
    """The frames of an error's traceback, without this file's (the timer's handler)."""
    if isinstance(error, CapturedError):
        return error.summaries()
    here = os.path.abspath(__file__)
    return [frame for frame in traceback.extract_tb(error.__traceback__)
            if os.path.abspath(frame.filename) != here]


def signature(reason: str, outcome: Outcome) -> str:
    """What makes two findings the same crash: the exception type and where it was raised
    (the innermost frame of pcc_ledger, and the innermost frame if that is elsewhere)."""
    error = outcome.error
    if error is None:
        first = next((line for line in outcome.stderr.splitlines() if line.strip()), b"")
        return f"{reason}: {re.sub(rb'[0-9]+', b'N', first)[:120].decode(errors='replace')}"
    if kind_of(error) == "ProcessDied":  # no frames: how it died tells deaths apart
        return f"ProcessDied: {error}"
    frames = _frames(error)
    ours = [frame for frame in frames if f"{os.sep}pcc_ledger{os.sep}" in frame.filename]
    where = [_frame(ours[-1])] if ours else []
    if frames and (not ours or frames[-1] is not ours[-1]):
        where.append(_frame(frames[-1]))
    return f"{kind_of(error)} at {' <- '.join(reversed(where)) or '?'}"


def last_frames(error: BaseException | None, count: int = 5) -> list[str]:
    if error is None:
        return []
    frames = _frames(error)
    return [f"{_frame(frame)}: {(frame.line or '').strip()}" for frame in frames[-count:]]


# --- the fuzzing loop -----------------------------------------------------------------------

@dataclass
class Finding:
    signature: str
    reason: str
    command: tuple[str, ...]
    tree: Tree
    minimal: Tree
    mutations: list[tuple[str, str]]
    label: str  # the options that rerun its directory
    error: str
    frames: list[str]
    stderr: str
    hits: int = 1
    commands: set[str] = field(default_factory=set)

    def report(self) -> str:
        command = "pcc-ledger " + " ".join(
            shlex.quote(arg) for arg in _argv(self.command, self.minimal.root))
        lines = [
            f"[{self.hits} hit(s)] {self.signature}",
            f"  reason: {self.reason}; first in {self.label}",
            f"  commands: {', '.join(sorted(self.commands))}",
            f"  mutations: {'; '.join(what for _, what in self.mutations)[:600]}",
            f"  error: {self.error[:300]}",
            *(f"    {frame}" for frame in self.frames),
            f"  stderr: {self.stderr[:300]!r}",
            f"  reproduce: {command}  (in the folder holding the data directory below)",
            *("  " + line for line in self.minimal.describe().splitlines()),
        ]
        return "\n".join(lines)


@dataclass
class Report:
    seed: str
    directories: int = 0
    commands: int = 0
    unwritable: int = 0  # trees the file system refused
    seconds: float = 0.0
    shrinking: float = 0.0  # of the seconds, those spent shrinking findings
    findings: dict[str, Finding] = field(default_factory=dict)
    mutators: Counter[str] = field(default_factory=Counter)
    exit_codes: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        fuzzing = max(self.seconds - self.shrinking, 1e-9)
        lines = [
            f"seed {self.seed}: {self.directories} directories, {self.commands} commands in "
            f"{self.seconds:.1f} s, {self.shrinking:.1f} s of it shrinking findings "
            f"({self.directories / fuzzing:.1f} directories/s, "
            f"{self.commands / fuzzing:.0f} commands/s otherwise); "
            f"{self.unwritable} mutated trees the file system refused",
            "exit codes: " + ", ".join(f"{code} x{count}"
                                       for code, count in sorted(self.exit_codes.items())),
            *(f"note: {note}" for note in self.notes),
            f"{len(self.findings)} distinct finding(s)",
        ]
        for number, finding in enumerate(self.findings.values(), start=1):
            lines.append(f"\n#{number} " + finding.report())
        return "\n".join(lines)


def _argv(command: tuple[str, ...], root: bytes) -> list[str]:
    return [*command, "--data", os.fsdecode(root)]


Runs = Generator[tuple[tuple[str, ...], Outcome], None, None]


def run_tree(tree: Tree, commands: Sequence[tuple[str, ...]], base: bytes, timeout: float,
             *, isolated: bool = True) -> Runs | None:
    """Write the tree in a fresh folder below `base` and run the commands there, one by one: in
    a child process (`isolated`, see below), or in this one."""
    work = tempfile.mkdtemp(prefix="it-", dir=os.fsdecode(base))
    work_bytes = os.fsencode(work)
    root = materialize(tree, work_bytes)
    if root is None:
        remove(work_bytes)
        return None
    os.mkdir(os.path.join(work, "out"))

    def results() -> Runs:
        try:
            if isolated:
                yield from _in_a_child(work, tree.root, commands, timeout)
            else:
                yield from _here(work, tree.root, commands, timeout)
        finally:
            remove(work_bytes)
    return results()


def _here(work: str, root: bytes, commands: Sequence[tuple[str, ...]], timeout: float) -> Runs:
    saved = os.getcwd()
    os.chdir(work)
    try:
        for command in commands:
            yield command, run_command(_argv(command, root), timeout)
    finally:
        os.chdir(saved)


def _warm_up(seeds: Sequence[tuple[str, Tree]], base: bytes, timeout: float,
             say: Callable[[str], None]) -> None:
    """Every command once, here, on the shipped data: what a first run imports and builds (the
    data model's validators, the exports) is then in every child from the start, not made again
    in each. The shipped data passes every command; if one fails here, the fuzzer says so."""
    runs = run_tree(dict(seeds)["data"], (*CORE_COMMANDS, *EXTRA_COMMANDS), base, timeout,
                    isolated=False)
    if runs is None:
        say("warm-up: the shipped data could not be written; every child starts cold")
        return
    with closing(runs):
        for command, outcome in runs:
            reason = classify(outcome)
            if reason is not None:
                say(f"warm-up: `{' '.join(command)}` on the shipped data: {reason}")


# --- each directory's commands in a process of their own -----------------------------------
#
# Thousands of commands in one process leave things behind (memory the allocator does not give
# back after huge values, above all): after some 1,900 directories a run reached its own memory
# cap and every command failed with MemoryError, findings that no replay could reproduce. So
# each directory's commands run in a child forked from the fuzzer, which starts every time from
# the same state (warmed up once, see `_warm_up`): cheap (a fork per directory), and `--replay`
# sees what the run saw. A child that dies (a signal, a crash in C code), or that stops
# answering past the time limit (stuck where SIGALRM cannot reach it), is a finding too.


class CapturedError(Exception):
    """An error raised in the child, as the fuzzer sees it: the name of its type, its text and
    the frames of its traceback (a traceback does not cross a pipe; frames as plain tuples do)."""

    def __init__(self, kind: str, text: str,
                 frames: Sequence[tuple[str, int | None, str, str | None]] = ()) -> None:
        super().__init__(text)
        self.kind, self.text, self.frames = kind, text, list(frames)

    def __reduce__(self) -> tuple[Any, ...]:
        return CapturedError, (self.kind, self.text, self.frames)

    def summaries(self) -> list[traceback.FrameSummary]:
        return [traceback.FrameSummary(filename, lineno, name, line=line)
                for filename, lineno, name, line in self.frames]


def captured(error: BaseException | None) -> CapturedError | None:
    if error is None or isinstance(error, CapturedError):
        return error
    frames = [(frame.filename, frame.lineno, frame.name, frame.line) for frame in _frames(error)]
    try:
        text = str(error)
    except Exception as unprintable:  # noqa: BLE001 - an exception whose str() fails
        text = f"<str() failed: {type(unprintable).__name__}>"
    return CapturedError(type(error).__name__, text, frames)


def kind_of(error: BaseException | None) -> str | None:
    """The name of the error's type (of the original one, for a captured error)."""
    if error is None:
        return None
    return error.kind if isinstance(error, CapturedError) else type(error).__name__


_LENGTH = struct.Struct("!Q")  # each record on the pipe: its length, then its pickle
STUCK_GRACE = 10.0  # seconds past the time limit before a silent child is taken to be stuck


def _in_a_child(work: str, root: bytes, commands: Sequence[tuple[str, ...]],
                timeout: float) -> Runs:
    """Run the commands in a child process, in `work`, yielding each outcome as it comes."""
    reading, writing = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        child = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        raise
    if child == 0:  # pragma: no cover - the child
        _child(reading, writing, work, root, commands, timeout)
    done = 0
    finished = False
    started = time.perf_counter()
    error: CapturedError | None = None
    try:
        os.close(writing)
        while done < len(commands):
            # A command past its time limit stopped itself (SIGALRM) and said so; one that did
            # not is stuck where the signal cannot reach it: give it a little longer, then stop.
            record = _receive(reading, timeout + STUCK_GRACE)
            if isinstance(record, CapturedError):
                error = record
                break
            what, command, outcome = record
            if what == "interrupted":
                raise Interrupted
            if what == "failed":  # the fuzzer's own error, in the child: not a finding
                raise RuntimeError(f"the fuzzer failed in its child: {outcome}")
            done += 1
            yield command, outcome
            started = time.perf_counter()
        finished = True
    finally:
        os.close(reading)
        if not finished or error is not None:  # stopped early, interrupted, or stuck
            with suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        _, status = os.waitpid(child, 0)
    if (error is None or error.kind == "ProcessDied") and done < len(commands):
        how = (f"killed by signal {signal.Signals(os.WTERMSIG(status)).name}"
               if os.WIFSIGNALED(status) else f"exit status {os.WEXITSTATUS(status)}")
        error = CapturedError("ProcessDied", f"the process running it died ({how})")
    if error is not None and done < len(commands):
        seconds = time.perf_counter() - started
        yield commands[done], Outcome(None, b"", b"", error, True, seconds)


def _receive(reading: int, seconds: float) -> tuple[str, Any, Any] | CapturedError:
    """The next record from the child; a CapturedError when there is none: the child is gone
    (the pipe ended, whole records or not) or has said nothing for `seconds`."""
    chunks: list[bytes] = []
    wanted = _LENGTH.size
    length: int | None = None
    deadline = time.monotonic() + seconds
    while True:
        if wanted == 0:
            if length is None:
                (length,) = _LENGTH.unpack(b"".join(chunks))
                chunks, wanted = [], length
                continue
            record: tuple[str, Any, Any] = pickle.loads(b"".join(chunks))
            return record
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([reading], [], [], left)[0]:
            return CapturedError("CommandTimeout", f"no answer after {seconds:g} s")
        chunk = os.read(reading, min(wanted, 1 << 20))
        if not chunk:
            return CapturedError("ProcessDied", "the process running it died")
        chunks.append(chunk)
        wanted -= len(chunk)


def _child(reading: int, writing: int, work: str, root: bytes,
           commands: Sequence[tuple[str, ...]], timeout: float) -> NoReturn:  # pragma: no cover
    """The child: run the commands and send each outcome back, then end without any of the
    fuzzer's clean-up (no atexit handler, no buffer flushed twice)."""
    status = 0
    try:
        os.close(reading)
        os.chdir(work)
        for command in commands:
            try:
                outcome = run_command(_argv(command, root), timeout)
                record: tuple[str, Any, Any] = (
                    "done", command, replace(outcome, error=captured(outcome.error)))
            except Interrupted:
                record = ("interrupted", command, None)
            data = pickle.dumps(record)  # whole before any of it is written
            os.write(writing, _LENGTH.pack(len(data)))
            view = memoryview(data)
            while view:
                view = view[os.write(writing, view):]
            if record[0] == "interrupted":
                break
    except MemoryError:
        status = 3  # the outcome was too large to send: the parent says the process died
    except BaseException as error:  # noqa: BLE001 - the fuzzer's own bug: said, then ended
        with suppress(BaseException):
            failure = pickle.dumps(("failed", None, "".join(traceback.format_exception(error))))
            os.write(writing, _LENGTH.pack(len(failure)) + failure)
        status = 1
    finally:
        os._exit(status)


def same_failure(tree: Tree, command: tuple[str, ...], wanted: str, base: bytes,
                 timeout: float) -> bool:
    runs = run_tree(tree, [command], base, timeout)
    if runs is None:
        return False
    try:
        _, outcome = next(runs)
    finally:
        runs.close()
    reason = classify(outcome)
    return reason is not None and signature(reason, outcome) == wanted


def minimize(tree: Tree, command: tuple[str, ...], wanted: str, base: bytes, timeout: float,
             budget: float = 20.0) -> Tree:
    """Shrink a failing tree while it still fails the same way: whole entries, then chunks of
    lines, then long lines; within `budget` seconds."""
    deadline = time.monotonic() + budget
    best = tree.copy()

    def attempt(candidate: Tree) -> bool:
        nonlocal best
        if time.monotonic() > deadline:
            return False
        if same_failure(candidate, command, wanted, base, min(timeout, 10.0)):
            best = candidate
            return True
        return False

    if best.root != b"data":
        attempt(replace(best.copy(), root=b"data"))
    for attribute in ("files", "links", "modes", "mtimes"):
        for key in sorted(getattr(best, attribute)):
            candidate = best.copy()
            del getattr(candidate, attribute)[key]
            attempt(candidate)
    for attribute in ("dirs", "fifos"):
        for key in sorted(getattr(best, attribute)):
            candidate = best.copy()
            getattr(candidate, attribute).discard(key)
            attempt(candidate)
    for name in sorted(best.files):
        lines = _lines(best.files[name])
        chunk = max(1, len(lines) // 2)
        while chunk >= 1 and time.monotonic() < deadline:
            at = 0
            while at < len(lines) and time.monotonic() < deadline:
                shorter = lines[:at] + lines[at + chunk:]
                candidate = best.copy()
                candidate.files[name] = b"\n".join(shorter)
                if attempt(candidate):
                    lines = shorter
                else:
                    at += chunk
            chunk //= 2
        for number in range(len(lines)):
            while len(lines[number]) > 80 and time.monotonic() < deadline:
                shorter = [*lines[:number], lines[number][: len(lines[number]) // 2],
                           *lines[number + 1:]]
                candidate = best.copy()
                candidate.files[name] = b"\n".join(shorter)
                if not attempt(candidate):
                    break
                lines = shorter
    return best


def keep_finding(finding: Finding, number: int, keep: Path) -> Path:
    """Write the minimal data directory, the original one and a repro.sh below `keep`."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", finding.signature)[:60].strip("-")
    folder = keep / f"{number:02d}-{slug}"
    for name, tree in (("minimal", finding.minimal), ("original", finding.tree)):
        path = os.fsencode(folder / name)
        remove(path)
        os.makedirs(path)
        if materialize(tree, path) is None:
            (folder / f"{name}.unwritable").write_text("the file system refused it\n")
        os.makedirs(os.path.join(path, b"out"), exist_ok=True)
    argv = " ".join(shlex.quote(arg) for arg in _argv(finding.command, finding.minimal.root))
    script = (f'#!/bin/sh\n# {finding.signature}\ncd "$(dirname "$0")/minimal" && '
              f"exec python -m pcc_ledger {argv}\n")
    (folder / "repro.sh").write_bytes(script.encode("utf-8", "surrogateescape"))
    (folder / "repro.sh").chmod(0o755)
    (folder / "finding.txt").write_text(finding.report() + "\n", encoding="utf-8",
                                        errors="backslashreplace")
    return folder


def _stores_far_mtimes(folder: str) -> bool:
    probe = os.path.join(folder, "mtime-probe")
    try:
        with open(probe, "wb"):
            pass
        os.utime(probe, (MTIMES[6], MTIMES[6]))
        return os.stat(probe).st_mtime == MTIMES[6]
    except (OSError, OverflowError):
        return False
    finally:
        if os.path.exists(probe):
            os.unlink(probe)


def fuzz(seed: str, *, iterations: int | None = None, seconds: float | None = None,
         keep: Path | None = None, do_minimize: bool = True, workdir: Path | None = None,
         timeout: float = 30.0, replay: int | None = None, verbose: bool = False,
         minimize_seconds: float = 20.0, log: Callable[[str], None] | None = None) -> Report:
    """Fuzz until `iterations` directories are done or `seconds` have passed (whichever is
    first; at least one of them must be given)."""
    if iterations is None and seconds is None and replay is None:
        raise ValueError("give iterations or seconds")
    say = log or (lambda text: None)
    report = Report(seed)
    if IS_ROOT:
        report.notes.append(ROOT_NOTE)
    seeds = seed_trees()
    clean = [(name, tree) for name, tree in seeds if passes(name)]
    base = tempfile.mkdtemp(prefix="pcc-fuzz-", dir=workdir)
    if not _stores_far_mtimes(base):
        report.notes.append(f"{base}: the file system clamps mtimes (ext4 stops in 2446), so "
                            "the year-10000 ones are not tried; --workdir /dev/shm tries them")
    base_bytes = os.fsencode(base)
    start = time.monotonic()
    last_log = start
    numbers = [replay] if replay is not None else None
    iteration = -1
    try:
        with typer_command_built_once():
            _warm_up(seeds, base_bytes, timeout, say)
            while True:
                iteration += 1
                if numbers is not None:
                    if iteration >= len(numbers):
                        break
                    number = numbers[iteration]
                else:
                    number = iteration
                    if iterations is not None and iteration >= iterations:
                        break
                    if seconds is not None and time.monotonic() - start >= seconds:
                        break
                rng = random.Random(f"{seed}:{number}")
                gentle = rng.random() < 0.4
                seed_name, original = rng.choice(clean if gentle or rng.random() < 0.5 else seeds)
                tree = original.copy()
                mutations = mutate(rng, tree, gentle=gentle)
                report.mutators.update(name for name, _ in mutations)
                commands = [*CORE_COMMANDS, *rng.sample(EXTRA_COMMANDS, 2)]
                if replay is not None or verbose:
                    say(f"iteration {number}: {seed_name}; "
                        + "; ".join(what for _, what in mutations))
                runs = run_tree(tree, commands, base_bytes, timeout)
                if runs is None:
                    report.unwritable += 1
                    continue
                report.directories += 1
                began = time.monotonic()
                found: list[tuple[tuple[str, ...], Outcome, str]] = []
                with closing(runs):  # removes the folder (and ends the child) however it ends
                    for command, outcome in runs:
                        report.commands += 1
                        report.exit_codes[repr(outcome.code)] += 1
                        reason = classify(outcome)
                        if reason is not None:
                            found.append((command, outcome, reason))
                        if reason == "timeout" or kind_of(outcome.error) == "MemoryError":
                            break  # the other commands would most likely do the same, slowly
                if verbose:
                    say(f"  {time.monotonic() - began:.2f} s")
                for command, outcome, reason in found:
                    _record(report, command, outcome, reason, tree, mutations,
                            f"--seed {seed} --replay {number}", base_bytes, timeout,
                            minimize_seconds if do_minimize else 0.0, keep, say)
                now = time.monotonic()
                if now - last_log > 10:
                    last_log = now
                    say(f"[{now - start:.0f} s] {report.directories} directories, "
                        f"{report.commands} commands, {len(report.findings)} distinct findings")
    except (Interrupted, KeyboardInterrupt):
        say("interrupted")
    finally:
        report.seconds = time.monotonic() - start
        remove(base_bytes)
    return report


def _record(report: Report, command: tuple[str, ...], outcome: Outcome, reason: str,
            tree: Tree, mutations: list[tuple[str, str]], label: str, base: bytes,
            timeout: float, minimize_seconds: float, keep: Path | None,
            say: Callable[[str], None]) -> None:
    key = signature(reason, outcome)
    shown = " ".join(command)
    if key in report.findings:
        known = report.findings[key]
        known.hits += 1
        known.commands.add(shown)
        return
    error = "" if outcome.error is None else f"{kind_of(outcome.error)}: {outcome.error}"
    say(f"new finding: {key} ({shown}; {label})")
    began = time.monotonic()
    minimal = (minimize(tree, command, key, base, timeout, minimize_seconds)
               if minimize_seconds > 0 else tree)
    report.shrinking += time.monotonic() - began
    finding = Finding(key, reason, command, tree, minimal, mutations, label, error,
                      last_frames(outcome.error),
                      outcome.stderr.decode("utf-8", "backslashreplace"), commands={shown})
    report.findings[key] = finding
    if keep is not None:
        say(f"kept in {keep_finding(finding, len(report.findings), keep)}")


def limit_memory(megabytes: int) -> None:
    """Cap the address space, so that a runaway allocation raises MemoryError in the command
    (which main reports as an internal error) instead of getting the fuzzer killed."""
    import resource

    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, help="stop after this long (default 60 when "
                        "--iterations is not given)")
    parser.add_argument("--iterations", type=int, help="stop after this many directories")
    parser.add_argument("--seed", default="1", help="the run's seed (any text; default 1)")
    parser.add_argument("--replay", type=int, metavar="I", help="run iteration I only")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write each finding here")
    parser.add_argument("--no-minimize", action="store_true", help="report findings unshrunk")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds one command may run before it is a finding (default 30)")
    parser.add_argument("--memory-mb", type=int, default=2048,
                        help="address-space limit of this process, so that a memory blow-up "
                        "is a MemoryError (a finding) rather than the OOM killer (default 2048; "
                        "0: none)")
    parser.add_argument("--verbose", action="store_true", help="print every iteration")
    parser.add_argument("--workdir", type=Path, help="where to write the directories "
                        "(default: the system's temporary folder)")
    options = parser.parse_args(argv)
    seconds = options.seconds
    if seconds is None and options.iterations is None:
        seconds = 60.0
    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt  # ends the run like Ctrl-C: summary printed, folders removed
    signal.signal(signal.SIGTERM, stop)
    if options.memory_mb > 0:
        limit_memory(options.memory_mb)
    if options.keep is not None:
        options.keep.mkdir(parents=True, exist_ok=True)
    report = fuzz(options.seed, iterations=options.iterations, seconds=seconds,
                  keep=options.keep, do_minimize=not options.no_minimize,
                  workdir=options.workdir, timeout=options.timeout, replay=options.replay,
                  verbose=options.verbose,
                  log=lambda text: print(text, file=sys.stderr, flush=True))
    text = report.summary()
    sys.stdout.buffer.write(text.encode("utf-8", "backslashreplace") + b"\n")
    return 1 if report.findings else 0


if __name__ == "__main__":
    sys.exit(main())
