"""Every report format but the Rich table, by name: one renderer per format."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..reports.table import Report
from .data import render_csv, render_json, render_tsv
from .markup import render_html, render_markdown
from .plain import render_plain

if TYPE_CHECKING:  # only the type: the renderers need not load the data's model
    from ..completeness import Incomplete

REPORT_FORMATS: dict[str, Callable[[list[Report], Incomplete | None], str]] = {
    "plain": render_plain,
    "markdown": render_markdown,
    "csv": render_csv,
    "tsv": render_tsv,
    "json": render_json,
    "html": render_html,
}
