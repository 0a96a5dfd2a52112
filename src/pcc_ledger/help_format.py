"""Help that reads the same on every Typer the project allows (0.12 on click, and the newer ones
that carry their own copy of click).

Newer Typers show a type after every option, so a flag reads `--strict <bool>`, and put a
required argument in braces on the usage line, `year-end [OPTIONS] {FY}`. The classes here
give every flag (the automatic --help too) an empty metavar, so no type shows beside it, and
take the braces off the usage line. They also drop the `[default: None]` that Typer 0.12
prints for an argument or option that has no default.

The click objects are typed as Any: they are click's on Typer 0.12 and Typer's own copy on
newer ones, which no single annotation covers.
"""

from __future__ import annotations

import re
from typing import Any

from typer.core import TyperCommand, TyperGroup

_BRACED = re.compile(r"\{([^{}]+)\}((?:\.\.\.)?)")


def _unbraced(piece: str) -> str:
    """`{FY}` -> `FY`, `{FILE}...` -> `FILE...`; anything else as it is."""
    found = _BRACED.fullmatch(piece)
    return f"{found[1]}{found[2]}" if found else piece


def _usage(pieces: list[str], params: list[Any]) -> list[str]:
    """The usage line's pieces without braces, and an optional argument in brackets on every
    Typer (the older ones write `check [OPTIONS] DIR` for an argument that may be left out)."""
    optional = {param.metavar for param in params
                if getattr(param, "param_type_name", "") == "argument" and not param.required
                and param.metavar}
    unbraced = [_unbraced(piece) for piece in pieces]
    return [f"[{piece}]" if piece in optional else piece for piece in unbraced]


def _tidied(params: list[Any]) -> list[Any]:
    for param in params:
        if getattr(param, "is_flag", False):
            param.metavar = ""
        if param.default is None and getattr(param, "show_default", None) is True:
            param.show_default = False
    return params


class LedgerCommand(TyperCommand):
    """A command whose help shows no type beside a flag and no braces in its usage line."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _tidied(super().get_params(ctx))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _usage(super().collect_usage_pieces(ctx), self.get_params(ctx))


class LedgerGroup(TyperGroup):
    """A group of commands with the same help as LedgerCommand."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _tidied(super().get_params(ctx))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _usage(super().collect_usage_pieces(ctx), self.get_params(ctx))
