"""A fast reader for the plain shape data files have; the reference reader for anything else.

Reading YAML is most of what `check` costs: libyaml's event stream and the tree built from it
take 4.5 s of 7 s at 100,000 commitments. Data files, written by hand or by a tool, keep to a
small part of YAML: block mappings and lists, one `key: value` a line, plain or quoted values on
one line, flow mappings such as `- {date: 2017-05-01, amount: 1200}`, comments. This module
reads exactly that part, a line at a time, into the same plain data `yamlsource` builds (dicts,
lists, text, None for a plain `~`/`null`/nothing). The moment a line is anything else, or
anything it is not sure of (a tab, a carriage return, an anchor, a tag, a block scalar, a
duplicate key, a value running onto the next line, a key not written plainly, odd indentation),
it gives up and returns None, and the file is read by the reference reader, which also gives
every problem its message and position. So this module never reports a problem and never
decides what a file means on its own.

tests/test_fastyaml.py holds the two readers to the same result on every fixture, on every
shape the format has, and on a corpus of mutated files.
"""

from __future__ import annotations

import re
from sys import intern
from typing import Any

# A key written plainly: what the format's keys and financial years (`2017/18:`) look like.
_KEY = r"[A-Za-z0-9_][A-Za-z0-9_./-]*"
_KEY_LINE = re.compile(rf"({_KEY}):(?: +(.*))?")
# A plain value may not start with an indicator (nor whitespace); `-5`, `?x` and `:x` would be
# plain too, but are rare enough to leave to the reference reader.
_PLAIN_START = r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]"
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +#.*)?')
_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: +#.*)?")
_FLOW = re.compile(r"([{\[])(.*)([}\]])(?: +#.*)?")
# One `key: value` of a flow mapping, or one item of a flow list, and what follows it. In flow
# context a plain value ends at `,`, `[`, `]`, `{`, `}`.
_FLOW_PAIR = re.compile(
    rf" *({_KEY}): +(?:\"([^\"\\]*)\"|({_PLAIN_START}[^,\[\]{{}}]*?)) *(,|$)")
_FLOW_ITEM = re.compile(rf" *(?:\"([^\"\\]*)\"|({_PLAIN_START}[^,\[\]{{}}]*?)) *(,|$)")
_NULLS = frozenset({"~", "null", "Null", "NULL"})
_MAX_DEPTH = 32
# libyaml refuses a key whose `:` is more than 1024 characters after its first (spaces before
# the colon count): such keys, and flow mappings that long, are left to the reference reader.
_KEY_REACH = 1000


class _Unsure(Exception):
    """This file is not of the plain shape: read it with the reference reader."""


_NOTHING = object()  # `key:` with nothing after it: a nested block follows, or None


def _plain(text: str, flow: bool) -> str | None:
    if ": " in text or text.endswith(":") or " #" in text:
        raise _Unsure
    if flow and ("#" in text or ":" in text):
        raise _Unsure  # legal in places, but not worth being subtle about
    return None if text in _NULLS else text


# The commonest flow mapping of all, a payment or a review (`{date: 2017-05-01, amount: 1200}`,
# `{date: 2017-05-01, amount: "£1,200.50"}`): plain keys; plain values with no `:`, `#`, quote,
# bracket or brace, or double-quoted ones with no escape; nothing after it; matched whole in one
# go. Anything else, a duplicate key among them, takes the longer way below, so this only ever
# agrees with it.
_PLAIN_FLOW_VALUE = r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^,:#\[\]{}'\"]*[^,:#\[\]{}'\" ])?"
_QUOTED_FLOW_VALUE = r'"[^"\\]*"'
_PLAIN_FLOW_PAIRS = re.compile(rf"({_KEY}): +({_PLAIN_FLOW_VALUE})")
_QUOTED_FLOW_PAIRS = re.compile(rf'({_KEY}): +(?:"([^"\\]*)"|({_PLAIN_FLOW_VALUE}))')
# The same, capturing nothing:
_ANY_FLOW_PAIR = rf"{_KEY}: +(?:{_QUOTED_FLOW_VALUE}|{_PLAIN_FLOW_VALUE})"
_PLAIN_FLOW_MAPPING = re.compile(rf"\{{ *(?:{_ANY_FLOW_PAIR} *, *)*{_ANY_FLOW_PAIR} *\}}")


# The same of exactly two pairs, as payments and reviews are mostly written, read from one
# match's groups: (key, quoted, plain) twice, an unmatched value None.
_TWO_FLOW_PAIRS = re.compile(
    rf'\{{ *({_KEY}): +(?:"([^"\\]*)"|({_PLAIN_FLOW_VALUE})) *, *'
    rf'({_KEY}): +(?:"([^"\\]*)"|({_PLAIN_FLOW_VALUE})) *\}}')


def _flow(text: str) -> Any:
    if len(text) > _KEY_REACH:
        return _any_flow(text)
    two = _TWO_FLOW_PAIRS.fullmatch(text)
    if two is not None:
        key, quoted, plain, second_key, second_quoted, second_plain = two.groups()
        if key == second_key:
            return _any_flow(text)  # a duplicate key: the general reader refuses it
        return {key: quoted if plain is None else None if plain in _NULLS else plain,
                second_key: (second_quoted if second_plain is None
                             else None if second_plain in _NULLS else second_plain)}
    if _PLAIN_FLOW_MAPPING.fullmatch(text) is not None:
        if '"' not in text:
            pairs = _PLAIN_FLOW_PAIRS.findall(text)
            simple = dict(pairs)
            if len(simple) == len(pairs):
                if not _NULLS.isdisjoint(simple.values()):
                    return {key: None if value in _NULLS else value for key, value in pairs}
                return simple
        else:
            # (key, quoted, plain): a plain value is never empty, so an empty one was quoted.
            found = _QUOTED_FLOW_PAIRS.findall(text)
            some = {key: quoted if not plain else None if plain in _NULLS else plain
                    for key, quoted, plain in found}
            if len(some) == len(found):
                return some
    return _any_flow(text)


def _any_flow(text: str) -> Any:
    found = _FLOW.fullmatch(text)
    if found is None or (found[1] == "{") != (found[3] == "}"):
        raise _Unsure
    inner = found[2]
    if len(inner) > _KEY_REACH:
        raise _Unsure
    if not inner.strip(" "):
        return {} if found[1] == "{" else []
    mapping = found[1] == "{"
    if mapping and _FLOW_SIMPLE.fullmatch(inner) is not None:
        return _simple_flow_mapping(inner)
    pattern = _FLOW_PAIR if mapping else _FLOW_ITEM
    out: Any = {} if mapping else []
    position, end = 0, len(inner)
    while True:
        item = pattern.match(inner, position)
        if item is None:
            raise _Unsure
        if mapping:
            key, quoted, plain, comma = item.groups()
            if key in out:
                raise _Unsure  # a duplicate key: the reference reader reports it
            out[key] = quoted if quoted is not None else _plain(plain, True)
        else:
            quoted, plain, comma = item.groups()
            out.append(quoted if quoted is not None else _plain(plain, True))
        position = item.end()
        if not comma:
            return out
        if position == end:
            raise _Unsure  # a trailing comma


# What a plain value may not start with (an indicator, or a space YAML would not count as one).
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>%@`'\" ")


# A flow mapping with no quotes, brackets, braces or comments in it (`date: 2017-05-01,
# amount: 1200`, as most payments are written) splits at its commas.
_FLOW_SIMPLE = re.compile(r"[^\[\]{}#'\"]*")


def _simple_flow_mapping(inner: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in inner.split(","):
        key, colon, value = part.partition(": ")
        key, value = key.strip(" "), value.strip(" ")
        if (not colon or not value or value[0] in _NOT_PLAIN_START or key in out
                or _KEY_ONLY.fullmatch(key) is None):
            raise _Unsure
        out[key] = _plain(value, True)
    return out


def _value(text: str) -> Any:
    """The value written after `key: ` or `- ` on one line; `_NOTHING` when there is none."""
    text = text.rstrip(" ")
    if not text:
        return _NOTHING
    first = text[0]
    if first == '"':
        found = _DOUBLE.fullmatch(text)
        if found is None:
            raise _Unsure
        return found[1]
    if first == "'":
        found = _SINGLE.fullmatch(text)
        if found is None:
            raise _Unsure
        return found[1].replace("''", "'")
    if first == "{" or first == "[":
        return _flow(text)
    if first in _NOT_PLAIN_START or first.isspace():
        raise _Unsure
    cut = text.find(" #")
    if cut >= 0:
        text = text[:cut].rstrip(" ")
    return _plain(text, False)


# Characters after which the reference reader's view of lines or whitespace could differ from a
# line-at-a-time reading (and which `yamlsource` refuses or treats with care anyway).
_AWKWARD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff"
                      "\ufffe\uffff]")
_KEY_ONLY = re.compile(_KEY)


def read(text: str, *, controls_refused: bool = False) -> Any:
    """The plain data of `text`, or None when it is not of the plain shape (or is empty).

    `controls_refused`: the caller has already refused the control characters and odd line
    breaks `yamlsource` refuses, so only the few it accepts need a look (a second scan of a
    large file costs a twentieth of reading it)."""
    if controls_refused:
        if "\t" in text or "\r" in text or "\ufeff" in text:
            return None
    elif _AWKWARD.search(text) is not None:
        return None
    try:
        return _read(text)
    except _Unsure:
        return None


def _read(text: str) -> Any:
    """The hot loop: a line at a time, the common case (a plain `key: value`) written inline."""
    root: dict[str, Any] | None = None
    # Open collections, innermost last: [indent, container, is a mapping]. A mapping's indent is
    # the column of its keys, a list's the column of its dashes.
    stack: list[list[Any]] = []
    pending: tuple[dict[str, Any], str, int] | None = None  # `key:` waiting for its value
    plain_keys: set[str] = set()  # keys already seen to be written plainly
    not_plain_start = _NOT_PLAIN_START
    nulls = _NULLS
    for line in text.split("\n"):
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        indent = len(line) - len(content)
        dash = content[0] == "-" and (content[:2] == "- " or content == "-")
        if root is None:
            if indent or dash:
                raise _Unsure
            root = {}
            stack.append([0, root, True])
        if pending is not None:
            owner, key, owner_indent = pending
            pending = None
            if indent > owner_indent or (dash and indent == owner_indent):
                if len(stack) >= _MAX_DEPTH:
                    raise _Unsure
                child: Any = [] if dash else {}
                owner[key] = child
                stack.append([indent, child, not dash])
        if dash:
            while stack[-1][0] > indent:
                stack.pop()
            top = stack[-1]
            if top[2] or top[0] != indent:
                raise _Unsure
            content = content[1:].lstrip(" ")
            if not content or content[0] == "#":
                raise _Unsure  # `-` alone: a nested block or None; leave it to the reference
            if content[0] == "{":  # `- {date: …, amount: …}`, as payments are written
                top[1].append(_flow(content.rstrip(" ")))  # what `_value` would do with it
                continue
            key, colon, rest = content.partition(":")
            if not colon or not key or len(key) > _KEY_REACH or (rest and rest[0] != " ") or (
                    key not in plain_keys and _KEY_ONLY.fullmatch(key) is None):
                value = _value(content)  # a value on its own: `- text`, `- {a: b}`
                if value is _NOTHING:
                    raise _Unsure
                top[1].append(value)
                continue
            plain_keys.add(key)
            if len(stack) >= _MAX_DEPTH:
                raise _Unsure
            mapping: dict[str, Any] = {}
            top[1].append(mapping)
            indent = len(line) - len(content)  # the item's keys line up with its first
            stack.append([indent, mapping, True])
        else:
            key, colon, rest = content.partition(":")
            if not colon or not key or len(key) > _KEY_REACH or (rest and rest[0] != " "):
                raise _Unsure
            if key not in plain_keys:
                if _KEY_ONLY.fullmatch(key) is None:
                    raise _Unsure
                plain_keys.add(key)
            top = stack[-1]
            if top[0] != indent or not top[2]:  # not the next key of the innermost mapping
                while top[0] > indent or (not top[2] and top[0] >= indent):
                    stack.pop()
                    top = stack[-1]
                if not top[2] or top[0] != indent:
                    raise _Unsure
            mapping = top[1]
            if key in mapping:
                raise _Unsure  # a duplicate key: the reference reader reports it
        written = rest.strip(" ")
        if not written or written[0] == "#":  # nothing, or only a comment
            mapping[key] = None
            pending = (mapping, key, indent)
        elif (written[0] in not_plain_start or ": " in written or " #" in written
              or written[-1] == ":"):
            mapping[key] = _value(written)  # quoted, flow, a comment after it, or unsure
        else:
            # Interned: a fund, a status, a recipient's type is then one string however many
            # commitments name it (less memory, and pickled once a file in the cache).
            mapping[key] = None if written in nulls else intern(written)
    return root


def item_lines(lines: list[str], key: str) -> list[int] | None:
    """Where each item of the block list under the top-level `key:` starts, in the lines of a
    text `read` took (and only such a text): the index of each item's first line, then of the
    line after the list's last. None when `key` is not there with a block list under it.

    In the plain shape every value stays on its line (no block scalar, no value running onto
    the next, no tab), so an item is exactly the lines from its dash to the next line that is
    at the dash's column or left of it and holds data; comments and blank lines between items
    belong to the item before, which changes nothing in it."""
    head = next((index for index, line in enumerate(lines) if _opens_block(line, key)), None)
    if head is None:
        return None
    starts: list[int] = []
    dash_column = -1
    for index in range(head + 1, len(lines)):
        line = lines[index]
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        column = len(line) - len(content)
        is_item = content[0] == "-" and (content[:2] == "- " or content == "-")
        if dash_column < 0:  # the first line under the key: a list, or not
            if not is_item:
                return None
            dash_column = column
        if column == dash_column and is_item:
            starts.append(index)
        elif column <= dash_column:
            return [*starts, index]
    return [*starts, len(lines)] if starts else None


def _opens_block(line: str, key: str) -> bool:
    """`key:` at the start of the line, with nothing after it but spaces and a comment (which
    the plain shape always has a space before)."""
    name, _, rest = line.partition(":")
    after = rest.strip(" ")
    return name == key and (not after or after[0] == "#")
