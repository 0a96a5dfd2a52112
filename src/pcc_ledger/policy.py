"""Severities a team can tune: the `checks:` section of funds.yaml sets a policy rule to
`error`, `warning` or `off`, the way commitment-control systems offer "prevent" or "warn only".
Facts (syntax, schema, references, duplicates) keep their severity whatever is written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .problems import Problem, Severity
from .rules import RULES


def apply(problems: list[Problem], settings: Mapping[str, str]) -> list[Problem]:
    tuned = []
    for problem in problems:
        rule = RULES[problem.rule]
        setting = None if rule.factual else settings.get(problem.rule)
        if setting == "off":
            continue
        if setting is not None:
            problem = replace(problem, severity=Severity(setting))
        tuned.append(problem)
    return tuned


def fails(problems: list[Problem], strict: bool) -> bool:
    """Errors fail a run; with --strict, warnings do too."""
    return any(p.severity is Severity.ERROR or strict for p in problems)
