"""``kolplan owners`` and ``kolplan list`` as plain data: one validate run, one row per KOL.

Plans with reading or schema errors (KP0xx) are skipped and named in ``skipped`` (SPEC 5);
every other plan gets a row. The CLI only prints these rows (table, json, md, csv).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Final

from kolplan.diagnostics import Diagnostic, count_by_severity
from kolplan.errors import UsageError
from kolplan.views.loader import Loaded, load_plans
from kolplan.vocabulary import OBJECTIVE_STATUSES, TIERS

if TYPE_CHECKING:
    from kolplan.repo.root import Repo
    from kolplan.schema import Config, Plan

# The duplicate-owner conflicts `owners` reports: lead count, duplicate KOLs, activities owned outside.
CONFLICT_CODES: Final = ("KP301", "KP302", "KP303", "KP304")


Row = dict[str, Any]
RowOf = Callable[["Config", dt.date, str, "Plan"], Row]


def load(repo: Repo, as_of: dt.date, row: RowOf) -> Loaded[Row]:
    """Validate the whole portfolio once; keep each plan's ``row`` and the diagnostics."""
    return load_plans(repo, as_of, partial(row, repo.config, as_of))


# -- people and departments ---------------------------------------------------------------
def person(config: Config, handle: str) -> dict[str, Any]:
    p = config.people.get(handle)
    return {"handle": handle, "name": p.name if p else None, "department": p.department if p else None}


def lead_label(config: Config, plan: Plan) -> str:
    """``a.chen (field-medical)``; several leads comma-separated; ``no lead``."""
    return config.view.leads_label([o.person for o in plan.owners if o.role == "lead"])


def departments_involved(config: Config, plan: Plan) -> list[str]:
    """The leads' departments first, then the other owners' and activity owners', in order of appearance."""
    handles = [o.person for o in plan.owners if o.role == "lead"]
    handles += [o.person for o in plan.owners] + [a.owner for a in plan.plan.activities]
    out: list[str] = []
    for h in handles:
        dept = config.view.department_of(h)
        if dept and dept not in out:
            out.append(dept)
    return out


def _diag(d: Diagnostic) -> dict[str, Any]:
    return {"path": d.path, "line": d.line, "column": d.column, "severity": d.severity.value,
            "code": d.code, "rule": d.rule, "message": d.message}


def _who(path: str, plan: Plan, leads: list[Any]) -> dict[str, Any]:
    """The first columns of a row: the KOL, and their lead when there is exactly one."""
    return {"id": plan.id, "path": path, "name": plan.kol.name, "tier": plan.kol.tier,
            "lead": leads[0] if len(leads) == 1 else None}


# -- kolplan owners ---------------------------------------------------------------------------
def owner_row(config: Config, as_of: dt.date, path: str, plan: Plan) -> dict[str, Any]:
    """What ``owners`` shows of one plan, but for its conflicts (those come from all plans)."""
    leads = [person(config, o.person) for o in plan.owners if o.role == "lead"]
    return {
        **_who(path, plan, leads),
        "leads": leads,
        "lead_label": lead_label(config, plan),
        "owners": [{**person(config, o.person), "role": o.role} for o in plan.owners],
        "departments": departments_involved(config, plan),
    }


def owners(pf: Loaded[Row], conflicts_only: bool = False) -> list[dict[str, Any]]:
    """Each KOL (rows of :func:`owner_row`): its lead(s), every owner, the departments
    involved, and its KP301-KP304 conflicts."""
    rows = []
    diagnostics = pf.by_path()
    for path, row in _by_id(pf.parts):
        conflicts = [_diag(d) for d in diagnostics.get(path, []) if d.code in CONFLICT_CODES]
        if conflicts_only and not conflicts:
            continue
        rows.append({**row, "conflicts": conflicts})
    return rows


# -- kolplan list ---------------------------------------------------------------------------------
def check_filters(config: Config, tiers: list[str], departments: list[str]) -> tuple[set[str], set[str]]:
    """``--tier`` and ``--department`` values (comma-separated or repeated), checked: exit 2 if unknown."""

    def split(values: list[str]) -> list[str]:
        return [t.strip() for v in values for t in v.split(",") if t.strip()]

    tier_set, dept_set = set(split(tiers)), set(split(departments))
    for t in sorted(tier_set):
        if t not in TIERS:  # worded as `new --tier` words it
            guess = difflib.get_close_matches(t.lower(), TIERS, n=1, cutoff=0.5)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            raise UsageError(f"--tier {t}: not a tier; {hint}choose one of {', '.join(TIERS)}")
    for d in sorted(dept_set):
        config.view.require_department(d, "--department")
    return tier_set, dept_set


def kol_row(config: Config, as_of: dt.date, path: str, plan: Plan) -> dict[str, Any]:
    """What ``list`` shows of one plan, but for its diagnostics (those come from all plans)."""
    leads = [o.person for o in plan.owners if o.role == "lead"]
    statuses = Counter(o.status for o in plan.plan.objectives)
    last = plan.last_contact()
    return {
        **_who(path, plan, leads),
        "lead_department": person(config, leads[0])["department"] if len(leads) == 1 else None,
        "lead_label": lead_label(config, plan),
        "departments": departments_involved(config, plan),
        "objectives": {s: statuses.get(s, 0) for s in OBJECTIVE_STATUSES},
        "last_contact": last.isoformat() if last else None,
        "next_activity": next_activity(plan, as_of),
    }


def kol_rows(pf: Loaded[Row], tiers: set[str] | None = None, departments: set[str] | None = None
             ) -> list[dict[str, Any]]:
    """One row per KOL (rows of :func:`kol_row`); ``departments`` keeps KOLs a department
    leads or works on (owners, activities)."""
    rows = []
    diagnostics = pf.by_path()
    for path, row in _by_id(pf.parts):
        if tiers and row["tier"] not in tiers:
            continue
        if departments and not departments & set(row["departments"]):
            continue
        rows.append({**row, "diagnostics": count_by_severity(diagnostics.get(path, []))})
    return rows


def next_activity(plan: Plan, as_of: dt.date) -> dict[str, Any] | None:
    """The first of :meth:`~kolplan.schema.Plan.upcoming_activities`: the earliest planned activity
    dated on or after ``as_of``, else the first undated one. Of two on that day, ``list`` shows the
    one with the lower id (the review's row, :mod:`kolplan.views.kol`, the first in the plan)."""
    upcoming = plan.upcoming_activities(as_of)
    if not upcoming:
        return None
    pick = upcoming[0]
    if pick.date is not None:
        pick = min((a for a in upcoming if a.date == pick.date), key=lambda a: a.id)
    return {"id": pick.id, "type": pick.type, "title": pick.title, "owner": pick.owner,
            "date": pick.date.isoformat() if pick.date else None}


def objectives_text(counts: dict[str, int]) -> str:
    """``2 on-track, 1 at-risk`` (statuses with none left out); ``none`` for a plan without objectives."""
    parts = [f"{n} {s}" for s, n in counts.items() if n]
    return ", ".join(parts) or "none"


def next_activity_text(nxt: dict[str, Any] | None) -> str:
    if nxt is None:
        return ""
    return f"{nxt['date'] or 'undated'} {nxt['id']} {nxt['title']}"


def diagnostics_text(counts: dict[str, int]) -> str:
    parts = [f"{n} {sev}{'s' if n != 1 and sev != 'info' else ''}" for sev, n in counts.items() if n]
    return ", ".join(parts)


def _by_id(rows: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return sorted(rows.items(), key=lambda kv: (kv[1]["id"], kv[0]))
