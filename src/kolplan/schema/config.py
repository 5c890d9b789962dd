"""``kolplan.yaml`` (SPEC 3): departments, people, rule settings, compliance limits."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from kolplan.schema.configview import ConfigView, DepartmentView, PersonView, RulesView
from kolplan.schema.types import (
    STRICT,
    ActivityType,
    Days,
    DepartmentFunction,
    IdText,
    Month,
    NonNegative,
    Positive,
    SeverityName,
    StrictBool,
    Text,
    Year,
    none_as_empty,
)


class Department(BaseModel):
    """A department that owns or contributes to plans."""

    model_config = STRICT
    name: Text = Field(description="The department's name as documents show it, e.g. Field Medical (MSL).")
    function: DepartmentFunction = Field(description=(
        "medical, commercial or other: decides which activity types it may run (rules KP3xx, KP4xx)."))


class Person(BaseModel):
    """Someone who owns or contributes to plans, known by a handle."""

    model_config = STRICT
    name: Text = Field(description="The person's name, e.g. Alice Chen.")
    department: Text = Field(description="The id of their department under departments:, e.g. field-medical.")
    email: IdText | None = Field(None, description="Their work email address, e.g. a.chen@example.com.")


class RuleSettings(BaseModel):
    """Rules switched off and severities changed for the whole repository."""

    model_config = STRICT
    ignore: Annotated[list[Text], none_as_empty(Text)] = Field(default_factory=list, description=(
        "Rule codes or names switched off, e.g. [KP106] or [not-co-developed]."))
    severity: dict[str, SeverityName] = Field(default_factory=dict, description=(
        "A rule's severity changed: code or name -> error, warning, info or off, e.g. {KP201: info}."))


class FmvRates(BaseModel):
    """Maximum hourly rate by KOL tier."""

    model_config = STRICT
    global_: NonNegative | None = Field(None, alias="global", description="Maximum hourly rate for a global KOL.")
    national: NonNegative | None = Field(None, description="Maximum hourly rate for a national KOL.")
    regional: NonNegative | None = Field(None, description="Maximum hourly rate for a regional KOL.")
    local: NonNegative | None = Field(None, description="Maximum hourly rate for a local KOL.")
    rising: NonNegative | None = Field(None, description="Maximum hourly rate for a rising KOL.")

    def for_tier(self, tier: str) -> float | None:
        return self.global_ if tier == "global" else getattr(self, tier, None)


class TierHours(BaseModel):
    """Hours of a KOL's time per calendar quarter, by KOL tier."""

    model_config = STRICT
    global_: NonNegative | None = Field(None, alias="global", description="Hours per quarter for a global KOL.")
    national: NonNegative | None = Field(None, description="Hours per quarter for a national KOL.")
    regional: NonNegative | None = Field(None, description="Hours per quarter for a regional KOL.")
    local: NonNegative | None = Field(None, description="Hours per quarter for a local KOL.")
    rising: NonNegative | None = Field(None, description="Hours per quarter for a rising KOL.")

    def for_tier(self, tier: str) -> float | None:
        return self.global_ if tier == "global" else getattr(self, tier, None)


class Coordination(BaseModel):
    """How departments share a KOL's time; rules KP206 and KP306 run only where their keys are set."""

    model_config = STRICT
    window_days: Days | None = Field(None, description=(
        "Two departments engaging one KOL within this many days collide (rule KP306), e.g. 14."))
    max_hours_per_quarter: TierHours | None = Field(None, description=(
        "The time that may be asked of one KOL per calendar quarter, by tier, in hours (rule KP206)."))


class Disclosure(BaseModel):
    """Transfers of value reporting (kolplan disclose; rules KP406, KP407)."""

    model_config = STRICT
    usd_rate: Positive | None = Field(None, description=(
        "US dollars per unit of compliance.currency, for Open Payments; required there if the currency "
        "is not USD, e.g. 1.08."))
    open_payments_thresholds: dict[Year, Annotated[list[NonNegative], Field(min_length=2, max_length=2)]] = Field(
        default_factory=dict, json_schema_extra={"propertyNames": {"pattern": "^(20[0-9]{2}|2100)$"}}, description=(
            "Program year -> [single payment, annual total] de minimis thresholds in USD as CMS publishes "
            "them, e.g. {2027: [14.10, 141.00]}; 2025 and 2026 are built in."))
    nature_of_payment: dict[ActivityType, Text] = Field(default_factory=dict, description=(
        "Activity type -> Open Payments nature of payment, e.g. {advisory-board: Consulting Fee}; "
        "sensible defaults are built in."))


class Compliance(BaseModel):
    """Compliance limits; each KP4xx rule runs only where its keys are set."""

    model_config = STRICT
    currency: Text | None = Field(None, description="The currency of fees and caps, e.g. USD or EUR.")
    annual_cap: NonNegative | None = Field(None, description=(
        "Total compensation allowed per KOL per calendar year, in currency, e.g. 25000 (rule KP402)."))
    cap_includes_expenses: StrictBool = Field(False, description=(
        "true: the annual cap (KP402, KP405) counts an activity's expenses with its fee; false (the default): "
        "fees only."))
    fmv_hourly_rate: FmvRates | None = Field(None, description=(
        "Fair-market-value limit: the maximum hourly rate by KOL tier, in currency."))
    commercial_activity_types: Annotated[list[ActivityType], none_as_empty(ActivityType)] = Field(
        default_factory=list, description="Activity types only commercial departments may own, e.g. [speaker-program].")
    medical_activity_types: Annotated[list[ActivityType], none_as_empty(ActivityType)] = Field(
        default_factory=list, description=(
            "Activity types only medical departments may own, e.g. [advisory-board, scientific-exchange]."))
    restricted_phrases: Annotated[list[Text], none_as_empty(Text)] = Field(default_factory=list, description=(
        "Promotional language medical notes must not carry, e.g. [best in class, market share]."))
    require_rationale: Annotated[list[ActivityType], none_as_empty(ActivityType)] = Field(
        default_factory=list, description=(
            "Paid activity types that must say why this KOL (rationale:, rule KP408), e.g. [advisory-board]."))


class Config(BaseModel):
    """The organisation's kolplan configuration; its file marks the repository root."""

    model_config = STRICT
    schema_: Literal["kolplan/v1"] = Field(alias="schema", description="The file format: always kolplan/v1.")
    organization: Text = Field(description="Your organisation's name, e.g. Example Bio.")
    fiscal_year_start: Month = Field(1, description=(
        "The month (1-12) that starts fiscal Q1; default 1. Fiscal year N ends in calendar year N."))
    departments: dict[str, Department] = Field(default_factory=dict, description=(
        "Department id -> name and function, e.g. field-medical: {name: Field Medical (MSL), function: medical}."))
    people: dict[str, Person] = Field(default_factory=dict, description=(
        "Handle -> name, department, email; plan owners and authors refer to these handles."))
    rules: RuleSettings = Field(default_factory=RuleSettings, description=(
        "Optional: rules switched off (ignore) and severities changed (severity)."))
    compliance: Compliance | None = Field(None, description=(
        "Optional compliance limits: currency, annual cap, hourly rates, who may run which activity types."))
    coordination: Coordination | None = Field(None, description=(
        "Optional: the collision window and the hours per quarter a KOL may be asked for (KP206, KP306)."))
    disclosure: Disclosure | None = Field(None, description=(
        "Optional: transfers of value reporting for kolplan disclose: USD rate, Open Payments thresholds, "
        "nature of payment by activity type."))

    @property
    def cap_with_expenses(self) -> bool:
        """Whether the annual cap (KP402, KP405, the review, the shortlist) counts expenses with the fees."""
        return self.compliance is not None and self.compliance.cap_includes_expenses

    @cached_property
    def view(self) -> ConfigView:
        """Who is who and the rule settings, as the cross-plan rules and the labels read them."""
        return ConfigView(
            {k: DepartmentView(d.name, d.function) for k, d in self.departments.items()},
            {k: PersonView(p.name, p.department) for k, p in self.people.items()},
            RulesView(tuple(self.rules.ignore), dict(self.rules.severity)),
        )

    def with_person(self, handle: str, department: str, name: str) -> Config:
        """A copy with one more person in ``department``: how ``shortlist`` asks the rules
        about an engagement a department (not yet a person) would own. The copy's
        :attr:`view` is computed afresh (``model_copy`` would carry the cached one over)."""
        people = {**self.people, handle: Person.model_construct(name=name, department=department)}
        copy = self.model_copy(update={"people": people})
        copy.__dict__.pop("view", None)  # a cached_property lives in the instance's __dict__
        return copy
