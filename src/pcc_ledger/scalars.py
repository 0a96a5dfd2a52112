"""Typed values from YAML text: money, financial years, dates, flags and counts.

The YAML reader hands every scalar over as text, so each parser here sees exactly what the user
wrote (`56,442`, `2017/18`, `no`) and decides what it means. Each raises `PydanticCustomError`
with a message that says what was wrong and what to write instead; the error type becomes the
problem's rule id.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, PlainSerializer, PlainValidator
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


def parse_money(value: Any) -> Decimal:
    """Pounds as written in the data files, to an exact Decimal with pence."""
    if isinstance(value, Decimal):
        return value
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

    @classmethod
    def parse(cls, value: Any) -> FinancialYear:
        if isinstance(value, FinancialYear):
            return value
        # Not stripped: `"2017/18 "` must not become a second key for the same year.
        _text(value, "a financial year", "2017/18")
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


Money = Annotated[Decimal, PlainValidator(parse_money), PlainSerializer(lambda d: f"{d:.2f}")]
IsoDate = Annotated[date, PlainValidator(parse_date), PlainSerializer(lambda d: d.isoformat())]
Flag = Annotated[bool, PlainValidator(parse_flag)]
Count = Annotated[int, PlainValidator(parse_count)]
Votes = Annotated[VoteCount, PlainValidator(parse_votes)]
