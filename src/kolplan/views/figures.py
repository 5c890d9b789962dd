"""One plan's share of the quarterly review (:mod:`kolplan.views.report`): what the review
needs of it for one quarter, computed in the worker that parsed the plan, so that only
these figures travel between processes, never the plan's model."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kolplan.views.charts import GanttTask
from kolplan.views.kol import KolFacts, kol_facts
from kolplan.vocabulary import CLOSED_STATUSES

if TYPE_CHECKING:
    from kolplan.schema import Config, Plan
    from kolplan.views.fiscal import Quarter


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
class PlanFigures:
    """One plan's share of every figure: what :func:`build_report` adds up across plans.

    It depends on the plan, the config, the quarter and as-of only (not on diagnostics or
    git), so it is computed where the plan was parsed (a worker process) and only these
    plain values travel back, not the plan's model.
    """

    kol: KolFacts
    owner_departments: frozenset[str | None]
    lead_departments: frozenset[str | None]
    activities: ActivityKpi  # in the quarter
    outside_plan: int  # any date, not cancelled
    # department of the activity's owner -> [outside the plan (any date), scheduled in the
    # quarter, done in the quarter]; of the interaction's author -> interactions in the quarter
    department_activities: dict[str | None, list[int]]
    department_interactions: dict[str | None, int]
    feedback_received: int
    feedback_acted_on: int
    feedback_open: int
    score: int | None  # latest satisfaction score dated in the quarter
    previous_score: int | None  # ... in the previous quarter
    paid_in_quarter: list[float]  # compensation of each planned or done activity dated in the quarter
    year_compensation: float  # in the calendar year the quarter ends in
    types: dict[str, int]  # activity type -> planned or done, dated in the quarter
    months: dict[tuple[int, int], tuple[int, int]]  # (year, month) -> (scheduled, done)
    next_quarter: list[GanttTask]


def plan_figures(config: Config, quarter: Quarter, as_of: dt.date, path: str, plan: Plan) -> PlanFigures:
    """``plan``'s share of the quarterly review (see :class:`PlanFigures`)."""
    owners = plan.owner_handles()
    acts = ActivityKpi()
    outside = 0
    dept_acts: dict[str | None, list[int]] = {}
    types: Counter[str] = Counter()
    months: dict[tuple[int, int], tuple[int, int]] = {}
    paid: list[float] = []
    tasks: list[GanttTask] = []
    nxt = quarter.next()
    for a in plan.plan.activities:
        cancelled = a.status == "cancelled"
        dept = config.view.department_of(a.owner)
        counts = dept_acts.setdefault(dept, [0, 0, 0])
        if not cancelled and a.owner not in owners:
            outside += 1
            counts[0] += 1
        if quarter.contains(a.date):
            if cancelled:
                acts.cancelled += 1
            else:
                done = a.status == "done"
                acts.scheduled += 1
                counts[1] += 1
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
                if a.date is not None:
                    types[a.type] += 1
                    key = (a.date.year, a.date.month)
                    scheduled, n_done = months.get(key, (0, 0))
                    months[key] = (scheduled + 1, n_done + (1 if done else 0))
        if not cancelled and a.date is not None and nxt.contains(a.date):
            section = config.departments[dept].name if dept in config.departments else "Other"
            tasks.append(GanttTask(section, f"{plan.kol.name} · {a.title}", a.date,
                                   "done" if a.status == "done" else "planned"))
    for o in plan.plan.objectives:
        if nxt.contains(o.due) and o.status not in CLOSED_STATUSES and o.due is not None:
            tasks.append(GanttTask("Objectives due", f"{plan.kol.name} · {o.id} {o.statement}", o.due,
                                   "milestone", 0))
    dept_inter: Counter[str | None] = Counter(config.view.department_of(i.by) for i in plan.interactions
                                              if quarter.contains(i.date))
    feedback = [f for f in plan.feedback if quarter.contains(f.date)]
    return PlanFigures(
        kol=kol_facts(config, path, plan, quarter, as_of),
        owner_departments=frozenset(config.view.department_of(o.person) for o in plan.owners),
        lead_departments=frozenset(config.view.department_of(o.person) for o in plan.owners if o.role == "lead"),
        activities=acts, outside_plan=outside, department_activities=dept_acts,
        department_interactions=dict(dept_inter),
        feedback_received=len(feedback),
        feedback_acted_on=sum(1 for f in feedback if (f.response or "").strip()),
        feedback_open=sum(1 for f in plan.feedback if f.date <= as_of and not (f.response or "").strip()),
        score=_latest_score(plan, quarter), previous_score=_latest_score(plan, quarter.previous()),
        paid_in_quarter=paid, year_compensation=year_compensation(plan, quarter.end.year),
        types=dict(types), months=months, next_quarter=tasks,
    )


def _latest_score(plan: Plan, quarter: Quarter) -> int | None:
    dated = [s for s in plan.plan.satisfaction if quarter.contains(s.date)]
    return max(dated, key=lambda s: s.date).score if dated else None  # max keeps the first of equal dates


def year_compensation(plan: Plan, year: int) -> float:
    """Compensation in calendar ``year`` as KP402 counts it (:meth:`~kolplan.schema.Plan.compensation_by_year`),
    added up in the plan's order (KP402 adds in date order: the same sum but for float rounding)."""
    return _total(plan.compensation_by_year().get(year, []))


def _total(entries: list[tuple[int, float]]) -> float:
    """The amounts of ``(index, amount)`` entries added up in the order of the index (the plan's)."""
    total = 0.0
    for _, pay in sorted(entries):
        total += pay
    return total
