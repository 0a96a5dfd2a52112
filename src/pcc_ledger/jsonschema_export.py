"""JSON Schema (draft 2020-12) of the data files, made from the models that read them.

`pcc-ledger schema` writes it, for an editor (VS Code's YAML extension completes keys and ids
and underlines mistakes as they are typed) and for `check-jsonschema` in CI. Nothing here is a
second description of the format: the models in model.py give the keys and their types, the
scalar types in scalars.py their JSON forms and patterns, and what follows only adapts that
to how those tools read YAML, and adds what the loader checks beyond the models.

How the tools read YAML (1.2, as ruamel.yaml and VS Code do) differs from pcc-ledger, which
reads every scalar as its text: `56442` arrives as a number, `true` as a boolean, `56,442` and
`2017/18` as text. check-jsonschema 0.39 hands a date over as the text written (it turns
ruamel's timestamps off), as VS Code does; so a date is a pattern on text. Mapping keys are
always text.

What JSON Schema cannot see is left to `pcc-ledger check`: `1e3`, `0x1F` or `+5` where an
amount or count is wanted arrive as plain numbers; ids that exist are listed only with
--data; and nothing here checks sums, dates against years, or anything across records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field
from pydantic.json_schema import JsonSchemaValue, models_json_schema

from . import datadir, model
from .datadir import ENV_DATA, FUNDS_FILE, NoData
from .problems import Problem
from .schema_errors import _PATTERN_HINTS
from .textsafety import shown_path

DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("funds", "commitments")


class CommitmentsFile(model.CommitmentsFile):
    """A file below allocations/: commitments, transfers between funds, years and reserves,
    and participatory-budgeting rounds."""

    # The loader validates these one record at a time (model.CommitmentsFile takes them as
    # they come); a schema describes each record as the loader then reads it.
    commitments: list[model.CommitmentInput] = Field(default_factory=list)
    transfers: list[model.Transfer] = Field(default_factory=list)
    rounds: list[model.Round] = Field(default_factory=list)


_TITLES = {
    "funds": ("pcc-ledger funds.yaml",
              "The funds of a Police and Crime Commissioner, their yearly allocations and "
              "ring-fences, the plan's objectives and the earmarked reserves."),
    "commitments": ("pcc-ledger commitments file (allocations/**/*.yaml)",
                    "Commitments, transfers and participatory-budgeting rounds."),
}
_MODELS: dict[str, type[model.Model]] = {"funds": model.FundsFile,
                                         "commitments": CommitmentsFile}


@dataclass(frozen=True)
class Ids:
    """The ids funds.yaml defines, which the commitment files name."""

    source: str  # funds.yaml, as the user should see its name
    funds: tuple[str, ...]
    objectives: tuple[str, ...]
    ring_fences: tuple[str, ...]
    reserves: tuple[str, ...]


class UnreadableFunds(Exception):
    """funds.yaml cannot be read into the model: its ids are not known."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        super().__init__(f"{file} cannot be read")
        self.file = file
        self.problems = problems


def read_ids(directory: str) -> Ids:
    """The ids of the data directory's funds.yaml, read as `check` reads it. NoData if there
    is no directory or no funds.yaml; UnreadableFunds if it cannot be understood."""
    from .loader import LoadResult, _load_funds

    root = Path(directory)
    if not directory or datadir.kind_of(root) != "folder":
        raise NoData(f"no data directory at {shown_path(directory)}; pass --data DIR or set "
                     f"{ENV_DATA}")
    path = root / FUNDS_FILE
    if datadir.kind_of(path) is None:
        raise NoData(f"no {FUNDS_FILE} in {shown_path(directory)}; every data directory starts "
                     "with one")
    shown = datadir.shown(directory, path, root)
    loaded = LoadResult(ledger=None, root=root)
    _, funds = _load_funds(path, shown, loaded)
    if funds is None:
        raise UnreadableFunds(shown, loaded.problems)
    fences = {fence for fund in funds.funds.values() for allocation in fund.allocations.values()
              for fence in allocation.ring_fences}
    return Ids(shown, tuple(sorted(funds.funds)), tuple(sorted(funds.objectives)),
               tuple(sorted(fences)), tuple(sorted(funds.reserves)))


def schema(kind: str | None, ids: Ids | None = None) -> JsonSchemaValue:
    """The schema of one kind of file ("funds" or "commitments"), or of either (None); with
    `ids`, the commitment files' references to funds.yaml are lists of its ids."""
    kinds = KINDS if kind is None else (kind,)
    refs, top = models_json_schema([(_MODELS[name], "validation") for name in kinds])
    # A tree of its own, with no part in two places: what follows changes it where it stands.
    defs: dict[str, JsonSchemaValue] = json.loads(json.dumps(top["$defs"]))
    names = {name: refs[(_MODELS[name], "validation")]["$ref"].rsplit("/", 1)[1]
             for name in kinds}
    for name in kinds:
        title, description = _TITLES[name]
        defs[names[name]].update(title=title, description=description)
    if "funds" in kinds:
        defs[names["funds"]]["properties"]["checks"] = _checks()
    if "commitments" in kinds:
        _add_loader_rules(defs)
        if ids is not None:
            _name_ids(defs, ids)
    for definition in defs.values():
        _close_patterned_keys(definition)
        _widen_text(definition)
    _share_scalars(defs, set(names.values()))
    if kind is None:
        result: JsonSchemaValue = {
            "title": "pcc-ledger data file",
            "description": "funds.yaml, or a commitments file below allocations/.",
            "oneOf": [{"$ref": f"#/$defs/{names[name]}"} for name in kinds],
            "$defs": defs,
        }
    else:
        result = defs.pop(names[kind])  # the file's own definition is the root
        result["$defs"] = defs
    result["$schema"] = DRAFT
    if ids is not None and "commitments" in kinds:
        result["$comment"] = (f"The fund, objective, ring-fence and reserve ids are those of "
                              f"{ids.source}: write the schema again when they change.")
    return result


def to_json(made: JsonSchemaValue) -> str:
    # ASCII (the £ of the patterns escaped): the same bytes whatever the terminal's encoding.
    return json.dumps(made, indent=2, sort_keys=True) + "\n"


def _checks() -> JsonSchemaValue:
    """`checks:` is read by policy.read_settings, not by the model: policy rule -> setting,
    and the number of months a review is due after a commitment's last year."""
    from .policy import DEFAULT_REVIEW_DUE_MONTHS, MAX_REVIEW_DUE_MONTHS, NUMBERS, SETTINGS
    from .rules import RULES

    months = {"description": "Months after the end of the last year a commitment is charged "
                             "to by which it is to be reviewed (review-overdue).",
              "anyOf": [{"type": "integer", "minimum": 0, "maximum": MAX_REVIEW_DUE_MONTHS},
                        {"type": "string", "pattern": r"^\s*[0-9]+\s*$"}],
              "default": DEFAULT_REVIEW_DUE_MONTHS}
    return {
        "description": "Policy rules set to error, warning or off (`pcc-ledger rules` lists "
                       "them), and review-due-months.",
        "anyOf": [{"type": "object",
                   "propertyNames": {"enum": sorted([*(r.id for r in RULES.values()
                                                       if not r.factual), *NUMBERS])},
                   "properties": {name: months for name in NUMBERS},
                   "additionalProperties": {"enum": list(SETTINGS)}},
                  {"type": "null"}],
        "default": None,
    }


def _given() -> JsonSchemaValue:
    return {"not": {"type": "null"}}


def _none() -> JsonSchemaValue:
    return {"type": "null"}


def _add_loader_rules(defs: dict[str, JsonSchemaValue]) -> None:
    """What the loader and the checks require beyond the models: a commitment gives `year` and
    `amount`, or `years` (loader._missing_year_or_amount and _shaped), and an approved one its
    `approved:` date (checks.dates); a transfer's end is a pot or a reserve
    (loader._end_problems). A key written with no value counts as left out."""
    commitment = defs[model.CommitmentInput.__name__]
    commitment["anyOf"] = [
        {"required": ["year", "amount"],
         "properties": {"year": _given(), "amount": _given(), "years": _none()}},
        {"required": ["years"],
         "properties": {"years": {"type": "object", "minProperties": 1}, "year": _none()}},
    ]
    commitment["if"] = {"required": ["status"], "properties": {"status": {"const": "approved"}}}
    commitment["then"] = {"required": ["approved"], "properties": {"approved": _given()}}
    defs[model.TransferEnd.__name__]["anyOf"] = [
        {"required": ["fund", "year"],
         "properties": {"fund": _given(), "year": _given(), "reserve": _none()}},
        {"required": ["reserve"],
         "properties": {"reserve": _given(), "fund": _none(), "year": _none(),
                        "ring_fence": _none()}},
    ]


# Which fields of which records name an id of funds.yaml.
_REFERENCES: dict[type, dict[str, str]] = {
    model.CommitmentInput: {"fund": "funds", "objective": "objectives",
                            "ring_fence": "ring_fences"},
    model.TransferEnd: {"fund": "funds", "ring_fence": "ring_fences", "reserve": "reserves"},
    model.Round: {"fund": "funds", "objective": "objectives"},
    model.Project: {"objective": "objectives"},
}
_WHAT = {"funds": "a fund", "objectives": "an objective", "ring_fences": "a ring-fence",
         "reserves": "a reserve"}


def _name_ids(defs: dict[str, JsonSchemaValue], ids: Ids) -> None:
    for record, fields in _REFERENCES.items():
        properties = defs[record.__name__]["properties"]
        for name, kind in fields.items():
            known: tuple[str, ...] = getattr(ids, kind)
            listed: JsonSchemaValue = {"enum": list(known)} if known else {"not": {}}
            listed["description"] = f"{_WHAT[kind]} of {ids.source}"
            prop = properties[name]
            if "anyOf" in prop:  # optional: the text, or no value
                prop["anyOf"] = [listed if branch.get("type") == "string" else branch
                                 for branch in prop["anyOf"]]
            else:
                for keyword in ("type", "minLength", "pattern"):
                    prop.pop(keyword, None)
                prop.update(listed)


def _subschemas(node: JsonSchemaValue, keys: bool = False) -> Iterator[JsonSchemaValue]:
    """The schemas directly inside a schema (never inside `default`, `enum` or `const`, which
    are values); `keys`: `propertyNames` too (keys are always text, which is what they take)."""
    for keyword in ("properties", "patternProperties", "$defs"):
        yield from node.get(keyword, {}).values()
    for keyword in ("anyOf", "oneOf", "allOf"):
        yield from node.get(keyword, [])
    for keyword in ("additionalProperties", "items", "not", "if", "then", "else",
                    *(("propertyNames",) if keys else ())):
        if isinstance(node.get(keyword), dict):
            yield node[keyword]


def _share_scalars(defs: dict[str, JsonSchemaValue], roots: set[str]) -> None:
    """Each scalar's schema once, in $defs, where Pydantic writes it out at every field (the
    year's pattern alone is 1,300 characters); and no definition that nothing names (Pydantic
    leaves one for VoteCount, whose JSON form is the scalar's)."""
    from . import scalars

    shared = {"Money": scalars.money_json_schema(), "FinancialYear": scalars.year_json_schema(),
              "Date": scalars.date_json_schema(), "Flag": scalars.flag_json_schema(),
              "Count": scalars.count_json_schema(), "Votes": scalars.votes_json_schema()}
    assert not shared.keys() & defs.keys(), "a model is named as a scalar"
    used: set[str] = set()

    def share(node: JsonSchemaValue) -> None:
        written = {key: value for key, value in node.items() if key not in ("title", "default")}
        for name, form in shared.items():
            # A mapping's keys: the same, with no `type` (Pydantic takes it off).
            if written in (form, {key: value for key, value in form.items() if key != "type"}):
                kept = {key: value for key, value in node.items() if key not in written}
                node.clear()
                node.update({"$ref": f"#/$defs/{name}", **kept})
                used.add(name)
                return
        for inner in _subschemas(node, keys=True):
            share(inner)

    for definition in defs.values():
        share(definition)
    defs.update((name, shared[name]) for name in used)
    while True:  # a definition named only by an unused one goes in the next round
        text = json.dumps(defs)
        unused = [name for name in defs
                  if name not in roots and f'"#/$defs/{name}"' not in text]
        if not unused:
            break
        for name in unused:
            del defs[name]


def _close_patterned_keys(node: JsonSchemaValue) -> None:
    """Pydantic gives `dict[Slug, X]` as patternProperties, which lets any other key through;
    the reader refuses them: the pattern goes to propertyNames and X to every key."""
    patterned = node.get("patternProperties")
    if patterned is not None and len(patterned) == 1 and "additionalProperties" not in node:
        ((pattern, values),) = patterned.items()
        del node["patternProperties"]
        node["propertyNames"] = {**node.get("propertyNames", {}), "pattern": pattern}
        node["additionalProperties"] = values
        if pattern in _PATTERN_HINTS:
            node["propertyNames"]["patternErrorMessage"] = _PATTERN_HINTS[pattern]
    for inner in _subschemas(node):
        _close_patterned_keys(inner)


# What a YAML 1.2 reader makes of some plain scalars that pcc-ledger reads as text: a text
# field whose pattern accepts all of them takes that JSON type too (a `name: 123` or an id
# `2017001` is fine to the reader, and must be to an editor).
_BOOLEANS = ("true", "false")
_NUMBERS: tuple[tuple[JsonSchemaValue, tuple[str, ...]], ...] = (
    ({"type": "number"}, ("-1", "-1.5", "1e3", ".inf", ".nan")),
    ({"type": "number", "minimum": 0}, ("0", "2017", "1.5", "1e3")),
    ({"type": "integer", "minimum": 0}, ("0", "2017")),
)


def _also_typed(text: JsonSchemaValue) -> JsonSchemaValue | None:
    """The other JSON types YAML 1.2 may give text this string schema accepts, as one schema."""
    if text.get("type") != "string" or "enum" in text or "const" in text:
        return None
    pattern = text.get("pattern")

    def accepts(written: tuple[str, ...]) -> bool:
        return pattern is None or all(re.search(pattern, one) for one in written)

    types: list[str] = ["boolean"] if accepts(_BOOLEANS) else []
    extra: JsonSchemaValue = {}
    for numbers, written in _NUMBERS:
        if accepts(written):
            types.append(numbers["type"])
            extra = {key: value for key, value in numbers.items() if key != "type"}
            break
    return {"type": types if len(types) > 1 else types[0], **extra} if types else None


_ANNOTATIONS = ("title", "description", "default")


def _widen_text(node: JsonSchemaValue, branch: bool = False) -> None:
    """Text fields also take what YAML 1.2 makes of text they accept (`branch`: a choice of
    an anyOf, which that anyOf widens, or not)."""
    branches = node.get("anyOf", [])
    for inner in _subschemas(node):
        _widen_text(inner, branch=any(inner is choice for choice in branches))
    if node.get("type") == "string" and node.get("pattern") in _PATTERN_HINTS:
        node.setdefault("patternErrorMessage", _PATTERN_HINTS[node["pattern"]])
    if branches:
        # Text or nothing only: a scalar of scalars.py has said which JSON types it takes.
        if all(choice.get("type") in ("string", "null") for choice in branches):
            node["anyOf"] = [*branches, *filter(None, map(_also_typed, branches))]
    elif not branch:
        typed = _also_typed(node)
        if typed is not None:
            text = {key: node.pop(key) for key in list(node) if key not in _ANNOTATIONS}
            node["anyOf"] = [text, typed]
