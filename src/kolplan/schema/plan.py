"""The plan file (SPEC 4): one KOL's profile and engagement plan."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from kolplan.lint.identifiers import EMAIL_PATTERN
from kolplan.schema.types import (
    STRICT,
    ActivityType,
    Cadence,
    Country,
    FreeText,
    Handle,
    IdText,
    IsoDate,
    ItemId,
    LawfulBasis,
    NonNegative,
    RelationshipKind,
    Role,
    Score,
    Slug,
    StrictBool,
    Target,
    Text,
    TextList,
    none_as_empty,
)
from kolplan.vocabulary import (
    DEFAULT_OBJECTIVE_STATUS,
    IDENTIFIER_LABELS,
    IMPACT_LEVELS,
    QUESTION,
    ActivityStatus,
    Channel,
    ExpenseKind,
    ImpactLevel,
    ObjectiveStatus,
    SatisfactionSource,
    Tier,
)


class Identifiers(BaseModel):
    """Ways to recognise the same KOL in two files: any of these. Write them in quotes (text),
    so that leading zeros are kept."""

    model_config = STRICT
    crm_id: IdText | None = Field(None, title=IDENTIFIER_LABELS["crm_id"], description=(
        'The KOL\'s id in the company\'s CRM or master data, as text in quotes, e.g. "V-248113" or "0012345". '
        "Two plans with the same CRM id are the same KOL."))
    npi: IdText | None = Field(
        None, title=IDENTIFIER_LABELS["npi"], json_schema_extra={"pattern": "^[0-9]{10}$"},
        description='US National Provider Identifier (prescribers): 10 digits in quotes with a valid check digit, '
                    'e.g. "1234567893".')
    orcid: IdText | None = Field(
        None, title=IDENTIFIER_LABELS["orcid"],
        json_schema_extra={"pattern": "^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"},
        description="ORCID iD with a valid check character, e.g. 0000-0002-1825-0097.")
    email: IdText | None = Field(
        None, title=IDENTIFIER_LABELS["email"], json_schema_extra={"pattern": EMAIL_PATTERN},
        description="The KOL's email address, e.g. j.okafor@example.org.")


class Relationship(BaseModel):
    """An existing relationship with us or another organisation."""

    model_config = STRICT
    organization: Text = Field(description="The organisation: ours or another company, e.g. Example Bio.")
    kind: RelationshipKind = Field(description=(
        "What the relationship is: advisory-board, speaker, investigator, consultant, grant or other."))
    since: IsoDate | None = Field(None, description="When it started, e.g. 2024-03-01.")


class Privacy(BaseModel):
    """What the KOL was told about the personal data kept here (GDPR Art. 13/14)."""

    model_config = STRICT
    lawful_basis: LawfulBasis | None = Field(None, description=(
        "The GDPR lawful basis for keeping this plan: legitimate-interest, consent, contract or other."))
    notice_given: IsoDate | None = Field(None, description=(
        "When the KOL was told what is kept about them (GDPR Art. 13/14 notice), e.g. 2025-12-01."))
    tov_disclosure_consent: StrictBool | None = Field(None, description=(
        "true if the KOL agrees to individual disclosure of transfers of value (EFPIA); optional."))


class Kol(BaseModel):
    """The KOL's profile, answering the seven KOL-centred questions."""

    model_config = STRICT
    name: Text = Field(description="The KOL's full name, e.g. Jane Okafor.")
    credentials: Text | None = Field(None, description="Degrees and titles, e.g. MD, PhD.")
    institution: Text | None = Field(None, description="Where the KOL works, e.g. University Hospital Example.")
    country: Country | None = Field(None, description=(
        "The country the KOL works in: a two-letter ISO 3166-1 code in capitals, e.g. GB, DE, US."))
    identifiers: Identifiers = Field(default_factory=Identifiers, description=(
        "CRM id, NPI, ORCID, email: used to find the same KOL in two plans. Quote them."))
    tier: Tier = Field(description=(
        "The KOL's reach: global, national, regional, local, or rising (an emerging expert)."))
    therapeutic_areas: TextList = Field(default_factory=list, description=(
        "The therapeutic areas the KOL works in, e.g. [oncology, haematology]."))
    preferred_channels: TextList = Field(default_factory=list, description=(
        f"{QUESTION['preferred_channels']} e.g. [in-person, virtual]."))
    scientific_interests: TextList = Field(default_factory=list, description=(
        f"{QUESTION['scientific_interests']} e.g. [CAR-T durability, MRD]."))
    professional_objectives: TextList = Field(default_factory=list, description=(
        f"{QUESTION['professional_objectives']} e.g. [lead a phase III trial]."))
    relationships: Annotated[list[Relationship], none_as_empty(Relationship)] = Field(
        default_factory=list, description=(
            f"{QUESTION['relationships']} One entry per organisation: organization, kind, since."))
    share_of_scientific_voice: Annotated[float, Field(ge=0, le=1, strict=True)] | None = Field(
        None, description=f"{QUESTION['share_of_scientific_voice']} A share from 0 to 1, e.g. 0.18."
    )
    desires: TextList = Field(default_factory=list, description=(
        f"{QUESTION['desires']} e.g. [visibility at ASH, mentoring fellows]."))
    relationship_expectations: TextList = Field(default_factory=list, description=(
        f"{QUESTION['relationship_expectations']} e.g. [early data access, honest feedback]."))
    privacy: Privacy | None = Field(None, description=(
        "GDPR: the lawful basis and when the KOL was told what is kept (rule KP501)."))


class Owner(BaseModel):
    """A person who works on this plan: exactly one lead, any number of contributors."""

    model_config = STRICT
    person: Handle = Field(description="A handle from people: in kolplan.yaml, e.g. a.chen.")
    role: Role = Field(description="lead (the one accountable person) or contributor.")


class Period(BaseModel):
    """The dates the plan covers."""

    model_config = STRICT
    start: IsoDate = Field(description="The first day of the plan, e.g. 2026-01-01.")
    end: IsoDate = Field(description="The last day of the plan, on or after start, e.g. 2026-12-31.")


class Objective(BaseModel):
    """An outcome the engagement should produce, with what each side gains."""

    model_config = STRICT
    id: ItemId = Field(description='A short id, unique in this plan, that activities link to, e.g. O1 (text: '
                                   'write "1" in quotes if it is a number).')
    statement: Text = Field(description="The outcome in one sentence, e.g. Co-author a review on MRD endpoints.")
    kol_value: Text | None = Field(None, description=(
        "What the KOL gains, e.g. senior authorship at a high-impact journal."))
    org_value: Text | None = Field(None, description=(
        "What the organisation gains, e.g. evidence summary for the medical plan."))
    metric: Text | None = Field(None, description="How progress is measured, e.g. manuscript submitted.")
    target: Target | None = Field(None, description="The value of the metric to reach: a number or a short text.")
    due: IsoDate | None = Field(None, description="When the objective should be met, e.g. 2026-09-30.")
    status: ObjectiveStatus = Field(DEFAULT_OBJECTIVE_STATUS, description=(
        "not-started (the default), on-track, at-risk, achieved, missed or dropped."))
    impact: ImpactLevel | None = Field(None, description=(
        f"Optional: what the metric measures, from engagement to patients: {', '.join(IMPACT_LEVELS)}."))


class Expense(BaseModel):
    """A transfer of value to the KOL other than the fee, for one activity."""

    model_config = STRICT
    kind: ExpenseKind = Field(description="travel, lodging, meals, registration or other.")
    amount: NonNegative = Field(description="The amount, in compliance.currency of kolplan.yaml, e.g. 420.")


class Activity(BaseModel):
    """Something done with or for the KOL, linked to the objectives it serves."""

    # The JSON Schema says what _date_unless_planned checks, so that an editor flags it too.
    model_config = ConfigDict(**STRICT, json_schema_extra={
        "if": {"required": ["status"], "properties": {"status": {"enum": ["done", "cancelled"]}}},
        "then": {"required": ["date"], "properties": {"date": {"type": "string"}}},
    })
    id: ItemId = Field(description='A short id, unique in this plan, e.g. A1 (text: write "1" in quotes if it is a '
                                   'number).')
    type: ActivityType = Field(description=(
        "What kind of activity, e.g. advisory-board, speaker-program, consulting, publication, check-in."))
    title: Text = Field(description="A short name for the activity, e.g. EU haematology advisory board.")
    objectives: Annotated[list[ItemId], none_as_empty(ItemId)] = Field(default_factory=list, description=(
        "The ids of the objectives this activity serves, e.g. [O1]."))
    owner: Handle = Field(description="Who runs it: a handle from people: in kolplan.yaml, e.g. r.patel.")
    date: IsoDate | None = Field(None, description=(
        "When it takes place, e.g. 2026-04-15. Required unless the status is planned."))
    status: ActivityStatus = Field("planned", description=(
        "planned (the default), done or cancelled. A done or cancelled activity needs a date."))
    hours: NonNegative | None = Field(None, description="Time asked of the KOL, in hours, e.g. 4.")
    compensation: NonNegative | None = Field(None, description=(
        "The fee paid to the KOL, in compliance.currency of kolplan.yaml, e.g. 1600."))
    expenses: Annotated[list[Expense], none_as_empty(Expense)] = Field(default_factory=list, description=(
        "Other transfers of value to the KOL for this activity: kind (travel, lodging, meals, registration, "
        "other) and amount, e.g. [{kind: travel, amount: 420}]."))
    paid_on: IsoDate | None = Field(None, description=(
        "When the fee and expenses were paid, e.g. 2026-04-30; default: the activity's date (disclosure)."))
    rationale: Text | None = Field(None, description=(
        "Why this KOL, for this need: e.g. Leads the only EU MRD registry (rule KP408)."))

    @model_validator(mode="after")
    def _date_unless_planned(self) -> Activity:
        if self.date is None and self.status != "planned":
            raise PydanticCustomError(
                "activity_date", "activity {id} is {status} but has no date: add date: YYYY-MM-DD",
                {"id": self.id, "status": self.status},
            )
        return self


class Governance(BaseModel):
    """How the plan is reviewed and by whom."""

    model_config = STRICT
    review_cadence: Cadence | None = Field(None, description=(
        "How often the plan is reviewed: weekly, biweekly, monthly, quarterly or semiannual."))
    next_review: IsoDate | None = Field(None, description="The date of the next review, e.g. 2026-07-01.")
    stakeholders: Annotated[list[Handle], none_as_empty(Handle)] = Field(default_factory=list, description=(
        "Who takes part in reviews: handles from people: in kolplan.yaml, e.g. [a.chen, r.patel]."))


class Satisfaction(BaseModel):
    """A KOL satisfaction score, 0-10 (NPS-style)."""

    model_config = STRICT
    date: IsoDate = Field(description="When the score was given, e.g. 2026-06-30.")
    score: Score = Field(description=(
        "The KOL's satisfaction, a whole number from 0 to 10 (NPS-style), e.g. 9."))
    source: SatisfactionSource | None = Field(None, description="Where it comes from: survey, interview or other.")


class PlanBody(BaseModel):
    """The engagement plan: period, purpose, objectives, activities, governance."""

    model_config = STRICT
    period: Period = Field(description="The dates the plan covers, e.g. {start: 2026-01-01, end: 2026-12-31}.")
    co_developed_with_kol: StrictBool | None = Field(None, description=(
        "true if the KOL took part in developing this plan (rule KP106)."))
    purpose: Text | None = Field(None, description=(
        "Why we engage this KOL, in a sentence, e.g. Build a two-way scientific partnership in MRD-guided therapy."))
    cadence: Cadence | None = Field(None, description=(
        "How often to be in contact: weekly, biweekly, monthly, quarterly or semiannual (rule KP201)."))
    objectives: Annotated[list[Objective], none_as_empty(Objective)] = Field(default_factory=list, description=(
        "Outcomes that bring value to both sides: id, statement, kol_value, org_value, metric, target, due."))
    activities: Annotated[list[Activity], none_as_empty(Activity)] = Field(default_factory=list, description=(
        "What is planned or done with the KOL: id, type, title, objectives, owner, date, status."))
    governance: Governance | None = Field(None, description="How the plan is reviewed: cadence, next review, "
                                                            "stakeholders.")
    satisfaction: Annotated[list[Satisfaction], none_as_empty(Satisfaction)] = Field(
        default_factory=list, description="KOL satisfaction scores, 0-10: the key result (date, score, source).")


class Interaction(BaseModel):
    """A logged contact with the KOL (appended by ``kolplan log``)."""

    model_config = STRICT
    date: IsoDate = Field(description="When the contact took place, e.g. 2026-02-11.")
    by: Handle = Field(description="Who had the contact: a handle from people: in kolplan.yaml.")
    channel: Channel = Field(description="in-person, virtual, phone, email, congress or other.")
    summary: Text = Field(description="What was discussed, in a sentence.")
    insights: TextList = Field(default_factory=list, description=(
        "What was learnt about the KOL, e.g. [wants data on older patients]."))


class Feedback(BaseModel):
    """Feedback from the KOL; ``response`` records how it was acted on."""

    model_config = STRICT
    date: IsoDate = Field(description="When the KOL gave the feedback, e.g. 2026-03-02.")
    summary: Text = Field(description="The feedback, in a sentence, e.g. Slides too promotional.")
    response: FreeText | None = Field(None, description=(
        "How it was acted on; empty or missing means not yet (rule KP107)."))


class Plan(BaseModel):
    """One KOL's profile and engagement plan: ``plans/<id>.yaml``."""

    model_config = STRICT
    schema_: Literal["kolplan/v1"] = Field(alias="schema", description="The file format: always kolplan/v1.")
    id: Slug = Field(description=(
        "The plan's id: lowercase letters, digits and hyphens, at most 64 characters, equal to the file name "
        "without .yaml, e.g. jane-okafor."))
    kol: Kol = Field(description="The KOL's profile: who they are and the seven KOL-centred questions.")
    owners: Annotated[list[Owner], none_as_empty(Owner)] = Field(description=(
        "Who works on this plan: exactly one person with role: lead, others role: contributor."))
    plan: PlanBody = Field(description="The engagement plan: period, purpose, cadence, objectives, activities.")
    interactions: Annotated[list[Interaction], none_as_empty(Interaction)] = Field(
        default_factory=list, description="Contacts with the KOL, newest last (kolplan log appends them).")
    feedback: Annotated[list[Feedback], none_as_empty(Feedback)] = Field(default_factory=list, description=(
        "Feedback from the KOL and how it was acted on."))
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

    def compensation_by_year(self, *, include_expenses: bool = False) -> dict[int, list[tuple[int, float]]]:
        """Compensation per calendar year, as the annual cap counts it (KP402, KP405, the review,
        the plan document): ``(index in plan.activities, amount)`` in date order.

        Planned and done activities count, by the year of their date; an undated planned
        activity counts in the year the plan period starts. A cancelled one commits no money.
        With ``include_expenses`` (``compliance.cap_includes_expenses``) an activity's amount is
        its fee and its expenses together, and an activity with expenses but no fee counts too.
        """
        start = self.plan.period.start
        rows = []
        for i, a in enumerate(self.plan.activities):
            if a.status == "cancelled":
                continue
            pay = a.compensation or 0.0
            if include_expenses:
                for e in a.expenses:
                    pay += e.amount
            if pay:
                rows.append((a.date or start, i, pay))
        out: dict[int, list[tuple[int, float]]] = {}
        for day, i, pay in sorted(rows):
            out.setdefault(day.year, []).append((i, pay))
        return out
