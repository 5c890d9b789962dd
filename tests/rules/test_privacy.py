"""KP501 privacy-notice-missing: EEA, UK and Swiss KOLs need a lawful basis and a notice date."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import VALID_PLAN, line_of
from tests.rules.support import at, lint, of, only, sub

PRIVACY = ("  relationship_expectations: [early data access]\n"
           "  privacy:\n    lawful_basis: legitimate-interest\n    notice_given: 2026-01-10\n")


def in_country(country: str, text: str = VALID_PLAN) -> str:
    return sub(text, "  country: US\n", f"  country: {country}\n")


def test_kp501_no_privacy_block_points_at_kol(tmp_path: Path) -> None:
    text = in_country("DE")
    d = only(lint(tmp_path, text), "KP501")
    assert at(d) == (line_of(text, "kol:"), 1)
    assert d["severity"] == "warning" and d["rule"] == "privacy-notice-missing"
    assert d["message"] == ("Jane Okafor is in DE, where GDPR applies, but the plan has no privacy.lawful_basis and "
                            "privacy.notice_given; tell the KOL what is kept about them (Art. 14 notice) and record "
                            "privacy: {lawful_basis: legitimate-interest, notice_given: YYYY-MM-DD}")


@pytest.mark.parametrize(("drop", "missing"), [("    notice_given: 2026-01-10\n", "privacy.notice_given;"),
                                               ("    lawful_basis: legitimate-interest\n", "privacy.lawful_basis;")])
def test_kp501_half_a_privacy_block_points_at_it(tmp_path: Path, drop: str, missing: str) -> None:
    text = in_country("GB", sub(VALID_PLAN, "  relationship_expectations: [early data access]\n",
                                sub(PRIVACY, drop, "")))
    d = only(lint(tmp_path, text), "KP501")
    assert at(d) == (line_of(text, "  privacy:"), 3)
    assert f"the plan has no {missing}" in d["message"]


@pytest.mark.parametrize("country", ["CH", "NO", "IS", "LI", "IT"])
def test_kp501_covers_the_eea_uk_and_switzerland(tmp_path: Path, country: str) -> None:
    assert len(of(lint(tmp_path, in_country(country)), "KP501")) == 1


def test_kp501_recorded_notice_passes(tmp_path: Path) -> None:
    text = in_country("FR", sub(VALID_PLAN, "  relationship_expectations: [early data access]\n", PRIVACY))
    assert lint(tmp_path, text) == []


@pytest.mark.parametrize("text", [VALID_PLAN, in_country("JP"), sub(VALID_PLAN, "  country: US\n", "")])
def test_kp501_other_countries_and_no_country_are_not_checked(tmp_path: Path, text: str) -> None:
    assert of(lint(tmp_path, text), "KP501") == []
