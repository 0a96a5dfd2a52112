"""The reports: each a function from the Ledger to `Report`s, which the renderers print."""

from .catalogue import rules_report
from .summary import summary_report
from .table import Cell, Column, Kind, Report

__all__ = ["Cell", "Column", "Kind", "Report", "rules_report", "summary_report"]
