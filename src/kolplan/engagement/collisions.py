"""Engagement collisions (KP306): two departments asking for one KOL's time too close together.

Seed 001: *"Collaborate with local field teams, local medical teams, and global teams to
come together on a plan for each KOL. This prevents confusion and competition"*. Two
``planned`` activities, other than check-ins, owned by people of different departments
and dated within ``coordination.window_days`` of each other collide; the later one is
where it shows (on one day, the later in the file), naming the earlier.
"""

from __future__ import annotations

from dataclasses import dataclass

from kolplan.engagement.items import Engagement, by_date


@dataclass(frozen=True, slots=True)
class Collision:
    """``later`` comes ``days`` after ``earlier`` (0: the same day), from another department."""

    later: Engagement
    earlier: Engagement
    days: int


def collisions(items: list[Engagement], window_days: int) -> list[Collision]:
    """Every colliding pair among one KOL's engagements, by the later one's date then the
    earlier one's. An owner outside ``people:`` (no department) collides with no one: that
    is KP012's finding."""
    slots = [e for e in by_date(items) if e.status == "planned" and not e.is_check_in and e.department]
    out: list[Collision] = []
    for j, later in enumerate(slots):
        assert later.date is not None
        for earlier in slots[:j]:
            assert earlier.date is not None
            days = (later.date - earlier.date).days
            if days <= window_days and earlier.department != later.department:
                out.append(Collision(later, earlier, days))
    return out
