"""The block structure of a YAML file's lines, read from their indentation alone: where a list
item or a key's block ends. For the plain block style data files are written in; used to find
what a suppression comment covers and where an edit goes."""

from __future__ import annotations


def holds_data(line: str) -> bool:
    """Not blank, and not only a comment."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def block_end(lines: list[str], start: int) -> int:
    """The last line of data of the block starting on line `start` (0-based): up to the next
    line of data indented no deeper than `start`'s own first character (a list item's dash, or
    a key). Blank lines and comments after the block's last line of data are not part of it."""
    base = indent_of(lines[start])
    last = start
    for index in range(start + 1, len(lines)):
        if not holds_data(lines[index]):
            continue
        if indent_of(lines[index]) <= base:
            break
        last = index
    return last
