"""Edit a data file the way a careful person would: change or add exactly the lines a change
needs and leave every other byte alone — comments, key order, quoting, blank lines, line ends.

ruamel.yaml's round-trip loader finds where things are (the line and column of every key,
value and list item); the edit itself is made on the text, line by line, so nothing the user
wrote is re-emitted. What cannot be edited safely (a record written in flow style, a value over
several lines) is refused with a message, never rewritten.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from .yamllines import block_end as item_end
from .yamllines import comment_start


class EditRefused(Exception):
    """The file cannot be edited safely here; the message says what to do."""


@dataclass
class Text:
    """A file's lines without their line ends, and the line end it uses."""

    lines: list[str]
    newline: str
    final_newline: bool

    @classmethod
    def of(cls, text: str) -> Text:
        newline = "\r\n" if "\r\n" in text else "\n"
        final = text.endswith(("\n", "\r"))
        return cls(text.splitlines(), newline, final or not text)

    def __str__(self) -> str:
        body = self.newline.join(self.lines)
        return body + self.newline if self.final_newline and self.lines else body


def load(text: str) -> Any:
    """The round-trip tree of a file, for positions only."""
    try:
        return YAML(typ="rt").load(text)
    except YAMLError as error:  # `check` reports it with its line; editing waits for a fix
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise EditRefused(f"it cannot be read as YAML{where}; run `pcc-ledger check` and "
                          "fix it first") from error


_SAFE_PLAIN = re.compile(r"^[A-Za-z£(][\w £&'(),./-]*$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def scalar(value: str) -> str:
    """A value as YAML: plain where that reads back as the same text, else double-quoted."""
    if (_SAFE_PLAIN.match(value) and value.lower() not in _YAML_WORDS
            and not value.endswith((" ", ":")) and ": " not in value and " #" not in value):
        return value
    return json.dumps(value, ensure_ascii=False)


def plain(value: str) -> str:
    """A value written as it is (amounts, dates, years, ids the caller has checked)."""
    return value


def block(record: dict[str, Any], indent: int, step: int = 2) -> list[str]:
    """A mapping as block lines at `indent`; nested mappings `step` deeper; a list of mappings
    as flow mappings, one a line (as payments are written in the shipped data), a list of
    texts one a line."""
    lines = []
    pad = " " * indent
    for key, value in record.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines.extend(block(value, indent + step, step))
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:")
            lines.extend(f"{pad}{' ' * step}- {flow(item) if isinstance(item, dict) else item}"
                         for item in value)
        else:
            lines.append(f"{pad}{key}: {value}")
    return lines


def flow(record: dict[str, str]) -> str:
    """A flow mapping `{date: 2017-06-30, amount: 15000}`; a value with a comma or a bracket
    (`£1,000`) is quoted there, where plain it would end the value."""
    return "{" + ", ".join(f"{key}: {_in_flow(value)}" for key, value in record.items()) + "}"


def _in_flow(value: str) -> str:
    if value.startswith(('"', "'")) or not any(char in value for char in ",[]{}"):
        return value
    return json.dumps(value, ensure_ascii=False)


def _dash_column(line: str, content: int) -> int:
    dash = line.rfind("-", 0, content)
    if dash < 0:
        raise EditRefused("a list item is not where it should be; edit this file by hand")
    return dash


def append_item(source: str, key: str, record: dict[str, Any]) -> str:
    """`source` with `record` added at the end of its top-level `key:` list, in the style of
    the items already there (their indentation, a blank line between them or not)."""
    text = Text.of(source)
    tree = load(source) if source.strip() else None
    if tree is not None and not isinstance(tree, CommentedMap):
        raise EditRefused("the file does not hold a mapping at its top; fix it first")
    items = tree.get(key) if tree is not None else None
    if tree is None or key not in tree:
        lines = text.lines
        while lines and not lines[-1].strip():
            lines.pop()
        if lines:
            lines.append("")
        lines.append(f"{key}:")
        lines.extend(_item_lines(record, 2, 2))
        text.final_newline = True
        return str(text)
    if items is None:  # `key:` with nothing after it
        line = tree.lc.key(key)[0]
        text.lines[line + 1:line + 1] = _item_lines(record, 2, 2)
        return str(text)
    if not isinstance(items, CommentedSeq):
        raise EditRefused(f"`{key}` is not a list; fix it first")
    if items.fa.flow_style() or not items:
        if len(items) == 0 and re.fullmatch(rf"{re.escape(key)}:\s*\[\]\s*(#.*)?",
                                            text.lines[tree.lc.key(key)[0]]):
            line = tree.lc.key(key)[0]
            text.lines[line] = re.sub(r"\[\]\s*", "", text.lines[line], count=1).rstrip()
            text.lines[line + 1:line + 1] = _item_lines(record, 2, 2)
            return str(text)
        raise EditRefused(f"`{key}` is written in flow style ([…]); edit this file by hand")
    last_line, content = items.lc.item(len(items) - 1)
    dash = _dash_column(text.lines[last_line], content)
    step = _nested_step(items[-1]) if isinstance(items[-1], CommentedMap) else 2
    end = item_end(text.lines, last_line)
    new = _item_lines(record, dash, content - dash, step)
    if len(items) > 1:
        previous = items.lc.item(len(items) - 2)[0]
        between = text.lines[item_end(text.lines, previous) + 1:last_line]
        if between and not between[0].strip():
            new.insert(0, "")
    text.lines[end + 1:end + 1] = new
    return str(text)


def _nested_step(item: CommentedMap) -> int:
    """How much deeper a nested mapping's keys are than their parent key, in this item."""
    for key, value in item.items():
        if isinstance(value, CommentedMap) and not value.fa.flow_style() and value:
            first = next(iter(value))
            return int(value.lc.key(first)[1] - item.lc.key(key)[1])
    return 2


def _item_lines(record: dict[str, Any], dash: int, gap: int = 2, step: int = 2) -> list[str]:
    """A list item: `- ` at column `dash`, its keys `gap` after the dash."""
    body = block(record, dash + gap, step)
    first = body[0][dash + gap:]
    return [" " * dash + "-" + " " * (gap - 1) + first, *body[1:]]


def find_item(tree: Any, key: str, record_id: str) -> tuple[CommentedMap, int]:
    """The one record with this id in the file (two would leave it unclear which to edit)."""
    items = tree.get(key) if isinstance(tree, CommentedMap) else None
    found = [(item, index) for index, item in enumerate(items)
             if isinstance(item, CommentedMap) and str(item.get("id", "")).strip() == record_id
             ] if isinstance(items, CommentedSeq) else []
    if not found:
        raise EditRefused(f"{record_id} is not in it")
    if len(found) > 1:
        raise EditRefused(f"it has {len(found)} records with the id {record_id}; give them "
                          "different ids first")
    item, index = found[0]
    if item.fa.flow_style():
        raise EditRefused(f"{record_id} is written in flow style ({{…}}); edit it by hand")
    return item, index


def set_values(source: str, key: str, record_id: str, values: dict[str, str],
               after: str) -> str:
    """Set keys of one record: a key it has gets its value replaced in place (its comment
    kept); a key it lacks is added on a line of its own after `after` (then after the key
    added before it), at the record's indentation. One key at a time, each found afresh."""
    anchor = after
    for name, value in values.items():
        source = _set_one(source, key, record_id, name, value, anchor)
        anchor = name
    return source


def add_list(source: str, key: str, record_id: str, name: str, items: list[str],
             after: str) -> str:
    """Give a record the list `name` (its `conditions:`), one text a line, after `after`; a
    list it has already is added to."""
    text = Text.of(source)
    item, _ = find_item(load(source), key, record_id)
    pad = " " * (item.lc.col + 2)
    listed = item.get(name)
    if name not in item:
        anchor = after if after in item else list(item)[-1]
        line = item_end(text.lines, item.lc.key(anchor)[0])
        text.lines[line + 1:line + 1] = [" " * item.lc.col + f"{name}:",
                                         *(f"{pad}- {entry}" for entry in items)]
        return str(text)
    if not isinstance(listed, CommentedSeq) or listed.fa.flow_style() or not listed:
        raise EditRefused(f"`{name}` of {record_id} is not a list written one item a line; "
                          "edit it by hand")
    last_line, content = listed.lc.item(len(listed) - 1)
    dash = _dash_column(text.lines[last_line], content)
    end = item_end(text.lines, last_line)
    text.lines[end + 1:end + 1] = [" " * dash + "- " + entry for entry in items]
    return str(text)


def _set_one(source: str, key: str, record_id: str, name: str, value: str, after: str) -> str:
    text = Text.of(source)
    item, _ = find_item(load(source), key, record_id)
    if name in item:
        key_line, key_column = item.lc.key(name)
        line, column = item.lc.value(name)
        if item[name] is None:  # `approved:` with nothing (or `~`) after it: the key's line
            written = text.lines[key_line]
            comment = comment_start(written)
            head = written[:key_column] + f"{name}: {value}"
            text.lines[key_line] = head if comment is None else (
                head + "  " + written[comment:])
            return str(text)
        text.lines[line] = _replace_scalar(text.lines[line], column, value, record_id, name)
        return str(text)
    anchor = after if after in item else list(item)[-1]
    line = item_end(text.lines, item.lc.key(anchor)[0])
    text.lines.insert(line + 1, " " * item.lc.col + f"{name}: {value}")
    return str(text)


def _replace_scalar(line: str, column: int, value: str, record_id: str, name: str) -> str:
    rest = line[column:]
    if rest.startswith(('"', "'")):
        quote = rest[0]
        close = rest.find(quote, 1)
        while quote == "'" and close >= 0 and rest[close + 1:close + 2] == "'":
            close = rest.find(quote, close + 2)
        if close < 0:
            raise EditRefused(f"`{name}` of {record_id} runs over several lines; edit it by hand")
        end = column + close + 1
        if not value.startswith(('"', "'")) and quote not in value and "\\" not in value:
            value = f"{quote}{value}{quote}"  # the user's quoting kept: "proposed" -> "approved"
    elif rest.startswith(("|", ">", "{", "[", "&", "*", "!")) or not rest.strip():
        raise EditRefused(f"`{name}` of {record_id} is not a one-line value; edit it by hand")
    else:
        comment = re.search(r"\s#", rest)
        end = column + len((rest[:comment.start()] if comment else rest).rstrip())
    return line[:column] + value + line[end:]


def append_to_list(source: str, key: str, record_id: str, name: str,
                   entry: dict[str, str]) -> str:
    """Add `entry` to the list `name` of one record (a payment to `payments:`), in the style
    of the entries there (a flow mapping a line, or block), or start the list."""
    text = Text.of(source)
    item, _ = find_item(load(source), key, record_id)
    listed = item.get(name)
    if name not in item or listed is None:
        if name in item:  # `payments:` with nothing after it
            line = item.lc.key(name)[0]
        else:
            last = list(item)[-1]
            line = item_end(text.lines, item.lc.key(last)[0])
            text.lines.insert(line + 1, " " * item.lc.col + f"{name}:")
            line += 1
        text.lines.insert(line + 1, " " * (item.lc.col + 2) + f"- {flow(entry)}")
        return str(text)
    if isinstance(listed, CommentedSeq) and not listed:  # `payments: []`
        line = item.lc.key(name)[0]
        written = text.lines[line]
        emptied = re.sub(rf"({re.escape(name)}:)\s*\[\]", r"\1", written, count=1)
        if emptied == written:
            raise EditRefused(f"`{name}` of {record_id} is not a one-line `[]`; edit it by hand")
        text.lines[line] = emptied
        text.lines.insert(line + 1, " " * (item.lc.col + 2) + f"- {flow(entry)}")
        return str(text)
    if not isinstance(listed, CommentedSeq) or listed.fa.flow_style():
        raise EditRefused(f"`{name}` of {record_id} is not a block list; edit it by hand")
    last_line, content = listed.lc.item(len(listed) - 1)
    dash = _dash_column(text.lines[last_line], content)
    previous = listed[-1]
    if isinstance(previous, CommentedMap) and not previous.fa.flow_style():
        new = _item_lines(entry, dash, content - dash)
    else:
        new = [" " * dash + "-" + " " * (content - dash - 1) + flow(entry)]
    end = item_end(text.lines, last_line)
    text.lines[end + 1:end + 1] = new
    return str(text)
