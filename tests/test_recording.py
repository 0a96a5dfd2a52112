"""Recording decisions without hand-editing: add, approve, pay, cancel, transfer. Each edits
exactly the lines its change needs, in files full of comments, after checking the data."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pcc_ledger import cli as cli_module
from pcc_ledger import yamledit
from pcc_ledger.yamlsource import parse_yaml

from .conftest import invoke, new_runner, write

FUNDS = """
    # The funds of a test office.  Comments everywhere, to be kept.
    organisation: {name: Test Office}
    objectives:
      prevent-crime: Prevent crime   # the first objective
    funds:
      safety:
        name: Community safety
        workstream: community-safety
        rules: {max_award: 20000}
        allocations:
          2017/18: {amount: 50000, basis: test}   # an invented figure
    checks: {unspent-allocation: off}
    """

GRANTS = """\
# Grants of 2017/18: hand-written, with comments that must survive.
commitments:

  # The first one, a proposal.
  - id: S-1   # keep this comment
    fund: safety
    year: 2017/18
    recipient:
      name: 'Example Trust'   # quoted on purpose
      type: charity
    title: "Street lighting"
    objective: prevent-crime
    amount: 10000    # ten thousand
    status: proposed   # not yet decided

  - id: S-2
    fund: safety
    year: 2017/18
    recipient: {name: Example Club, type: community-group}
    title: Youth evenings
    objective: prevent-crime
    amount: 5000
    status: approved
    approved: 2017-05-01
    payments:
      - {date: 2017-06-01, amount: 2500}   # the first half
    # end of S-2

# The end of the file.
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    write(root / "funds.yaml", FUNDS)
    (root / "allocations" / "2017-18").mkdir(parents=True)
    (root / "allocations" / "2017-18" / "grants.yaml").write_text(GRANTS, encoding="utf-8")
    return root


def grants(root: Path) -> str:
    return (root / "allocations" / "2017-18" / "grants.yaml").read_text(encoding="utf-8")


def changed_lines(before: str, after: str) -> list[str]:
    """The lines of a unified diff that add or remove (not the headers)."""
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                   lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def run(cli: CliRunner, root: Path, *args: str):  # type: ignore[no-untyped-def]
    return invoke(cli, *args, "--data", str(root))


def test_approve_changes_the_status_and_adds_the_decision(cli: CliRunner, data: Path) -> None:
    result = run(cli, data, "approve", "S-1", "--date", "2017-07-03", "--decision",
                 "PCC decision 2017/31")
    assert result.exit_code == 0, result.stderr
    assert changed_lines(GRANTS, grants(data)) == [
        "-    status: proposed   # not yet decided",
        "+    status: approved   # not yet decided",
        "+    approved: 2017-07-03",
        "+    decision: PCC decision 2017/31",
    ]
    assert result.stderr == (f"pcc-ledger: approved S-1 in {data}/allocations/2017-18/"
                             "grants.yaml\n")
    # The pot's new position: £15,000 committed of £50,000.
    row = next(line for line in result.stdout.splitlines() if line.startswith("safety"))
    assert row.split()[:7] == ["safety", "2017/18", "£50,000.00", "£15,000.00", "£0.00",
                               "£2,500.00", "£12,500.00"]
    assert invoke(cli, "check", str(data)).exit_code == 0


def test_pay_appends_in_the_style_of_the_payments_there(cli: CliRunner, data: Path) -> None:
    result = run(cli, data, "pay", "S-2", "£2,500", "--date", "2017-09-01", "--reference",
                 "BACS 2017/09")
    assert result.exit_code == 0, result.stderr
    assert changed_lines(GRANTS, grants(data)) == [
        "+      - {date: 2017-09-01, amount: 2500, reference: BACS 2017/09}"]


def test_the_first_payment_starts_the_list(cli: CliRunner, data: Path) -> None:
    assert run(cli, data, "approve", "S-1", "--date", "2017-07-03").exit_code == 0
    approved = grants(data)
    assert run(cli, data, "pay", "S-1", "1000.5", "--date", "2017-08-01").exit_code == 0
    assert changed_lines(approved, grants(data)) == [
        "+    payments:", "+      - {date: 2017-08-01, amount: 1000.50}"]


def test_cancel(cli: CliRunner, data: Path) -> None:
    assert run(cli, data, "cancel", "S-1").exit_code == 0
    assert changed_lines(GRANTS, grants(data)) == [
        "-    status: proposed   # not yet decided", "+    status: cancelled   # not yet decided"]


ADD = ["add", "--id", "S-3", "--fund", "safety", "--year", "2017/18", "--recipient",
       "O'Neil Youth: Club", "--recipient-type", "community-group", "--title", "Yes",
       "--objective", "prevent-crime", "--amount", "£7,500"]


def test_add_writes_a_new_file_for_the_fund_and_year(cli: CliRunner, data: Path) -> None:
    result = run(cli, data, *ADD)
    assert result.exit_code == 0, result.stderr
    made = data / "allocations" / "2017-18" / "safety.yaml"
    assert made.read_text(encoding="utf-8") == (
        "# Commitments recorded with pcc-ledger (edit freely: comments and layout are kept).\n"
        "\n"
        "commitments:\n"
        "  - id: S-3\n"
        "    fund: safety\n"
        "    year: 2017/18\n"
        "    recipient:\n"
        "      name: \"O'Neil Youth: Club\"\n"
        "      type: community-group\n"
        "    title: \"Yes\"\n"
        "    objective: prevent-crime\n"
        "    amount: 7500\n"
        "    status: proposed\n")
    assert grants(data) == GRANTS
    listed = invoke(cli, "commitments", "--data", str(data), "--format", "csv").stdout
    assert "S-3,safety,2017/18,,O'Neil Youth: Club,community-group,prevent-crime,proposed" \
        in listed


def test_add_to_a_file_there_adds_only_its_lines(cli: CliRunner, data: Path) -> None:
    (data / "allocations" / "2017-18" / "grants.yaml").rename(
        data / "allocations" / "2017-18" / "safety.yaml")
    args = [*ADD, "--status", "approved", "--approved", "2017-08-01", "--decision", "D 1"]
    assert run(cli, data, *args).exit_code == 0
    after = (data / "allocations" / "2017-18" / "safety.yaml").read_text(encoding="utf-8")
    assert changed_lines(GRANTS, after) == [
        "+  - id: S-3",
        "+    fund: safety",
        "+    year: 2017/18",
        "+    recipient:",
        "+      name: \"O'Neil Youth: Club\"",
        "+      type: community-group",
        "+    title: \"Yes\"",
        "+    objective: prevent-crime",
        "+    amount: 7500",
        "+    status: approved",
        "+    approved: 2017-08-01",
        "+    decision: D 1",
        "+",  # (difflib's view of it: the blank line before the new item is the old one)
    ]
    # After S-2 and the comment indented inside it, before the file's closing comment.
    assert after.index("    # end of S-2") < after.index("- id: S-3") < after.index(
        "# The end of the file.")


def test_a_change_that_brings_in_an_error_is_refused(cli: CliRunner, data: Path) -> None:
    args = [*ADD[:-1], "25000", "--status", "approved", "--approved", "2017-08-01"]
    result = run(cli, data, *args)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "pcc-ledger: refused: this change would bring in 1 error (lines as the file would be):\n"
        f"  {data}/allocations/2017-18/safety.yaml:12:13: error: commitment S-3 of £25,000.00 "
        "exceeds the £20,000.00 maximum award of fund safety; reduce it, or split the work "
        "between funds [award-above-maximum]\n"
        "nothing was written; correct the values, or pass --force to write it anyway\n")
    assert not (data / "allocations" / "2017-18" / "safety.yaml").exists()
    forced = run(cli, data, *args, "--force")
    assert forced.exit_code == 1
    assert "pcc-ledger: written with --force; it brings in 1 error:" in forced.stderr
    assert (data / "allocations" / "2017-18" / "safety.yaml").exists()


def test_bad_values_get_the_messages_check_gives(cli: CliRunner, data: Path) -> None:
    result = run(cli, data, "pay", "S-2", "12.345", "--date", "2017-02-30")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:3] == [
        f"  {data}/allocations/2017-18/grants.yaml:27:16: error: `2017-02-30` is not a date: "
        "day is out of range for month [invalid-date]",
        f"  {data}/allocations/2017-18/grants.yaml:27:36: error: `12.345`: more than two "
        "decimal places; write pounds as 56442, 56442.00, 56,442 or £56,442.50 "
        "[invalid-amount]",
    ]
    assert grants(data) == GRANTS


def test_dry_run_prints_the_diff_and_writes_nothing(cli: CliRunner, data: Path) -> None:
    result = run(cli, data, "cancel", "S-1", "--dry-run")
    assert result.exit_code == 0
    path = f"{data}/allocations/2017-18/grants.yaml"
    assert result.stdout.splitlines()[:3] == [f"--- {path}", f"+++ {path}",
                                              "@@ -11,7 +11,7 @@"]
    assert "-    status: proposed   # not yet decided" in result.stdout
    assert grants(data) == GRANTS


def test_an_unknown_id_is_a_usage_error(cli: CliRunner, data: Path) -> None:
    result = run(cli, data, "approve", "S-11")
    assert (result.exit_code, result.stderr) == (2, (
        "pcc-ledger: error: no commitment S-11 in the data; did you mean S-1? (a commitment "
        "with errors is left out: `pcc-ledger check` lists them)\n"))


def test_nothing_is_asked_without_a_terminal(cli: CliRunner, data: Path) -> None:
    result = run(cli, data, "add", "--id", "S-9", "--fund", "safety")
    assert (result.exit_code, result.stderr) == (2, (
        "pcc-ledger: error: missing --year, --recipient, --recipient-type, --title, "
        "--objective, --amount (there is no terminal to ask on)\n"))


def test_what_is_missing_is_asked_on_a_terminal(data: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_module, "_can_prompt", lambda: True)
    answers = "2017/18\nExample Group\ncommunity-group\nA title\nprevent-crime\n300\n"
    result = new_runner().invoke(cli_module.app, ["add", "--id", "S-9", "--fund", "safety",
                                                  "--data", str(data)], input=answers)
    assert result.exit_code == 0, result.output
    made = (data / "allocations" / "2017-18" / "safety.yaml").read_text(encoding="utf-8")
    assert "    title: A title\n    objective: prevent-crime\n    amount: 300\n" in made


def test_a_record_in_flow_style_is_not_rewritten(cli: CliRunner, data: Path) -> None:
    path = data / "allocations" / "2017-18" / "grants.yaml"
    path.write_text(GRANTS + "extra:\n", encoding="utf-8")  # (an error: not edited at all)
    write(data / "allocations" / "2017-18" / "flow.yaml", """
        commitments:
          - {id: F-1, fund: safety, year: 2017/18, recipient: {name: X, type: charity},
             title: T, objective: prevent-crime, amount: 1, status: proposed}
        """)
    result = run(cli, data, "cancel", "F-1")
    assert (result.exit_code, result.stderr) == (1, (
        f"pcc-ledger: error: cannot edit {data}/allocations/2017-18/flow.yaml: F-1 is written "
        "in flow style ({…}); edit it by hand\n"))


def test_windows_line_ends_are_kept(cli: CliRunner, data: Path) -> None:
    path = data / "allocations" / "2017-18" / "grants.yaml"
    path.write_bytes(GRANTS.replace("\n", "\r\n").encode())
    assert run(cli, data, "cancel", "S-1").exit_code == 0
    written = path.read_bytes()
    assert written == GRANTS.replace("status: proposed", "status: cancelled").replace(
        "\n", "\r\n").encode()


def test_a_file_changed_meanwhile_is_not_overwritten(cli: CliRunner, data: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from pcc_ledger import recording

    real = recording.attempt

    def meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        tried = real(*args, **kwargs)
        path = data / "allocations" / "2017-18" / "grants.yaml"
        path.write_text(GRANTS + "# saved by an editor\n", encoding="utf-8")
        return tried

    monkeypatch.setattr(recording, "attempt", meanwhile)
    result = run(cli, data, "cancel", "S-1")
    assert result.exit_code == 1
    assert "changed while the change was checked; nothing was written" in result.stderr
    assert grants(data) == GRANTS + "# saved by an editor\n"


def test_transfer_is_added_to_the_years_transfers(cli: CliRunner, data: Path) -> None:
    funds = data / "funds.yaml"
    funds.write_text(funds.read_text().replace(
        "    checks:", "") + "reserves:\n  r: {name: A reserve}\n")
    result = run(cli, data, "transfer", "--id", "T-1", "--date", "2017-10-02", "--from-fund",
                 "safety", "--from-year", "2017/18", "--to-reserve", "r", "--amount", "1000",
                 "--decision", "PCC decision 2017/40", "--reason", "Set aside, for later")
    assert result.exit_code == 0, result.stderr
    made = (data / "allocations" / "2017-18" / "transfers.yaml").read_text(encoding="utf-8")
    assert made.endswith(
        "transfers:\n"
        "  - id: T-1\n"
        "    date: 2017-10-02\n"
        "    from:\n"
        "      fund: safety\n"
        "      year: 2017/18\n"
        "    to:\n"
        "      reserve: r\n"
        "    amount: 1000\n"
        "    decision: PCC decision 2017/40\n"
        "    reason: Set aside, for later\n")
    assert invoke(cli, "check", str(data)).exit_code == 0


def test_a_transfer_end_is_a_reserve_or_a_fund(cli: CliRunner, data: Path) -> None:
    result = run(cli, data, "transfer", "--id", "T-1", "--amount", "1", "--from-reserve", "r",
                 "--from-fund", "safety", "--to-fund", "safety", "--to-year", "2017/18")
    assert (result.exit_code, result.stderr) == (2, (
        "pcc-ledger: error: --from-reserve names a whole end; give it without --from-fund, "
        "--from-year or --from-ring-fence\n"))


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1))
def test_a_text_written_reads_back_the_same(text: str) -> None:
    """Whatever an officer types as a title, the file says exactly that."""
    if text != text.strip() or "\ufeff" in text or "\x85" in text:
        return  # the model strips whitespace; BOMs and NEL are refused characters
    written = f"title: {yamledit.scalar(text)}\n".encode()
    document, problems = parse_yaml(written, Path("t.yaml"), "t.yaml")
    assert problems == [] and document is not None
    assert document.take_data() == {"title": text}


@pytest.mark.parametrize("name", ["commitments", "transfers"])
def test_appending_to_a_file_without_the_list(name: str) -> None:
    after = yamledit.append_item("illustrative: true\n# a comment\n", name, {"id": "A"})
    assert after == f"illustrative: true\n# a comment\n\n{name}:\n  - id: A\n"


def test_appending_to_an_empty_list() -> None:
    assert yamledit.append_item("commitments: []  # none yet\n", "commitments",
                                {"id": "A"}) == "commitments: # none yet\n  - id: A\n"
    assert yamledit.append_item("commitments:\n", "commitments",
                                {"id": "A"}) == "commitments:\n  - id: A\n"


def test_items_at_the_left_margin_stay_there() -> None:
    text = "commitments:\n- id: A\n  amount: 1\n"
    assert yamledit.append_item(text, "commitments", {"id": "B", "amount": "2"}) == (
        text + "- id: B\n  amount: 2\n")


def test_the_shipped_data_is_left_alone_by_a_refused_change(cli: CliRunner,
                                                            tmp_path: Path) -> None:
    from .conftest import SHIPPED_DATA

    root = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, root)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = run(cli, root, "pay", "CSF-2017-001", "1000000", "--date", "2017-12-01")
    assert result.exit_code == 1
    assert "[payments-exceed-commitment]" in result.stderr
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


# What a second reader found: each of these once broke a file, or refused a repair.

def _one(root: Path, body: str) -> Path:
    path = root / "allocations" / "2017-18" / "grants.yaml"
    path.write_text(body, encoding="utf-8")
    return path


HEAD = """\
commitments:
  - id: S-7
    fund: safety
    year: 2017/18
    recipient: {name: Example Club, type: community-group}
    title: Youth evenings
    objective: prevent-crime
    amount: 5000
"""


def test_the_text_of_a_block_scalar_is_never_taken_for_a_comment(cli: CliRunner,
                                                                 data: Path) -> None:
    path = _one(data, HEAD + "    status: approved\n    approved: 2017-05-01\n"
                "    description: |\n      Line one.\n      # Not a comment: the text\n")
    assert run(cli, data, "pay", "S-7", "10", "--date", "2017-06-01").exit_code == 0
    assert path.read_text().endswith(
        "      # Not a comment: the text\n    payments:\n      - {date: 2017-06-01, amount: 10}\n")
    listed = invoke(cli, "commitments", "--data", str(data), "--format", "json").stdout
    assert "S-7" in listed


def test_a_list_at_its_keys_indentation_stays_whole(cli: CliRunner, data: Path) -> None:
    path = _one(data, HEAD + "    status: approved\n    approved: 2017-05-01\n"
                "    schedule:\n    - {date: 2017-07-01, amount: 5000}\n")
    assert run(cli, data, "pay", "S-7", "50", "--date", "2017-06-01").exit_code == 0
    assert path.read_text().endswith(
        "    schedule:\n    - {date: 2017-07-01, amount: 5000}\n"
        "    payments:\n      - {date: 2017-06-01, amount: 50}\n")


def test_empty_values_and_quotes_are_filled_in_place(cli: CliRunner, data: Path) -> None:
    path = _one(data, HEAD + '    status: "proposed"   # q\n    approved:    # to come\n'
                "    decision: ~   # later\n    payments: []  # none yet\n")
    assert run(cli, data, "approve", "S-7", "--date", "2017-06-01", "--decision",
               "D 9").exit_code == 0
    assert path.read_text().endswith(
        '    status: "approved"   # q\n    approved: 2017-06-01  # to come\n'
        "    decision: D 9  # later\n    payments: []  # none yet\n")
    assert run(cli, data, "pay", "S-7", "5", "--date", "2017-06-02").exit_code == 0
    assert path.read_text().endswith(
        "    payments:  # none yet\n      - {date: 2017-06-02, amount: 5}\n")


def test_a_repair_of_an_error_already_there_is_not_refused(cli: CliRunner,
                                                           data: Path) -> None:
    items = "".join(
        f"  - id: S-{n}\n    fund: safety\n    year: 2017/18\n"
        "    recipient: {name: X, type: charity}\n    title: T\n    objective: prevent-crime\n"
        f"    amount: 20000\n    status: approved\n    approved: 2017-05-0{n}\n"
        for n in range(1, 5))
    _one(data, "commitments:\n" + items)
    over = invoke(cli, "check", str(data))
    assert "[over-committed-allocation]" in over.stdout
    result = run(cli, data, "cancel", "S-4")
    assert result.exit_code == 0, result.stderr  # £80,000 against £50,000: less over
    worse = run(cli, data, "approve", "S-4", "--date", "2017-06-01")
    assert worse.exit_code == 1  # cancelled: not a proposal
    assert worse.stderr == ("pcc-ledger: error: S-4 is cancelled, not proposed: only a proposal "
                            "is approved (to change a decision's date or reference, edit the "
                            "file)\n")


def test_status_changes_say_what_is_wrong(cli: CliRunner, data: Path) -> None:
    again = run(cli, data, "approve", "S-2")
    assert (again.exit_code, again.stderr) == (1, (
        "pcc-ledger: error: S-2 is approved on 2017-05-01, not proposed: only a proposal is "
        "approved (to change a decision's date or reference, edit the file)\n"))
    assert run(cli, data, "cancel", "S-1").exit_code == 0
    twice = run(cli, data, "cancel", "S-1")
    assert (twice.exit_code, twice.stderr) == (1, "pcc-ledger: error: S-1 is cancelled "
                                                  "already\n")


def test_two_records_with_one_id_in_a_file_are_not_guessed_between(cli: CliRunner,
                                                                   data: Path) -> None:
    _one(data, HEAD + "    status: proposed\n" + HEAD.replace("commitments:\n", "").replace(
        "    title: Youth evenings\n", "") + "    status: proposed\n")
    result = run(cli, data, "cancel", "S-7")
    assert (result.exit_code, result.stderr) == (1, (
        f"pcc-ledger: error: cannot edit {data}/allocations/2017-18/grants.yaml: it has 2 "
        "records with the id S-7; give them different ids first\n"))


def test_a_file_that_is_not_yaml_is_named(cli: CliRunner, data: Path) -> None:
    path = data / "allocations" / "2017-18" / "safety.yaml"
    path.write_text("commitments:\n  - id: [\n", encoding="utf-8")
    result = run(cli, data, *ADD)
    assert (result.exit_code, result.stderr) == (1, (
        f"pcc-ledger: error: cannot edit {data}/allocations/2017-18/safety.yaml: it cannot be "
        "read as YAML at line 3; run `pcc-ledger check` and fix it first\n"))


def test_choices_and_contradictions_of_add(cli: CliRunner, data: Path) -> None:
    assert run(cli, data, *ADD, "--status", "APPROVED", "--approved",
               "2017-08-01").exit_code == 0
    lone = run(cli, data, *ADD, "--approved", "2017-08-01")
    assert (lone.exit_code, lone.stderr) == (2, "pcc-ledger: error: --approved is the date of "
                                                "an approval: give --status approved too\n")


def test_a_payment_of_nothing_is_a_usage_error(cli: CliRunner, data: Path) -> None:
    result = run(cli, data, "pay", "S-2", "£0.00")
    assert (result.exit_code, result.stderr) == (2, "pcc-ledger: error: a payment of £0.00 "
                                                    "records nothing; give the amount paid\n")


def test_the_grant_details_the_law_asks_for(cli: CliRunner, data: Path) -> None:
    funds = data / "funds.yaml"
    funds.write_text(funds.read_text().replace("rules: {max_award: 20000}",
                                               "rules: {max_award: 20000, "
                                               "grant_details_required: true}"))
    bare = run(cli, data, "approve", "S-1", "--date", "2017-07-03")
    assert bare.exit_code == 1 and "[grant-details-missing]" in bare.stderr
    result = run(cli, data, "approve", "S-1", "--date", "2017-07-03", "--purpose",
                 "Lighting for a dark street", "--reasons", "Light deters crime", "--condition",
                 "Quarterly returns", "--condition", "Unspent funds: repaid")
    assert result.exit_code == 0, result.stderr
    assert changed_lines(GRANTS, grants(data)) == [
        "-    status: proposed   # not yet decided",
        "+    status: approved   # not yet decided",
        "+    approved: 2017-07-03",
        "+    purpose: Lighting for a dark street",
        "+    reasons: Light deters crime",
        "+    conditions:",
        "+      - Quarterly returns",
        '+      - "Unspent funds: repaid"',
    ]
    added = run(cli, data, *ADD, "--status", "approved", "--approved", "2017-08-01",
                "--purpose", "P", "--reasons", "R", "--condition", "C")
    assert added.exit_code == 0, added.stderr
    made = (data / "allocations" / "2017-18" / "safety.yaml").read_text(encoding="utf-8")
    assert made.endswith("    purpose: P\n    reasons: R\n    conditions:\n      - C\n")
