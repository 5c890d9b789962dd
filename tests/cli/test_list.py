"""`kolplan list`: one row per KOL, filters, formats, skipped plans."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import AS_OF, VALID_PLAN, make_repo, run

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_AS_OF = "2026-11-20"
OWNERS = "owners:\n  - person: a.chen\n    role: lead\n  - person: r.patel\n    role: contributor\n"


def listing(root: Path, *args: str, as_of: str = AS_OF) -> dict[str, Any]:
    res = run("list", "--repo", str(root), "--as-of", as_of, "--format", "json", *args)
    assert res.code == 0, res.err
    doc: dict[str, Any] = res.json()
    return doc


def small_repo(tmp_path: Path) -> Path:
    """jane (national, field-medical lead, medical-affairs contributor), glob (global, commercial lead),
    loc (local, market-access lead, a commercial person owns an activity)."""
    glob_ = (VALID_PLAN.replace("id: jane-okafor", "id: glob").replace("  tier: national", "  tier: global")
             .replace('    crm_id: "V-248113"\n    npi: "1234567893"\n    orcid: 0000-0002-1825-0097\n'
                      "    email: j.okafor@example.org\n", '    crm_id: "V-2"\n')
             .replace("  name: Jane Okafor", "  name: Glen Obi")
             .replace(OWNERS, "owners:\n  - person: c.jones\n    role: lead\n  - person: a.chen\n    role: contributor"
                              "\n  - person: r.patel\n    role: contributor\n"))
    loc = (VALID_PLAN.replace("id: jane-okafor", "id: loc").replace("  tier: national", "  tier: local")
           .replace('    crm_id: "V-248113"\n    npi: "1234567893"\n    orcid: 0000-0002-1825-0097\n'
                    "    email: j.okafor@example.org\n", '    crm_id: "V-3"\n')
           .replace("  name: Jane Okafor", "  name: Lou Ode")
           .replace(OWNERS, "owners:\n  - person: m.diaz\n    role: lead\n  - person: a.chen\n    role: contributor"
                            "\n  - person: r.patel\n    role: contributor\n")
           .replace("      owner: r.patel", "      owner: c.jones"))
    return make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN, "glob.yaml": glob_, "area/loc.yaml": loc})


# -- the sample portfolio ----------------------------------------------------------------------
def test_sample_json_rows_match_the_plans_and_validate() -> None:
    from kolplan.repo.root import open_repo

    doc = listing(ROOT, as_of=SAMPLE_AS_OF)
    assert doc["version"] == 1 and doc["skipped"] == []
    from kolplan.schema import Plan
    from kolplan.views.loader import load_plans

    report = load_plans(open_repo(ROOT), dt.date(2026, 11, 20), lambda rel, plan: plan)
    plans: dict[str, Plan] = report.parts
    assert sorted(k["path"] for k in doc["kols"]) == sorted(plans)
    per_path = {p: Counter(d.severity.value for d in report.diagnostics if d.path == p) for p in plans}
    for k in doc["kols"]:
        plan = plans[k["path"]]
        assert k["id"] == plan.id and k["name"] == plan.kol.name and k["tier"] == plan.kol.tier
        assert k["lead"] == plan.leads()[0].person
        assert sum(k["objectives"].values()) == len(plan.plan.objectives)
        assert k["objectives"]["on-track"] == sum(o.status == "on-track" for o in plan.plan.objectives)
        assert k["last_contact"] == plan.last_contact().isoformat()  # type: ignore[union-attr]
        counts = per_path[k["path"]]
        assert k["diagnostics"] == {"error": counts["error"], "warning": counts["warning"], "info": counts["info"]}
        nxt = k["next_activity"]
        if nxt is not None and nxt["date"]:
            assert nxt["date"] >= SAMPLE_AS_OF
    assert any(sum(k["diagnostics"].values()) for k in doc["kols"])  # the sample shows a few warnings


def test_sample_table() -> None:
    res = run("list", "--repo", str(ROOT), "--as-of", SAMPLE_AS_OF)
    assert res.code == 0
    ids = sorted(p.stem for p in (ROOT / "plans").rglob("*.yaml"))
    for pid in ids:
        assert f" {pid} " in res.out
    header = res.out.splitlines()[0].split()
    assert header[:4] == ["KOL", "name", "tier", "lead"]
    assert res.out.rstrip().endswith(f"{len(ids)} KOLs")


def test_sample_csv_matches_json() -> None:
    res = run("list", "--repo", str(ROOT), "--as-of", SAMPLE_AS_OF, "--format", "csv")
    assert res.code == 0
    rows = list(csv.DictReader(io.StringIO(res.out)))
    doc = listing(ROOT, as_of=SAMPLE_AS_OF)
    assert [r["id"] for r in rows] == [k["id"] for k in doc["kols"]]
    for r, k in zip(rows, doc["kols"], strict=True):
        assert r["lead"] == k["lead"] and r["lead_department"] == k["lead_department"]
        assert int(r["objectives_on_track"]) == k["objectives"]["on-track"]
        assert int(r["warnings"]) == k["diagnostics"]["warning"]
        assert r["last_contact"] == (k["last_contact"] or "")
        assert r["next_activity_id"] == (k["next_activity"] or {}).get("id", "")
        assert r["path"] == k["path"]


# -- rows ---------------------------------------------------------------------------------------
def test_row_contents(tmp_path: Path) -> None:
    doc = listing(small_repo(tmp_path))
    assert [k["id"] for k in doc["kols"]] == ["glob", "jane-okafor", "loc"]
    jane = doc["kols"][1]
    assert jane["lead"] == "a.chen" and jane["lead_department"] == "field-medical"
    assert jane["objectives"] == {"not-started": 0, "on-track": 1, "at-risk": 0, "achieved": 0, "missed": 0,
                                  "dropped": 0}
    assert jane["last_contact"] == "2026-06-01"
    assert jane["next_activity"] == {"id": "A2", "type": "publication", "title": "MRD endpoints review",
                                     "owner": "a.chen", "date": "2026-09-01"}
    assert jane["diagnostics"] == {"error": 0, "warning": 0, "info": 0}
    loc = doc["kols"][2]
    assert loc["path"] == "plans/area/loc.yaml"
    assert loc["departments"] == ["market-access", "field-medical", "medical-affairs", "commercial"]
    assert loc["diagnostics"]["warning"] == 1  # KP304: c.jones owns A1


def test_next_activity_follows_as_of(tmp_path: Path) -> None:
    root = small_repo(tmp_path)
    jane = next(k for k in listing(root, as_of="2026-09-02")["kols"] if k["id"] == "jane-okafor")
    assert jane["next_activity"] is None  # A2 (2026-09-01) is overdue then, not next


def test_table_row(tmp_path: Path) -> None:
    res = run("list", "--repo", str(small_repo(tmp_path)), "--as-of", AS_OF)
    assert res.code == 0
    line = next(x for x in res.out.splitlines() if " jane-okafor " in x)
    assert line.split() == ["jane-okafor", "Jane", "Okafor", "national", "a.chen", "(field-medical)", "1",
                            "on-track", "2026-06-01", "2026-09-01", "A2", "MRD", "endpoints", "review"]
    loc = next(x for x in res.out.splitlines() if " loc " in x)
    assert loc.rstrip().endswith("1 warning")


# -- filters ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--tier", "national"], ["jane-okafor"]),
        (["--tier", "global,local"], ["glob", "loc"]),
        (["--tier", "global", "--tier", "national"], ["glob", "jane-okafor"]),
        (["--tier", "rising"], []),
        (["--department", "commercial"], ["glob", "loc"]),  # glob's lead; loc's activity owner
        (["--department", "market-access"], ["loc"]),
        (["--department", "medical-affairs"], ["glob", "jane-okafor", "loc"]),  # as a contributor
        (["--department", "commercial", "--tier", "local"], ["loc"]),
        (["--department", "market-access,commercial"], ["glob", "loc"]),
    ],
)
def test_filters(tmp_path: Path, args: list[str], expected: list[str]) -> None:
    assert [k["id"] for k in listing(small_repo(tmp_path), *args)["kols"]] == expected


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--tier", "superstar"],
         "--tier superstar: not a tier; choose one of global, national, regional, local, rising"),
        (["--tier", "national,Global"], "--tier Global: not a tier"),
        (["--department", "comercial"], "--department comercial: not a department in kolplan.yaml "
                                        "(did you mean 'commercial'?)"),
        (["--department", "legal"], "departments are: medical-affairs, field-medical, commercial, market-access"),
        (["--format", "xml"], "--format xml: unknown format; choose one of table, json, csv"),
        (["--as-of", "2026-13-01"], "not a date"),
    ],
)
def test_bad_values_exit_2(tmp_path: Path, args: list[str], words: str) -> None:
    res = run("list", "--repo", str(small_repo(tmp_path)), *args)
    assert res.code == 2
    assert words in res.err
    assert res.out == ""


# -- skipped plans, escaping ---------------------------------------------------------------------------
def test_schema_error_plan_is_skipped_and_named_on_stderr(tmp_path: Path) -> None:
    root = small_repo(tmp_path)
    (root / "plans" / "bad.yaml").write_text(VALID_PLAN.replace("id: jane-okafor", "id: bad")
                                             .replace("  tier: national", "  tier: superstar"), encoding="utf-8")
    for fmt in ("table", "json", "csv"):
        res = run("list", "--repo", str(root), "--as-of", AS_OF, "--format", fmt)
        assert res.code == 0
        assert res.err == ("kolplan: skipped plans/bad.yaml: 1 reading or schema error; run `kolplan validate "
                           "plans/bad.yaml` to see it\n")
        assert "bad" not in res.out.replace("plans/bad.yaml", "")
    assert listing(root)["skipped"] == ["plans/bad.yaml"]


def test_csv_keeps_formulas_as_text(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN.replace(
        "  name: Jane Okafor", "  name: '=HYPERLINK(\"http://x\",\"y\")'")})
    res = run("list", "--repo", str(root), "--as-of", AS_OF, "--format", "csv")
    assert res.code == 0
    row = next(csv.DictReader(io.StringIO(res.out)))
    assert row["name"] == "'=HYPERLINK(\"http://x\",\"y\")"


def test_empty_portfolio(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    res = run("list", "--repo", str(root), "--as-of", AS_OF)
    assert res.code == 0 and res.out == "0 KOLs\n"
    assert listing(root)["kols"] == []


def test_help_has_an_example() -> None:
    res = run("list", "--help")
    assert res.code == 0 and "kolplan list --tier global,national" in res.out
