"""Inputs that once crashed pcc-ledger, were skipped in silence or reported at the wrong line.

Each test here failed before its fix. Permission tests run the real command in a subprocess;
as root (CI runs as root) it is started without the capabilities that let root read anything
(`setpriv --bounding-set=-dac_override,-dac_read_search`), so a mode of 000 means what it
means for every other user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from .conftest import SHIPPED_DATA, invoke, write

AS_ROOT = os.geteuid() == 0
SETPRIV = shutil.which("setpriv")


def _run(*args: str, env: dict[str, str] | None = None,
         cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, as a user whom file permissions bind."""
    prefix: list[str] = []
    if AS_ROOT:
        if SETPRIV is None:
            pytest.skip("running as root without setpriv: permissions cannot bind")
        prefix = [SETPRIV, "--bounding-set=-dac_override,-dac_read_search"]
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    environment.pop("GITHUB_ACTIONS", None)
    environment.pop("PCC_LEDGER_DATA", None)
    return subprocess.run(
        [*prefix, sys.executable, "-m", "pcc_ledger", *args],
        capture_output=True, text=True, env=environment, cwd=cwd, check=False,
    )


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """The shipped data without its transfers and three-year grant, whose future-funding
    warnings would stand between these tests and the problem each one is about (and without
    the 2018/19 round, whose budget one of those transfers adds to)."""
    root = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, root)
    (root / "allocations" / "2017-18" / "transfers.yaml").unlink()
    shutil.rmtree(root / "allocations" / "2018-19")
    return root


# --- 2. nothing skipped in silence --------------------------------------------------------


def test_a_folder_that_cannot_be_read_is_an_error_naming_it(shipped: Path) -> None:
    locked = shipped / "allocations" / "locked"
    locked.mkdir()
    shutil.copy(shipped / "allocations" / "2017-18" / "victims.yaml", locked / "more.yaml")
    locked.chmod(0o000)
    try:
        result = _run("check", "--data", "data", cwd=shipped.parent)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 1
    assert result.stdout == (
        "data/allocations/locked: error: cannot read this folder: permission denied; the data "
        "in it is not checked: give yourself permission to read it (chmod u+rx), or move it "
        "out of the data directory [folder-unreadable]\n"
        "1 error in 4 files\n"
    )
    assert result.stderr == ""


def test_a_folder_that_cannot_be_searched_is_reported_not_a_crash(shipped: Path) -> None:
    # Mode 644: its names can be listed, but nothing in it can be opened.
    unsearchable = shipped / "allocations" / "unsearchable"
    unsearchable.mkdir()
    write(unsearchable / "more.yaml", "commitments: []\n")
    (unsearchable / "deeper").mkdir()
    unsearchable.chmod(0o644)
    try:
        result = _run("check", "--data", "data", cwd=shipped.parent)
    finally:
        unsearchable.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr and "cannot write" not in result.stderr
    assert result.stdout.splitlines() == [
        "data/allocations/unsearchable/deeper: error: cannot read this folder: permission "
        "denied; the data in it is not checked: give yourself permission to read it "
        "(chmod u+rx), or move it out of the data directory [folder-unreadable]",
        "data/allocations/unsearchable/more.yaml: error: cannot read the file: Permission "
        "denied; check it exists and that you may read it [file-unreadable]",
        "2 errors in 5 files",
    ]


def test_a_file_that_cannot_be_read_is_an_error(shipped: Path) -> None:
    victims = shipped / "allocations" / "2017-18" / "victims.yaml"
    victims.chmod(0o000)
    result = _run("check", "--data", "data", cwd=shipped.parent)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "data/allocations/2017-18/victims.yaml: error: cannot read the file: Permission "
        "denied; check it exists and that you may read it [file-unreadable]"
    )


def test_an_unreadable_folder_outside_allocations_is_reported_too(shipped: Path) -> None:
    (shipped / "archive").mkdir(mode=0o000)
    result = _run("check", "--data", "data", cwd=shipped.parent)
    assert result.returncode == 1
    assert result.stdout.startswith("data/archive: error: cannot read this folder")


# --- 1. no internal error on any input ----------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_shown_escaped(shipped: Path) -> None:
    name = os.fsencode(shipped / "allocations") + b"/bad\xff\x1b[31mname.yaml"
    with open(name, "wb"):
        pass
    result = _run("check", "--data", "data", cwd=shipped.parent,
                  env={"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == (
        "data/allocations/bad\\xff\\x1b[31mname.yaml:1:1: error: file is empty (no YAML data, "
        "only blank lines or comments); add its data or delete it [empty-file]"
    )
    assert "\x1b" not in result.stdout


def test_funds_yaml_with_no_funds_reports_every_commitment(
    cli: CliRunner, shipped: Path
) -> None:
    text = (shipped / "funds.yaml").read_text(encoding="utf-8")
    (shipped / "funds.yaml").write_text(text[: text.index("\nfunds:")] + "\nfunds: {}\n",
                                        encoding="utf-8")
    result = invoke(cli, "check", "--data", str(shipped))
    assert result.exit_code == 1
    assert result.output.count("[unknown-fund]") == 12
    assert "unknown fund `victims-services`; funds.yaml defines none yet: add it there" \
        in result.output
    assert invoke(cli, "summary", "--data", str(shipped)).exit_code == 1


def test_a_check_that_raises_is_reported_and_the_others_still_run(
    cli: CliRunner, shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcc_ledger import checks

    def broken(ledger: object) -> list[object]:
        raise KeyError("boom")

    broken.__module__ = "pcc_ledger.checks.scheme"
    monkeypatch.setattr(checks, "LEDGER_CHECKS", [broken, *checks.LEDGER_CHECKS])
    write(shipped / "allocations" / "extra.yaml", "commitments: [{id: X}]\n")
    result = invoke(cli, "check", "--data", str(shipped))
    assert result.exit_code == 1
    assert (
        "pcc-ledger: error: the scheme.broken check failed (KeyError: 'boom'); its problems "
        "are not reported, the other checks ran. This is a bug: please report it with "
        "PCC_LEDGER_DEBUG=1 set, which prints the traceback [internal-check-error]"
    ) in result.output
    assert "[missing-key]" in result.output  # the other problems are still there
    assert "Traceback" not in result.output


@pytest.mark.parametrize("how", ["option", "environment"])
def test_debug_prints_the_traceback_of_a_failed_check(
    shipped: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    from pcc_ledger import checks

    def broken(ledger: object) -> list[object]:
        raise KeyError("boom")

    monkeypatch.setattr(checks, "LEDGER_CHECKS", [broken])
    for name in ("PCC_LEDGER_DATA", "NO_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    if how == "environment":
        monkeypatch.setenv("PCC_LEDGER_DEBUG", "1")
        args = ["check", "--data", str(shipped)]
    else:
        monkeypatch.delenv("PCC_LEDGER_DEBUG", raising=False)
        args = ["--debug", "check", "--data", str(shipped)]
    from pcc_ledger.cli import app

    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert "pcc-ledger: debug: internal-check-error:\nTraceback (most recent call last):" \
        in result.output
    assert 'raise KeyError("boom")' in result.output


# --- 3. every problem at its true line ----------------------------------------------------


@pytest.mark.parametrize(("character", "said"), [
    ("\x0b", "U+000B LINE TABULATION, a control character YAML does not allow; delete it (an "
             "editor may show it as a box or nothing at all)"),
    ("\x1b", "U+001B ESCAPE, a control character YAML does not allow; delete it (an editor may "
             "show it as a box or nothing at all)"),
    ("\ufffe", "U+FFFE, a control character YAML does not allow; delete it (an editor may show "
               "it as a box or nothing at all)"),
    ("\x9b", "U+009B CONTROL SEQUENCE INTRODUCER, a control character YAML does not allow; "
             "delete it (an editor may show it as a box or nothing at all)"),
])
def test_a_character_yaml_refuses_is_reported_at_its_line_and_column(
    cli: CliRunner, data_dir: Path, character: str, said: str
) -> None:
    write(data_dir / "allocations" / "a.yaml", f"commitments:\n  - id: A{character}B\n")
    result = invoke(cli, "check", "--data", str(data_dir), "--as-of", "2017-06-01")
    assert result.exit_code == 1
    shown = {"\x0b": "\\x0b", "\x1b": "\\x1b", "\ufffe": "\ufffe", "\x9b": "\\x9b"}[character]
    assert result.output == (
        f"{data_dir}/allocations/a.yaml:2:10: error: {said} [yaml-character]\n"
        f" 2 |   - id: A{shown}B\n"
        f"   |          ^\n"
        "1 error in 2 files\n"
    )


@pytest.mark.parametrize(("character", "name"), [
    ("\u2028", "U+2028 LINE SEPARATOR"), ("\u2029", "U+2029 PARAGRAPH SEPARATOR"),
    ("\x85", "U+0085 NEXT LINE"),
])
def test_line_breaks_editors_do_not_show_are_refused_where_the_editor_shows_them(
    cli: CliRunner, data_dir: Path, character: str, name: str
) -> None:
    # In YAML the comment would end at the separator and `id: X` be read as data.
    write(data_dir / "allocations" / "a.yaml",
          f"commitments:\n  # a note{character}id: X\n  - id: A\n    ammount: 1\n")
    result = invoke(cli, "check", "--data", str(data_dir))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{data_dir}/allocations/a.yaml:2:11: error: {name}: YAML reads it as a line break, "
        "though editors show it inside the line; replace it with a real line break or a space "
        "[yaml-character]"
    )
    assert "\\u" in result.output.splitlines()[1] or "\\x85" in result.output.splitlines()[1]


# --- 4. terminal safety -------------------------------------------------------------------


def test_escape_sequences_written_as_yaml_escapes_are_refused_and_shown_escaped(
    cli: CliRunner, data_dir: Path
) -> None:
    write(data_dir / "allocations" / "a.yaml", r"""
        commitments:
          - {id: A, recipient: {name: "x\e]0;owned\a\x9b2J", type: charity}}
        """)
    result = invoke(cli, "check", "--data", str(data_dir))
    assert result.exit_code == 1
    assert "`x\\x1b]0;owned\\x07\\x9b2J` is not a valid `name`: remove the control character " \
        "from the text [invalid-value]" in result.output
    assert not any(0x80 <= ord(c) <= 0x9f or c in "\x1b\x07" for c in result.output)


def test_markdown_does_not_turn_data_into_links_or_images(
    cli: CliRunner, data_dir: Path
) -> None:
    text = (SHIPPED_DATA / "allocations" / "2017-18" / "victims.yaml").read_text("utf-8")
    text = text.replace("name: ", "name: '![x](https://evil.test/p.png) [click](https://e.test)' #",
                        1)
    root = data_dir.parent / "shipped"
    shutil.copytree(SHIPPED_DATA, root)
    (root / "allocations" / "2017-18" / "victims.yaml").write_text(text, "utf-8")
    table = invoke(cli, "commitments", "--data", str(root), "--format", "markdown").stdout
    assert "!\\[x\\](https://evil.test/p.png) \\[click\\](https://e.test)" in table
    assert "![x](" not in table and "[click](" not in table


# --- 5. never lose a user's file ----------------------------------------------------------


def test_publish_force_keeps_a_users_folder_named_like_a_published_file(
    cli: CliRunner, shipped: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    (site / "index.html").mkdir(parents=True)
    (site / "index.html" / "mine.txt").write_text("keep", "utf-8")
    result = invoke(cli, "publish", str(site), "--data", str(shipped), "--force")
    assert (result.exit_code, result.stderr) == (
        2, f"pcc-ledger: error: {site} holds files that publish did not write (index.html); "
        "move them, or publish to another folder\n")
    assert (site / "index.html" / "mine.txt").read_text("utf-8") == "keep"


@pytest.mark.parametrize("inside", ["allocations/x.yaml", "allocations/2017-18/new.beancount",
                                    "notes.beancount"])
def test_no_export_writes_into_the_data_directory(
    cli: CliRunner, shipped: Path, inside: str
) -> None:
    target = shipped / inside
    result = invoke(cli, "export", "beancount", str(target), "--data", str(shipped), "--force")
    assert (result.exit_code, result.stderr) == (
        2, f"pcc-ledger: error: {target} is inside the data directory {shipped}, which holds "
        "only data; write the export somewhere else\n")
    assert not target.exists()


def test_a_dangling_link_at_the_target_needs_force(
    cli: CliRunner, shipped: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.beancount"
    target.symlink_to(tmp_path / "nowhere")
    result = invoke(cli, "export", "beancount", str(target), "--data", str(shipped))
    assert (result.exit_code, result.stderr) == (
        2, f"pcc-ledger: error: {target} is a link to nothing; pass --force to replace the "
        "link\n")
    assert target.is_symlink() and not (tmp_path / "nowhere").exists()
    forced = invoke(cli, "export", "beancount", str(target), "--data", str(shipped), "--force")
    assert forced.exit_code == 0
    assert not target.is_symlink() and target.read_text("utf-8").startswith(";")


def test_a_killed_writers_temporary_files_are_removed_by_the_next_write(tmp_path: Path) -> None:
    from pcc_ledger.atomic import write_atomically, write_directory_atomically

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f".out.txt.{dead}.abc123.tmp"
    stale.write_text("a whole copy of the data", "utf-8")
    live = tmp_path / f".out.txt.{os.getpid()}.zzz.tmp"  # a write still going on
    live.write_text("in progress", "utf-8")
    stale_site = tmp_path / f".site.{dead}.q1.new"
    stale_site.mkdir()
    write_atomically(tmp_path / "out.txt", b"new")
    write_directory_atomically(tmp_path / "site", {"index.html": b"x"})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [live.name, "out.txt", "site"])


# --- 6. exports and publish do not publish broken data in silence ---------------------------


def _over_commit(root: Path) -> None:
    path = root / "allocations" / "2017-18" / "victims.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("amount: 30000", "amount: 3000000", 1), "utf-8")


@pytest.mark.parametrize("command", [
    ["export", "xlsx", "OUT/book.xlsx"], ["export", "beancount", "OUT/l.beancount"],
    ["export", "hledger", "OUT/l.journal"], ["export", "360giving", "OUT/g.json"],
    ["publish", "OUT/site"],
])
def test_exports_refuse_data_with_errors_unless_allowed(
    cli: CliRunner, shipped: Path, tmp_path: Path, command: list[str]
) -> None:
    _over_commit(shipped)
    (tmp_path / "OUT").mkdir()
    args = [part.replace("OUT", str(tmp_path / "OUT")) for part in command]
    refused = invoke(cli, *args, "--data", str(shipped))
    what = {"xlsx": "workbook", "beancount": "journal", "hledger": "journal",
            "360giving": "open data", "publish": "page"}[command[1] if command[0] == "export"
                                                          else "publish"]
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == (
        f"pcc-ledger: 2 errors in 4 files, so no {what} is written; fix them (`pcc-ledger "
        "check` lists them), or pass --allow-problems to write it all the same\n")
    assert list((tmp_path / "OUT").iterdir()) == []
    allowed = invoke(cli, *args, "--data", str(shipped), "--allow-problems")
    assert allowed.exit_code == 0, allowed.output
    assert allowed.stderr.startswith(
        "pcc-ledger: 2 errors in 4 files; `pcc-ledger check` lists them\n")
    assert list((tmp_path / "OUT").iterdir()) != []


def test_warnings_are_said_and_do_not_block_an_export(
    cli: CliRunner, shipped: Path, tmp_path: Path
) -> None:
    write(shipped / "commitments.yaml", "commitments: []\n")  # a stray file: a warning
    result = invoke(cli, "export", "beancount", str(tmp_path / "l.beancount"),
                    "--data", str(shipped))
    assert result.exit_code == 0
    assert result.stderr == (
        "pcc-ledger: 1 warning in 4 files; `pcc-ledger check` lists them\n"
        f"wrote {tmp_path / 'l.beancount'}\n")


# --- 7. the bugs a new user hit -----------------------------------------------------------


def _git(root: Path, *args: str, date: str = "@1600000000 +0000") -> None:
    environment = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
                   "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                   "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=root, env=environment, check=True,
                   capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("data_option", ["data", "./data", None])
def test_last_modified_comes_from_git_however_data_is_written(
    cli: CliRunner, shipped: Path, monkeypatch: pytest.MonkeyPatch, data_option: str | None
) -> None:
    repository = shipped.parent
    _git(repository, "init", "-q", ".")
    _git(repository, "add", "data")
    _git(repository, "commit", "-q", "-m", "data")
    for path in shipped.rglob("*.yaml"):
        os.utime(path, (1_800_000_000, 1_800_000_000))  # a fresh clone's file times
    monkeypatch.chdir(repository)
    extra = [] if data_option is None else ["--data", data_option]
    result = invoke(cli, "export", "360giving", "-", *extra)
    assert result.exit_code == 0, result.output
    assert '"dateModified": "2020-09-13T12:26:40+00:00"' in result.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_commit_dated_after_9999_is_a_clear_error(cli: CliRunner, shipped: Path) -> None:
    _git(shipped.parent, "init", "-q", ".")
    _git(shipped.parent, "add", "data")
    _git(shipped.parent, "commit", "-q", "-m", "data", date="@300000000000 +0000")
    result = invoke(cli, "export", "360giving", "-", "--data", str(shipped))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.endswith(
        "pcc-ledger: error: the last git commit of the data is dated outside the years 1970 to "
        "9999 (a clock fault?); give it the right time (`touch FILE`, or commit the data "
        "again) and run this again\n")


def test_a_file_time_after_9999_is_a_clear_error(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcc_ledger import provenance

    monkeypatch.setattr(provenance, "_git_stamp", lambda files: None)
    root = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, root)
    victims = root / "allocations" / "2017-18" / "victims.yaml"
    real_stat = os.stat

    def far_future(path: object, *args: object, **kwargs: object) -> os.stat_result:
        found = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        if str(path).endswith("victims.yaml"):
            values = list(found)
            values[8] = 300_000_000_000  # st_mtime: the year 11476
            return os.stat_result(values)
        return found

    monkeypatch.setattr(provenance.os, "stat", far_future)
    for command in (["export", "360giving", "-"], ["publish", str(tmp_path / "site")]):
        result = invoke(cli, *command, "--data", str(root))
        assert result.exit_code == 1, result.output
        assert result.stderr.endswith(
            f"pcc-ledger: error: {victims} is dated outside the years 1970 to 9999 (a clock "
            "fault?); give it the right time (`touch FILE`, or commit the data again) and run "
            "this again\n")


ALL_YEARS = "2012/13, 2013/14, 2016/17, 2017/18, 2018/19, 2019/20, 2020/21"


@pytest.mark.parametrize("command", [["summary"], ["funds"], ["commitments"]])
def test_a_year_or_fund_with_no_data_is_answered_one_way_by_every_command(
    cli: CliRunner, command: list[str]
) -> None:
    data = ["--data", str(SHIPPED_DATA)]
    year = invoke(cli, *command, *data, "--year", "2030/31")
    assert (year.exit_code, year.stdout, year.stderr) == (
        2, "", f"pcc-ledger: error: --year: no fund has an allocation for 2030/31; years in the "
        f"data: {ALL_YEARS}\n")
    if command != ["funds"]:
        fund = invoke(cli, *command, *data, "--fund", "nope")
        assert (fund.exit_code, fund.stderr) == (
            2, "pcc-ledger: error: --fund: no fund `nope`; funds: community-safety-fund, "
            "your-community-your-choice, pact-npt-small-grants, pact-community-grants, "
            "victims-services\n")
        both = invoke(cli, *command, *data, "--fund", "victims-services", "--year", "2016/17")
        assert (both.exit_code, both.stderr) == (
            2, "pcc-ledger: error: --year: fund victims-services has no allocation for 2016/17; "
            "its years: 2017/18\n")


def test_a_fifo_or_a_device_with_a_yaml_name_is_reported_not_read(
    cli: CliRunner, shipped: Path
) -> None:
    # Reading a FIFO waits for a writer for ever; /dev/zero never ends.
    os.mkfifo(shipped / "allocations" / "pipe.yaml")
    (shipped / "allocations" / "zero.yaml").symlink_to("/dev/zero")
    result = invoke(cli, "check", "--data", str(shipped))
    assert result.exit_code == 1
    said = ("error: not a regular file (a device, FIFO or socket, perhaps behind a link); "
            "pcc-ledger reads YAML files only: move it out of the data directory "
            "[file-unreadable]")
    assert result.output.splitlines() == [
        f"{shipped}/allocations/pipe.yaml: {said}",
        f"{shipped}/allocations/zero.yaml: {said}",
        "2 errors in 6 files",
    ]


def test_a_link_to_a_folder_outside_the_data_is_said_and_not_followed(
    cli: CliRunner, shipped: Path
) -> None:
    # A link to / would read the whole machine (and hang in /proc); one inside the data
    # directory is followed, once.
    (shipped / "allocations" / "everything.yaml").symlink_to("/")
    (shipped / "allocations" / "again").symlink_to(shipped / "allocations" / "2017-18")
    result = invoke(cli, "check", "--data", str(shipped))
    assert result.exit_code == 0
    assert result.output == (
        f"{shipped}/allocations/everything.yaml: warning: a link to a folder outside the data "
        "directory: it is not followed, so the data in it is not checked; move or copy the "
        "folder into the data directory [link-outside-data]\n"
        "1 warning in 4 files\n"  # the linked 2017-18 folder is read once, not twice
    )


def test_a_loop_of_links_or_an_unsearchable_folder_as_a_target_is_a_usage_error(
    shipped: Path, tmp_path: Path
) -> None:
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    looped = _run("export", "beancount", str(tmp_path / "loop1"), "--data", str(shipped))
    assert looped.returncode == 2, looped.stderr
    assert looped.stderr.startswith("pcc-ledger: error: ")
    assert "internal error" not in looped.stderr
    published = _run("publish", str(tmp_path / "loop1"), "--data", str(shipped))
    assert published.returncode == 2, published.stderr
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o000)
    try:
        result = _run("export", "beancount", str(locked / "x.beancount"), "--data", str(shipped))
    finally:
        locked.chmod(0o755)
    assert (result.returncode, result.stderr) == (
        2, f"pcc-ledger: error: cannot write {locked / 'x.beancount'}: Permission denied; "
        "choose another place\n")


def test_control_characters_are_refused_in_the_url_too(cli: CliRunner, shipped: Path) -> None:
    funds = shipped / "funds.yaml"
    text = funds.read_text("utf-8")
    funds.write_text(text.replace("url: http://www.northwales-pcc.gov.uk",
                                  'url: "http://x\\e[2J\\x9b31m"'), "utf-8")
    result = invoke(cli, "check", "--data", str(shipped))
    assert result.exit_code == 1
    assert "is not a valid `url`: write a web address with no spaces or control characters" \
        in result.output
    assert "\x1b" not in result.output and "\x9b" not in result.output


def test_a_lone_carriage_return_ends_a_line_for_a_refused_character(
    cli: CliRunner, data_dir: Path
) -> None:
    (data_dir / "allocations").mkdir(exist_ok=True)
    (data_dir / "allocations" / "a.yaml").write_bytes(b"commitments: []\r# note\x1b\n")
    result = invoke(cli, "check", "--data", str(data_dir))
    assert result.output.splitlines()[:3] == [
        f"{data_dir}/allocations/a.yaml:2:7: error: U+001B ESCAPE, a control character YAML "
        "does not allow; delete it (an editor may show it as a box or nothing at all) "
        "[yaml-character]",
        " 2 | # note\\x1b",
        "   |       ^",
    ]


@pytest.mark.parametrize("command", [["payments"], ["transfers"], ["profile"], ["years"]])
def test_the_other_commands_answer_an_unknown_year_or_fund_alike(
    cli: CliRunner, command: list[str]
) -> None:
    data = ["--data", str(SHIPPED_DATA)]
    fund = invoke(cli, *command, *data, "--fund", "nope")
    assert (fund.exit_code, fund.stderr) == (
        2, "pcc-ledger: error: --fund: no fund `nope`; funds: community-safety-fund, "
        "your-community-your-choice, pact-npt-small-grants, pact-community-grants, "
        "victims-services\n")
    if command != ["years"]:
        year = invoke(cli, *command, *data, "--year", "2030/31")
        assert (year.exit_code, year.stderr) == (
            2, f"pcc-ledger: error: --year: no fund has an allocation for 2030/31; years in the "
            f"data: {ALL_YEARS}\n")


def test_the_profile_defaults_to_a_year_of_the_fund_asked_for(cli: CliRunner) -> None:
    result = invoke(cli, "profile", "--fund", "victims-services", "--data", str(SHIPPED_DATA))
    assert result.exit_code == 0
    assert result.stdout.startswith("Spend profile 2017/18, fund victims-services, by month")
