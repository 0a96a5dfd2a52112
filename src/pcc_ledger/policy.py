"""Severities a team can tune: the `checks:` section of funds.yaml sets a policy rule to
`error`, `warning` or `off`, the way commitment-control systems offer "prevent" or "warn only".
Facts (syntax, schema, references, duplicates) keep their severity whatever is written. A rule
that is off by default (`default_off`, such as welsh-text-missing) reports only once a setting
or `--enable` switches it on."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from .problems import Problem, Severity
from .rules import RULES, make_problem
from .scalars import shown
from .yamlsource import Document

SETTINGS = ("error", "warning", "off")

# Settings in `checks:` that are a number, not a rule's severity: how many months after the end
# of the last year a commitment is charged to its review is due (`review-overdue`). The
# framework's review stage (4.1) sets no time; six months leaves room for the year's end-of-grant
# reports and comes before the next year's plan.
REVIEW_DUE_MONTHS = "review-due-months"
DEFAULT_REVIEW_DUE_MONTHS = 6
MAX_REVIEW_DUE_MONTHS = 120
NUMBERS = (REVIEW_DUE_MONTHS,)


def review_due_months(checks: Any) -> int:
    """The months after a commitment's last year charged by which it is to be reviewed: from
    the valid settings, or a raw `checks:` section (a bad value, reported by `check-setting`,
    leaves the default)."""
    value = checks.get(REVIEW_DUE_MONTHS) if isinstance(checks, Mapping) else None
    months = None if value is None else _months(value)
    return DEFAULT_REVIEW_DUE_MONTHS if months is None else months


def _months(value: Any) -> int | None:
    """A whole number of months from 0 to MAX_REVIEW_DUE_MONTHS, as YAML text or a number."""
    if isinstance(value, bool):
        return None
    text = str(value).strip() if isinstance(value, str | int) else ""
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_REVIEW_DUE_MONTHS:
        return None
    return int(text)


def read_settings(raw: Any, document: Document) -> tuple[dict[str, str], list[Problem]]:
    """The valid settings of a `checks:` section, and a problem for each invalid one."""
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [
            make_problem(
                "check-setting",
                document.at(("checks",)),
                "`checks` should be a mapping of rule ids to error, warning or off, such as "
                "`unspent-allocation: warning`",
            )
        ]
    problems = list(_setting_problems(raw, document))
    bad = {rule_id for rule_id, _ in _invalid(raw)}
    return {rule_id: str(_months(value)) if rule_id in NUMBERS else value
            for rule_id, value in raw.items() if rule_id not in bad}, problems


def _invalid(raw: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for rule_id, value in raw.items():
        rule = RULES.get(rule_id)
        if rule_id in NUMBERS:
            if _months(value) is None:
                written = "nothing" if value is None else f"`{shown(str(value))}`"
                yield rule_id, (f"{written} is not a number of months for {rule_id}; write a "
                                f"whole number from 0 to {MAX_REVIEW_DUE_MONTHS}, such as "
                                f"{DEFAULT_REVIEW_DUE_MONTHS}")
        elif rule is None:
            guess = difflib.get_close_matches(rule_id, [*RULES, *NUMBERS], n=1)
            hint = f"did you mean `{guess[0]}`?" if guess else "`pcc-ledger rules` lists them"
            yield rule_id, f"no rule `{shown(rule_id)}`; {hint}"
        elif rule.factual:
            yield rule_id, (
                f"`{rule_id}` reports a fact about the data, which cannot be tuned; only policy "
                "rules can be set to error, warning or off"
            )
        elif value not in SETTINGS:
            written = "nothing" if value is None else f"`{shown(str(value))}`"
            yield rule_id, f"{written} is not a setting for {rule_id}; write error, warning or off"


def _setting_problems(raw: dict[str, Any], document: Document) -> Iterator[Problem]:
    for rule_id, message in _invalid(raw):
        yield make_problem("check-setting", document.at(("checks", rule_id), key=True), message)


def from_command_line(disabled: list[str], enabled: list[str]) -> tuple[dict[str, str], list[str]]:
    """The settings `--disable RULE` and `--enable RULE` make (on top of funds.yaml's `checks:`):
    off, or back to the rule's default severity; and what is wrong with the rules named."""
    settings: dict[str, str] = {}
    errors = []
    for option, names, setting in (("--disable", disabled, "off"), ("--enable", enabled, None)):
        for name in names:
            rule = RULES.get(name)
            if rule is None:
                guess = difflib.get_close_matches(name, list(RULES), n=1)
                hint = f"did you mean `{guess[0]}`?" if guess else "`pcc-ledger rules` lists them"
                errors.append(f"{option}: no rule `{shown(name)}`; {hint}")
            elif rule.factual:
                errors.append(f"{option}: `{name}` reports a fact about the data, which is always "
                              "checked; only policy rules can be switched off or on")
            elif name in settings:
                errors.append(f"`{name}` is both disabled and enabled; name it once")
            else:
                settings[name] = setting or rule.severity.value
    return settings, errors


def setting_of(rule_id: str, settings: Mapping[str, str]) -> str | None:
    """A rule's setting: error, warning, off, or None for its default severity. A fact has
    none; a rule off by default is off until a setting names it."""
    rule = RULES[rule_id]
    if rule.factual:
        return None
    return settings.get(rule_id, "off" if rule.default_off else None)


def switched_off(settings: Mapping[str, str]) -> frozenset[str]:
    """The rules that report nothing under these settings (a check of only those need not
    run: welsh-text-missing, off by default, would otherwise look at every commitment)."""
    return frozenset(rule_id for rule_id in RULES if setting_of(rule_id, settings) == "off")


def apply(problems: list[Problem], settings: Mapping[str, str]) -> list[Problem]:
    tuned = []
    for problem in problems:
        setting = setting_of(problem.rule, settings)
        if setting == "off":
            continue
        if setting is not None:
            problem = replace(problem, severity=Severity(setting))
        tuned.append(problem)
    return tuned


def fails(problems: list[Problem], strict: bool) -> bool:
    """Errors fail a run; with --strict, warnings do too."""
    return any(p.severity is Severity.ERROR or strict for p in problems)
