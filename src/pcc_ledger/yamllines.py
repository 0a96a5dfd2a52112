"""The block structure of a YAML file's lines, read from their indentation: where a list item
or a key's block ends, where a comment starts, which lines are the text of a block scalar (`|`
or `>`). For the block style data files are written in; used to find what a suppression
comment covers and where an edit goes."""

from __future__ import annotations

import re

# A line whose value starts a block scalar: `description: |`, `- >-`, with a comment or not.
_OPENS_SCALAR = re.compile(r"(?:^\s*-|:)\s+[|>][-+0-9]*\s*(?:#.*)?$")
# A key with nothing after it on its line: a list may follow at the key's own indentation.
_OPENS_BLOCK = re.compile(r"^\s*(?:-\s+)?[^\s#][^#]*:\s*(?:#.*)?$")


def holds_data(line: str) -> bool:
    """Not blank, and not only a comment."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def opens_block_scalar(line: str) -> bool:
    return _OPENS_SCALAR.search(line) is not None


def block_end(lines: list[str], start: int) -> int:
    """The last line of the block starting on line `start` (0-based): every line after it
    indented deeper than `start`'s first character (a list item's dash, or a key) — data,
    comments and the text of block scalars alike — and, after a key with nothing on its line,
    the list items written at the key's own indentation. Blank lines after the block's last
    line are not part of it."""
    base = indent_of(lines[start])
    list_may_follow = _OPENS_BLOCK.match(lines[start]) is not None
    last = start
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        depth = indent_of(line)
        beside = depth == base and list_may_follow and line.lstrip(" ").startswith("-")
        if depth <= base and not beside:
            break
        last = index
    return last


def comment_start(line: str) -> int | None:
    """Where the line's comment starts, if it has one: a `#` at the start or after a space,
    outside quotes. A quote opens a quoted value only where a value starts (after `: `, `- `,
    `[`, `{`, `,` or at the start), so the apostrophe of `the club's juniors` does not."""
    quote = ""
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 2
                continue
            if char == quote:
                if quote == "'" and line[index + 1:index + 2] == "'":
                    index += 2
                    continue
                quote = ""
        elif char in "\"'":
            before = line[:index].rstrip()
            if not before or before.endswith((":", "-", "[", "{", ",")):
                quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return index
        index += 1
    return None
