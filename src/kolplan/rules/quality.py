"""KP1xx: plan quality — the weaknesses the seed articles warn about (SPEC 7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Final

from kolplan.diagnostics import Severity
from kolplan.rules.context import Finding, PlanContext
from kolplan.rules.registry import plan_rule
from kolplan.vocabulary import CLOSED_STATUSES, QUESTION

SATISFACTION_WINDOW: Final = 365  # days a satisfaction score stays current
SATISFACTION_GRACE: Final = 180  # days a new plan period has before it needs one
FEEDBACK_GRACE: Final = 30  # days to act on feedback


def has_key(data: Any, *path: str | int) -> bool:
    """Whether the raw YAML data has a key at ``path`` (a present but empty key counts)."""
    node = data
    for part in path:
        in_map = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_map or in_list):
            return False
        node = node[part]
    return True


def blank(value: object) -> bool:
    """No answer: missing, empty text, or an empty list."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not value
    return False


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:.") + "…"  # no "word:…"


def _where(ctx: PlanContext, path: tuple[str | int, ...], message: str) -> Finding:
    """A finding at the key of ``path`` when it is written (empty), else at its parent."""
    if has_key(ctx.data, *path):
        return Finding(path, message, at="key")
    return Finding(path, message, at="parent")


@plan_rule("KP101", "activity-without-objective", Severity.WARNING, category="quality")
def activity_without_objective(ctx: PlanContext) -> Iterator[Finding]:
    """An activity is linked to no objective.

    The commonest weakness of an engagement plan is activities with no link to a
    result: "the typical KOL engagement plan spells out the activities without a
    direct link to results" (KOL engagement literature). An activity that serves no
    objective is effort (and often money, and always the KOL's time) that nobody can
    say was worth it. ``check-in`` activities (keeping in touch is the cadence's
    job, KP201) and ``cancelled`` activities are exempt.

    Bad: an advisory board with no ``objectives:`` key, or ``objectives: []``.
    Fix: ``objectives: [O1]`` naming the objective it serves, or drop the activity.
    """
    ids = [o.id for o in ctx.plan.plan.objectives]
    for i, a in enumerate(ctx.plan.plan.activities):
        if a.objectives or a.type == "check-in" or a.status == "cancelled":
            continue
        if ids:
            fix = f"add objectives: [{ids[0]}] (the plan's objectives: {', '.join(ids)}) or drop it"
        else:
            fix = "the plan has no objectives yet: add the one it serves under plan.objectives, or drop it"
        yield _where(ctx, ("plan", "activities", i, "objectives"),
                     f"activity {a.id} is linked to no objective; {fix}")


@plan_rule("KP102", "objective-not-measurable", Severity.WARNING, category="quality")
def objective_not_measurable(ctx: PlanContext) -> Iterator[Finding]:
    """An objective has no ``metric``, ``target`` or ``due`` date.

    A plan is judged by the measurable results of its activities, not by the
    activities themselves. Without a metric, a target and a date nobody can tell at
    the review whether the objective was met. ``dropped`` objectives are exempt; a
    blank text counts as missing.

    Bad: ``statement: Raise awareness of MRD`` and nothing else.
    Fix: ``metric: manuscripts submitted``, ``target: 1``, ``due: 2026-09-30``.
    """
    for i, o in enumerate(ctx.plan.plan.objectives):
        if o.status == "dropped":
            continue
        missing = [k for k in ("metric", "target", "due") if blank(getattr(o, k))]
        if missing:
            yield Finding(("plan", "objectives", i, missing[0]),
                          f"objective {o.id} is not measurable: it has no {', '.join(missing)}; add "
                          + ", ".join(f"{k}:" for k in missing) + " so the review can tell whether it was met",
                          at="parent")


@plan_rule("KP103", "no-kol-value", Severity.WARNING, category="quality")
def no_kol_value(ctx: PlanContext) -> Iterator[Finding]:
    """An objective does not say what the KOL gains from it (``kol_value``).

    Engagement should bring value to both sides: "Mutually impactful KOL engagement
    is not about what you need to accomplish, it's about how to establish a
    beneficial relationship that brings value to all parties" (KOL engagement
    literature). An objective with only ``org_value`` is a request, not a
    partnership. ``dropped`` objectives are exempt.

    Bad: an objective with ``org_value: evidence for the medical plan`` only.
    Fix: ``kol_value: senior authorship at a high-impact journal``.
    """
    for i, o in enumerate(ctx.plan.plan.objectives):
        if o.status != "dropped" and blank(o.kol_value):
            yield Finding(("plan", "objectives", i, "kol_value"),
                          f"objective {o.id} does not say what the KOL gains; add kol_value: (e.g. authorship, "
                          "a podium, a research opportunity) agreed with the KOL", at="parent")


@plan_rule("KP104", "profile-incomplete", Severity.WARNING, category="quality")
def profile_incomplete(ctx: PlanContext) -> Iterator[Finding]:
    """The KOL profile leaves some of the seven KOL-centred questions unanswered.

    A plan starts from the KOL: what they want, how they like to be engaged, whom
    they already work with. Seven KOL-centred questions are fields under ``kol:``:
    ``preferred_channels``, ``scientific_interests``, ``professional_objectives``,
    ``relationships``, ``share_of_scientific_voice``, ``desires`` and
    ``relationship_expectations``. A missing field or an empty list is unanswered;
    the message lists which.

    Bad: a profile with a name, a tier and nothing about what the KOL wants.
    Fix: answer each question listed, with the KOL and the colleagues who know them.
    """
    kol = ctx.plan.kol
    missing = [f for f in QUESTION if blank(getattr(kol, f))]
    if missing:
        listed = "; ".join(f"{f} ({QUESTION[f]})" for f in missing)
        yield Finding(("kol",), f"the KOL profile leaves {len(missing)} of the 7 KOL-centred questions "
                                f"unanswered: {listed}; answer them under kol:", at="key")


@plan_rule("KP105", "no-satisfaction-measure", Severity.WARNING, category="quality", uses_date=True)
def no_satisfaction_measure(ctx: PlanContext) -> Iterator[Finding]:
    """No KOL satisfaction score dated in the 365 days up to ``--as-of``.

    KOL satisfaction with the engagement is the most important result a plan can
    show, so it has to be asked for and recorded. A score exactly 365 days old still
    counts. Not reported while the plan period started less than 180 days before
    ``--as-of`` (a new plan has had no time to ask).

    Bad: ``satisfaction:`` empty, or its latest score from two years ago.
    Fix: ask the KOL (survey or interview) and add
    ``- {date: 2026-06-30, score: 9, source: survey}`` under ``plan.satisfaction``.
    """
    body = ctx.plan.plan
    if (ctx.as_of - body.period.start).days < SATISFACTION_GRACE:
        return
    since = ctx.as_of - dt.timedelta(days=SATISFACTION_WINDOW)
    dates = [s.date for s in body.satisfaction]
    if any(d >= since for d in dates):
        return
    latest = f" (the latest is from {max(dates)})" if dates else ""
    yield _where(ctx, ("plan", "satisfaction"),
                 f"no KOL satisfaction score since {since}{latest}; ask the KOL how the engagement is going and "
                 "add plan.satisfaction: - {date: YYYY-MM-DD, score: 0-10, source: survey}")


@plan_rule("KP106", "not-co-developed", Severity.INFO, category="quality")
def not_co_developed(ctx: PlanContext) -> Iterator[Finding]:
    """The plan does not say it was developed with the KOL (``co_developed_with_kol``).

    The KOL should take part in developing their own engagement plan. A plan
    written about a KOL but not with them misses what they want from the
    relationship. Reported when the field is ``false`` or absent.

    Bad: ``co_developed_with_kol: false``.
    Fix: review the plan with the KOL, then set ``co_developed_with_kol: true``.
    """
    if ctx.plan.plan.co_developed_with_kol is True:
        return
    path = ("plan", "co_developed_with_kol")
    if has_key(ctx.data, *path):
        yield Finding(path, "the plan was not developed with the KOL; review it with them and set "
                            "co_developed_with_kol: true")
    else:
        yield Finding(path, "the plan does not say whether the KOL helped develop it; review it with them and "
                            "add co_developed_with_kol: true", at="parent")


@plan_rule("KP107", "feedback-not-acted-on", Severity.WARNING, category="quality", uses_date=True)
def feedback_not_acted_on(ctx: PlanContext) -> Iterator[Finding]:
    """KOL feedback older than 30 days has no ``response``.

    Acting on a KOL's feedback shows them that their input is respected; feedback
    that sits unanswered tells them the opposite. A missing, empty or blank
    ``response`` is no response; feedback exactly 30 days old is still within its
    grace period.

    Bad: ``- {date: 2026-03-02, summary: Slides too promotional.}`` and no response.
    Fix: act on it and record what was done: ``response: Revised deck with balanced safety data.``
    """
    for i, fb in enumerate(ctx.plan.feedback):
        age = (ctx.as_of - fb.date).days
        if age > FEEDBACK_GRACE and blank(fb.response):
            yield _where(ctx, ("feedback", i, "response"),
                         f"feedback of {fb.date} ('{_short(fb.summary)}') has had no response for {age} "
                         f"day{'' if age == 1 else 's'}; act on it and record what was done in its response field")


@plan_rule("KP108", "no-governance", Severity.WARNING, category="quality")
def no_governance(ctx: PlanContext) -> Iterator[Finding]:
    """The plan has no next review date or no stakeholders (``plan.governance``).

    A plan needs governance: regular meetings and checkpoints to review progress,
    with the key stakeholders involved. Without a review date the plan is written
    once and forgotten.

    Bad: no ``governance:``, or ``governance: {review_cadence: quarterly}``.
    Fix: ``governance: {review_cadence: quarterly, next_review: 2026-07-01,
    stakeholders: [a.chen, r.patel]}``.
    """
    gov = ctx.plan.plan.governance
    missing = [k for k in ("next_review", "stakeholders") if gov is None or blank(getattr(gov, k))]
    if not missing:
        return
    need = " and ".join(f"governance.{k}" for k in missing)
    yield _where(ctx, ("plan", "governance"),
                 f"the plan has no {need}; agree when it is next reviewed and by whom, e.g. "
                 "next_review: YYYY-MM-DD, stakeholders: [handles]")


@plan_rule("KP109", "objective-without-activity", Severity.WARNING, category="quality")
def objective_without_activity(ctx: PlanContext) -> Iterator[Finding]:
    """An open objective is served by no planned or done activity.

    A common gap is a plan that sets goals for the KOL engagement but few tactics
    to reach them. An objective that is not ``achieved``, ``missed`` or ``dropped``
    needs at least one ``planned`` or ``done`` activity linked to it (``cancelled``
    ones do not count). While the plan has activities linked to no objective
    (KP101), this rule waits: one of them may be the missing link, and linking it
    is the fix.

    Bad: objective O2 on-track, and no activity lists O2 in its ``objectives:``.
    Fix: plan an activity with ``objectives: [O2]``, or set the objective's status.
    """
    body = ctx.plan.plan
    live = [a for a in body.activities if a.status in ("planned", "done")]
    if any(not a.objectives and a.type != "check-in" for a in live):
        return
    served = {ref for a in live for ref in a.objectives}
    for i, o in enumerate(body.objectives):
        if o.status not in CLOSED_STATUSES and o.id not in served:
            yield Finding(("plan", "objectives", i), f"objective {o.id} is {o.status} but no planned or done "
                                                     f"activity serves it; plan one with objectives: [{o.id}], "
                                                     "or set its status to missed or dropped", at="key")
