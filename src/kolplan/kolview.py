"""One KOL as the quarterly review shows them: a section (what changed in the quarter, what
needs attention, what is next) or a one-line row. Plain data; see :mod:`kolplan.report`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from kolplan.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from kolplan.fiscal import Quarter
    from kolplan.gitinfo import PlanChange
    from kolplan.model import Config, Plan

OBJECTIVE_STATUSES: Final = ("not-started", "on-track", "at-risk", "achieved", "missed", "dropped")
CLOSED: Final = frozenset({"achieved", "missed", "dropped"})
OVERDUE: Final = {"KP201": "check-in overdue", "KP202": "activity overdue", "KP203": "objective overdue",
                  "KP204": "review overdue", "KP205": "plan expired"}
NEXT_MAX: Final = 5


@dataclass(frozen=True)
class PersonRef:
    handle: str
    name: str
    department: str
    department_name: str


def person_ref(config: Config, handle: str) -> PersonRef:
    person = config.people.get(handle)
    if person is None:
        return PersonRef(handle, handle, "", "unknown department")
    dep = config.departments.get(person.department)
    return PersonRef(handle, person.name, person.department, dep.name if dep else person.department)


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
class KolSection:
    id: str
    path: str
    name: str
    credentials: str | None
    institution: str | None
    country: str | None
    tier: str
    lead: PersonRef | None
    departments: list[str]
    reasons: list[str]
    rank: int  # 0: errors, 1: overdue or at risk, 2: active only, 3: neither
    objectives: list[ObjectiveRow]
    changes: list[ChangeItem]
    next: list[NextItem]
    latest_score: int | None
    previous_score: int | None
    last_contact: dt.date | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


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


def _lead(config: Config, plan: Plan) -> PersonRef | None:
    leads = plan.leads()
    return person_ref(config, leads[0].person) if leads else None


def _scores(plan: Plan) -> tuple[int | None, int | None]:
    ordered = sorted(plan.plan.satisfaction, key=lambda s: s.date)
    latest = ordered[-1].score if ordered else None
    previous = ordered[-2].score if len(ordered) > 1 else None
    return latest, previous


def kol_row(config: Config, path: str, plan: Plan, as_of: dt.date) -> KolRow:
    status = Counter(o.status for o in plan.plan.objectives)
    upcoming = _next_items(plan, as_of, None, limit=1, activities_only=True)
    return KolRow(plan.id, path, plan.kol.name, plan.kol.tier, _lead(config, plan),
                  [(s, status[s]) for s in OBJECTIVE_STATUSES if status[s]], plan.last_contact(),
                  upcoming[0] if upcoming else None, _scores(plan)[0])


def needs_section(plan: Plan, diags: list[Diagnostic], quarter: Quarter, as_of: dt.date,
                  change: PlanChange | None = None) -> bool:
    """Whether the KOL gets a section (the cheap test :func:`kol_section`'s ``reasons`` agrees with)."""
    if any(d.severity == Severity.ERROR or d.code in OVERDUE for d in diags):
        return True
    if any(o.status == "at-risk" for o in plan.plan.objectives):
        return True
    if change is not None and (change.added or change.objectives):
        return True
    start, end = quarter.start, min(quarter.end, as_of)
    body = plan.plan
    dates = [a.date for a in body.activities] + [i.date for i in plan.interactions] + [
        f.date for f in plan.feedback] + [s.date for s in body.satisfaction] + [o.due for o in body.objectives]
    return any(d is not None and start <= d <= end for d in dates)


def kol_section(config: Config, path: str, plan: Plan, diags: list[Diagnostic], quarter: Quarter,
                as_of: dt.date, change: PlanChange | None = None) -> KolSection:
    """The KOL's section; ``reasons`` is empty when they were neither active nor need attention."""
    changes = _changes(plan, quarter, as_of, change)
    reasons: list[str] = []
    rank = 3
    errors = sum(1 for d in diags if d.severity == Severity.ERROR)
    if errors:
        reasons.append(f"{errors} error{'s' if errors != 1 else ''}")
        rank = 0
    for code in sorted({d.code for d in diags if d.code in OVERDUE}):
        reasons.append(OVERDUE[code])
        rank = min(rank, 1)
    for o in plan.plan.objectives:
        if o.status == "at-risk":
            reasons.append(f"objective {o.id} at risk")
            rank = min(rank, 1)
    if changes:
        reasons.append("active this quarter")
        rank = min(rank, 2)
    moved = {c.objective: c.before for c in change.objectives} if change is not None else {}
    latest, previous = _scores(plan)
    depts: list[str] = []
    for owner in plan.owners:
        name = person_ref(config, owner.person).department_name
        if name not in depts:
            depts.append(name)
    return KolSection(
        id=plan.id, path=path, name=plan.kol.name, credentials=plan.kol.credentials,
        institution=plan.kol.institution, country=plan.kol.country, tier=plan.kol.tier,
        lead=_lead(config, plan), departments=depts, reasons=reasons, rank=rank,
        objectives=[ObjectiveRow(o.id, o.statement, o.status, o.due, moved.get(o.id)) for o in plan.plan.objectives],
        changes=changes, next=_next_items(plan, as_of, quarter.next()), latest_score=latest,
        previous_score=previous, last_contact=plan.last_contact(),
        diagnostics=[d for d in diags if d.severity != Severity.INFO],
    )


def _changes(plan: Plan, quarter: Quarter, as_of: dt.date, change: PlanChange | None) -> list[ChangeItem]:
    """What happened in the quarter: git first (undated), then dated entries in date order."""
    out: list[ChangeItem] = []
    if change is not None and change.added:
        out.append(ChangeItem(None, "plan added to the repository"))
    for c in change.objectives if change is not None else []:
        out.append(ChangeItem(None, f"objective {c.objective} status changed", f"{c.before} → {c.after}"))
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
            dated.append(ChangeItem(i.date, f"{i.channel} contact by {i.by}", i.summary, "; ".join(i.insights),
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
    return out + dated


def _next_items(plan: Plan, as_of: dt.date, horizon: Quarter | None, limit: int = NEXT_MAX,
                activities_only: bool = False) -> list[NextItem]:
    """Planned activities from ``as_of`` on (undated ones last); with ``horizon``, also open
    objectives due and the plan review up to that quarter's end."""
    items: list[NextItem] = []
    for a in plan.plan.activities:
        if a.status == "planned" and (a.date is None or a.date >= as_of):
            items.append(NextItem(a.date, f"{a.type} {a.id}" + ("" if a.date else " (no date yet)"), a.title))
    if not activities_only and horizon is not None:
        for o in plan.plan.objectives:
            if o.due is not None and as_of <= o.due <= horizon.end and o.status not in CLOSED:
                items.append(NextItem(o.due, f"objective {o.id} due", o.statement))
        gov = plan.plan.governance
        if gov is not None and gov.next_review is not None and gov.next_review >= as_of:
            items.append(NextItem(gov.next_review, "plan review"))
    items.sort(key=lambda n: (n.date is None, n.date or dt.date.max))
    return items[:limit]
