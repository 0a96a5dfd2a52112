"""Exports of one Ledger: a spreadsheet, and journals for beancount and hledger. Each builds the
file's content in memory; the CLI writes it with atomic.write_atomically."""
