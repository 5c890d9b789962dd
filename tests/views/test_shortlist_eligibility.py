"""``kolplan shortlist``: each eligibility rule excludes exactly the KOL it should (SPEC 14),
with the code and the message ``validate`` would report."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run
from tests.views.shortlist_portfolio import (
    SHORTLIST_CONFIG,
    activity,
    excluded,
    ids,
    plan,
    portfolio,
    shortlist,
)


def test_kp205_an_ended_plan_period_excludes_that_kol_only(tmp_path: Path) -> None:
    # ended on 2026-06-14, the day before --as-of: expired; ending on --as-of itself is not (KP205)
    root = portfolio(tmp_path, {"ended": plan("ended", period=("2026-01-01", "2026-06-14")),
                                "today": plan("today", period=("2026-01-01", "2026-06-15")),
                                "open": plan("open")})
    s = shortlist(root)
    assert excluded(s) == {"ended": ["KP205"]}
    assert ids(s) == ["open", "today"]
    (e,) = s.ineligible[0].exclusions
    assert e.rule == "plan-expired" and "the plan period ended on 2026-06-14" in e.message


def test_kp301_two_leads_or_none_excludes_that_kol(tmp_path: Path) -> None:
    root = portfolio(tmp_path, {"two": plan("two", leads=("a.chen", "r.patel")), "none": plan("none", leads=()),
                                "one": plan("one")})
    s = shortlist(root)
    assert excluded(s) == {"none": ["KP301"], "two": ["KP301"]}
    assert ids(s) == ["one"]


def test_kp302_the_same_kol_in_two_files_excludes_both(tmp_path: Path) -> None:
    root = portfolio(tmp_path, {"a": plan("a", crm_id="V-1"), "b": plan("b", crm_id="V-1"),
                                "c": plan("c", crm_id="V-2")})
    s = shortlist(root)
    assert excluded(s) == {"a": ["KP302"], "b": ["KP302"]}
    assert "duplicate-kol" in {e.rule for c in s.ineligible for e in c.exclusions}
    assert ids(s) == ["c"]


def test_kp401_the_fee_above_the_tier_rate_excludes_the_lower_tiers(tmp_path: Path) -> None:
    # 1,000 USD for 2 hours is 500 an hour: above national (450), within global (600)
    root = portfolio(tmp_path, {"glob": plan("glob", tier="global"), "nat": plan("nat", tier="national")})
    s = shortlist(root, hours=2, compensation=1000)
    assert excluded(s) == {"nat": ["KP401"]}
    msg = s.ineligible[0].exclusions[0].message
    assert msg.startswith("activity (proposed) pays 1,000 USD for 2 hours (500 USD/hour), above the "
                          "fair-market-value rate of 450 USD/hour for a national KOL")
    assert ids(s) == ["glob"]
    # exactly at the rate: 900 for 2 hours is 450 an hour, allowed
    assert excluded(shortlist(root, hours=2, compensation=900)) == {}


def test_kp401_a_fee_without_hours_excludes_everyone_and_says_why(tmp_path: Path) -> None:
    root = portfolio(tmp_path, {"glob": plan("glob", tier="global")})
    s = shortlist(root, compensation=100)
    assert excluded(s) == {"glob": ["KP401"]}
    assert any("--hours" in n for n in s.notes)


def test_kp401_an_existing_error_on_another_activity_does_not_exclude(tmp_path: Path) -> None:
    over = activity("A1", "consulting", "2026-03-01", hours=1, compensation=5000)  # 5,000 an hour: KP401 already
    root = portfolio(tmp_path, {"x": plan("x", activities=[over])})
    assert excluded(shortlist(root, hours=2, compensation=800)) == {}


def test_kp402_the_fee_over_the_year_cap_excludes_that_kol(tmp_path: Path) -> None:
    # 24,000 planned and done in 2026; + 1,500 = 25,500 > 25,000. The other KOL has 23,500: + 1,500 = 25,000,
    # exactly the cap, allowed (KP402: above the cap).
    near = [activity("A1", "consulting", "2026-03-01", hours=60, compensation=24000, status="done")]
    at_cap = [activity("A1", "consulting", "2026-03-01", hours=60, compensation=23500, status="done")]
    root = portfolio(tmp_path, {"over": plan("over", activities=near), "at": plan("at", activities=at_cap),
                                "free": plan("free")})
    s = shortlist(root, hours=4, compensation=1500)
    assert excluded(s) == {"over": ["KP402"]}
    msg = s.ineligible[0].exclusions[0].message
    assert msg.startswith("compensation in 2026 totals 25,500 USD (planned and done), above the annual cap of "
                          "25,000 USD")
    # "at" is eligible but at 100% of the cap with the fee: KP405's -2 puts it after "free" (0)
    assert ids(s) == ["free", "at"]


def test_kp402_only_the_engagement_year_and_only_a_paid_engagement(tmp_path: Path) -> None:
    # 26,000 in 2025 (over the cap then); the engagement is in 2026: no KP402 for it
    old = [activity("A1", "consulting", "2025-06-01", hours=60, compensation=26000, status="done")]
    root = portfolio(tmp_path, {"old": plan("old", period=("2025-01-01", "2026-12-31"), activities=old)})
    assert excluded(shortlist(root, hours=4, compensation=1500)) == {}
    # over the cap in 2026 already, but the engagement pays nothing: it adds no transfer of value
    over = [activity("A1", "consulting", "2026-03-01", hours=60, compensation=26000, status="done")]
    root2 = portfolio(tmp_path / "2", {"over": plan("over", activities=over)})
    assert excluded(shortlist(root2, hours=4)) == {}
    assert excluded(shortlist(root2, hours=4, compensation=10)) == {"over": ["KP402"]}


def test_kp403_the_firewall_for_the_by_department(tmp_path: Path) -> None:
    root = portfolio(tmp_path, {"x": plan("x"), "y": plan("y")})
    # an advisory board is medical-only: commercial may not run it, for anyone
    s = shortlist(root, by="commercial")
    assert excluded(s) == {"x": ["KP403"], "y": ["KP403"]}
    assert s.ineligible[0].exclusions[0].message == (
        "activity (proposed) is a advisory-board, which only medical departments may run, but its owner (--by) is "
        "in commercial (commercial); hand it to someone in a medical department")
    assert excluded(shortlist(root, by="medical-affairs")) == {}
    assert excluded(shortlist(root, by="market-access")) == {}  # `other` departments are exempt
    assert excluded(shortlist(root, "speaker-program", by="field-medical")) == {"x": ["KP403"], "y": ["KP403"]}
    assert excluded(shortlist(root, "speaker-program", by="commercial")) == {}
    # without --by there is no owner to judge: not checked, and the record says so
    s = shortlist(root, "speaker-program")
    assert excluded(s) == {} and any("KP403" in n for n in s.notes)


def test_filters_tier_ta_country(tmp_path: Path) -> None:
    root = portfolio(tmp_path, {
        "onc-us": plan("onc-us", tier="global", tas=("Oncology",), country="US"),
        "hem-gb": plan("hem-gb", tier="national", tas=("haematology", "oncology"), country="GB"),
        "card-de": plan("card-de", tier="regional", tas=("cardiology",), country="DE"),
        "nowhere": plan("nowhere", tier="local", tas=(), country=None),
    })
    assert excluded(shortlist(root, tiers=("global", "national"))) == {"card-de": ["--tier"], "nowhere": ["--tier"]}
    s = shortlist(root, tas=("oncology",))  # case-insensitive, whole area
    assert excluded(s) == {"card-de": ["--ta"], "nowhere": ["--ta"]}
    assert ids(s) == ["hem-gb", "onc-us"]
    s = shortlist(root, countries=("GB", "DE"))
    assert excluded(s) == {"nowhere": ["--country"], "onc-us": ["--country"]}
    assert next(c for c in s.ineligible if c.id == "nowhere").exclusions[0].message == (
        "no country recorded, not among --country GB, DE")
    # every reason is listed: filtered out and over the fair-market-value rate
    s = shortlist(root, tiers=("global",), hours=1, compensation=500)
    assert excluded(s)["card-de"] == ["--tier", "KP401"]


def test_a_rule_switched_off_in_kolplan_yaml_does_not_exclude(tmp_path: Path) -> None:
    config = SHORTLIST_CONFIG.replace("people:", "rules:\n  ignore: [plan-expired]\npeople:", 1)
    root = portfolio(tmp_path, {"ended": plan("ended", period=("2026-01-01", "2026-03-31"))}, config=config)
    s = shortlist(root)
    assert excluded(s) == {}
    assert any(n.startswith("KP205 is switched off") for n in s.notes)


def test_without_compliance_nothing_of_kp4xx_excludes_and_the_record_says_so(tmp_path: Path) -> None:
    from tests.helpers import CONFIG

    root = portfolio(tmp_path, {"x": plan("x")}, config=CONFIG)
    s = shortlist(root, hours=1, compensation=99999, by="commercial")
    assert excluded(s) == {}
    assert any("annual_cap" in n for n in s.notes) and any("fmv_hourly_rate" in n for n in s.notes)


def test_the_plans_are_not_changed(tmp_path: Path) -> None:
    from tests.helpers import snapshot

    root = portfolio(tmp_path, {"x": plan("x"), "y": plan("y", tier="local")})
    before = snapshot(root)
    res = run("shortlist", "--for", "advisory-board", "--topic", "MRD", "--by", "commercial", "--hours", "2",
              "--compensation", "900", "--repo", str(root), "--as-of", "2026-06-15")
    assert res.code == 0, res.err
    assert snapshot(root) == before


def test_the_by_owner_lives_only_in_a_copy_of_the_config(tmp_path: Path) -> None:
    """The firewall needs a person: (--by) is added to a copy of kolplan.yaml's people, whose
    view is computed afresh; the repository's own config and view stay as they were."""
    from kolplan.repo.root import open_repo
    from kolplan.views.shortlist.build import build
    from kolplan.views.shortlist.request import BY_HANDLE, Request
    from tests.views.shortlist_portfolio import AS_OF, DATE

    root = portfolio(tmp_path, {"x": plan("x")})
    repo = open_repo(root)
    view = repo.config.view
    copy = repo.config.with_person(BY_HANDLE, "commercial", "someone")
    assert copy.view.function_of(BY_HANDLE) == "commercial" and copy.view is not view
    assert BY_HANDLE not in repo.config.people and repo.config.view is view
    s = build(repo, Request("advisory-board", "MRD", DATE, AS_OF, by="commercial"))
    assert excluded(s) == {"x": ["KP403"]}
    assert BY_HANDLE not in repo.config.people and BY_HANDLE not in repo.config.view.people
