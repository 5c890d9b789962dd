"""One plan's engagements: its ``planned`` and ``done`` activities as plain records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Final

from kolplan.vocabulary import LIVE_STATUSES

if TYPE_CHECKING:
    from kolplan.schema import Activity, Plan
    from kolplan.schema.configview import ConfigView

CHECK_IN = "check-in"  # routine contact: takes no slot in a KOL's calendar worth coordinating


@dataclass(frozen=True, slots=True)
class Engagement:
    """A ``planned`` or ``done`` activity of one plan, with its owner's department.

    ``index`` is the activity's place in ``plan.activities`` (rules position their findings
    with it); ``date`` is None for a planned activity not yet scheduled.
    """

    plan_id: str
    index: int
    id: str
    type: str
    title: str
    owner: str  # handle
    department: str | None  # the owner's department id; None for a handle not in people:
    date: dt.date | None
    status: str  # planned | done
    hours: float | None
    compensation: float | None
    expenses: tuple[tuple[str, float], ...]  # (kind, amount) in the plan's order
    paid_on: dt.date | None

    @property
    def is_check_in(self) -> bool:
        return self.type == CHECK_IN

    @property
    def paid(self) -> bool:
        """Whether it transfers value: a fee or an expense above zero."""
        return bool(self.compensation) or any(amount for _, amount in self.expenses)


def engagement_of(plan_id: str, index: int, a: Activity, view: ConfigView) -> Engagement:
    person = view.people.get(a.owner)
    # positional, in the fields' order: every plan of a validate run makes these (KP206, KP306)
    return Engagement(plan_id, index, a.id, a.type, a.title, a.owner, person.department if person else None,
                      a.date, a.status, a.hours, a.compensation,
                      tuple([(e.kind, e.amount) for e in a.expenses]) if a.expenses else (), a.paid_on)


def engagements(plan: Plan, view: ConfigView) -> list[Engagement]:
    """The plan's ``planned`` and ``done`` activities, in the plan's order (cancelled ones
    take no time and commit no money)."""
    return [engagement_of(plan.id, i, a, view) for i, a in enumerate(plan.plan.activities)
            if a.status in LIVE_STATUSES]


_DAY_KEY: Final = attrgetter("date", "index")


def by_date(items: list[Engagement]) -> list[Engagement]:
    """The dated ones, earliest first; one day's in the plan's order."""
    return sorted([e for e in items if e.date is not None], key=_DAY_KEY)
