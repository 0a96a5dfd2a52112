"""The files of a new data repository, as `pcc-ledger init` writes them (see datarepo.py).

Each is the file as it will read, with these words replaced: __YEAR__ (the financial year
the repository starts in, 2026/27), __FOLDER__ (the same as a folder name, 2026-27),
__START__ (its first calendar year, 2026), __VERSION__ (pcc-ledger's version) and
__INSTALL__ (what CI gives pip to install that pcc-ledger).
"""
