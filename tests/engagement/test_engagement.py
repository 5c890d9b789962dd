"""The engagement computation: collisions (KP306), quarterly load (KP206), payments.

The plans are built as models, as the rules and views see them; each expectation is
counted by hand in its comment.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kolplan.engagement.collisions import collisions
from kolplan.engagement.items import by_date, engagements
from kolplan.engagement.load import calendar_quarter, quarter_label, quarter_loads
from kolplan.engagement.payments import payments
from kolplan.schema import Plan
from kolplan.schema.configview import ConfigView, DepartmentView, PersonView, RulesView

VIEW = ConfigView(
    {"field-medical": DepartmentView("Field Medical", "medical"),
     "medical-affairs": DepartmentView("Medical Affairs", "medical"),
     "commercial": DepartmentView("Commercial", "commercial")},
    {"a.chen": PersonView("Alice Chen", "field-medical"), "b.fox": PersonView("Ben Fox", "field-medical"),
     "r.patel": PersonView("Raj Patel", "medical-affairs"), "c.jones": PersonView("Carl Jones", "commercial")},
    RulesView(),
)


def plan(*activities: dict[str, Any]) -> Plan:
    acts = [{"id": f"A{i}", "type": "consulting", "title": f"Activity {i}", "owner": "a.chen", **a}
            for i, a in enumerate(activities, start=1)]
    return Plan.model_validate({
        "schema": "kolplan/v1", "id": "jane-okafor",
        "kol": {"name": "Jane Okafor", "tier": "national"},
        "owners": [{"person": "a.chen", "role": "lead"}],
        "plan": {"period": {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}, "activities": acts},
    })


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_engagements_leave_out_cancelled_and_carry_departments() -> None:
    p = plan({"date": d("2026-03-01"), "status": "done"}, {"status": "cancelled", "date": d("2026-03-02")},
             {"owner": "r.patel"}, {"owner": "nobody"})
    items = engagements(p, VIEW)
    assert [(e.id, e.index, e.department) for e in items] == [
        ("A1", 0, "field-medical"), ("A3", 2, "medical-affairs"), ("A4", 3, None)]
    assert [e.id for e in by_date(items)] == ["A1"]  # A3 and A4 are undated


def test_collision_within_the_window_and_not_one_day_beyond() -> None:
    # A1 field medical on 03-01; A2 medical affairs 14 days later (collides at window 14);
    # A3 medical affairs 15 days after A1 (not with A1 at 14) but 1 day after A2: same
    # department as A2, so no collision there either.
    p = plan({"date": d("2026-03-01")}, {"date": d("2026-03-15"), "owner": "r.patel"},
             {"date": d("2026-03-16"), "owner": "r.patel"})
    found = collisions(engagements(p, VIEW), 14)
    assert [(c.later.id, c.earlier.id, c.days) for c in found] == [("A2", "A1", 14)]
    assert [(c.later.id, c.earlier.id) for c in collisions(engagements(p, VIEW), 15)] == [
        ("A2", "A1"), ("A3", "A1")]
    assert collisions(engagements(p, VIEW), 13) == []


def test_collision_ignores_done_check_ins_same_department_and_unknown_owners() -> None:
    p = plan({"date": d("2026-03-01"), "status": "done", "owner": "r.patel"},  # done: already happened
             {"date": d("2026-03-02"), "type": "check-in", "owner": "c.jones"},  # routine contact
             {"date": d("2026-03-03"), "owner": "b.fox"},  # same department as A5
             {"date": d("2026-03-04"), "owner": "nobody"},  # unknown: KP012's business
             {"date": d("2026-03-05")})
    assert collisions(engagements(p, VIEW), 14) == []


def test_collision_on_one_day_is_reported_on_the_later_in_the_file() -> None:
    p = plan({"date": d("2026-05-05"), "owner": "c.jones"}, {"date": d("2026-05-05")})
    [c] = collisions(engagements(p, VIEW), 0)
    assert (c.later.id, c.earlier.id, c.days) == ("A2", "A1", 0)


def test_quarter_load_by_department_and_the_crossing_activity() -> None:
    # Q1: A1 10 h (field medical) + A2 15 h (medical affairs) = 25 = limit: not crossed;
    # A3 on 03-31 1 h takes it to 26: A3 crosses. Q2: A4 on 04-01 (next quarter) 30 h: crosses alone.
    # A5 planned, undated: in no quarter. A6 done with no hours: counts nothing.
    p = plan({"date": d("2026-01-10"), "hours": 10, "status": "done"},
             {"date": d("2026-02-10"), "hours": 15, "owner": "r.patel"},
             {"date": d("2026-03-31"), "hours": 1},
             {"date": d("2026-04-01"), "hours": 30, "owner": "c.jones"},
             {"hours": 50}, {"date": d("2026-04-02"), "status": "done"})
    loads = quarter_loads(engagements(p, VIEW), 25)
    assert list(loads) == [(2026, 1), (2026, 2)]
    q1, q2 = loads[(2026, 1)], loads[(2026, 2)]
    assert q1.by_department == {"field-medical": 11.0, "medical-affairs": 15.0}
    assert q1.hours == 26.0 and q1.crossing is not None and q1.crossing.id == "A3"
    assert q2.hours == 30.0 and q2.crossing is not None and q2.crossing.id == "A4"
    at_limit = quarter_loads(engagements(plan({"date": d("2026-01-10"), "hours": 25}), VIEW), 25)
    assert at_limit[(2026, 1)].crossing is None
    assert quarter_loads(engagements(p, VIEW))[(2026, 1)].crossing is None  # no limit, nothing crossed


def test_quarter_load_at_the_limit_in_binary_floating_point() -> None:
    # 0.1 + 0.2 == 0.30000000000000004: at a limit of 0.3 that is the limit, not above it.
    p = plan({"date": d("2026-01-10"), "hours": 0.1}, {"date": d("2026-02-10"), "hours": 0.2, "owner": "r.patel"})
    assert quarter_loads(engagements(p, VIEW), 0.3)[(2026, 1)].crossing is None
    assert quarter_loads(engagements(p, VIEW), 0.29)[(2026, 1)].crossing is not None


def test_calendar_quarters() -> None:
    assert [quarter_label(calendar_quarter(d(x))) for x in ("2026-03-31", "2026-04-01", "2026-12-31")] == [
        "2026-Q1", "2026-Q2", "2026-Q4"]


def test_payments_fee_and_expenses_paid_on_or_the_activity_date() -> None:
    p = plan({"date": d("2026-12-20"), "status": "done", "compensation": 1600, "paid_on": d("2027-01-05"),
              "expenses": [{"kind": "travel", "amount": 420}, {"kind": "meals", "amount": 0},
                           {"kind": "lodging", "amount": 180}]},
             {"date": d("2026-06-01"), "status": "cancelled", "compensation": 900},
             {"date": d("2026-07-01"), "expenses": [{"kind": "registration", "amount": 95}]})
    got = [(x.engagement.id, x.kind, x.amount, x.date, x.position) for x in payments(engagements(p, VIEW))]
    assert got == [  # the zero meal is no transfer; the cancelled A2 pays nothing
        ("A1", "fee", 1600, d("2027-01-05"), 0), ("A1", "travel", 420, d("2027-01-05"), 1),
        ("A1", "lodging", 180, d("2027-01-05"), 3), ("A3", "registration", 95, d("2026-07-01"), 1)]
    assert [e.paid for e in engagements(p, VIEW)] == [True, True]
