"""The model's own logic: a year's rules over its fund's, and the bounds of the values."""

from __future__ import annotations

from decimal import Decimal

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
