"""The data format as Pydantic models: funds.yaml and the commitment files.

Key names here are the public contract (PRODUCT.md): users write them by hand and CI checks them,
so they are never renamed. Unknown keys are refused, so a typo such as `ammount:` is reported
instead of silently ignored.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from .scalars import Count, FinancialYear, Flag, IsoDate, Money

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
Status = Literal["proposed", "approved", "cancelled"]

# Ids defined in funds.yaml are typed on the command line and become account names in exports:
# lower-case words joined by hyphens keeps them portable.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
CommitmentId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
# Text from the data: no control characters, C0 or C1 (a spreadsheet refuses them, a terminal
# obeys them, and `"\e[2J"` in double quotes is YAML for one);
# line breaks and tabs are fine.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"  # no C0 or C1 controls
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=TEXT_PATTERN)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rules(Model):
    """Limits of a grant scheme; set on a fund, and overridable on one year's allocation."""

    max_award: Money | None = None
    max_awards: Count | None = None
    recipient_types: Annotated[list[RecipientType], Field(min_length=1)] | None = None
    excluded_categories: list[Slug] | None = None


class RingFence(Model):
    name: Text
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
    workstream: Workstream
    source: Text | None = None
    description: Text | None = None
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
    id: Text | None = None  # org-id.guide identifier, where the organisation has one
    # Open data (360Giving): the registered publisher prefix for grant identifiers, the web
    # site the data is published on, and the area the organisation serves.
    publisher_prefix: (
        Annotated[str, StringConstraints(pattern=r"^360G-[A-Za-z0-9-]+$")] | None
    ) = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s/$.?#][^\s]*$")] | None = None
    area: Text | None = None


class FundsFile(Model):
    organisation: Organisation
    currency: Literal["GBP"] = "GBP"
    objectives: dict[Slug, Text]
    funds: dict[Slug, Fund]
    # rule id -> error | warning | off. Read and checked by policy.read_settings before the rest
    # of the file, so that one bad setting drops only itself and never hides the other checks.
    checks: Any = None


class Recipient(Model):
    name: Text
    type: RecipientType
    id: Text | None = None


class Payment(Model):
    date: IsoDate
    amount: Money
    reference: Text | None = None
    note: Text | None = None


class Commitment(Model):
    id: CommitmentId
    fund: Text
    year: FinancialYear
    ring_fence: Text | None = None
    recipient: Recipient
    title: Text
    description: Text | None = None
    category: Slug | None = None
    objective: Text
    amount: Money
    status: Status
    approved: IsoDate | None = None
    decision: Text | None = None
    payments: list[Payment] = Field(default_factory=list)
    area: Text | None = None  # where the beneficiaries are, if narrower than the whole area
    note: Text | None = None

    @property
    def paid(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), Decimal(0))


class CommitmentsFile(Model):
    """The top of a file under allocations/. Commitments are validated one at a time (see
    loader), so one bad commitment does not hide the problems of the others."""

    illustrative: Flag = False
    note: Text | None = None
    commitments: list[Any]
