"""Participatory-budgeting rounds on the command line: `round`, `rounds`, `round --write`, the
public page, and what the per-file cache keeps of a round."""

from __future__ import annotations

import json
import os
import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pcc_ledger.checking import check_directory
from pcc_ledger.loader import load

from .conftest import FIXTURES, SHIPPED_DATA, invoke, write

AWARDS = Path("allocations") / "2018-19" / "ycyc-2018-awards.yaml"
WARNINGS = "pcc-ledger: 2 warnings in 7 files; `pcc-ledger check` lists them\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, root)
    return root


def test_the_shipped_round_as_a_finance_officer_reads_it(cli: CliRunner) -> None:
    result = invoke(cli, "round", "YCYC-2018", "--data", str(SHIPPED_DATA))
    assert result.exit_code == 0
    assert result.stdout == (FIXTURES / "round-ycyc-2018.txt").read_text("utf-8")
    assert result.stderr == WARNINGS
    listing = invoke(cli, "rounds", "--data", str(SHIPPED_DATA))
    assert (listing.exit_code, listing.stdout) == (
        0, (FIXTURES / "rounds.txt").read_text("utf-8"))


def test_the_round_as_data_for_scripts(cli: CliRunner) -> None:
    result = invoke(cli, "round", "YCYC-2018", "--data", str(SHIPPED_DATA), "--format", "json")
    report = json.loads(result.stdout)["sections"]["round"]
    rows = report["rows"]
    assert [(r["project"], r["funded"]) for r in rows[:2]] == [
        ("YCYC-2018-P04", "yes"), ("YCYC-2018-P16", "yes")]
    assert rows[12] == {"order": None, "project": "YCYC-2018-P11",
                        "title": "Domestic abuse awareness in sports clubs",
                        "area": "Denbighshire", "votes": 287, "amount": "4800.00",
                        "funded": "no", "reason": "did not fit: £4,650.00 left"}
    assert [(t["title"], t["votes"], t["amount"]) for t in report["totals"]] == [
        ("All 18 projects", 6563, "77750.00"), ("Funded (11)", None, "57350.00"),
        ("Left of the budget", None, "4650.00")]
    csv = invoke(cli, "round", "YCYC-2018", "--data", str(SHIPPED_DATA), "--format", "csv")
    assert csv.stdout.splitlines()[0] == "Order,Project,Title,Area,Votes,Amount,Funded,Reason"


def test_an_unknown_round_is_a_usage_error(cli: CliRunner) -> None:
    result = invoke(cli, "round", "YCYC-2019", "--data", str(SHIPPED_DATA))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "pcc-ledger: error: no round `YCYC-2019`; rounds: YCYC-2018\n"


def _name_ballots(data: Path) -> Path:
    """The shipped round names a ballots file (not there yet): its path."""
    round_file = data / "allocations" / "2018-19" / "ycyc-round.yaml"
    round_file.write_text(round_file.read_text("utf-8").replace(
        "    per_area: 2\n", "    per_area: 2\n    ballots: ycyc-2018.pb\n"), "utf-8")
    return round_file.parent / "ycyc-2018.pb"


def test_a_round_that_cannot_be_counted_says_so(cli: CliRunner, data: Path) -> None:
    _name_ballots(data)
    result = invoke(cli, "round", "YCYC-2018", "--data", str(data))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "pcc-ledger: round YCYC-2018 cannot be counted until its errors are fixed; "
        "`pcc-ledger check` lists them\n")


def test_write_records_the_winners_and_check_then_passes(cli: CliRunner, data: Path) -> None:
    (data / AWARDS).unlink()
    before = invoke(cli, "check", "--data", str(data), "--format", "json")
    assert json.loads(before.stdout)["counts"] == {"errors": 11, "warnings": 2, "suppressed": 0}

    result = invoke(cli, "round", "YCYC-2018", "--data", str(data), "--write")
    assert result.exit_code == 0
    assert result.stdout == (f"wrote {data.as_posix()}/{AWARDS.as_posix()}: 11 commitments of "
                             "round YCYC-2018, £57,350.00\n")
    # Every scalar as the text written (the YAML 1.1 loader would turn dates and amounts
    # into values of its own).
    written = yaml.load((data / AWARDS).read_text("utf-8"), Loader=yaml.BaseLoader)
    assert written["illustrative"] == "true"  # as the round's own file is
    first = written["commitments"][0]
    assert first == {
        "id": "YCYC-2018-P04", "fund": "your-community-your-choice", "year": "2018/19",
        "round": "YCYC-2018", "project": "YCYC-2018-P04",
        "recipient": {"name": "Example Bangor Parents' Association", "type": "community-group"},
        "title": "Safer routes to school in Bangor",
        "title_cy": "Llwybrau mwy diogel i'r ysgol ym Mangor", "area": "Gwynedd",
        "area_cy": "Gwynedd",
        "objective": "partnerships", "amount": "6500.00", "status": "approved",
        "approved": "2018-07-01", "decision": "YCYC-2018",
        # The round's grant details, which its fund requires (grant_details_required).
        "purpose": "Community projects chosen by the people of North Wales in a public vote",
        "reasons": "Projects local people choose tackle the crime and anti-social behaviour "
                   "they see",
        "conditions": ["Delivered as put to the public vote", "A report at the end of the project"],
        # ...with their Welsh, the round's too (welsh-text-missing is on in the shipped data).
        "purpose_cy": "Prosiectau cymunedol a ddewiswyd gan bobl Gogledd Cymru mewn pleidlais "
                      "gyhoeddus",
        "reasons_cy": "Mae prosiectau y mae pobl leol yn eu dewis yn mynd i'r afael â'r troseddau "
                      "a'r ymddygiad gwrthgymdeithasol a welant",
        "conditions_cy": ["Cyflawni'r prosiect fel y'i rhoddwyd i bleidlais y cyhoedd",
                          "Adroddiad ar ddiwedd y prosiect"]}
    assert [c["id"] for c in written["commitments"]] == [
        f"YCYC-2018-P{n:02d}" for n in (4, 16, 10, 1, 7, 8, 13, 17, 14, 2, 6)]  # order funded
    # Judged before the awards' reviews are due (six months after 2018/19 ended)...
    after = invoke(cli, "check", "--data", str(data), "--as-of", "2019-09-30", "--format", "json")
    assert (after.exit_code, json.loads(after.stdout)["counts"]) == (
        0, {"errors": 0, "warnings": 2, "suppressed": 0})
    # ...and today, when every award written, never reviewed, is overdue for review.
    today = json.loads(invoke(cli, "check", "--data", str(data), "--format", "json").stdout)
    assert today["counts"] == {"errors": 0, "warnings": 13, "suppressed": 0}
    assert sum(p["rule"] == "review-overdue" for p in today["problems"]) == 11

    again = invoke(cli, "round", "YCYC-2018", "--data", str(data), "--write")
    assert (again.exit_code, again.stdout) == (0, "")
    assert again.stderr == (
        "pcc-ledger: nothing to write: every winner of round YCYC-2018 has its commitment\n")


def test_write_needs_the_grant_details_its_fund_requires(cli: CliRunner, data: Path) -> None:
    (data / AWARDS).unlink()
    round_file = data / "allocations" / "2018-19" / "ycyc-round.yaml"
    text = round_file.read_text("utf-8")
    start = text.index("    purpose: ")
    round_file.write_text(text[:start] + text[text.index("    projects:"):], "utf-8")
    result = invoke(cli, "round", "YCYC-2018", "--data", str(data), "--write")
    assert result.exit_code == 1
    assert "round YCYC-2018 has no `purpose`, `reasons`, `conditions`, which fund " \
        "your-community-your-choice requires of each grant (grant_details_required); add them " \
        "to the round, and `round --write` copies them into each award [grant-details-missing]" \
        in result.stderr
    assert not (data / AWARDS).exists()


def test_write_never_replaces_a_file(cli: CliRunner, data: Path) -> None:
    kept = "commitments: []\n# mine\n"
    (data / AWARDS).write_text(kept, "utf-8")
    result = invoke(cli, "round", "YCYC-2018", "--data", str(data), "--write")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"pcc-ledger: error: {data.as_posix()}/{AWARDS.as_posix()}"
                                    " exists already; the winners without a commitment are "
                                    "YCYC-2018-P04, YCYC-2018-P16, ")
    assert (data / AWARDS).read_text("utf-8") == kept


def test_an_award_whose_id_is_taken_gets_the_rounds_id_before_it(cli: CliRunner,
                                                                 data: Path) -> None:
    (data / AWARDS).unlink()
    # Another commitment already has the id the winner's award would take.
    write(data / "allocations" / "2018-19" / "other.yaml", """
        commitments:
          - id: YCYC-2018-P06
            fund: pact-community-grants
            year: 2018/19
            recipient: {name: Example Group, type: community-group}
            title: An award that took the id
            objective: partnerships
            amount: 100
            status: proposed
        """)
    result = invoke(cli, "round", "YCYC-2018", "--data", str(data), "--write")
    assert result.exit_code == 0, result.stderr
    written = yaml.load((data / AWARDS).read_text("utf-8"), Loader=yaml.BaseLoader)
    ids = {c["project"]: c["id"] for c in written["commitments"]}
    assert (ids["YCYC-2018-P06"], ids["YCYC-2018-P04"]) == ("YCYC-2018-YCYC-2018-P06",
                                                           "YCYC-2018-P04")
    assert invoke(cli, "check", "--data", str(data)).exit_code == 0


def test_written_text_reads_back_as_it_was_meant(cli: CliRunner, data: Path) -> None:
    """Titles and names YAML would read otherwise (a colon, a comment sign, a comma in a flow
    mapping, `yes`, quotes, a leading dash) are quoted; everything else is left plain."""
    (data / AWARDS).unlink()
    round_file = data / "allocations" / "2018-19" / "ycyc-round.yaml"
    text = round_file.read_text("utf-8")
    odd = {"Safer routes to school in Bangor": '"Routes: safer, #1 for \\"schools\\""',
           "Example Bangor Parents' Association": '"Parents, Bangor"',
           "Evening sessions at the town centre youth hub": '"yes"',
           "Youth outreach on the seafront in the summer": '"- outreach"'}
    for plain, quoted in odd.items():
        text = text.replace(plain, quoted)
    round_file.write_text(text, "utf-8")
    assert invoke(cli, "round", "YCYC-2018", "--data", str(data), "--write").exit_code == 0
    written = yaml.load((data / AWARDS).read_text("utf-8"), Loader=yaml.BaseLoader)["commitments"]
    assert [c["title"] for c in written[:3]] == ['Routes: safer, #1 for "schools"', "yes",
                                                  "- outreach"]
    assert written[0]["recipient"]["name"] == "Parents, Bangor"
    loaded = load(str(data))
    titles = {e.commitment.id: e.commitment.title for e in loaded.entries}
    assert titles["YCYC-2018-P04"] == 'Routes: safer, #1 for "schools"'
    assert invoke(cli, "check", "--data", str(data)).exit_code == 0


def test_the_page_lists_each_rounds_votes_and_never_a_ballot(cli: CliRunner, data: Path,
                                                              tmp_path: Path) -> None:
    ballots = _name_ballots(data)
    projects = yaml.safe_load(ballots.with_name("ycyc-round.yaml").read_text("utf-8"))[
        "rounds"][0]["projects"]
    voters = [(f"secret-voter-{p['id']}-{n}", p["id"]) for p in projects
              for n in range(sum(p["votes"].values()))]
    lines = ["META", "key;value", f"num_projects;{len(projects)}", f"num_votes;{len(voters)}",
             "budget;62000", "vote_type;approval", "PROJECTS", "project_id;cost",
             *(f"{p['id']};{p['amount']}" for p in projects), "VOTES", "voter_id;vote",
             *(f"{voter};{project}" for voter, project in voters)]
    ballots.write_text("\n".join(lines) + "\n", "utf-8")
    assert invoke(cli, "check", "--data", str(data)).exit_code == 0
    site = tmp_path / "site"
    assert invoke(cli, "publish", str(site), "--data", str(data)).exit_code == 0
    published = "".join(p.read_text("utf-8") for p in site.rglob("*") if p.is_file())
    assert "secret-voter" not in published and "ycyc-2018.pb" not in published
    html = (site / "index.html").read_text("utf-8")
    assert ('<tr><th scope="row">Safer routes to school in Bangor</th><td data-label="Area">'
            'Gwynedd</td><td class="money" data-label="Votes">689</td><td class="money" '
            'data-label="Amount">£6,500.00</td><td data-label="Funded">Yes</td></tr>') in html
    assert ('<tr><th scope="row">All 18 projects</th><td data-label="Area"></td><td '
            'class="money" data-label="Votes">6,563</td><td class="money" data-label="Amount">'
            '£77,750.00</td><td data-label="Funded"></td></tr>\n<tr><th scope="row">Funded</th>'
            '<td data-label="Area"></td><td class="money" data-label="Votes"></td><td '
            'class="money" data-label="Amount">£57,350.00</td><td data-label="Funded">11 '
            'projects</td></tr>') in html
    assert ("The 2 most-voted projects of each area were funded in order of votes while the "
            "budget of £62,000.00 lasted.") in html


def test_the_cache_keeps_rounds_and_always_reads_the_ballots(
        data: Path, private_cache: Path, reads: list[str]) -> None:
    from pcc_ledger.cache import FileCache

    ballots = _name_ballots(data)
    ballots.write_text("META\nkey;value\n", "utf-8")
    for path in data.rglob("*.yaml"):
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - 3600 * 10**9))
    cold = load(str(data), cache=FileCache(private_cache, True))
    reads.clear()
    warm = load(str(data), cache=FileCache(private_cache, True))
    assert reads == ["funds.yaml"]  # the round's file came from the cache
    assert [e.round for e in warm.rounds] == [e.round for e in cold.rounds]
    assert len(warm.rounds) == 1 and len(warm.rounds[0].round.projects) == 18
    rules = [p.rule for p in warm.problems]
    assert rules.count("ballots-invalid") == 2  # read again, though its round came from the cache
    ballots.unlink()
    gone = check_directory(str(data), warm.ledger.settled if warm.ledger else None,  # type: ignore[arg-type]
                           cache=FileCache(private_cache, True))
    assert [p.rule for p in gone.problems if p.rule.startswith("ballots")] == [
        "ballots-unreadable"]


# --- what a review found, each kept found -----------------------------------------------------

SMALL_FUNDS = """
    organisation: {name: Test Office, publisher_prefix: 360G-test}
    objectives: {partnerships: Build effective partnerships}
    funds:
      ycyc:
        name: Your Community, Your Choice
        workstream: community-focused
        rules: {max_awards: 3}
        allocations:
          2017/18:
            amount: 10000
            basis: test
            ring_fences:
              youth: {name: Youth, amount: 4000}
    """


def _small(tmp_path: Path, round_text: str, more: str = "") -> Path:
    root = tmp_path / "data"
    write(root / "funds.yaml", SMALL_FUNDS)
    write(root / "allocations" / "round.yaml",
          textwrap.dedent(round_text) + textwrap.dedent(more))
    return root


ROUND = """
    rounds:
      - id: R1
        fund: ycyc
        year: 2017/18
        date: 2017-07-01
        objective: partnerships
        method: greedy
        projects:
          - {id: A1, title: "Line\\u2028two", area: Conwy, amount: 3000, votes: 30,
             recipient: {name: A, type: community-group}}
          - {id: A2, title: Two, area: Conwy, amount: 2000, votes: 20,
             recipient: {name: B, type: community-group}}
          - {id: A3, title: Three, area: Conwy, amount: 2000, votes: 10,
             recipient: {name: C, type: community-group}}
    """


def test_write_escapes_what_the_reader_refuses(cli: CliRunner, tmp_path: Path) -> None:
    root = _small(tmp_path, ROUND)
    result = invoke(cli, "round", "R1", "--data", str(root), "--write")
    assert result.exit_code == 0, result.stderr
    text = (root / "allocations" / "2017-18" / "r1-awards.yaml").read_text("utf-8")
    assert '    title: "Line\\u2028two"\n' in text and "\u2028" not in text
    assert invoke(cli, "check", "--data", str(root)).exit_code == 0


def test_write_refuses_an_award_with_no_objective(cli: CliRunner, tmp_path: Path) -> None:
    root = _small(tmp_path, ROUND.replace("        objective: partnerships\n", ""))
    result = invoke(cli, "round", "R1", "--data", str(root), "--write")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "".join(
        f"pcc-ledger: error: project {project} has no objective, nor has its round; add "
        "`objective:` to the round (or to the project) [missing-key]\n" for project in ("A1", "A2")
    ) + "pcc-ledger: nothing written: the awards would bring in 2 errors\n"
    assert not (root / "allocations" / "2017-18").exists()


def test_the_budget_and_the_awards_allowed_leave_out_the_ring_fences(cli: CliRunner,
                                                                     tmp_path: Path) -> None:
    fenced = """
    commitments:
      - {id: Y1, fund: ycyc, year: 2017/18, ring_fence: youth, title: Youth, amount: 4000,
         recipient: {name: Y, type: community-group}, objective: partnerships,
         status: approved, approved: 2017-05-01}
    transfers:
      - {id: V1, date: 2017-06-01, amount: 1000, from: {fund: ycyc, year: 2017/18},
         to: {fund: ycyc, year: 2017/18, ring_fence: youth}}
    """
    root = _small(tmp_path, ROUND, fenced)
    report = json.loads(invoke(cli, "round", "R1", "--data", str(root), "--format",
                               "json").stdout)["sections"]["round"]
    assert [(r["project"], r["funded"], r["reason"]) for r in report["rows"]] == [
        ("A1", "yes", ""), ("A2", "yes", ""),
        ("A3", "no", "the 2 awards allowed were made")]
    assert report["notes"][0] == (
        "Budget: £5,000.00, the revised 2017/18 allocation of ycyc on 2017-07-01, outside its "
        "ring-fences (£6,000.00 allocated, £1,000.00 transferred out).")
    assert report["notes"][-1] == ("At most 3 awards (the fund's max_awards), less the 1 made "
                                   "from the year's ring-fences.")


@pytest.mark.parametrize(("named", "said"), [
    ("loop.pb", "cannot find the ballots file `loop.pb`: a loop of symbolic links; name the .pb "
                "file beside the round's file"),
    ("x" * 300 + ".pb", None),
])
def test_a_ballots_path_that_cannot_be_looked_at_is_a_problem(
        cli: CliRunner, tmp_path: Path, named: str, said: str | None) -> None:
    root = _small(tmp_path, ROUND.replace("method: greedy",
                                          f"method: greedy\n        ballots: {named}"))
    if named == "loop.pb":
        (root / "allocations" / "loop.pb").symlink_to("loop.pb")
    result = invoke(cli, "check", "--data", str(root), "--format", "json", "--as-of",
                    "2017-09-30")
    assert result.exit_code == 1
    # (The link that loops is also an entry of the data directory that cannot be read.)
    problems = [p for p in json.loads(result.stdout)["problems"]
                if p["rule"] != "file-unreadable"]
    assert [(p["line"], p["rule"]) for p in problems] == [(8, "ballots-unreadable")]
    if said is not None:
        assert problems[0]["message"] == said
    else:
        assert problems[0]["message"].startswith("cannot read the ballots file ")


def test_ballots_of_another_round_stop_the_round_being_counted(cli: CliRunner,
                                                               tmp_path: Path) -> None:
    root = _small(tmp_path, ROUND.replace("method: greedy",
                                          "method: greedy\n        ballots: b.pb"))
    (root / "allocations" / "b.pb").write_text(
        "META\nkey;value\nnum_projects;3\nnum_votes;1\nbudget;6000\nvote_type;approval\n"
        "PROJECTS\nproject_id;cost\nA1;3000\nA2;2000\nA3;2000\nVOTES\nvoter_id;vote\n1;A1\n",
        "utf-8")
    check = json.loads(invoke(cli, "check", "--data", str(root), "--format", "json",
                              "--as-of", "2017-09-30").stdout)
    assert {p["rule"] for p in check["problems"]} == {"ballots-disagree"}  # no award demanded
    result = invoke(cli, "round", "R1", "--data", str(root))
    assert (result.exit_code, result.stdout) == (1, "")
    assert "round R1 cannot be counted until its errors are fixed" in result.stderr


def test_a_round_that_could_not_be_read_is_said_so(cli: CliRunner, tmp_path: Path) -> None:
    root = _small(tmp_path, ROUND.replace("method: greedy", "method: greedy\n        per_area: 0"))
    result = invoke(cli, "round", "R1", "--data", str(root))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("pcc-ledger: round R1 cannot be read; `pcc-ledger check` lists its "
                             "errors\n")


def test_two_projects_with_one_id_are_not_counted(cli: CliRunner, tmp_path: Path) -> None:
    root = _small(tmp_path, ROUND.replace("id: A3,", "id: A2,"))
    assert invoke(cli, "round", "R1", "--data", str(root)).exit_code == 1
    rules = {p["rule"] for p in json.loads(invoke(
        cli, "check", "--data", str(root), "--format", "json", "--as-of", "2017-09-30",
    ).stdout)["problems"]}
    assert rules == {"duplicate-id"}


def test_the_page_says_when_a_round_was_not_counted(cli: CliRunner, tmp_path: Path) -> None:
    award = """
    commitments:
      - {id: Y1, fund: ycyc, year: 2017/18, ring_fence: youth, title: Youth, amount: 4000,
         recipient: {name: Y, type: community-group}, objective: partnerships,
         status: approved, approved: 2017-05-01}
    """
    root = _small(tmp_path, ROUND.replace("method: greedy", "method: top-per-area"), award)
    site = tmp_path / "site"
    assert invoke(cli, "publish", str(site), "--data", str(root),
                  "--allow-problems").exit_code == 0
    html = (site / "index.html").read_text("utf-8")
    assert "Its result is not counted here until the errors in its data are corrected." in html
    assert "None" not in html and "not counted</td>" in html


def test_year_end_has_the_years_rounds(cli: CliRunner) -> None:
    result = invoke(cli, "year-end", "2018/19", "--data", str(SHIPPED_DATA), "--as-of",
                    "2019-05-01", "--format", "json")
    sections = json.loads(result.stdout)["sections"]
    assert list(sections)[7:10] == ["awards", "rounds", "open-commitments"]
    [row] = sections["rounds"]["rows"]
    assert (row["round"], row["funded"], row["won"], row["awarded"]) == (
        "YCYC-2018", 11, "57350.00", "57350.00")
    before = invoke(cli, "year-end", "2017/18", "--data", str(SHIPPED_DATA), "--format", "json")
    assert "rounds" not in json.loads(before.stdout)["sections"]


# --- what a second review found ---------------------------------------------------------------

def test_what_happens_after_the_result_never_changes_who_won(cli: CliRunner,
                                                             tmp_path: Path) -> None:
    """The budget and the awards allowed are as they stood on the day the result was declared:
    a transfer out, or a ring-fenced award, dated later leaves the winners as they were."""
    later = """
    commitments:
      - {id: LATER, fund: ycyc, year: 2017/18, ring_fence: youth, title: Youth, amount: 100,
         recipient: {name: Y, type: community-group}, objective: partnerships,
         status: approved, approved: 2017-12-01}
    transfers:
      - {id: OUT, date: 2017-12-01, amount: 5000, from: {fund: ycyc, year: 2017/18},
         to: {fund: ycyc, year: 2018/19}}
    """
    root = _small(tmp_path, ROUND.replace("date: 2017-07-01", "date: 2017-07-01\n        "
                                          "title: Before the transfer"), later)
    funds = (root / "funds.yaml").read_text("utf-8") + "      2018/19: {amount: 1, basis: t}\n"
    (root / "funds.yaml").write_text(funds, "utf-8")
    report = json.loads(invoke(cli, "round", "R1", "--data", str(root), "--format",
                               "json").stdout)["sections"]["round"]
    assert [(r["project"], r["funded"]) for r in report["rows"]] == [
        ("A1", "yes"), ("A2", "yes"), ("A3", "no")]
    assert report["notes"][0].startswith("Budget: £6,000.00, ")
    assert report["notes"][-1] == "At most 3 awards (the fund's max_awards)."


def test_a_round_not_yet_declared_on_the_day_has_no_result(cli: CliRunner) -> None:
    result = invoke(cli, "year-end", "2018/19", "--data", str(SHIPPED_DATA), "--as-of",
                    "2018-04-01", "--section", "rounds", "--format", "json")
    section = json.loads(result.stdout)["sections"]["rounds"]
    [row] = section["rows"]
    assert (row["funded"], row["budget"], row["won"], row["awarded"]) == (
        None, None, None, "0.00")
    assert section["notes"][-1] == "Not yet declared on 2018-04-01: YCYC-2018."
    other = invoke(cli, "year-end", "2017/18", "--data", str(SHIPPED_DATA), "--section",
                   "rounds")
    assert (other.exit_code, other.stderr) == (
        2, "pcc-ledger: error: --section: 2017/18 has no rounds\n")


def test_each_year_end_lists_its_own_rounds_only(cli: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "cases" / "rounds-ok", root / "allocations")
    (root / "allocations" / "funds.yaml").rename(root / "funds.yaml")
    for year, expected in (("2017/18", ["R-greedy"]), ("2019/20", ["R-shares"])):
        result = invoke(cli, "year-end", year, "--data", str(root), "--as-of", "2020-05-01",
                        "--section", "rounds", "--format", "json")
        rows = json.loads(result.stdout)["sections"]["rounds"]["rows"]
        assert [row["round"] for row in rows] == expected


def test_an_award_id_taken_twice_gets_a_number(cli: CliRunner, tmp_path: Path) -> None:
    taken = """
    commitments:
      - {id: A1, fund: ycyc, year: 2017/18, ring_fence: youth, title: Took A1, amount: 100,
         recipient: {name: Y, type: community-group}, objective: partnerships,
         status: proposed}
      - {id: R1-A1, fund: ycyc, year: 2017/18, ring_fence: youth, title: Took R1-A1, amount: 1,
         recipient: {name: Y, type: community-group}, objective: partnerships,
         status: proposed}
    """
    root = _small(tmp_path, ROUND, taken)
    assert invoke(cli, "round", "R1", "--data", str(root), "--write").exit_code == 0
    written = yaml.load((root / "allocations" / "2017-18" / "r1-awards.yaml").read_text("utf-8"),
                        Loader=yaml.BaseLoader)["commitments"]
    assert [c["id"] for c in written] == ["R1-A1-2", "A2"]
    assert invoke(cli, "check", "--data", str(root), "--as-of", "2017-09-30").exit_code == 0


def test_write_refuses_text_the_reader_would_refuse(cli: CliRunner, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The text is read back as `check` reads a file before it is written: were the writer to
    let a character through that the reader refuses, nothing would be written."""
    from pcc_ledger import awards

    monkeypatch.setattr(awards, "_ESCAPED", re.compile("(?!x)x"))  # escapes nothing
    root = _small(tmp_path, ROUND)
    result = invoke(cli, "round", "R1", "--data", str(root), "--write")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "[yaml-character]\npcc-ledger: nothing written: the awards would bring in 1 error\n" \
        in result.stderr
    assert not (root / "allocations" / "2017-18").exists()


def test_a_ballots_path_is_shown_with_its_dots_folded(cli: CliRunner, tmp_path: Path) -> None:
    root = _small(tmp_path, "")
    write(root / "allocations" / "sub" / "round.yaml", textwrap.dedent(ROUND).replace(
        "method: greedy", "method: greedy\n    ballots: ../b.pb"))
    (root / "allocations" / "round.yaml").unlink()
    (root / "allocations" / "b.pb").write_text("META\n", "utf-8")
    result = invoke(cli, "check", "--data", str(root), "--format", "json", "--as-of",
                    "2017-09-30")
    document = json.loads(result.stdout)
    assert {p["file"] for p in document["problems"]} == {f"{root}/allocations/b.pb"}
    assert document["files"] == 3  # funds.yaml, the round's file and its ballots
