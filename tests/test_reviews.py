"""The review stage (issue 13): outcomes and reviews on commitments, the `review-overdue`
setting, `pcc-ledger reviews`, the `reviews` section of `year-end`, the Stage column of
`commitments`, and findings that are never published. The rules' cases are in
fixtures/cases/reviews and reviews-ok."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from pcc_ledger import jsonschema_export
from pcc_ledger.reviewing import months_after

from .conftest import SHIPPED_DATA, invoke, write
from .test_schema_command import errors

FINDINGS = "Confidential finding about the provider"

FUNDS = """
organisation:
  name: Test Office
  publisher_prefix: 360G-TEST
objectives:
  prevent-crime: Prevent crime
  reduce-harm: Reduce harm
checks:
  unspent-allocation: off
  review-due-months: {months}
funds:
  grants:
    name: Test grants
    workstream: victims
    allocations:
      2017/18: {{amount: 100000, basis: test}}
      2018/19: {{amount: 100000, basis: test}}
  small:
    name: Small grants
    workstream: community-focused
    allocations:
      2017/18: {{amount: 1000, basis: test}}
"""

COMMITMENT = """
  - id: {id}
    fund: {fund}
    {years}
    recipient: {{name: Recipient {id}, type: charity}}
    title: Work {id}
    objective: {objective}
    status: {status}
    {approved}
    {payments}
    outcomes: [Fewer repeat victims]
    {reviews}
"""


def _commitment(id: str, fund: str = "grants", objective: str = "reduce-harm",
                status: str = "approved", years: str = "year: 2017/18\n    amount: 100",
                paid: bool = False, reviews: str = "") -> str:
    return COMMITMENT.format(
        id=id, fund=fund, objective=objective, status=status, years=years,
        approved="approved: 2017-05-01" if status == "approved" else "",
        payments="payments: [{date: 2017-06-01, amount: 100}]" if paid else "",
        reviews=f"reviews: [{reviews}]" if reviews else "")


def _review(day: str, result: str) -> str:
    return f"{{date: {day}, result: {result}, findings: {FINDINGS}}}"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """Seven commitments: met, partly met and not met (its latest review), one reviewed only in
    2019, one not reviewed (2017/18: due 2018-09-30), one over two years (due 2019-09-30), one
    proposed, and a small grant paid in full and not reviewed."""
    root = tmp_path / "data"
    write(root / "funds.yaml", FUNDS.format(months=6))
    commitments = [
        _commitment("A-1", reviews=_review("2018-05-01", "met")),
        _commitment("A-2", reviews=_review("2018-05-01", "met") + ", "
                    + _review("2018-06-01", "partly-met")),
        _commitment("A-3", objective="prevent-crime", reviews=_review("2018-05-01", "not-met")),
        _commitment("A-4", reviews=_review("2019-01-15", "met")),
        _commitment("A-5"),
        _commitment("A-6", years="years: {2017/18: 50, 2018/19: 50}"),
        _commitment("A-7", status="proposed"),
        _commitment("S-1", fund="small", objective="prevent-crime", paid=True),
    ]
    write(root / "allocations" / "a.yaml", "commitments:\n" + "".join(commitments))
    return root


def _json(cli: CliRunner, *args: str) -> dict[str, Any]:
    result = invoke(cli, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    sections: dict[str, Any] = json.loads(result.stdout)["sections"]
    return sections


COUNTS = ("approved", "reviewed", "met", "partly_met", "not_met", "overdue", "not_yet_due")


def _counts(rows: list[dict[str, Any]]) -> dict[tuple[str, str], tuple[int, ...]]:
    return {(row["objective"], row["fund"]): tuple(row[key] for key in COUNTS) for row in rows}


def test_the_reviews_report_counts_each_objective_and_fund(cli: CliRunner, data: Path) -> None:
    sections = _json(cli, "reviews", "--data", str(data), "--as-of", "2018-10-31")
    table = sections["reviews"]
    assert _counts(table["rows"]) == {
        ("prevent-crime", ""): (2, 1, 0, 0, 1, 1, 0),
        ("prevent-crime", "grants"): (1, 1, 0, 0, 1, 0, 0),
        ("prevent-crime", "small"): (1, 0, 0, 0, 0, 1, 0),
        ("reduce-harm", ""): (5, 2, 1, 1, 0, 2, 1),
        ("reduce-harm", "grants"): (5, 2, 1, 1, 0, 2, 1),
    }
    assert _counts(table["totals"]) == {("Total", ""): (7, 3, 1, 1, 1, 3, 1)}
    assert sections["reviews-overdue"]["rows"] == [
        {"id": "A-4", "fund": "grants", "years": "2017/18", "recipient": "Recipient A-4",
         "due": "2018-09-30"},
        {"id": "A-5", "fund": "grants", "years": "2017/18", "recipient": "Recipient A-5",
         "due": "2018-09-30"},
        {"id": "S-1", "fund": "small", "years": "2017/18", "recipient": "Recipient S-1",
         "due": "2018-09-30"},
    ]


def test_reviews_later_years_and_the_day_judged_on(cli: CliRunner, data: Path) -> None:
    # On the due day itself nothing is overdue yet; in 2020 A-4 has its review and A-6, charged
    # to 2018/19 as well, is overdue since 2019-09-30.
    on_due_day = _json(cli, "reviews", "--data", str(data), "--as-of", "2018-09-30")
    assert on_due_day["reviews"]["totals"][0]["overdue"] == 0
    assert on_due_day["reviews-overdue"]["rows"] == []
    later = _json(cli, "reviews", "--data", str(data), "--as-of", "2020-01-01")
    assert [row["id"] for row in later["reviews-overdue"]["rows"]] == ["A-5", "S-1", "A-6"]
    assert later["reviews-overdue"]["rows"][2]["years"] == "2017/18 to 2018/19"
    assert later["reviews-overdue"]["rows"][2]["due"] == "2019-09-30"
    # --year: the commitments charged to it; --fund: one fund's.
    year = _json(cli, "reviews", "--data", str(data), "--as-of", "2020-01-01",
                 "--year", "2018/19")
    assert _counts(year["reviews"]["totals"]) == {("Total", ""): (1, 0, 0, 0, 0, 1, 0)}
    small = _json(cli, "reviews", "--data", str(data), "--as-of", "2020-01-01",
                  "--fund", "small")
    assert [row["id"] for row in small["reviews-overdue"]["rows"]] == ["S-1"]


def test_the_time_allowed_is_the_data_s_setting(cli: CliRunner, data: Path) -> None:
    write(data / "funds.yaml", FUNDS.format(months=0))
    sections = _json(cli, "reviews", "--data", str(data), "--as-of", "2018-06-15")
    assert sections["reviews"]["totals"][0]["overdue"] == 3
    assert {row["due"] for row in sections["reviews-overdue"]["rows"]} == {"2018-03-31"}
    assert "due 0 months after" in sections["reviews"]["notes"][-1]
    result = invoke(cli, "check", "--data", str(data), "--as-of", "2018-06-15",
                    "--format", "json")
    overdue = [p for p in json.loads(result.stdout)["problems"] if p["rule"] == "review-overdue"]
    assert len(overdue) == 3 and all(p["severity"] == "warning" for p in overdue)
    assert "due for review by 2018-03-31 (0 months later" in overdue[0]["message"]


def test_a_fund_or_year_the_data_does_not_have_is_a_usage_error(cli: CliRunner,
                                                                data: Path) -> None:
    assert invoke(cli, "reviews", "--data", str(data), "--fund", "nope").exit_code == 2
    assert invoke(cli, "reviews", "--data", str(data), "--year", "2030/31").exit_code == 2


def test_year_end_has_a_reviews_section(cli: CliRunner, data: Path) -> None:
    sections = _json(cli, "year-end", "2017/18", "--data", str(data), "--as-of", "2018-10-31",
                     "--section", "reviews")
    assert list(sections) == ["reviews"]
    table = sections["reviews"]
    assert table["title"] == "Reviews 2017/18"
    assert _counts(table["totals"]) == {("Total", ""): (7, 3, 1, 1, 1, 3, 1)}
    assert table["notes"][-1] == ("Overdue: A-4 (due 2018-09-30), A-5 (due 2018-09-30), "
                                  "S-1 (due 2018-09-30).")
    everything = _json(cli, "year-end", "2017/18", "--data", str(data), "--as-of", "2018-10-31")
    assert list(everything)[-2:] == ["reviews", "problems"]


def test_the_commitments_listing_shows_each_stage(cli: CliRunner, data: Path) -> None:
    cancelled = _commitment("A-8", status="cancelled")
    path = data / "allocations" / "a.yaml"
    path.write_text(path.read_text("utf-8") + cancelled, "utf-8")
    rows = _json(cli, "commitments", "--data", str(data))["commitments"]["rows"]
    stages = {row["id"]: row["stage"] for row in rows}
    assert stages == {"A-1": "reviewed", "A-2": "reviewed", "A-3": "reviewed",
                      "A-4": "reviewed", "A-5": "approved", "A-6": "approved",
                      "A-7": "proposed", "A-8": "cancelled", "S-1": "paid"}
    # As on a day before A-4's review and S-1's payment.
    before = _json(cli, "commitments", "--data", str(data), "--as-of", "2017-05-15")
    stages = {row["id"]: row["stage"] for row in before["commitments"]["rows"]}
    assert stages["A-4"] == "approved" and stages["S-1"] == "approved"


@pytest.mark.parametrize(("written", "message"), [
    ("six", "`six` is not a number of months for review-due-months; write a whole number from "
            "0 to 120, such as 6"),
    ("-1", "`-1` is not a number of months for review-due-months"),
    ("121", "`121` is not a number of months for review-due-months"),
    ("2.5", "`2.5` is not a number of months for review-due-months"),
    ("true", "`true` is not a number of months for review-due-months"),
    ("", "nothing is not a number of months for review-due-months"),
])
def test_a_bad_review_due_months_is_a_check_setting_error(
        cli: CliRunner, data: Path, written: str, message: str) -> None:
    write(data / "funds.yaml", FUNDS.format(months=written))
    result = invoke(cli, "check", "--data", str(data), "--as-of", "2018-10-31",
                    "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    setting = [p for p in problems if p["rule"] == "check-setting"]
    assert len(setting) == 1 and setting[0]["message"].startswith(message)
    assert setting[0]["file"].endswith("funds.yaml") and setting[0]["line"] == 9
    # The default, six months, applies meanwhile.
    overdue = [p for p in problems if p["rule"] == "review-overdue"]
    assert len(overdue) == 3 and "2018-09-30" in overdue[0]["message"]


def test_the_funds_schema_takes_review_due_months(tmp_path: Path) -> None:
    checker = Draft202012Validator(jsonschema_export.schema("funds"))
    for months, valid in (("6", True), ("0", True), ("121", False), ('"six"', False)):
        path = write(tmp_path / "funds.yaml", FUNDS.format(months=months))
        assert (errors(checker, path) == []) is valid, months


def test_months_after_keeps_to_the_end_of_a_month() -> None:
    assert months_after(date(2018, 3, 31), 6) == date(2018, 9, 30)
    assert months_after(date(2019, 3, 31), 11) == date(2020, 2, 29)
    assert months_after(date(2018, 3, 31), 0) == date(2018, 3, 31)
    assert months_after(date(2018, 3, 15), 1) == date(2018, 4, 15)


def test_findings_are_never_published_nor_shown(cli: CliRunner, data: Path,
                                                tmp_path: Path) -> None:
    assert FINDINGS in (data / "allocations" / "a.yaml").read_text("utf-8")
    site = tmp_path / "site"
    assert invoke(cli, "publish", str(site), "--data", str(data)).exit_code == 0
    published = [path.read_text("utf-8") for path in site.rglob("*") if path.is_file()]
    assert {path.name for path in site.iterdir()} >= {"index.html", "360giving.json",
                                                     "360giving.csv"}
    assert (site / "cy" / "index.html").is_file()  # the Welsh page: read above too
    for command in (["reviews"], ["commitments"], ["year-end", "2017/18"]):
        for output in ("json", "plain"):
            result = invoke(cli, *command, "--data", str(data), "--format", output)
            published.append(result.stdout)
    for text in published:
        assert FINDINGS not in text and "Confidential" not in text


def test_the_shipped_data_has_no_review_overdue(cli: CliRunner) -> None:
    result = invoke(cli, "check", "--data", str(SHIPPED_DATA), "--format", "json")
    rules = {p["rule"] for p in json.loads(result.stdout)["problems"]}
    assert not rules & {"review-overdue", "review-before-approval", "review-not-approved"}
    sections = _json(cli, "reviews", "--data", str(SHIPPED_DATA), "--as-of", "2018-10-31")
    assert _counts(sections["reviews"]["totals"]) == {("Total", ""): (22, 9, 7, 2, 0, 2, 11)}
    assert [row["id"] for row in sections["reviews-overdue"]["rows"]] == [
        "YCYC-2017-001", "YCYC-2017-002"]
