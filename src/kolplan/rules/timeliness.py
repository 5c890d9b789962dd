"""KP2xx: timeliness — what is late relative to ``--as-of`` (SPEC 7)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from kolplan.diagnostics import Severity
from kolplan.rules.context import Finding, PlanContext
from kolplan.rules.registry import plan_rule
from kolplan.vocabulary import CLOSED_STATUSES

CADENCE_DAYS: Final = {"weekly": 7, "biweekly": 14, "monthly": 30, "quarterly": 91, "semiannual": 182}
CADENCE_SLACK: Final = 1.25  # a check-in is overdue once a quarter of a cadence late


@plan_rule("KP201", "check-in-overdue", Severity.WARNING, category="timeliness", uses_date=True)
def check_in_overdue(ctx: PlanContext) -> Iterator[Finding]:
    """The KOL has not been contacted for longer than the plan's cadence allows.

    A relationship with a KOL is kept up by regular, consistent contact: a
    communication plan with periodic check-ins. The last contact is the latest
    interaction or ``done`` activity (the plan period's start when there is none).
    It is overdue when the days since exceed the cadence's length × 1.25 (weekly 7,
    biweekly 14, monthly 30, quarterly 91, semiannual 182 days): for a monthly
    cadence, 37 days is on time and 38 is overdue. Only checked while ``--as-of`` is
    inside the plan period, and only when ``plan.cadence`` is set.

    Bad: ``cadence: monthly`` and the last interaction logged 52 days ago.
    Fix: get in touch and log it: ``kolplan log ID --by HANDLE --channel phone --summary ...``.
    """
    body = ctx.plan.plan
    if body.cadence is None or not body.period.start <= ctx.as_of <= body.period.end:
        return
    last = ctx.plan.last_contact()
    since = last if last is not None else body.period.start
    days = (ctx.as_of - since).days
    limit = CADENCE_DAYS[body.cadence] * CADENCE_SLACK
    if days > limit:
        what = f"last contact {since}" if last is not None else f"no contact logged since the plan started on {since}"
        yield Finding(("plan", "cadence"),
                      f"check-in overdue: {days} day{'' if days == 1 else 's'} without contact ({what}), more "
                      f"than the {body.cadence} cadence allows ({int(limit)} day{'' if int(limit) == 1 else 's'}); "
                      "get in touch and log it with "
                      f"kolplan log {ctx.plan.id} --by HANDLE --channel CHANNEL --summary TEXT")


@plan_rule("KP202", "activity-overdue", Severity.WARNING, category="timeliness", uses_date=True)
def activity_overdue(ctx: PlanContext) -> Iterator[Finding]:
    """A ``planned`` activity is dated before ``--as-of``.

    A clear plan says what is to be done and by when. A date that has passed with
    the activity still ``planned`` means the plan no longer says what happened: it
    was done, cancelled, or slipped.

    Bad: ``date: 2026-04-15`` and ``status: planned`` on 2026-06-15.
    Fix: ``status: done`` (or ``cancelled``), or move ``date`` to when it will happen.
    """
    for i, a in enumerate(ctx.plan.plan.activities):
        if a.status == "planned" and a.date is not None and a.date < ctx.as_of:
            yield Finding(("plan", "activities", i, "date"),
                          f"activity {a.id} was planned for {a.date} and is still planned; set status: done or "
                          "cancelled, or move its date")


@plan_rule("KP207", "activity-outside-period", Severity.WARNING, category="timeliness")
def activity_outside_period(ctx: PlanContext) -> Iterator[Finding]:
    """A ``planned`` or ``done`` activity is dated outside ``plan.period``.

    A clear plan says what is to be done and by when, within the plan's time frame.
    An activity dated before the period starts or after it ends is usually a typo in
    the year, or work that belongs to the previous or the next plan; either way the
    plan's figures for its period leave it out or count it wrongly. A date on the
    period's first or last day is inside. Cancelled activities and planned
    activities without a date are not checked.

    Bad: ``period: {start: 2026-01-01, end: 2026-12-31}`` and an activity ``date: 2027-02-10``.
    Fix: correct the activity's ``date``, or change ``plan.period`` if the plan runs longer.
    """
    period = ctx.plan.plan.period
    for i, a in enumerate(ctx.plan.plan.activities):
        if a.status in ("planned", "done") and a.date is not None and not period.start <= a.date <= period.end:
            side = "before the plan period starts" if a.date < period.start else "after the plan period ends"
            yield Finding(("plan", "activities", i, "date"),
                          f"activity {a.id} ({a.status}) is dated {a.date}, {side} (plan.period {period.start} "
                          f"to {period.end}); move its date into the period, or change plan.period")


@plan_rule("KP203", "objective-overdue", Severity.WARNING, category="timeliness", uses_date=True)
def objective_overdue(ctx: PlanContext) -> Iterator[Finding]:
    """An objective is past its ``due`` date and not ``achieved``, ``missed`` or ``dropped``.

    Goals are set to be achieved, and checked: an open objective past its date is a
    result nobody has assessed. Due today is not overdue.

    Bad: ``due: 2026-03-31`` and ``status: on-track`` on 2026-06-15.
    Fix: set ``status: achieved``, ``missed`` or ``dropped``, or agree a new ``due`` date.
    """
    for i, o in enumerate(ctx.plan.plan.objectives):
        if o.due is not None and o.due < ctx.as_of and o.status not in CLOSED_STATUSES:
            yield Finding(("plan", "objectives", i, "due"),
                          f"objective {o.id} was due {o.due} and is still {o.status}; set status: achieved, "
                          "missed or dropped, or agree a new due date")


@plan_rule("KP204", "review-overdue", Severity.WARNING, category="timeliness", uses_date=True)
def review_overdue(ctx: PlanContext) -> Iterator[Finding]:
    """The plan's ``governance.next_review`` date has passed.

    Governance means regular checkpoints to review progress. A review date in the
    past means the checkpoint was missed or its outcome was not recorded. A review
    due today is not overdue.

    Bad: ``next_review: 2026-04-01`` on 2026-06-15.
    Fix: hold the review, then set ``next_review`` to the next one.
    """
    gov = ctx.plan.plan.governance
    if gov is not None and gov.next_review is not None and gov.next_review < ctx.as_of:
        yield Finding(("plan", "governance", "next_review"),
                      f"the plan review was due {gov.next_review}; hold it with the stakeholders and set "
                      "next_review to the next date")


@plan_rule("KP205", "plan-expired", Severity.WARNING, category="timeliness", uses_date=True)
def plan_expired(ctx: PlanContext) -> Iterator[Finding]:
    """The plan period ended before ``--as-of``.

    A relationship with a KOL is built over years, but each plan covers a period: a
    plan whose period is over still describes the relationship but no longer guides
    it. A period ending today has not expired.

    Bad: ``period: {start: 2025-01-01, end: 2025-12-31}`` in 2026.
    Fix: review the period's results with the KOL and set the next period, objectives and activities.
    """
    end = ctx.plan.plan.period.end
    if end < ctx.as_of:
        yield Finding(("plan", "period", "end"),
                      f"the plan period ended on {end}; review its results with the KOL and plan the next period "
                      "(plan.period, objectives, activities)")
