"""The rule catalogue as a report, for `pcc-ledger rules`."""

from __future__ import annotations

from ..rules import RULES
from .table import Cell, Column, Report

RULES_COLUMNS = [Column("Rule"), Column("Severity"), Column("Kind"), Column("What it reports")]


def rules_report() -> Report:
    """The rule catalogue, from the same table the checks use."""
    rows: list[list[Cell]] = [
        [rule.id, rule.default, "fact" if rule.factual else "policy", rule.summary]
        for rule in RULES.values()
    ]
    return Report(
        "Rules",
        RULES_COLUMNS,
        rows,
        notes=[
            "Policy rules can be set to error, warning or off in the `checks:` section of "
            "funds.yaml; facts cannot. A rule shown as off reports nothing until switched on "
            "(`checks:` or `--enable`). `--strict` makes warnings fail `check`."
        ],
    )
