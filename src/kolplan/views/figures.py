"""One plan's share of the quarterly review (:mod:`kolplan.views.report`): what the review
needs of it for one quarter, computed in the worker that parsed the plan, so that only
these figures travel between processes, never the plan's model."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from kolplan.engagement.collisions import collisions
from kolplan.engagement.disclosure import EFPIA, OPEN_PAYMENTS, Settings, kol_transfers, settings_of
from kolplan.engagement.items import Engagement, engagements
from kolplan.engagement.load import calendar_quarter, quarter_loads
from kolplan.views.charts import GanttTask
from kolplan.views.kol import KolSummary, kol_summary, person_ref
from kolplan.vocabulary import CLOSED_STATUSES

if TYPE_CHECKING:
    from kolplan.schema import Config, Plan
    from kolplan.views.fiscal import Quarter

TREND_QUARTERS: Final = 4  # the review's trends: this quarter and the three before it
INSIGHTS_KEPT: Final = 3  # the latest insights of one plan that travel back (a group shows three)


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

    def add(self, other: ActivityKpi) -> None:
        self.scheduled += other.scheduled
        self.done += other.done
        self.open += other.open
        self.overdue += other.overdue
        self.cancelled += other.cancelled
        self.linkable += other.linkable
        self.linked += other.linked


@dataclass
class QuarterShare:
    """One plan's share of one quarter's trend (dated entries only, nothing after as-of)."""

    score: int | None = None  # latest satisfaction score dated in the quarter
    achieved: int = 0  # objectives due in the quarter, now achieved
    missed: int = 0  # ... now missed
    done: int = 0  # activities done, dated in the quarter
    feedback: int = 0  # feedback entries dated in the quarter
    acted_on: int = 0  # ... with a response
    departments: int = 0  # departments that engaged the KOL in the quarter (activity or contact)


@dataclass(frozen=True)
class Insight:
    date: dt.date
    text: str  # the plan's words
    kol: str  # the KOL's name
    by: str  # the name of who logged it


@dataclass(frozen=True)
class CollisionFact:
    """A KP306 collision (:mod:`kolplan.engagement.collisions`), as the review names it."""

    date: dt.date  # the later engagement's
    days: int
    departments: tuple[str, str]  # names: the earlier one's, the later one's


@dataclass
class CoordinationShare:
    """One plan's share of the review's coordination figures, from :mod:`kolplan.engagement`."""

    collisions_now: int = 0  # KP306 collisions whose later engagement is dated in the quarter
    collisions_next: list[CollisionFact] = field(default_factory=list)  # ... in the next quarter
    hours_now: float = 0.0  # hours of planned and done engagements in the quarter's calendar quarter (KP206)
    hours_next: float = 0.0  # ... in the next one
    limit: float | None = None  # coordination.max_hours_per_quarter for the KOL's tier
    department_hours: dict[str, float] = field(default_factory=dict)  # this quarter, by department name

    @property
    def over_now(self) -> bool:
        return self.limit is not None and self.hours_now > self.limit

    @property
    def over_next(self) -> bool:
        return self.limit is not None and self.hours_next > self.limit


@dataclass
class Transfers:
    """Fees and expenses of ``done`` engagements paid in the calendar year of as-of, up to as-of,
    and those of them the filings will report (:func:`kolplan.engagement.disclosure.kol_transfers`,
    what ``disclose`` files: Open Payments' de minimis rule on the total so far, research
    payments on CMS's research template, EFPIA without meals)."""

    payments: int = 0
    total: float = 0.0
    reportable: int = 0
    reportable_total: float = 0.0
    region: str = "other"  # "us" (Open Payments), "efpia" (the EEA, the UK, Switzerland) or "other"
    consent: bool | None = None  # privacy.tov_disclosure_consent


@dataclass
class PlanFigures:
    """One plan's share of every figure: what :func:`build_report` adds up across plans.

    It depends on the plan, the config, the quarter and as-of only (not on diagnostics or
    git), so it is computed where the plan was parsed (a worker process) and only these
    plain values travel back, not the plan's model.
    """

    kol: KolSummary  # the full facts of the few KOLs with a section are read again (report's ``detail``)
    therapeutic_areas: tuple[str, ...]
    owner_departments: frozenset[str | None]
    lead_departments: frozenset[str | None]
    activities: ActivityKpi  # in the quarter
    outside_plan: int  # any date, not cancelled
    # department of the activity's owner -> [outside the plan (any date), scheduled in the
    # quarter, done in the quarter]; of the interaction's author -> interactions in the quarter
    department_activities: dict[str | None, list[int]]
    department_interactions: dict[str | None, int]
    engaged_by: frozenset[str]  # departments that engaged the KOL in the quarter (activity or contact)
    feedback_received: int
    feedback_acted_on: int
    feedback_open: int
    trend: list[QuarterShare]  # the four quarters up to this one, oldest first
    due: list[tuple[str, bool]]  # objectives due in the quarter: (status, open and past due as of as-of)
    impact: list[tuple[str, str]]  # (impact, status) of each objective that says its impact
    paid_in_quarter: list[float]  # compensation of each planned or done activity dated in the quarter
    paid_previous_quarter: float
    year_compensation: float  # in the calendar year the quarter ends in
    types: dict[str, int]  # activity type -> planned or done, dated in the quarter
    insights: list[Insight]  # the latest insights logged in the quarter (up to as-of), newest first
    insight_count: int  # every insight logged in the quarter
    next_quarter: list[GanttTask]
    coordination: CoordinationShare
    transfers: Transfers

    @property
    def score(self) -> int | None:
        return self.trend[-1].score

    @property
    def previous_score(self) -> int | None:
        return self.trend[-2].score


def plan_figures(config: Config, quarter: Quarter, as_of: dt.date, path: str, plan: Plan, *,
                 settings: Settings | None = None) -> PlanFigures:
    """``plan``'s share of the quarterly review (see :class:`PlanFigures`). ``settings`` are the
    filing settings of ``config`` (:func:`~kolplan.engagement.disclosure.settings_of`): made once
    by the caller of a whole run, or here."""
    owners = plan.owner_handles()
    acts = ActivityKpi()
    outside = 0
    dept_acts: dict[str | None, list[int]] = {}
    types: Counter[str] = Counter()
    paid: list[float] = []
    paid_before = 0.0
    tasks: list[GanttTask] = []
    nxt, prev = quarter.next(), quarter.previous()
    engaged: set[str] = set()
    for a in plan.plan.activities:
        cancelled = a.status == "cancelled"
        dept = config.view.department_of(a.owner)
        counts = dept_acts.setdefault(dept, [0, 0, 0])
        if not cancelled and a.owner not in owners:
            outside += 1
            counts[0] += 1
        if not cancelled and prev.contains(a.date) and a.compensation:
            paid_before += a.compensation
        if quarter.contains(a.date):
            if cancelled:
                acts.cancelled += 1
            else:
                done = a.status == "done"
                acts.scheduled += 1
                counts[1] += 1
                if dept is not None:
                    engaged.add(dept)
                if done:
                    acts.done += 1
                    counts[2] += 1
                else:
                    acts.open += 1
                    if a.date is not None and a.date < as_of:
                        acts.overdue += 1
                if a.type != "check-in":
                    acts.linkable += 1
                    acts.linked += 1 if a.objectives else 0
                if a.compensation:
                    paid.append(a.compensation)
                types[a.type] += 1
        if a.status == "planned" and a.date is not None and nxt.contains(a.date):
            tasks.append(GanttTask(plan.kol.tier, f"{plan.kol.name} · {a.title}", a.date))
    inter = [i for i in plan.interactions if quarter.contains(i.date)]
    dept_inter: Counter[str | None] = Counter(config.view.department_of(i.by) for i in inter)
    engaged.update(d for d in dept_inter if d is not None)
    feedback = [f for f in plan.feedback if quarter.contains(f.date)]
    items = engagements(plan, config.view)  # the engagement package's records, for coordination and disclosure
    insights = [Insight(i.date, text, plan.kol.name, person_ref(config, i.by).name)
                for i in inter if i.date <= as_of for text in i.insights]
    insights.sort(key=lambda x: x.date, reverse=True)  # stable: one day's insights keep the plan's order
    return PlanFigures(
        kol=kol_summary(config, path, plan, quarter, as_of),
        therapeutic_areas=tuple(plan.kol.therapeutic_areas),
        owner_departments=frozenset(config.view.department_of(o.person) for o in plan.owners),
        lead_departments=frozenset(config.view.department_of(o.person) for o in plan.owners if o.role == "lead"),
        activities=acts, outside_plan=outside, department_activities=dept_acts,
        department_interactions=dict(dept_inter), engaged_by=frozenset(engaged),
        feedback_received=len(feedback),
        feedback_acted_on=sum(1 for f in feedback if (f.response or "").strip()),
        feedback_open=sum(1 for f in plan.feedback if f.date <= as_of and not (f.response or "").strip()),
        trend=[quarter_share(config, plan, q, as_of) for q in trend_quarters(quarter)],
        due=[(o.status, o.due is not None and o.due < as_of and o.status not in CLOSED_STATUSES)
             for o in plan.plan.objectives if quarter.contains(o.due)],
        impact=[(o.impact, o.status) for o in plan.plan.objectives if o.impact is not None],
        paid_in_quarter=paid, paid_previous_quarter=paid_before,
        year_compensation=year_compensation(plan, quarter.end.year, config.cap_with_expenses),
        types=dict(types), insights=insights[:INSIGHTS_KEPT], insight_count=len(insights), next_quarter=tasks,
        coordination=_coordination(config, plan, quarter, items),
        transfers=_transfers(config, settings or settings_of(config), plan, as_of),
    )


def _coordination(config: Config, plan: Plan, quarter: Quarter, items: list[Engagement]) -> CoordinationShare:
    """Collisions (KP306) and the hours asked (KP206) of this quarter and the next, from the
    engagement package; the hours by calendar quarter, as KP206 counts them (the calendar
    quarter the fiscal quarter starts in)."""
    coord = config.coordination
    nxt = quarter.next()
    hours = coord.max_hours_per_quarter if coord is not None else None
    out = CoordinationShare(limit=hours.for_tier(plan.kol.tier) if hours is not None else None)
    if coord is not None and coord.window_days is not None:
        for c in collisions(items, coord.window_days):
            if quarter.contains(c.later.date):
                out.collisions_now += 1
            elif nxt.contains(c.later.date) and c.later.date is not None:
                out.collisions_next.append(CollisionFact(c.later.date, c.days, (
                    config.view.department_name(c.earlier.department or ""),
                    config.view.department_name(c.later.department or ""))))
    loads = quarter_loads(items)
    now, later = loads.get(calendar_quarter(quarter.start)), loads.get(calendar_quarter(nxt.start))
    if now is not None:
        out.hours_now = now.hours
        out.department_hours = {config.view.department_name(d or ""): h for d, h in now.by_department.items()}
    if later is not None:
        out.hours_next = later.hours
    return out


def _transfers(config: Config, settings: Settings, plan: Plan, as_of: dt.date) -> Transfers:
    paid = kol_transfers(plan, config.view, settings, as_of.year, until=as_of)
    regime = paid.recipient.regime
    out = Transfers(region="us" if regime == OPEN_PAYMENTS else "efpia" if regime == EFPIA else "other",
                    consent=paid.recipient.consent)
    for t in paid.transfers:
        out.payments += 1
        out.total += t.payment.amount
        if t.reportable:
            out.reportable += 1
            out.reportable_total += t.payment.amount
    return out


def trend_quarters(quarter: Quarter) -> list[Quarter]:
    """The four quarters of the review's trends, oldest first, ending with ``quarter``."""
    out = [quarter]
    for _ in range(TREND_QUARTERS - 1):
        out.insert(0, out[0].previous())
    return out


def quarter_share(config: Config, plan: Plan, quarter: Quarter, as_of: dt.date) -> QuarterShare:
    """``plan``'s share of one quarter's trend: dated entries in the quarter, none after ``as_of``."""
    def dated(day: dt.date | None) -> bool:
        return quarter.contains(day) and day is not None and day <= as_of

    out = QuarterShare()
    scores = [s for s in plan.plan.satisfaction if dated(s.date)]
    if scores:
        out.score = max(scores, key=lambda s: s.date).score  # max keeps the first of equal dates
    for o in plan.plan.objectives:
        if quarter.contains(o.due):
            out.achieved += o.status == "achieved"
            out.missed += o.status == "missed"
    depts: set[str] = set()
    for a in plan.plan.activities:
        if a.status != "cancelled" and dated(a.date):
            out.done += a.status == "done"
            if (d := config.view.department_of(a.owner)) is not None:
                depts.add(d)
    for i in plan.interactions:
        if dated(i.date) and (d := config.view.department_of(i.by)) is not None:
            depts.add(d)
    for f in plan.feedback:
        if dated(f.date):
            out.feedback += 1
            out.acted_on += bool((f.response or "").strip())
    out.departments = len(depts)
    return out


def year_compensation(plan: Plan, year: int, include_expenses: bool = False) -> float:
    """Compensation in calendar ``year`` as KP402 counts it (:meth:`~kolplan.schema.Plan.compensation_by_year`,
    with expenses where ``compliance.cap_includes_expenses``), added up in the plan's order (KP402 adds in
    date order: the same sum but for float rounding)."""
    return _total(plan.compensation_by_year(include_expenses=include_expenses).get(year, []))


def _total(entries: list[tuple[int, float]]) -> float:
    """The amounts of ``(index, amount)`` entries added up in the order of the index (the plan's)."""
    total = 0.0
    for _, pay in sorted(entries):
        total += pay
    return total
