"""Typed values from YAML text: money, financial years, dates, flags and counts.

The YAML reader hands every scalar over as text, so each parser here sees exactly what the user
wrote (`56,442`, `2017/18`, `no`) and decides what it means. Each raises `PydanticCustomError`
with a message that says what was wrong and what to write instead; the error type becomes the
problem's rule id.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, PlainSerializer, PlainValidator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

PENNY = Decimal("0.01")
_MONEY_FORMS = "write pounds as 56442, 56442.00, 56,442 or £56,442.50"
# Optional £, then pounds either plain or grouped in threes by commas, then up to two decimals.
# ASCII digits only ([0-9], not \d, which also matches ٥ and ５), and at most twelve of them:
# nothing a Commissioner funds comes near £1 trillion, and a bound keeps every sum exact.
MAX_POUND_DIGITS = 12
_MONEY = re.compile(
    r"£?(?P<pounds>[0-9]{1,12}|[0-9]{1,3}(?:,[0-9]{3}){1,3})(?:\.(?P<pence>[0-9]{1,2}))?"
)
_LOOKS_LIKE_MONEY = re.compile(r"£?[0-9,]+(?:\.[0-9]+)?")
# Financial years pcc-ledger accepts: any a PCC could plausibly record, and all of whose days
# Python's date can hold (9999/00 would end in the year 10000).
FIRST_YEAR, LAST_YEAR = 1900, 2998
_YEAR = re.compile(r"(?P<start>[0-9]{4})/(?P<end>[0-9]{2})")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COUNT = re.compile(r"[0-9]{1,6}")


def _text(value: Any, kind: str, example: str) -> str:
    if value is None:
        raise PydanticCustomError("missing_value",
                                  f"no value given; write {kind} such as {example}")
    if not isinstance(value, str):
        found = "a list" if isinstance(value, list) else "a mapping"
        raise PydanticCustomError("wrong_type", f"expected {kind} such as {example}, found {found}")
    return value.strip()


def shown(text: str, limit: int = 40) -> str:
    """User text quoted in a message, cut short so a pasted novel does not flood the output."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _too_large(text: str) -> bool:
    pounds = text.split(".")[0]
    return (bool(_LOOKS_LIKE_MONEY.fullmatch(text))
            and sum(map(str.isdigit, pounds)) > MAX_POUND_DIGITS)


# How most amounts are written (`1294.66`): the very text Decimal takes, read without the
# general rule's groups (a fifth of validating a commitment, at 100,000 of them).
_PLAIN_PENCE = re.compile(r"[0-9]{1,12}\.[0-9]{2}")


def parse_money(value: Any) -> Decimal:
    """Pounds as written in the data files, to an exact Decimal with pence."""
    if type(value) is str:
        if _PLAIN_PENCE.fullmatch(value) is not None:
            return Decimal(value)
        text = value.strip()  # as `_text` has it, without its other cases
    elif isinstance(value, Decimal):
        return value
    else:
        text = _text(value, "an amount", "56442.00")
    match = _MONEY.fullmatch(text)
    if match is None:
        if text.lstrip("£ ").startswith("-"):
            reason = "amounts are never negative"
        elif re.fullmatch(r"£?[0-9,]*\.[0-9]{3,}", text):
            reason = "more than two decimal places"
        elif _too_large(text):
            reason = f"too large (at most {MAX_POUND_DIGITS} digits of pounds)"
        else:
            reason = "not an amount in pounds"
        raise PydanticCustomError("money", f"`{shown(text)}`: {reason}; {_MONEY_FORMS}")
    pounds = match["pounds"].replace(",", "")
    pence = (match["pence"] or "").ljust(2, "0")
    return Decimal(f"{pounds}.{pence}")


def format_money(amount: Decimal) -> str:
    """`£1,166,000.00`; a negative amount (an overspend) as `-£15,924.00`."""
    text = format(amount, ",")
    if text[-3:-2] == "." and text[0] != "-":
        return "£" + text  # already in pence, as nearly every amount is: nothing to round
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount).quantize(PENNY, ROUND_HALF_UP):,}"


# The same few thousand dates and years are written again and again in a large ledger: each
# text is read once (a problem is raised afresh every time, never remembered). Amounts are
# too varied for remembering them to pay.
_REMEMBERED = 1 << 16


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year, 1 April to 31 March, written `2017/18`."""

    start: int

    # A year is a key of every fund's positions, looked up for each of 100,000 commitments:
    # its hash is its start (not a tuple of one made each time), and a year read back from the
    # cache is the one object for that year (see `_year_starting`), so keys compare by
    # identity.
    def __hash__(self) -> int:
        return self.start

    def __reduce__(self) -> tuple[Any, tuple[int]]:
        return _year_starting, (self.start,)

    @classmethod
    def parse(cls, value: Any) -> FinancialYear:
        if type(value) is str:
            # Not stripped: `"2017/18 "` must not become a second key for the same year.
            return _year_from_text(value)
        if isinstance(value, FinancialYear):
            return value
        _text(value, "a financial year", "2017/18")  # None, a list or a mapping: said so
        return _year_from_text(str(value))

    @property
    def first_day(self) -> date:
        return date(self.start, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start + 1, 3, 31)

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start - 1)

    def __str__(self) -> str:
        return _year_text(self.start)  # printed in every row of every report: made once

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return year_json_schema()


@functools.lru_cache(maxsize=_REMEMBERED)
def _year_from_text(text: str) -> FinancialYear:
    match = _YEAR.fullmatch(text)
    if match is None:
        raise PydanticCustomError(
            "financial_year",
            f"`{shown(text)}` is not a financial year; write it as 2017/18 (April 2017 to "
            "March 2018)",
        )
    start = int(match["start"])
    if not FIRST_YEAR <= start <= LAST_YEAR:
        raise PydanticCustomError(
            "financial_year",
            f"`{shown(text)}` is outside the years pcc-ledger handles "
            f"({FinancialYear(FIRST_YEAR)} to {FinancialYear(LAST_YEAR)})",
        )
    if int(match["end"]) != (start + 1) % 100:
        expected = str(FinancialYear(start))
        raise PydanticCustomError(
            "financial_year",
            f"`{shown(text)}` is not a financial year: the year after {start} ends in "
            f"{(start + 1) % 100:02d}; did you mean {expected}?",
        )
    return _year_starting(start)


@functools.cache
def _year_text(start: int) -> str:
    return f"{start:04d}/{(start + 1) % 100:02d}"


@functools.cache
def _year_starting(start: int) -> FinancialYear:
    """One object per year, shared by every record of that year: 100,000 commitments hold a
    handful of years, not 100,000 copies (and the cache pickles each once per file)."""
    return FinancialYear(start)


def parse_date(value: Any) -> date:
    if type(value) is str:
        return _date_from_text(value.strip())  # as `_text` has it, without its other cases
    if isinstance(value, date):
        return value
    return _date_from_text(_text(value, "a date", "2017-04-20"))


@functools.lru_cache(maxsize=_REMEMBERED)
def _date_from_text(text: str) -> date:
    if not _DATE.fullmatch(text):
        raise PydanticCustomError(
            "date", f"`{shown(text)}` is not a date; write dates as YYYY-MM-DD, such as 2017-04-20"
        )
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise PydanticCustomError("date", f"`{text}` is not a date: {error}") from None


def parse_flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value, "true or false", "true")
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    # `yes`, `no`, `on`, `off` are booleans in YAML 1.1 but not 1.2; asking is safer than guessing.
    raise PydanticCustomError("flag", f"`{shown(text)}`: write true or false")


def parse_count(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = _text(value, "a whole number", "12")
    if not _COUNT.fullmatch(text) or int(text) == 0:
        raise PydanticCustomError(
            "count", f"`{shown(text)}`: write a whole number from 1 to 999999, such as 12"
        )
    return int(text)


_VOTES = re.compile(r"[0-9]{1,9}|[0-9]{1,3}(?:,[0-9]{3}){1,2}")
_CHANNEL = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class VoteCount:
    """A project's votes: a whole number, or how many came by each channel (online, paper...),
    whose sum is the total."""

    total: int
    channels: tuple[tuple[str, int], ...] = ()

    def __str__(self) -> str:
        return f"{self.total:,}"


def _vote_number(value: Any, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise PydanticCustomError(
                "count", f"{what}`{value}`: votes are a whole number of 0 or more, such as 412")
        return value
    text = _text(value, "a whole number of votes", "412")
    if not _VOTES.fullmatch(text):
        raise PydanticCustomError(
            "count", f"{what}`{shown(text)}`: votes are a whole number of 0 or more, such as 412")
    return int(text.replace(",", ""))


def parse_votes(value: Any) -> VoteCount:
    """`412`, `1,204`, or votes by channel: `{online: 300, paper: 112}`."""
    if isinstance(value, VoteCount):
        return value
    if isinstance(value, dict):
        if not value:
            raise PydanticCustomError(
                "count", "no votes given; write a whole number such as 412, or the votes by "
                "channel such as {online: 300, paper: 112}")
        channels = []
        for name, count in value.items():
            if not isinstance(name, str) or not _CHANNEL.fullmatch(name):
                raise PydanticCustomError(
                    "count", f"`{shown(str(name))}` is not a channel name: use lower-case "
                    "letters, digits and hyphens, such as online or paper")
            channels.append((name, _vote_number(count, f"`{name}`: ")))
        return VoteCount(sum(count for _, count in channels), tuple(channels))
    return VoteCount(_vote_number(value, ""))


# What each parser above accepts, as JSON Schema (`pcc-ledger schema`), for editors and
# check-jsonschema. They read YAML 1.2, which hands over `56442` as a number and `true` as a
# boolean where pcc-ledger reads the text: each form is taken as the JSON type it arrives as,
# and every form written as text is a pattern made from the parser's own regex.


@dataclass(frozen=True)
class JsonForms:
    """The JSON Schema of a scalar type, made only when a schema is asked for (never at start)."""

    make: Callable[[], JsonSchemaValue]

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return self.make()


def _pattern(regex: str, strip: bool = True) -> str:
    """A parser's regex as an ECMA-262 pattern (no named groups), anchored as `fullmatch` is,
    with the blanks around it that the parser strips."""
    body = re.sub(r"\(\?P<\w+>", "(?:", regex)
    return rf"^\s*(?:{body})\s*$" if strip else f"^(?:{body})$"


def _text_form(pattern: str, message: str) -> JsonSchemaValue:
    # `patternErrorMessage` is read by VS Code and ignored by other validators.
    return {"type": "string", "pattern": pattern, "patternErrorMessage": message}


def pence_divisors() -> tuple[float, ...]:
    """`multipleOf` values that together accept every amount in pence, and refuse 12.345.

    `multipleOf: 0.01` alone is not enough: Python's jsonschema divides binary floats, and
    0.07 / 0.01 is 7.000000000000001, so it refuses one amount in nine. A number x read from
    text with at most two decimals is c/100 for a whole c, rounded with a relative error d of
    at most u = 2**-53. Dividing by a float m near 1/(100p) (relative error e) gives c*p,
    exactly, whenever |d - e| < u/2 (half the spacing of floats near c*p, relative). The
    three floats below have e = 0.1875u, 0.578u and -0.594u: every d in [-u, u] is within
    0.422u of one of them. With p = 1 or 3, prime to 10, x*100*p is whole only when x*100 is,
    so 12.345 is refused by all three (tests/test_schema_command.py checks both claims)."""
    third = 1 / 300
    return 0.01, third, math.nextafter(third, 0)


MAX_AMOUNT = Decimal(10**MAX_POUND_DIGITS) - PENNY


def money_json_schema() -> JsonSchemaValue:
    whole = int(MAX_AMOUNT)
    return {
        "description": "An amount in pounds: 56442, 56442.00, 56,442 or £56,442.50; never "
                       "negative, at most two decimal places and twelve digits of pounds.",
        "anyOf": [
            # Whole pounds first: anyOf stops at the first form that fits, so a whole number
            # (however large) never reaches the divisions below.
            {"type": "integer", "minimum": 0, "maximum": whole},
            {
                "type": "number", "minimum": 0, "maximum": float(MAX_AMOUNT),
                # NaN passes every bound (no comparison with it is true) but not this `not`.
                "not": {"maximum": -1},
                # The pence only of a number in range: jsonschema fails on dividing infinity,
                # NaN or a huge number.
                "if": {"minimum": 0, "maximum": float(MAX_AMOUNT), "not": {"maximum": -1}},
                "then": {"anyOf": [{"multipleOf": m} for m in pence_divisors()]},
            },
            _text_form(_pattern(_MONEY.pattern), _MONEY_FORMS),
        ],
    }


def year_pattern() -> str:
    """2017/18 for each year from FIRST_YEAR to LAST_YEAR: the second half the next year."""
    centuries: dict[tuple[int, ...], list[str]] = {}
    for century in range(FIRST_YEAR // 100, LAST_YEAR // 100 + 1):
        starts = tuple(n for n in range(100) if FIRST_YEAR <= century * 100 + n <= LAST_YEAR)
        centuries.setdefault(starts, []).append(f"{century:02d}")
    return "^(?:" + "|".join(
        "(?:{})(?:{})".format("|".join(names),
                              "|".join(f"{n:02d}/{(n + 1) % 100:02d}" for n in starts))
        for starts, names in centuries.items()) + ")$"


def year_json_schema() -> JsonSchemaValue:
    return {
        "description": "A financial year, 1 April to 31 March, written 2017/18.",
        **_text_form(year_pattern(), "write a financial year as 2017/18 (April 2017 to March "
                     "2018): the second half is the next year"),
    }


# Days that exist, leap days included (years divisible by 4, centuries only by 400); year 0
# is not a year to Python's date.
_LEAP = "[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00"
_YEAR_1_TO_9999 = "[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000"
DATE_PATTERN = (
    rf"^\s*(?:(?:{_YEAR_1_TO_9999})-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    rf"|(?:{_LEAP})-02-29)\s*$"
)


def date_json_schema() -> JsonSchemaValue:
    # Text only: check-jsonschema and VS Code hand a YAML date over as text, as it is written.
    return {"description": "A date, YYYY-MM-DD, such as 2017-04-20; the day must exist.",
            **_text_form(DATE_PATTERN, "write a date that exists as YYYY-MM-DD, such as "
                         "2017-04-20")}


def flag_json_schema() -> JsonSchemaValue:
    either = "|".join("".join(f"[{c.upper()}{c}]" for c in word) for word in ("true", "false"))
    return {"description": "true or false (yes, no, on and off are refused).",
            "anyOf": [{"type": "boolean"},
                      _text_form(f"^\\s*(?:{either})\\s*$", "write true or false")]}


def count_json_schema() -> JsonSchemaValue:
    # 1 to 6 digits, not all of them 0.
    nonzero = "|".join(f"{'0' * k}[1-9][0-9]{{0,{5 - k}}}" for k in range(6))
    return {"description": "A whole number from 1 to 999999, such as 12.",
            "anyOf": [{"type": "integer", "minimum": 1, "maximum": 999999},
                      _text_form(_pattern(nonzero), "write a whole number from 1 to 999999")]}


def votes_json_schema() -> JsonSchemaValue:
    number: JsonSchemaValue = {"anyOf": [
        {"type": "integer", "minimum": 0, "maximum": 10**9 - 1},
        _text_form(_pattern(_VOTES.pattern), "write votes as a whole number, such as 412")]}
    return {
        "description": "The votes: a whole number of 0 or more (412, 1,204), or the votes by "
                       "channel, such as {online: 300, paper: 112}.",
        "anyOf": [number, {"type": "object", "minProperties": 1,
                           "propertyNames": {"pattern": _pattern(_CHANNEL.pattern, strip=False)},
                           "additionalProperties": number}],
    }


Money = Annotated[Decimal, PlainValidator(parse_money), PlainSerializer(lambda d: f"{d:.2f}"),
                  JsonForms(money_json_schema)]
IsoDate = Annotated[date, PlainValidator(parse_date), PlainSerializer(lambda d: d.isoformat()),
                    JsonForms(date_json_schema)]
Flag = Annotated[bool, PlainValidator(parse_flag), JsonForms(flag_json_schema)]
Count = Annotated[int, PlainValidator(parse_count), JsonForms(count_json_schema)]
Votes = Annotated[VoteCount, PlainValidator(parse_votes), JsonForms(votes_json_schema)]
