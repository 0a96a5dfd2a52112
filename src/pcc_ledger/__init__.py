"""pcc-ledger: a command-line budget ledger for the commissioning funds of a Police and Crime
Commissioner."""

__version__ = "0.1.0"
