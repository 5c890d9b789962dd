"""`kolplan owners`: the ownership map and its conflicts (KP301-KP304), in every format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import AS_OF, VALID_PLAN, make_repo, run

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_AS_OF = "2026-11-20"
CONFLICTS = ("KP301", "KP302", "KP303", "KP304")

IDS = '    crm_id: "V-248113"\n    npi: "1234567893"\n    orcid: 0000-0002-1825-0097\n    email: j.okafor@example.org\n'
OWNERS = "owners:\n  - person: a.chen\n    role: lead\n  - person: r.patel\n    role: contributor\n"


def variant(pid: str, name: str, *, npi: str | None = None, owners: str = OWNERS) -> str:
    ids = f'    npi: "{npi}"\n' if npi else '    crm_id: "V-' + pid + '"\n'
    return (VALID_PLAN.replace("id: jane-okafor", f"id: {pid}").replace("  name: Jane Okafor", f"  name: {name}")
            .replace(IDS, ids).replace(OWNERS, owners))


def conflict_repo(tmp_path: Path) -> Path:
    """a/b: the same KOL (NPI) led from two departments; c: two leads; d: an activity owned outside;
    e: clean; f: a schema error (skipped)."""
    plans = {
        "a.yaml": variant("a", "Ann Lee", npi="1234567893"),
        "b.yaml": variant("b", "Ann Lee", npi="1234567893",
                          owners="owners:\n  - person: c.jones\n    role: lead\n  - person: a.chen\n"
                                 "    role: contributor\n  - person: r.patel\n    role: contributor\n"),
        "c.yaml": variant("c", "Carl Roe", owners=OWNERS.replace("role: contributor", "role: lead")),
        "d.yaml": variant("d", "Dina Fox").replace("      owner: r.patel", "      owner: m.diaz"),
        "e.yaml": variant("e", "Eve Kahn"),
        "oncology/f.yaml": variant("f", "Finn Holt").replace("  tier: national", "  tier: superstar"),
    }
    return make_repo(tmp_path / "r", plans)


def owners(root: Path, *args: str) -> tuple[int, Any, str]:
    res = run("owners", "--repo", str(root), "--as-of", AS_OF, "--format", "json", *args)
    assert "Traceback" not in res.err
    return res.code, res.json() if res.code == 0 else None, res.err


# -- the sample portfolio ---------------------------------------------------------------------
def sample_validate() -> list[dict[str, Any]]:
    res = run("validate", "--repo", str(ROOT), "--as-of", SAMPLE_AS_OF, "--format", "json")
    assert res.code == 0, res.err  # the sample's ownership conflicts are warnings
    diags: list[dict[str, Any]] = res.json()["diagnostics"]
    return diags


def test_sample_json_has_every_kol_and_its_conflicts() -> None:
    from kolplan.repo.root import open_repo

    res = run("owners", "--repo", str(ROOT), "--as-of", SAMPLE_AS_OF, "--format", "json")
    assert res.code == 0
    doc = res.json()
    assert doc["version"] == 1 and doc["as_of"] == SAMPLE_AS_OF and doc["skipped"] == []
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "plans").rglob("*.yaml"))
    assert sorted(k["path"] for k in doc["kols"]) == files
    assert [k["id"] for k in doc["kols"]] == sorted(k["id"] for k in doc["kols"])
    config = open_repo(ROOT).config
    for k in doc["kols"]:
        assert k["lead"]["department"] == config.people[k["lead"]["handle"]].department
        assert k["departments"][0] == k["lead"]["department"]
        assert k["lead_label"] == f"{k['lead']['handle']} ({k['lead']['department']})"
    expected = sorted((d["path"], d["code"], d["line"]) for d in sample_validate() if d["code"] in CONFLICTS)
    got = sorted((c["path"], c["code"], c["line"]) for k in doc["kols"] for c in k["conflicts"])
    assert got == expected


def test_sample_table() -> None:
    res = run("owners", "--repo", str(ROOT), "--as-of", SAMPLE_AS_OF)
    assert res.code == 0
    ids = sorted(p.stem for p in (ROOT / "plans").rglob("*.yaml"))
    for pid in ids:
        assert f" {pid} " in res.out
    n_conflicts = len({d["path"] for d in sample_validate() if d["code"] in CONFLICTS})
    assert res.out.rstrip().endswith(f"{len(ids)} KOLs, {n_conflicts} with conflicts")
    assert "\x1b[" not in res.out


def test_sample_md() -> None:
    res = run("owners", "--repo", str(ROOT), "--as-of", SAMPLE_AS_OF, "--format", "md")
    assert res.code == 0
    lines = res.out.splitlines()
    assert lines[0] == f"# KOL ownership (as of {SAMPLE_AS_OF})"
    assert "| KOL | Name | Lead | Departments | Conflicts |" in lines
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| KOL |")]
    assert len(rows) == len(list((ROOT / "plans").rglob("*.yaml")))
    assert all(row.count(" | ") == 4 for row in rows)


# -- conflicts -----------------------------------------------------------------------------------
def test_conflicts_json(tmp_path: Path) -> None:
    code, doc, err = owners(conflict_repo(tmp_path), "--conflicts")
    assert code == 0  # a report: conflicts do not fail it
    by_id = {k["id"]: k for k in doc["kols"]}
    assert sorted(by_id) == ["a", "b", "c", "d"]
    assert [c["code"] for c in by_id["a"]["conflicts"]] == ["KP302"]
    assert "plans/b.yaml (lead c.jones (commercial)" in by_id["a"]["conflicts"][0]["message"]
    assert by_id["b"]["lead"] == {"handle": "c.jones", "name": "Carl Jones", "department": "commercial"}
    assert by_id["c"]["lead"] is None and [x["handle"] for x in by_id["c"]["leads"]] == ["a.chen", "r.patel"]
    assert by_id["c"]["lead_label"] == "a.chen (field-medical), r.patel (medical-affairs)"
    assert [c["code"] for c in by_id["c"]["conflicts"]] == ["KP301"]
    assert [c["code"] for c in by_id["d"]["conflicts"]] == ["KP304"]
    # the activity owner's department is involved too
    assert by_id["d"]["departments"] == ["field-medical", "medical-affairs", "market-access"]
    assert doc["skipped"] == ["plans/oncology/f.yaml"]
    assert "skipped plans/oncology/f.yaml: 1 reading or schema error" in err


def test_without_conflicts_flag_every_valid_kol(tmp_path: Path) -> None:
    code, doc, _ = owners(conflict_repo(tmp_path))
    assert code == 0
    assert [k["id"] for k in doc["kols"]] == ["a", "b", "c", "d", "e"]
    assert next(k for k in doc["kols"] if k["id"] == "e")["conflicts"] == []


def test_conflicts_table(tmp_path: Path) -> None:
    res = run("owners", "--repo", str(conflict_repo(tmp_path)), "--as-of", AS_OF, "--conflicts")
    assert res.code == 0
    assert " e " not in res.out
    assert "Conflicts:" in res.out
    assert "plans/c.yaml:" in res.out and "error KP301 lead-count: the plan has 2 leads" in res.out
    assert "warning KP304 owner-not-on-plan: activity A1 is owned by m.diaz (market-access)" in res.out
    assert res.out.rstrip().endswith("4 KOLs with a conflict")
    assert "skipped plans/oncology/f.yaml" in res.err and "kolplan validate plans/oncology/f.yaml" in res.err


def test_conflicts_md(tmp_path: Path) -> None:
    res = run("owners", "--repo", str(conflict_repo(tmp_path)), "--as-of", AS_OF, "--conflicts", "--format", "md")
    assert res.code == 0
    assert res.out.startswith(f"# KOL ownership conflicts (as of {AS_OF})\n")
    assert "| c | Carl Roe | a.chen (field-medical), r.patel (medical-affairs) | field-medical, medical-affairs " \
           "| KP301 |" in res.out
    assert "## Conflicts" in res.out and "- **a** (`plans/a.yaml:" in res.out
    assert "## Skipped" in res.out and "- `plans/oncology/f.yaml`" in res.out


def test_no_conflicts_at_all(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})
    res = run("owners", "--repo", str(root), "--as-of", AS_OF, "--conflicts", "--format", "md")
    assert res.code == 0
    assert "No KOL has an ownership conflict." in res.out
    res = run("owners", "--repo", str(root), "--as-of", AS_OF, "--conflicts")
    assert res.code == 0 and res.out.strip() == "0 KOLs with a conflict"


def test_markdown_escapes_plan_text(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN.replace(
        "  name: Jane Okafor", "  name: 'Jane | <b>Okafor</b>'")})
    res = run("owners", "--repo", str(root), "--as-of", AS_OF, "--format", "md")
    assert res.code == 0
    assert "| Jane \\| \\<b>Okafor\\</b> |" in res.out


def test_table_shows_markup_and_control_characters_as_text(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN.replace(
        "  name: Jane Okafor", '  name: "[red]Jane[/red] \\e[31mOkafor"')})
    res = run("owners", "--repo", str(root), "--as-of", AS_OF)
    assert res.code == 0
    assert "[red]Jane[/red] \\x1bOkafor" in res.out.replace("[31m", "")
    assert "\x1b" not in res.out


def test_schema_error_plan_is_skipped_and_named(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN,
                                      "broken.yaml": "schema: kolplan/v1\nid: broken\nkol: [\n",
                                      "ghost.yaml": VALID_PLAN.replace("id: jane-okafor", "id: ghost")
                                      .replace("    role: lead", "    role: lead\n  - person: x.ghost\n"
                                               "    role: contributor")})
    for fmt in ("table", "json", "md"):
        res = run("owners", "--repo", str(root), "--as-of", AS_OF, "--format", fmt)
        assert res.code == 0, (fmt, res.err)
        assert "skipped plans/broken.yaml: 1 reading or schema error" in res.err
        assert "skipped plans/ghost.yaml: 1 reading or schema error" in res.err  # KP012: parsed, still skipped
        if fmt == "json":
            assert [k["id"] for k in res.json()["kols"]] == ["jane-okafor"]
            assert res.json()["skipped"] == ["plans/broken.yaml", "plans/ghost.yaml"]
        else:
            assert "jane-okafor" in res.out and " ghost " not in res.out and "| ghost |" not in res.out


@pytest.mark.parametrize(("args", "words"), [
    (["--format", "csv"], "--format csv: unknown format"),
    (["--as-of", "soon"], "not a date"),
])
def test_bad_requests_exit_2(repo: Path, args: list[str], words: str) -> None:
    res = run("owners", "--repo", str(repo), *args)
    assert res.code == 2
    assert words in res.err


def test_no_config_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = run("owners")
    assert res.code == 2 and "kolplan init" in res.err


def test_as_of_reaches_the_rules(tmp_path: Path) -> None:
    # a done activity dated after --as-of is a KP014 error: the plan is skipped then, not later
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})
    early = run("owners", "--repo", str(root), "--as-of", "2026-04-01", "--format", "json")
    assert early.code == 0 and early.json()["skipped"] == ["plans/jane-okafor.yaml"]
    late = run("owners", "--repo", str(root), "--as-of", AS_OF, "--format", "json")
    assert late.code == 0 and late.json()["skipped"] == []


def test_help_has_an_example() -> None:
    res = run("owners", "--help")
    assert res.code == 0 and "kolplan owners --conflicts" in res.out
