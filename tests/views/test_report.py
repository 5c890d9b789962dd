"""The quarterly figures (kolplan.views.report) against hand-counted portfolios (see tests/portfolio.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from kolplan.diagnostics import Diagnostic, Severity
from kolplan.lint.check import parse_plan
from kolplan.schema import Config, Plan
from kolplan.views.figures import plan_figures
from kolplan.views.fiscal import Quarter, parse_quarter, quarter_of
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
    return build_report(cfg, figures, diags, q, AS_OF, **kw)  # type: ignore[arg-type]


def fixture_report(quarter: str = "2026-Q2", cfg: Config | None = None, **kw: object) -> Report:
    cfg = cfg or config()
    plans = {p: plan(t, p) for p, t in PLANS.items()}
    return report_of(cfg, plans, DIAGS, parse_quarter(quarter, cfg.fiscal_year_start), **kw)


def test_portfolio_kpis_match_the_hand_count() -> None:
    r = fixture_report()
    k = r.kpis
    assert k.kols == 4
    assert dict(k.tiers) == {"global": 1, "national": 1, "regional": 1, "local": 1, "rising": 0}
    assert dict(k.objective_status) == {"not-started": 1, "on-track": 2, "at-risk": 1, "achieved": 1,
                                        "missed": 0, "dropped": 0}
    assert k.objectives == 5
    assert (k.due_in_quarter, dict(k.due_status)) == (2, {"at-risk": 1, "achieved": 1})
    a = k.activities
    assert (a.scheduled, a.done, a.open, a.overdue, a.cancelled) == (4, 3, 1, 1, 1)
    assert (a.linkable, a.linked) == (3, 2)
    assert a.completion == pytest.approx(0.75)
    assert a.linked_share == pytest.approx(2 / 3)
    s = k.satisfaction
    assert (s.measured, s.mean, s.nps, s.promoters, s.passives, s.detractors) == (2, 5.5, -50, 0, 1, 1)
    p = k.satisfaction_previous
    assert (p.measured, p.nps, p.promoters) == (3, 100, 3)
    assert p.mean == pytest.approx(28 / 3)
    mean_change, nps_change = k.satisfaction_change
    assert mean_change == pytest.approx(5.5 - 28 / 3)
    assert nps_change == -150
    assert (k.feedback_received, k.feedback_acted_on, k.feedback_open) == (2, 1, 1)
    assert k.checkins_overdue == ["ana-silva"]
    assert k.outside_plan == 1  # tom A5, owned by m.diaz
    assert k.multi_department == 3
    assert (k.ownership, k.ownership_kols) == ([], 0)
    c = k.compensation
    assert (c.quarter_total, c.quarter_kols, c.year, c.cap) == (2200, 2, 2026, 25000)
    assert c.highest is not None and (c.highest.id, c.highest.total) == ("jane-okafor", 1600)
    assert (c.over_cap, c.near_cap) == ([], [])


def test_broken_plans_are_skipped_and_named() -> None:
    r = fixture_report()
    assert r.skipped == ["plans/broken.yaml"]
    assert [d.code for d in r.diagnostics] == ["KP201", "KP202", "KP010"]
    assert r.diagnostic_counts == {"error": 1, "warning": 2, "info": 0}


def test_department_breakdown() -> None:
    rows = {d.id: d for d in fixture_report().departments}
    ma, fm, co, mx = rows["medical-affairs"], rows["field-medical"], rows["commercial"], rows["market-access"]
    assert (ma.kols_led, ma.kols_contributing, ma.activities_scheduled, ma.activities_done) == (1, 2, 3, 2)
    assert (ma.interactions, ma.at_risk, ma.satisfaction_mean) == (1, 1, 8.0)
    assert (fm.kols_led, fm.kols_contributing, fm.activities_scheduled, fm.interactions) == (2, 0, 0, 1)
    assert (co.kols_led, co.kols_contributing, co.activities_scheduled, co.activities_done, co.interactions) == (
        0, 1, 1, 1, 1)
    assert (mx.kols_led, mx.outside_plan, mx.overdue_checkins, mx.satisfaction_mean) == (1, 1, 1, 3.0)


def test_sections_for_active_or_attention_and_rows_for_the_rest() -> None:
    r = fixture_report()
    assert [s.id for s in r.sections] == ["ana-silva", "tom-baker", "jane-okafor"]
    by_id = {s.id: s for s in r.sections}
    assert by_id["ana-silva"].reasons == ["check-in overdue", "active this quarter"]
    assert by_id["tom-baker"].reasons == ["activity overdue", "objective O1 at risk", "active this quarter"]
    assert by_id["jane-okafor"].reasons == ["active this quarter"]
    assert [o.id for o in r.others] == ["li-wei"]
    # what changed stops at as-of; what is next starts there
    tom = by_id["tom-baker"]
    assert all(c.date is not None and c.date <= AS_OF for c in tom.changes)
    assert [n.what for n in tom.next] == ["objective O1 due", "plan review", "scientific-exchange A5"]
    assert (tom.latest_score, tom.previous_score) == (8, 6)


def test_an_error_puts_a_kol_first() -> None:
    cfg = config()
    plans = {p: plan(t, p) for p, t in PLANS.items()}
    diags = [*DIAGS, diag("plans/li-wei.yaml", "KP401", "fmv-exceeded", Severity.ERROR)]
    r = report_of(cfg, plans, diags, parse_quarter("2026-Q2"))
    assert r.sections[0].id == "li-wei" and r.sections[0].reasons == ["1 error"]
    assert r.others == []
    assert [(c.code, c.kols, c.findings) for c in r.kpis.compliance] == [("KP401", 1, 1)]


def test_ownership_conflicts_count_kols_once() -> None:
    cfg = config()
    plans = {p: plan(t, p) for p, t in PLANS.items()}
    diags = [diag("plans/jane-okafor.yaml", "KP302"), diag("plans/li-wei.yaml", "KP302"),
             diag("plans/li-wei.yaml", "KP303"), diag("plans/ana-silva.yaml", "KP305")]
    k = report_of(cfg, plans, diags, parse_quarter("2026-Q2")).kpis
    assert k.ownership_kols == 2
    assert [(c.code, c.kols, c.findings) for c in k.ownership] == [("KP302", 2, 2), ("KP303", 1, 1)]


def test_compensation_against_the_cap() -> None:
    cfg = config(CONFIG_WITH_CAPS.replace("annual_cap: 25000", "annual_cap: 2000"))
    c = fixture_report(cfg=cfg).kpis.compensation
    # jane 1600 (80% of 2000: near), tom 600 (cancelled 5000 not counted), li-wei 1600 in March
    assert [(r.id, r.total) for r in c.near_cap] == [("jane-okafor", 1600), ("li-wei", 1600)]
    assert c.over_cap == []
    cfg = config(CONFIG_WITH_CAPS.replace("annual_cap: 25000", "annual_cap: 1500"))
    c = fixture_report(cfg=cfg).kpis.compensation
    assert [r.id for r in c.over_cap] == ["jane-okafor", "li-wei"]
    assert [r.id for r in c.near_cap] == []


def test_department_filter_limits_the_kols() -> None:
    r = fixture_report(department="commercial")
    assert r.kpis.kols == 1 and [s.id for s in r.sections] == ["tom-baker"]
    assert r.department == ("commercial", "Commercial")
    assert [d.code for d in r.diagnostics] == ["KP202", "KP010"]  # skipped plans are always named


def test_empty_portfolio() -> None:
    r = report_of(config(), {}, [], parse_quarter("2026-Q2"))
    k = r.kpis
    assert (k.kols, k.objectives, k.activities.scheduled, k.feedback_received) == (0, 0, 0, 0)
    assert k.activities.completion is None and k.activities.linked_share is None
    assert (k.satisfaction.measured, k.satisfaction.mean, k.satisfaction.nps) == (0, None, None)
    assert k.satisfaction_change == (None, None)
    assert k.compensation.highest is None
    assert (r.sections, r.others, r.charts.by_type, r.diagnostics) == ([], [], [], [])
    assert r.charts.next_quarter.empty


def test_a_quarter_with_no_activity() -> None:
    r = fixture_report("2025-Q2")
    k = r.kpis
    assert k.kols == 4
    assert (k.activities.scheduled, k.activities.cancelled, k.satisfaction.measured, k.feedback_received) == (
        0, 0, 0, 0)
    assert k.due_in_quarter == 0
    assert r.charts.by_type == []
    assert [b.scheduled for b in r.charts.per_month] == [0, 0, 0]
    # nobody was active then; only the KOLs needing attention now get a section
    assert [s.id for s in r.sections] == ["ana-silva", "tom-baker"]
    assert all("active this quarter" not in s.reasons for s in r.sections)


def test_fiscal_year_starting_in_april() -> None:
    cfg = config(CONFIG_WITH_CAPS.replace("fiscal_year_start: 1", "fiscal_year_start: 4"))
    q = quarter_of(AS_OF, 4)
    assert (q.label, q.start, q.end) == ("2027-Q1", dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    r = fixture_report("2027-Q1", cfg=cfg)
    calendar = fixture_report("2026-Q2")
    assert r.kpis.activities == calendar.kpis.activities  # the same three months
    assert r.previous.label == "2026-Q4" and r.kpis.satisfaction_previous.measured == 3
    assert r.fiscal_year == 2027
    assert [b.label for b in r.charts.per_month] == ["Apr 2026", "May 2026", "Jun 2026"]


def test_satisfaction_counts_each_kol_once_with_the_latest_score() -> None:
    cfg = config()
    tom = {"plans/tom-baker.yaml": plan(TOM)}
    s = report_of(cfg, tom, [], Quarter(2026, 2)).kpis.satisfaction
    assert (s.measured, s.mean, s.nps) == (1, 8.0, 0)  # 6 then 8: the 8 counts, a passive
    s = report_of(cfg, {**tom, "plans/ana-silva.yaml": plan(ANA)}, [], Quarter(2026, 1)).kpis.satisfaction
    assert (s.measured, s.mean, s.nps) == (1, 10.0, 100)


def test_charts() -> None:
    r = fixture_report()
    assert r.charts.by_type == [("advisory-board", 1), ("check-in", 1), ("education", 1), ("speaker-program", 1)]
    assert [(b.label, b.scheduled, b.done) for b in r.charts.per_month] == [
        ("Apr 2026", 2, 2), ("May 2026", 2, 1), ("Jun 2026", 0, 0)]
    g = r.charts.next_quarter
    assert g.shown == 5 and g.hidden == 0
    assert [s.name for s in g.sections] == ["Field Medical", "Market Access", "Objectives due"]
