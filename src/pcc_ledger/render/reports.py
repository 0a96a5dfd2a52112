"""Every report format but the Rich table, by name: one renderer per format, imported when it
is asked for (a listing piped to a file need not load the markup or data renderers)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..reports.table import Report

if TYPE_CHECKING:  # only the type: the renderers need not load the data's model
    from ..completeness import Incomplete

Renderer = Callable[[list[Report], "Incomplete | None"], str]

# format -> (module of this package, function)
_RENDERERS = {
    "plain": ("plain", "render_plain"),
    "markdown": ("markup", "render_markdown"),
    "csv": ("data", "render_csv"),
    "tsv": ("data", "render_tsv"),
    "json": ("data", "render_json"),
    "html": ("markup", "render_html"),
}
REPORT_FORMATS = tuple(_RENDERERS)


def renderer(name: str) -> Renderer:
    """The renderer of format `name` (one of REPORT_FORMATS)."""
    module, function = _RENDERERS[name]
    found: Renderer = getattr(importlib.import_module(f".{module}", __package__), function)
    return found
