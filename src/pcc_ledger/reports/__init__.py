"""The reports: each a function from the Ledger to `Report`s, which the renderers print."""

from .catalogue import rules_report
from .listings import (
    CommitmentFilter,
    PaymentFilter,
    commitments_report,
    funds_report,
    payments_report,
    transfers_report,
)
from .profile import profile_report
from .summary import reserves_report, summary_report
from .table import Cell, Column, Kind, Report
from .yearend import year_end_report
from .years import years_report

__all__ = [
    "Cell",
    "Column",
    "CommitmentFilter",
    "PaymentFilter",
    "Kind",
    "Report",
    "commitments_report",
    "funds_report",
    "payments_report",
    "profile_report",
    "reserves_report",
    "rules_report",
    "summary_report",
    "transfers_report",
    "year_end_report",
    "years_report",
]
