"""``kolplan.yaml`` (SPEC 3): departments, people, rule settings, compliance limits."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from kolplan.schema.configview import ConfigView, DepartmentView, PersonView, RulesView
from kolplan.schema.types import (
    STRICT,
    ActivityType,
    DepartmentFunction,
    IdText,
    NonNegative,
    SeverityName,
    Text,
    none_as_empty,
)


class Department(BaseModel):
    model_config = STRICT
    name: Text
    function: DepartmentFunction


class Person(BaseModel):
    model_config = STRICT
    name: Text
    department: Text
    email: IdText | None = None


class RuleSettings(BaseModel):
    model_config = STRICT
    ignore: Annotated[list[Text], none_as_empty(str)] = Field(default_factory=list)
    severity: dict[str, SeverityName] = Field(default_factory=dict)


class FmvRates(BaseModel):
    """Maximum hourly rate by KOL tier."""

    model_config = STRICT
    global_: NonNegative | None = Field(None, alias="global")
    national: NonNegative | None = None
    regional: NonNegative | None = None
    local: NonNegative | None = None
    rising: NonNegative | None = None

    def for_tier(self, tier: str) -> float | None:
        return self.global_ if tier == "global" else getattr(self, tier, None)


class Compliance(BaseModel):
    model_config = STRICT
    currency: Text | None = None
    annual_cap: NonNegative | None = None
    fmv_hourly_rate: FmvRates | None = None
    commercial_activity_types: Annotated[list[ActivityType], none_as_empty(str)] = Field(default_factory=list)
    medical_activity_types: Annotated[list[ActivityType], none_as_empty(str)] = Field(default_factory=list)
    restricted_phrases: Annotated[list[Text], none_as_empty(str)] = Field(default_factory=list)


class Config(BaseModel):
    """The organisation's kolplan configuration; its file marks the repository root."""

    model_config = STRICT
    schema_: Literal["kolplan/v1"] = Field(alias="schema")
    organization: Text
    fiscal_year_start: Annotated[int, Field(ge=1, le=12, strict=True)] = 1
    departments: dict[str, Department] = Field(default_factory=dict)
    people: dict[str, Person] = Field(default_factory=dict)
    rules: RuleSettings = Field(default_factory=RuleSettings)
    compliance: Compliance | None = None

    @cached_property
    def view(self) -> ConfigView:
        """Who is who and the rule settings, as the cross-plan rules and the labels read them."""
        return ConfigView(
            {k: DepartmentView(d.name, d.function) for k, d in self.departments.items()},
            {k: PersonView(p.name, p.department) for k, p in self.people.items()},
            RulesView(tuple(self.rules.ignore), dict(self.rules.severity)),
        )
