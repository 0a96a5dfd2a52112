"""Money, financial years, dates and flags: the accepted forms and the refused ones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from pcc_ledger.scalars import (
    FinancialYear,
    format_money,
    parse_count,
    parse_date,
    parse_flag,
    parse_money,
)

FORMS = "write pounds as 56442, 56442.00, 56,442 or £56,442.50"


@pytest.mark.parametrize(
    ("text", "pounds"),
    [
        ("56442", "56442.00"),
        ("56442.00", "56442.00"),
        ("56,442", "56442.00"),
        ("£56,442.50", "56442.50"),
        ("£56442.5", "56442.50"),
        ("0", "0.00"),
        ("1,130,178", "1130178.00"),
        ("  814076  ", "814076.00"),
    ],
)
def test_money_accepted_forms(text: str, pounds: str) -> None:
    value = parse_money(text)
    assert value == Decimal(pounds)
    assert isinstance(value, Decimal)
    assert str(value) == pounds  # always pence, so totals print to the penny


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("56442.123", "more than two decimal places"),
        ("-5", "amounts are never negative"),
        ("£-5.00", "amounts are never negative"),
        ("1e3", "not an amount in pounds"),
        ("56.442,00", "not an amount in pounds"),
        ("0o17", "not an amount in pounds"),
        ("56,44", "not an amount in pounds"),
        ("5,6442", "not an amount in pounds"),
        ("£", "not an amount in pounds"),
        ("$100", "not an amount in pounds"),
        ("1.", "not an amount in pounds"),
        ("NaN", "not an amount in pounds"),
        ("Infinity", "not an amount in pounds"),
    ],
)
def test_money_refused_forms_say_what_to_write(text: str, reason: str) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        parse_money(text)
    assert raised.value.type == "money"
    assert raised.value.message() == f"`{text}`: {reason}; {FORMS}"


def test_money_refuses_a_missing_value_and_a_list() -> None:
    with pytest.raises(PydanticCustomError, match="no value given"):
        parse_money(None)
    with pytest.raises(PydanticCustomError, match="found a list"):
        parse_money(["1"])


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1166000", "£1,166,000.00"),
        ("1166000.00", "£1,166,000.00"),
        ("-0.00", "£0.00"),
        ("1.5E+3", "£1,500.00"),
        ("56442.5", "£56,442.50"),
        ("0", "£0.00"),
        ("-15924", "-£15,924.00"),
        ("0.005", "£0.01"),  # half a penny rounds up, as a finance report expects
    ],
)
def test_format_money(amount: str, text: str) -> None:
    assert format_money(Decimal(amount)) == text


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**13,
                   max_value=10**13, places=None))
def test_format_money_is_pounds_and_pence_rounded_half_up(amount: Decimal) -> None:
    """Whatever the exponent (amounts in pence take a shortcut, the rest are rounded)."""
    from decimal import ROUND_HALF_UP

    pence = abs(amount).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert format_money(amount) == f"{'-' if amount < 0 else ''}£{pence:,}"


@given(st.integers(min_value=0, max_value=10**13))
def test_money_round_trips_through_its_printed_form(pence: int) -> None:
    amount = Decimal(pence) / 100
    assert parse_money(format_money(amount)) == amount


@pytest.mark.parametrize(
    ("text", "start"), [("2017/18", 2017), ("1999/00", 1999), ("2012/13", 2012)]
)
def test_financial_year_accepted(text: str, start: int) -> None:
    year = FinancialYear.parse(text)
    assert year.start == start
    assert str(year) == text


def test_financial_year_runs_april_to_march() -> None:
    year = FinancialYear.parse("2017/18")
    assert (year.first_day, year.last_day) == (date(2017, 4, 1), date(2018, 3, 31))
    assert str(year.previous()) == "2016/17"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2017/19", "`2017/19` is not a financial year: the year after 2017 ends in 18; "
                    "did you mean 2017/18?"),
        ("2017", "`2017` is not a financial year; write it as 2017/18 (April 2017 to March 2018)"),
        ("2017-18", "`2017-18` is not a financial year; write it as 2017/18 (April 2017 to "
                    "March 2018)"),
        ("2017/2018", "`2017/2018` is not a financial year; write it as 2017/18 (April 2017 to "
                      "March 2018)"),
    ],
)
def test_financial_year_refused(text: str, message: str) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        FinancialYear.parse(text)
    assert raised.value.message() == message


def test_dates_are_strict_iso() -> None:
    assert parse_date("2017-04-20") == date(2017, 4, 20)
    for text in ("20170420", "2017-W16-4", "20/04/2017", "2017-4-20"):
        with pytest.raises(PydanticCustomError) as raised:
            parse_date(text)
        assert raised.value.message() == (
            f"`{text}` is not a date; write dates as YYYY-MM-DD, such as 2017-04-20"
        )
    with pytest.raises(PydanticCustomError, match="day is out of range"):
        parse_date("2017-02-30")


def test_flags_accept_only_true_and_false() -> None:
    assert parse_flag("true") is True
    assert parse_flag("False") is False
    for text in ("yes", "no", "on", "1"):
        with pytest.raises(PydanticCustomError) as raised:
            parse_flag(text)
        assert raised.value.message() == f"`{text}`: write true or false"


def test_counts_are_whole_numbers_from_one() -> None:
    assert parse_count("12") == 12
    for text in ("0", "12.0", "-1", "twelve", "1e1"):
        with pytest.raises(PydanticCustomError):
            parse_count(text)


def test_a_year_read_back_from_the_cache_is_the_one_object_for_that_year() -> None:
    import pickle

    from pcc_ledger.scalars import FinancialYear

    year = FinancialYear.parse("2017/18")
    again = pickle.loads(pickle.dumps([year, FinancialYear(2017)]))
    assert again[0] is year and again[1] is year  # keys of the positions compare by identity
    assert FinancialYear(2017) == year and {year: 1}[FinancialYear(2017)] == 1
    assert FinancialYear(2017) < FinancialYear(2018) and str(again[0]) == "2017/18"
