"""The data format as Pydantic models: funds.yaml and the commitment files.

Key names here are the public contract (PRODUCT.md): users write them by hand and CI checks them,
so they are never renamed. Unknown keys are refused, so a typo such as `ammount:` is reported
instead of silently ignored.
"""

from __future__ import annotations

import copy as _copy
import functools
import operator
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    field_validator,
)
from pydantic.dataclasses import dataclass

from . import slotted
from .scalars import Count, FinancialYear, Flag, IsoDate, Money, Votes

Workstream = Literal["community-safety", "community-focused", "victims"]
RecipientType = Literal[
    "police-officer",
    "community-group",
    "voluntary-group",
    "charity",
    "local-authority",
    "health-board",
    "police-service",
    "public-body",
    "company",
]
RECIPIENT_TYPES: tuple[str, ...] = get_args(RecipientType)
# The recipient types that are a person, not an organisation (open data publishes no name).
INDIVIDUAL_TYPES = frozenset({"police-officer"})
Status = Literal["proposed", "approved", "cancelled"]
ReviewResult = Literal["met", "partly-met", "not-met"]
REVIEW_RESULTS: tuple[str, ...] = get_args(ReviewResult)

# Ids defined in funds.yaml are typed on the command line and become account names in exports:
# lower-case words joined by hyphens keeps them portable.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
CommitmentId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
# Text from the data: no control characters, C0 or C1 (a spreadsheet refuses them, a terminal
# obeys them, and `"\e[2J"` in double quotes is YAML for one);
# line breaks and tabs are fine.
URL_PATTERN = r"^https?://[^\s/$.?#\x00-\x1f\x7f-\x9f][^\s\x00-\x1f\x7f-\x9f]*$"
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"  # no C0 or C1 controls
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=TEXT_PATTERN)]
# Any text a commitment, fund, objective or reserve publishes may carry its Welsh beside it, in
# the key of the same name with `_cy` (Cymraeg): `name_cy`, `title_cy`, `description_cy`,
# `purpose_cy`, `reasons_cy`, `conditions_cy`, `area_cy`. Welsh public bodies publish in both
# languages.
WELSH_SUFFIX = "_cy"
_AMOUNT = operator.attrgetter("amount")
_ZERO = Decimal(0)


class Model(BaseModel):
    # Validators are built at a model's first use, not at import: a run that finds every
    # commitment file in the cache never validates a commitment, and `check` on a small data
    # directory starts a tenth of a second sooner.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# The records there are many of (commitments, their payments and schedules, transfers) are
# slotted dataclasses, validated by the same Pydantic core from the same annotations: a
# payment takes 70 bytes instead of the 490 of a model with its __dict__, and validates in
# half the time. (Keyword-only, so that required fields may follow ones with defaults.)
RECORD = ConfigDict(extra="forbid", defer_build=True)  # built at first use, as Model

_Record = TypeVar("_Record")


def altered(record: _Record, **changes: Any) -> _Record:
    """A copy of a (frozen) record with some fields changed, of values already validated: not
    validated again."""
    copy = _copy.copy(record)
    for name, value in changes.items():
        object.__setattr__(copy, name, value)
    return copy


class Rules(Model):
    """Limits of a grant scheme; set on a fund, and overridable on one year's allocation."""

    # Built at once: an instance is a fund's default (below), which a JSON schema is given by
    # this model's own serializer.
    model_config = ConfigDict(defer_build=False)

    max_award: Money | None = None
    max_awards: Count | None = None
    recipient_types: Annotated[list[RecipientType], Field(min_length=1)] | None = None
    excluded_categories: list[Slug] | None = None
    # Crime and disorder reduction grants: an approved commitment states its purpose, reasons
    # and conditions, which the Specified Information Order 2011 requires published.
    grant_details_required: Flag = False


class RingFence(Model):
    name: Text
    name_cy: Text | None = None
    amount: Money
    must_spend: Flag = False
    basis: Text | None = None


class Allocation(Model):
    """One fund's money for one financial year.

    `amount` may be left out when the source states none (the framework gives PACT's grant
    streams rules but no figure): commitments are then recorded and totalled, but there is no
    limit to over-commit. `basis` is always required: every figure says where it comes from.
    """

    amount: Money | None = None
    basis: Text
    note: Text | None = None
    ring_fences: dict[Slug, RingFence] = Field(default_factory=dict)
    rules: Rules | None = None

    @field_validator("ring_fences")
    @classmethod
    def _unfenced_is_reserved(cls, fences: dict[str, RingFence]) -> dict[str, RingFence]:
        if "unfenced" in fences:
            raise ValueError(
                "`unfenced` names the part of an allocation outside its ring-fences; give this "
                "ring-fence another id"
            )
        return fences

    @property
    def ring_fenced(self) -> Decimal:
        return sum((fence.amount for fence in self.ring_fences.values()), Decimal(0))


class Fund(Model):
    name: Text
    name_cy: Text | None = None
    workstream: Workstream
    source: Text | None = None
    description: Text | None = None
    description_cy: Text | None = None
    basis: Text | None = None
    rules: Rules = Rules()
    allocations: dict[FinancialYear, Allocation] = Field(default_factory=dict)

    def rules_for(self, year: FinancialYear) -> Rules:
        """The fund's rules with the year's overrides applied, key by key."""
        allocation = self.allocations.get(year)
        if allocation is None or allocation.rules is None:
            return self.rules
        # Only the keys the year writes (an empty `max_award:` lifts the cap for that year).
        year_rules = allocation.rules
        overrides = {name: getattr(year_rules, name) for name in year_rules.model_fields_set}
        return self.rules.model_copy(update=overrides)


class Organisation(Model):
    name: Text
    name_cy: Text | None = None
    id: Text | None = None  # org-id.guide identifier, where the organisation has one
    # Open data (360Giving): the registered publisher prefix for grant identifiers, the web
    # site the data is published on, and the area the organisation serves.
    publisher_prefix: (
        Annotated[str, StringConstraints(pattern=r"^360G-[A-Za-z0-9-]+$")] | None
    ) = None
    # No spaces and no control characters: a URL is printed and published as it is.
    url: Annotated[str, StringConstraints(pattern=URL_PATTERN)] | None = None
    area: Text | None = None
    area_cy: Text | None = None


class Objective(Model):
    """A Police and Crime Plan objective. funds.yaml gives its title (`id: title`), or its
    title with the Welsh one (`id: {title: …, title_cy: …}`)."""

    title: Text
    title_cy: Text | None = None


def _objective_long_form(value: Any) -> Any:
    """`id: title` is `id: {title: title}`."""
    return {"title": value} if isinstance(value, str) else value


ObjectiveEntry = Annotated[
    Objective, BeforeValidator(_objective_long_form, json_schema_input_type=Text | Objective)
]


# Defined before the files that hold them: with validators built at first use, a forward
# reference would not be resolved where schema_errors looks up a key's allowed names.
class ReserveOpening(Model):
    amount: Money
    date: IsoDate
    basis: Text | None = None


class Reserve(Model):
    """An earmarked reserve: money set aside from the funds, moved in and out by transfers."""

    name: Text
    name_cy: Text | None = None
    description: Text | None = None
    description_cy: Text | None = None
    opening: ReserveOpening | None = None
    basis: Text | None = None


class FundsFile(Model):
    organisation: Organisation
    currency: Literal["GBP"] = "GBP"
    # Written `objectives:`; read through `objectives` (id -> English title, what every report
    # and export shows) and `objective_title_cy`.
    objective_entries: dict[Slug, ObjectiveEntry] = Field(alias="objectives")
    funds: dict[Slug, Fund]
    reserves: dict[Slug, Reserve] = Field(default_factory=dict)
    # rule id -> error | warning | off. Read and checked by policy.read_settings before the rest
    # of the file, so that one bad setting drops only itself and never hides the other checks.
    checks: Any = None

    @functools.cached_property
    def objectives(self) -> dict[str, str]:
        """Each objective's id and (English) title, in the file's order."""
        return {key: entry.title for key, entry in self.objective_entries.items()}

    def objective_title_cy(self, objective_id: str) -> str | None:
        """The Welsh title of an objective, if funds.yaml gives one."""
        entry = self.objective_entries.get(objective_id)
        return None if entry is None else entry.title_cy


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD)
class Recipient:
    name: Text
    type: RecipientType
    id: Text | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD)
class Payment:
    date: IsoDate
    amount: Money
    reference: Text | None = None
    note: Text | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD)
class Review:
    """The review stage of the commissioning cycle (framework 4.1): delivery measured against
    the commitment's expected `outcomes`. `findings` are internal: never published."""

    date: IsoDate
    result: ReviewResult
    findings: Text | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD)
class ScheduledPayment:
    """A payment planned for a date (the commitment's spend profile)."""

    date: IsoDate
    amount: Money
    note: Text | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD)
class _CommitmentFields:
    id: CommitmentId
    fund: Text
    ring_fence: Text | None = None
    recipient: Recipient
    title: Text
    title_cy: Text | None = None
    description: Text | None = None
    description_cy: Text | None = None
    category: Slug | None = None
    objective: Text
    status: Status
    approved: IsoDate | None = None
    decision: Text | None = None
    # A crime and disorder reduction grant is published with these (the Elected Local Policing
    # Bodies (Specified Information) Order 2011); a fund's `grant_details_required` asks for them.
    purpose: Text | None = None
    purpose_cy: Text | None = None
    reasons: Text | None = None  # why it will help reduce crime and disorder
    reasons_cy: Text | None = None
    conditions: list[Text] = Field(default_factory=list)
    conditions_cy: list[Text] = Field(default_factory=list)  # the conditions in Welsh, in order
    payments: list[Payment] = Field(default_factory=list)
    schedule: list[ScheduledPayment] = Field(default_factory=list)
    outcomes: list[Text] = Field(default_factory=list)  # what it is expected to achieve
    reviews: list[Review] = Field(default_factory=list)  # how far it did (internal)
    area: Text | None = None  # where the beneficiaries are, if narrower than the whole area
    area_cy: Text | None = None
    # An award decided by a participatory-budgeting round: the round's id and the project's.
    round: CommitmentId | None = None
    project: CommitmentId | None = None
    note: Text | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD)
class CommitmentInput(_CommitmentFields):
    """A commitment as written: `year` + `amount`, or `years` (financial year -> the amount
    charged to that year's allocation, with `amount`, if given, their sum). Which of the two
    was written is checked by the loader, which then makes the `Commitment`."""

    year: FinancialYear | None = None
    amount: Money | None = None
    years: dict[FinancialYear, Money] | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD)
class Commitment(_CommitmentFields):
    """A commitment as the ledger uses it: `year` is the first year charged and `amount` the
    whole commitment; `years`, for a multi-year commitment, what each year is charged."""

    year: FinancialYear
    amount: Money
    years: dict[FinancialYear, Money] | None = None

    @property
    def paid(self) -> Decimal:
        return sum(map(_AMOUNT, self.payments), _ZERO)

    @property
    def scheduled(self) -> Decimal:
        return sum(map(_AMOUNT, self.schedule), _ZERO)

    @property
    def charges(self) -> list[tuple[FinancialYear, Decimal]]:
        """(year, amount) charged to each year's allocation, in year order."""
        if self.years:
            return sorted(self.years.items())
        return [(self.year, self.amount)]

    @property
    def last_year(self) -> FinancialYear:
        return self.charges[-1][0]


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD)
class TransferEnd:
    """One end of a transfer: a pot (`fund` and `year`, with `ring_fence` for one of its
    ring-fences) or an earmarked `reserve`."""

    fund: Text | None = None
    year: FinancialYear | None = None
    ring_fence: Text | None = None
    reserve: Text | None = None

    @property
    def is_reserve(self) -> bool:
        return self.reserve is not None

    def __str__(self) -> str:
        if self.reserve is not None:
            return f"reserve {self.reserve}"
        fence = f" ring-fence {self.ring_fence}" if self.ring_fence else ""
        return f"fund {self.fund} {self.year}{fence}"


@dataclass(frozen=True, slots=True, kw_only=True,
           config=ConfigDict(extra="forbid", populate_by_name=True, defer_build=True))
class Transfer:
    """Money moved by a decision: a virement (within a year), a carry-forward (to a later year
    of the same fund) or a transfer to or from an earmarked reserve."""

    id: CommitmentId
    date: IsoDate
    source: TransferEnd = Field(alias="from")
    destination: TransferEnd = Field(alias="to")
    amount: Money
    decision: Text | None = None
    reason: Text | None = None
    note: Text | None = None

    @property
    def kind(self) -> str:
        if self.source.is_reserve or self.destination.is_reserve:
            return "reserve transfer"
        if self.source.year == self.destination.year:
            return "virement"
        return "carry-forward"


PB_METHODS: tuple[str, ...] = ("greedy", "top-per-area", "equal-shares")
PbMethod = Literal["greedy", "top-per-area", "equal-shares"]


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD)
class Project:
    """A project put to the public vote in a participatory-budgeting round."""

    id: CommitmentId
    title: Text
    title_cy: Text | None = None
    description: Text | None = None
    description_cy: Text | None = None
    recipient: Recipient
    area: Text
    area_cy: Text | None = None
    amount: Money
    votes: Votes
    objective: Text | None = None  # the round's, unless the project gives its own
    category: Slug | None = None
    note: Text | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD)
class Round:
    """A participatory-budgeting round ("Your Community, Your Choice", framework 6.2): the
    public's votes decide which of its projects the fund's year pays for."""

    id: CommitmentId
    title: Text | None = None
    title_cy: Text | None = None
    fund: Text
    year: FinancialYear
    date: IsoDate  # the day the result was declared: the approval date of its awards
    objective: Text | None = None
    method: PbMethod
    per_area: Count | None = None  # top-per-area only
    ballots: Text | None = None  # a pabulib .pb file beside the round's file
    # The grant details of its awards (see the commitment's), copied into each by `round --write`.
    purpose: Text | None = None
    purpose_cy: Text | None = None
    reasons: Text | None = None
    reasons_cy: Text | None = None
    conditions: list[Text] = Field(default_factory=list)
    conditions_cy: list[Text] = Field(default_factory=list)
    note: Text | None = None
    projects: list[Project]  # none is said by the checks, with what to do


class CommitmentsFile(Model):
    """The top of a file under allocations/. Commitments, transfers and rounds are validated
    one at a time (see loader), so one bad entry does not hide the problems of the others."""

    illustrative: Flag = False
    note: Text | None = None
    commitments: list[Any] = Field(default_factory=list)
    transfers: list[Any] = Field(default_factory=list)
    rounds: list[Any] = Field(default_factory=list)


# What the per-file cache keeps: commitments (with their parts), transfers and rounds.
slotted.quick_to_pickle(Recipient, Payment, ScheduledPayment, Review, Commitment, TransferEnd,
                        Transfer, Project, Round)

# Validators of the records, built once.
COMMITMENT = TypeAdapter(Commitment)
COMMITMENT_INPUT = TypeAdapter(CommitmentInput)
TRANSFER = TypeAdapter(Transfer)
ROUND = TypeAdapter(Round)
