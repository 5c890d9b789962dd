"""KP206 engagement-load and KP306 engagement-collision: each runs only where its coordination
key is set; exact positions, the day and hour boundaries, the quarter boundary, suppression.

VALID_PLAN (tests/helpers.py) is a national KOL whose A1 (advisory board, Raj Patel of Medical
Affairs, done 2026-04-15, 4 h) and A2 (publication, Alice Chen of Field Medical, planned
2026-09-01, no hours) are the activities; the tests add an A3 after A2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import CONFIG, VALID_PLAN, col_of, line_of
from tests.rules.support import at, lint, of, only, sub

COORD_CONFIG = CONFIG + """\
coordination:
  window_days: 14
  max_hours_per_quarter: {global: 40, national: 30}
"""
WINDOW_ONLY = CONFIG + "coordination:\n  window_days: 14\n"
HOURS_ONLY = CONFIG + "coordination:\n  max_hours_per_quarter: {national: 30}\n"

A2_END = "      date: 2026-09-01\n      status: planned\n"


def with_a3(date: str, *, owner: str = "r.patel", type_: str = "advisory-board", status: str = "planned",
            hours: str = "", a2_hours: str = "", comment: str = "") -> str:
    """VALID_PLAN with A3 after A2 (and A2's hours, if given)."""
    a3 = (f"    - id: A3\n      type: {type_}\n      title: Third activity\n      objectives: [O1]\n"
          f"      owner: {owner}\n      date: {date}{comment}\n      status: {status}\n")
    if hours:
        a3 += f"      hours: {hours}\n"
    a2 = A2_END + (f"      hours: {a2_hours}\n" if a2_hours else "")
    return sub(VALID_PLAN, A2_END, a2 + a3)


def lint_c(tmp_path: Path, text: str, config: str = COORD_CONFIG) -> list[dict[str, object]]:
    return lint(tmp_path, text, config=config)


def test_valid_plan_has_no_coordination_finding(tmp_path: Path) -> None:
    assert lint_c(tmp_path, VALID_PLAN) == []


# -- KP306 engagement-collision ------------------------------------------------------------------
def test_kp306_at_the_window_points_at_the_later_date_and_names_the_other(tmp_path: Path) -> None:
    # A2 (Field Medical) on 09-01, A3 (Medical Affairs) on 09-15: 14 days apart, window 14 -> collide.
    text = with_a3("2026-09-15")
    d = only(lint_c(tmp_path, text), "KP306")
    assert at(d) == (line_of(text, "date: 2026-09-15"), col_of(text, "2026-09-15"))
    assert d["severity"] == "warning" and d["rule"] == "engagement-collision"
    assert d["message"] == (
        "activity A3 (advisory-board, Raj Patel, Medical Affairs) is 14 days after activity A2 (publication on "
        "2026-09-01, Alice Chen, Field Medical): two departments engage this KOL within 14 days "
        "(coordination.window_days); combine them or space them more than 14 days apart")


def test_kp306_one_day_beyond_the_window_is_fine(tmp_path: Path) -> None:
    assert of(lint_c(tmp_path, with_a3("2026-09-16")), "KP306") == []  # 15 days > 14


def test_kp306_reported_on_the_later_date_even_when_it_comes_first_in_the_file(tmp_path: Path) -> None:
    # A3 on 08-25 is the earlier one; A2 on 09-01 (7 days later) carries the finding, naming A3.
    text = with_a3("2026-08-25")
    d = only(lint_c(tmp_path, text), "KP306")
    assert at(d) == (line_of(text, "date: 2026-09-01"), col_of(text, "2026-09-01"))
    assert d["message"].startswith("activity A2 (publication, Alice Chen, Field Medical) is 7 days after activity "
                                   "A3 (advisory-board on 2026-08-25, Raj Patel, Medical Affairs):")


def test_kp306_same_day_and_one_day(tmp_path: Path) -> None:
    same = only(lint_c(tmp_path / "a", with_a3("2026-09-01")), "KP306")
    assert " is on the same day as activity A2 " in same["message"]
    one = only(lint_c(tmp_path / "b", with_a3("2026-09-02")), "KP306")
    assert " is 1 day after activity A2 " in one["message"]


@pytest.mark.parametrize(("why", "kwargs"), [
    ("same department as A2", {"owner": "a.chen"}),
    ("a check-in is routine contact", {"type_": "check-in"}),
    ("done: it already happened", {"status": "done"}),
    ("cancelled: takes no time", {"status": "cancelled"}),
])
def test_kp306_exemptions(tmp_path: Path, why: str, kwargs: dict[str, str]) -> None:
    assert of(lint_c(tmp_path, with_a3("2026-09-05", **kwargs)), "KP306") == [], why


def test_kp306_is_suppressible_on_its_line(tmp_path: Path) -> None:
    text = with_a3("2026-09-15", comment="  # kolplan: ignore[engagement-collision]")
    assert lint_c(tmp_path, text) == []  # suppressed, and the suppression is used (no KP901)


def test_kp306_silent_without_window_days(tmp_path: Path) -> None:
    text = with_a3("2026-09-05")
    assert of(lint_c(tmp_path / "a", text, CONFIG), "KP306") == []
    assert of(lint_c(tmp_path / "b", text, HOURS_ONLY), "KP306") == []
    assert len(of(lint_c(tmp_path / "c", text, WINDOW_ONLY), "KP306")) == 1


# -- KP206 engagement-load -----------------------------------------------------------------------
# National tier: 30 hours per quarter. A2 gets 10 h (Field Medical, 09-01); A3 (Medical Affairs)
# on 09-30 adds N h to 2026-Q3; A1's 4 h are in 2026-Q2.
def test_kp206_one_hour_above_the_limit_points_at_the_crossing_hours(tmp_path: Path) -> None:
    text = with_a3("2026-09-30", hours="21", a2_hours="10")  # 10 + 21 = 31 > 30
    d = only(lint_c(tmp_path, text), "KP206")
    assert at(d) == (line_of(text, "hours: 21"), col_of(text, "21"))
    assert d["severity"] == "warning" and d["rule"] == "engagement-load"
    assert d["message"] == (
        "2026-Q3 asks 31 hours of this national KOL (Field Medical 10 h, Medical Affairs 21 h), above the 30 "
        "hours per quarter coordination.max_hours_per_quarter allows; activity A3 (advisory-board on 2026-09-30, "
        "Raj Patel, Medical Affairs) takes it over: agree with the other departments which activity to shorten, "
        "drop or move to another quarter")


def test_kp206_at_the_limit_is_fine(tmp_path: Path) -> None:
    assert of(lint_c(tmp_path, with_a3("2026-09-30", hours="20", a2_hours="10")), "KP206") == []  # 30 = 30


def test_kp206_the_quarter_boundary(tmp_path: Path) -> None:
    # 09-30 is in Q3 with A2's 10 h (31 h); 10-01 is Q4, where A3's 21 h stand alone.
    assert len(of(lint_c(tmp_path / "a", with_a3("2026-09-30", hours="21", a2_hours="10")), "KP206")) == 1
    assert of(lint_c(tmp_path / "b", with_a3("2026-10-01", hours="21", a2_hours="10")), "KP206") == []


def test_kp206_counts_done_and_not_cancelled(tmp_path: Path) -> None:
    # A3 done on 04-20 with 27 h joins A1's 4 h (done, 04-15) in Q2: 31 h; cancelled it counts nothing.
    done = with_a3("2026-04-20", hours="27", status="done")
    assert "2026-Q2 asks 31 hours" in only(lint_c(tmp_path / "a", done), "KP206")["message"]
    cancelled = with_a3("2026-04-20", hours="27", status="cancelled")
    assert of(lint_c(tmp_path / "b", cancelled), "KP206") == []


def test_kp206_tier_without_a_limit_and_config_without_the_key(tmp_path: Path) -> None:
    text = with_a3("2026-09-30", hours="21", a2_hours="10")
    assert of(lint_c(tmp_path / "a", sub(text, "tier: national", "tier: rising")), "KP206") == []
    assert of(lint_c(tmp_path / "b", sub(text, "tier: national", "tier: global")), "KP206") == []  # 31 <= 40
    assert of(lint_c(tmp_path / "c", text, CONFIG), "KP206") == []
    assert of(lint_c(tmp_path / "d", text, WINDOW_ONLY), "KP206") == []
    assert len(of(lint_c(tmp_path / "e", text, HOURS_ONLY), "KP206")) == 1


def test_kp206_is_suppressible_on_its_line(tmp_path: Path) -> None:
    text = sub(with_a3("2026-09-30", hours="21", a2_hours="10"), "hours: 21",
               "hours: 21  # kolplan: ignore[KP206]")
    assert lint_c(tmp_path, text) == []



def test_kp206_hours_that_add_up_inexactly_in_binary_are_at_the_limit(tmp_path: Path) -> None:
    # 0.1 + 0.2 is 0.30000000000000004 in binary floating point: A2 (0.1 h, 09-01) and A3 (0.2 h,
    # 09-30) ask 0.3 hours of 2026-Q3, exactly the limit; 0.2 + 0.2 (0.4 h) is above it.
    config = CONFIG + "coordination:\n  max_hours_per_quarter: {national: 0.3}\n"
    q3 = [d for d in of(lint_c(tmp_path / "a", with_a3("2026-09-30", hours="0.2", a2_hours="0.1"), config), "KP206")
          if "2026-Q3" in d["message"]]
    assert q3 == []
    over = [d for d in of(lint_c(tmp_path / "b", with_a3("2026-09-30", hours="0.2", a2_hours="0.2"), config), "KP206")
            if "2026-Q3" in d["message"]]
    assert len(over) == 1 and over[0]["message"].startswith("2026-Q3 asks 0.4 hours")
