"""The time asked of one KOL per calendar quarter, by department (KP206).

Seed 002: *"how much time the KOL is expected to devote"*. The hours of ``planned`` and
``done`` activities dated in one calendar quarter are added up, by the owner's department;
above ``coordination.max_hours_per_quarter`` for the KOL's tier the KOL is overloaded, and
the activity that crosses the limit (in date order) is where it shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

from kolplan.engagement.items import Engagement, by_date

CalendarQuarter = tuple[int, int]  # (year, 1-4)
# Hours add up in binary floating point (0.1 + 0.2 is 0.30000000000000004): a total this close
# to the limit is at the limit, not above it.
SLACK: Final = 1e-9


def calendar_quarter(day: dt.date) -> CalendarQuarter:
    return day.year, (day.month - 1) // 3 + 1


def quarter_label(q: CalendarQuarter) -> str:
    """``2026-Q3``, as SPEC 4 writes quarters."""
    return f"{q[0]}-Q{q[1]}"


@dataclass
class QuarterLoad:
    """The hours asked of one KOL in one calendar quarter."""

    quarter: CalendarQuarter
    by_department: dict[str | None, float] = field(default_factory=dict)  # in order of first engagement
    crossing: Engagement | None = None  # the engagement that took the total above the limit, if any

    @property
    def hours(self) -> float:
        total = 0.0
        for h in self.by_department.values():
            total += h
        return total


def quarter_loads(items: list[Engagement], limit: float | None = None) -> dict[CalendarQuarter, QuarterLoad]:
    """Hours per calendar quarter and department, for the dated engagements that record hours;
    with a ``limit``, the engagement that crosses it in each quarter (none at the limit itself,
    nor a floating-point hair above it: :data:`SLACK`)."""
    out: dict[CalendarQuarter, QuarterLoad] = {}
    totals: dict[CalendarQuarter, float] = {}  # each quarter's hours so far, in date order
    for e in by_date([e for e in items if e.hours]):
        assert e.date is not None and e.hours is not None
        q = (e.date.year, (e.date.month - 1) // 3 + 1)  # calendar_quarter, inline: once per activity of every plan
        load = out.get(q)
        if load is None:
            load = out[q] = QuarterLoad(q)
        before = totals.get(q, 0.0)
        totals[q] = after = before + e.hours
        load.by_department[e.department] = load.by_department.get(e.department, 0.0) + e.hours
        if limit is not None and load.crossing is None and before <= limit + SLACK < after:
            load.crossing = e
    return dict(sorted(out.items())) if len(out) > 1 else out
