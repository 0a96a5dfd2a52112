"""Pydantic validation errors -> Problems that name the key, the line and what to write.

Pydantic's own messages ("Extra inputs are not permitted") are written for programmers; a
finance officer needs "unknown key `ammount`; did you mean `amount`?" pointing at the line.
"""

from __future__ import annotations

import difflib
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.dataclasses import is_pydantic_dataclass
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from .model import TEXT_PATTERN, URL_PATTERN
from .problems import Problem
from .rules import make_problem
from .scalars import shown
from .yamlsource import Document, YamlPath

# Records that are dataclasses (see model.py) report some errors under other names than models
# do: read them as the model's.
_SAME_AS = {"unexpected_keyword_argument": "extra_forbidden", "dataclass_type": "model_type",
            "missing_argument": "missing"}

# Our scalar parsers raise errors of these types; each is its own rule id.
_RULE_OF_TYPE = {
    "money": "invalid-amount",
    "financial_year": "invalid-year",
    "date": "invalid-date",
    "missing": "missing-key",
    "missing_value": "missing-key",
    "count": "invalid-value",
    "extra_forbidden": "unknown-key",
}

_PATTERN_HINTS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "use lower-case letters, digits and hyphens, such as "
    "victims-services",
    r"^[A-Za-z0-9][A-Za-z0-9._/-]*$": "use letters, digits and . _ / - with no spaces, such as "
    "VS-2017-001",
    URL_PATTERN: "write a web address with no spaces or control characters, such as "
    "http://www.northwales-pcc.gov.uk",
    TEXT_PATTERN: "remove the control character from the text",
    r"^360G-[A-Za-z0-9-]+$": "a 360Giving publisher prefix starts 360G-, such as 360G-OPCCNW",
}


Schema = type[Any]  # a Pydantic model, or a Pydantic dataclass


def schema_problems(
    error: ValidationError, document: Document, model: Schema, prefix: YamlPath = ()
) -> list[Problem]:
    return [_problem(_as_model_error(detail), document, model, prefix)
            for detail in error.errors()]


def _as_model_error(detail: ErrorDetails) -> ErrorDetails:
    kind = _SAME_AS.get(detail["type"])
    return detail if kind is None else {**detail, "type": kind}


def _problem(
    detail: ErrorDetails, document: Document, model: Schema, prefix: YamlPath
) -> Problem:
    loc = tuple(detail["loc"])
    on_key = bool(loc) and loc[-1] == "[key]"
    path = loc[:-1] if on_key else loc
    kind = detail["type"]
    if kind == "missing":
        # A missing key has no line of its own: point at the mapping that lacks it.
        where = document.at((*prefix, *path[:-1]))
    else:
        where = document.at((*prefix, *path), key=on_key or kind == "extra_forbidden")
    rule = _RULE_OF_TYPE.get(kind, "invalid-value")
    subject = _subject((*prefix, *path), on_key)
    return make_problem(rule, where, _message(detail, model, path, subject))


_ITEM_NAMES = {"commitments": "commitment", "payments": "payment", "transfers": "transfer",
               "schedule": "scheduled payment"}


def _subject(path: tuple[Any, ...], on_key: bool) -> str:
    """What the message is about, as the user would name it: `amount`, a `recipient_types`
    entry, a commitment, a key, the file."""
    if on_key:
        return "key"
    names = [part for part in path if isinstance(part, str)]
    if not names:
        return "the file"
    if isinstance(path[-1], int):
        return _ITEM_NAMES.get(names[-1], f"`{names[-1]}` entry")
    return f"`{names[-1]}`"


def _message(
    detail: ErrorDetails, model: Schema, path: tuple[Any, ...], subject: str
) -> str:
    kind = detail["type"]
    value = detail["input"]
    if kind == "extra_forbidden":
        name = str(path[-1])
        allowed = _keys_at(model, path[:-1])
        guess = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean `{guess[0]}`?" if guess else "allowed keys: " + ", ".join(allowed)
        return f"unknown key `{shown(name)}`; {hint}"
    if kind == "missing":
        return f"missing key `{path[-1]}`; add it"
    if kind in ("string_type", "model_type", "dict_type", "list_type") or (
        kind in ("literal_error", "string_pattern_mismatch") and not isinstance(value, str)
    ):
        return _wrong_shape(kind, subject, value)
    if kind == "literal_error":
        expected = str(detail.get("ctx", {}).get("expected", "")).replace("'", "")
        return f"`{shown(value)}` is not a valid {subject}; use one of: {expected}"
    if kind == "string_pattern_mismatch":
        pattern = str(detail.get("ctx", {}).get("pattern", ""))
        return f"`{shown(value)}` is not a valid {subject}: {_PATTERN_HINTS.get(pattern, pattern)}"
    if kind == "string_too_short":
        return f"{subject} is empty; write a value"
    if kind == "too_short":
        return f"{subject} is empty; list at least one, or leave the key out"
    if kind in ("wrong_type", "missing_value"):  # from the scalar parsers, which know no names
        return f"{subject}: {detail['msg']}"
    return str(detail["msg"]).removeprefix("Value error, ")


def _wrong_shape(kind: str, subject: str, value: Any) -> str:
    wanted = {"string_type": "text", "list_type": "a list", "literal_error": "text",
              "string_pattern_mismatch": "text"}.get(kind, "a mapping of keys")
    if value is None:
        return f"{subject} has no value; write {wanted}"
    if isinstance(value, list | dict):
        found = "a list" if isinstance(value, list) else "a mapping"
    else:
        found = f"`{shown(str(value))}`"
    return f"{subject} should be {wanted}, not {found}"


def _keys_at(model: Schema, path: tuple[Any, ...]) -> list[str]:
    """The keys the model allows in the mapping at `path` (dict keys and list indexes skipped)."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        if _is_schema(current):
            field = _fields(current).get(part) if isinstance(part, str) else None
            if field is None:
                return []
            current = field.annotation
        elif get_origin(current) in (list, dict):
            current = get_args(current)[-1]
        else:
            return []
    current = _unwrap(current)
    if _is_schema(current):
        return list(_fields(current))
    return []


def _is_schema(annotation: Any) -> bool:
    return isinstance(annotation, type) and (issubclass(annotation, BaseModel)
                                             or is_pydantic_dataclass(annotation))


def _fields(model: Schema) -> dict[str, FieldInfo]:
    """A model's fields by the key the user writes (`from`, not `source`)."""
    fields: dict[str, FieldInfo] = (model.model_fields if issubclass(model, BaseModel)
                                    else model.__pydantic_fields__)
    return {field.alias or name: field for name, field in fields.items()}


def _unwrap(annotation: Any) -> Any:
    """`Annotated[X, ...]` and `X | None` -> X."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation
