"""Where a value is, in a file of fastyaml's plain shape: looked for in the lines of its item
alone, at the very line and column the pass over the whole file gives."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest

from pcc_ledger import fastyaml, yamlsource
from pcc_ledger.yamlsource import YamlPath, read_yaml

from .conftest import write
from .test_fastyaml import SEED, _mutate, _yaml_files

Request = tuple[YamlPath, bool]


def _every_request(data: Any, path: YamlPath = ()) -> list[Request]:
    """Every value and key of the data, and a value that is not there under each collection."""
    requests: list[Request] = [(path, False)]
    if isinstance(data, dict):
        requests += [((*path, "no-such-key"), False), ((*path, "no-such-key"), True)]
        for key, value in data.items():
            requests.append(((*path, key), True))
            requests += _every_request(value, (*path, key))
    elif isinstance(data, list):
        requests += [((*path, len(data)), False), ((*path, len(data), "id"), True)]
        for index, value in enumerate(data):
            requests += _every_request(value, (*path, index))
    return requests


def _agrees(text: str, rng: random.Random) -> bool:
    """The two ways give the same position for every request (False: not of the plain shape)."""
    data = fastyaml.read(text)
    if data is None:
        return False
    requests = _every_request(data)
    whole = yamlsource._positions_of(text, requests)
    fast = yamlsource._positions_in_plain(text, requests)
    for path, key in requests:
        expected = yamlsource._nearest(whole, path, key)
        assert yamlsource._nearest(fast, path, key) == expected, (text, path, key)
    # Asked alone, as a file with one problem asks (each pass stops once it has found all).
    for path, key in rng.sample(requests, min(len(requests), 10)):
        alone = yamlsource._positions_in_plain(text, [(path, key)])
        assert yamlsource._nearest(alone, path, key) == yamlsource._nearest(whole, path, key)
    return True


def test_agrees_on_every_plain_shipped_and_fixture_file() -> None:
    rng = random.Random(5)
    plain = [path.name for path in _yaml_files()
             if _agrees(path.read_bytes().decode("utf-8", errors="replace"), rng)]
    assert "victims.yaml" in plain and len(plain) >= len(_yaml_files()) * 3 // 4


def test_agrees_on_mutated_files() -> None:
    rng = random.Random(20261205)
    seeds = [SEED] + [path.read_text(encoding="utf-8") for path in _yaml_files()
                      if "allocations" in path.parts][:20]
    tried = 800  # kept short for the suite: a longer run of 711,000 found no disagreement
    plain = sum(_agrees(_mutate(rng.choice(seeds), rng), rng) for _ in range(tried))
    assert plain > tried // 5  # enough of them are plain for the agreement to mean something


@pytest.mark.parametrize(("text", "key", "expected"), [
    ("note: a\ncommitments:\n  - id: a\n    payments:\n      - {date: 1}\n  # c\n  - id: b\n"
     "\ntransfers:\n- id: t\n- id: u\nrounds: []\n", "commitments", [2, 6, 8]),
    ("commitments:\n- id: t\n- id: u\nrounds: []\n", "commitments", [1, 2, 3]),
    ("commitments: # the year's\n  - id: a\n", "commitments", [1, 3]),
    ("rounds: []\n", "rounds", None),  # a flow list: no lines of items
    ("note: x\n", "commitments", None),  # not there
    ("commitments:\n  a: b\n", "commitments", None),  # a mapping, not a list
])
def test_the_lines_of_each_item(text: str, key: str, expected: list[int] | None) -> None:
    assert fastyaml.read(text) is not None
    assert fastyaml.item_lines(text.split("\n"), key) == expected


def _commitments(count: int) -> str:
    return "commitments:\n" + "".join(
        f"  - id: C-{index}\n    amount: {index}\n    payments:\n"
        f"      - {{date: 2017-05-01, amount: {index}}}\n" for index in range(count))


def test_a_value_deep_in_a_plain_file_is_found_in_its_item_alone(
        tmp_path: Path, position_passes: list[int]) -> None:
    write(tmp_path / "f.yaml", _commitments(1000))
    document, problems = read_yaml(tmp_path / "f.yaml", "f.yaml")
    assert document is not None and not problems
    amount = document.at(("commitments", 900, "payments", 0, "amount"))
    key = document.at(("commitments", 901, "amount"), key=True)
    missing = document.at(("commitments", 902, "no-such-key"))
    assert (amount.line, amount.column) == (3605, 36)
    assert (key.line, key.column) == (3607, 5)
    assert (missing.line, missing.column) == (3610, 5)
    assert position_passes == [4, 4, 4]  # three items of four lines, not the file's 4,002


@pytest.mark.parametrize("change", ["a line more", "the same size"])
def test_a_file_changed_since_it_was_read_takes_the_whole_pass(
        tmp_path: Path, position_passes: list[int], change: str) -> None:
    path = write(tmp_path / "f.yaml", _commitments(10))
    document, _ = read_yaml(path, "f.yaml")
    assert document is not None and document.plain_stamp is not None
    if change == "a line more":
        write(path, "# a line more\n" + _commitments(10))
        expected = (40, 13)  # in the file as it is now
    else:  # the same length, no longer of the plain shape (a block scalar)
        write(path, _commitments(10).replace("    amount: 9\n", "    amount: |\n", 1))
        assert path.stat().st_size == document.plain_stamp[0]
        os.utime(path, ns=(0, document.plain_stamp[1] + 10**9))  # as a later save leaves it
        expected = (39, 13)
    where = document.at(("commitments", 9, "amount"))
    assert (where.line, where.column) == expected
    assert position_passes == [43 if change == "a line more" else 42]


def test_a_file_the_reference_reader_read_takes_the_whole_pass(
        tmp_path: Path, position_passes: list[int]) -> None:
    write(tmp_path / "f.yaml", _commitments(10) + "note: |\n  not the plain shape\n")
    document, _ = read_yaml(tmp_path / "f.yaml", "f.yaml")
    assert document is not None and document.plain_stamp is None
    where = document.at(("commitments", 9, "amount"))
    assert (where.line, where.column) == (39, 13)
    assert position_passes == [44]


def test_a_negative_index_is_no_item() -> None:
    text = _commitments(3)
    request = [(("commitments", -1, "amount"), False)]
    assert (yamlsource._nearest(yamlsource._positions_in_plain(text, request), *request[0])
            == yamlsource._nearest(yamlsource._positions_of(text, request), *request[0])
            == (2, 3))
