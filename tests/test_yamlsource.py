"""The YAML reader: text stays text, duplicates and bad files are problems, and every problem
knows its line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pcc_ledger import yamlsource
from pcc_ledger.problems import Location
from pcc_ledger.yamlsource import read_yaml

from .conftest import write


def _read(tmp_path: Path, text: str | bytes):  # type: ignore[no-untyped-def]
    path = tmp_path / "f.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        write(path, text)
    return read_yaml(path, "f.yaml")


def _only_problem(tmp_path: Path, text: str | bytes) -> tuple[str, str, int, int]:
    document, problems = _read(tmp_path, text)
    assert document is None
    assert len(problems) == 1
    p = problems[0]
    return p.rule, p.message, p.location.line, p.location.column


def test_uses_libyaml_when_pyyaml_has_it() -> None:
    has_libyaml = bool(getattr(yaml, "__with_libyaml__", False))
    assert yamlsource.USING_LIBYAML == has_libyaml
    assert yamlsource._LOADER is (yaml.CSafeLoader if has_libyaml else yaml.SafeLoader)


def test_yaml_1_1_implicit_typing_never_changes_a_value(tmp_path: Path) -> None:
    document, problems = _read(
        tmp_path,
        """
        flag: no
        big: 1e3
        octal: 0o17
        old_octal: 017
        date: 2017-04-20
        sexagesimal: 1:30
        version: 1.10
        empty:
        tilde: ~
        word_null: null
        quoted_null: "null"
        quoted_empty: ''
        """,
    )
    assert problems == []
    assert document.data == {
        "flag": "no",
        "big": "1e3",
        "octal": "0o17",
        "old_octal": "017",
        "date": "2017-04-20",
        "sexagesimal": "1:30",
        "version": "1.10",
        "empty": None,
        "tilde": None,
        "word_null": None,
        "quoted_null": "null",
        "quoted_empty": "",
    }


def test_keys_stay_text_too(tmp_path: Path) -> None:
    document, _ = _read(tmp_path, "allocations:\n  2017/18: x\n  yes: y\n  1: z\n")
    assert document.data == {"allocations": {"2017/18": "x", "yes": "y", "1": "z"}}


def test_positions_of_values_and_keys(tmp_path: Path) -> None:
    document, _ = _read(
        tmp_path,
        """
        commitments:
          - id: A
            payments:
              - {date: 2017-06-30, amount: 15000}
        """,
    )
    assert document.at(("commitments", 0, "payments", 0, "amount")) == Location("f.yaml", 4, 36)
    assert document.at(("commitments", 0, "id"), key=True) == Location("f.yaml", 2, 5)
    # A path that is not in the file falls back to the nearest enclosing value.
    assert document.at(("commitments", 0, "title")) == Location("f.yaml", 2, 5)


def test_duplicate_keys_are_errors_naming_both_lines(tmp_path: Path) -> None:
    document, problems = _read(tmp_path, "a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    assert document is not None
    assert [(str(p.location), p.rule, p.message) for p in problems] == [
        ("f.yaml:4:3", "duplicate-key",
         "duplicate key `c`: it is already set on line 3; keep one of them "
         "(YAML would silently use the last)"),
        ("f.yaml:5:1", "duplicate-key",
         "duplicate key `a`: it is already set on line 1; keep one of them "
         "(YAML would silently use the last)"),
    ]


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    rule, message, line, _ = _only_problem(tmp_path, "a: 1\nb: [1, 2\nc: 3\n")
    assert (rule, line) == ("yaml-syntax", 3)
    assert message.startswith("YAML syntax error: ")
    assert message.endswith(
        "check the indentation, colons and quotes on this line and the one above")


def test_aliases_are_allowed_within_reason(tmp_path: Path) -> None:
    document, problems = _read(tmp_path, "a: &r {name: X, type: charity}\nb: *r\n")
    assert problems == []
    assert document.data["b"] == {"name": "X", "type": "charity"}


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        levels.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    rule, message, line, _ = _only_problem(tmp_path, "\n".join(levels) + "\n")
    assert rule == "yaml-alias-limit"
    assert message == (
        "aliases expand to more than 100,000 values (an alias bomb?); write the values out "
        "instead of repeating anchors"
    )
    assert line == 5


def test_absurd_nesting_is_refused(tmp_path: Path) -> None:
    rule, message, line, column = _only_problem(tmp_path, "[" * 200 + "]" * 200)
    assert (rule, line, column) == ("yaml-nesting", 1, 65)
    assert message == (
        "values nested more than 64 levels deep; a pcc-ledger file needs no more than a few levels"
    )
    # Deeper still, libyaml (0.2.5 and later) may stop first: the same rule and message.
    assert _only_problem(tmp_path, "[" * 5000 + "]" * 5000)[:2] == (rule, message)


@pytest.mark.parametrize(
    ("text", "column"),
    [("commitments: *nope\n", 14), ("c: &a [*a]\n", 8)],
)
def test_undefined_or_recursive_alias(tmp_path: Path, text: str, column: int) -> None:
    rule, message, line, col = _only_problem(tmp_path, text)
    assert (rule, line, col) == ("yaml-syntax", 1, column)
    assert message.startswith("alias `*")
    assert message.endswith("define the anchor first or write the value out")


def test_an_anchored_key_can_be_aliased(tmp_path: Path) -> None:
    document, problems = _read(tmp_path, "&k note: x\nillustrative: *k\n")
    assert (document.data, problems) == ({"note": "x", "illustrative": "note"}, [])


def test_utf16_file(tmp_path: Path) -> None:
    assert _only_problem(tmp_path, "a: 1\n".encode("utf-16")) == (
        "file-encoding", "UTF-16 or UTF-32 text; save the file as UTF-8", 1, 1
    )


@pytest.mark.parametrize(
    ("text", "rule", "message"),
    [
        ("a: !!python/object/apply:os.system [ls]\n", "yaml-tag",
         "YAML tag `tag:yaml.org,2002:python/object/apply:os.system` is not supported; write the "
         "plain value without a tag"),
        ("a: !!int 5\n", "yaml-tag",
         "YAML tag `tag:yaml.org,2002:int` is not supported; write the plain value without a tag"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", "yaml-merge-key",
         "merge keys (`<<`) are not supported; write the keys out in full"),
        ("? [a, b]\n: c\n", "yaml-complex-key",
         "a list or mapping used as a key; keys must be plain text"),
        ("a: 1\n---\nb: 2\n", "yaml-syntax",
         "a second YAML document (`---`) in one file; keep one document per file, or split it "
         "into two files"),
    ],
)
def test_yaml_features_we_refuse(tmp_path: Path, text: str, rule: str, message: str) -> None:
    assert _only_problem(tmp_path, text)[:2] == (rule, message)


def test_quoted_merge_key_and_explicit_str_tag_are_plain_text(tmp_path: Path) -> None:
    document, problems = _read(tmp_path, "'<<': x\na: !!str 5\n")
    assert problems == []
    assert document.data == {"<<": "x", "a": "5"}


def test_empty_and_comment_only_files(tmp_path: Path) -> None:
    expected = (
        "empty-file",
        "file is empty (no YAML data, only blank lines or comments); add its data or delete it",
        1,
        1,
    )
    assert _only_problem(tmp_path, b"") == expected
    assert _only_problem(tmp_path, b"# only a comment\n\n") == expected


def test_binary_file(tmp_path: Path) -> None:
    assert _only_problem(tmp_path, b"a: 1\nb: \x00\x01\x02") == (
        "file-binary",
        "binary file (it contains a NUL byte); pcc-ledger reads YAML text only: move the file "
        "out of the data directory",
        2,
        4,
    )


def test_non_utf8_file(tmp_path: Path) -> None:
    # `£` in Latin-1, as a spreadsheet export might write it.
    assert _only_problem(tmp_path, "a: 1\nb: £5\n".encode("latin-1")) == (
        "file-encoding",
        "not UTF-8 text (byte 0xa3 here); save the file as UTF-8",
        2,
        4,
    )


def test_utf8_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    document, problems = _read(tmp_path, "\ufeffa: £5\n".encode())
    assert (document.data, problems) == ({"a": "£5"}, [])


def test_huge_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlsource, "MAX_FILE_BYTES", 1024 * 1024)
    rule, message, line, _ = _only_problem(tmp_path, b"# x\n" * 300_000)
    assert (rule, line) == ("file-too-large", 0)
    assert message == (
        "file is 1 MiB, over the 1 MiB limit for one file; split it into several files")


def test_unreadable_file(tmp_path: Path) -> None:
    document, problems = read_yaml(tmp_path, "folder.yaml")  # a directory cannot be read
    assert document is None
    assert [(p.rule, str(p.location)) for p in problems] == [("file-unreadable", "folder.yaml")]
    assert problems[0].message.startswith("cannot read the file: Is a directory")


# Every character the refused set holds, its neighbours, and ordinary text (£, Welsh, CJK).
_NEAR_REFUSED = st.sampled_from(
    [chr(code) for code in (*range(0x00, 0x21), 0x7E, 0x7F, 0x80, 0x85, 0x9F, 0xA0, 0xA3, 0xC2,
                            0x2027, 0x2028, 0x2029, 0x202A, 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF,
                            0x10000)])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_NEAR_REFUSED, st.characters(exclude_categories=("Cs",))),
                max_size=12).map("".join))
def test_the_byte_scan_finds_what_the_character_class_finds(text: str) -> None:
    """A file's bytes are scanned for refused characters (fast); the text is searched
    character by character only when they hold one: the two must always agree."""
    assert yamlsource._has_refused(text.encode("utf-8")) == (
        yamlsource._REFUSED.search(text) is not None)


def test_each_refused_character_is_found_in_the_bytes() -> None:
    refused = [chr(code) for code in range(0x110000) if 0xD800 > code or code > 0xDFFF
               if yamlsource._REFUSED.fullmatch(chr(code))]
    assert len(refused) == 29 + 1 + 32 + 2 + 2  # C0 but tab and line ends, DEL, C1, LS, PS, FFFE/F
    assert all(yamlsource._has_refused(f"a: {char}\n".encode()) for char in refused)
