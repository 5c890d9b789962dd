"""The quarterly review (SPEC 8) as plain data: every figure the template shows is computed here.

One document a Head of Medical Affairs takes into a quarterly business review unedited, at
14 KOLs and at 10,000: the same sections at any size, each bounded (at most 15 KOLs needing
action, 8 rows or slices per breakdown and chart, 30 Gantt items, 150 appendix rows, 25
errors listed), with "and N more" saying what is left out.

* At a glance: the four questions (outcomes, satisfaction, coordination, compliance), each with
  the change against the previous quarter; satisfaction over fewer than 5 KOLs says so.
* Needs action: KOLs ranked by what is wrong (errors, overdue items, objectives at risk, overdue
  check-ins), then tier (global first), then name; one plain-language line each
  (:mod:`kolplan.rules.actions`).
* Trends over four quarters, from dated entries (no git); breakdowns by department,
  therapeutic area and tier; outcomes by impact level; coordination; insights by therapeutic
  area; compliance; next quarter's Gantt; the appendix.

Conventions. *In the quarter* means dated inside it (activity ``date``, interaction, feedback
and satisfaction ``date``); trends count only what is dated up to ``--as-of``. States
(objective status, overdue items, conflicts) are as of ``--as-of``, as ``validate`` reports
them. Satisfaction counts each KOL once, with their latest score in the quarter. NPS = % of
those KOLs scoring 9-10 minus % scoring 0-6, in points. A KOL belongs to their lead's
department and their first therapeutic area, so each breakdown's rows add up to the portfolio.

No Jinja and no rich here. It is a map and a reduce: :func:`kolplan.views.figures.plan_figures`
computes one plan's share (in the worker that parsed it, so the plan's model never travels
between processes); :func:`build_report` adds the shares up with the diagnostics and git's
changes into a :class:`Report`, which ``templates/report.md.j2`` lays out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from kolplan.diagnostics import Diagnostic, Severity
from kolplan.rules.actions import action_for
from kolplan.views.charts import PIE_INIT, XY_INIT, GanttTask, axis_max, build_gantt, top_slices
from kolplan.views.figures import ActivityKpi, Insight, PlanFigures, QuarterShare, trend_quarters
from kolplan.views.fiscal import Quarter
from kolplan.views.kol import (
    ChangeItem,
    KolFacts,
    KolRow,
    KolSection,
    KolSummary,
    NextItem,
    PersonRef,
    kol_row,
    kol_section,
)
from kolplan.views.loader import skipped_plans
from kolplan.vocabulary import IMPACT_LEVELS, OBJECTIVE_STATUSES, TIERS

if TYPE_CHECKING:
    from kolplan.repo.git import GitState, QuarterChanges
    from kolplan.schema import Config
    from kolplan.views.charts import Gantt

OWNERSHIP_CODES: Final = ("KP301", "KP302", "KP303")  # one KOL, one plan, one lead
OVERDUE_CODES: Final = ("KP202", "KP203", "KP204", "KP205", "KP107")  # overdue items, in "Needs action"
CHECKIN_CODE: Final = "KP201"
CAP_NEAR: Final = 0.8
SMALL_SAMPLE: Final = 5  # fewer KOLs measured than this: "too few for a trend"
MANY_DEPARTMENTS: Final = 3  # a KOL engaged by this many departments or more needs coordinating
NEEDS_ACTION_MAX: Final = 15
ACTIONS_PER_LINE: Final = 3
GLOBAL_SECTIONS_MAX: Final = 10
GROUP_ROWS_MAX: Final = 8  # rows of a breakdown, slices of a pie
APPENDIX_MAX: Final = 150
ERRORS_MAX: Final = 25
GANTT_ITEMS_MAX: Final = 30
NAMES_MAX: Final = 10  # KOLs named in one sentence
INSIGHTS_SHOWN: Final = 3
TIER_RANK: Final[dict[str, int]] = {t: i for i, t in enumerate(TIERS)}
NO_AREA: Final = "no therapeutic area"
RANK_LABELS: Final = ("errors", "overdue items", "objectives at risk", "check-in overdue")

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

    @property
    def few(self) -> bool:
        """Measured over fewer than 5 KOLs: a mean or an NPS, but no trend to read from it."""
        return self.measured < SMALL_SAMPLE


@dataclass
class Change:
    """A figure this quarter and the previous one; ``delta`` is None where it says nothing."""

    now: float
    before: float
    delta: float | None


def change(now: float, before: float) -> Change:
    return Change(now, before, now - before)


@dataclass
class Outcomes:
    objectives: int
    objective_status: list[tuple[str, int]]
    due: int  # objectives due in the quarter
    due_achieved: int
    due_missed: int  # missed or dropped
    due_open: int  # not-started, on-track or at-risk
    due_past: int  # ... of them already past their due date as of as-of
    at_risk: int  # objectives at risk now
    activities: ActivityKpi
    achieved: Change  # objectives due in the quarter and achieved, vs the previous quarter
    done: Change  # activities done (up to as-of), vs the previous quarter


@dataclass
class SatisfactionGlance:
    now: SatisfactionKpi
    before: SatisfactionKpi
    mean_change: float | None  # None unless both quarters measured 5 KOLs or more
    nps_change: int | None
    feedback_received: int
    feedback_acted_on: int
    feedback_open: int  # any date up to as-of, without a response


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
    previous_total: float = 0.0  # ... in the previous quarter
    year: int = 0  # calendar year of the quarter's last day (caps are per calendar year)
    cap: float | None = None
    over_cap: list[CapRow] = field(default_factory=list)
    near_cap: list[CapRow] = field(default_factory=list)
    highest: CapRow | None = None


@dataclass
class RuleCount:
    code: str
    rule: str
    severity: str
    kols: int
    findings: int
    action: str


@dataclass
class CollisionRow:
    kol: str
    tier: str
    date: dt.date
    days: int
    departments: tuple[str, str]


@dataclass
class Coordination:
    many_departments: Change  # KOLs engaged by three or more departments (activity or contact), vs before
    many_names: list[str]  # the first of them: global tier first, then by name
    window_days: int | None  # coordination.window_days (KP306); None: not configured
    collisions_now: int  # KP306 collisions dated in the quarter
    collisions_next: int  # ... in the next quarter
    collision_kols_next: int
    collisions: list[CollisionRow]  # the next quarter's, global tier first, at most 10
    load_configured: bool  # coordination.max_hours_per_quarter (KP206)
    hours_now: float  # asked of all KOLs in the quarter (its calendar quarter, as KP206 counts)
    hours_next: float
    over_now: list[str]  # KOLs asked for more than their tier's hours: global tier first, at most 10
    over_now_count: int
    over_next: list[str]
    over_next_count: int
    ownership: list[RuleCount]
    ownership_kols: int
    outside_plan: int  # activities (any date, not cancelled) owned by someone not among the plan's owners
    departments: list[DepartmentRow]


@dataclass
class TransferRow:
    """Transfers of value paid so far in the year, for one disclosure regime."""

    key: str  # us, efpia, other
    regime: str
    kols: int = 0
    payments: int = 0
    total: float = 0.0
    reportable: int = 0  # of the payments, those the filing reports (what ``disclose`` files)
    reportable_total: float = 0.0
    consented: int = 0  # KOLs who agreed to individual disclosure (EFPIA)


@dataclass
class Compliance:
    compensation: CompensationKpi
    findings: list[RuleCount]  # KP4xx and KP5xx
    kols_with_findings: int
    errors: int  # errors in plans, all rules
    transfers_year: int  # the calendar year of as-of
    transfers: list[TransferRow]  # Open Payments (US), EFPIA (EEA, UK, CH), neither


@dataclass
class ActionRow:
    """One KOL in "Needs action": why (``rank``: 0 errors, 1 overdue items, 2 objectives at
    risk, 3 check-in overdue) and what to do, in plain words."""

    id: str
    name: str
    tier: str
    lead: PersonRef | None
    rank: int
    reason: str
    actions: list[str]
    more: int  # actions not shown on the line


@dataclass
class TrendRow:
    label: str
    to_date: bool  # the quarter contains as-of: its figures so far
    satisfaction: SatisfactionKpi
    achieved: int
    missed: int
    done: int
    feedback: int
    acted_on: int


@dataclass
class Trends:
    rows: list[TrendRow]  # oldest first; quarters that start after as-of are left out
    axis_max: int
    init: str = XY_INIT


@dataclass
class BreakdownRow:
    name: str
    kols: int = 0
    at_risk: int = 0
    done: int = 0
    scores: list[int] = field(default_factory=list)
    compensation: float = 0.0

    @property
    def measured(self) -> int:
        return len(self.scores)

    @property
    def satisfaction(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None

    def add(self, f: PlanFigures) -> None:
        self.kols += 1
        self.at_risk += len(f.kol.at_risk)
        self.done += f.activities.done
        if f.score is not None:
            self.scores.append(f.score)
        self.compensation += sum(f.paid_in_quarter)


@dataclass
class Breakdown:
    title: str
    label: str  # the first column's heading
    rows: list[BreakdownRow]  # the largest groups, at most 8 (the rest added up as the last)


@dataclass
class DepartmentRow:
    id: str
    name: str
    function: str
    kols_led: int = 0
    kols_contributing: int = 0
    engaged: int = 0  # KOLs its people engaged in the quarter (activity or contact)
    activities_scheduled: int = 0
    activities_done: int = 0
    interactions: int = 0
    outside_plan: int = 0  # activities its people own in plans they are not owners of (any date)
    overdue_checkins: int = 0  # among the KOLs it leads
    at_risk: int = 0  # at-risk objectives in the plans it leads
    scores: list[int] = field(default_factory=list)  # KOLs it leads, measured in the quarter
    compensation: float = 0.0  # ... planned and done in the quarter
    hours: float = 0.0  # asked of KOLs by its people in the quarter (as KP206 counts)

    @property
    def satisfaction_mean(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None


@dataclass
class ImpactRow:
    impact: str
    objectives: int = 0
    achieved: int = 0
    missed: int = 0  # missed or dropped
    at_risk: int = 0
    open: int = 0  # not-started or on-track


@dataclass
class InsightGroup:
    area: str
    count: int
    kols: int
    latest: list[Insight]


@dataclass
class ErrorRow:
    path: str
    line: int
    code: str
    rule: str
    kol: str
    action: str


@dataclass
class Charts:
    by_type: list[tuple[str, int]]  # at most 8 slices
    next_quarter: Gantt
    pie_init: str = PIE_INIT


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
    kols: int
    tiers: list[tuple[str, int]]
    outcomes: Outcomes
    satisfaction: SatisfactionGlance
    coordination: Coordination
    compliance: Compliance
    needs_action: list[ActionRow]
    needs_action_more: int
    trends: Trends
    breakdowns: list[Breakdown]
    impact: list[ImpactRow]
    impact_unset: int  # objectives that do not say their impact
    insights: list[InsightGroup]
    insights_total: int
    sections: list[KolSection]
    appendix: list[KolRow]
    appendix_more: int
    charts: Charts
    diagnostic_rules: list[RuleCount]
    errors: list[ErrorRow]
    errors_more: int
    skipped: list[str]  # plans with reading or schema errors (KP0xx), not in the figures
    diagnostic_counts: dict[str, int]
    git_added: list[str]  # names of the KOLs whose plans were added in the quarter (at most 10)
    git_added_count: int
    git_moved: list[tuple[str, str, str, int]]  # (from, to, "KOL names", count) of objective status changes

    @property
    def fiscal_year(self) -> int:
        return self.quarter.fiscal_year

    @property
    def in_progress(self) -> bool:
        """The quarter contains as-of: its figures are so far."""
        return self.quarter.contains(self.as_of)

    @property
    def git_moved_total(self) -> int:
        return sum(n for *_, n in self.git_moved)


def build_report(config: Config, figures: Mapping[str, PlanFigures], diagnostics: list[Diagnostic],
                 quarter: Quarter, as_of: dt.date, detail: Callable[[str], KolFacts | None], *,
                 department: str | None = None, git: GitState | None = None,
                 changes: QuarterChanges | None = None, git_used: bool = True) -> Report:
    """Every figure of the quarterly review, from the figures of the plans that read and
    validated (:func:`plan_figures`, for the same ``quarter`` and ``as_of``).

    ``detail(path)``: the full facts of one KOL (:func:`kolplan.views.kol.kol_facts`), asked
    only for the at most 25 KOLs that get a section (``None``: the plan no longer reads, and
    the KOL gets no section)."""
    # plans with reading or schema errors (KP0xx): not in the figures, named in the report
    skipped = [s.path for s in skipped_plans(diagnostics)]
    skip = set(skipped)
    scope = {p: f for p, f in sorted(figures.items()) if p not in skip}
    if department is not None:
        scope = {p: f for p, f in scope.items() if department in f.owner_departments}
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        by_path[d.path].append(d)
    shown = [d for d in diagnostics if d.path in scope or d.path in skip]
    plans = list(scope.values())

    ranked = _needs_action(scope, by_path, as_of)
    action_ids = {r.id for r in ranked}
    shown_action = ranked[:NEEDS_ACTION_MAX]
    sections = _sections(scope, changes, shown_action, detail)
    in_sections = {s.id for s in sections}
    actions = {r.id: r for r in ranked}
    rest: list[tuple[tuple[object, ...], KolRow]] = []
    for path, f in scope.items():
        if f.kol.id in in_sections:
            continue
        row = kol_row(f.kol)
        if f.kol.id in action_ids:
            a = actions[f.kol.id]
            row.action = "; ".join(a.actions)
            rest.append(((0, a.rank, TIER_RANK[a.tier], a.name.casefold(), a.id), row))
        elif _active(f.kol, changes, path):
            rest.append(((1, 0, TIER_RANK[f.kol.tier], f.kol.name.casefold(), f.kol.id), row))
    rest.sort(key=lambda kv: kv[0])
    errors = [d for d in shown if d.severity == Severity.ERROR]
    names = {p: f.kol.name for p, f in scope.items()}
    dept_name = (department, config.departments[department].name) if department else None
    added, moved = _git_summary(changes, names)
    tiers: Counter[str] = Counter(f.kol.tier for f in plans)
    return Report(
        organization=config.organization, quarter=quarter, previous=quarter.previous(), next=quarter.next(),
        as_of=as_of, department=dept_name, git_used=git_used, git=git, changes=changes,
        kols=len(plans), tiers=[(t, tiers[t]) for t in TIERS],
        outcomes=_outcomes(plans), satisfaction=_satisfaction(plans),
        coordination=_coordination(config, scope, by_path, department),
        compliance=_compliance(config, scope, by_path, quarter, as_of, shown),
        needs_action=shown_action, needs_action_more=len(ranked) - len(shown_action),
        trends=_trends(plans, quarter, as_of), breakdowns=_breakdowns(config, plans),
        impact=_impact(plans), impact_unset=sum(len(f.kol.objective_status) - len(f.impact) for f in plans),
        insights=_insights(plans), insights_total=sum(f.insight_count for f in plans),
        sections=sections, appendix=[r for _, r in rest[:APPENDIX_MAX]],
        appendix_more=max(0, len(rest) - APPENDIX_MAX), charts=_charts(plans, quarter),
        diagnostic_rules=_rule_counts(list(by_path), by_path, lambda c: True, shown_only=set(scope) | skip),
        errors=[ErrorRow(d.path, d.line, d.code, d.rule, names.get(d.path, d.path), action_for(d.code))
                for d in errors[:ERRORS_MAX]],
        errors_more=max(0, len(errors) - ERRORS_MAX), skipped=skipped,
        diagnostic_counts={s.value: sum(1 for d in shown if d.severity == s) for s in Severity},
        git_added=added[:NAMES_MAX], git_added_count=len(added), git_moved=moved,
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


# -- at a glance -----------------------------------------------------------------------------
def _outcomes(plans: list[PlanFigures]) -> Outcomes:
    status = Counter(s for f in plans for s in f.kol.objective_status)
    due = [d for f in plans for d in f.due]
    acts = ActivityKpi()
    for f in plans:
        acts.add(f.activities)
    return Outcomes(
        objectives=sum(status.values()), objective_status=[(s, status[s]) for s in OBJECTIVE_STATUSES],
        due=len(due), due_achieved=sum(1 for s, _ in due if s == "achieved"),
        due_missed=sum(1 for s, _ in due if s in ("missed", "dropped")),
        due_open=sum(1 for s, _ in due if s in ("not-started", "on-track", "at-risk")),
        due_past=sum(1 for _, past in due if past), at_risk=status["at-risk"], activities=acts,
        achieved=change(sum(f.trend[-1].achieved for f in plans), sum(f.trend[-2].achieved for f in plans)),
        done=change(sum(f.trend[-1].done for f in plans), sum(f.trend[-2].done for f in plans)),
    )


def _satisfaction(plans: list[PlanFigures]) -> SatisfactionGlance:
    now = satisfaction_of(f.score for f in plans)
    before = satisfaction_of(f.previous_score for f in plans)
    comparable = not now.few and not before.few
    return SatisfactionGlance(
        now, before,
        mean_change=now.mean - before.mean if comparable and now.mean is not None and before.mean is not None
        else None,
        nps_change=now.nps - before.nps if comparable and now.nps is not None and before.nps is not None else None,
        feedback_received=sum(f.feedback_received for f in plans),
        feedback_acted_on=sum(f.feedback_acted_on for f in plans),
        feedback_open=sum(f.feedback_open for f in plans),
    )


def _coordination(config: Config, scope: dict[str, PlanFigures], by_path: dict[str, list[Diagnostic]],
                  department: str | None) -> Coordination:
    plans = list(scope.values())
    paths = list(scope)
    ranked = sorted(plans, key=lambda f: (TIER_RANK[f.kol.tier], f.kol.name.casefold(), f.kol.id))
    many = [f for f in ranked if len(f.engaged_by) >= MANY_DEPARTMENTS]
    over_now = [f.kol.name for f in ranked if f.coordination.over_now]
    over_next = [f.kol.name for f in ranked if f.coordination.over_next]
    coord = config.coordination
    collisions = [CollisionRow(f.kol.name, f.kol.tier, c.date, c.days, c.departments)
                  for f in ranked for c in f.coordination.collisions_next]
    return Coordination(
        many_departments=change(len(many), sum(1 for f in plans if f.trend[-2].departments >= MANY_DEPARTMENTS)),
        many_names=[f.kol.name for f in many[:NAMES_MAX]],
        window_days=coord.window_days if coord is not None else None,
        collisions_now=sum(f.coordination.collisions_now for f in plans), collisions_next=len(collisions),
        collision_kols_next=sum(1 for f in plans if f.coordination.collisions_next), collisions=collisions[:NAMES_MAX],
        load_configured=coord is not None and coord.max_hours_per_quarter is not None,
        hours_now=sum(f.coordination.hours_now for f in plans),
        hours_next=sum(f.coordination.hours_next for f in plans),
        over_now=over_now[:NAMES_MAX], over_now_count=len(over_now), over_next=over_next[:NAMES_MAX],
        over_next_count=len(over_next),
        ownership=_rule_counts(paths, by_path, lambda c: c in OWNERSHIP_CODES),
        ownership_kols=sum(1 for p in paths if any(d.code in OWNERSHIP_CODES for d in by_path.get(p, []))),
        outside_plan=sum(f.outside_plan for f in plans),
        departments=_departments(config, scope, by_path, department),
    )


def _compliance(config: Config, scope: dict[str, PlanFigures], by_path: dict[str, list[Diagnostic]],
                quarter: Quarter, as_of: dt.date, shown: list[Diagnostic]) -> Compliance:
    paths = list(scope)

    def wanted(code: str) -> bool:
        return code.startswith(("KP4", "KP5"))

    rows = {"us": TransferRow("us", "Open Payments (US)"),
            "efpia": TransferRow("efpia", "EFPIA (EEA, UK, Switzerland)"),
            "other": TransferRow("other", "neither (other countries)")}
    for f in scope.values():
        t = f.transfers
        if t.payments:
            row = rows[t.region]
            row.kols += 1
            row.payments += t.payments
            row.total += t.total
            row.reportable += t.reportable
            row.reportable_total += t.reportable_total
            row.consented += t.consent is True
    return Compliance(
        compensation=_compensation(config, list(scope.values()), quarter),
        findings=_rule_counts(paths, by_path, wanted),
        kols_with_findings=sum(1 for p in paths if any(wanted(d.code) for d in by_path.get(p, []))),
        errors=sum(1 for d in shown if d.severity == Severity.ERROR),
        transfers_year=as_of.year, transfers=[r for r in rows.values() if r.payments],
    )


def _rule_counts(paths: list[str], by_path: dict[str, list[Diagnostic]], want: Callable[[str], bool],
                 shown_only: set[str] | None = None) -> list[RuleCount]:
    """Findings and KOLs by rule, errors first, then by code."""
    kols: Counter[str] = Counter()
    findings: Counter[str] = Counter()
    meta: dict[str, tuple[str, Severity]] = {}
    for p in paths:
        if shown_only is not None and p not in shown_only:
            continue
        seen: set[str] = set()
        for d in by_path.get(p, []):
            if want(d.code):
                findings[d.code] += 1
                meta[d.code] = (d.rule, d.severity)
                seen.add(d.code)
        kols.update(seen)
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    codes = sorted(findings, key=lambda c: (order.get(meta[c][1], 3), c))
    return [RuleCount(c, meta[c][0], meta[c][1].value, kols[c], findings[c], action_for(c)) for c in codes]


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
        out.previous_total += f.paid_previous_quarter
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


# -- needs action --------------------------------------------------------------------------------
def _needs_action(scope: dict[str, PlanFigures], by_path: dict[str, list[Diagnostic]],
                  as_of: dt.date) -> list[ActionRow]:
    """Every KOL with errors, overdue items, objectives at risk or an overdue check-in: ranked by
    the first of these they have, then tier (global first), then name."""
    rows: list[ActionRow] = []
    for path, f in scope.items():
        diags = by_path.get(path, [])
        kol = f.kol
        found: list[tuple[int, str]] = []  # (rank, action)
        for d in diags:
            if d.severity == Severity.ERROR:
                found.append((0, action_for(d.code)))
        for d in diags:
            if d.code in OVERDUE_CODES and d.severity != Severity.ERROR:
                found.append((1, action_for(d.code)))
        for oid, statement in kol.at_risk:
            found.append((2, f"agree how to rescue objective {oid} ({_short(statement)}) or re-plan it"))
        if any(d.code == CHECKIN_CODE and d.severity != Severity.ERROR for d in diags):
            found.append((3, _checkin_action(kol, as_of)))
        if not found:
            continue
        actions: list[str] = []
        for _, text in sorted(found, key=lambda rt: rt[0]):
            if text not in actions:
                actions.append(text)
        rank = min(r for r, _ in found)
        rows.append(ActionRow(kol.id, kol.name, kol.tier, kol.lead, rank, RANK_LABELS[rank],
                              actions[:ACTIONS_PER_LINE], max(0, len(actions) - ACTIONS_PER_LINE)))
    rows.sort(key=lambda r: (r.rank, TIER_RANK[r.tier], r.name.casefold(), r.id))
    return rows


def _checkin_action(kol: KolSummary, as_of: dt.date) -> str:
    if kol.last_contact is None:
        return "get in touch with the KOL (no contact logged yet)"
    days = (as_of - kol.last_contact).days
    return f"get in touch with the KOL (last contact {kol.last_contact.isoformat()}, {plural(days, 'day')} ago)"


def plural(n: int, word: str) -> str:
    """``1 day``, ``2 days``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:.") + "…"


def _active(kol: KolSummary, changes: QuarterChanges | None, path: str) -> bool:
    if kol.active:
        return True
    change_ = changes.plans.get(path) if changes is not None else None
    return change_ is not None and bool(change_.added or change_.objectives)


def _sections(scope: dict[str, PlanFigures], changes: QuarterChanges | None, shown_action: list[ActionRow],
              detail: Callable[[str], KolFacts | None]) -> list[KolSection]:
    """A section for each KOL in "Needs action" (in its order), then for at most 10 other
    global-tier KOLs active in the quarter (by name)."""
    by_id = {f.kol.id: (p, f) for p, f in scope.items()}
    out: list[KolSection] = []
    for row in shown_action:
        path = by_id[row.id][0]
        more = [f"and {row.more} more"] if row.more else []
        if (facts := detail(path)) is not None:
            out.append(_section(facts, changes, path, row.actions + more))
    listed = {r.id for r in shown_action}
    others = [(p, f) for p, f in scope.items() if f.kol.tier == "global" and f.kol.id not in listed
              and _active(f.kol, changes, p)]
    others.sort(key=lambda pf: (pf[1].kol.name.casefold(), pf[1].kol.id))
    for path, _ in others[:GLOBAL_SECTIONS_MAX]:
        if (facts := detail(path)) is not None:
            out.append(_section(facts, changes, path, ["global-tier KOL active this quarter"]))
    return out


def _section(facts: KolFacts, changes: QuarterChanges | None, path: str, reasons: list[str]) -> KolSection:
    """The KOL's section; its findings are in the actions and the appendix, not repeated here."""
    return kol_section(facts, reasons, changes.plans.get(path) if changes is not None else None)


# -- trends, breakdowns, impact, insights --------------------------------------------------------
def _trends(plans: list[PlanFigures], quarter: Quarter, as_of: dt.date) -> Trends:
    rows: list[TrendRow] = []
    for i, q in enumerate(trend_quarters(quarter)):
        if q.start > as_of:
            continue  # nothing dated after as-of: a quarter that has not started has no figures
        shares: list[QuarterShare] = [f.trend[i] for f in plans]
        rows.append(TrendRow(
            q.label, q.contains(as_of), satisfaction_of(s.score for s in shares),
            achieved=sum(s.achieved for s in shares), missed=sum(s.missed for s in shares),
            done=sum(s.done for s in shares), feedback=sum(s.feedback for s in shares),
            acted_on=sum(s.acted_on for s in shares)))
    return Trends(rows, axis_max([r.done for r in rows] + [r.achieved for r in rows]))


def _breakdowns(config: Config, plans: list[PlanFigures]) -> list[Breakdown]:
    dept: dict[str, BreakdownRow] = {}
    area: dict[str, BreakdownRow] = {}
    tier: dict[str, BreakdownRow] = {t: BreakdownRow(t) for t in TIERS}
    for f in plans:
        lead = f.kol.lead
        name = lead.department_name if lead is not None else "no lead"
        dept.setdefault(name, BreakdownRow(name)).add(f)
        a = f.therapeutic_areas[0] if f.therapeutic_areas else NO_AREA
        area.setdefault(a, BreakdownRow(a)).add(f)
        tier[f.kol.tier].add(f)
    return [Breakdown("By department (of the KOL's lead)", "Department",
                      _top_rows(list(dept.values()), "other departments")),
            Breakdown("By therapeutic area (the KOL's first)", "Therapeutic area",
                      _top_rows(list(area.values()), "other areas")),
            Breakdown("By tier", "Tier", [r for r in tier.values() if r.kols])]


def _top_rows(rows: list[BreakdownRow], other: str) -> list[BreakdownRow]:
    rows.sort(key=lambda r: (-r.kols, r.name.casefold()))
    if len(rows) <= GROUP_ROWS_MAX:
        return rows
    rest = BreakdownRow(f"{other} ({len(rows) - GROUP_ROWS_MAX + 1})")
    for r in rows[GROUP_ROWS_MAX - 1:]:
        rest.kols += r.kols
        rest.at_risk += r.at_risk
        rest.done += r.done
        rest.scores += r.scores
        rest.compensation += r.compensation
    return [*rows[: GROUP_ROWS_MAX - 1], rest]


def _impact(plans: list[PlanFigures]) -> list[ImpactRow]:
    rows: dict[str, ImpactRow] = {}
    for f in plans:
        for impact, status in f.impact:
            r = rows.setdefault(impact, ImpactRow(impact))
            r.objectives += 1
            if status == "achieved":
                r.achieved += 1
            elif status in ("missed", "dropped"):
                r.missed += 1
            elif status == "at-risk":
                r.at_risk += 1
            else:
                r.open += 1
    order: dict[str, int] = {level: i for i, level in enumerate(IMPACT_LEVELS)}
    return sorted(rows.values(), key=lambda r: (order.get(r.impact, len(order)), r.impact))


def _insights(plans: list[PlanFigures]) -> list[InsightGroup]:
    """Insights logged in the quarter (up to as-of) by the KOL's first therapeutic area: the
    most first, at most 8 groups (the rest as one), each with its three latest verbatim."""
    count: Counter[str] = Counter()
    kols: Counter[str] = Counter()
    latest: dict[str, list[Insight]] = defaultdict(list)
    for f in plans:
        if not f.insight_count:
            continue
        a = f.therapeutic_areas[0] if f.therapeutic_areas else NO_AREA
        count[a] += f.insight_count
        kols[a] += 1
        latest[a].extend(f.insights)
    groups = sorted(count, key=lambda a: (-count[a], a))
    if len(groups) > GROUP_ROWS_MAX:
        head, tail = groups[: GROUP_ROWS_MAX - 1], groups[GROUP_ROWS_MAX - 1:]
        other = f"other areas ({len(tail)})"
        count[other] = sum(count[a] for a in tail)
        kols[other] = sum(kols[a] for a in tail)
        latest[other] = [i for a in tail for i in latest[a]]
        groups = [*head, other]
    return [InsightGroup(a, count[a], kols[a], _latest(latest[a])) for a in groups]


def _latest(items: list[Insight]) -> list[Insight]:
    return sorted(items, key=lambda i: (-i.date.toordinal(), i.kol.casefold(), i.text))[:INSIGHTS_SHOWN]


# -- departments, charts, git ----------------------------------------------------------------------
def _departments(config: Config, scope: dict[str, PlanFigures], by_path: dict[str, list[Diagnostic]],
                 department: str | None) -> list[DepartmentRow]:
    rows: dict[str | None, DepartmentRow] = {
        d: DepartmentRow(d, dep.name, dep.function) for d, dep in config.departments.items()}
    by_name = {r.name: r for r in rows.values()}
    for path, f in scope.items():
        overdue = any(d.code == CHECKIN_CODE for d in by_path.get(path, []))
        for d in f.lead_departments:
            if d in rows:
                rows[d].kols_led += 1
                rows[d].overdue_checkins += 1 if overdue else 0
                rows[d].at_risk += len(f.kol.at_risk)
                rows[d].compensation += sum(f.paid_in_quarter)
                if f.score is not None:
                    rows[d].scores.append(f.score)
        for d in f.owner_departments - f.lead_departments:
            if d in rows:
                rows[d].kols_contributing += 1
        for d in f.engaged_by:
            if d in rows:
                rows[d].engaged += 1
        for d, (outside, scheduled, done) in f.department_activities.items():
            if d in rows:
                rows[d].outside_plan += outside
                rows[d].activities_scheduled += scheduled
                rows[d].activities_done += done
        for d, n in f.department_interactions.items():
            if d in rows:
                rows[d].interactions += n
        for name, hours in f.coordination.department_hours.items():
            if name in by_name:
                by_name[name].hours += hours
    return [r for r in rows.values() if r.kols_led or r.kols_contributing or r.activities_scheduled
            or r.interactions or r.id == department]


def _charts(plans: list[PlanFigures], quarter: Quarter) -> Charts:
    types: Counter[str] = Counter()
    tasks: list[GanttTask] = []
    for f in plans:
        types.update(f.types)
        tasks.extend(f.next_quarter)
    nxt = quarter.next()
    frame = GanttTask(nxt.label, "the whole quarter", nxt.start, "active", (nxt.end - nxt.start).days + 1)
    return Charts(
        by_type=top_slices(list(types.items())),
        next_quarter=build_gantt(f"{nxt.label}: planned activities, highest tiers first", tasks,
                                 limit=GANTT_ITEMS_MAX, section_order=list(TIERS), frame=frame,
                                 priority=lambda t: TIER_RANK.get(t.section, len(TIERS))),
    )


def _git_summary(changes: QuarterChanges | None, names: dict[str, str],
                 ) -> tuple[list[str], list[tuple[str, str, str, int]]]:
    """The names of the KOLs whose plans were added, and the objective status changes counted
    by (from, to), each with the first KOLs' names."""
    if changes is None or not changes.available:
        return [], []
    added = sorted((names.get(p, p) for p in changes.added), key=str.casefold)
    moved: dict[tuple[str, str], list[str]] = defaultdict(list)
    for pc in changes.plans.values():
        for c in pc.objectives:
            moved[(c.before, c.after)].append(names.get(pc.path, pc.path))
    rows = []
    for (before, after), who in sorted(moved.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        unique = sorted(set(who), key=str.casefold)
        text = ", ".join(unique[:NAMES_MAX]) + (f" and {len(unique) - NAMES_MAX} more" if len(unique) > NAMES_MAX
                                                 else "")
        rows.append((before, after, text, len(who)))
    return added, rows
