"""Records made fast, for the many there are of (commitments and their parts, the ledger's
entries): a maker per slotted class, and pickling through it for the per-file cache.

A frozen dataclass's `__init__` sets each field through `object.__setattr__`, found by name
for every field of every record, and unpickling one by default looks its fields up again and
sets them the same way. A maker is one call, written out as source (as `dataclasses` writes
`__init__`) with each field set through its slot's own descriptor: about a third of the time.
It does not validate: it is for values that already were, or that the caller vouches for.
"""

from __future__ import annotations

import dataclasses
import operator
import sys
import types
from collections.abc import Callable
from typing import Any

_MAKER_LOCALS = {"record", "_new", "_cls"}


def maker(cls: type) -> Callable[..., Any]:
    """`_make_<Class>(field, ...)`: a record of a slotted dataclass from all its fields, in
    their order, positionally; defined in the class's module under that name."""
    names = tuple(field.name for field in dataclasses.fields(cls))
    if _MAKER_LOCALS & set(names):
        raise TypeError(f"{cls.__name__} has a field named as a maker's local")
    name = f"_make_{cls.__name__}"
    setters = {f"_set_{field}": _slot(cls, field).__set__ for field in names}
    lines = [f"def {name}({', '.join(names)}):", "    record = _new(_cls)"]
    lines += [f"    _set_{field}(record, {field})" for field in names]
    lines.append("    return record")
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls, **setters}
    exec("\n".join(lines), scope)  # noqa: S102 - our own source, from the field names
    made: Callable[..., Any] = scope[name]
    made.__module__ = cls.__module__
    made.__qualname__ = name
    # Where pickle looks it up: <the class's module>.<name>.
    setattr(sys.modules[cls.__module__], name, made)
    return made


def quick_to_pickle(*classes: type) -> None:
    """Pickle records of these classes as a call of their maker with their fields. (For
    classes nothing derives from: a subclass would inherit the reduce and come back as its
    base; none of the records has one.)"""
    for cls in classes:
        make = maker(cls)
        get_fields = operator.attrgetter(*(field.name for field in dataclasses.fields(cls)))

        def reduce(self: Any, _make: Any = make, _get: Any = get_fields) -> tuple[Any, ...]:
            return _make, _get(self)

        setattr(cls, "__reduce__", reduce)  # noqa: B010 - a class's own pickling


def _slot(cls: type, name: str) -> Any:
    """The descriptor of a field's slot (in the class that declares it)."""
    for owner in cls.__mro__:
        found = owner.__dict__.get(name)
        if isinstance(found, types.MemberDescriptorType):
            return found
    raise TypeError(f"{cls.__name__}.{name} is not a slot")
