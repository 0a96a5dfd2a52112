"""Text that pcc-ledger writes out as files (read with importlib.resources)."""
