"""`pcc-ledger diff`: what a data change does to the budget, between git revisions, on real git
repositories made in temporary folders. Exact figures and messages throughout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pcc_ledger.checking import check_directory
from pcc_ledger.loader import load

from .conftest import REPO, SHIPPED_DATA, invoke

SAFETY = Path("data/allocations/2017-18/community-safety.yaml")
VICTIMS = Path("data/allocations/2017-18/victims.yaml")
TRANSFERS = Path("data/allocations/2017-18/transfers.yaml")
FUNDS = Path("data/funds.yaml")

# An approved commitment of £25,000 from the Community Safety Fund's 2017/18 allocation
# (revised £1,116,000.00; committed £600,000.00, paid £240,000.00, available £516,000.00).
NEW_GRANT = """
  - id: CSF-2017-099
    fund: community-safety-fund
    year: 2017/18
    recipient: {name: Example Neighbourhood Watch, type: community-group}
    title: Street lighting survey
    title_cy: Arolwg o oleuadau stryd
    objective: prevent-crime
    purpose: A survey of street lighting
    purpose_cy: Arolwg o oleuadau stryd
    reasons: Better lighting deters crime
    reasons_cy: Mae goleuadau gwell yn atal troseddu
    conditions: [A report of the survey]
    conditions_cy: [Adroddiad ar yr arolwg]
    reviews: [{date: 2018-05-01, result: met}]
    amount: 25000
    status: approved
    approved: 2017-11-01
"""
# £1,500 over the child sexual abuse ring-fence of victims-services 2017/18, which is fully
# committed (revised £66,442.00).
OVER_GRANT = """
  - id: VS-2017-099
    fund: victims-services
    year: 2017/18
    ring_fence: child-sexual-abuse
    recipient: {name: Example Survivors Group, type: charity}
    title: Peer support
    title_cy: Cymorth gan gymheiriaid
    objective: reduce-harm
    reviews: [{date: 2018-05-01, result: met}]
    amount: 1500
    status: approved
    approved: 2017-11-01
"""
NEW_TRANSFER = """
  - id: VIR-2017-02
    date: 2017-11-02
    from: {fund: victims-services, year: 2017/18}
    to: {fund: victims-services, year: 2017/18, ring_fence: child-sexual-abuse}
    amount: 5000
"""


def _git_environment() -> dict[str, str]:
    """Git as on a fresh machine: no user's or system's configuration (a signing key, hooks,
    another default branch), a fixed author."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("GIT_") and key != "GITHUB_BASE_REF"}
    environment.update({
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
    })
    return environment


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                            check=True, env=_git_environment())
    return result.stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose one commit holds the shipped data: made once, copied per test."""
    repo = tmp_path_factory.mktemp("template") / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "checkout", "-q", "-b", "main")
    shutil.copytree(SHIPPED_DATA, repo / "data")
    commit(repo, "the shipped data")
    return repo


@pytest.fixture
def repo(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(template, copy, symlinks=True)
    for name, value in _git_environment().items():
        monkeypatch.setenv(name, value)
    for name in [key for key in os.environ if key.startswith("GIT_") and
                 key not in _git_environment()] + ["GITHUB_BASE_REF", "PCC_LEDGER_DATA"]:
        monkeypatch.delenv(name, raising=False)
    # A repository found above the temporary folder must not stand in for a missing one.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(copy)
    return copy


def append(repo: Path, path: Path, text: str) -> None:
    with (repo / path).open("a", encoding="utf-8") as file:
        file.write(text)


def replace(repo: Path, path: Path, old: str, new: str) -> None:
    content = (repo / path).read_text(encoding="utf-8")
    assert content.count(old) == 1, old
    (repo / path).write_text(content.replace(old, new), encoding="utf-8")


def diff(cli: CliRunner, *args: str) -> tuple[int, str, str]:
    result = invoke(cli, "diff", *args)
    return result.exit_code, result.stdout, result.stderr


def short(repo: Path, revision: str = "HEAD") -> str:
    return git(repo, "rev-parse", revision)[:7]


def test_an_approved_commitment_added_shows_what_it_commits(cli: CliRunner, repo: Path) -> None:
    append(repo, SAFETY, NEW_GRANT)
    status, output, errors = diff(cli)
    assert (status, errors) == (0, "")
    assert output == (
        f"Budget change in data: HEAD ({short(repo)}) → working tree\n"
        f"Before, HEAD ({short(repo)}): 2 warnings in 7 files\n"
        "After, working tree: 2 warnings in 7 files\n"
        "\n"
        "Budget             Before        After       Change\n"
        "community-safety-fund 2017/18\n"
        "  Committed   £600,000.00  £625,000.00  +£25,000.00\n"
        "  Available   £516,000.00  £491,000.00  -£25,000.00\n"
        "\n"
        "Commitments added (1)\n"
        "  CSF-2017-099: community-safety-fund 2017/18, approved, £25,000.00; Example\n"
        "      Neighbourhood Watch: Street lighting survey\n"
        "      (data/allocations/2017-18/community-safety.yaml)\n"
    )


def test_a_payment_added(cli: CliRunner, repo: Path) -> None:
    replace(repo, SAFETY, "      - {date: 2017-10-31, amount: 45000}\n",
            "      - {date: 2017-10-31, amount: 45000}\n"
            "      - {date: 2018-01-31, amount: 20000}\n")
    status, output, _ = diff(cli)
    assert status == 0
    assert output.split("\n", 4)[4] == (
        "Budget             Before        After       Change\n"
        "community-safety-fund 2017/18\n"
        "  Paid        £240,000.00  £260,000.00  +£20,000.00\n"
        "\n"
        "Payments added (1)\n"
        "  CSF-2017-001: 2018-01-31 £20,000.00\n"
    )


def test_an_amount_and_a_status_changed(cli: CliRunner, repo: Path) -> None:
    replace(repo, SAFETY, "    amount: £180,000\n", "    amount: £190,000\n")
    replace(repo, SAFETY, "    amount: 35000\n    status: cancelled\n",
            "    amount: 35000\n    status: proposed\n")
    status, output, _ = diff(cli)
    assert status == 0
    assert output.split("\n", 4)[4] == (
        "Budget             Before        After       Change\n"
        "community-safety-fund 2017/18\n"
        "  Committed   £600,000.00  £610,000.00  +£10,000.00\n"
        "  Available   £516,000.00  £506,000.00  -£10,000.00\n"
        "\n"
        "Commitments changed (2)\n"
        "  CSF-2017-001: amount £180,000.00 → £190,000.00\n"
        "  CSF-2017-003: status cancelled → proposed\n"
    )


def test_a_transfer_added_moves_an_allocation_between_parts(cli: CliRunner,
                                                           repo: Path) -> None:
    replace(repo, TRANSFERS, "\ncommitments:\n", NEW_TRANSFER + "\ncommitments:\n")
    status, output, _ = diff(cli)
    assert status == 0
    assert output.split("\n", 4)[4] == (
        "Budget             Before        After      Change\n"
        "victims-services 2017/18, ring-fence child-sexual-abuse\n"
        "  Allocation   £66,442.00   £71,442.00  +£5,000.00\n"
        "  Available         £0.00    £5,000.00  +£5,000.00\n"
        "victims-services 2017/18, unfenced\n"
        "  Allocation  £747,634.00  £742,634.00  -£5,000.00\n"
        "  Available   £187,634.00  £182,634.00  -£5,000.00\n"
        "\n"
        "Transfers added (1)\n"
        "  VIR-2017-02: 2017-11-02, £5,000.00 from fund victims-services 2017/18 to fund\n"
        "      victims-services 2017/18 ring-fence child-sexual-abuse\n"
        "      (data/allocations/2017-18/transfers.yaml)\n"
        "\n"
        # The £5,000.00 moved into a must-spend ring-fence is not committed by the year end.
        "Problems introduced (1)\n"
        "  data/funds.yaml:203:21: warning: ring-fence child-sexual-abuse of fund\n"
        "      victims-services 2017/18 must be spent, but £5,000.00 of its £71,442.00\n"
        "      (revised by transfers) was not committed by the end of the year\n"
        "      (2018-03-31); record the commitments made from it, or note why it was not\n"
        "      spent [unspent-ring-fence]\n"
        "   203 |             amount: 56442\n"
        "       |                     ^\n"
    )


def test_a_commitment_removed(cli: CliRunner, repo: Path) -> None:
    text = (repo / SAFETY).read_text(encoding="utf-8")
    start = text.index("  - id: CSF-2017-002")
    end = text.index("  - id: CSF-2017-003")
    (repo / SAFETY).write_text(text[:start] + text[end:], encoding="utf-8")
    status, output, _ = diff(cli)
    assert status == 0
    assert output.split("\n", 4)[4] == (
        "Budget             Before        After        Change\n"
        "community-safety-fund 2017/18\n"
        "  Committed   £600,000.00  £180,000.00  -£420,000.00\n"
        "  Paid        £240,000.00  £135,000.00  -£105,000.00\n"
        "  Available   £516,000.00  £936,000.00  +£420,000.00\n"
        "\n"
        "Commitments removed (1)\n"
        "  CSF-2017-002: community-safety-fund 2017/18, approved, £420,000.00, paid\n"
        "      £105,000.00; Example Health Board Substance Misuse Service: Drug\n"
        "      intervention and substance misuse support\n"
        "      (data/allocations/2017-18/community-safety.yaml)\n"
    )


OVER_COMMITTED = (
    "ring-fence child-sexual-abuse of fund victims-services 2017/18 is over-committed: approved "
    "commitments drawing on it total £67,942.00 against the revised ring-fence of £66,442.00 "
    "(£56,442.00, £10,000.00 transferred in, £0.00 out), £1,500.00 over; commitment VS-2017-099 "
    "(approved 2017-11-01) took it over the limit: reduce or cancel a commitment, or correct the "
    "limit in funds.yaml"
)
OVER_COMMITTED_TEXT = (
    "  data/allocations/2017-18/victims.yaml:{line}:13: error: ring-fence\n"
    "      child-sexual-abuse of fund victims-services 2017/18 is over-committed:\n"
    "      approved commitments drawing on it total £67,942.00 against the revised\n"
    "      ring-fence of £66,442.00 (£56,442.00, £10,000.00 transferred in, £0.00\n"
    "      out), £1,500.00 over; commitment VS-2017-099 (approved 2017-11-01) took it\n"
    "      over the limit: reduce or cancel a commitment, or correct the limit in\n"
    "      funds.yaml [over-committed-ring-fence]\n"
)


def test_a_problem_introduced_and_then_fixed(cli: CliRunner, repo: Path) -> None:
    base = short(repo)
    append(repo, VICTIMS, OVER_GRANT)
    broken = commit(repo, "over-commit")[:7]
    line = len((repo / VICTIMS).read_text(encoding="utf-8").splitlines()) - 2  # its amount
    status, output, _ = diff(cli, "HEAD~1", "HEAD")
    assert status == 0
    assert output == (
        f"Budget change in data: HEAD~1 ({base}) → HEAD ({broken})\n"
        f"Before, HEAD~1 ({base}): 2 warnings in 7 files\n"
        f"After, HEAD ({broken}): its data has 1 error, 2 warnings in 7 files\n"
        "\n"
        "Budget             Before        After      Change\n"
        "victims-services 2017/18\n"
        "  Committed   £626,442.00  £627,942.00  +£1,500.00\n"
        "  Available   £187,634.00  £186,134.00  -£1,500.00\n"
        "victims-services 2017/18, ring-fence child-sexual-abuse\n"
        "  Committed    £66,442.00   £67,942.00  +£1,500.00\n"
        "  Available         £0.00   -£1,500.00  -£1,500.00\n"
        "\n"
        "Commitments added (1)\n"
        "  VS-2017-099: victims-services 2017/18, ring-fence child-sexual-abuse,\n"
        "      approved, £1,500.00; Example Survivors Group: Peer support\n"
        "      (data/allocations/2017-18/victims.yaml)\n"
        "\n"
        "Problems introduced (1)\n"
        + OVER_COMMITTED_TEXT.format(line=line)
        # The line of the new side, as `check` shows it.
        + f"   {line} |     amount: 1500\n"
        "      |             ^\n")
    found = json.loads(diff(cli, "HEAD~1", "HEAD", "--format", "json")[1])
    assert found["problems"] == {"introduced": [{
        "file": "data/allocations/2017-18/victims.yaml", "line": line, "column": 13,
        "severity": "error", "rule": "over-committed-ring-fence", "message": OVER_COMMITTED}],
        "fixed": []}
    assert found["after"]["incomplete"] is None  # an over-commitment leaves nothing out

    # Fixed in the working tree, with lines added above it, so that it would have moved.
    replace(repo, VICTIMS, "    amount: 1500\n", "    amount: 0\n")
    replace(repo, VICTIMS, "illustrative: true\n", "illustrative: true\n# moved\n")
    status, output, _ = diff(cli)
    assert status == 0
    assert output.split("\n", 4)[4] == (
        "Budget             Before        After      Change\n"
        "victims-services 2017/18\n"
        "  Committed   £627,942.00  £626,442.00  -£1,500.00\n"
        "  Available   £186,134.00  £187,634.00  +£1,500.00\n"
        "victims-services 2017/18, ring-fence child-sexual-abuse\n"
        "  Committed    £67,942.00   £66,442.00  -£1,500.00\n"
        "  Available    -£1,500.00        £0.00  +£1,500.00\n"
        "\n"
        "Commitments changed (1)\n"
        "  VS-2017-099: amount £1,500.00 → £0.00\n"
        "\n"
        # An approved grant of £0 is what 360Giving's Data Quality Tool flags.
        "Problems introduced (1)\n"
        f"  data/allocations/2017-18/victims.yaml:{line + 1}:13: warning: VS-2017-099 is a grant\n"
        "      of £0.00, which 360Giving's Data Quality Tool flags; if nothing was\n"
        "      awarded, cancel it, else say why in its `description`\n"
        "      [open-data-zero-amount]\n"
        f"   {line + 1} |     amount: 0\n"
        f"{' ' * (len(str(line + 1)) + 4)}|             ^\n"
        "\n"
        f"Problems fixed (1), at their lines in HEAD ({broken})\n"
        + OVER_COMMITTED_TEXT.format(line=line))


def test_a_problem_that_only_moves_is_neither_introduced_nor_fixed(cli: CliRunner,
                                                                  repo: Path) -> None:
    replace(repo, TRANSFERS, "illustrative: true\n", "illustrative: true\n\n# A comment.\n")
    status, output, _ = diff(cli, "--format", "json")
    found = json.loads(output)
    assert (status, found["unchanged"], found["problems"]) == (
        0, True, {"introduced": [], "fixed": []})
    assert diff(cli)[1].endswith("\n\nNo change to the budget, the records or the problems.\n")


def test_two_revisions_and_the_work_tree_left_alone(cli: CliRunner, repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD")
    append(repo, SAFETY, NEW_GRANT)
    second = commit(repo, "a grant")
    replace(repo, SAFETY, "    amount: 25000\n", "    amount: 30000\n")  # not committed
    git(repo, "add", str(SAFETY))
    replace(repo, TRANSFERS, "illustrative: true\n", "illustrative: true\n# unstaged\n")
    (repo / "data" / "allocations" / "new.yaml").write_text("commitments: []\n", "utf-8")
    before_status = git(repo, "status", "--porcelain")
    index = (repo / ".git" / "index").read_bytes()
    files = {path: path.read_bytes() for path in repo.rglob("*")
             if path.is_file() and ".git" not in path.parts}

    found = json.loads(diff(cli, first[:10], "main", "--format", "json")[1])
    assert found["before"] == {
        "label": first[:10], "revision": first[:10], "commit": first, "files": 7, "errors": 0,
        "warnings": 2, "funds_readable": True, "incomplete": None, "outside_links": []}
    assert found["after"]["label"] == f"main ({second[:7]})"
    assert found["after"]["commit"] == second
    assert found["budget"] == [{
        "fund": "community-safety-fund", "year": "2017/18", "part": None, "state": "changed",
        "changes": {
            "committed": {"before": "600000.00", "after": "625000.00", "change": "25000.00"},
            "available": {"before": "516000.00", "after": "491000.00", "change": "-25000.00"},
        }}]
    assert found["commitments"] == {"added": [{
        "id": "CSF-2017-099", "file": "data/allocations/2017-18/community-safety.yaml",
        "maybe_unreadable": False, "fund": "community-safety-fund",
        "years": {"2017/18": "25000.00"}, "ring_fence": None, "status": "approved",
        "amount": "25000.00", "paid": "0.00",
        "recipient": "Example Neighbourhood Watch", "title": "Street lighting survey"}],
        "removed": [], "changed": []}
    # HEAD against the working tree: the staged change and the untracked file are in it.
    found = json.loads(diff(cli, "--format", "json")[1])
    assert found["after"]["files"] == 8
    assert found["commitments"]["changed"] == [{
        "id": "CSF-2017-099", "file": "data/allocations/2017-18/community-safety.yaml",
        "changes": [{"field": "amount", "before": "25000.00", "after": "30000.00"}]}]

    assert git(repo, "status", "--porcelain") == before_status
    assert (repo / ".git" / "index").read_bytes() == index
    assert {path: path.read_bytes() for path in repo.rglob("*")
            if path.is_file() and ".git" not in path.parts} == files


def test_markdown_for_a_pull_request_comment(cli: CliRunner, repo: Path) -> None:
    append(repo, VICTIMS, OVER_GRANT.replace("Peer support", "Peer | support <b>"))
    status, output, _ = diff(cli, "--format", "Markdown")
    line = len((repo / VICTIMS).read_text(encoding="utf-8").splitlines()) - 2
    head = short(repo)
    assert status == 0
    assert output == (
        "<!-- pcc-ledger diff -->\n"
        f"## Budget change: HEAD ({head}) → working tree\n"
        "\n"
        "|  | Revision | Data |\n"
        "|---|---|---|\n"
        f"| Before | HEAD ({head}) | 2 warnings in 7 files |\n"
        "| After | working tree | its data has 1 error, 2 warnings in 7 files |\n"
        "\n"
        "### Budget\n"
        "\n"
        "| Fund | Year | Part |  | Before | After | Change |\n"
        "|---|---|---|---|--:|--:|--:|\n"
        "| victims-services | 2017/18 |  | Committed | £626,442.00 | £627,942.00 | +£1,500.00 |\n"
        "|  |  |  | Available | £187,634.00 | £186,134.00 | -£1,500.00 |\n"
        "| victims-services | 2017/18 | ring-fence child-sexual-abuse | Committed | £66,442.00 | "
        "£67,942.00 | +£1,500.00 |\n"
        "|  |  |  | Available | £0.00 | -£1,500.00 | -£1,500.00 |\n"
        "\n"
        "### Records\n"
        "\n"
        "**Commitments added (1)**\n"
        "\n"
        "| Id | Fund | Year | Ring-fence | Status | Amount | Paid | Recipient | Title |\n"
        "|---|---|---|---|---|--:|--:|---|---|\n"
        "| VS-2017-099 | victims-services | 2017/18 | child-sexual-abuse | approved | £1,500.00 "
        "| £0.00 | Example Survivors Group | Peer \\| support &lt;b&gt; |\n"
        "\n"
        "### Problems\n"
        "\n"
        "**Problems introduced (1)**\n"
        "\n"
        "| Where | Severity | Problem | Rule |\n"
        "|---|---|---|---|\n"
        f"| data/allocations/2017-18/victims.yaml:{line} | error | {OVER_COMMITTED} "
        "| over-committed-ring-fence |\n"
    )


def test_long_markdown_lists_are_folded(cli: CliRunner, repo: Path) -> None:
    append(repo, SAFETY, "".join(
        NEW_GRANT.replace("CSF-2017-099", f"CSF-2017-1{n:02d}").replace("25000", "100")
        for n in range(11)))
    output = diff(cli, "--format", "markdown")[1]
    assert "<details><summary>Commitments added (11)</summary>\n\n| Id |" in output
    assert output.count("| CSF-2017-1") == 11


def test_a_revision_whose_funds_file_is_broken(cli: CliRunner, repo: Path) -> None:
    good = (repo / FUNDS).read_text(encoding="utf-8")
    (repo / FUNDS).write_text("funds: [\n", encoding="utf-8")
    append(repo, SAFETY, NEW_GRANT)
    broken = commit(repo, "a broken funds.yaml")
    (repo / FUNDS).write_text(good, encoding="utf-8")
    status, output, errors = diff(cli)
    assert (status, errors) == (0, "")
    assert output == (
        f"Budget change in data: HEAD ({broken[:7]}) → working tree\n"
        f"Before, HEAD ({broken[:7]}): its data has 1 error in 7 files; its funds.yaml cannot\n"
        "  be read, so no budget is compared\n"
        "After, working tree: 2 warnings in 7 files\n"
        "\n"
        # No budget to compare: the warnings about the budget are new, as far as it can tell.
        "Problems introduced (2)\n"
        "  data/allocations/2017-18/transfers.yaml:66:29: warning: VS-2017-006 charges\n"
        "      £40,000.00 to 2018/19, for which fund victims-services has no allocation\n"
        "      yet: it is subject to future funding, and counts in no total until the\n"
        "      allocation is added to funds.yaml [future-funding]\n"
        "   66 |     years: {2017/18: 40000, 2018/19: 40000, 2019/20: 40000}\n"
        "      |                             ^\n"
        "  data/allocations/2017-18/transfers.yaml:66:45: warning: VS-2017-006 charges\n"
        "      £40,000.00 to 2019/20, for which fund victims-services has no allocation\n"
        "      yet: it is subject to future funding, and counts in no total until the\n"
        "      allocation is added to funds.yaml [future-funding]\n"
        "   66 |     years: {2017/18: 40000, 2018/19: 40000, 2019/20: 40000}\n"
        "      |                                             ^\n"
        "\n"
        f"Problems fixed (1), at their lines in HEAD ({broken[:7]})\n"
        "  data/funds.yaml:2:1: error: YAML syntax error: did not find expected node\n"
        "      content (while parsing a flow node); check the indentation, colons and\n"
        "      quotes on this line and the one above [yaml-syntax]\n"
    )
    found = json.loads(diff(cli, "--format", "json")[1])
    assert (found["before"]["funds_readable"], found["budget_compared"], found["budget"]) == (
        False, False, [])
    # Its records are still compared: the grant is in both.
    assert found["commitments"] == {"added": [], "removed": [], "changed": []}


def test_an_unknown_revision_is_a_usage_error(cli: CliRunner, repo: Path) -> None:
    assert diff(cli, "no-such-branch") == (
        2, "", f"pcc-ledger: error: no revision `no-such-branch` in the repository at {repo}; "
        "name a commit, branch or tag (`git log --oneline` lists commits)\n")
    assert diff(cli, "HEAD", "--", "--upload-pack=x")[0] == 2
    assert diff(cli, "--format", "html") == (
        2, "", "pcc-ledger: error: --format: `html` is not a format of diff; use text, "
        "markdown or json\n")


def test_a_revision_without_the_data_is_a_usage_error(cli: CliRunner, repo: Path) -> None:
    empty_tree = git(repo, "hash-object", "-t", "tree", os.devnull)
    git(repo, "branch", "empty", git(repo, "commit-tree", empty_tree, "-m", "no data"))
    assert diff(cli, "empty") == (
        2, "", f"pcc-ledger: error: empty ({short(repo, 'empty')}) has no data directory data: "
        "name a revision that has the data\n")
    (repo / "data" / "funds.yaml").unlink()
    commit(repo, "no funds.yaml")
    assert diff(cli, "HEAD", "HEAD~1")[2] == (
        f"pcc-ledger: error: HEAD ({short(repo)}) has no funds.yaml in data: name a revision "
        "that has the data\n")


def test_outside_a_git_repository_is_a_usage_error(cli: CliRunner, repo: Path,
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(SHIPPED_DATA, outside / "data")
    monkeypatch.chdir(outside)
    assert diff(cli) == (
        2, "", "pcc-ledger: error: data is not in a git repository; diff compares the data of "
        "two git revisions: run it in a clone of the data's repository\n")


def test_git_missing_is_a_usage_error(cli: CliRunner, repo: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "nowhere"))
    assert diff(cli) == (
        2, "", "pcc-ledger: error: diff reads the data from git, which was not found: install "
        "git (and put it on PATH)\n")


def test_in_a_pull_request_the_base_is_the_merge_base(cli: CliRunner, repo: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "update-ref", "refs/remotes/origin/main", base)
    git(repo, "checkout", "-q", "-b", "feature")
    append(repo, SAFETY, NEW_GRANT)
    commit(repo, "a grant")  # the pull request: HEAD, and the working tree
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    found = json.loads(diff(cli, "--format", "json")[1])
    assert (found["before"]["commit"], found["before"]["label"]) == (
        base, f"merge base of origin/main and HEAD ({base[:7]})")
    assert [item["id"] for item in found["commitments"]["added"]] == ["CSF-2017-099"]
    monkeypatch.setenv("GITHUB_BASE_REF", "release")
    assert diff(cli)[2] == (
        "pcc-ledger: error: GITHUB_BASE_REF is release, but the repository has no "
        "`origin/release` to compare with: check out with `fetch-depth: 0` (actions/checkout), "
        "or name the revision to compare with\n")


def test_a_link_out_of_the_data_directory_is_not_followed(cli: CliRunner, repo: Path) -> None:
    (repo / "elsewhere.yaml").write_text("commitments: []\n", encoding="utf-8")
    (repo / "data" / "allocations" / "linked.yaml").symlink_to("../../elsewhere.yaml")
    commit(repo, "a link")
    found = json.loads(diff(cli, "HEAD", "HEAD", "--format", "json")[1])
    assert found["before"]["outside_links"] == ["allocations/linked.yaml"]
    assert found["before"]["files"] == 7


def test_the_loader_shows_files_under_the_name_given(tmp_path: Path) -> None:
    shutil.copytree(SHIPPED_DATA, tmp_path / "copy")
    loaded = load(str(tmp_path / "copy"), shown_as="data")
    assert loaded.files[:2] == ["data/funds.yaml",
                                "data/allocations/2017-18/community-focused.yaml"]
    assert loaded.paths[0] == tmp_path / "copy" / "funds.yaml"  # read from where it is
    checked = check_directory(str(tmp_path / "copy"), date(2018, 4, 1), shown_as="data")
    assert sorted({str(p.location) for p in checked.problems}) == [
        "data/allocations/2017-18/transfers.yaml:66:29",
        "data/allocations/2017-18/transfers.yaml:66:45"]
    assert load(str(tmp_path / "copy")).files[0] == f"{tmp_path}/copy/funds.yaml"


def test_the_readme_workflow_posts_the_diff_on_pull_requests() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```yaml\nname: pcc-ledger")
    workflow = yaml.safe_load(readme[start + len("```yaml\n") : readme.index("```", start + 7)])
    job = workflow["jobs"]["budget-diff"]
    assert job["if"] == "github.event_name == 'pull_request'"
    checkout = job["steps"][0]
    assert (checkout["uses"], checkout["with"]["fetch-depth"]) == ("actions/checkout@v4", 0)
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs[-1] == "pcc-ledger diff --data data --format markdown > budget-diff.md"


# The README's example: a grant, a payment, and a grant over a ring-fence, not yet committed.
README_CHANGES = (
    (SAFETY, "      - {date: 2017-10-31, amount: 45000}\n",
     "      - {date: 2017-10-31, amount: 45000}\n      - {date: 2018-01-31, amount: 20000}\n"),
)


def make_readme_example(repo: Path) -> None:
    for path, old, new in README_CHANGES:
        replace(repo, path, old, new)
    append(repo, SAFETY, NEW_GRANT)
    append(repo, VICTIMS, OVER_GRANT)


def _sample(readme: str, command: str) -> str:
    start = readme.index(f"$ pcc-ledger {command}\n") + len(f"$ pcc-ledger {command}\n")
    return readme[start : readme.index("```", start)]


def test_the_readme_examples_are_real_output(cli: CliRunner, repo: Path) -> None:
    make_readme_example(repo)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head = short(repo)
    for command in ("diff", "diff --format markdown"):
        output = diff(cli, *command.split()[1:])[1]
        sample = _sample(readme, command)
        # The commit's name is the one thing that differs from one clone to another.
        sha = sample.split("HEAD (", 1)[1][:7]
        assert output == sample.replace(f"HEAD ({sha})", f"HEAD ({head})"), command
