"""KP206 and KP306: coordination across departments in time (SPEC 7, 12).

Seed 001: *"Collaborate with local field teams, local medical teams, and global teams to
come together on a plan for each KOL. This prevents confusion and competition"*; seed 002:
*"how much time the KOL is expected to devote"*. Each rule runs only where its key of
``kolplan.yaml``'s ``coordination:`` block is set. Both read the plan's engagements once
(:meth:`~kolplan.rules.context.PlanContext.engagements`) and the one computation of
:mod:`kolplan.engagement`, which the calendar, the plan document and the review read too.
KP206 is a timeliness rule and KP306 an ownership rule, as SPEC 7 files them.
"""

from __future__ import annotations

from collections.abc import Iterator

from kolplan.diagnostics import Severity
from kolplan.engagement.collisions import collisions
from kolplan.engagement.items import CHECK_IN, Engagement
from kolplan.engagement.load import calendar_quarter, quarter_label, quarter_loads
from kolplan.rules.context import Finding, PlanContext
from kolplan.rules.registry import plan_rule
from kolplan.schema.configview import ConfigView
from kolplan.vocabulary import LIVE_STATUSES


def hours_text(hours: float) -> str:
    """``4``, ``2.5``: hours as people write them."""
    return f"{hours:g}"


def department_label(view: ConfigView, dept: str | None) -> str:
    return view.department_name(dept) if dept else "unknown department"


def hours_by_department(view: ConfigView, by_department: dict[str | None, float]) -> str:
    """``Field Medical 20 h, Medical Affairs 14 h``, in order of each department's first engagement."""
    return ", ".join(f"{department_label(view, d)} {hours_text(h)} h" for d, h in by_department.items())


def owner_text(view: ConfigView, handle: str) -> str:
    """``Raj Patel, Medical Affairs``: the owner by name and department name."""
    person = view.people.get(handle)
    if person is None:
        return f"{handle}, unknown department"
    return f"{person.name}, {department_label(view, person.department)}"


def engagement_label(view: ConfigView, e: Engagement) -> str:
    """``activity A2 (advisory-board on 2026-12-08, Raj Patel, Medical Affairs)``."""
    when = f" on {e.date}" if e.date is not None else ""
    return f"activity {e.id} ({e.type}{when}, {owner_text(view, e.owner)})"


@plan_rule("KP206", "engagement-load", Severity.WARNING, category="timeliness")
def engagement_load(ctx: PlanContext) -> Iterator[Finding]:
    """The hours asked of one KOL in a calendar quarter exceed what ``coordination`` allows for their tier.

    A KOL gives the company their time, and "how much time the KOL is expected to
    devote" is part of a good plan (KOL engagement literature). Every department asks
    for some of it: added up, the ``hours`` of ``planned`` and ``done`` activities dated
    in one calendar quarter (January-March, April-June, ...) must not exceed
    ``coordination.max_hours_per_quarter`` for the KOL's tier. At the limit is fine.
    Reported once per quarter, at the ``hours`` of the activity (in date order) that
    takes the total over, with the hours by department. Runs only where
    ``coordination.max_hours_per_quarter`` is set for the KOL's tier.

    Bad: a national KOL (30 hours per quarter) with a 20-hour study visit from Field
    Medical and a 14-hour advisory board from Medical Affairs in 2027-Q1.
    Fix: agree with the other departments which activity to shorten, drop or move to
    another quarter, and change its ``hours`` or ``date``.
    """
    coord = ctx.config.coordination
    if coord is None or coord.max_hours_per_quarter is None:
        return
    limit = coord.max_hours_per_quarter.for_tier(ctx.plan.kol.tier)
    if limit is None:
        return
    # A first look, per calendar quarter, at the plan's own hours: most plans stay within the
    # limit and end here, before any record is made (every plan passes here on a cold validate);
    # the finding itself comes from quarter_loads, which counts the same hours.
    totals: dict[tuple[int, int], float] = {}
    for a in ctx.plan.plan.activities:
        if a.hours and a.date is not None and a.status in LIVE_STATUSES:
            q = calendar_quarter(a.date)
            totals[q] = totals.get(q, 0.0) + a.hours
    if all(t <= limit for t in totals.values()):  # quarter_loads reports only above limit + SLACK
        return
    view = ctx.config.view
    for q, load in quarter_loads(ctx.engagements(), limit).items():
        e = load.crossing
        if e is None:
            continue
        yield Finding(("plan", "activities", e.index, "hours"),
                      f"{quarter_label(q)} asks {hours_text(load.hours)} hours of this {ctx.plan.kol.tier} KOL "
                      f"({hours_by_department(view, load.by_department)}), above the {hours_text(limit)} hours "
                      f"per quarter coordination.max_hours_per_quarter allows; {engagement_label(view, e)} takes "
                      "it over: agree with the other departments which activity to shorten, drop or move to "
                      "another quarter")


@plan_rule("KP306", "engagement-collision", Severity.WARNING, category="ownership")
def engagement_collision(ctx: PlanContext) -> Iterator[Finding]:
    """Two departments plan to engage the same KOL within ``coordination.window_days`` of each other.

    KOLs notice poor coordination first as several departments asking for their time
    in the same fortnight. Collaborating on one plan per KOL "prevents confusion and
    competition and shows a professional, coordinated engagement strategy" (KOL
    engagement literature). Two ``planned`` activities, other than check-ins, owned by
    people of different departments and dated at most ``window_days`` apart collide.
    Reported on the later one's ``date`` (on one day, the later in the file), once for
    each earlier activity it collides with, naming it, its date, its owner and their
    department. Runs only where ``coordination.window_days`` is set.

    Bad: an advisory board owned by Medical Affairs on 2026-12-08 and a speaker
    programme owned by Commercial on 2026-12-15, with ``window_days: 14``.
    Fix: combine the two into one engagement, or space them more than ``window_days``
    apart (change one ``date``), agreed between the two owners.
    """
    coord = ctx.config.coordination
    if coord is None or coord.window_days is None:
        return
    # A collision needs dated planned activities (other than check-ins) of two departments:
    # most plans end here, before any record is made.
    view = ctx.config.view
    departments = {view.department_of(a.owner) for a in ctx.plan.plan.activities
                   if a.status == "planned" and a.date is not None and a.type != CHECK_IN}
    departments.discard(None)
    if len(departments) < 2:
        return
    window = coord.window_days
    for c in collisions(ctx.engagements(), window):
        later, earlier = c.later, c.earlier
        when = "on the same day as" if c.days == 0 else f"{c.days} day{'' if c.days == 1 else 's'} after"
        yield Finding(("plan", "activities", later.index, "date"),
                      f"activity {later.id} ({later.type}, {owner_text(view, later.owner)}) is {when} "
                      f"{engagement_label(view, earlier)}: two departments engage this KOL within "
                      f"{window} day{'' if window == 1 else 's'} (coordination.window_days); combine them or "
                      f"space them more than {window} day{'' if window == 1 else 's'} apart")
