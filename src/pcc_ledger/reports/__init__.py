"""The reports: each a function from the Ledger to `Report`s, which the renderers print."""

from .catalogue import rules_report
from .listings import CommitmentFilter, commitments_report, funds_report
from .summary import summary_report
from .table import Cell, Column, Kind, Report
from .yearend import year_end_report
from .years import years_report

__all__ = [
    "Cell",
    "Column",
    "CommitmentFilter",
    "Kind",
    "Report",
    "commitments_report",
    "funds_report",
    "rules_report",
    "summary_report",
    "year_end_report",
    "years_report",
]
