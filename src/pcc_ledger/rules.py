"""The catalogue of rules: every problem pcc-ledger reports has one stable id listed here.

Checks say *what* is wrong and *where*; the default severity comes from this table, so a later
policy setting can change it in one place. Rule ids are public: CI configurations and
suppressions name them, so they are never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .problems import Location, Problem, Severity
from .scalars import FinancialYear


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    # Factual problems (the data cannot be read or means nothing) can never be switched off;
    # policy limits are the framework's rules, which a team may one day tune.
    factual: bool = True
    # A policy rule most ledgers do not want (a ledger not published in Welsh has no Welsh to
    # miss): off until `checks:` or `--enable` switches it on, at `severity`.
    default_off: bool = False

    @property
    def default(self) -> str:
        """What the rule is set to until `checks:` or the command line says otherwise."""
        return "off" if self.default_off else self.severity.value


_E, _W = Severity.ERROR, Severity.WARNING

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        Rule("file-unreadable", _E, "a data file that cannot be read"),
        Rule("internal-check-error", _E, "a check that failed with a bug (its problems are "
             "missing; please report it)"),
        Rule("folder-unreadable", _E, "a folder in the data directory that cannot be listed"),
        Rule("file-too-large", _E, "a data file over the size limit for one file"),
        Rule("file-binary", _E, "a binary file in the data directory"),
        Rule("file-encoding", _E, "a data file that is not UTF-8 text"),
        Rule("empty-file", _E, "a data file with no YAML data"),
        Rule("yaml-syntax", _E, "YAML that cannot be parsed"),
        Rule("yaml-character", _E, "a control character, or a line break editors do not show "
             "(U+0085, U+2028, U+2029)"),
        Rule("yaml-tag", _E, "an explicit YAML tag such as !!int or !!python/object"),
        Rule("yaml-merge-key", _E, "a YAML merge key (<<)"),
        Rule("yaml-complex-key", _E, "a list, mapping or alias used as a key"),
        Rule("yaml-nesting", _E, "values nested absurdly deep"),
        Rule("yaml-alias-limit", _E, "aliases that expand to too many values (an alias bomb)"),
        Rule("duplicate-key", _E, "the same key twice in one mapping"),
        Rule("unknown-key", _E, "a key the format does not have (often a typo)"),
        Rule("missing-key", _E, "a required key that is missing or empty"),
        Rule("invalid-amount", _E, "an amount that is not pounds with at most two decimals"),
        Rule("invalid-year", _E, "a financial year not written as 2017/18"),
        Rule("invalid-date", _E, "a date not written as YYYY-MM-DD, or no such day"),
        Rule("invalid-value", _E, "a value of the wrong kind or not among those allowed"),
        Rule("check-setting", _E, "a `checks:` setting naming no rule, or tuning a fact"),
        Rule("suppression-invalid", _E, "a suppression comment naming no rule, an unknown rule "
             "or a fact"),
        Rule("open-data-invalid", _E, "a grant that fails the 360Giving schema "
             "(export 360giving --validate)"),
        # 360Giving's Data Quality Tool, on what the export publishes (checks/opendata.py)
        Rule("open-data-zero-amount", _W, "a published grant of £0", factual=False),
        Rule("open-data-identifier", _W, "an organisation identifier from no recognised "
             "register, or a malformed charity or company number", factual=False),
        Rule("open-data-email", _W, "published text that looks like an email address",
             factual=False),
        Rule("open-data-award-date", _W, "a published grant's award date in the future or over "
             "25 years ago", factual=False),
        Rule("open-data-title", _W, "a published grant's title that is its description, or "
             "over 140 characters", factual=False),
        Rule("open-data-location", _W, "a published grant with no beneficiary location",
             factual=False),
        Rule("unknown-fund", _E, "a commitment naming a fund not in funds.yaml"),
        Rule("unknown-year", _E, "a commitment for a year its fund has no allocation for"),
        Rule("unknown-ring-fence", _E, "a commitment drawing on a ring-fence its allocation lacks"),
        Rule("unknown-reserve", _E, "a transfer naming a reserve not in funds.yaml"),
        Rule("unknown-objective", _E, "a commitment naming an objective not in funds.yaml"),
        Rule("approved-without-date", _E, "an approved commitment with no `approved:` date"),
        Rule("duplicate-id", _E, "two commitments or transfers with the same id"),
        Rule("transfer-unstated-allocation", _E, "a transfer to or from a fund-year with no "
             "stated allocation"),
        Rule("transfer-same-place", _E, "a transfer whose two ends are the same"),
        Rule("transfer-year-order", _E, "a carry-forward into an earlier year"),
        Rule("unknown-round", _E, "a commitment naming a round or project that does not exist, "
             "or a round of another fund or year"),
        Rule("round-unstated-allocation", _E, "a round of a fund-year with no stated "
             "allocation (no budget to share out)"),
        Rule("ballots-unreadable", _E, "a round's ballots file that is missing or cannot be "
             "read"),
        Rule("ballots-invalid", _E, "a ballots file that is not valid Pabulib (.pb)"),
        Rule("ballots-disagree", _E, "a ballots file whose projects, costs or vote counts are "
             "not the round's"),
        Rule("schedule-total", _E, "a payment schedule that does not add up to its commitment"),
        Rule("ring-fences-exceed-allocation", _E, "ring-fences that add up to more than "
             "their allocation"),
        Rule("payments-exceed-commitment", _E, "payments that add up to more than their "
             "commitment"),
        Rule("over-committed-allocation", _E, "approved commitments above a fund's allocation "
             "for the year", factual=False),
        Rule("over-committed-ring-fence", _E, "approved commitments above a ring-fence",
             factual=False),
        Rule("over-committed-unfenced", _E, "approved commitments above the unfenced part of "
             "an allocation", factual=False),
        Rule("award-above-maximum", _E, "a commitment above its fund's max_award",
             factual=False),
        Rule("too-many-awards", _E, "more approved commitments in a fund's year than its "
             "max_awards", factual=False),
        Rule("recipient-type-not-allowed", _E, "a recipient type outside its fund's "
             "recipient_types", factual=False),
        Rule("excluded-category", _E, "a service category in its fund's excluded_categories",
             factual=False),
        Rule("grant-details-missing", _E, "an approved grant of a fund with "
             "grant_details_required and no purpose, reasons or conditions", factual=False),
        Rule("round-award-not-winner", _E, "an approved commitment of a fund and year decided "
             "by a round that is not one of its winners", factual=False),
        Rule("round-winner-not-awarded", _E, "a winner of a round with no approved commitment",
             factual=False),
        Rule("round-amount-differs", _E, "an award of a round at another amount than the "
             "winning project's", factual=False),
        Rule("round-award-before-result", _E, "an award of a round approved before the round's "
             "result was declared", factual=False),
        Rule("approved-after-year-end", _E, "a commitment approved after its financial year "
             "ended", factual=False),
        Rule("payment-before-approval", _E, "a payment dated before its commitment was approved",
             factual=False),
        Rule("schedule-outside-years", _E, "a planned payment outside the years its commitment "
             "is charged to", factual=False),
        Rule("transfer-exceeds-available", _E, "a transfer larger than what its source had "
             "available on its date", factual=False),
        Rule("transfer-across-years", _E, "a transfer between funds in different years (not a "
             "carry-forward)", factual=False),
        Rule("carry-forward-before-year-end", _E, "a carry-forward dated before its source "
             "year ended", factual=False),
        Rule("transfer-from-ring-fence", _E, "money moved out of a ring-fence", factual=False),
        Rule("transfer-outside-year", _E, "a virement dated outside its year, or a "
             "carry-forward dated after the year it adds to", factual=False),
        Rule("reserve-below-zero", _E, "a reserve whose balance goes below zero",
             factual=False),
        Rule("transfer-between-sources", _W, "a transfer between funds of different sources",
             factual=False),
        Rule("future-funding", _W, "a multi-year commitment charged to a year its fund has no "
             "allocation for yet", factual=False),
        Rule("payment-not-approved", _E, "a payment on a proposed or cancelled commitment",
             factual=False),
        Rule("review-before-approval", _E, "a review dated before its commitment was "
             "approved", factual=False),
        Rule("review-not-approved", _E, "a review of a proposed or cancelled commitment",
             factual=False),
        Rule("review-overdue", _W, "an approved commitment not reviewed once the time set "
             "after its last year charged has passed", factual=False),
        Rule("unspent-ring-fence", _W, "a must_spend ring-fence not fully committed when its "
             "year has ended", factual=False),
        Rule("unspent-allocation", _W, "an allocation not fully committed when its year has "
             "ended", factual=False),
        Rule("stray-file", _W, "a YAML file in the data directory that is not read",
             factual=False),
        Rule("link-outside-data", _W, "a link to a folder outside the data directory, which is "
             "not followed", factual=False),
        Rule("suppression-unused", _W, "a suppression comment that ignores nothing",
             factual=False),
        Rule("allocation-change", _W, "an allocation more than ten times, or under a tenth of, "
             "the fund's previous one (a typo?)", factual=False),
        Rule("welsh-text-missing", _W, "published text of a fund, objective, reserve or approved "
             "commitment with no Welsh twin (`_cy`); a warning once switched on", factual=False,
             default_off=True),
    ]
}


def make_problem(
    rule_id: str, location: Location, message: str, year: FinancialYear | None = None
) -> Problem:
    """A problem with its rule's default severity. An unknown id is a bug, so it raises."""
    return Problem(location, rule_id, message, RULES[rule_id].severity, year)
