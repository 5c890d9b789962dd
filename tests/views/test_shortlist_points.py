"""``kolplan shortlist``: each reason moves the ranking the way SPEC 14 says, by its weight;
ties are broken by id; the output is the same on every run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.views.shortlist_portfolio import activity, ids, plan, portfolio, reasons, shortlist


def texts(s: object, pid: str) -> list[str]:
    cand = next(c for c in s.listed if c.id == pid)  # type: ignore[attr-defined]
    return [r.text for r in cand.reasons]


# -- for ------------------------------------------------------------------------------------------
def test_topic_words_in_scientific_interests_3_each_case_accent_and_plural_insensitive(tmp_path: Path) -> None:
    # topic "MRD résiduelle biomarkers": words mrd, residuelle, biomarkers (stem biomarker)
    root = portfolio(tmp_path, {
        "a-none": plan("a-none", interests=["heart failure"]),
        "b-two": plan("b-two", interests=["Maladie RÉSIDUELLE minimale", "CAR-T"], tas=("haematology",)),
        "c-three": plan("c-three", interests=["mrd assays", "residuelle", "Biomarker discovery"]),
    })
    s = shortlist(root, topic="MRD résiduelle biomarkers")
    assert ids(s) == ["c-three", "b-two", "a-none"]
    assert reasons(s, "c-three") == {"topic-interest": 9}  # 3 words x 3
    assert reasons(s, "b-two") == {"topic-interest": 3}
    assert reasons(s, "a-none") == {}
    assert texts(s, "b-two") == ["Scientific interest 'Maladie RÉSIDUELLE minimale' matches the topic "
                                 "(word 'residuelle')."]
    assert texts(s, "c-three") == ["Scientific interests 'mrd assays', 'residuelle', 'Biomarker discovery' "
                                   "match the topic (words 'mrd', 'residuelle', 'biomarkers')."]


def test_stop_words_and_parts_of_words_do_not_match(tmp_path: Path) -> None:
    root = portfolio(tmp_path, {"x": plan("x", interests=["the role of immunotherapy in lymphoma"])})
    s = shortlist(root, topic="the therapy of myeloma")  # "therapy" is not "immunotherapy"; "the", "of" are stop words
    assert reasons(s, "x") == {}


def test_interests_are_stronger_than_therapeutic_areas(tmp_path: Path) -> None:
    # topic "haematology oncology": the area KOL matches 2 words (+1 each = 2), the interest KOL 1 word (+3)
    root = portfolio(tmp_path, {
        "area": plan("area", tas=("haematology", "oncology")),
        "interest": plan("interest", tas=("cardiology",), interests=["paediatric haematology"]),
    })
    s = shortlist(root, topic="haematology oncology")
    assert reasons(s, "area") == {"topic-area": 2}
    assert reasons(s, "interest") == {"topic-interest": 3}
    assert ids(s) == ["interest", "area"]
    assert texts(s, "area") == ["Therapeutic areas 'haematology', 'oncology' match the topic "
                                "(words 'haematology', 'oncology')."]


def test_the_engagement_in_objectives_or_desires_2_once(tmp_path: Path) -> None:
    root = portfolio(tmp_path, {
        "a-plain": plan("a-plain", desires=["early data access"]),
        "b-podium": plan("b-podium", desires=["a podium at ASH"], objectives=["give talks abroad"]),
    })
    s = shortlist(root, "speaker-program")
    assert ids(s) == ["b-podium", "a-plain"]
    assert reasons(s, "b-podium") == {"wants-engagement": 2}  # two phrases, counted once
    assert texts(s, "b-podium") == ["Wants what a speaker-program offers: professional objective 'give talks "
                                    "abroad' and desire 'a podium at ASH' (words 'talk', 'podium')."]
    # a board for an advisory board; research for a study
    root2 = portfolio(tmp_path / "2", {"x": plan("x", objectives=["sit on a guideline board"]),
                                       "y": plan("y", objectives=["lead research on MRD"])})
    assert reasons(shortlist(root2, "advisory-board"), "x") == {"wants-engagement": 2}
    assert reasons(shortlist(root2, "advisory-board"), "y") == {}
    assert reasons(shortlist(root2, "investigator-initiated-study"), "y") == {"wants-engagement": 2}


def test_a_recent_high_satisfaction_score_1(tmp_path: Path) -> None:
    root = portfolio(tmp_path, {
        "a-eight": plan("a-eight", satisfaction=[("2026-05-01", 8)]),
        "b-old-nine": plan("b-old-nine", satisfaction=[("2025-06-14", 9)]),  # 366 days before --as-of: too old
        "c-latest-low": plan("c-latest-low", satisfaction=[("2026-01-01", 10), ("2026-05-01", 6)]),
        "d-nine": plan("d-nine", satisfaction=[("2025-06-15", 9)]),  # 365 days: still recent
    })
    s = shortlist(root)
    assert ids(s) == ["d-nine", "a-eight", "b-old-nine", "c-latest-low"]
    assert reasons(s, "d-nine") == {"satisfied": 1}
    assert texts(s, "d-nine") == ["Latest satisfaction score 9/10 on 2025-06-15."]


# -- against --------------------------------------------------------------------------------------
def test_the_same_type_in_the_last_12_months_minus_2_each(tmp_path: Path) -> None:
    # engagement on 2026-07-01; 2025-07-01 is 365 days before (counted), 2025-06-30 is 366 (not)
    root = portfolio(tmp_path, {
        "a-two": plan("a-two", period=("2025-01-01", "2026-12-31"), activities=[
            activity("A1", "advisory-board", "2025-07-01", status="done"),
            activity("A2", "advisory-board", "2026-09-01")]),
        "b-one": plan("b-one", activities=[activity("A1", "advisory-board", "2026-03-01", status="done"),
                                          activity("A2", "advisory-board", "2026-04-01", status="cancelled"),
                                          activity("A3", "consulting", "2026-05-01", status="done")]),
        "c-old": plan("c-old", period=("2025-01-01", "2026-12-31"),
                      activities=[activity("A1", "advisory-board", "2025-06-30", status="done")]),
    })
    s = shortlist(root)
    assert ids(s) == ["c-old", "b-one", "a-two"]
    assert reasons(s, "a-two") == {"repeat": -4}
    assert reasons(s, "b-one") == {"repeat": -2}
    assert texts(s, "b-one") == ["Already has an advisory-board within 12 months of 2026-07-01: A1 on 2026-03-01 "
                                 "(done); the OIG warns against inviting the same HCPs again and again."]


def test_hours_already_asked_this_quarter_and_an_overload(tmp_path: Path) -> None:
    # national: 30 hours a calendar quarter. 2026-Q3 is Jul-Sep.
    root = portfolio(tmp_path, {
        "a-14": plan("a-14", activities=[activity("A1", "consulting", "2026-07-10", hours=14)]),  # 14 < 15: none
        "b-15": plan("b-15", activities=[activity("A1", "consulting", "2026-07-10", hours=10),
                                        activity("A2", "education", "2026-09-30", owner="r.patel", hours=5)]),
        "c-q2": plan("c-q2", activities=[activity("A1", "consulting", "2026-06-30", hours=29)]),  # another quarter
    })
    s = shortlist(root, hours=4)
    assert reasons(s, "a-14") == {} and reasons(s, "c-q2") == {}
    assert reasons(s, "b-15") == {"load": -1}
    assert texts(s, "b-15") == ["Already asked for 15 of the 30 hours a national KOL may give in 2026-Q3 "
                                "(Field Medical 10, Medical Affairs 5)."]
    assert ids(s) == ["a-14", "c-q2", "b-15"]
    # 14 + 17 = 31 > 30: KP206 would warn; 15 + 15 = 30 is the limit itself, allowed
    s = shortlist(root, hours=17)
    assert reasons(s, "b-15") == {"load": -1, "overload": -3}
    assert reasons(s, "a-14") == {"overload": -3}
    assert "(KP206)" in texts(s, "a-14")[0]
    assert reasons(shortlist(root, hours=15), "b-15") == {"load": -1}


def test_a_collision_with_another_department_minus_2(tmp_path: Path) -> None:
    # --by medical-affairs on 2026-07-01, window 14 days
    root = portfolio(tmp_path, {
        "a-other": plan("a-other", activities=[activity("A1", "consulting", "2026-07-15", owner="c.jones")]),
        "b-same": plan("b-same", activities=[activity("A1", "consulting", "2026-07-02", owner="r.patel")]),
        "c-far": plan("c-far", activities=[activity("A1", "consulting", "2026-07-16", owner="c.jones")]),
        "d-done": plan("d-done", activities=[activity("A1", "consulting", "2026-06-14", owner="c.jones",
                                                      status="done")]),
        "e-two": plan("e-two", activities=[activity("A1", "consulting", "2026-06-25", owner="a.chen"),
                                          activity("A2", "grant", "2026-07-01", owner="m.diaz")]),
    })
    s = shortlist(root, by="medical-affairs")
    assert reasons(s, "a-other") == {"collision": -2}  # 14 days: within the window
    assert reasons(s, "b-same") == {} and reasons(s, "c-far") == {} and reasons(s, "d-done") == {}
    assert reasons(s, "e-two") == {"collision": -4}
    assert ids(s) == ["b-same", "c-far", "d-done", "a-other", "e-two"]
    assert texts(s, "a-other") == ["Collides with A1 (consulting), which Commercial (Carl Jones) plans on "
                                   "2026-07-15, 14 days from 2026-07-01 (KP306: within 14 days); combine them or "
                                   "space them out."]
    # a done activity takes no slot to coordinate (KP306 pairs planned ones): 6 days before 2026-06-20
    assert reasons(shortlist(root, by="medical-affairs", date=dt.date(2026, 6, 20)), "d-done") == {}
    # without --by the department is unknown: no collision is counted
    assert reasons(shortlist(root), "a-other") == {}


def test_less_than_a_fifth_of_the_cap_left_minus_2(tmp_path: Path) -> None:
    # cap 25,000; 80% is 20,000 (KP405 counts from there)
    paid = {"a-19k": 19000.0, "b-18k": 18000.0, "c-21k": 21000.0}
    root = portfolio(tmp_path, {pid: plan(pid, tier="global", activities=[
        activity("A1", "consulting", "2026-02-01", status="done", hours=40, compensation=pay)])
        for pid, pay in paid.items()})
    s = shortlist(root, hours=2, compensation=1000)
    assert reasons(s, "a-19k") == {"cap-near": -2}  # 20,000 with the fee: exactly 80%
    assert reasons(s, "b-18k") == {}
    assert reasons(s, "c-21k") == {"cap-near": -2}
    assert ids(s) == ["b-18k", "a-19k", "c-21k"]
    assert texts(s, "a-19k") == ["With this fee of 1,000 USD, compensation in 2026 comes to 20,000 USD, 80% of "
                                 "the annual cap of 25,000 USD, leaving 5,000 USD (KP405)."]
    # without a fee: a-19k stays at 76%
    assert reasons(shortlist(root, hours=2), "a-19k") == {}


def test_an_overdue_check_in_minus_1(tmp_path: Path) -> None:
    # monthly: 37 days allowed; --as-of 2026-06-15
    root = portfolio(tmp_path, {
        "a-late": plan("a-late", cadence="monthly", interactions=["2026-05-08"]),  # 38 days
        "b-ok": plan("b-ok", cadence="monthly", interactions=["2026-05-09"]),  # 37 days
    })
    s = shortlist(root)
    assert reasons(s, "a-late") == {"check-in-overdue": -1}
    assert reasons(s, "b-ok") == {}
    assert ids(s) == ["b-ok", "a-late"]
    assert texts(s, "a-late") == ["Check-in overdue: 38 days without contact (last contact 2026-05-08), more than "
                                  "the monthly cadence allows (37 days) (KP201)."]


# -- order ----------------------------------------------------------------------------------------
def test_ties_are_broken_by_id_and_size_cuts_the_list(tmp_path: Path) -> None:
    root = portfolio(tmp_path, {pid: plan(pid) for pid in ("zeta", "alpha", "mid", "beta")})
    s = shortlist(root)
    assert ids(s) == ["alpha", "beta", "mid", "zeta"]
    s = shortlist(root, size=2)
    assert ids(s) == ["alpha", "beta"] and s.more == 2


def test_points_add_up_across_reasons(tmp_path: Path) -> None:
    # +3 (interest mrd) +1 (area oncology) +2 (board) +1 (score 10) -2 (a board in March) = 5
    root = portfolio(tmp_path, {"x": plan("x", interests=["MRD"], desires=["an advisory board seat"],
                                          satisfaction=[("2026-06-01", 10)],
                                          activities=[activity("A1", "advisory-board", "2026-03-01",
                                                               status="done")])})
    s = shortlist(root, topic="MRD oncology")
    assert reasons(s, "x") == {"topic-interest": 3, "topic-area": 1, "wants-engagement": 2, "satisfied": 1,
                               "repeat": -2}
    assert s.listed[0].points == 5


def test_the_same_portfolio_and_request_give_the_same_output(tmp_path: Path) -> None:
    root = portfolio(tmp_path, {pid: plan(pid, interests=["MRD"] if pid < "m" else [])
                                for pid in ("e", "a", "q", "c", "z")})
    first = shortlist(root, by="medical-affairs", hours=2).to_json()
    for _ in range(3):
        assert shortlist(root, by="medical-affairs", hours=2).to_json() == first
    assert [c["id"] for c in first["shortlist"]] == ["a", "c", "e", "q", "z"]
