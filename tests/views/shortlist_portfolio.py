"""Hand-built portfolios for ``kolplan shortlist``: small plans that differ in one thing each.

Every plan has a period 2026-01-01..2026-12-31, no cadence (so no KP201 unless a test sets
one), no satisfaction score and no activity unless given. The config has the sample's
compliance limits (cap 25,000 USD; 450 USD/hour national, 600 global, 350 regional,
250 local and rising; advisory-board medical-only, speaker-program commercial-only) and
coordination (window 14 days; 30 hours a quarter national, 40 global, 20 regional, 12
local and rising). The engagement asked for in most tests: an advisory-board on
2026-07-01 (calendar 2026-Q3), as of 2026-06-15.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.helpers import CONFIG, make_repo

AS_OF = dt.date(2026, 6, 15)
DATE = dt.date(2026, 7, 1)

SHORTLIST_CONFIG = CONFIG + """\
compliance:
  currency: USD
  annual_cap: 25000
  fmv_hourly_rate: {global: 600, national: 450, regional: 350, local: 250, rising: 250}
  commercial_activity_types: [speaker-program]
  medical_activity_types: [investigator-initiated-study, advisory-board, scientific-exchange]
coordination:
  window_days: 14
  max_hours_per_quarter: {global: 40, national: 30, regional: 20, local: 12, rising: 12}
"""


def _list(values: Sequence[str]) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def activity(aid: str, type_: str, date: str | None, *, owner: str = "a.chen", status: str = "planned",
             hours: float | None = None, compensation: float | None = None) -> str:
    lines = [f"    - id: {aid}", f"      type: {type_}", f"      title: {type_} {aid}", f"      owner: {owner}",
             f"      status: {status}"]
    if date is not None:
        lines.append(f"      date: {date}")
    if hours is not None:
        lines.append(f"      hours: {hours:g}")
    if compensation is not None:
        lines.append(f"      compensation: {compensation:g}")
    return "\n".join(lines) + "\n"


def plan(pid: str, *, name: str | None = None, tier: str = "national", country: str | None = "US",
         tas: Sequence[str] = ("oncology",), interests: Sequence[str] = (), objectives: Sequence[str] = (),
         desires: Sequence[str] = (), leads: Sequence[str] = ("a.chen",), crm_id: str | None = None,
         period: tuple[str, str] = ("2026-01-01", "2026-12-31"), cadence: str | None = None,
         activities: Sequence[str] = (), satisfaction: Sequence[tuple[str, int]] = (),
         interactions: Sequence[str] = ()) -> str:
    """A plan as YAML text; ``activities`` are :func:`activity` texts, ``interactions`` dates."""
    out = ["schema: kolplan/v1", f"id: {pid}", "kol:", f"  name: {json.dumps(name or pid.replace('-', ' ').title())}",
           f"  tier: {tier}"]
    if country:
        out.append(f"  country: {country}")
    if crm_id:
        out += ["  identifiers:", f"    crm_id: {json.dumps(crm_id)}"]
    out += [f"  therapeutic_areas: {_list(tas)}", f"  scientific_interests: {_list(interests)}",
            f"  professional_objectives: {_list(objectives)}", f"  desires: {_list(desires)}", "owners:"]
    out += [f"  - person: {h}\n    role: lead" for h in leads]
    out += ["plan:", f"  period: {{start: {period[0]}, end: {period[1]}}}"]
    if cadence:
        out.append(f"  cadence: {cadence}")
    if activities:
        out.append("  activities:\n" + "".join(activities).rstrip("\n"))
    if satisfaction:
        out.append("  satisfaction:")
        out += [f"    - {{date: {d}, score: {s}}}" for d, s in satisfaction]
    if interactions:
        out.append("interactions:")
        out += [f"  - {{date: {d}, by: a.chen, channel: phone, summary: call}}" for d in interactions]
    return "\n".join(out) + "\n"


def portfolio(tmp_path: Path, plans: dict[str, str], config: str = SHORTLIST_CONFIG) -> Path:
    """A repository whose plans are ``plans/<id>.yaml`` for each id -> text."""
    return make_repo(tmp_path / "r", {f"{pid}.yaml": text for pid, text in plans.items()}, config=config)


def shortlist(root: Path, type_: str = "advisory-board", topic: str = "MRD", **kw: Any) -> Any:
    """The core's :class:`~kolplan.views.shortlist.build.Shortlist` for a request."""
    from kolplan.repo.root import open_repo
    from kolplan.views.shortlist.build import build
    from kolplan.views.shortlist.request import Request

    kw.setdefault("date", DATE)
    kw.setdefault("as_of", AS_OF)
    return build(open_repo(root), Request(type_, topic, **kw))


def ids(s: Any) -> list[str]:
    return [c.id for c in s.listed]


def excluded(s: Any) -> dict[str, list[str]]:
    """id -> the codes that exclude it."""
    return {c.id: [e.code for e in c.exclusions] for c in s.ineligible}


def reasons(s: Any, pid: str) -> dict[str, int]:
    """The reasons of a listed KOL: key -> points (added up when a key is given more than once)."""
    cand = next(c for c in s.listed if c.id == pid)
    out: dict[str, int] = {}
    for r in cand.reasons:
        out[r.key] = out.get(r.key, 0) + r.points
    return out
