"""The quarterly figures (kolplan.views.report) against hand-counted portfolios (see tests/portfolio.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from kolplan.diagnostics import Diagnostic, Severity
from kolplan.lint.check import parse_plan
from kolplan.schema import Config, Plan
from kolplan.views.figures import plan_figures
from kolplan.views.fiscal import Quarter, parse_quarter, quarter_of
from kolplan.views.kol import KolFacts, kol_facts
from kolplan.views.report import Report, build_report
from kolplan.yamlio.reader import read_bytes
from tests.portfolio import ANA, CONFIG_WITH_CAPS, JANE, LI_WEI, TOM

AS_OF = dt.date(2026, 6, 15)


def config(text: str = CONFIG_WITH_CAPS) -> Config:
    doc = read_bytes(text.encode())
    assert not isinstance(doc, tuple)
    return Config.model_validate(doc.data)  # type: ignore[union-attr]


def plan(text: str, rel: str = "plans/x.yaml") -> Plan:
    parsed, diags = parse_plan(rel, text.encode())
    assert parsed is not None, diags
    return parsed.model


def diag(path: str, code: str, rule: str = "rule", severity: Severity = Severity.WARNING) -> Diagnostic:
    return Diagnostic(path, 1, 1, severity, code, rule, "message")


PLANS = {
    "plans/jane-okafor.yaml": JANE,
    "plans/cardiology/tom-baker.yaml": TOM,
    "plans/ana-silva.yaml": ANA,
    "plans/li-wei.yaml": LI_WEI,
}
DIAGS = [
    diag("plans/ana-silva.yaml", "KP201", "check-in-overdue"),
    diag("plans/cardiology/tom-baker.yaml", "KP202", "activity-overdue"),
    diag("plans/broken.yaml", "KP010", "schema", Severity.ERROR),
]


def report_of(cfg: Config, plans: dict[str, Plan], diags: list[Diagnostic], q: Quarter, **kw: object) -> Report:
    """The report as ``kolplan report`` builds it: each plan's figures first (in its workers), then the sum."""
    figures = {path: plan_figures(cfg, q, AS_OF, path, p) for path, p in plans.items()}

    def detail(path: str) -> KolFacts | None:  # what `kolplan report` reads again for a section
        return kol_facts(cfg, path, plans[path], q, AS_OF)

    return build_report(cfg, figures, diags, q, AS_OF, detail, **kw)  # type: ignore[arg-type]


def fixture_report(quarter: str = "2026-Q2", cfg: Config | None = None, **kw: object) -> Report:
    cfg = cfg or config()
    plans = {p: plan(t, p) for p, t in PLANS.items()}
    return report_of(cfg, plans, DIAGS, parse_quarter(quarter, cfg.fiscal_year_start), **kw)


# -- at a glance ----------------------------------------------------------------------------------
def test_outcomes_match_the_hand_count() -> None:
    o = fixture_report().outcomes
    # objectives now: jane O1 on-track, tom O1 at-risk, tom O2 achieved, ana O1 not-started, li O1 on-track
    assert o.objectives == 5
    assert dict(o.objective_status) == {"not-started": 1, "on-track": 2, "at-risk": 1, "achieved": 1,
                                        "missed": 0, "dropped": 0}
    # due in 2026-Q2: tom O2 (05-31, achieved) and tom O1 (06-30, at-risk: open, not yet past due on 06-15)
    assert (o.due, o.due_achieved, o.due_missed, o.due_open, o.due_past, o.at_risk) == (2, 1, 0, 1, 0, 1)
    a = o.activities
    # dated in Q2: jane A1 done 04-15; tom A1 done 05-10, A2 check-in done 04-20, A3 planned 05-30
    # (date passed); tom A4 cancelled 06-01 (not counted) -> 4 scheduled, 3 done, 1 open and overdue
    assert (a.scheduled, a.done, a.open, a.overdue, a.cancelled) == (4, 3, 1, 1, 1)
    assert (a.linkable, a.linked) == (3, 2)  # A2 is a check-in; A3 links no objective
    assert a.completion == pytest.approx(0.75)
    # vs 2026-Q1: no objective was due then (0 achieved); one activity done (li A1, 03-15)
    assert (o.achieved.now, o.achieved.before, o.achieved.delta) == (1, 0, 1)
    assert (o.done.now, o.done.before, o.done.delta) == (3, 1, 2)


def test_satisfaction_over_fewer_than_five_kols_gives_no_change() -> None:
    s = fixture_report().satisfaction
    # Q2: tom's latest is 8 (06-10; 6 on 05-15 does not count), ana 3 -> 2 KOLs, mean 5.5,
    # 0 promoters, 1 passive, 1 detractor: NPS -50. Q1: jane 9, tom 10, li 9 -> NPS +100.
    now, before = s.now, s.before
    assert (now.measured, now.mean, now.nps, now.promoters, now.passives, now.detractors) == (2, 5.5, -50, 0, 1, 1)
    assert (before.measured, before.nps) == (3, 100) and before.mean == pytest.approx(28 / 3)
    assert now.few and before.few
    assert (s.mean_change, s.nps_change) == (None, None)  # not "-150": too few KOLs for a trend
    assert (s.feedback_received, s.feedback_acted_on, s.feedback_open) == (2, 1, 1)


def test_satisfaction_change_needs_five_kols_in_both_quarters() -> None:
    cfg = config()
    # five copies of tom (Q1: 10 each; Q2: 8 each) -> mean 10 then 8, NPS +100 then 0
    plans = {f"plans/t{i}.yaml": plan(TOM.replace("id: tom-baker", f"id: t{i}"), f"plans/t{i}.yaml")
             for i in range(5)}
    s = report_of(cfg, plans, [], Quarter(2026, 2)).satisfaction
    assert (s.now.measured, s.before.measured, s.now.few) == (5, 5, False)
    assert (s.mean_change, s.nps_change) == (-2.0, -100)


def test_coordination_counts_kols_engaged_by_three_departments() -> None:
    r = fixture_report()
    c = r.coordination
    # Q2: jane by medical-affairs (A1) and field-medical (contact 06-01); tom by commercial (A1, contact)
    # and medical-affairs (A2, A3, contact); ana and li not at all -> nobody reaches three
    assert (c.many_departments.now, c.many_departments.before) == (0, 0)
    assert c.outside_plan == 1  # tom A5, owned by m.diaz
    assert (c.ownership, c.ownership_kols) == ([], 0)
    # moving tom's A5 (m.diaz, market-access) into June makes three departments for tom
    cfg = config()
    plans = {p: plan(t, p) for p, t in PLANS.items()}
    plans["plans/cardiology/tom-baker.yaml"] = plan(TOM.replace("date: 2026-07-15", "date: 2026-06-20"))
    c = report_of(cfg, plans, DIAGS, parse_quarter("2026-Q2")).coordination
    assert (c.many_departments.now, c.many_departments.delta, c.many_names) == (1, 1, ["Tom Baker"])


def test_compliance_glance() -> None:
    cp = fixture_report().compliance
    c = cp.compensation
    # Q2: jane A1 1600 and tom A1 600 (tom A4's 5000 is cancelled); Q1: li A1 1600 (03-15)
    assert (c.quarter_total, c.quarter_kols, c.previous_total, c.year, c.cap) == (2200, 2, 1600, 2026, 25000)
    assert c.highest is not None and (c.highest.id, c.highest.total) == ("jane-okafor", 1600)
    assert (c.over_cap, c.near_cap, cp.findings, cp.kols_with_findings) == ([], [], [], 0)
    assert cp.errors == 1  # broken.yaml's KP010: skipped, but still an error in plans


# -- needs action ------------------------------------------------------------------------------------
def test_needs_action_is_ranked_by_what_is_wrong_then_tier() -> None:
    r = fixture_report()
    # tom: KP202 (an overdue item: rank 1) and objective O1 at risk; ana: KP201 only (rank 3)
    assert [(n.id, n.rank, n.reason) for n in r.needs_action] == [
        ("tom-baker", 1, "overdue items"), ("ana-silva", 3, "check-in overdue")]
    tom, ana = r.needs_action
    assert tom.actions == ["hold or reschedule the activities whose date has passed",
                           "agree how to rescue objective O1 (Launch the regional HF registry) or re-plan it"]
    assert tom.lead is not None and (tom.lead.name, tom.lead.department_name) == ("Raj Patel", "Medical Affairs")
    assert ana.actions == ["get in touch with the KOL (no contact logged yet)"]
    assert r.needs_action_more == 0


def test_needs_action_puts_errors_first_and_global_before_local() -> None:
    cfg = config()
    plans = {p: plan(t, p) for p, t in PLANS.items()}
    diags = [*DIAGS, diag("plans/li-wei.yaml", "KP201", "check-in-overdue"),
             diag("plans/jane-okafor.yaml", "KP401", "fmv-exceeded", Severity.ERROR)]
    rows = report_of(cfg, plans, diags, parse_quarter("2026-Q2")).needs_action
    # jane: an error (rank 0); tom: overdue (1); ana (global) and li (local): check-ins (3), global first
    assert [n.id for n in rows] == ["jane-okafor", "tom-baker", "ana-silva", "li-wei"]
    assert rows[0].actions == ["bring the fee within fair-market value and record the hours"]
    # li's last contact: the interaction of 2026-03-20, 87 days before 06-15
    assert rows[3].actions == ["get in touch with the KOL (last contact 2026-03-20, 87 days ago)"]


def test_needs_action_shows_fifteen_and_counts_the_rest() -> None:
    cfg = config()
    plans = {f"plans/t{i:02}.yaml": plan(TOM.replace("id: tom-baker", f"id: t{i:02}"), f"plans/t{i:02}.yaml")
             for i in range(20)}
    r = report_of(cfg, plans, [], Quarter(2026, 2))  # every copy has objective O1 at risk
    assert (len(r.needs_action), r.needs_action_more) == (15, 5)
    # the 5 left out lead the appendix, with what to do
    assert [row.id for row in r.appendix] == [f"t{i:02}" for i in range(15, 20)]
    assert r.appendix[0].action.startswith("agree how to rescue objective O1")
    # sections: the 15 in "Needs action" (no global-tier KOL besides)
    assert len(r.sections) == 15


def test_sections_for_needs_action_and_global_kols_and_the_appendix_for_the_rest() -> None:
    r = fixture_report()
    assert [s.id for s in r.sections] == ["tom-baker", "ana-silva"]
    tom = r.sections[0]
    assert tom.reasons == ["hold or reschedule the activities whose date has passed",
                           "agree how to rescue objective O1 (Launch the regional HF registry) or re-plan it"]
    # eleven dated entries in Q2 up to 06-15 (feedback 04-02, A2 and a contact 04-20, A1 05-10, a score
    # 05-15, feedback 05-20, A3 05-30, O2 due 05-31, A4 06-01, a contact 06-05, a score 06-10): the
    # latest 8 are shown, the first three counted
    assert (len(tom.changes), tom.happened_more) == (8, 3)
    assert tom.changes[0].date == dt.date(2026, 5, 10)
    # contacts are named by name, not handle
    assert [c.what for c in tom.changes if "contact" in c.what] == ["phone contact by Carl Jones"]
    # jane was active in Q2 (A1, contact 06-01); li was not (everything of li's is in Q1)
    assert [row.id for row in r.appendix] == ["jane-okafor"]
    assert r.appendix_more == 0


# -- trends ---------------------------------------------------------------------------------------------
def test_trends_over_four_quarters_from_dated_entries() -> None:
    t = fixture_report().trends
    assert [(row.label, row.to_date) for row in t.rows] == [
        ("2025-Q3", False), ("2025-Q4", False), ("2026-Q1", False), ("2026-Q2", True)]
    q1, q2 = t.rows[2], t.rows[3]
    # Q1: scores jane 9, tom 10, li 9; li A1 done 03-15; feedback jane and li 03-02, both answered
    assert (q1.satisfaction.measured, q1.satisfaction.nps, q1.achieved, q1.missed, q1.done, q1.feedback,
            q1.acted_on) == (3, 100, 0, 0, 1, 2, 2)
    # Q2 up to 06-15: tom 8, ana 3; tom O2 achieved (due 05-31); jane A1, tom A1, tom A2 done;
    # tom's feedback 04-02 (answered) and 05-20 (not)
    assert (q2.satisfaction.measured, q2.satisfaction.mean, q2.achieved, q2.missed, q2.done, q2.feedback,
            q2.acted_on) == (2, 5.5, 1, 0, 3, 2, 1)
    assert all(row.satisfaction.measured == 0 and row.done == 0 for row in t.rows[:2])
    assert t.axis_max == 10  # whole-number ticks


def test_trends_leave_out_quarters_after_as_of() -> None:
    r = fixture_report("2026-Q4")  # as of 2026-06-15: Q3 and Q4 have not started
    assert [row.label for row in r.trends.rows] == ["2026-Q1", "2026-Q2"]
    assert r.trends.rows[-1].to_date


# -- breakdowns, impact, insights ---------------------------------------------------------------------
def test_breakdowns_by_department_area_and_tier() -> None:
    dept, area, tier = fixture_report().breakdowns

    def rows(b: object) -> list[tuple[object, ...]]:
        return [(r.name, r.kols, r.at_risk, r.done, r.measured, r.satisfaction, r.compensation)
                for r in b.rows]  # type: ignore[attr-defined]

    # by the lead's department: Field Medical leads jane (A1 done, 1600) and li (nothing in Q2);
    # Medical Affairs leads tom (O1 at risk, A1 and A2 done, 8, 600); Market Access leads ana (3)
    assert rows(dept) == [("Field Medical", 2, 0, 1, 0, None, 1600), ("Market Access", 1, 0, 0, 1, 3.0, 0),
                          ("Medical Affairs", 1, 1, 2, 1, 8.0, 600)]
    # by the first therapeutic area: jane and li oncology, tom cardiology, ana none
    assert rows(area) == [("oncology", 2, 0, 1, 0, None, 1600), ("cardiology", 1, 1, 2, 1, 8.0, 600),
                          ("no therapeutic area", 1, 0, 0, 1, 3.0, 0)]
    assert [(r.name, r.kols) for r in tier.rows] == [("global", 1), ("national", 1), ("regional", 1), ("local", 1)]
    assert sum(r.kols for r in dept.rows) == sum(r.kols for r in area.rows) == 4  # each KOL once


def test_breakdown_keeps_eight_rows() -> None:
    cfg = config()
    plans = {}
    for i in range(10):  # ten areas, area-0 with two KOLs
        text = JANE.replace("id: jane-okafor", f"id: k{i}").replace("[oncology, haematology]", f"[area-{i}]")
        plans[f"plans/k{i}.yaml"] = plan(text, f"plans/k{i}.yaml")
    plans["plans/k10.yaml"] = plan(JANE.replace("id: jane-okafor", "id: k10").replace(
        "[oncology, haematology]", "[area-0]"), "plans/k10.yaml")
    area = report_of(cfg, plans, [], Quarter(2026, 2)).breakdowns[1]
    assert [(r.name, r.kols) for r in area.rows] == [
        ("area-0", 2), ("area-1", 1), ("area-2", 1), ("area-3", 1), ("area-4", 1), ("area-5", 1), ("area-6", 1),
        ("other areas (3)", 3)]


def test_insights_by_therapeutic_area() -> None:
    r = fixture_report()
    # Q2 up to 06-15: jane's contact of 06-01 ("wants data on older patients"), logged by a.chen
    assert r.insights_total == 1
    [g] = r.insights
    assert (g.area, g.count, g.kols) == ("oncology", 1, 1)
    assert [(i.date, i.text, i.kol, i.by) for i in g.latest] == [
        (dt.date(2026, 6, 1), "wants data on older patients", "Jane Okafor", "Alice Chen")]


def test_insights_show_the_three_latest_per_area() -> None:
    cfg = config()
    extra = "\n".join(f"  - date: 2026-05-0{d}\n    by: r.patel\n    channel: phone\n    summary: Call {d}.\n"
                      f"    insights: [insight {d}]" for d in range(1, 5))
    text = JANE.replace("interactions:\n", "interactions:\n" + extra + "\n")
    r = report_of(cfg, {"plans/jane-okafor.yaml": plan(text)}, [], Quarter(2026, 2))
    [g] = r.insights
    # five insights (06-01 and 05-01..05-04); the three latest, newest first
    assert (g.count, [i.text for i in g.latest]) == (5, ["wants data on older patients", "insight 4", "insight 3"])


def test_no_impact_without_impact_keys() -> None:
    r = fixture_report()
    assert (r.impact, r.impact_unset) == ([], 5)


# -- the rest -------------------------------------------------------------------------------------------
def test_broken_plans_are_skipped_and_named() -> None:
    r = fixture_report()
    assert r.skipped == ["plans/broken.yaml"]
    assert [(c.code, c.severity, c.kols, c.findings) for c in r.diagnostic_rules] == [
        ("KP010", "error", 1, 1), ("KP201", "warning", 1, 1), ("KP202", "warning", 1, 1)]
    assert [(e.path, e.code, e.kol) for e in r.errors] == [("plans/broken.yaml", "KP010", "plans/broken.yaml")]
    assert r.errors[0].action == "fix the plan file, which misses a field or has a wrong value"
    assert r.diagnostic_counts == {"error": 1, "warning": 2, "info": 0}


def test_department_table_for_coordination() -> None:
    rows = {d.id: d for d in fixture_report().coordination.departments}
    ma, fm, co, mx = rows["medical-affairs"], rows["field-medical"], rows["commercial"], rows["market-access"]
    assert (ma.kols_led, ma.kols_contributing, ma.activities_scheduled, ma.activities_done) == (1, 2, 3, 2)
    assert (ma.interactions, ma.at_risk, ma.satisfaction_mean, ma.engaged) == (1, 1, 8.0, 2)
    assert (fm.kols_led, fm.kols_contributing, fm.activities_scheduled, fm.interactions, fm.engaged) == (2, 0, 0, 1, 1)
    assert (co.kols_led, co.kols_contributing, co.activities_done, co.interactions, co.engaged) == (0, 1, 1, 1, 1)
    assert (mx.kols_led, mx.outside_plan, mx.overdue_checkins, mx.satisfaction_mean, mx.engaged) == (1, 1, 1, 3.0, 0)


def test_ownership_conflicts_count_kols_once() -> None:
    cfg = config()
    plans = {p: plan(t, p) for p, t in PLANS.items()}
    diags = [diag("plans/jane-okafor.yaml", "KP302"), diag("plans/li-wei.yaml", "KP302"),
             diag("plans/li-wei.yaml", "KP303"), diag("plans/ana-silva.yaml", "KP305")]
    c = report_of(cfg, plans, diags, parse_quarter("2026-Q2")).coordination
    assert c.ownership_kols == 2
    assert [(x.code, x.kols, x.findings) for x in c.ownership] == [("KP302", 2, 2), ("KP303", 1, 1)]


def test_compensation_against_the_cap() -> None:
    cfg = config(CONFIG_WITH_CAPS.replace("annual_cap: 25000", "annual_cap: 2000"))
    c = fixture_report(cfg=cfg).compliance.compensation
    # jane 1600 (80% of 2000: near), tom 600 (cancelled 5000 not counted), li-wei 1600 in March
    assert [(r.id, r.total) for r in c.near_cap] == [("jane-okafor", 1600), ("li-wei", 1600)]
    assert c.over_cap == []
    cfg = config(CONFIG_WITH_CAPS.replace("annual_cap: 25000", "annual_cap: 1500"))
    c = fixture_report(cfg=cfg).compliance.compensation
    assert [r.id for r in c.over_cap] == ["jane-okafor", "li-wei"]
    assert [r.id for r in c.near_cap] == []


def test_department_filter_limits_the_kols() -> None:
    r = fixture_report(department="commercial")
    assert r.kols == 1 and [s.id for s in r.sections] == ["tom-baker"]
    assert r.department == ("commercial", "Commercial")
    assert [c.code for c in r.diagnostic_rules] == ["KP010", "KP202"]  # skipped plans are always named


def test_empty_portfolio() -> None:
    r = report_of(config(), {}, [], parse_quarter("2026-Q2"))
    assert (r.kols, r.outcomes.objectives, r.outcomes.activities.scheduled) == (0, 0, 0)
    assert r.outcomes.activities.completion is None and r.outcomes.activities.linked_share is None
    assert (r.satisfaction.now.measured, r.satisfaction.now.mean, r.satisfaction.now.nps) == (0, None, None)
    assert r.compliance.compensation.highest is None
    assert (r.sections, r.appendix, r.charts.by_type, r.diagnostic_rules, r.needs_action) == ([], [], [], [], [])
    assert r.coordination.departments == []  # no empty department table
    assert r.charts.next_quarter.empty


def test_fiscal_year_starting_in_april() -> None:
    cfg = config(CONFIG_WITH_CAPS.replace("fiscal_year_start: 1", "fiscal_year_start: 4"))
    q = quarter_of(AS_OF, 4)
    assert (q.label, q.start, q.end) == ("2027-Q1", dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    r = fixture_report("2027-Q1", cfg=cfg)
    calendar = fixture_report("2026-Q2")
    assert r.outcomes.activities == calendar.outcomes.activities  # the same three months
    assert r.previous.label == "2026-Q4" and r.satisfaction.before.measured == 3
    assert r.fiscal_year == 2027
    assert [row.label for row in r.trends.rows] == ["2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]


def test_charts() -> None:
    r = fixture_report()
    assert r.charts.by_type == [("advisory-board", 1), ("check-in", 1), ("education", 1), ("speaker-program", 1)]
    g = r.charts.next_quarter
    # planned in Q3: jane A2 (national, 09-01), tom A5 (regional, 07-15), li A2 (local, 09-01)
    assert (g.shown, g.hidden) == (3, 0)
    assert [s.name for s in g.sections] == ["national", "regional", "local"]
    assert g.frame is not None and (g.frame.start, g.frame.days) == (dt.date(2026, 7, 1), 92)
    assert (g.tick, g.axis_format) == ("1week", "%d %b")


# -- coordination, disclosure and impact (from kolplan.engagement) ---------------------------------------
COORDINATION = """\
coordination:
  window_days: 14
  max_hours_per_quarter: {global: 40, national: 30, regional: 1, local: 12, rising: 12}
"""


def test_collisions_and_load_in_this_quarter_and_the_next() -> None:
    cfg = config(CONFIG_WITH_CAPS + COORDINATION)
    plans = {p: plan(t, p) for p, t in PLANS.items()}
    # tom's planned A3 (education, r.patel, Medical Affairs) moved to 07-01: 14 days before his planned A5
    # (m.diaz, Market Access, 07-15): within the window of 14 days, so one collision, in 2026-Q3
    plans["plans/cardiology/tom-baker.yaml"] = plan(TOM.replace("date: 2026-05-30", "date: 2026-07-01"))
    c = report_of(cfg, plans, DIAGS, parse_quarter("2026-Q2")).coordination
    assert (c.window_days, c.collisions_now, c.collisions_next, c.collision_kols_next) == (14, 0, 1, 1)
    [row] = c.collisions
    assert (row.kol, row.tier, row.date, row.days, row.departments) == (
        "Tom Baker", "regional", dt.date(2026, 7, 15), 14, ("Medical Affairs", "Market Access"))
    # hours in Q2 (planned and done, with hours): jane A1 4 (Medical Affairs), tom A1 2 (Commercial);
    # li A1 (8) is in Q1. Tom, regional, may be asked for 1 hour: 2 is over. Nothing with hours in Q3.
    assert (c.load_configured, c.hours_now, c.hours_next) == (True, 6, 0)
    assert (c.over_now, c.over_now_count, c.over_next_count) == (["Tom Baker"], 1, 0)
    hours = {d.id: d.hours for d in c.departments}
    assert (hours["medical-affairs"], hours["commercial"], hours["field-medical"]) == (4, 2, 0)


def test_no_coordination_block_means_nothing_is_checked() -> None:
    c = fixture_report().coordination  # CONFIG_WITH_CAPS has no coordination:
    assert (c.window_days, c.collisions_next, c.load_configured, c.over_now_count) == (None, 0, False, 0)


def test_transfers_paid_so_far_this_year_by_disclosure_regime() -> None:
    cfg = config()
    plans = {p: plan(t, p) for p, t in PLANS.items()}
    cp = report_of(cfg, plans, DIAGS, parse_quarter("2026-Q2")).compliance
    # done and paid up to 06-15: jane A1 1600 (04-15), tom A1 600 (05-10), li A1 1600 (03-15); all in the US.
    # tom A4's 5000 is cancelled; planned activities transfer nothing yet.
    assert cp.transfers_year == 2026
    assert [(t.key, t.payments, t.total, t.kols) for t in cp.transfers] == [("us", 3, 3800, 3)]
    # each is above Open Payments' 13.82 USD single-payment threshold: all three are reportable
    assert [(t.reportable, t.reportable_total) for t in cp.transfers] == [(3, 3800)]
    # jane in Germany, with consent to individual disclosure, 420 of travel and a 20 dinner on A1: EFPIA,
    # which discloses the travel (related expenses) and not the meal (disclose leaves meals out)
    travel = ("      compensation: 1600\n      expenses:\n        - {kind: travel, amount: 420}\n"
              "        - {kind: meals, amount: 20}\n")
    consent = "  relationship_expectations: [early data access]\n  privacy: {tov_disclosure_consent: true}\n"
    german = (JANE.replace("country: US", "country: DE").replace("      compensation: 1600\n", travel)
              .replace("  relationship_expectations: [early data access]\n", consent))
    plans["plans/jane-okafor.yaml"] = plan(german)
    cp = report_of(cfg, plans, DIAGS, parse_quarter("2026-Q2")).compliance
    assert [(t.key, t.payments, t.total, t.kols, t.consented) for t in cp.transfers] == [
        ("us", 2, 2200, 2, 0), ("efpia", 3, 2040, 1, 1)]
    assert [(t.reportable, t.reportable_total) for t in cp.transfers] == [(2, 2200), (2, 2020)]


def test_outcomes_by_impact_level() -> None:
    cfg = config()
    plans = {p: plan(t, p) for p, t in PLANS.items()}
    # jane O1 (on-track) says knowledge; tom O1 (at-risk) practice, O2 (achieved) knowledge
    plans["plans/jane-okafor.yaml"] = plan(JANE.replace("      status: on-track\n",
                                                        "      status: on-track\n      impact: knowledge\n"))
    plans["plans/cardiology/tom-baker.yaml"] = plan(
        TOM.replace("      status: at-risk\n", "      status: at-risk\n      impact: practice\n")
        .replace("      status: achieved\n", "      status: achieved\n      impact: knowledge\n"))
    r = report_of(cfg, plans, DIAGS, parse_quarter("2026-Q2"))
    assert [(i.impact, i.objectives, i.achieved, i.missed, i.at_risk, i.open) for i in r.impact] == [
        ("knowledge", 2, 1, 0, 0, 1), ("practice", 1, 0, 0, 1, 0)]  # in the MAPS order, not by count
    assert r.impact_unset == 2  # ana O1, li O1
