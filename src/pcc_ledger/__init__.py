"""pcc-ledger: a command-line budget ledger for the commissioning funds of a Police and Crime
Commissioner."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pcc-ledger")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
