"""The console script's front door: `pcc-ledger --version` is answered here, before the
command-line framework is imported (Typer and what it brings cost more than a tenth of a second
to import, for a line of text); everything else goes to the CLI."""

from __future__ import annotations

import sys
from typing import NoReturn


def cannot_write(error: OSError) -> NoReturn:
    """Standard output is full, or gone: said on stderr, exit 1 (the CLI's too)."""
    sys.stderr.write(f"pcc-ledger: error: cannot write the output: {error.strerror or error}\n")
    sys.exit(1)


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from . import __version__

        try:
            sys.stdout.write(f"pcc-ledger {__version__}\n")
            sys.stdout.flush()
        except BrokenPipeError:  # `pcc-ledger -V | head -0`: as the CLI, no traceback
            sys.exit(141)
        except OSError as error:
            cannot_write(error)
        return
    from .cli import main as run_cli

    run_cli()
