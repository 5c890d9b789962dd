"""The plan document (``kolplan render``, SPEC 8) as plain data, laid out by ``templates/plan.md.j2``.

It answers the seven KOL-centred questions of seed 001, says who owns the relationship
in which department, shows each objective with its status and the activities that serve
it, the timeline, governance, the satisfaction trend, interactions, feedback with the
responses to it, and the plan's open diagnostics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from kolplan.engagement.collisions import collisions
from kolplan.engagement.items import engagements
from kolplan.engagement.load import quarter_label, quarter_loads
from kolplan.views.charts import XY_INIT, Gantt, GanttTask, build_gantt
from kolplan.views.figures import year_compensation
from kolplan.views.kol import PersonRef, person_ref
from kolplan.vocabulary import CLOSED_STATUSES, IDENTIFIER_LABELS, KOL_QUESTIONS

if TYPE_CHECKING:
    from kolplan.diagnostics import Diagnostic
    from kolplan.schema import Config, Plan
    from kolplan.schema.plan import Feedback, Interaction, Kol

SHOWN_IDENTIFIERS: Final = ("crm_id", "npi", "orcid")  # the document leaves out the KOL's email


@dataclass
class ProfileAnswer:
    field: str
    question: str
    answers: list[str]  # the plan's words; empty: not answered yet


@dataclass
class ActivityDoc:
    id: str
    type: str
    title: str
    date: dt.date | None
    status: str
    owner: PersonRef
    objectives: list[str]
    hours: float | None
    compensation: float | None
    outside_plan: bool  # its owner is not among the plan's owners
    overdue: bool  # still planned, its date passed


@dataclass
class ObjectiveDoc:
    id: str
    statement: str
    status: str
    due: dt.date | None
    metric: str | None
    target: float | str | None
    kol_value: str | None
    org_value: str | None
    activities: list[ActivityDoc]
    overdue: bool


@dataclass
class OwnerDoc:
    person: PersonRef
    role: str


@dataclass
class ScoreDoc:
    date: dt.date
    score: int
    source: str | None
    change: int | None  # vs the score before


@dataclass
class CollisionDoc:
    """A KP306 collision: ``id`` (the later activity) comes ``days`` after ``other_id``, from another department."""

    id: str
    date: dt.date
    owner: PersonRef
    other_id: str
    other_date: dt.date
    other_owner: PersonRef
    days: int


@dataclass
class QuarterDoc:
    """The hours asked of the KOL in one calendar quarter (KP206), by department."""

    quarter: str  # 2026-Q4
    hours: float
    by_department: list[tuple[str, float]]  # department name, hours
    over: bool  # above the limit


@dataclass
class CoordinationDoc:
    """The plan's collisions and quarterly load, where ``coordination:`` is configured."""

    window_days: int | None
    hours_limit: float | None  # for the KOL's tier
    collisions: list[CollisionDoc]
    quarters: list[QuarterDoc]


@dataclass
class PlanDoc:
    organization: str
    as_of: dt.date
    path: str
    id: str
    kol: Kol
    identifiers: list[tuple[str, str]]
    period_start: dt.date
    period_end: dt.date
    purpose: str | None
    cadence: str | None
    co_developed: bool | None
    profile: list[ProfileAnswer]
    owners: list[OwnerDoc]
    departments: list[str]
    objectives: list[ObjectiveDoc]
    activities: list[ActivityDoc]
    unlinked: list[ActivityDoc]  # other than check-ins, linked to no objective
    timeline: Gantt
    review_cadence: str | None
    next_review: dt.date | None
    stakeholders: list[PersonRef]
    last_contact: dt.date | None
    days_since_contact: int | None
    satisfaction: list[ScoreDoc]
    interactions: list[Interaction]  # by date
    names: dict[str, str]  # person handle -> name, for everyone in kolplan.yaml
    feedback: list[Feedback]  # by date
    currency: str | None
    compensation_by_year: list[tuple[int, float]]
    annual_cap: float | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    chart_init: str = XY_INIT  # the satisfaction chart's palette
    coordination: CoordinationDoc | None = None

    @property
    def unanswered(self) -> list[str]:
        return [a.question for a in self.profile if not a.answers]


def _answers(kol: Kol, name: str) -> list[str]:
    if name == "relationships":
        out = []
        for r in kol.relationships:
            since = f", since {r.since.isoformat()}" if r.since else ""
            out.append(f"{r.organization} ({r.kind}{since})")
        return out
    if name == "share_of_scientific_voice":
        v = kol.share_of_scientific_voice
        return [] if v is None else [f"{v * 100:.0f}%"]
    values: list[str] = getattr(kol, name)
    return list(values)


def build_plan_doc(config: Config, path: str, plan: Plan, diagnostics: list[Diagnostic],
                   as_of: dt.date) -> PlanDoc:
    """Everything the plan document shows, for one plan that read and validated."""
    kol, body = plan.kol, plan.plan
    owners = plan.owner_handles()
    acts = [
        ActivityDoc(a.id, a.type, a.title, a.date, a.status, person_ref(config, a.owner), list(a.objectives),
                    a.hours, a.compensation, a.owner not in owners,
                    a.status == "planned" and a.date is not None and a.date < as_of)
        for a in sorted(body.activities, key=lambda a: (a.date is None, a.date or dt.date.max, a.id))
    ]
    objectives = [
        ObjectiveDoc(o.id, o.statement, o.status, o.due, o.metric, o.target, o.kol_value, o.org_value,
                     [a for a in acts if o.id in a.objectives],
                     o.due is not None and o.due < as_of and o.status not in CLOSED_STATUSES)
        for o in body.objectives
    ]
    owner_docs = [OwnerDoc(person_ref(config, o.person), o.role)
                  for o in sorted(plan.owners, key=lambda o: (o.role != "lead", o.person))]
    departments: list[str] = []
    for od in owner_docs:
        if od.person.department_name not in departments:
            departments.append(od.person.department_name)
    gov = body.governance
    last = plan.last_contact()
    comp = config.compliance
    return PlanDoc(
        organization=config.organization, as_of=as_of, path=path, id=plan.id, kol=kol,
        identifiers=[(IDENTIFIER_LABELS[key], v) for key in SHOWN_IDENTIFIERS if (v := getattr(kol.identifiers, key))],
        period_start=body.period.start, period_end=body.period.end, purpose=body.purpose, cadence=body.cadence,
        co_developed=body.co_developed_with_kol,
        profile=[ProfileAnswer(q.field, q.heading, _answers(kol, q.field)) for q in KOL_QUESTIONS],
        owners=owner_docs, departments=departments, objectives=objectives, activities=acts,
        unlinked=[a for a in acts if not a.objectives and a.type != "check-in" and a.status != "cancelled"],
        timeline=_timeline(config, plan, acts, as_of),
        review_cadence=gov.review_cadence if gov else None, next_review=gov.next_review if gov else None,
        stakeholders=[person_ref(config, h) for h in (gov.stakeholders if gov else [])],
        last_contact=last, days_since_contact=(as_of - last).days if last else None,
        satisfaction=_scores(plan), interactions=sorted(plan.interactions, key=lambda i: i.date),
        feedback=sorted(plan.feedback, key=lambda f: f.date),
        names={h: p.name for h, p in config.people.items()}, currency=comp.currency if comp else None,
        compensation_by_year=_compensation(config, plan), annual_cap=comp.annual_cap if comp else None,
        diagnostics=list(diagnostics), coordination=_coordination(config, plan),
    )


def _coordination(config: Config, plan: Plan) -> CoordinationDoc | None:
    """KP306's collisions and KP206's quarters, from the engagement package (as the rules count them)."""
    coord = config.coordination
    if coord is None or (coord.window_days is None and coord.max_hours_per_quarter is None):
        return None
    items = engagements(plan, config.view)
    limit = coord.max_hours_per_quarter.for_tier(plan.kol.tier) if coord.max_hours_per_quarter else None
    found = collisions(items, coord.window_days) if coord.window_days is not None else []
    quarters = [QuarterDoc(quarter_label(q), load.hours,
                           [(config.view.department_name(d) if d else "unknown department", h)
                            for d, h in load.by_department.items()],
                           load.crossing is not None)
                for q, load in quarter_loads(items, limit).items()]
    return CoordinationDoc(
        coord.window_days, limit,
        [CollisionDoc(c.later.id, c.later.date, person_ref(config, c.later.owner), c.earlier.id, c.earlier.date,
                      person_ref(config, c.earlier.owner), c.days)
         for c in found if c.later.date is not None and c.earlier.date is not None],
        quarters)


def _scores(plan: Plan) -> list[ScoreDoc]:
    out: list[ScoreDoc] = []
    for s in sorted(plan.plan.satisfaction, key=lambda s: s.date):
        out.append(ScoreDoc(s.date, s.score, s.source, s.score - out[-1].score if out else None))
    return out


def _compensation(config: Config, plan: Plan) -> list[tuple[int, float]]:
    """Each calendar year with compensation, and its total (as ``report`` and the cap count it)."""
    with_expenses = config.cap_with_expenses
    return [(y, year_compensation(plan, y, with_expenses))
            for y in sorted(plan.compensation_by_year(include_expenses=with_expenses))]


def _timeline(config: Config, plan: Plan, acts: list[ActivityDoc], as_of: dt.date) -> Gantt:
    tasks: list[GanttTask] = []
    for a in acts:
        if a.date is None or a.status == "cancelled":
            continue
        kind = "done" if a.status == "done" else ("crit" if a.overdue else "planned")
        tasks.append(GanttTask(a.owner.department_name, f"{a.id} {a.title}", a.date, kind))
    for o in plan.plan.objectives:
        if o.due is not None:
            kind = "done, milestone" if o.status == "achieved" else (
                "crit, milestone" if o.status == "at-risk" or (o.due < as_of and o.status not in CLOSED_STATUSES)
                else "milestone")
            tasks.append(GanttTask("Objectives due", f"{o.id} {o.statement}", o.due, kind, 0))
    gov = plan.plan.governance
    if gov is not None and gov.next_review is not None:
        tasks.append(GanttTask("Governance", "Next plan review", gov.next_review, "milestone", 0))
    tasks.append(GanttTask("Governance", f"As of {as_of.isoformat()}", as_of, "milestone", 0))
    order = [d.name for d in config.departments.values()] + ["Objectives due", "Governance"]
    period = plan.plan.period
    frame = GanttTask("Plan period", f"from {period.start.isoformat()} to {period.end.isoformat()}", period.start,
                      "active", (period.end - period.start).days + 1)
    return build_gantt(f"{plan.kol.name}: plan timeline", tasks, section_order=order, frame=frame)
