"""The reports: each a function from the Ledger to `Report`s, which the renderers print.

The names are loaded when first used (PEP 562), so that a command that prints no report (or
only needs `SECTIONS` for its help) does not import every report and the ledger behind them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_MODULES = {
    "rules_report": ".catalogue",
    "CommitmentFilter": ".listings",
    "PaymentFilter": ".listings",
    "commitments_report": ".listings",
    "funds_report": ".listings",
    "payments_report": ".listings",
    "transfers_report": ".listings",
    "profile_report": ".profile",
    "reserves_report": ".summary",
    "reviews_report": ".reviews",
    "round_report": ".rounds",
    "rounds_report": ".rounds",
    "summary_report": ".summary",
    "Cell": ".table",
    "Column": ".table",
    "Kind": ".table",
    "Report": ".table",
    "year_end_report": ".yearend",
    "years_report": ".years",
}

if TYPE_CHECKING:
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
    from .reviews import reviews_report
    from .rounds import round_report, rounds_report
    from .summary import reserves_report, summary_report
    from .table import Cell, Column, Kind, Report
    from .yearend import year_end_report
    from .years import years_report


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(importlib.import_module(_MODULES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Cell",
    "Column",
    "CommitmentFilter",
    "Kind",
    "PaymentFilter",
    "Report",
    "commitments_report",
    "funds_report",
    "payments_report",
    "profile_report",
    "reserves_report",
    "reviews_report",
    "round_report",
    "rounds_report",
    "rules_report",
    "summary_report",
    "transfers_report",
    "year_end_report",
    "years_report",
]
