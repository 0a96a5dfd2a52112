"""The data's own `checks:` settings must name a rule, and only a policy rule."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..ledger import Ledger
from ..problems import Problem
from ..rules import RULES, make_problem


def check(ledger: Ledger) -> Iterator[Problem]:
    for rule_id in ledger.funds.checks:
        where = ledger.funds_document.at(("checks", rule_id), key=True)
        rule = RULES.get(rule_id)
        if rule is None:
            guess = difflib.get_close_matches(rule_id, list(RULES), n=1)
            hint = f"did you mean `{guess[0]}`?" if guess else "`pcc-ledger rules` lists them"
            yield make_problem("check-setting", where, f"no rule `{rule_id}`; {hint}")
        elif rule.factual:
            yield make_problem(
                "check-setting",
                where,
                f"`{rule_id}` reports a fact about the data, which cannot be tuned; only "
                "policy rules can be set to error, warning or off",
            )
