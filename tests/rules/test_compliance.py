"""KP401-KP405 compliance: each runs only where kolplan.yaml configures it; exact positions, boundaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import CONFIG, VALID_PLAN, col_of, line_of
from tests.rules.support import COMPLIANCE_CONFIG, at, lint, of, only, sub

A1_PAY = "      hours: 4\n      compensation: 1600\n"  # national tier: 450 USD/hour at most


def lint_c(tmp_path: Path, text: str, config: str = COMPLIANCE_CONFIG) -> list[dict[str, object]]:
    return lint(tmp_path, text, config=config)


def a2_pays(amount: str, date: str = "2026-09-01", hours: int = 100) -> str:
    """A2 (planned) with ``amount`` of compensation, enough hours to stay within FMV."""
    return sub(VALID_PLAN, "      date: 2026-09-01\n      status: planned\n",
               f"      date: {date}\n      status: planned\n      hours: {hours}\n      compensation: {amount}\n")


def test_valid_plan_is_compliant(tmp_path: Path) -> None:
    assert lint_c(tmp_path, VALID_PLAN) == []


# -- KP401 fmv-exceeded ------------------------------------------------------------------------------
def test_kp401_rate_above_the_tier_rate(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "compensation: 1600", "compensation: 1801")
    d = only(lint_c(tmp_path, text), "KP401")
    assert at(d) == (line_of(text, "compensation: 1801"), col_of(text, "1801"))
    assert d["severity"] == "error" and d["rule"] == "fmv-exceeded"
    assert d["message"] == ("activity A1 pays 1,801 USD for 4 hours (450.25 USD/hour), above the fair-market-value "
                            "rate of 450 USD/hour for a national KOL; lower it to at most 1,800 USD or record the "
                            "real hours")


def test_kp401_exactly_the_rate_is_allowed(tmp_path: Path) -> None:
    assert of(lint_c(tmp_path, sub(VALID_PLAN, "compensation: 1600", "compensation: 1800")), "KP401") == []


def test_kp401_rate_depends_on_tier(tmp_path: Path) -> None:
    text = sub(sub(VALID_PLAN, "compensation: 1600", "compensation: 2400"), "tier: national", "tier: global")
    assert of(lint_c(tmp_path, text), "KP401") == []


@pytest.mark.parametrize("hours", ["", "      hours: 0\n"])
def test_kp401_compensation_without_hours(tmp_path: Path, hours: str) -> None:
    text = sub(VALID_PLAN, A1_PAY, hours + "      compensation: 1600\n")
    d = only(lint_c(tmp_path, text), "KP401")
    assert at(d) == (line_of(text, "compensation: 1600"), col_of(text, "1600"))
    assert d["message"].startswith("activity A1 pays 1,600 USD but records no hours, so fair market value cannot "
                                   "be shown; add hours:")


def test_kp401_exemptions(tmp_path: Path) -> None:
    cancelled = sub(sub(VALID_PLAN, "compensation: 1600", "compensation: 9000"), "status: done", "status: cancelled")
    unpaid = sub(VALID_PLAN, A1_PAY, "      compensation: 0\n")
    no_rate = sub(sub(VALID_PLAN, "compensation: 1600", "compensation: 9000"), "tier: national", "tier: rising")
    for n, text in enumerate((cancelled, unpaid, no_rate)):  # rising has no rate in COMPLIANCE_CONFIG
        assert of(lint_c(tmp_path / str(n), text), "KP401") == [], n


def test_kp401_needs_compliance_configured(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "compensation: 1600", "compensation: 9000")
    assert of(lint_c(tmp_path, text, config=CONFIG), "KP401") == []


# -- KP402 annual-cap-exceeded / KP405 annual-cap-near --------------------------------------------------
# The cap is 25,000; A1 (done, 2026-04-15) pays 1,600.
def test_kp402_one_above_the_cap(tmp_path: Path) -> None:
    text = a2_pays("23401")
    diags = lint_c(tmp_path, text)
    d = only(diags, "KP402")
    assert at(d) == (line_of(text, "compensation: 23401"), col_of(text, "23401"))
    assert d["severity"] == "error"
    assert d["message"] == ("compensation in 2026 totals 25,001 USD (planned and done), above the annual cap of "
                            "25,000 USD; activity A2 takes it over: reduce, move or cancel planned compensation")
    assert of(diags, "KP405") == []


def test_kp402_exactly_the_cap_is_not_over_but_near(tmp_path: Path) -> None:
    diags = lint_c(tmp_path, a2_pays("23400"))
    assert of(diags, "KP402") == []
    assert "totals 25,000 USD" in only(diags, "KP405")["message"]


def test_kp405_exactly_80_percent(tmp_path: Path) -> None:
    text = a2_pays("18400")
    d = only(lint_c(tmp_path, text), "KP405")
    assert at(d) == (line_of(text, "compensation: 18400"), col_of(text, "18400"))
    assert d["severity"] == "warning"
    assert d["message"] == ("compensation in 2026 totals 20,000 USD (planned and done), 80% of the annual cap of "
                            "25,000 USD (80% reached at activity A2); only 5,000 USD is left this year: check it "
                            "before adding paid activities")


def test_kp405_just_below_80_percent(tmp_path: Path) -> None:
    assert of(lint_c(tmp_path, a2_pays("18399.99")), "KP405") == []


def test_kp405_points_at_the_activity_that_reaches_80_percent_in_date_order(tmp_path: Path) -> None:
    # A3 is last in the file but first in the year: it alone reaches 80%.
    text = a2_pays("1000")
    text = sub(text, "  governance:\n", "    - id: A3\n      type: consulting\n      title: Protocol review\n"
                                       "      objectives: [O1]\n      owner: a.chen\n      date: 2026-02-01\n"
                                       "      status: done\n      hours: 50\n      compensation: 20000\n"
                                       "  governance:\n")
    d = only(lint_c(tmp_path, text), "KP405")
    assert at(d) == (line_of(text, "compensation: 20000"), col_of(text, "20000"))
    assert "totals 22,600 USD" in d["message"] and "at activity A3" in d["message"]


def test_caps_count_per_calendar_year(tmp_path: Path) -> None:
    diags = lint_c(tmp_path, a2_pays("23401", date="2027-01-15"))
    assert of(diags, "KP402") == []
    assert "compensation in 2027 totals 23,401 USD" in only(diags, "KP405")["message"]


def test_caps_ignore_cancelled_activities(tmp_path: Path) -> None:
    text = sub(a2_pays("23401"), "status: planned", "status: cancelled")
    diags = lint_c(tmp_path, text)
    assert of(diags, "KP402") == [] and of(diags, "KP405") == []


def test_caps_count_an_undated_planned_activity_in_the_period_start_year(tmp_path: Path) -> None:
    text = sub(a2_pays("23401"), "      date: 2026-09-01\n", "")
    assert len(of(lint_c(tmp_path, text), "KP402")) == 1


def test_caps_need_annual_cap_configured(tmp_path: Path) -> None:
    config = sub(COMPLIANCE_CONFIG, "  annual_cap: 25000\n", "")
    diags = lint_c(tmp_path, a2_pays("50000"), config=config)
    assert of(diags, "KP402") == [] and of(diags, "KP405") == []


# -- KP403 firewall -----------------------------------------------------------------------------------
def test_kp403_commercial_type_owned_by_medical(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "type: publication", "type: speaker-program")
    d = only(lint_c(tmp_path, text), "KP403")
    assert at(d) == (line_of(text, "owner: a.chen"), col_of(text, "a.chen", 2))
    assert d["message"] == ("activity A2 is a speaker-program, which only commercial departments may run, but its "
                            "owner a.chen is in field-medical (medical); hand it to someone in a commercial "
                            "department")


def test_kp403_medical_type_owned_by_commercial(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "owner: r.patel", "owner: c.jones")
    d = only(lint_c(tmp_path, text), "KP403")
    assert at(d) == (line_of(text, "owner: c.jones"), col_of(text, "c.jones"))
    assert "advisory-board, which only medical departments may run" in d["message"]


@pytest.mark.parametrize(("kind", "owner"), [("speaker-program", "c.jones"), ("speaker-program", "m.diaz"),
                                             ("education", "c.jones")])
def test_kp403_allowed_owners(tmp_path: Path, kind: str, owner: str) -> None:
    text = sub(sub(VALID_PLAN, "type: publication", f"type: {kind}"), "owner: a.chen", f"owner: {owner}")
    assert of(lint_c(tmp_path, text), "KP403") == []


def test_kp403_needs_activity_types_configured(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "type: publication", "type: speaker-program")
    config = sub(COMPLIANCE_CONFIG, "  commercial_activity_types: [speaker-program]\n", "")
    assert of(lint_c(tmp_path, text, config=config), "KP403") == []


# -- KP404 restricted-phrase ----------------------------------------------------------------------------
def test_kp404_in_an_interaction_summary(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "summary: Discussed MRD assay variability.", "summary: Explained why it is Best-in-Class.")
    d = only(lint_c(tmp_path, text), "KP404")
    assert at(d) == (line_of(text, "Best-in-Class"), col_of(text, "Explained"))
    assert d["message"] == ("interaction of 2026-06-01 summary uses the restricted phrase 'best-in-class'; rewrite "
                            "it in neutral scientific language")


@pytest.mark.parametrize(
    ("old", "new", "needle", "what"),
    [
        ("[wants data on older patients]", "[asks about our market share]", "asks about", "interaction of 2026-06-01 "
                                                                                           "insight"),
        ("summary: Slides too promotional.", "summary: Called it a game changer.", "Called", "feedback of 2026-03-02"),
        ("response: Revised deck with balanced safety data.", "response: Removed 'BEST IN CLASS'.", "Removed",
         "response to the feedback of 2026-03-02"),
        ("title: MRD endpoints review", "title: MRD market  share review", "MRD market", "activity A2 title"),
    ],
)
def test_kp404_every_place_it_looks(tmp_path: Path, old: str, new: str, needle: str, what: str) -> None:
    text = sub(VALID_PLAN, old, new)
    d = only(lint_c(tmp_path, text), "KP404")
    assert at(d) == (line_of(text, needle), col_of(text, needle))
    assert d["message"].startswith(what + " uses the restricted phrase")


@pytest.mark.parametrize("summary", ["Best in classroom teaching.", "Market shares were not discussed.",
                                     "A gamechanger, he said.", "best class in show."])
def test_kp404_whole_words_only(tmp_path: Path, summary: str) -> None:
    text = sub(VALID_PLAN, "summary: Discussed MRD assay variability.", f"summary: {summary}")
    assert of(lint_c(tmp_path, text), "KP404") == []


def test_kp404_needs_restricted_phrases_configured(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "summary: Discussed MRD assay variability.", "summary: Best in class.")
    assert of(lint_c(tmp_path, text, config=CONFIG), "KP404") == []
