"""The quarterly review (SPEC 8) as plain data: every figure the template shows is computed here.

What a Head of Medical Affairs asks of it, and where the answer is:

* are our engagements producing the outcomes we planned? -> objectives by status, objectives
  due in the quarter, activities planned vs done, activities linked to objectives;
* are KOLs satisfied? -> KOLs measured in the quarter, mean score, NPS, change vs last quarter;
* are departments coordinated? -> ownership conflicts, activities run outside the plan's
  owners, the breakdown by department;
* are we within compliance? -> compensation vs the annual cap, KP4xx/KP5xx findings.

Conventions. *In the quarter* means dated inside it (activity ``date``, interaction, feedback
and satisfaction ``date``). States (objective status, overdue items, conflicts) are as of
``--as-of``, as ``validate`` reports them. Satisfaction counts each KOL once, with their latest
score in the quarter. NPS = % of those KOLs scoring 9-10 minus % scoring 0-6, in points.

No Jinja and no rich here: :func:`build_report` takes parsed plans and diagnostics and returns
a :class:`Report`, which ``templates/report.md.j2`` lays out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from kolplan.charts import GanttTask, MonthBar, build_gantt
from kolplan.diagnostics import Diagnostic, Severity
from kolplan.fiscal import MONTH_ABBR, Quarter
from kolplan.kolview import (
    CLOSED,
    OBJECTIVE_STATUSES,
    ChangeItem,
    KolRow,
    KolSection,
    NextItem,
    kol_row,
    kol_section,
    needs_section,
)
from kolplan.model.types import TIERS
from kolplan.rules.context import department_of

if TYPE_CHECKING:
    from kolplan.charts import Gantt
    from kolplan.gitinfo import GitState, QuarterChanges
    from kolplan.model import Config, Plan

OWNERSHIP_CODES: Final = ("KP301", "KP302", "KP303")  # one KOL, one plan, one lead
CAP_NEAR: Final = 0.8

__all__ = ["ChangeItem", "KolRow", "KolSection", "NextItem", "Report", "build_report"]


# -- the figures ----------------------------------------------------------------------------
@dataclass
class SatisfactionKpi:
    measured: int = 0  # KOLs with a score dated in the quarter
    mean: float | None = None  # of each KOL's latest score in the quarter
    nps: int | None = None  # points: % promoters (9-10) minus % detractors (0-6)
    promoters: int = 0
    passives: int = 0
    detractors: int = 0


@dataclass
class ActivityKpi:
    scheduled: int = 0  # planned or done, dated in the quarter
    done: int = 0
    open: int = 0  # still planned
    overdue: int = 0  # still planned and dated before as-of
    cancelled: int = 0
    linkable: int = 0  # scheduled, other than check-ins
    linked: int = 0  # ... linked to at least one objective

    @property
    def completion(self) -> float | None:
        return self.done / self.scheduled if self.scheduled else None

    @property
    def linked_share(self) -> float | None:
        return self.linked / self.linkable if self.linkable else None


@dataclass
class CapRow:
    id: str
    name: str
    total: float
    share: float | None  # of the annual cap


@dataclass
class CompensationKpi:
    currency: str | None
    quarter_total: float = 0.0  # planned and done activities dated in the quarter
    quarter_kols: int = 0
    year: int = 0  # calendar year of the quarter's last day (caps are per calendar year)
    cap: float | None = None
    over_cap: list[CapRow] = field(default_factory=list)
    near_cap: list[CapRow] = field(default_factory=list)
    highest: CapRow | None = None


@dataclass
class RuleCount:
    code: str
    rule: str
    kols: int
    findings: int


@dataclass
class Kpis:
    kols: int
    tiers: list[tuple[str, int]]
    objectives: int
    objective_status: list[tuple[str, int]]
    due_in_quarter: int
    due_status: list[tuple[str, int]]
    activities: ActivityKpi
    satisfaction: SatisfactionKpi
    satisfaction_previous: SatisfactionKpi
    feedback_received: int
    feedback_acted_on: int
    feedback_open: int  # any date up to as-of, without a response
    checkins_overdue: list[str]  # KOL ids
    ownership: list[RuleCount]
    ownership_kols: int
    multi_department: int  # KOLs whose owners span two or more departments
    outside_plan: int  # activities (any date, not cancelled) owned by someone not among the plan's owners
    compensation: CompensationKpi
    compliance: list[RuleCount]  # KP4xx and KP5xx findings

    def due(self, *statuses: str) -> int:
        """Objectives due in the quarter with one of ``statuses``."""
        return sum(n for s, n in self.due_status if s in statuses)

    def with_status(self, status: str) -> int:
        return sum(n for s, n in self.objective_status if s == status)

    @property
    def satisfaction_change(self) -> tuple[float | None, int | None]:
        """(mean, NPS) change vs the previous quarter; None where either quarter has no score."""
        now, before = self.satisfaction, self.satisfaction_previous
        mean = now.mean - before.mean if now.mean is not None and before.mean is not None else None
        nps = now.nps - before.nps if now.nps is not None and before.nps is not None else None
        return mean, nps


@dataclass
class DepartmentRow:
    id: str
    name: str
    function: str
    kols_led: int = 0
    kols_contributing: int = 0
    activities_scheduled: int = 0
    activities_done: int = 0
    interactions: int = 0
    outside_plan: int = 0  # activities its people own in plans they are not owners of (any date)
    overdue_checkins: int = 0  # among the KOLs it leads
    at_risk: int = 0  # at-risk objectives in the plans it leads
    satisfaction_mean: float | None = None  # KOLs it leads, measured in the quarter


@dataclass
class Charts:
    by_type: list[tuple[str, int]]
    per_month: list[MonthBar]
    next_quarter: Gantt

    @property
    def per_month_max(self) -> int:
        return max([b.scheduled for b in self.per_month] + [1])


@dataclass
class Report:
    organization: str
    quarter: Quarter
    previous: Quarter
    next: Quarter
    as_of: dt.date
    department: tuple[str, str] | None  # (id, name) of --department
    git_used: bool
    git: GitState | None
    changes: QuarterChanges | None
    kpis: Kpis
    departments: list[DepartmentRow]
    sections: list[KolSection]
    others: list[KolRow]
    charts: Charts
    diagnostics: list[Diagnostic]
    skipped: list[str]  # plans with reading or schema errors (KP0xx), not in the figures
    diagnostic_counts: dict[str, int]

    @property
    def fiscal_year(self) -> int:
        return self.quarter.fiscal_year


# -- building ---------------------------------------------------------------------------------
def skipped_paths(diagnostics: list[Diagnostic]) -> list[str]:
    """Plans with reading or schema errors (KP0xx): not in the figures, named in the report."""
    return sorted({d.path for d in diagnostics if d.code.startswith("KP0") and d.severity == Severity.ERROR})


def in_department(plan: Plan, config: Config, department: str) -> bool:
    return any(department_of(config, o.person) == department for o in plan.owners)


def build_report(config: Config, plans: dict[str, Plan], diagnostics: list[Diagnostic], quarter: Quarter,
                 as_of: dt.date, *, department: str | None = None, git: GitState | None = None,
                 changes: QuarterChanges | None = None, git_used: bool = True) -> Report:
    """Every figure of the quarterly review, from the plans that read and validated."""
    skipped = skipped_paths(diagnostics)
    skip = set(skipped)
    scope = {p: plan for p, plan in sorted(plans.items()) if p not in skip}
    if department is not None:
        scope = {p: plan for p, plan in scope.items() if in_department(plan, config, department)}
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        by_path[d.path].append(d)
    shown_diags = [d for d in diagnostics if d.path in scope or d.path in skip]

    kpis = _kpis(config, scope, by_path, quarter, as_of)
    depts = _departments(config, scope, by_path, quarter, department)
    sections: list[KolSection] = []
    others: list[KolRow] = []
    for path, plan in scope.items():
        change = changes.plans.get(path) if changes is not None else None
        diags = by_path.get(path, [])
        if needs_section(plan, diags, quarter, as_of, change):
            sections.append(kol_section(config, path, plan, diags, quarter, as_of, change))
        else:
            others.append(kol_row(config, path, plan, as_of))
    sections.sort(key=lambda s: (s.rank, s.name.casefold(), s.id))
    others.sort(key=lambda r: (r.name.casefold(), r.id))
    dept_name = (department, config.departments[department].name) if department else None
    return Report(
        organization=config.organization, quarter=quarter, previous=quarter.previous(), next=quarter.next(),
        as_of=as_of, department=dept_name, git_used=git_used, git=git, changes=changes, kpis=kpis,
        departments=depts, sections=sections, others=others, charts=_charts(config, scope, quarter),
        diagnostics=shown_diags, skipped=skipped,
        diagnostic_counts={s.value: sum(1 for d in shown_diags if d.severity == s) for s in Severity},
    )


def satisfaction_in(plans: list[Plan], quarter: Quarter) -> SatisfactionKpi:
    """Each KOL's latest score dated in ``quarter``; mean and NPS over those KOLs."""
    scores: list[int] = []
    for plan in plans:
        dated = [s for s in plan.plan.satisfaction if quarter.contains(s.date)]
        if dated:
            scores.append(max(dated, key=lambda s: s.date).score)  # max keeps the first of equal dates
    if not scores:
        return SatisfactionKpi()
    n = len(scores)
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return SatisfactionKpi(n, sum(scores) / n, round(100 * (promoters - detractors) / n), promoters,
                           n - promoters - detractors, detractors)


def _kpis(config: Config, scope: dict[str, Plan], by_path: dict[str, list[Diagnostic]], quarter: Quarter,
          as_of: dt.date) -> Kpis:
    plans = list(scope.values())
    tiers: Counter[str] = Counter(p.kol.tier for p in plans)
    status = Counter(o.status for p in plans for o in p.plan.objectives)
    due = Counter(o.status for p in plans for o in p.plan.objectives if quarter.contains(o.due))
    acts = ActivityKpi()
    outside = 0
    for p in plans:
        owners = p.owner_handles()
        for a in p.plan.activities:
            if a.status != "cancelled" and a.owner not in owners:
                outside += 1
            if not quarter.contains(a.date):
                continue
            if a.status == "cancelled":
                acts.cancelled += 1
                continue
            acts.scheduled += 1
            if a.status == "done":
                acts.done += 1
            else:
                acts.open += 1
                if a.date is not None and a.date < as_of:
                    acts.overdue += 1
            if a.type != "check-in":
                acts.linkable += 1
                acts.linked += 1 if a.objectives else 0
    feedback = [f for p in plans for f in p.feedback if quarter.contains(f.date)]
    open_feedback = sum(1 for p in plans for f in p.feedback if f.date <= as_of and not (f.response or "").strip())
    paths = list(scope)
    return Kpis(
        kols=len(plans),
        tiers=[(t, tiers[t]) for t in TIERS],
        objectives=sum(status.values()),
        objective_status=[(s, status[s]) for s in OBJECTIVE_STATUSES],
        due_in_quarter=sum(due.values()),
        due_status=[(s, due[s]) for s in OBJECTIVE_STATUSES if due[s]],
        activities=acts,
        satisfaction=satisfaction_in(plans, quarter),
        satisfaction_previous=satisfaction_in(plans, quarter.previous()),
        feedback_received=len(feedback),
        feedback_acted_on=sum(1 for f in feedback if (f.response or "").strip()),
        feedback_open=open_feedback,
        checkins_overdue=[scope[p].id for p in paths if any(d.code == "KP201" for d in by_path.get(p, []))],
        ownership=_rule_counts(paths, by_path, lambda c: c in OWNERSHIP_CODES),
        ownership_kols=sum(1 for p in paths if any(d.code in OWNERSHIP_CODES for d in by_path.get(p, []))),
        multi_department=sum(1 for p in plans if len({department_of(config, o.person) for o in p.owners}) > 1),
        outside_plan=outside,
        compensation=_compensation(config, plans, quarter),
        compliance=_rule_counts(paths, by_path, lambda c: c.startswith(("KP4", "KP5"))),
    )


def _rule_counts(paths: list[str], by_path: dict[str, list[Diagnostic]], want: object) -> list[RuleCount]:
    kols: Counter[str] = Counter()
    findings: Counter[str] = Counter()
    names: dict[str, str] = {}
    for p in paths:
        seen: set[str] = set()
        for d in by_path.get(p, []):
            if want(d.code):  # type: ignore[operator]
                findings[d.code] += 1
                names[d.code] = d.rule
                seen.add(d.code)
        kols.update(seen)
    return [RuleCount(c, names[c], kols[c], findings[c]) for c in sorted(findings)]


def year_compensation(plan: Plan, year: int) -> float:
    """Compensation of planned and done activities in calendar ``year`` (as KP402 counts it:
    an undated planned activity counts in the year the plan period starts)."""
    total = 0.0
    for a in plan.plan.activities:
        if a.status == "cancelled" or not a.compensation:
            continue
        when = a.date.year if a.date is not None else plan.plan.period.start.year
        if when == year:
            total += a.compensation
    return total


def _compensation(config: Config, plans: list[Plan], quarter: Quarter) -> CompensationKpi:
    comp = config.compliance
    out = CompensationKpi(currency=comp.currency if comp else None, year=quarter.end.year,
                          cap=comp.annual_cap if comp else None)
    paid: set[str] = set()
    rows: list[CapRow] = []
    for p in plans:
        for a in p.plan.activities:
            if a.status != "cancelled" and a.compensation and quarter.contains(a.date):
                out.quarter_total += a.compensation
                paid.add(p.id)
        total = year_compensation(p, out.year)
        if total:
            rows.append(CapRow(p.id, p.kol.name, total, total / out.cap if out.cap else None))
    out.quarter_kols = len(paid)
    rows.sort(key=lambda r: (-r.total, r.id))
    out.highest = rows[0] if rows else None
    if out.cap:
        out.over_cap = [r for r in rows if r.total > out.cap]
        out.near_cap = [r for r in rows if CAP_NEAR * out.cap <= r.total <= out.cap]
    return out


def _departments(config: Config, scope: dict[str, Plan], by_path: dict[str, list[Diagnostic]],
                 quarter: Quarter, department: str | None) -> list[DepartmentRow]:
    rows = {d: DepartmentRow(d, dep.name, dep.function) for d, dep in config.departments.items()}
    led_scores: dict[str, list[int]] = defaultdict(list)
    for path, p in scope.items():
        owners = p.owner_handles()
        lead_depts = {department_of(config, o.person) for o in p.owners if o.role == "lead"}
        contrib = {department_of(config, o.person) for o in p.owners if o.role != "lead"} - lead_depts
        overdue = any(d.code == "KP201" for d in by_path.get(path, []))
        latest = [s for s in p.plan.satisfaction if quarter.contains(s.date)]
        for d in lead_depts:
            if d in rows:
                rows[d].kols_led += 1
                rows[d].overdue_checkins += 1 if overdue else 0
                rows[d].at_risk += sum(1 for o in p.plan.objectives if o.status == "at-risk")
                if latest:
                    led_scores[d].append(max(latest, key=lambda s: s.date).score)
        for d in contrib:
            if d in rows:
                rows[d].kols_contributing += 1
        for a in p.plan.activities:
            d = department_of(config, a.owner)
            if d not in rows or a.status == "cancelled":
                continue
            rows[d].outside_plan += 1 if a.owner not in owners else 0
            if quarter.contains(a.date):
                rows[d].activities_scheduled += 1
                rows[d].activities_done += 1 if a.status == "done" else 0
        for i in p.interactions:
            d = department_of(config, i.by)
            if d in rows and quarter.contains(i.date):
                rows[d].interactions += 1
    for d, scores in led_scores.items():
        rows[d].satisfaction_mean = sum(scores) / len(scores)
    involved = [r for r in rows.values() if r.kols_led or r.kols_contributing or r.activities_scheduled
                or r.interactions or r.id == department]
    return involved


def _charts(config: Config, scope: dict[str, Plan], quarter: Quarter) -> Charts:
    types: Counter[str] = Counter()
    months = quarter.months()
    scheduled: Counter[tuple[int, int]] = Counter()
    done: Counter[tuple[int, int]] = Counter()
    nxt = quarter.next()
    tasks: list[GanttTask] = []
    for p in scope.values():
        for a in p.plan.activities:
            if a.status == "cancelled" or a.date is None:
                continue
            if quarter.contains(a.date):
                types[a.type] += 1
                scheduled[(a.date.year, a.date.month)] += 1
                done[(a.date.year, a.date.month)] += 1 if a.status == "done" else 0
            if nxt.contains(a.date):
                dept = department_of(config, a.owner)
                section = config.departments[dept].name if dept in config.departments else "Other"
                tasks.append(GanttTask(section, f"{p.kol.name} · {a.title}", a.date,
                                       "done" if a.status == "done" else "planned"))
        for o in p.plan.objectives:
            if nxt.contains(o.due) and o.status not in CLOSED and o.due is not None:
                tasks.append(GanttTask("Objectives due", f"{p.kol.name} · {o.id} {o.statement}", o.due,
                                       "milestone", 0))
    order = [d.name for d in config.departments.values()] + ["Other", "Objectives due"]
    return Charts(
        by_type=sorted(types.items(), key=lambda kv: (-kv[1], kv[0])),
        per_month=[MonthBar(f"{MONTH_ABBR[m - 1]} {y}", scheduled[(y, m)], done[(y, m)]) for y, m in months],
        next_quarter=build_gantt(f"{nxt.label}: activities and objectives due", tasks, section_order=order),
    )
