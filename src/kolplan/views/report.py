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

No Jinja and no rich here. It is a map and a reduce: :func:`kolplan.views.figures.plan_figures`
computes one plan's share (in the worker that parsed it, so the plan's model never travels
between processes); :func:`build_report` adds the shares up with the diagnostics and git's changes into a
:class:`Report`, which ``templates/report.md.j2`` lays out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from kolplan.diagnostics import Diagnostic, Severity
from kolplan.views.charts import GanttTask, MonthBar, build_gantt
from kolplan.views.figures import ActivityKpi, PlanFigures
from kolplan.views.fiscal import MONTH_ABBR, Quarter
from kolplan.views.kol import (
    ChangeItem,
    KolRow,
    KolSection,
    NextItem,
    kol_row,
    kol_section,
    needs_section,
)
from kolplan.views.loader import skipped_plans
from kolplan.vocabulary import OBJECTIVE_STATUSES, TIERS

if TYPE_CHECKING:
    from kolplan.repo.git import GitState, QuarterChanges
    from kolplan.schema import Config
    from kolplan.views.charts import Gantt

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


def build_report(config: Config, figures: Mapping[str, PlanFigures], diagnostics: list[Diagnostic],
                 quarter: Quarter, as_of: dt.date, *, department: str | None = None, git: GitState | None = None,
                 changes: QuarterChanges | None = None, git_used: bool = True) -> Report:
    """Every figure of the quarterly review, from the figures of the plans that read and
    validated (:func:`plan_figures`, for the same ``quarter`` and ``as_of``)."""
    # plans with reading or schema errors (KP0xx): not in the figures, named in the report
    skipped = [s.path for s in skipped_plans(diagnostics)]
    skip = set(skipped)
    scope = {p: f for p, f in sorted(figures.items()) if p not in skip}
    if department is not None:
        scope = {p: f for p, f in scope.items() if department in f.owner_departments}
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        by_path[d.path].append(d)
    shown_diags = [d for d in diagnostics if d.path in scope or d.path in skip]

    kpis = _kpis(config, scope, by_path, quarter)
    depts = _departments(config, scope, by_path, department)
    sections: list[KolSection] = []
    others: list[KolRow] = []
    for path, f in scope.items():
        change = changes.plans.get(path) if changes is not None else None
        diags = by_path.get(path, [])
        if needs_section(f.kol, diags, change):
            sections.append(kol_section(f.kol, diags, change))
        else:
            others.append(kol_row(f.kol))
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


def satisfaction_of(scores: Iterable[int | None]) -> SatisfactionKpi:
    """Mean and NPS over one score per KOL (None: the KOL was not measured)."""
    measured = [s for s in scores if s is not None]
    if not measured:
        return SatisfactionKpi()
    n = len(measured)
    promoters = sum(1 for s in measured if s >= 9)
    detractors = sum(1 for s in measured if s <= 6)
    return SatisfactionKpi(n, sum(measured) / n, round(100 * (promoters - detractors) / n), promoters,
                           n - promoters - detractors, detractors)


def _kpis(config: Config, scope: dict[str, PlanFigures], by_path: dict[str, list[Diagnostic]],
          quarter: Quarter) -> Kpis:
    figures = list(scope.values())
    tiers: Counter[str] = Counter(f.kol.tier for f in figures)
    status = Counter(o.status for f in figures for o in f.kol.objectives)
    due = Counter(o.status for f in figures for o in f.kol.objectives if quarter.contains(o.due))
    acts = ActivityKpi()
    for f in figures:
        a = f.activities
        acts.scheduled += a.scheduled
        acts.done += a.done
        acts.open += a.open
        acts.overdue += a.overdue
        acts.cancelled += a.cancelled
        acts.linkable += a.linkable
        acts.linked += a.linked
    paths = list(scope)
    return Kpis(
        kols=len(figures),
        tiers=[(t, tiers[t]) for t in TIERS],
        objectives=sum(status.values()),
        objective_status=[(s, status[s]) for s in OBJECTIVE_STATUSES],
        due_in_quarter=sum(due.values()),
        due_status=[(s, due[s]) for s in OBJECTIVE_STATUSES if due[s]],
        activities=acts,
        satisfaction=satisfaction_of(f.score for f in figures),
        satisfaction_previous=satisfaction_of(f.previous_score for f in figures),
        feedback_received=sum(f.feedback_received for f in figures),
        feedback_acted_on=sum(f.feedback_acted_on for f in figures),
        feedback_open=sum(f.feedback_open for f in figures),
        checkins_overdue=[scope[p].kol.id for p in paths if any(d.code == "KP201" for d in by_path.get(p, []))],
        ownership=_rule_counts(paths, by_path, lambda c: c in OWNERSHIP_CODES),
        ownership_kols=sum(1 for p in paths if any(d.code in OWNERSHIP_CODES for d in by_path.get(p, []))),
        multi_department=sum(1 for f in figures if len(f.owner_departments) > 1),
        outside_plan=sum(f.outside_plan for f in figures),
        compensation=_compensation(config, figures, quarter),
        compliance=_rule_counts(paths, by_path, lambda c: c.startswith(("KP4", "KP5"))),
    )


def _rule_counts(paths: list[str], by_path: dict[str, list[Diagnostic]], want: Callable[[str], bool],
                 ) -> list[RuleCount]:
    kols: Counter[str] = Counter()
    findings: Counter[str] = Counter()
    names: dict[str, str] = {}
    for p in paths:
        seen: set[str] = set()
        for d in by_path.get(p, []):
            if want(d.code):
                findings[d.code] += 1
                names[d.code] = d.rule
                seen.add(d.code)
        kols.update(seen)
    return [RuleCount(c, names[c], kols[c], findings[c]) for c in sorted(findings)]


def _compensation(config: Config, figures: list[PlanFigures], quarter: Quarter) -> CompensationKpi:
    comp = config.compliance
    out = CompensationKpi(currency=comp.currency if comp else None, year=quarter.end.year,
                          cap=comp.annual_cap if comp else None)
    rows: list[CapRow] = []
    paid: set[str] = set()
    for f in figures:
        for amount in f.paid_in_quarter:
            out.quarter_total += amount
            paid.add(f.kol.id)
        total = f.year_compensation
        if total:
            rows.append(CapRow(f.kol.id, f.kol.name, total, total / out.cap if out.cap else None))
    out.quarter_kols = len(paid)
    rows.sort(key=lambda r: (-r.total, r.id))
    out.highest = rows[0] if rows else None
    if out.cap:
        out.over_cap = [r for r in rows if r.total > out.cap]
        out.near_cap = [r for r in rows if CAP_NEAR * out.cap <= r.total <= out.cap]
    return out


def _departments(config: Config, scope: dict[str, PlanFigures], by_path: dict[str, list[Diagnostic]],
                 department: str | None) -> list[DepartmentRow]:
    rows: dict[str | None, DepartmentRow] = {
        d: DepartmentRow(d, dep.name, dep.function) for d, dep in config.departments.items()}
    led_scores: dict[str | None, list[int]] = defaultdict(list)
    for path, f in scope.items():
        overdue = any(d.code == "KP201" for d in by_path.get(path, []))
        for d in f.lead_departments:
            if d in rows:
                rows[d].kols_led += 1
                rows[d].overdue_checkins += 1 if overdue else 0
                rows[d].at_risk += len(f.kol.at_risk)
                if f.score is not None:
                    led_scores[d].append(f.score)
        for d in f.owner_departments - f.lead_departments:
            if d in rows:
                rows[d].kols_contributing += 1
        for d, (outside, scheduled, done) in f.department_activities.items():
            if d in rows:
                rows[d].outside_plan += outside
                rows[d].activities_scheduled += scheduled
                rows[d].activities_done += done
        for d, n in f.department_interactions.items():
            if d in rows:
                rows[d].interactions += n
    for d, scores in led_scores.items():
        rows[d].satisfaction_mean = sum(scores) / len(scores)
    involved = [r for r in rows.values() if r.kols_led or r.kols_contributing or r.activities_scheduled
                or r.interactions or r.id == department]
    return involved


def _charts(config: Config, scope: dict[str, PlanFigures], quarter: Quarter) -> Charts:
    types: Counter[str] = Counter()
    scheduled: Counter[tuple[int, int]] = Counter()
    done: Counter[tuple[int, int]] = Counter()
    tasks: list[GanttTask] = []
    for f in scope.values():
        types.update(f.types)
        for key, (n, n_done) in f.months.items():
            scheduled[key] += n
            done[key] += n_done
        tasks.extend(f.next_quarter)
    nxt = quarter.next()
    order = [d.name for d in config.departments.values()] + ["Other", "Objectives due"]
    return Charts(
        by_type=sorted(types.items(), key=lambda kv: (-kv[1], kv[0])),
        per_month=[MonthBar(f"{MONTH_ABBR[m - 1]} {y}", scheduled[(y, m)], done[(y, m)])
                   for y, m in quarter.months()],
        next_quarter=build_gantt(f"{nxt.label}: activities and objectives due", tasks, section_order=order),
    )
