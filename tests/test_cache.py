"""The per-file cache: a second run reads only what changed, and the output is the same
whatever state the cache is in (missing, warm, stale, corrupt, truncated, from other code)."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pcc_ledger import cache as cache_module
from pcc_ledger import loader

from .conftest import SHIPPED_DATA, invoke

AS_OF = "2018-04-01"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the shipped data, its files dated an hour ago (settled: cacheable)."""
    root = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, root)
    for path in root.rglob("*.yaml"):
        _age(path)
    return root


def _age(path: Path, seconds: int = 3600) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - seconds * 10**9))


def _check(cli: CliRunner, data: Path, *more: str) -> tuple[int, str]:
    result = invoke(cli, "check", "--data", str(data), "--as-of", AS_OF, *more)
    return result.exit_code, result.stdout


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.entry"))


def test_a_second_run_reads_only_what_changed(cli: CliRunner, data: Path, reads: list[str],
                                              private_cache: Path) -> None:
    cold = _check(cli, data)
    commitment_files = sorted(p.name for p in (data / "allocations").rglob("*.yaml"))
    assert sorted(reads) == sorted(["funds.yaml", *commitment_files])
    reads.clear()
    assert _check(cli, data) == cold
    assert reads == ["funds.yaml"]  # funds.yaml is always read; every other file came back
    victims = data / "allocations" / "2017-18" / "victims.yaml"
    victims.write_text(victims.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    _age(victims)
    reads.clear()
    assert _check(cli, data) == cold  # a comment changes nothing but the file
    assert reads == ["funds.yaml", "victims.yaml"]


@pytest.mark.parametrize("damage", ["corrupt", "truncated", "empty", "other code",
                                    "other libraries", "not an entry"])
def test_a_damaged_or_foreign_entry_is_ignored_and_rebuilt(
        cli: CliRunner, data: Path, reads: list[str], private_cache: Path,
        monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    cold = _check(cli, data)
    entries = _entries(private_cache)
    assert entries
    for entry in entries:
        content = entry.read_bytes()
        if damage == "corrupt":  # a byte of the pickle flipped: its digest no longer matches
            content = content[:-10] + bytes([content[-10] ^ 0xFF]) + content[-9:]
        elif damage == "truncated":
            content = content[: len(content) // 2]
        elif damage == "empty":
            content = b""
        elif damage == "not an entry":
            content = b"garbage\n" + content
        entry.write_bytes(content)
    if damage == "other code":
        monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another build")
    if damage == "other libraries":  # an upgraded Pydantic or PyYAML validates anew
        monkeypatch.setattr(cache_module, "_libraries", lambda: "pydantic 9.9")
    reads.clear()
    assert _check(cli, data) == cold
    assert len(reads) == 1 + len(entries)  # every file read again
    reads.clear()
    assert _check(cli, data) == cold  # and the rebuilt entries serve the next run
    assert reads == ["funds.yaml"]


def test_a_file_with_problems_is_never_cached(cli: CliRunner, data: Path, reads: list[str],
                                              private_cache: Path) -> None:
    victims = data / "allocations" / "2017-18" / "victims.yaml"
    victims.write_text(victims.read_text(encoding="utf-8").replace("amount:", "ammount:", 1),
                       encoding="utf-8")
    _age(victims)
    cold = _check(cli, data)
    assert cold[0] == 1 and "ammount" in cold[1]
    reads.clear()
    assert _check(cli, data) == cold
    assert reads == ["funds.yaml", "victims.yaml"]  # its messages are always the reader's own


def test_a_file_changed_just_now_is_not_cached(cli: CliRunner, data: Path, reads: list[str],
                                               private_cache: Path) -> None:
    victims = data / "allocations" / "2017-18" / "victims.yaml"
    victims.touch()  # as an editor saving it this second
    _check(cli, data)
    reads.clear()
    _check(cli, data)
    assert reads == ["funds.yaml", "victims.yaml"]


def test_no_cache_reads_everything_and_keeps_nothing(cli: CliRunner, data: Path,
                                                     reads: list[str],
                                                     private_cache: Path) -> None:
    shutil.rmtree(private_cache, ignore_errors=True)
    first = _check(cli, data, "--no-cache")
    assert not private_cache.exists() or _entries(private_cache) == []
    reads.clear()
    assert invoke(cli, "--no-cache", "summary", "--data", str(data)).exit_code == 0
    assert len(reads) > 1
    assert _check(cli, data) == first


def test_a_folder_others_can_write_to_is_not_used(data: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(0o777)
    assert cache_module.FileCache(shared).usable is False
    mine = tmp_path / "my-cache"
    assert cache_module.FileCache(mine).usable is True
    assert stat.S_IMODE(mine.stat().st_mode) == 0o700


def test_entries_are_written_whole_or_not_at_all(cli: CliRunner, data: Path,
                                                 private_cache: Path) -> None:
    _check(cli, data)
    assert _entries(private_cache)
    assert not list(private_cache.glob(".entry-*"))  # no temporary file left behind


def test_ci_reads_the_cache_but_writes_it_only_when_told_where(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("PCC_LEDGER_CACHE_DIR")
    assert cache_module.writes_by_default() is False
    monkeypatch.setenv("CI", "false")
    assert cache_module.writes_by_default() is True
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("PCC_LEDGER_CACHE_DIR", "/somewhere/kept")
    assert cache_module.writes_by_default() is True
    monkeypatch.delenv("CI")
    assert cache_module.writes_by_default() is True


def _break_amount(path: Path) -> None:
    """The same number of bytes, one amount over the ring-fence: an error the check finds."""
    text = path.read_text(encoding="utf-8")
    assert "amount: 30000" in text
    path.write_text(text.replace("amount: 30000", "amount: 90000", 1), encoding="utf-8")


def test_an_edit_that_keeps_size_and_modification_time_is_seen(
        cli: CliRunner, data: Path, private_cache: Path) -> None:
    victims = data / "allocations" / "2017-18" / "victims.yaml"
    clean = _check(cli, data)
    assert clean[0] == 0
    before = victims.stat()
    _break_amount(victims)
    os.utime(victims, ns=(before.st_atime_ns, before.st_mtime_ns))  # the old time put back
    assert victims.stat().st_size == before.st_size
    cached = _check(cli, data)
    assert cached == _check(cli, data, "--no-cache")
    assert cached[0] == 1 and "[over-committed-ring-fence]" in cached[1]


def test_a_file_saved_while_it_was_read_is_read_again(cli: CliRunner, data: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      private_cache: Path) -> None:
    real = loader._read_commitments

    def saved_meanwhile(path: Path, shown: str, result: loader.LoadResult):  # type: ignore[no-untyped-def]
        read = real(path, shown, result)
        if path.name == "victims.yaml" and "amount: 30000" in path.read_text(encoding="utf-8"):
            _break_amount(path)  # the editor saves just after the reader read the old text
            _age(path)
        return read

    monkeypatch.setattr(loader, "_read_commitments", saved_meanwhile)
    assert _check(cli, data)[0] == 0  # this run read the old text
    monkeypatch.setattr(loader, "_read_commitments", real)
    after = _check(cli, data)
    assert after == _check(cli, data, "--no-cache")
    assert after[0] == 1 and "[over-committed-ring-fence]" in after[1]


def test_a_change_of_permissions_changes_the_key(data: Path) -> None:
    victims = data / "allocations" / "2017-18" / "victims.yaml"
    folder = data.parent / "cache-for-key"
    cache = cache_module.FileCache(folder)
    before = cache.key(victims)
    victims.chmod(0o000)  # unreadable now: it must be read (and reported), not served
    try:
        assert cache.key(victims) != before
    finally:
        victims.chmod(0o644)


def test_no_home_folder_means_no_cache_not_a_crash(cli: CliRunner, data: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PCC_LEDGER_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)

    def homeless() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", homeless)
    assert cache_module.default_directory() is None
    assert cache_module.FileCache(None).usable is False
    assert _check(cli, data)[0] == 0


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    monkeypatch.delenv("PCC_LEDGER_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_module.default_directory() == tmp_path / ".cache" / "pcc-ledger"


def test_the_entries_of_files_that_are_gone_are_pruned(cli: CliRunner, data: Path,
                                                       tmp_path: Path,
                                                       private_cache: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(data, other)
    _check(cli, other)
    kept = len(_entries(private_cache))
    assert kept == len(list((other / "allocations").rglob("*.yaml")))
    shutil.rmtree(other)  # a data directory deleted: its entries serve nobody
    (private_cache / ".pruned").unlink()  # (pruning runs at most once a day)
    _check(cli, data)  # writes entries for `data`, then prunes
    names = {json.loads(entry.read_bytes().split(b"\n", 1)[0])["file"]
             for entry in _entries(private_cache)}
    assert names and all(name.startswith(str(data)) for name in names)


def test_records_pickle_as_the_plain_tuple_of_their_fields() -> None:
    """What reading the cache back costs is mostly rebuilding records: each is pickled as a
    call of its class's maker with its fields (not the dataclass default, which looks the fields
    up per object and sets them one by one), and comes back equal, nested records and shared
    years included, without being validated again."""
    import pickle

    from pcc_ledger import model
    from pcc_ledger.model import COMMITMENT, TRANSFER, Commitment

    commitment = COMMITMENT.validate_python({
        "id": "C-1", "fund": "victims", "year": "2017/18", "amount": "£1,000.50",
        "recipient": {"name": "A charity", "type": "charity"}, "title": "Support",
        "objective": "reduce-harm", "status": "approved", "approved": "2017-05-01",
        "payments": [{"date": "2017-06-01", "amount": "500"}],
        "schedule": [{"date": "2017-06-01", "amount": "1000.50"}]})
    transfer = TRANSFER.validate_python({
        "id": "T-1", "date": "2018-03-31", "amount": "10",
        "from": {"fund": "victims", "year": "2017/18"}, "to": {"reserve": "r"}})
    maker, state = commitment.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    assert maker is model._make_Commitment
    assert type(state) is tuple
    assert state[:2] == ("C-1", "victims")
    assert len(state) == len(Commitment.__dataclass_fields__)
    for record in (commitment, transfer):
        again = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        assert again == record
        assert repr(again) == repr(record)
        assert type(again) is type(record) and again is not record
    # One object per financial year, however many records name it.
    assert commitment.year is TRANSFER.validate_python({
        "id": "T-2", "date": "2018-03-31", "amount": "10",
        "from": {"fund": "victims", "year": "2017/18"}, "to": {"reserve": "r"}}).source.year


def test_a_warning_in_a_cached_file_is_located_in_the_lines_of_its_item(
        cli: CliRunner, data: Path, reads: list[str], private_cache: Path,
        position_passes: list[int]) -> None:
    """The shipped data's two warnings are in transfers.yaml (91 lines), on VS-2017-006: a warm
    run finds them where a cold one does, looking through that commitment's lines alone."""
    cold = _check(cli, data)
    assert "transfers.yaml:66:29: warning" in cold[1]
    assert position_passes == [29]  # VS-2017-006, the last commitment: its dash to the end
    position_passes.clear()
    reads.clear()
    assert _check(cli, data) == cold
    assert reads == ["funds.yaml"]  # transfers.yaml came from the cache
    assert position_passes == [29]  # not the 92 of the whole file
