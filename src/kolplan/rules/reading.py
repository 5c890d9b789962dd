"""KP0xx: reading and schema. Always on; a plan with KP001-KP003 or KP010 gets no other rules."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Iterator

from kolplan.diagnostics import Severity
from kolplan.lint.identifiers import email_problem, npi_problem, orcid_problem
from kolplan.rules.context import Finding, PlanContext, PortfolioContext, PortfolioFinding
from kolplan.rules.registry import plan_rule, portfolio_rule, reading_rule

reading_rule("KP001", "yaml-syntax", Severity.ERROR, """
    The file is not parseable YAML.

    The position is where the YAML parser gave up; the cause is often a line or two
    above it (an unclosed quote or bracket, a tab used for indentation, a missing
    space after ``:``). For the commonest slips the message says the fix: an unquoted
    ``: `` inside a value, a `` #`` that started a comment in the middle of a value, a
    tab in indentation. Otherwise, correct the syntax at or just before the position.

    Bad: ``summary: AHA: discussed dosing``. Fix: ``summary: "AHA: discussed dosing"``.
""")

reading_rule("KP002", "duplicate-key", Severity.ERROR, """
    A mapping repeats a key.

    YAML parsers disagree on which value wins (most keep the last one silently), so a
    repeated key usually hides an edit that never took effect. kolplan keeps the
    first value and names both lines.

    Bad: ``status: planned`` on line 12 and ``status: done`` on line 15 of one activity.
    Fix: keep one of them.
""")

reading_rule("KP003", "unreadable-file", Severity.ERROR, """
    The file cannot be read as a plan.

    It is not UTF-8 text, is over 1 MiB, is empty, its top level is not a mapping,
    it nests deeper than 200 levels, or anchors and aliases expand it far beyond its
    own size (an "alias bomb"). Or it is valid YAML that a plan may not use: a tag
    (``!!set``, ``!!omap``, ``!!python/object``, ``!custom``), a mapping or list used
    as a key, or several documents in one file (``---``). Or it cannot be read at all:
    kolplan may not read it, or may not list the folder under ``plans/`` that the
    diagnostic names (the plans in it were not checked), or it is a FIFO, a socket or a
    device, which kolplan never opens. A CI gate therefore fails rather than pass
    without checking every plan.

    Fix: save the file as UTF-8 YAML whose top level holds ``schema:``, ``id:``,
    ``kol:``, ``owners:`` and ``plan:``, plain data only (no tags, text keys), one plan
    per file; let the user who runs kolplan read every plan file and list every
    folder under ``plans/``.
""")

reading_rule("KP010", "schema", Severity.ERROR, """
    The plan does not match the kolplan/v1 schema.

    A required field is missing, a value has the wrong type or is out of range, or a
    key is unknown (usually a typo: the message suggests the closest known key).
    Unknown keys are allowed only under ``custom:``. ``kolplan schema`` prints the
    JSON Schema, which editors use to complete and check plans as you type.
    Identifiers (``crm_id``, ``npi``, ``orcid``, ``email``) and ids are text: a YAML
    number there is refused, not converted, since ``0012345`` would be read as 12345
    and hide a duplicate KOL; the message says to quote it.

    Bad: ``tier: superstar``. Fix: ``tier: national``.
    Bad: ``crm_id: 0012345``. Fix: ``crm_id: "0012345"``.
""")


@plan_rule("KP011", "id-mismatch", Severity.ERROR, category="reading")
def id_mismatch(ctx: PlanContext) -> Iterator[Finding]:
    """The plan's ``id`` differs from its file name.

    Commands find plans by id (``kolplan log jane-okafor``), so ``plans/jane-okafor.yaml``
    must say ``id: jane-okafor``.

    Fix: rename the file or change ``id:`` so the two agree.
    """
    if ctx.plan.id != ctx.stem:
        yield Finding(("id",), f"id '{ctx.plan.id}' does not match the file name '{ctx.stem}': "
                               f"set id: {ctx.stem} or rename the file to {ctx.plan.id}.yaml")


@plan_rule("KP012", "unknown-person", Severity.ERROR, category="reading")
def unknown_person(ctx: PlanContext) -> Iterator[Finding]:
    """A person handle is not in ``kolplan.yaml`` ``people:``.

    Owners, activity owners, interaction authors and governance stakeholders are
    handles, so that every name resolves to one person and one department.

    Bad: ``owner: p.jonse``. Fix: ``owner: p.jones``, or add the person to ``people:``.
    """
    people = ctx.config.people
    plan = ctx.plan

    def finding(handle: str, path: tuple[str | int, ...], what: str) -> Finding:
        guess = difflib.get_close_matches(handle, list(people), n=1, cutoff=0.6)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ": add them to people: in kolplan.yaml"
        return Finding(path, f"{what} '{handle}' is not in kolplan.yaml people{hint}")

    # plain loops, not a generator per handle: this runs on every plan of every run
    for i, o in enumerate(plan.owners):
        if o.person not in people:
            yield finding(o.person, ("owners", i, "person"), "owner")
    for i, a in enumerate(plan.plan.activities):
        if a.owner not in people:
            yield finding(a.owner, ("plan", "activities", i, "owner"), f"activity {a.id} owner")
    for i, it in enumerate(plan.interactions):
        if it.by not in people:
            yield finding(it.by, ("interactions", i, "by"), "interaction author")
    if plan.plan.governance:
        for i, h in enumerate(plan.plan.governance.stakeholders):
            if h not in people:
                yield finding(h, ("plan", "governance", "stakeholders", i), "stakeholder")


@plan_rule("KP013", "bad-reference", Severity.ERROR, category="reading")
def bad_reference(ctx: PlanContext) -> Iterator[Finding]:
    """An objective or activity id is repeated, or an activity links to an unknown objective.

    Activities link to objectives by id (``objectives: [O1]``), so ids must be unique
    within the plan and every link must name an objective that exists.

    Fix: give each objective and activity its own id; link only to existing objectives.
    """
    body = ctx.plan.plan
    lists = (("objective", "objectives", [o.id for o in body.objectives]),
             ("activity", "activities", [a.id for a in body.activities]))
    for kind, key, ids in lists:
        seen: dict[str, int] = {}
        for i, item_id in enumerate(ids):
            if item_id in seen:
                yield Finding(("plan", key, i, "id"), f"{kind} id '{item_id}' is used twice (also item "
                                                      f"#{seen[item_id] + 1}): give each {kind} its own id")
            else:
                seen[item_id] = i
    objective_ids = [o.id for o in body.objectives]
    for i, a in enumerate(body.activities):
        for j, ref in enumerate(a.objectives):
            if ref not in objective_ids:
                guess = difflib.get_close_matches(ref, objective_ids, n=1, cutoff=0.5)
                hint = f" (did you mean '{guess[0]}'?)" if guess else ""
                known = ", ".join(objective_ids) or "none defined"
                yield Finding(("plan", "activities", i, "objectives", j),
                              f"activity {a.id} links to objective '{ref}', which does not exist{hint}; "
                              f"objectives are: {known}")


@plan_rule("KP014", "bad-dates", Severity.ERROR, category="reading", uses_date=True)
def bad_dates(ctx: PlanContext) -> Iterator[Finding]:
    """A date is impossible: the period ends before it starts, or something that already
    happened is dated in the future.

    A ``done`` activity, an interaction, a feedback entry or a satisfaction score
    dated after ``--as-of`` plus one day (one day of slack for time zones) is a typo,
    or a plan written ahead of events.

    Fix: correct the date, or mark a future activity ``status: planned``.
    """
    body = ctx.plan.plan
    if body.period.end < body.period.start:
        yield Finding(("plan", "period", "end"), f"plan period ends ({body.period.end}) before it starts "
                                                 f"({body.period.start}): fix one of the two dates")
    limit = ctx.as_of + dt.timedelta(days=1)

    def future(d: dt.date, path: tuple[str | int, ...], what: str) -> Finding:
        return Finding(path, f"{what} is dated {d}, after today ({ctx.as_of}): fix the date")

    for i, a in enumerate(body.activities):
        if a.status == "done" and a.date is not None and a.date > limit:
            yield future(a.date, ("plan", "activities", i, "date"), f"done activity {a.id}")
    for i, it in enumerate(ctx.plan.interactions):
        if it.date > limit:
            yield future(it.date, ("interactions", i, "date"), "interaction")
    for i, fb in enumerate(ctx.plan.feedback):
        if fb.date > limit:
            yield future(fb.date, ("feedback", i, "date"), "feedback")
    for i, s in enumerate(body.satisfaction):
        if s.date > limit:
            yield future(s.date, ("plan", "satisfaction", i, "date"), "satisfaction score")


@plan_rule("KP015", "bad-identifier", Severity.ERROR, category="reading")
def bad_identifier(ctx: PlanContext) -> Iterator[Finding]:
    """An NPI or ORCID has a wrong check digit, or an email address is malformed.

    Identifiers are how kolplan finds the same KOL in two plans (KP302); a mistyped
    one hides a duplicate and breaks the link to master data.

    Fix: copy the identifier again from its source (NPPES, orcid.org, the CRM).
    """
    ids = ctx.plan.kol.identifiers
    checks = (("npi", ids.npi, npi_problem), ("orcid", ids.orcid, orcid_problem),
              ("email", ids.email, email_problem))
    for kind, value, problem in checks:
        if value is not None:
            why = problem(value)
            if why:
                yield Finding(("kol", "identifiers", kind), why)


@portfolio_rule("KP016", "duplicate-plan-id", Severity.ERROR, category="reading")
def duplicate_plan_id(ctx: PortfolioContext) -> Iterator[PortfolioFinding]:
    """Two plan files have the same id (the same file name in two folders).

    Commands address plans by id, so ``plans/oncology/jane-okafor.yaml`` and
    ``plans/haematology/jane-okafor.yaml`` cannot both exist.

    Fix: merge the two plans, or give one a distinct id (and file name).
    """
    by_stem: dict[str, list[str]] = defaultdict(list)
    for ref in ctx.files:
        by_stem[ref.stem].append(ref.path)
    for stem, paths in by_stem.items():
        if len(paths) > 1:
            for p in paths:
                others = ", ".join(q for q in paths if q != p)
                yield PortfolioFinding(p, 1, 1, f"plan id '{stem}' is also used by {others}: "
                                                "merge the plans or rename one")
