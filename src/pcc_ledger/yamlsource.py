"""YAML text -> plain data (dicts, lists, strings, None), and where each value came from.

Why not `yaml.safe_load`: it applies YAML 1.1 implicit typing (`no` becomes False, `1e3` a
float, `2017-04-20` a date, `1:30` a sexagesimal integer), silently keeps the last of two
duplicate keys, and expands aliases without limit. Here every scalar stays text until the model
types it, duplicate keys are problems, and aliases, nesting and file size are bounded.

The tree is built from libyaml's event stream (the C parser when PyYAML has it), which is both the
fastest way through PyYAML and free of recursion, so absurd nesting is refused rather than
overflowing a stack.

Positions cost nothing until a problem needs one: the first time a document is asked where a
value is, the file is parsed again with position tracking switched on. A clean run over 100,000
commitments never pays for line numbers it does not print. In a file of fastyaml's plain shape,
a value inside a commitment (a transfer, a round) is looked for in that item's lines alone.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import fastyaml
from .problems import Location, Problem
from .rules import make_problem

try:
    _LOADER: Any = yaml.CSafeLoader
    USING_LIBYAML = True
except AttributeError:  # PyYAML built without libyaml: the pure-Python parser, same events
    _LOADER = yaml.SafeLoader
    USING_LIBYAML = False

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_VALUES = 100_000

# Plain (unquoted) scalars that mean "no value", as in YAML 1.2's core schema. Nothing else
# is typed here: `true`, `12`, `2017-04-20` all stay text for the model to interpret.
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_STR_TAG = "tag:yaml.org,2002:str"
_SCALAR = yaml.ScalarEvent

_TOO_DEEP = (
    f"values nested more than {MAX_DEPTH} levels deep; a pcc-ledger file needs no more than a "
    "few levels"
)

PathPart = str | int
YamlPath = tuple[PathPart, ...]
Stamp = tuple[int, int, int]  # a file's size, modification time (ns) and inode


def stamp_of(found: os.stat_result) -> Stamp:
    return found.st_size, found.st_mtime_ns, found.st_ino


class _Abort(Exception):
    """Stops building a document that cannot be trusted any further."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(slots=True)
class _Frame:
    container: Any  # dict for a mapping, list for a sequence
    mapping: bool
    path: YamlPath
    anchor: str | None
    size: int = 1
    key: str | None = None  # mappings: the key waiting for its value


@dataclass
class _Built:
    data: Any = None
    empty: bool = True
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[tuple[YamlPath, Location]] = field(default_factory=list)
    plain: bool = False  # read by fastyaml: the text is of its plain shape


class _Builder:
    """Turns parser events into plain data, keeping no positions (see `_positions_of`)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.out = _Built()
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.alias_values = 0
        self.documents = 0

    def where(self, mark: Any) -> Location:
        return Location(self.file, mark.line + 1, mark.column + 1)

    def fail(self, mark: Any, rule: str, message: str) -> _Abort:
        return _Abort(make_problem(rule, self.where(mark), message))

    def run(self, events: Iterable[Any]) -> _Built:
        for event in events:
            kind = type(event)
            if kind is _SCALAR:
                self.scalar(event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self.open(event, kind is yaml.MappingStartEvent)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.close()
            elif kind is yaml.AliasEvent:
                self.alias(event)
            elif kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    raise self.fail(
                        event.start_mark,
                        "yaml-syntax",
                        "a second YAML document (`---`) in one file; keep one document per "
                        "file, or split it into two files",
                    )
        return self.out

    def check_tag(self, event: Any) -> None:
        if event.tag is not None and event.tag not in (_STR_TAG, "!"):
            raise self.fail(
                event.start_mark,
                "yaml-tag",
                f"YAML tag `{event.tag}` is not supported; write the plain value without a tag",
            )

    def child_path(self) -> YamlPath:
        top = self.stack[-1]
        if top.mapping:
            assert top.key is not None
            return (*top.path, top.key)
        return (*top.path, len(top.container))

    def expects_key(self) -> bool:
        return bool(self.stack) and self.stack[-1].mapping and self.stack[-1].key is None

    def scalar(self, event: Any) -> None:
        # The hot path: most events are scalars, so the common case is written out in full.
        if event.tag is not None:
            self.check_tag(event)
        text: str = event.value
        plain = not event.style  # None from the Python parser, '' from libyaml
        stack = self.stack
        if stack and event.anchor is None:
            top = stack[-1]
            if top.mapping:
                if top.key is None:
                    self.take_key(top, text, plain, event.start_mark)
                    return
                top.container[top.key] = None if plain and text in _NULLS else text
                top.key = None
            else:
                top.container.append(None if plain and text in _NULLS else text)
            top.size += 1
            return
        if self.expects_key():
            self.anchors[event.anchor] = (text, 1)
            self.take_key(stack[-1], text, plain, event.start_mark)
            return
        value = None if plain and text in _NULLS else text
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        self.attach(value, 1)

    def take_key(self, top: _Frame, text: str, plain: bool, mark: Any) -> None:
        if plain and text == "<<":
            raise self.fail(
                mark,
                "yaml-merge-key",
                "merge keys (`<<`) are not supported; write the keys out in full",
            )
        if text in top.container:
            self.out.duplicates.append(((*top.path, text), self.where(mark)))
        top.key = text

    def open(self, event: Any, mapping: bool) -> None:
        self.check_tag(event)
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(
                event.start_mark,
                "yaml-nesting",
                _TOO_DEEP,
            )
        if self.expects_key():
            raise self.fail(
                event.start_mark,
                "yaml-complex-key",
                "a list or mapping used as a key; keys must be plain text",
            )
        path = self.child_path() if self.stack else ()
        self.stack.append(_Frame({} if mapping else [], mapping, path, event.anchor))

    def close(self) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.container, frame.size)
        self.attach(frame.container, frame.size)

    def alias(self, event: Any) -> None:
        if self.expects_key():
            raise self.fail(
                event.start_mark, "yaml-complex-key", "an alias used as a key; keys must be text"
            )
        if event.anchor not in self.anchors:
            # libyaml's event parser leaves this to the composer, which we do not use.
            raise self.fail(
                event.start_mark,
                "yaml-syntax",
                f"alias `*{event.anchor}` refers to no anchor `&{event.anchor}` completed before "
                "it (an alias cannot point forward or into the list or mapping it is in); "
                "define the anchor first or write the value out",
            )
        value, size = self.anchors[event.anchor]
        self.alias_values += size
        if self.alias_values > MAX_ALIAS_VALUES:
            raise self.fail(
                event.start_mark,
                "yaml-alias-limit",
                f"aliases expand to more than {MAX_ALIAS_VALUES:,} values (an alias bomb?); "
                "write the values out instead of repeating anchors",
            )
        self.attach(value, size)

    def attach(self, value: Any, size: int) -> None:
        if not self.stack:
            self.out.data = value
            self.out.empty = False
            return
        top = self.stack[-1]
        top.size += size
        if top.mapping:
            top.container[top.key] = value
            top.key = None
        else:
            top.container.append(value)


def _syntax_problem(file: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
    what = getattr(error, "problem", None) or str(error)
    if "nesting depth" in what:  # libyaml >= 0.2.5 has a depth limit of its own
        return make_problem("yaml-nesting", where, _TOO_DEEP)
    context = getattr(error, "context", None)
    detail = f"{what} ({context})" if context else what
    return make_problem(
        "yaml-syntax",
        where,
        f"YAML syntax error: {detail}; check the indentation, colons and quotes on this line "
        "and the one above",
    )


def _events(text: str) -> Iterator[Any]:
    """The parser's events; calling get_event directly skips a layer of PyYAML's generator,
    which is a fifth of the time of a large file."""
    loader = _LOADER(text)
    try:
        yield from iter(loader.get_event, None)
    finally:
        loader.dispose()


def _parse(file: str, text: str) -> _Built:
    # Most files are of the plain shape `fastyaml` reads, in under half the time; it gives up
    # on anything else (and on every file with a problem), which is then read here.
    plain = fastyaml.read(text, controls_refused=True)  # read_yaml refused them
    if plain is not None:
        return _Built(data=plain, empty=False, plain=True)
    return reference_parse(file, text)


def reference_parse(file: str, text: str) -> _Built:
    """The reference reader: libyaml's events built into plain data, with every problem."""
    builder = _Builder(file)
    try:
        return builder.run(_events(text))
    except _Abort as stop:
        return _Built(problems=[*builder.out.problems, stop.problem], empty=False)
    except yaml.YAMLError as error:
        return _Built(problems=[*builder.out.problems, _syntax_problem(file, error)], empty=False)


@dataclass
class Document:
    """One parsed YAML file: its data, and a way back to the line of any value in it."""

    file: str
    source: Path
    data: Any
    # The file's size, modification time and inode when fastyaml read it (None: the reference
    # reader did, or nobody): found again with the same three, it is of the plain shape still.
    plain_stamp: Stamp | None = None
    _pending: list[tuple[Location, YamlPath, bool]] = field(default_factory=list)

    def at(self, path: Sequence[PathPart], *, key: bool = False) -> Location:
        """Where the value at `path` is (or its key, with `key=True`), found when first read.

        A path that names nothing in the file (a missing key, a value reached through an
        alias) resolves to the nearest enclosing value that is there.
        """
        location = Location(self.file, resolver=self)
        self._pending.append((location, tuple(path), key))
        return location

    def take_data(self) -> Any:
        """Hand the data over and forget it, so the raw tree is freed once it is validated."""
        data, self.data = self.data, None
        return data

    def resolve(self) -> None:
        """Settle every pending location of this file in one pass over it."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        try:
            now = stamp_of(os.stat(self.source))
            raw = self.source.read_bytes()
            text = _decode(raw)
        except (OSError, UnicodeDecodeError):  # changed since it was read: no positions
            now, raw, text = None, b"", ""
        plain = now is not None and now == self.plain_stamp and len(raw) == now[0]
        locate = _positions_in_plain if plain else _positions_of
        found = locate(text, [(path, key) for _, path, key in pending])
        for location, path, key in pending:
            location.settle(*_nearest(found, path, key))


class _Wanted:
    """A node of the tree of paths asked about; `key`: the key's position is wanted too."""

    __slots__ = ("children", "key")

    def __init__(self) -> None:
        self.children: dict[PathPart, _Wanted] = {}
        self.key = False


@dataclass
class _Open:
    wanted: _Wanted
    path: YamlPath
    mapping: bool
    index: int = 0
    key: str | None = None
    expect_key: bool = True


_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
Found = dict[tuple[YamlPath, bool], tuple[int, int]]


def _positions_of(text: str, requests: list[tuple[YamlPath, bool]]) -> Found:
    """Positions of the values on the requested paths (and of keys asked for), from one
    streaming pass that skips every subtree nobody asked about without looking inside, and
    stops as soon as everything asked for is found."""
    root = _Wanted()
    wanted_keys = set()
    nodes = 1
    for requested, key in requests:
        node = root
        for step in requested:
            if step not in node.children:
                node.children[step] = _Wanted()
                nodes += 1
            node = node.children[step]
        node.key = node.key or key
        if key:
            wanted_keys.add(requested)
    everything = nodes + len(wanted_keys)
    found: Found = {}
    stack: list[_Open] = []
    skip = 0  # depth inside a subtree nobody asked about
    event: Any
    try:
        for event in _events(text):
            kind = type(event)
            if skip:
                skip += 1 if kind in _STARTS else -1 if kind in _ENDS else 0
            elif kind in _ENDS:
                stack.pop()
            elif kind in _STARTS or kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
                opens = kind in _STARTS
                if not stack:
                    wanted: _Wanted | None = root
                    path: YamlPath = ()
                else:
                    wanted, path = _step(stack[-1], event, found)
                if wanted is None:
                    skip = 1 if opens else 0
                    continue
                found.setdefault((path, False), _where(event))
                if len(found) == everything:
                    break
                if opens:
                    stack.append(_Open(wanted, path, kind is yaml.MappingStartEvent))
    except yaml.YAMLError:  # changed since it was read: keep what was found
        pass
    return found


def _positions_in_plain(text: str, requests: list[tuple[YamlPath, bool]]) -> Found:
    """`_positions_of` for a text of fastyaml's plain shape, without the pass over the file up
    to the last value asked about: what is asked inside an item of a top-level list (a
    commitment, a transfer, a round) is looked for in that item's lines alone, parsed on their
    own (same columns; lines counted from the item's first). The rest takes the pass over the
    file. tests/test_plain_positions.py holds the two to the same positions for every value of
    every plain fixture and mutated file."""
    lines = text.split("\n")
    in_items: dict[tuple[str, int], list[tuple[YamlPath, bool]]] = {}
    elsewhere: list[tuple[YamlPath, bool]] = []
    for path, key in requests:
        if len(path) >= 2 and type(path[0]) is str and type(path[1]) is int and path[1] >= 0:
            in_items.setdefault((path[0], path[1]), []).append((path[2:], key))
        else:
            elsewhere.append((path, key))
    found: Found = {}
    starts_under: dict[str, list[int] | None] = {}
    for (name, index), inside in in_items.items():
        if name not in starts_under:
            starts_under[name] = fastyaml.item_lines(lines, name)
        starts = starts_under[name]
        if starts is None or index >= len(starts) - 1:  # no such item: the nearest is outside
            elsewhere.extend(((name, index, *path), key) for path, key in inside)
            continue
        first = starts[index]
        item = _positions_of("\n".join(lines[first:starts[index + 1]]),
                             [((0, *path), key) for path, key in inside])
        for (path, key), (line, column) in item.items():
            if path:  # the item and what is in it; not the list of one item its lines make
                found[((name, index, *path[1:]), key)] = (line + first, column)
    if elsewhere:
        found.update(_positions_of(text, elsewhere))
    return found


def _where(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _step(top: _Open, event: Any, found: Found) -> tuple[_Wanted | None, YamlPath]:
    """Move into the next node of the open collection; None when nobody asked about it."""
    if top.mapping and top.expect_key:
        top.expect_key = False
        name: str | None = event.value if type(event) is yaml.ScalarEvent else None
        top.key = name
        child = top.wanted.children.get(name) if name is not None else None
        if name is not None and child is not None and child.key:
            found.setdefault(((*top.path, name), True), _where(event))
        return None, ()  # a key is never a path of its own (a complex key is skipped)
    step: PathPart | None
    if top.mapping:
        step, top.expect_key = top.key, True
    else:
        step, top.index = top.index, top.index + 1
    if step is None:
        return None, ()
    child = top.wanted.children.get(step)
    return (None, ()) if child is None else (child, (*top.path, step))


def _nearest(found: Found, path: YamlPath, key: bool) -> tuple[int, int]:
    if key and (path, True) in found:
        return found[(path, True)]
    for end in range(len(path), -1, -1):
        if (path[:end], False) in found:
            return found[(path[:end], False)]
    return (1, 1)


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8-sig")


# Characters YAML does not allow in a file (C0 controls but tab and line breaks, DEL, C1
# controls, surrogates, U+FFFE/U+FFFF), and the three it reads as line breaks although every
# editor shows them inside a line (U+0085, U+2028, U+2029): with those, YAML's line numbers
# drift from the editor's, and a comment can end early and its tail be read as data.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff"
                      "\ufffe\uffff]")
# The same characters in a file's UTF-8 bytes, found by scans a tenth as long as a character
# class over its text: the ASCII ones by deleting every other byte, the others each by its own
# first bytes (searched for in C). Surrogates cannot be in bytes that decoded as UTF-8.
_REFUSED_ASCII = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_NOT_REFUSED_ASCII = bytes(byte for byte in range(256) if byte not in _REFUSED_ASCII)
_REFUSED_UTF8 = (re.compile(rb"\xc2[\x80-\x9f]"), re.compile(rb"\xe2\x80[\xa8\xa9]"),
                 re.compile(rb"\xef\xbf[\xbe\xbf]"))
_LINE_BREAKS = {0x85: "NEXT LINE", 0x2028: "LINE SEPARATOR", 0x2029: "PARAGRAPH SEPARATOR"}
_CONTROL_NAMES = {0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x1B: "ESCAPE", 0x7F: "DELETE",
                  0x9B: "CONTROL SEQUENCE INTRODUCER"}
MAX_CHARACTER_PROBLEMS = 10


def _editor_position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (from 1) of `offset` as YAML and an editor count lines: `\r\n`, a lone
    `\r` and `\n` each end one."""
    before = text[:offset]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return line, offset - start + 1


def _has_refused(raw: bytes) -> bool:
    """Whether UTF-8 bytes hold a character of `_REFUSED`."""
    return bool(raw.translate(None, _NOT_REFUSED_ASCII)) or any(
        pattern.search(raw) is not None for pattern in _REFUSED_UTF8)


def _refused_characters(file: str, text: str) -> list[Problem]:
    """Each refused character at its line and column as an editor counts them (only `\n`
    ends a line there, or `\r\n`), up to a few per file."""
    problems: list[Problem] = []
    for match in _REFUSED.finditer(text):
        if len(problems) == MAX_CHARACTER_PROBLEMS:
            break
        offset = match.start()
        line, column = _editor_position(text, offset)
        code = ord(match.group())
        name = f"U+{code:04X}"
        if code in _LINE_BREAKS:
            what = (f"{name} {_LINE_BREAKS[code]}: YAML reads it as a line break, though "
                    "editors show it inside the line; replace it with a real line break or a "
                    "space")
        else:
            label = f" {_CONTROL_NAMES[code]}" if code in _CONTROL_NAMES else ""
            what = (f"{name}{label}, a control character YAML does not allow; delete it (an "
                    "editor may show it as a box or nothing at all)")
        problems.append(make_problem("yaml-character", Location(file, line, column), what))
    return problems


def _line_and_column(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1


def read_yaml(source: Path, file: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse one YAML file. `file` is the path as the user should see it.

    Returns the document (None when nothing trustworthy could be read) and the problems found.
    """
    here = Location(file)
    try:
        found = os.stat(source)
        if not (stat.S_ISREG(found.st_mode) or stat.S_ISDIR(found.st_mode)):
            # A device (a link to /dev/zero never ends) or a FIFO (reading it waits for a
            # writer) is not a data file: say so rather than read it.
            return None, [
                make_problem(
                    "file-unreadable",
                    here,
                    "not a regular file (a device, FIFO or socket, perhaps behind a link); "
                    "pcc-ledger reads YAML files only: move it out of the data directory",
                )
            ]
        size = found.st_size
        if size > MAX_FILE_BYTES:
            return None, [
                make_problem(
                    "file-too-large",
                    here,
                    f"file is {size / 1024 / 1024:,.0f} MiB, over the "
                    f"{MAX_FILE_BYTES // 1024 // 1024} MiB limit for one file; split it into "
                    "several files",
                )
            ]
        raw = source.read_bytes()
        stamp = stamp_of(found)  # taken before the read: a file changed during it never matches
    except OSError as error:
        reason = error.strerror or str(error)
        return None, [
            make_problem("file-unreadable", here,
                         f"cannot read the file: {reason}; check it exists "
                    "and that you may read it")
        ]
    return parse_yaml(raw, source, file, stamp)


def parse_yaml(raw: bytes, source: Path, file: str,
               stamp: Stamp | None = None) -> tuple[Document | None, list[Problem]]:
    """What read_yaml makes of a file's bytes: also for text about to be written, so that it
    is read back exactly as a file would be before it is one. `stamp`: the file's, when the
    bytes are what it held then."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
                       codecs.BOM_UTF16_BE)):
        return None, [
            make_problem(
                "file-encoding",
                Location(file, 1, 1),
                "UTF-16 or UTF-32 text; save the file as UTF-8",
            )
        ]
    nul = raw.find(b"\0")
    if nul >= 0:
        line, column = _line_and_column(raw, nul)
        return None, [
            make_problem(
                "file-binary",
                Location(file, line, column),
                "binary file (it contains a NUL byte); pcc-ledger reads YAML text only: "
                "move the file out of the data directory",
            )
        ]
    try:
        text = _decode(raw)
    except UnicodeDecodeError as error:
        line, column = _line_and_column(raw, error.start)
        return None, [
            make_problem(
                "file-encoding",
                Location(file, line, column),
                f"not UTF-8 text (byte 0x{raw[error.start]:02x} here); save the file as UTF-8",
            )
        ]
    refused = _refused_characters(file, text) if _has_refused(raw) else []
    if refused:
        return None, refused
    built = _parse(file, text)
    if (built.empty or built.data is None) and not built.problems:
        return None, [
            make_problem(
                "empty-file",
                Location(file, 1, 1),
                "file is empty (no YAML data, only blank lines or comments); add its data or "
                "delete it",
            )
        ]
    if built.problems:
        return None, built.problems
    document = Document(file, source, built.data, stamp if built.plain else None)
    # Ask for every first occurrence before reading any, so one pass finds them all.
    firsts = [document.at(path, key=True) for path, _ in built.duplicates]
    return document, [
        make_problem(
            "duplicate-key",
            at,
            f"duplicate key `{path[-1]}`: it is already set on line {first.line}; keep one of "
            "them (YAML would silently use the last)",
        )
        for (path, at), first in zip(built.duplicates, firsts)
    ]
