"""Which transfers are reportable, where and why (engagement/disclosure.py): the de minimis rule
below, at and above both thresholds, USD conversion, EFPIA categories and consent, the regimes,
Record_ID, and "reportable so far this year" for the quarterly review. Hand counts in comments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from kolplan.engagement.disclosure import (
    BUILTIN_THRESHOLDS,
    EFPIA,
    FEES,
    NEITHER,
    OPEN_PAYMENTS,
    REGISTRATION_FEES,
    RELATED_EXPENSES,
    TRAVEL_AND_ACCOMMODATION,
    Settings,
    efpia_category,
    kol_transfers,
    record_id,
    regime_of,
    reportable_so_far,
    settings_of,
    usd,
)
from kolplan.schema import Config, Plan
from tests.engagement.test_engagement import VIEW
from tests.helpers import CONFIG

USD = Settings(currency="USD")  # rate 1, the built-in thresholds: 2026 is 13.82 / 138.13


def kol(country: str | None, *activities: dict[str, Any], consent: bool | None = None) -> Plan:
    acts = [{"id": f"A{i}", "type": "consulting", "title": f"Activity {i}", "owner": "a.chen", "status": "done",
             "date": dt.date(2026, 3, i), **a} for i, a in enumerate(activities, start=1)]
    k: dict[str, Any] = {"name": "Jane Okafor", "tier": "national"}
    if country:
        k["country"] = country
    if country == "US":
        k["identifiers"] = {"npi": "1234567893"}
    if consent is not None:
        k["privacy"] = {"tov_disclosure_consent": consent}
    return Plan.model_validate({
        "schema": "kolplan/v1", "id": "jane-okafor", "kol": k, "owners": [{"person": "a.chen", "role": "lead"}],
        "plan": {"period": {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}, "activities": acts},
    })


def meals(*amounts: float) -> list[dict[str, Any]]:
    return [{"expenses": [{"kind": "meals", "amount": a}]} for a in amounts]


def verdicts(p: Plan, settings: Settings = USD, year: int = 2026) -> list[bool]:
    return [t.reportable for t in kol_transfers(p, VIEW, settings, year).transfers]


# -- de minimis (US): single 13.82, annual 138.13 -------------------------------------------------------
def test_below_single_and_total_below_annual_is_left_out() -> None:
    # 13.81 + 100.00 = 113.81 <= 138.13: the 13.81 is left out; 100.00 >= 13.82 is reported
    assert verdicts(kol("US", *meals(13.81, 100))) == [False, True]


def test_at_single_is_reported() -> None:
    assert verdicts(kol("US", *meals(13.82))) == [True]


def test_total_at_annual_is_not_above_it() -> None:
    # 13.81 + 124.32 = 138.13: not above 138.13, so the small one is still left out
    assert verdicts(kol("US", *meals(13.81, 124.32))) == [False, True]


def test_total_above_annual_reports_every_payment() -> None:
    # 13.81 + 124.33 = 138.14 > 138.13: the small one too
    found = kol_transfers(kol("US", *meals(13.81, 124.33)), VIEW, USD, 2026)
    assert [t.reportable for t in found.transfers] == [True, True]
    assert found.total_usd == Decimal("138.14")
    assert found.transfers[0].why == ("a US KOL; 13.81 USD is below 13.82 USD, but the year's total of 138.14 USD "
                                      "exceeds 138.13 USD")


def test_many_small_payments_above_annual() -> None:
    # 11 x 13.00 = 143.00 > 138.13: all reported; 10 x 13.00 = 130.00: none
    assert verdicts(kol("US", *meals(*[13.0] * 11))) == [True] * 11
    assert verdicts(kol("US", *meals(*[13.0] * 10))) == [False] * 10


def test_2025_thresholds_are_built_in() -> None:
    # 2025: 13.46 / 134.54. 13.50 is at or above 13.46 (reported in 2025; left out in 2026)
    p = kol("US", {"date": dt.date(2025, 6, 1), **meals(13.50)[0]})
    assert verdicts(p, year=2025) == [True]
    assert BUILTIN_THRESHOLDS[2025] == (Decimal("13.46"), Decimal("134.54"))
    assert verdicts(kol("US", *meals(13.50))) == [False]


def test_conversion_rounds_half_up_to_the_cent() -> None:
    assert usd(12.56, Decimal("1.10")) == Decimal("13.82")  # 13.816
    assert usd(12.55, Decimal("1.10")) == Decimal("13.81")  # 13.805 -> 13.81
    assert usd(1000, Decimal("1.0835")) == Decimal("1083.50")
    eur = Settings(currency="EUR", usd_rate=Decimal("1.10"))
    assert verdicts(kol("US", *meals(12.56)), eur) == [True]  # 13.82 USD: at the threshold
    assert verdicts(kol("US", *meals(12.55)), eur) == [False]  # 13.81 USD: below, total 13.81


def test_without_a_rate_or_thresholds_the_rule_is_not_applied() -> None:
    no_rate = kol_transfers(kol("US", *meals(1)), VIEW, Settings(currency="EUR"), 2026).transfers[0]
    assert no_rate.reportable and no_rate.amount_usd is None
    assert "de minimis not checked: no disclosure.usd_rate to convert EUR to USD" in no_rate.why
    no_year = kol_transfers(kol("US", {"date": dt.date(2027, 2, 1), **meals(1)[0]}), VIEW, USD, 2027).transfers[0]
    assert "no thresholds for 2027 in disclosure.open_payments_thresholds" in no_year.why


def test_done_only_and_paid_on_decides_the_year() -> None:
    p = kol("US", {"compensation": 500, "status": "planned"},
            {"compensation": 400, "date": dt.date(2025, 12, 20), "paid_on": dt.date(2026, 1, 5)},
            {"compensation": 300, "date": dt.date(2026, 12, 20), "paid_on": dt.date(2027, 1, 5)},
            {"compensation": 200, "status": "cancelled"})
    # 2026: only the 400 paid on 2026-01-05; 2025 and 2027 each get nothing / the 300
    assert [t.payment.amount for t in kol_transfers(p, VIEW, USD, 2026).transfers] == [400]
    assert kol_transfers(p, VIEW, USD, 2025).transfers == ()
    assert [t.payment.amount for t in kol_transfers(p, VIEW, USD, 2027).transfers] == [300]


def test_natures_and_forms() -> None:
    p = kol("US", {"type": "advisory-board", "compensation": 1000,
                   "expenses": [{"kind": k, "amount": 50} for k in ("travel", "lodging", "meals", "registration",
                                                                     "other")]},
            {"type": "speaker-program", "compensation": 800}, {"type": "education", "compensation": 700})
    got = [(t.payment.kind, t.nature, t.form) for t in kol_transfers(p, VIEW, USD, 2026).transfers]
    assert got[0] == ("fee", "Consulting Fee", "Cash or cash equivalent")
    assert [n for _, n, _ in got[1:6]] == ["Travel and Lodging", "Travel and Lodging", "Food and Beverage",
                                           "Education", "Consulting Fee"]  # "other": the activity's nature
    assert {f for _, _, f in got[1:6]} == {"In-kind items and services"}
    assert got[6][1].startswith("Compensation for services other than consulting")
    assert got[7][1] == "Compensation for serving as faculty or as a speaker for a medical education program"


def test_research_payments_and_an_override() -> None:
    p = kol("US", {"type": "clinical-trial", "compensation": 1000})
    [t] = kol_transfers(p, VIEW, USD, 2026).transfers
    assert t.research and t.nature is None and t.reportable
    config = Config.model_validate_json('{"schema": "kolplan/v1", "organization": "X", "departments": {}, '
                                        '"people": {}, "disclosure": {"nature_of_payment": '
                                        '{"clinical-trial": "Consulting Fee"}}}')
    [t] = kol_transfers(p, VIEW, settings_of(config), 2026).transfers
    assert not t.research and t.nature == "Consulting Fee"


# -- EFPIA ------------------------------------------------------------------------------------------------
def test_efpia_categories() -> None:
    assert efpia_category("fee", True) == FEES
    assert [efpia_category(k, True) for k in ("travel", "lodging", "registration", "other")] == [RELATED_EXPENSES] * 4
    assert efpia_category("registration", False) == REGISTRATION_FEES
    assert [efpia_category(k, False) for k in ("travel", "lodging", "other")] == [TRAVEL_AND_ACCOMMODATION] * 3
    assert efpia_category("meals", True) is None and efpia_category("meals", False) is None


@pytest.mark.parametrize(("consent", "individual", "says"), [
    (True, True, "individual disclosure (consent recorded)"),
    (False, False, "aggregate disclosure (the KOL declined individual disclosure)"),
    (None, False, "aggregate disclosure (no consent recorded"),
])
def test_efpia_consent(consent: bool | None, individual: bool, says: str) -> None:
    [t] = kol_transfers(kol("FR", {"compensation": 900}, consent=consent), VIEW, USD, 2026).transfers
    assert t.regime == EFPIA and t.reportable and t.individual is individual and says in t.why


def test_regimes() -> None:
    assert [regime_of(c) for c in ("US", "DE", "GB", "CH", "NO", "JP", "TR", None)] == [
        OPEN_PAYMENTS, EFPIA, EFPIA, EFPIA, EFPIA, NEITHER, NEITHER, NEITHER]
    [t] = kol_transfers(kol("JP", {"compensation": 900}), VIEW, USD, 2026).transfers
    assert not t.reportable and t.why == "a KOL in JP: neither Open Payments (US) nor EFPIA (EEA, UK, CH)"


# -- Record_ID, settings, so far this year ------------------------------------------------------------------
def test_record_id_is_stable_and_distinct() -> None:
    a = record_id("jane-okafor", "A1", 0)
    assert a == record_id("jane-okafor", "A1", 0) and len(a) == 20 and a.startswith("KP")
    assert len({a, record_id("jane-okafor", "A1", 1), record_id("jane-okafor", "A2", 0),
                record_id("john-okafor", "A1", 0)}) == 4


def test_settings_from_config() -> None:
    config = Config.model_validate({
        "schema": "kolplan/v1", "organization": "X", "departments": {}, "people": {},
        "compliance": {"currency": "EUR"},
        "disclosure": {"usd_rate": 1.08, "open_payments_thresholds": {2027: [14.1, 141]}}})
    s = settings_of(config)
    assert s.currency == "EUR" and s.rate == Decimal("1.08")
    assert s.thresholds_for(2027) == (Decimal("14.1"), Decimal("141")) and s.thresholds_for(2026) is not None
    assert settings_of(Config.model_validate_json(
        '{"schema": "kolplan/v1", "organization": "X", "departments": {}, "people": {}}')).rate is None
    assert CONFIG  # the test config has neither block: no rate, built-in thresholds


def test_reportable_so_far_this_year() -> None:
    # as of 2026-03-02: A1 (03-01, 100) is paid, A2 (03-02, 10) too, A3 (03-03, 50) not yet.
    # Total so far 110 <= 138.13, so the 10 is left out: reportable so far = [100].
    p = kol("US", {"compensation": 100}, *meals(10), {"compensation": 50})
    got = reportable_so_far(p, VIEW, USD, dt.date(2026, 3, 2))
    assert [(t.payment.engagement.id, t.payment.amount) for t in got] == [("A1", 100)]
