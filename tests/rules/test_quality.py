"""KP101-KP109 plan quality: a failing fixture at its exact position, a passing one, the boundaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import VALID_PLAN, col_of, line_of
from tests.rules.support import at, lint, of, only, sub

A2_LINK = "      title: MRD endpoints review\n      objectives: [O1]\n"
A2_NO_LINK = "      title: MRD endpoints review\n"
A2_OWNER = "      objectives: [O1]\n      owner: a.chen"
A2_SERVES_O2 = "      objectives: [O1, O2]\n      owner: a.chen"
O2 = """\
    - id: O2
      statement: Present MRD data at ASH
      kol_value: a podium at ASH
      org_value: visibility of the MRD evidence
      metric: abstract accepted
      target: 1
      due: 2026-12-05
      status: not-started
"""


def with_o2(text: str = VALID_PLAN, o2: str = O2) -> str:
    return sub(text, "  activities:\n", o2 + "  activities:\n")


# -- KP101 activity-without-objective ---------------------------------------------------
def test_kp101_activity_without_objectives_key_points_at_the_item(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, A2_LINK, A2_NO_LINK)
    d = only(lint(tmp_path, text), "KP101")
    assert at(d) == (line_of(text, "- id: A2"), 7)
    assert d["severity"] == "warning" and d["rule"] == "activity-without-objective"
    assert d["message"].startswith("activity A2 is linked to no objective; add objectives: [O1]")
    assert "or drop it" in d["message"]


def test_kp101_empty_objectives_list_points_at_the_key(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, A2_LINK, A2_NO_LINK + "      objectives: []\n")
    d = only(lint(tmp_path, text), "KP101")
    assert at(d) == (line_of(text, "objectives: []"), 7)


def test_kp101_plan_without_objectives_says_so(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("      objectives: [O1]\n", "")
    start, end = text.index("  objectives:\n"), text.index("  activities:\n")
    text = text[:start] + text[end:]
    found = of(lint(tmp_path, text), "KP101")
    assert [d["line"] for d in found] == [line_of(text, "- id: A1"), line_of(text, "- id: A2")]
    assert "the plan has no objectives yet" in found[0]["message"]


@pytest.mark.parametrize("change", [("type: publication", "type: check-in"), ("status: planned", "status: cancelled")])
def test_kp101_check_in_and_cancelled_are_exempt(tmp_path: Path, change: tuple[str, str]) -> None:
    text = sub(sub(VALID_PLAN, A2_LINK, A2_NO_LINK), *change)
    assert of(lint(tmp_path, text), "KP101") == []


def test_kp101_linked_activities_pass(tmp_path: Path) -> None:
    assert of(lint(tmp_path, VALID_PLAN), "KP101") == []


# -- KP102 objective-not-measurable -------------------------------------------------------
def test_kp102_lists_what_is_missing_at_the_item(tmp_path: Path) -> None:
    text = sub(sub(VALID_PLAN, "      metric: manuscript submitted\n", ""), "      target: 1\n", "")
    d = only(lint(tmp_path, text), "KP102")
    assert at(d) == (line_of(text, "- id: O1"), 7)
    assert d["message"].startswith("objective O1 is not measurable: it has no metric, target; add metric:, target:")


def test_kp102_missing_due(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "      due: 2026-09-30\n", "")
    d = only(lint(tmp_path, text), "KP102")
    assert "it has no due;" in d["message"]


def test_kp102_blank_target_text_counts_as_missing(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "      target: 1\n", '      target: "  "\n')
    assert "it has no target;" in only(lint(tmp_path, text), "KP102")["message"]


def test_kp102_dropped_objective_is_exempt(tmp_path: Path) -> None:
    text = sub(sub(VALID_PLAN, "      metric: manuscript submitted\n", ""), "status: on-track", "status: dropped")
    assert of(lint(tmp_path, text), "KP102") == []


def test_kp102_measurable_objective_passes(tmp_path: Path) -> None:
    assert of(lint(tmp_path, VALID_PLAN), "KP102") == []


# -- KP103 no-kol-value ------------------------------------------------------------------
def test_kp103_missing_kol_value_points_at_the_item(tmp_path: Path) -> None:
    text = with_o2(o2=sub(O2, "      kol_value: a podium at ASH\n", ""))
    text = sub(text, A2_OWNER, A2_SERVES_O2)
    d = only(lint(tmp_path, text), "KP103")
    assert at(d) == (line_of(text, "- id: O2"), 7)
    assert d["message"].startswith("objective O2 does not say what the KOL gains; add kol_value:")


def test_kp103_passes_with_kol_value(tmp_path: Path) -> None:
    assert of(lint(tmp_path, VALID_PLAN), "KP103") == []


# -- KP104 profile-incomplete --------------------------------------------------------------
def test_kp104_lists_unanswered_questions_at_kol_key(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "  desires: [visibility at ASH]\n", "")
    text = sub(text, "  preferred_channels: [in-person, virtual]\n", "  preferred_channels: []\n")
    d = only(lint(tmp_path, text), "KP104")
    assert at(d) == (line_of(text, "kol:"), 1)
    assert "leaves 2 of the 7 KOL-centred questions unanswered: preferred_channels (How do they prefer " \
           "to be engaged?); desires (What do they desire?)" in d["message"]


def test_kp104_share_of_voice_and_relationships(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "  share_of_scientific_voice: 0.18\n", "")
    start, end = text.index("  relationships:\n"), text.index("  desires:")
    text = text[:start] + text[end:]
    msg = only(lint(tmp_path, text), "KP104")["message"]
    assert "2 of the 7" in msg and "relationships (" in msg and "share_of_scientific_voice (" in msg


def test_kp104_zero_share_of_voice_is_an_answer(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "share_of_scientific_voice: 0.18", "share_of_scientific_voice: 0")
    assert of(lint(tmp_path, text), "KP104") == []


# -- KP105 no-satisfaction-measure -----------------------------------------------------------
# AS_OF is 2026-06-15: 365 days before is 2025-06-15; 180 days before is 2025-12-17.
OLD_PERIOD = sub(VALID_PLAN, "start: 2026-01-01", "start: 2025-07-01")


def test_kp105_score_366_days_old_is_reported(tmp_path: Path) -> None:
    text = sub(OLD_PERIOD, "    - date: 2026-03-30\n      score: 9", "    - date: 2025-06-14\n      score: 9")
    d = only(lint(tmp_path, text), "KP105")
    assert at(d) == (line_of(text, "  satisfaction:"), 3)
    assert d["message"].startswith("no KOL satisfaction score since 2025-06-15 (the latest is from 2025-06-14)")


def test_kp105_score_exactly_365_days_old_counts(tmp_path: Path) -> None:
    text = sub(OLD_PERIOD, "    - date: 2026-03-30\n      score: 9", "    - date: 2025-06-15\n      score: 9")
    assert of(lint(tmp_path, text), "KP105") == []


def no_satisfaction(text: str) -> str:
    return sub(text, "  satisfaction:\n    - date: 2026-03-30\n      score: 9\n      source: survey\n", "")


def test_kp105_no_satisfaction_at_all_points_at_plan(tmp_path: Path) -> None:
    text = no_satisfaction(OLD_PERIOD)
    d = only(lint(tmp_path, text), "KP105")
    assert at(d) == (line_of(text, "plan:"), 1)
    assert "(the latest" not in d["message"]


@pytest.mark.parametrize(("start", "reported"), [("2025-12-18", False), ("2025-12-17", True)])
def test_kp105_grace_for_a_new_plan_period(tmp_path: Path, start: str, reported: bool) -> None:
    text = no_satisfaction(sub(VALID_PLAN, "start: 2026-01-01", f"start: {start}"))
    assert len(of(lint(tmp_path, text), "KP105")) == int(reported)


# -- KP106 not-co-developed -----------------------------------------------------------------
def test_kp106_false_points_at_the_value(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "co_developed_with_kol: true", "co_developed_with_kol: false")
    d = only(lint(tmp_path, text), "KP106")
    assert at(d) == (line_of(text, "co_developed_with_kol"), col_of(text, "false"))
    assert d["severity"] == "info"
    assert "set co_developed_with_kol: true" in d["message"]


def test_kp106_missing_points_at_plan(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "  co_developed_with_kol: true\n", "")
    d = only(lint(tmp_path, text), "KP106")
    assert at(d) == (line_of(text, "plan:"), 1)
    assert "add co_developed_with_kol: true" in d["message"]


def test_kp106_true_passes(tmp_path: Path) -> None:
    assert of(lint(tmp_path, VALID_PLAN), "KP106") == []


# -- KP107 feedback-not-acted-on --------------------------------------------------------------
NO_RESPONSE = "    summary: Slides too promotional.\n"
RESPONSE = NO_RESPONSE + "    response: Revised deck with balanced safety data.\n"


def test_kp107_feedback_31_days_old_without_response(tmp_path: Path) -> None:
    text = sub(sub(VALID_PLAN, RESPONSE, NO_RESPONSE), "  - date: 2026-03-02", "  - date: 2026-05-15")
    d = only(lint(tmp_path, text), "KP107")
    assert at(d) == (line_of(text, "- date: 2026-05-15"), 5)
    assert d["message"] == ("feedback of 2026-05-15 ('Slides too promotional.') has had no response for 31 days; "
                            "act on it and record what was done in its response field")
    assert not d["message"].endswith(":")


def test_kp107_a_shortened_summary_ends_on_a_word_not_a_colon(tmp_path: Path) -> None:
    summary = "    summary: 'Questions raised by the steering group: faster data, fewer emails'\n"
    text = sub(sub(sub(VALID_PLAN, RESPONSE, NO_RESPONSE), NO_RESPONSE, summary), "  - date: 2026-03-02",
               "  - date: 2026-05-15")
    d = only(lint(tmp_path, text), "KP107")
    assert "('Questions raised by the steering group…')" in d["message"]  # cut after 39 characters, at the colon


def test_kp107_feedback_exactly_30_days_old_is_not_yet_late(tmp_path: Path) -> None:
    text = sub(sub(VALID_PLAN, RESPONSE, NO_RESPONSE), "  - date: 2026-03-02", "  - date: 2026-05-16")
    assert of(lint(tmp_path, text), "KP107") == []


@pytest.mark.parametrize("response", ['"   "', "", "''"])
def test_kp107_blank_response_is_none_and_points_at_it(tmp_path: Path, response: str) -> None:
    text = sub(VALID_PLAN, "response: Revised deck with balanced safety data.", f"response: {response}".rstrip())
    d = only(lint(tmp_path, text), "KP107")
    assert at(d) == (line_of(text, "response:"), 5)


def test_kp107_answered_feedback_passes(tmp_path: Path) -> None:
    assert of(lint(tmp_path, VALID_PLAN), "KP107") == []


# -- KP108 no-governance ---------------------------------------------------------------------
def test_kp108_no_next_review_points_at_governance(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "    next_review: 2026-07-01\n", "")
    d = only(lint(tmp_path, text), "KP108")
    assert at(d) == (line_of(text, "governance:"), 3)
    assert d["message"].startswith("the plan has no governance.next_review;")


def test_kp108_no_stakeholders(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "stakeholders: [a.chen, r.patel]", "stakeholders: []")
    assert only(lint(tmp_path, text), "KP108")["message"].startswith("the plan has no governance.stakeholders;")


def test_kp108_no_governance_block_points_at_plan(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "  governance:\n    review_cadence: quarterly\n    next_review: 2026-07-01\n"
                           "    stakeholders: [a.chen, r.patel]\n", "")
    d = only(lint(tmp_path, text), "KP108")
    assert at(d) == (line_of(text, "plan:"), 1)
    assert "governance.next_review and governance.stakeholders" in d["message"]


def test_kp108_governed_plan_passes(tmp_path: Path) -> None:
    assert of(lint(tmp_path, VALID_PLAN), "KP108") == []


# -- KP109 objective-without-activity ---------------------------------------------------------
def test_kp109_open_objective_without_activity(tmp_path: Path) -> None:
    text = with_o2()
    d = only(lint(tmp_path, text), "KP109")
    assert at(d) == (line_of(text, "- id: O2"), 7)
    assert d["message"] == ("objective O2 is not-started but no planned or done activity serves it; plan one "
                            "with objectives: [O2], or set its status to missed or dropped")


def test_kp109_a_cancelled_activity_does_not_serve(tmp_path: Path) -> None:
    text = sub(with_o2(), A2_OWNER, "      objectives: [O2]\n      owner: a.chen")
    text = sub(text, "status: planned", "status: cancelled")
    assert [d["line"] for d in of(lint(tmp_path, text), "KP109")] == [line_of(text, "- id: O2")]


@pytest.mark.parametrize("status", ["achieved", "missed", "dropped"])
def test_kp109_closed_objective_needs_no_activity(tmp_path: Path, status: str) -> None:
    assert of(lint(tmp_path, with_o2(o2=sub(O2, "status: not-started", f"status: {status}"))), "KP109") == []


def test_kp109_waits_while_an_activity_is_unlinked(tmp_path: Path) -> None:
    # A2 probably serves O2 and only lacks the link: KP101 says so; KP109 would repeat it.
    text = with_o2(sub(VALID_PLAN, A2_LINK, A2_NO_LINK))
    diags = lint(tmp_path, text)
    assert len(of(diags, "KP101")) == 1 and of(diags, "KP109") == []


def test_kp109_served_objective_passes(tmp_path: Path) -> None:
    text = sub(with_o2(), A2_OWNER, A2_SERVES_O2)
    assert lint(tmp_path, text) == []


# -- the catalogue ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "name", "severity", "category", "uses_date"),
    [
        ("KP101", "activity-without-objective", "warning", "quality", False),
        ("KP102", "objective-not-measurable", "warning", "quality", False),
        ("KP103", "no-kol-value", "warning", "quality", False),
        ("KP104", "profile-incomplete", "warning", "quality", False),
        ("KP105", "no-satisfaction-measure", "warning", "quality", True),
        ("KP106", "not-co-developed", "info", "quality", False),
        ("KP107", "feedback-not-acted-on", "warning", "quality", True),
        ("KP108", "no-governance", "warning", "quality", False),
        ("KP109", "objective-without-activity", "warning", "quality", False),
        ("KP201", "check-in-overdue", "warning", "timeliness", True),
        ("KP202", "activity-overdue", "warning", "timeliness", True),
        ("KP203", "objective-overdue", "warning", "timeliness", True),
        ("KP204", "review-overdue", "warning", "timeliness", True),
        ("KP205", "plan-expired", "warning", "timeliness", True),
        ("KP206", "engagement-load", "warning", "timeliness", False),
        ("KP207", "activity-outside-period", "warning", "timeliness", False),
        ("KP306", "engagement-collision", "warning", "ownership", False),
        ("KP401", "fmv-exceeded", "error", "compliance", False),
        ("KP402", "annual-cap-exceeded", "error", "compliance", False),
        ("KP403", "firewall", "error", "compliance", False),
        ("KP404", "restricted-phrase", "warning", "compliance", False),
        ("KP405", "annual-cap-near", "warning", "compliance", False),
        ("KP501", "privacy-notice-missing", "warning", "privacy", False),
    ],
)
def test_rule_is_registered_with_its_help(code: str, name: str, severity: str, category: str, uses_date: bool) -> None:
    from kolplan.rules import lookup

    rule = lookup(code)
    assert rule is not None and lookup(name) is rule
    assert (rule.name, rule.severity.value, rule.category, rule.scope, rule.uses_date) == (
        name, severity, category, "plan", uses_date)
    # The help says what, why (in words: a paragraph, not a seed article's number), a bad example and the fix.
    why = rule.doc.split("\n\n")[1]
    assert len(why) > 80 and "seed" not in rule.doc.lower(), rule.doc
    assert "Bad:" in rule.doc and "Fix:" in rule.doc, rule.doc
