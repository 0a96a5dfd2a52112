"""The sections of `year-end`, by the key `--section` takes (and json's object of sections):
apart from the report itself, so that the command's help can list them without loading it."""

SECTIONS = ("workstreams", "funds", "transfers", "reserves", "objectives", "recipient-types",
            "categories", "awards", "rounds", "open-commitments", "reviews", "problems")
