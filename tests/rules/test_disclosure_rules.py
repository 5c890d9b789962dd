"""KP406 tov-consent-missing, KP407 npi-missing, KP408 selection-rationale-missing, and the annual
cap's choice of fees only or fees and expenses (compliance.cap_includes_expenses): failing fixtures
at their exact positions, passing ones, and the boundaries (SPEC 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import VALID_PLAN, col_of, line_of
from tests.rules.support import COMPLIANCE_CONFIG, at, lint, of, only, sub

DISCLOSURE = "disclosure:\n  usd_rate: 1.0\n"
CONFIG_D = COMPLIANCE_CONFIG + DISCLOSURE
A1_FEE = "      compensation: 1600\n"
# VALID_PLAN's KOL is in the US with an NPI; A1 (advisory-board, done 2026-04-15) pays 1,600; A2 is an
# unpaid planned publication (2026-09-01). The run is as of 2026-06-15.
IN_FR = sub(sub(VALID_PLAN, "country: US", "country: FR"), '    npi: "1234567893"\n', "")
PRIVACY = "  privacy:\n    lawful_basis: consent\n    notice_given: 2025-12-01\n"
WITH_PRIVACY = sub(IN_FR, "  relationship_expectations: [early data access]\n",
                   "  relationship_expectations: [early data access]\n" + PRIVACY)


def lint_d(tmp_path: Path, text: str, config: str = CONFIG_D, as_of: str = "2026-06-15") -> list[dict[str, Any]]:
    return lint(tmp_path, text, config=config, as_of=as_of)


# -- KP406 tov-consent-missing --------------------------------------------------------------------------
def test_kp406_paid_eu_kol_without_privacy_block(tmp_path: Path) -> None:
    d = only(lint_d(tmp_path, IN_FR), "KP406")
    assert at(d) == (line_of(IN_FR, "kol:"), 1)  # no privacy: the nearest present parent
    assert d["severity"] == "warning" and d["rule"] == "tov-consent-missing"
    assert d["message"] == ("Jane Okafor is in FR and is paid in 2026 (activity A1), but the plan does not record "
                            "whether they agree to individual disclosure (EFPIA): ask them and record "
                            "privacy: {tov_disclosure_consent: true} (or false)")


def test_kp406_points_at_privacy_when_present(tmp_path: Path) -> None:
    d = only(lint_d(tmp_path, WITH_PRIVACY), "KP406")
    assert at(d) == (line_of(WITH_PRIVACY, "  privacy:"), 3)


@pytest.mark.parametrize("answer", ["true", "false"])
def test_kp406_consent_true_or_false_is_recorded(tmp_path: Path, answer: str) -> None:
    text = sub(WITH_PRIVACY, "    notice_given: 2025-12-01\n",
               f"    notice_given: 2025-12-01\n    tov_disclosure_consent: {answer}\n")
    assert of(lint_d(tmp_path, text), "KP406") == []


@pytest.mark.parametrize("country", ["GB", "CH", "NO", "DE"])
def test_kp406_eea_uk_and_switzerland(tmp_path: Path, country: str) -> None:
    assert len(of(lint_d(tmp_path, sub(IN_FR, "country: FR", f"country: {country}")), "KP406")) == 1


@pytest.mark.parametrize("country", ["JP", "US", "TR"])
def test_kp406_not_outside_them(tmp_path: Path, country: str) -> None:
    assert of(lint_d(tmp_path, sub(IN_FR, "country: FR", f"country: {country}")), "KP406") == []


def test_kp406_expenses_alone_make_an_activity_paid(tmp_path: Path) -> None:
    text = sub(IN_FR, A1_FEE, "      expenses: [{kind: travel, amount: 80}]\n")
    assert "(activity A1)" in only(lint_d(tmp_path, text), "KP406")["message"]


def test_kp406_unpaid_activities_do_not_count(tmp_path: Path) -> None:
    unpaid = sub(IN_FR, A1_FEE, "      compensation: 0\n      expenses: [{kind: travel, amount: 0}]\n")
    cancelled = sub(IN_FR, "      status: done\n", "      status: cancelled\n")
    for n, text in enumerate((unpaid, cancelled)):
        assert of(lint_d(tmp_path / str(n), text), "KP406") == [], n


def test_kp406_year_boundary_follows_as_of(tmp_path: Path) -> None:
    # A1 is done 2026-04-15. As of 2027-01-01 nothing is paid in 2027; paid_on 2027-01-05 moves it there.
    assert of(lint_d(tmp_path / "a", IN_FR, as_of="2027-01-01"), "KP406") == []
    late = sub(IN_FR, A1_FEE, A1_FEE + "      paid_on: 2027-01-05\n")
    assert "paid in 2027 (activity A1)" in only(lint_d(tmp_path / "b", late, as_of="2027-01-01"), "KP406")["message"]
    assert of(lint_d(tmp_path / "c", late, as_of="2026-12-31"), "KP406") == []


@pytest.mark.parametrize("kind", ["investigator-initiated-study", "clinical-trial", "research-collaboration"])
def test_kp406_research_payments_do_not_need_consent(tmp_path: Path, kind: str) -> None:
    # EFPIA discloses research payments in one R&D total whatever the KOL answers (disclose does too)
    text = sub(IN_FR, "type: advisory-board", f"type: {kind}")
    assert of(lint_d(tmp_path, text), "KP406") == []


def test_kp406_planned_paid_activity_counts(tmp_path: Path) -> None:
    text = sub(sub(IN_FR, A1_FEE, ""), "      status: planned\n", "      status: planned\n      hours: 4\n"
               "      compensation: 900\n")
    assert "(activity A2)" in only(lint_d(tmp_path, text), "KP406")["message"]


def test_kp406_and_kp407_need_disclosure_configured(tmp_path: Path) -> None:
    no_npi = sub(VALID_PLAN, '    npi: "1234567893"\n', "")
    for n, text in enumerate((IN_FR, no_npi)):
        assert [d for d in lint_d(tmp_path / str(n), text, COMPLIANCE_CONFIG) if d["code"] in ("KP406", "KP407")] \
            == [], n


# -- KP407 npi-missing ------------------------------------------------------------------------------------
def test_kp407_us_kol_paid_without_npi(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, '    npi: "1234567893"\n', "")
    d = only(lint_d(tmp_path, text), "KP407")
    assert at(d) == (line_of(text, "  identifiers:"), 3)
    assert d["severity"] == "warning" and d["rule"] == "npi-missing"
    assert d["message"] == ('Jane Okafor is in the US and is paid (activity A1), but the plan has no NPI, which Open '
                            'Payments reports need: add identifiers: {npi: "NNNNNNNNNN"} (from the NPPES registry)')


def test_kp407_without_identifiers_points_at_kol(tmp_path: Path) -> None:
    text = VALID_PLAN.split("  identifiers:\n")[0] + "  tier:" + VALID_PLAN.split("\n  tier:", 1)[1]
    d = only(lint_d(tmp_path, text), "KP407")
    assert at(d) == (line_of(text, "kol:"), 1)


def test_kp407_passing_and_exempt(tmp_path: Path) -> None:
    no_npi = sub(VALID_PLAN, '    npi: "1234567893"\n', "")
    unpaid = sub(no_npi, A1_FEE, "")
    in_ca = sub(no_npi, "country: US", "country: CA")
    for n, text in enumerate((VALID_PLAN, unpaid, in_ca)):
        assert of(lint_d(tmp_path / str(n), text), "KP407") == [], n


def test_kp407_expenses_only(tmp_path: Path) -> None:
    text = sub(sub(VALID_PLAN, '    npi: "1234567893"\n', ""), A1_FEE, "      expenses: [{kind: meals, amount: 9}]\n")
    assert len(of(lint_d(tmp_path, text), "KP407")) == 1


# -- KP408 selection-rationale-missing -------------------------------------------------------------------
RATIONALE_CONFIG = COMPLIANCE_CONFIG + "  require_rationale: [advisory-board, consulting]\n"


def test_kp408_paid_advisory_board_without_rationale(tmp_path: Path) -> None:
    d = only(lint_d(tmp_path, VALID_PLAN, RATIONALE_CONFIG), "KP408")
    assert at(d) == (line_of(VALID_PLAN, "    - id: A1"), col_of(VALID_PLAN, "id: A1"))
    assert d["severity"] == "warning" and d["rule"] == "selection-rationale-missing"
    assert d["message"] == ("activity A1 is a paid advisory-board, which must say why this KOL was chosen "
                            "(compliance.require_rationale): add rationale: (their expertise for this need)")


def test_kp408_rationale_given(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, A1_FEE, A1_FEE + "      rationale: Leads the only EU MRD registry.\n")
    assert of(lint_d(tmp_path, text, RATIONALE_CONFIG), "KP408") == []


def test_kp408_fee_or_expenses(tmp_path: Path) -> None:
    expenses_only = sub(VALID_PLAN, A1_FEE, "      expenses: [{kind: travel, amount: 300}]\n")
    unpaid = sub(VALID_PLAN, A1_FEE, "")
    assert len(of(lint_d(tmp_path / "a", expenses_only, RATIONALE_CONFIG), "KP408")) == 1
    assert of(lint_d(tmp_path / "b", unpaid, RATIONALE_CONFIG), "KP408") == []


def test_kp408_only_listed_types_and_live_activities(tmp_path: Path) -> None:
    other_type = COMPLIANCE_CONFIG + "  require_rationale: [speaker-program]\n"
    cancelled = sub(VALID_PLAN, "      status: done\n", "      status: cancelled\n")
    assert of(lint_d(tmp_path / "a", VALID_PLAN, other_type), "KP408") == []
    assert of(lint_d(tmp_path / "b", cancelled, RATIONALE_CONFIG), "KP408") == []
    assert of(lint_d(tmp_path / "c", VALID_PLAN, COMPLIANCE_CONFIG), "KP408") == []  # not configured


# -- KP402/KP405 and compliance.cap_includes_expenses -------------------------------------------------------
# Cap 25,000. A1 pays 1,600 (fee) + 3,000 travel; A2 (planned 2026-09-01) pays a fee of 20,000 with 100 hours.
# Fees only: 21,600 = 86.4% -> KP405. Fees and expenses: 24,600 = 98.4% -> KP405; with A2's fee 20,401:
# fees only 22,001 (KP405), fees and expenses 25,001 > 25,000 -> KP402 at A2.
def capped(a2_fee: str) -> str:
    text = sub(VALID_PLAN, A1_FEE, A1_FEE + "      expenses: [{kind: travel, amount: 3000}]\n")
    return sub(text, "      status: planned\n",
               f"      status: planned\n      hours: 100\n      compensation: {a2_fee}\n")


WITH_EXPENSES = COMPLIANCE_CONFIG.replace("  currency: USD\n", "  currency: USD\n  cap_includes_expenses: true\n")


def test_cap_counts_fees_only_by_default(tmp_path: Path) -> None:
    diags = lint_d(tmp_path, capped("20401"), COMPLIANCE_CONFIG)
    assert of(diags, "KP402") == []
    assert only(diags, "KP405")["message"].startswith("compensation in 2026 totals 22,001 USD (planned and done), 88%")


def test_cap_counts_expenses_when_configured(tmp_path: Path) -> None:
    text = capped("20401")
    d = only(lint_d(tmp_path, text, WITH_EXPENSES), "KP402")
    assert at(d) == (line_of(text, "compensation: 20401"), col_of(text, "20401"))
    assert d["message"] == ("compensation and expenses in 2026 totals 25,001 USD (planned and done), above the annual "
                            "cap of 25,000 USD; activity A2 takes it over: reduce, move or cancel planned "
                            "compensation")


def test_cap_with_expenses_exactly_at_the_cap(tmp_path: Path) -> None:
    diags = lint_d(tmp_path, capped("20400"), WITH_EXPENSES)
    assert of(diags, "KP402") == []
    assert "compensation and expenses in 2026 totals 25,000 USD" in only(diags, "KP405")["message"]


def test_cap_expenses_only_activity_points_at_its_expenses(tmp_path: Path) -> None:
    # A1: no fee, 20,000 of expenses: 80% of the cap with expenses counted, nothing with fees only.
    text = sub(VALID_PLAN, A1_FEE, "      expenses: [{kind: other, amount: 20000}]\n")
    d = only(lint_d(tmp_path / "a", text, WITH_EXPENSES), "KP405")
    assert at(d) == (line_of(text, "      expenses:"), col_of(text, "[{kind"))
    assert of(lint_d(tmp_path / "b", text, COMPLIANCE_CONFIG), "KP405") == []
