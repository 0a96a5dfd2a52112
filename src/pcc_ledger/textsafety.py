"""Text from the data, made safe to show: nothing a user wrote may drive their terminal.

A terminal obeys ESC sequences (U+001B) and the C1 controls (U+0080-U+009F; U+009B is a
one-character CSI), so a file name or value carrying them could move the cursor, rewrite
lines already printed, or set the window title. Bidirectional overrides can make text read
differently from what it is. Each such character is shown as an escape (`\\x1b`, `\\u202e`)
instead. A file name that is not valid UTF-8 arrives with its bad bytes as lone surrogates;
they are shown as the bytes they were (`\\xff`), never passed to an encoder that refuses them.
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL, C1 controls, the line and paragraph separators,
# lone surrogates, bidirectional embeddings, overrides and isolates.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
)
# In a file name a tab or a line break is as misleading as any control.
_UNSAFE_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """`text` with every character that could drive a terminal shown as an escape."""
    if text.isprintable():  # every character escaped is one that does not print
        return text
    return _UNSAFE.sub(_escape, text)


def shown_path(name: str) -> str:
    """A file name fit to print: controls, line breaks and undecodable bytes escaped."""
    return _UNSAFE_IN_NAME.sub(_escape, name)
