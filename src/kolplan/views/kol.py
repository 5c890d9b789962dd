"""One KOL as the quarterly review shows them: a section (what changed in the quarter, what
needs attention, what is next) or a one-line row. Plain data; see :mod:`kolplan.views.report`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Final

from kolplan.vocabulary import CLOSED_STATUSES, OBJECTIVE_STATUSES

if TYPE_CHECKING:
    from kolplan.repo.git import PlanChange
    from kolplan.schema import Config, Plan
    from kolplan.views.fiscal import Quarter

NEXT_MAX: Final = 5
HAPPENED_MAX: Final = 8  # what happened in the quarter, in a KOL's section: the latest entries


@dataclass(frozen=True)
class PersonRef:
    handle: str
    name: str
    department: str
    department_name: str


def person_ref(config: Config, handle: str) -> PersonRef:
    view = config.view
    person = view.people.get(handle)
    if person is None:
        return PersonRef(handle, handle, "", "unknown department")
    return PersonRef(handle, person.name, person.department, view.department_name(person.department))


@dataclass
class ObjectiveRow:
    id: str
    statement: str
    status: str
    due: dt.date | None
    changed_from: str | None = None  # its status at the quarter's start, when git says it changed


@dataclass
class ChangeItem:
    """Something that happened in the quarter. ``what`` is kolplan's label; ``text`` and
    ``detail`` are the plan's own words (escape them); ``detail_label`` says what the detail is."""

    date: dt.date | None
    what: str
    text: str = ""
    detail: str = ""
    detail_label: str = ""


@dataclass
class NextItem:
    date: dt.date | None
    what: str
    text: str = ""


@dataclass
class KolRow:
    id: str
    path: str
    name: str
    tier: str
    lead: PersonRef | None
    objectives: list[tuple[str, int]]
    last_contact: dt.date | None
    next_activity: NextItem | None
    latest_score: int | None
    action: str = ""  # what to do, where the KOL needs action (the review's appendix)


@dataclass
class KolFacts:
    """What the review shows of one KOL that depends on their plan alone (not on diagnostics
    or git history): computed where the plan was parsed, so that the plan itself need not
    travel back from a worker process. :func:`kol_section` and :func:`kol_row` finish it."""

    id: str
    path: str
    name: str
    credentials: str | None
    institution: str | None
    country: str | None
    tier: str
    lead: PersonRef | None
    departments: list[str]  # department names of the owners, in the plan's order
    objectives: list[ObjectiveRow]
    at_risk: list[str]  # objective ids
    happened: list[ChangeItem]  # dated, in the quarter and not after as-of, in date order: the latest 8
    happened_more: int  # earlier ones, left out of ``happened``
    next: list[NextItem]  # up to the next quarter's end
    next_activity: NextItem | None
    latest_score: int | None
    previous_score: int | None
    last_contact: dt.date | None


@dataclass
class KolSummary:
    """What the review needs of every KOL (ranking, rows, counts): small, since one travels back
    from the workers per plan. The full :class:`KolFacts` are read again for the few KOLs that
    get a section (:func:`kolplan.views.report.build_report`'s ``detail``)."""

    id: str
    path: str
    name: str
    tier: str
    lead: PersonRef | None
    objective_ids: tuple[str, ...]  # each objective's id, in the plan's order
    objective_status: tuple[str, ...]  # ... and its status
    at_risk: list[tuple[str, str]]  # (id, statement) of the objectives at risk
    active: bool  # something is dated in the quarter up to as-of
    last_contact: dt.date | None
    next_activity: NextItem | None
    latest_score: int | None


@dataclass
class KolSection(KolFacts):
    """The KOL's section of the review: their facts, with the objectives' status changes
    from git, and why they need a section."""

    reasons: list[str]  # what to do, in plain words (or why a KOL that needs nothing is here)
    changes: list[ChangeItem]  # git's changes, then the latest dated entries


def kol_facts(config: Config, path: str, plan: Plan, quarter: Quarter, as_of: dt.date) -> KolFacts:
    leads = plan.leads()
    depts: list[str] = []
    for owner in plan.owners:
        name = person_ref(config, owner.person).department_name
        if name not in depts:
            depts.append(name)
    ordered = sorted(plan.plan.satisfaction, key=lambda s: s.date)
    upcoming = _next_items(plan, as_of, None, limit=1, activities_only=True)
    kol = plan.kol
    happened = _happened(config, plan, quarter, as_of)
    return KolFacts(
        id=plan.id, path=path, name=kol.name, credentials=kol.credentials, institution=kol.institution,
        country=kol.country, tier=kol.tier, lead=person_ref(config, leads[0].person) if leads else None,
        departments=depts,
        objectives=[ObjectiveRow(o.id, o.statement, o.status, o.due) for o in plan.plan.objectives],
        at_risk=[o.id for o in plan.plan.objectives if o.status == "at-risk"],
        happened=happened[len(happened) - HAPPENED_MAX:] if len(happened) > HAPPENED_MAX else happened,
        happened_more=max(0, len(happened) - HAPPENED_MAX), next=_next_items(plan, as_of, quarter.next()),
        next_activity=upcoming[0] if upcoming else None,
        latest_score=ordered[-1].score if ordered else None,
        previous_score=ordered[-2].score if len(ordered) > 1 else None,
        last_contact=plan.last_contact(),
    )


def kol_summary(config: Config, path: str, plan: Plan, quarter: Quarter, as_of: dt.date) -> KolSummary:
    leads = plan.leads()
    scores = sorted(plan.plan.satisfaction, key=lambda s: s.date)  # as KolFacts.latest_score
    upcoming = _next_items(plan, as_of, None, limit=1, activities_only=True)
    body = plan.plan
    return KolSummary(
        id=plan.id, path=path, name=plan.kol.name, tier=plan.kol.tier,
        lead=person_ref(config, leads[0].person) if leads else None,
        objective_ids=tuple(o.id for o in body.objectives), objective_status=tuple(o.status for o in body.objectives),
        at_risk=[(o.id, o.statement) for o in body.objectives if o.status == "at-risk"],
        active=_any_happened(plan, quarter, as_of), last_contact=plan.last_contact(),
        next_activity=upcoming[0] if upcoming else None, latest_score=scores[-1].score if scores else None,
    )


def _any_happened(plan: Plan, quarter: Quarter, as_of: dt.date) -> bool:
    """Whether :func:`_happened` would list anything (without building the list)."""
    def happened(day: dt.date | None) -> bool:
        return quarter.contains(day) and day is not None and day <= as_of

    body = plan.plan
    return (any(happened(a.date) for a in body.activities) or any(happened(i.date) for i in plan.interactions)
            or any(happened(f.date) for f in plan.feedback) or any(happened(s.date) for s in body.satisfaction)
            or any(happened(o.due) for o in body.objectives))


def kol_row(kol: KolSummary) -> KolRow:
    status = Counter(kol.objective_status)
    return KolRow(kol.id, kol.path, kol.name, kol.tier, kol.lead,
                  [(s, status[s]) for s in OBJECTIVE_STATUSES if status[s]], kol.last_contact,
                  kol.next_activity, kol.latest_score)


def kol_section(kol: KolFacts, reasons: list[str], change: PlanChange | None = None) -> KolSection:
    """The KOL's section: their facts, git's changes first, and ``reasons``: why they are here."""
    moved = {c.objective: c.before for c in change.objectives} if change is not None else {}
    facts = {f.name: getattr(kol, f.name) for f in fields(KolFacts)}
    facts["objectives"] = [ObjectiveRow(o.id, o.statement, o.status, o.due, moved.get(o.id)) for o in kol.objectives]
    return KolSection(**facts, reasons=reasons, changes=_git_changes(change) + kol.happened)


def _git_changes(change: PlanChange | None) -> list[ChangeItem]:
    """What git says changed in the quarter (undated; shown before the dated entries)."""
    out: list[ChangeItem] = []
    if change is not None and change.added:
        out.append(ChangeItem(None, "plan added to the repository"))
    for c in change.objectives if change is not None else []:
        out.append(ChangeItem(None, f"objective {c.objective} status changed", f"{c.before} → {c.after}"))
    return out


def _happened(config: Config, plan: Plan, quarter: Quarter, as_of: dt.date) -> list[ChangeItem]:
    """What the plan says happened in the quarter, up to as-of (what is later is next), by date."""
    dated: list[ChangeItem] = []
    body = plan.plan

    def happened(day: dt.date | None) -> bool:  # in the quarter and not after as-of: what is later is next
        return quarter.contains(day) and day is not None and day <= as_of

    for a in body.activities:
        if not happened(a.date):
            continue
        state: str = a.status
        if a.status == "planned" and a.date is not None and a.date < as_of:
            state = "still planned, date passed"
        dated.append(ChangeItem(a.date, f"{a.type} {a.id} ({state})", a.title))
    for i in plan.interactions:
        if happened(i.date):
            by = person_ref(config, i.by).name  # people by name, never by handle
            dated.append(ChangeItem(i.date, f"{i.channel} contact by {by}", i.summary, "; ".join(i.insights),
                                    "insights"))
    for f in plan.feedback:
        if happened(f.date):
            response = (f.response or "").strip()
            dated.append(ChangeItem(f.date, "feedback" if response else "feedback (not acted on)", f.summary,
                                    response, "response"))
    for s in body.satisfaction:
        if happened(s.date):
            dated.append(ChangeItem(s.date, f"satisfaction {s.score}/10" + (f" ({s.source})" if s.source else "")))
    for o in body.objectives:
        if happened(o.due):
            dated.append(ChangeItem(o.due, f"objective {o.id} due ({o.status})", o.statement))
    dated.sort(key=lambda c: (c.date or dt.date.min))
    return dated


def _next_items(plan: Plan, as_of: dt.date, horizon: Quarter | None, limit: int = NEXT_MAX,
                activities_only: bool = False) -> list[NextItem]:
    """Planned activities from ``as_of`` on (undated ones last); with ``horizon``, also open
    objectives due and the plan review up to that quarter's end."""
    items = [NextItem(a.date, f"{a.type} {a.id}" + ("" if a.date else " (no date yet)"), a.title)
             for a in plan.upcoming_activities(as_of)]
    if not activities_only and horizon is not None:
        for o in plan.plan.objectives:
            if o.due is not None and as_of <= o.due <= horizon.end and o.status not in CLOSED_STATUSES:
                items.append(NextItem(o.due, f"objective {o.id} due", o.statement))
        gov = plan.plan.governance
        if gov is not None and gov.next_review is not None and gov.next_review >= as_of:
            items.append(NextItem(gov.next_review, "plan review"))
    items.sort(key=lambda n: (n.date is None, n.date or dt.date.max))
    return items[:limit]
