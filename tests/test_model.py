"""The model's own logic: a year's rules over its fund's, and the bounds of the values."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic_core import PydanticCustomError

from pcc_ledger.model import Fund
from pcc_ledger.scalars import FinancialYear

FUND = Fund.model_validate(
    {
        "name": "F",
        "workstream": "community-focused",
        "rules": {"max_award": "250", "max_awards": "12", "recipient_types": ["police-officer"]},
        "allocations": {
            "2017/18": {"basis": "b"},
            "2018/19": {"basis": "b", "rules": {"max_award": "500"}},
            "2019/20": {"basis": "b", "rules": {"max_award": None, "max_awards": "3"}},
        },
    }
)


def test_a_year_without_rules_has_the_funds() -> None:
    rules = FUND.rules_for(FinancialYear(2017))
    assert (rules.max_award, rules.max_awards, rules.recipient_types) == (
        Decimal("250.00"), 12, ["police-officer"]
    )


def test_a_years_rules_replace_the_funds_key_by_key() -> None:
    rules = FUND.rules_for(FinancialYear(2018))
    assert (rules.max_award, rules.max_awards, rules.recipient_types) == (
        Decimal("500.00"), 12, ["police-officer"]
    )


def test_an_empty_key_lifts_the_funds_rule_for_that_year() -> None:
    rules = FUND.rules_for(FinancialYear(2019))
    assert (rules.max_award, rules.max_awards, rules.recipient_types) == (
        None, 3, ["police-officer"]
    )


def test_a_year_not_in_the_fund_has_the_funds_rules() -> None:
    assert FUND.rules_for(FinancialYear(2030)) == FUND.rules


@pytest.mark.parametrize("text", ["9999/00", "1899/00", "0000/01"])
def test_years_outside_what_a_date_can_hold_are_refused(text: str) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        FinancialYear.parse(text)
    assert raised.value.message() == (
        f"`{text}` is outside the years pcc-ledger handles (1900/01 to 2998/99)"
    )
    assert FinancialYear.parse("2998/99").last_day.year == 2999


def test_no_field_of_the_model_is_left_a_forward_reference() -> None:
    """With validators built at first use, a model naming one defined after it would keep the
    name unresolved, and schema_errors could not list the keys it allows (no "did you mean")."""
    import dataclasses

    from pcc_ledger import model

    unresolved = [
        f"{name}.{field}"
        for name, cls in vars(model).items()
        if isinstance(cls, type) and cls.__module__ == model.__name__
        for field, info in (getattr(cls, "__pydantic_fields__", None) or {}).items()
        if "ForwardRef" in repr(info.annotation)
    ]
    assert unresolved == []
    assert dataclasses.is_dataclass(model.Commitment)  # the records are looked at too


def test_a_typo_in_a_reserves_opening_is_told_the_key_it_meant(tmp_path: Path) -> None:
    from .conftest import FIXTURES, invoke, new_runner

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "cases" / "reserve-timing", data)
    funds = data / "funds.yaml"
    funds.write_text(funds.read_text("utf-8").replace(
        "opening: {amount: 100, date: 2018-01-01}",
        "opening: {amount: 100, date: 2018-01-01, bsis: x}"), "utf-8")
    result = invoke(new_runner(), "check", "--data", str(data), "--as-of", "2018-04-01")
    assert result.exit_code == 1
    assert (f"{data}/funds.yaml:12:46: error: unknown key `bsis`; did you mean `basis`? "
            "[unknown-key]") in result.output
