"""The makers of slotted records (slotted.py): the same record as the class's own __init__,
with nothing validated again, and a class they cannot serve refused when it is declared."""

from __future__ import annotations

import dataclasses
import pickle
from decimal import Decimal

import pytest

from pcc_ledger import ledger, model, slotted


def test_an_entry_made_by_its_maker_is_the_entry_its_class_makes() -> None:
    payment = model.Payment(date="2017-06-01", amount="500")  # type: ignore[arg-type]
    made = ledger.make_entry(payment, "document", ("commitments", 0), True, None, 0)
    assert made == ledger.Entry(payment, "document", ("commitments", 0), True)  # type: ignore[arg-type]
    assert type(made) is ledger.Entry and ledger.make_entry is ledger._make_Entry
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.illustrative = False  # type: ignore[misc]


def test_a_record_comes_back_from_the_cache_without_being_validated_again() -> None:
    payment = model.Payment(date="2017-06-01", amount="500")  # type: ignore[arg-type]
    wrong = model.altered(payment, amount=Decimal("-1"))  # no validator would let this in
    again = pickle.loads(pickle.dumps(wrong, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == wrong and again.amount == Decimal("-1")


def test_a_class_with_a_field_named_as_a_makers_local_is_refused() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Awkward:
        record: int

    with pytest.raises(TypeError, match="Awkward has a field named as a maker's local"):
        slotted.maker(Awkward)
