"""KP201-KP205 timeliness, relative to --as-of: exact positions and the day-by-day boundaries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.helpers import AS_OF, VALID_PLAN, col_of, line_of
from tests.rules.support import at, lint, of, only, sub

TODAY = dt.date.fromisoformat(AS_OF)
# A1 (done, 2026-04-15) would count as a contact; cancel it so the interaction alone is the last contact.
NO_DONE = sub(VALID_PLAN, "      status: done\n", "      status: cancelled\n")


def last_contact(days_ago: int, cadence: str = "monthly", text: str = NO_DONE) -> str:
    day = (TODAY - dt.timedelta(days=days_ago)).isoformat()
    return sub(sub(text, "  - date: 2026-06-01", f"  - date: {day}"), "cadence: monthly", f"cadence: {cadence}")


# -- KP201 check-in-overdue --------------------------------------------------------------------
def test_kp201_points_at_cadence_and_says_what_to_do(tmp_path: Path) -> None:
    text = last_contact(38)
    d = only(lint(tmp_path, text), "KP201")
    assert at(d) == (line_of(text, "cadence:"), col_of(text, "monthly"))
    assert d["message"] == ("check-in overdue: 38 days without contact (last contact 2026-05-08), more than the "
                            "monthly cadence allows (37 days); get in touch and log it with kolplan log jane-okafor "
                            "--by HANDLE --channel CHANNEL --summary TEXT")


@pytest.mark.parametrize(
    ("cadence", "on_time", "late"),
    [("weekly", 8, 9), ("biweekly", 17, 18), ("monthly", 37, 38), ("quarterly", 113, 114)],
)
def test_kp201_boundary_is_cadence_times_one_and_a_quarter(
    tmp_path: Path, cadence: str, on_time: int, late: int
) -> None:
    assert of(lint(tmp_path / "a", last_contact(on_time, cadence)), "KP201") == []
    assert len(of(lint(tmp_path / "b", last_contact(late, cadence)), "KP201")) == 1


def test_kp201_semiannual_boundary_before_the_period_start(tmp_path: Path) -> None:
    # 227 days is on time, 228 late (182 x 1.25 = 227.5); both contacts predate the period.
    long = sub(NO_DONE, "start: 2026-01-01", "start: 2025-10-01")
    assert of(lint(tmp_path / "a", last_contact(227, "semiannual", long)), "KP201") == []
    assert len(of(lint(tmp_path / "b", last_contact(228, "semiannual", long)), "KP201")) == 1


def test_kp201_a_done_activity_is_a_contact(tmp_path: Path) -> None:
    text = last_contact(60, text=sub(VALID_PLAN, "      date: 2026-04-15\n", "      date: 2026-06-10\n"))
    assert of(lint(tmp_path, text), "KP201") == []


def test_kp201_no_contact_counts_from_the_period_start(tmp_path: Path) -> None:
    start = NO_DONE.index("interactions:\n")
    text = NO_DONE[:start] + NO_DONE[NO_DONE.index("feedback:\n"):]
    msg = only(lint(tmp_path, text), "KP201")["message"]
    assert "165 days without contact (no contact logged since the plan started on 2026-01-01)" in msg


@pytest.mark.parametrize("period", ["{start: 2025-01-01, end: 2026-06-14}", "{start: 2026-06-16, end: 2026-12-31}"])
def test_kp201_not_reported_outside_the_plan_period(tmp_path: Path, period: str) -> None:
    text = sub(last_contact(100), "{start: 2026-01-01, end: 2026-12-31}", period)
    assert of(lint(tmp_path, text), "KP201") == []


def test_kp201_not_checked_without_cadence(tmp_path: Path) -> None:
    text = sub(last_contact(100), "  cadence: monthly\n", "")
    assert of(lint(tmp_path, text), "KP201") == []


# -- KP202 activity-overdue ----------------------------------------------------------------------
def test_kp202_planned_activity_dated_yesterday(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "date: 2026-09-01", "date: 2026-06-14")
    d = only(lint(tmp_path, text), "KP202")
    assert at(d) == (line_of(text, "date: 2026-06-14"), col_of(text, "2026-06-14"))
    assert d["message"] == ("activity A2 was planned for 2026-06-14 and is still planned; set status: done or "
                            "cancelled, or move its date")


@pytest.mark.parametrize("text", [sub(VALID_PLAN, "date: 2026-09-01", "date: 2026-06-15"),
                                  sub(sub(VALID_PLAN, "date: 2026-09-01", "date: 2026-06-14"),
                                      "status: planned", "status: cancelled")])
def test_kp202_today_or_cancelled_is_not_overdue(tmp_path: Path, text: str) -> None:
    assert of(lint(tmp_path, text), "KP202") == []


# -- KP203 objective-overdue ---------------------------------------------------------------------
def test_kp203_open_objective_past_due(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "due: 2026-09-30", "due: 2026-06-14")
    d = only(lint(tmp_path, text), "KP203")
    assert at(d) == (line_of(text, "due: 2026-06-14"), col_of(text, "2026-06-14"))
    assert d["message"] == ("objective O1 was due 2026-06-14 and is still on-track; set status: achieved, missed "
                            "or dropped, or agree a new due date")


@pytest.mark.parametrize("status", ["achieved", "missed", "dropped"])
def test_kp203_closed_objective_is_not_overdue(tmp_path: Path, status: str) -> None:
    text = sub(sub(VALID_PLAN, "due: 2026-09-30", "due: 2026-06-14"), "status: on-track", f"status: {status}")
    assert of(lint(tmp_path, text), "KP203") == []


def test_kp203_due_today_is_not_overdue(tmp_path: Path) -> None:
    assert of(lint(tmp_path, sub(VALID_PLAN, "due: 2026-09-30", "due: 2026-06-15")), "KP203") == []


# -- KP204 review-overdue ------------------------------------------------------------------------
def test_kp204_review_date_passed(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "next_review: 2026-07-01", "next_review: 2026-06-14")
    d = only(lint(tmp_path, text), "KP204")
    assert at(d) == (line_of(text, "next_review"), col_of(text, "2026-06-14"))
    assert d["message"].startswith("the plan review was due 2026-06-14; hold it")


def test_kp204_review_today_is_not_overdue(tmp_path: Path) -> None:
    assert of(lint(tmp_path, sub(VALID_PLAN, "next_review: 2026-07-01", "next_review: 2026-06-15")), "KP204") == []


# -- KP205 plan-expired --------------------------------------------------------------------------
def test_kp205_period_ended_yesterday(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "end: 2026-12-31", "end: 2026-06-14")
    d = only(lint(tmp_path, text), "KP205")
    assert at(d) == (line_of(text, "period:"), col_of(text, "2026-06-14"))
    assert d["message"].startswith("the plan period ended on 2026-06-14; review its results with the KOL")


def test_kp205_period_ending_today_has_not_expired(tmp_path: Path) -> None:
    assert of(lint(tmp_path, sub(VALID_PLAN, "end: 2026-12-31", "end: 2026-06-15")), "KP205") == []


# -- KP207 activity-outside-period ---------------------------------------------------------------
PERIOD = "{start: 2026-01-01, end: 2026-12-31}"


def test_kp207_planned_activity_after_the_period(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "date: 2026-09-01", "date: 2027-01-01")
    d = only(lint(tmp_path, text), "KP207")
    assert d["severity"] == "warning"
    assert at(d) == (line_of(text, "date: 2027-01-01"), col_of(text, "2027-01-01"))
    assert d["message"] == ("activity A2 (planned) is dated 2027-01-01, after the plan period ends (plan.period "
                            "2026-01-01 to 2026-12-31); move its date into the period, or change plan.period")


def test_kp207_done_activity_before_the_period(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "date: 2026-04-15", "date: 2025-12-31")
    d = only(lint(tmp_path, text), "KP207")
    assert at(d) == (line_of(text, "date: 2025-12-31"), col_of(text, "2025-12-31"))
    assert d["message"].startswith("activity A1 (done) is dated 2025-12-31, before the plan period starts "
                                   "(plan.period 2026-01-01 to 2026-12-31)")


def test_kp207_one_finding_per_activity_outside(tmp_path: Path) -> None:
    text = sub(sub(VALID_PLAN, "date: 2026-04-15", "date: 2025-06-01"), "date: 2026-09-01", "date: 2027-03-01")
    assert [d["message"].split(" ")[1] for d in of(lint(tmp_path, text), "KP207")] == ["A1", "A2"]


@pytest.mark.parametrize(("old", "new"), [("date: 2026-04-15", "date: 2026-01-01"),   # done, on the first day
                                          ("date: 2026-09-01", "date: 2026-12-31"),   # planned, on the last day
                                          ("date: 2026-04-15", "date: 2026-01-02"),
                                          ("date: 2026-09-01", "date: 2026-12-30")])
def test_kp207_the_period_s_first_and_last_days_are_inside(tmp_path: Path, old: str, new: str) -> None:
    text = sub(VALID_PLAN, old, new)
    assert PERIOD in text
    assert of(lint(tmp_path, text), "KP207") == []


def test_kp207_cancelled_activity_is_exempt(tmp_path: Path) -> None:
    text = sub(sub(VALID_PLAN, "date: 2026-09-01", "date: 2027-01-01"), "status: planned", "status: cancelled")
    assert of(lint(tmp_path, text), "KP207") == []


def test_kp207_undated_planned_activity_is_exempt(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "      date: 2026-09-01\n", "")
    assert of(lint(tmp_path, text), "KP207") == []
    later = of(lint(tmp_path / "b", sub(text, PERIOD, "{start: 2030-01-01, end: 2030-12-31}")), "KP207")
    assert [d["message"].split(" ")[1] for d in later] == ["A1"]  # the dated, done A1; never the undated A2


def test_kp207_does_not_depend_on_as_of(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "date: 2026-09-01", "date: 2027-01-01")
    assert len(of(lint(tmp_path / "a", text, as_of="2026-02-01"), "KP207")) == 1
    assert len(of(lint(tmp_path / "b", text, as_of="2028-02-01"), "KP207")) == 1


def test_date_rules_follow_as_of(tmp_path: Path) -> None:
    # The valid plan, a year later: its review, objective, activity and period have all passed.
    diags = lint(tmp_path, VALID_PLAN, as_of="2027-06-15")
    assert {"KP202", "KP203", "KP204", "KP205"} <= {d["code"] for d in diags}
