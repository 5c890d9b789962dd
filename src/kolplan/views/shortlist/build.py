"""``kolplan shortlist`` as plain data: one ``validate`` run, each plan assessed where it was
parsed, then the ownership errors of the run, the order and the size (SPEC 14)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Final

from kolplan.engagement.payments import money
from kolplan.lint.selection import RuleChoice
from kolplan.views.loader import load_plans
from kolplan.views.shortlist.assess import (
    ELIGIBILITY_RULES,
    POINT_RULES,
    Candidate,
    Exclusion,
    assess,
    make_setup,
)
from kolplan.views.shortlist.request import weights_json

if TYPE_CHECKING:
    from kolplan.repo.root import Repo
    from kolplan.views.loader import Skipped
    from kolplan.views.shortlist.request import Request

# Ownership errors (SPEC 14): read from the run's diagnostics, as validate reports them
# (KP302 compares plans with each other: no single plan's check can say it).
OWNERSHIP_RULES: Final = ("KP301", "KP302")


@dataclass
class Shortlist:
    request: Request
    listed: list[Candidate]  # the shortlist: eligible KOLs, most points first, ties by id; at most --size
    more: int  # eligible KOLs beyond --size
    ineligible: list[Candidate]  # by id
    skipped: list[Skipped]
    notes: list[str]  # what could not be checked, and why
    currency: str | None = None  # compliance.currency, for the fee
    by_name: str | None = None  # the --by department's name

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "request": {**self.request.to_json(), "currency": self.currency},
            "weights": weights_json(),
            "shortlist": [_candidate_json(c, rank) for rank, c in enumerate(self.listed, 1)],
            "more_eligible": self.more,
            "ineligible": [_candidate_json(c) for c in self.ineligible],
            "notes": self.notes,
            "skipped": [s.path for s in self.skipped],
        }


    def engagement(self) -> str:
        """``an advisory-board on 2026-12-10, 4 hours, 1,800 USD, run by Medical Affairs (medical-affairs)``."""
        r = self.request
        parts = [f"{'an' if r.type[:1] in 'aeio' else 'a'} {r.type} on {r.date}"]
        if r.hours is not None:
            parts.append(f"{r.hours:g} hour{'' if r.hours == 1 else 's'}")
        if r.compensation is not None:
            parts.append(f"a fee of {money(r.compensation, self.currency)}")
        text = ", ".join(parts)
        if r.by:
            text += f", run by {self.by_name} ({r.by})" if self.by_name != r.by else f", run by {r.by}"
        return text

    def filters(self) -> str:
        r = self.request
        parts = [f"{name} {', '.join(vals)}" for name, vals in
                 (("--tier", r.tiers), ("--ta", r.tas), ("--country", r.countries)) if vals]
        return "; ".join(parts)


def _candidate_json(c: Candidate, rank: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {} if rank is None else {"rank": rank}
    out.update({"id": c.id, "name": c.name, "tier": c.tier, "country": c.country, "lead": c.lead,
                "path": c.path})
    if rank is None:
        out["rules"] = [{"code": e.code, "rule": e.rule, "message": e.message} for e in c.exclusions]
    else:
        out["points"] = c.points
        out["reasons"] = [{"key": r.key, "points": r.points, "text": r.text} for r in c.reasons]
    return out


def rank_key(c: Candidate) -> tuple[int, str, str]:
    """Most points first; ties by id (then path: two files of one id are KP016, left out anyway)."""
    return -c.points, c.id, c.path


def build(repo: Repo, request: Request) -> Shortlist:
    config = repo.config
    choice = RuleChoice.of(config.view.rules, set(), set())
    enabled = [c for c in (*ELIGIBILITY_RULES, *POINT_RULES) if choice.reports(c)]
    setup = make_setup(config, request, enabled)
    loaded = load_plans(repo, request.as_of, partial(assess, setup))
    by_path = loaded.by_path()
    candidates: list[Candidate] = []
    for path, cand in loaded.parts.items():
        own = [Exclusion(d.code, d.rule, d.message) for d in by_path.get(path, []) if d.code in OWNERSHIP_RULES]
        if own:
            cand.exclusions[:0] = own
            cand.reasons.clear()
        candidates.append(cand)
    eligible = sorted((c for c in candidates if c.eligible), key=rank_key)
    ineligible = sorted((c for c in candidates if not c.eligible), key=lambda c: (c.id, c.path))
    return Shortlist(request, eligible[:request.size], max(0, len(eligible) - request.size), ineligible,
                     loaded.skipped, _notes(repo, request, set(enabled)),
                     config.compliance.currency if config.compliance else None,
                     config.view.department_name(request.by) if request.by else None)


def _notes(repo: Repo, request: Request, enabled: set[str]) -> list[str]:
    """What the shortlist could not check with this configuration and request."""
    config = repo.config
    comp, coord = config.compliance, config.coordination
    out: list[str] = []
    if request.by is None:
        out.append("no --by: the firewall (KP403) and collisions with other departments (KP306) are not checked")
    if comp is None or comp.annual_cap is None:
        out.append("no compliance.annual_cap in kolplan.yaml: the annual cap (KP402, KP405) is not checked")
    if comp is None or comp.fmv_hourly_rate is None:
        out.append("no compliance.fmv_hourly_rate in kolplan.yaml: fair market value (KP401) is not checked")
    elif request.compensation and not request.hours:
        out.append("a fee without --hours: every KOL's fair market value check (KP401) fails; give --hours")
    if coord is None or coord.max_hours_per_quarter is None:
        out.append("no coordination.max_hours_per_quarter in kolplan.yaml: the load (KP206) is not counted")
    elif not request.hours:
        out.append("no --hours: whether the engagement overloads a quarter (KP206) is not counted")
    if request.by is not None and (coord is None or coord.window_days is None):
        out.append("no coordination.window_days in kolplan.yaml: collisions (KP306) are not checked")
    for code in sorted({*ELIGIBILITY_RULES, *POINT_RULES} - enabled):
        out.append(f"{code} is switched off in kolplan.yaml rules: it is not applied here either")
    return out
