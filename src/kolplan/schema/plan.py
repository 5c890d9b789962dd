"""The plan file (SPEC 4): one KOL's profile and engagement plan."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from kolplan.schema.types import (
    STRICT,
    ActivityStatus,
    ActivityType,
    Cadence,
    Country,
    Handle,
    IdText,
    IsoDate,
    ItemId,
    LawfulBasis,
    NonNegative,
    RelationshipKind,
    Role,
    Slug,
    StrictBool,
    Target,
    Text,
    TextList,
    none_as_empty,
)
from kolplan.vocabulary import DEFAULT_OBJECTIVE_STATUS, QUESTION, Channel, ObjectiveStatus, SatisfactionSource, Tier


class Identifiers(BaseModel):
    """Ways to recognise the same KOL in two files."""

    model_config = STRICT
    crm_id: IdText | None = Field(None, description="The KOL's id in the company's CRM or master data.")
    npi: IdText | None = Field(None, description="US National Provider Identifier: 10 digits, Luhn check digit.")
    orcid: IdText | None = Field(None, description="ORCID iD, e.g. 0000-0002-1825-0097.")
    email: IdText | None = None


class Relationship(BaseModel):
    """An existing relationship with us or another organisation."""

    model_config = STRICT
    organization: Text
    kind: RelationshipKind
    since: IsoDate | None = None


class Privacy(BaseModel):
    """What the KOL was told about the personal data kept here (GDPR Art. 13/14)."""

    model_config = STRICT
    lawful_basis: LawfulBasis | None = None
    notice_given: IsoDate | None = None
    tov_disclosure_consent: StrictBool | None = None


class Kol(BaseModel):
    """The KOL's profile, answering the seven KOL-centred questions."""

    model_config = STRICT
    name: Text
    credentials: Text | None = None
    institution: Text | None = None
    country: Country | None = None
    identifiers: Identifiers = Field(default_factory=Identifiers)
    tier: Tier
    therapeutic_areas: TextList = Field(default_factory=list)
    preferred_channels: TextList = Field(default_factory=list, description=QUESTION["preferred_channels"])
    scientific_interests: TextList = Field(default_factory=list, description=QUESTION["scientific_interests"])
    professional_objectives: TextList = Field(
        default_factory=list, description=QUESTION["professional_objectives"]
    )
    relationships: Annotated[list[Relationship], none_as_empty(Relationship)] = Field(
        default_factory=list, description="Existing relationships with us and with other organisations."
    )
    share_of_scientific_voice: Annotated[float, Field(ge=0, le=1, strict=True)] | None = Field(
        None, description=f"{QUESTION['share_of_scientific_voice']} (0..1)"
    )
    desires: TextList = Field(default_factory=list, description=QUESTION["desires"])
    relationship_expectations: TextList = Field(
        default_factory=list, description=QUESTION["relationship_expectations"]
    )
    privacy: Privacy | None = None


class Owner(BaseModel):
    model_config = STRICT
    person: Handle
    role: Role


class Period(BaseModel):
    model_config = STRICT
    start: IsoDate
    end: IsoDate


class Objective(BaseModel):
    """An outcome the engagement should produce, with what each side gains."""

    model_config = STRICT
    id: ItemId
    statement: Text
    kol_value: Text | None = Field(None, description="What the KOL gains.")
    org_value: Text | None = Field(None, description="What the organisation gains.")
    metric: Text | None = None
    target: Target | None = None
    due: IsoDate | None = None
    status: ObjectiveStatus = DEFAULT_OBJECTIVE_STATUS


class Activity(BaseModel):
    """Something done with or for the KOL, linked to the objectives it serves."""

    model_config = STRICT
    id: ItemId
    type: ActivityType
    title: Text
    objectives: Annotated[list[ItemId], none_as_empty(str)] = Field(default_factory=list)
    owner: Handle
    date: IsoDate | None = None
    status: ActivityStatus = "planned"
    hours: NonNegative | None = Field(None, description="Time asked of the KOL.")
    compensation: NonNegative | None = Field(None, description="In compliance.currency.")

    @model_validator(mode="after")
    def _date_unless_planned(self) -> Activity:
        if self.date is None and self.status != "planned":
            raise PydanticCustomError(
                "activity_date", "activity {id} is {status} but has no date: add date: YYYY-MM-DD",
                {"id": self.id, "status": self.status},
            )
        return self


class Governance(BaseModel):
    model_config = STRICT
    review_cadence: Cadence | None = None
    next_review: IsoDate | None = None
    stakeholders: Annotated[list[Handle], none_as_empty(str)] = Field(default_factory=list)


class Satisfaction(BaseModel):
    """A KOL satisfaction score, 0-10 (NPS-style)."""

    model_config = STRICT
    date: IsoDate
    score: Annotated[int, Field(ge=0, le=10, strict=True)]
    source: SatisfactionSource | None = None


class PlanBody(BaseModel):
    model_config = STRICT
    period: Period
    co_developed_with_kol: StrictBool | None = None
    purpose: Text | None = None
    cadence: Cadence | None = None
    objectives: Annotated[list[Objective], none_as_empty(Objective)] = Field(default_factory=list)
    activities: Annotated[list[Activity], none_as_empty(Activity)] = Field(default_factory=list)
    governance: Governance | None = None
    satisfaction: Annotated[list[Satisfaction], none_as_empty(Satisfaction)] = Field(default_factory=list)


class Interaction(BaseModel):
    """A logged contact with the KOL (appended by ``kolplan log``)."""

    model_config = STRICT
    date: IsoDate
    by: Handle
    channel: Channel
    summary: Text
    insights: TextList = Field(default_factory=list)


class Feedback(BaseModel):
    """Feedback from the KOL; ``response`` records how it was acted on."""

    model_config = STRICT
    date: IsoDate
    summary: Text
    response: str | None = None


class Plan(BaseModel):
    """One KOL's profile and engagement plan: ``plans/<id>.yaml``."""

    model_config = STRICT
    schema_: Literal["kolplan/v1"] = Field(alias="schema")
    id: Slug
    kol: Kol
    owners: Annotated[list[Owner], none_as_empty(Owner)]
    plan: PlanBody
    interactions: Annotated[list[Interaction], none_as_empty(Interaction)] = Field(default_factory=list)
    feedback: Annotated[list[Feedback], none_as_empty(Feedback)] = Field(default_factory=list)
    custom: dict[str, Any] | None = Field(None, description="Free-form; the only place unknown keys are allowed.")

    def leads(self) -> list[Owner]:
        return [o for o in self.owners if o.role == "lead"]

    def owner_handles(self) -> set[str]:
        return {o.person for o in self.owners}

    def last_contact(self) -> dt.date | None:
        """The latest interaction or done activity, if any."""
        dates = [i.date for i in self.interactions]
        dates += [a.date for a in self.plan.activities if a.status == "done" and a.date is not None]
        return max(dates) if dates else None

    def upcoming_activities(self, as_of: dt.date) -> list[Activity]:
        """What is next: the planned activities dated on or after ``as_of``, by date (those of one
        day in the plan's order), then the undated planned ones, in the plan's order."""
        planned = [a for a in self.plan.activities if a.status == "planned"]
        dated = sorted((a for a in planned if a.date is not None and a.date >= as_of), key=lambda a: a.date or as_of)
        return dated + [a for a in planned if a.date is None]

    def compensation_by_year(self) -> dict[int, list[tuple[int, float]]]:
        """Compensation per calendar year, as the annual cap counts it (KP402, KP405, the review,
        the plan document): ``(index in plan.activities, amount)`` in date order.

        Planned and done activities count, by the year of their date; an undated planned
        activity counts in the year the plan period starts. A cancelled one commits no money.
        """
        start = self.plan.period.start
        rows = [(a.date or start, i, a.compensation) for i, a in enumerate(self.plan.activities)
                if a.status != "cancelled" and a.compensation]
        out: dict[int, list[tuple[int, float]]] = {}
        for day, i, pay in sorted(rows):
            out.setdefault(day.year, []).append((i, pay))
        return out
