"""KP301-KP305: ownership across departments and files."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import VALID_PLAN, codes, col_of, diagnostics, line_of, make_repo

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent / "shared" / "bench" / "make_corpus.py"

IDS = """\
  identifiers:
    crm_id: "V-248113"
    npi: "1234567893"
    orcid: 0000-0002-1825-0097
    email: j.okafor@example.org
"""
OWNERS = """\
owners:
  - person: a.chen
    role: lead
  - person: r.patel
    role: contributor
"""
assert IDS in VALID_PLAN and OWNERS in VALID_PLAN


def npi(body: str) -> str:
    """A valid NPI from 9 digits (Luhn over the 80840 prefix)."""
    total = 0
    for i, ch in enumerate(reversed("80840" + body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def plan(pid: str, *, name: str = "Jane Okafor", institution: str = "University Hospital Example",
         ids: dict[str, str] | None = None, lead: str = "a.chen") -> str:
    """VALID_PLAN as ``pid``, with other identifiers, name or institution, and ``lead`` leading
    (a.chen and r.patel stay on as contributors, so no other rule fires)."""
    text = VALID_PLAN.replace("id: jane-okafor", f"id: {pid}")
    text = text.replace("  name: Jane Okafor", f"  name: {name}")
    text = text.replace("  institution: University Hospital Example", f"  institution: {institution}")
    block = "".join(f'    {k}: "{v}"\n' for k, v in (ids or {}).items())
    text = text.replace(IDS, f"  identifiers:\n{block}" if block else "  identifiers: {}\n")
    if lead != "a.chen":
        owners = [f"  - person: {lead}\n    role: lead\n"]
        owners += [f"  - person: {h}\n    role: contributor\n" for h in ("a.chen", "r.patel") if h != lead]
        text = text.replace(OWNERS, "owners:\n" + "".join(owners))
    return text


def of(diags: list[dict[str, Any]], code: str, path: str | None = None) -> list[dict[str, Any]]:
    return [d for d in diags if d["code"] == code and (path is None or d["path"] == path)]


def only(diags: list[dict[str, Any]], code: str) -> dict[str, Any]:
    found = of(diags, code)
    assert len(found) == 1, diags
    return found[0]


# -- KP301 lead-count ----------------------------------------------------------------
def test_kp301_no_lead_points_at_owners_key(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("    role: lead", "    role: contributor")
    d = only(diagnostics(make_repo(tmp_path / "r", {"jane-okafor.yaml": text})), "KP301")
    assert (d["line"], d["column"]) == (line_of(text, "owners:"), 1)
    assert d["severity"] == "error"
    assert d["message"].startswith("the plan has no lead: mark one owner role: lead")


def test_kp301_empty_owners(tmp_path: Path) -> None:
    text = VALID_PLAN.replace(OWNERS, "owners: []\n")
    diags = diagnostics(make_repo(tmp_path / "r", {"jane-okafor.yaml": text}))
    d = only(diags, "KP301")
    assert (d["line"], d["column"]) == (line_of(text, "owners: []"), 1)


def test_kp301_two_leads_are_listed_with_their_departments(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("  - person: r.patel\n    role: contributor", "  - person: r.patel\n    role: lead")
    d = only(diagnostics(make_repo(tmp_path / "r", {"jane-okafor.yaml": text})), "KP301")
    assert (d["line"], d["column"]) == (line_of(text, "owners:"), 1)
    assert d["message"] == ("the plan has 2 leads: a.chen (field-medical), r.patel (medical-affairs); keep one "
                            "role: lead and make the others role: contributor")


def test_kp301_one_lead_passes(tmp_path: Path) -> None:
    assert of(diagnostics(make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})), "KP301") == []


# -- KP302 duplicate-kol -------------------------------------------------------------
def test_kp302_shared_npi_reported_on_both_files_at_the_identifier(tmp_path: Path) -> None:
    a = plan("a", ids={"npi": "1234567893", "crm_id": "V-1"})
    b = plan("b", ids={"crm_id": "V-2", "npi": "1234567893"}, lead="c.jones")
    root = make_repo(tmp_path / "r", {"a.yaml": a, "b.yaml": b})
    diags = diagnostics(root)
    da, db = of(diags, "KP302", "plans/a.yaml"), of(diags, "KP302", "plans/b.yaml")
    assert len(da) == 1 and len(db) == 1
    assert (da[0]["line"], da[0]["column"]) == (line_of(a, "npi:"), col_of(a, '"1234567893"'))
    assert (db[0]["line"], db[0]["column"]) == (line_of(b, "npi:"), col_of(b, '"1234567893"'))
    assert da[0]["severity"] == "error"
    assert da[0]["message"] == (
        "Jane Okafor also has a plan in plans/b.yaml (lead c.jones (commercial); same NPI); this plan's lead is "
        "a.chen (field-medical). One KOL, one plan: merge them into one plan with one lead and make the other "
        "departments contributors")
    assert "plans/a.yaml (lead a.chen (field-medical); same NPI)" in db[0]["message"]
    assert "this plan's lead is c.jones (commercial)" in db[0]["message"]
    assert of(diags, "KP303") == []


@pytest.mark.parametrize(
    ("ids_a", "ids_b", "kind", "label"),
    [
        ({"email": "J.Okafor@Example.org"}, {"email": "j.okafor@example.org"}, "email", "email"),
        ({"crm_id": "V-9"}, {"crm_id": "V-9"}, "crm_id", "CRM id"),
        ({"orcid": "0000-0002-1825-0097"}, {"orcid": "0000-0002-1825-0097"}, "orcid", "ORCID"),
    ],
)
def test_kp302_every_identifier_kind(tmp_path: Path, ids_a: dict[str, str], ids_b: dict[str, str],
                                     kind: str, label: str) -> None:
    a, b = plan("a", ids=ids_a), plan("b", name="J. Okafor-Smith", ids=ids_b)
    diags = diagnostics(make_repo(tmp_path / "r", {"a.yaml": a, "b.yaml": b}))
    d = of(diags, "KP302", "plans/a.yaml")
    assert len(d) == 1 and f"same {label})" in d[0]["message"]
    assert d[0]["line"] == line_of(a, f"{kind}:")
    assert len(of(diags, "KP302", "plans/b.yaml")) == 1


def test_kp302_points_at_the_identifier_actually_shared(tmp_path: Path) -> None:
    a = plan("a", ids={"crm_id": "V-1", "npi": npi("123456789"), "orcid": "0000-0002-1825-0097"})
    b = plan("b", ids={"orcid": "0000-0002-1825-0097"})
    d = of(diagnostics(make_repo(tmp_path / "r", {"a.yaml": a, "b.yaml": b})), "KP302", "plans/a.yaml")[0]
    assert (d["line"], d["column"]) == (line_of(a, "orcid:"), col_of(a, "\"0000-0002-1825-0097"))


def test_kp302_groups_are_transitive(tmp_path: Path) -> None:
    # a-b share an NPI, b-c an email: one KOL, three plans.
    a = plan("a", ids={"npi": "1234567893"})
    b = plan("b", ids={"npi": "1234567893", "email": "jo@example.org"}, lead="r.patel")
    c = plan("c", ids={"email": "JO@example.org"}, lead="c.jones")
    d = plan("d", ids={"npi": npi("987654321")})  # another KOL of the same name: not in the group
    diags = diagnostics(make_repo(tmp_path / "r", {"a.yaml": a, "b.yaml": b, "c.yaml": c, "d.yaml": d}))
    msg = {p: of(diags, "KP302", f"plans/{p}.yaml") for p in "abcd"}
    assert [len(msg[p]) for p in "abcd"] == [1, 1, 1, 0]
    assert ("also has a plan in plans/b.yaml (lead r.patel (medical-affairs); same NPI), plans/c.yaml "
            "(lead c.jones (commercial); linked through another plan)") in msg["a"][0]["message"]
    assert "plans/a.yaml (lead a.chen (field-medical); same NPI), plans/c.yaml (lead c.jones (commercial); " \
           "same email)" in msg["b"][0]["message"]
    assert msg["c"][0]["line"] == line_of(c, "email:")
    assert of(diags, "KP303") == []


def test_kp302_large_group_names_five_and_counts_the_rest(tmp_path: Path) -> None:
    plans = {f"p{i}.yaml": plan(f"p{i}", ids={"crm_id": "V-1"}) for i in range(8)}
    diags = diagnostics(make_repo(tmp_path / "r", plans))
    found = of(diags, "KP302")
    assert len(found) == 8
    assert all(d["message"].count("(lead ") == 5 and " and 2 more;" in d["message"] for d in found)


def test_kp302_validate_one_file_still_sees_the_other(tmp_path: Path) -> None:
    a = plan("a", ids={"npi": "1234567893"})
    b = plan("b", ids={"npi": "1234567893"}, lead="c.jones")
    root = make_repo(tmp_path / "r", {"a.yaml": a, "b.yaml": b})
    diags = diagnostics(root, str(root / "plans" / "a.yaml"))
    assert {d["path"] for d in diags} == {"plans/a.yaml"}
    assert codes(diags) == ["KP302"]
    assert "plans/b.yaml (lead c.jones (commercial); same NPI)" in diags[0]["message"]


def test_kp302_file_outside_plans_is_compared_but_does_not_join(tmp_path: Path) -> None:
    # drafts/x.yaml shares an NPI with a and an email with b; a and b share nothing.
    a = plan("a", ids={"npi": "1234567893"})
    b = plan("b", ids={"email": "jo@example.org"}, lead="c.jones")
    x = plan("x", ids={"npi": "1234567893", "email": "jo@example.org"})
    root = make_repo(tmp_path / "r", {"a.yaml": a, "b.yaml": b})
    (root / "drafts").mkdir()
    (root / "drafts" / "x.yaml").write_text(x, encoding="utf-8")
    diags = diagnostics(root, str(root / "drafts" / "x.yaml"), str(root / "plans"))
    assert [d["path"] for d in of(diags, "KP302")] == ["drafts/x.yaml"]
    message = of(diags, "KP302")[0]["message"]
    assert "plans/a.yaml (lead a.chen (field-medical); same NPI), plans/b.yaml (lead c.jones (commercial); " \
           "same email)" in message
    assert of(diagnostics(root), "KP302") == []  # without the draft: nothing


def test_kp302_file_outside_plans_sees_the_whole_group(tmp_path: Path) -> None:
    a = plan("a", ids={"npi": "1234567893"})
    b = plan("b", ids={"npi": "1234567893", "email": "jo@example.org"})
    x = plan("x", ids={"email": "jo@example.org"})
    root = make_repo(tmp_path / "r", {"a.yaml": a, "b.yaml": b})
    (root / "x.yaml").write_text(x, encoding="utf-8")
    diags = diagnostics(root, str(root / "x.yaml"))
    d = only(diags, "KP302")
    assert d["path"] == "x.yaml"
    assert "plans/a.yaml (lead a.chen (field-medical); linked through another plan), plans/b.yaml" in d["message"]


def test_kp302_finds_a_crm_id_with_leading_zeros_once_quoted(tmp_path: Path) -> None:
    """Before issue 15, ``crm_id: 0012345`` was read as 12345 and the duplicate went unnoticed."""
    other = VALID_PLAN.replace("id: jane-okafor", "id: other", 1).replace('crm_id: "V-248113"', 'crm_id: "0012345"')
    other = other.replace('    npi: "1234567893"\n', "").replace("    orcid: 0000-0002-1825-0097\n", "")
    other = other.replace("    email: j.okafor@example.org\n", "")
    bare = VALID_PLAN.replace('crm_id: "V-248113"', "crm_id: 0012345")
    diags = diagnostics(make_repo(tmp_path / "bare", {"jane-okafor.yaml": bare, "other.yaml": other}))
    assert [(d["path"], d["code"]) for d in diags] == [("plans/jane-okafor.yaml", "KP010")]
    quoted = VALID_PLAN.replace('crm_id: "V-248113"', 'crm_id: "0012345"')
    diags = diagnostics(make_repo(tmp_path / "quoted", {"jane-okafor.yaml": quoted, "other.yaml": other}))
    assert sorted((d["path"], d["code"]) for d in diags) == [("plans/jane-okafor.yaml", "KP302"),
                                                              ("plans/other.yaml", "KP302")]
    assert all("same CRM id" in d["message"] for d in diags)


# -- KP303 possible-duplicate-kol -------------------------------------------------------
def test_kp303_same_name_ignoring_accents_titles_initials_punctuation(tmp_path: Path) -> None:
    a = plan("a", name="Jane Okafor", ids={})
    b = plan("b", name='"Prof. Dr. Jâne A. Ökafor, MD"', institution="University Hospital, EXAMPLE",
             ids={"npi": "1234567893"}, lead="c.jones")
    diags = diagnostics(make_repo(tmp_path / "r", {"a.yaml": a, "b.yaml": b}))
    da, db = of(diags, "KP303", "plans/a.yaml"), of(diags, "KP303", "plans/b.yaml")
    assert len(da) == 1 and len(db) == 1
    assert (da[0]["line"], da[0]["column"]) == (line_of(a, "  name: Jane"), 9)
    assert (db[0]["line"], db[0]["column"]) == (line_of(b, "  name: "), 9)
    assert da[0]["severity"] == "warning"
    assert da[0]["message"] == (
        "Jane Okafor at University Hospital Example may also have a plan in plans/b.yaml (lead c.jones "
        "(commercial)): if this is one person, merge the plans; if not, add the same kind of identifier "
        "(crm_id or npi) to each so they can be told apart")
    assert of(diags, "KP302") == []


@pytest.mark.parametrize(
    ("inst_a", "inst_b"),
    [
        ("Kings College Hospital", '"King\'s College Hospital"'),     # issue 15: the apostrophe is deleted
        ("Kings College Hospital", "King’s College Hospital"),
        ("St Thomas' Hospital", "Saint Thomas Hospital"),
        ("Guy's & St Thomas'", "Guys and St. Thomas"),
    ],
)
def test_kp303_punctuation_is_deleted_and_is_the_same_institution(tmp_path: Path, inst_a: str,
                                                                    inst_b: str) -> None:
    a = plan("a", institution=inst_a, ids={})
    b = plan("b", name="Dr. Jane Okafor", institution=inst_b, ids={}, lead="c.jones")
    diags = diagnostics(make_repo(tmp_path / "r", {"a.yaml": a, "b.yaml": b}))
    assert len(of(diags, "KP303", "plans/a.yaml")) == 1 and len(of(diags, "KP303", "plans/b.yaml")) == 1
    assert "may also have a plan in plans/b.yaml (lead c.jones (commercial))" in \
        of(diags, "KP303", "plans/a.yaml")[0]["message"]


@pytest.mark.parametrize(
    ("ids_a", "ids_b", "reported"),
    [
        ({"npi": "1234567893"}, {"npi": npi("111111111")}, False),   # two NPIs: two people
        ({"crm_id": "V-1"}, {"crm_id": "V-2", "email": "x@example.org"}, False),
        ({"crm_id": "V-1"}, {"email": "x@example.org"}, True),        # nothing to tell them apart
        ({}, {}, True),
    ],
)
def test_kp303_identifiers_that_disagree_mean_two_people(tmp_path: Path, ids_a: dict[str, str],
                                                        ids_b: dict[str, str], reported: bool) -> None:
    a, b = plan("a", ids=ids_a), plan("b", ids=ids_b)
    diags = diagnostics(make_repo(tmp_path / "r", {"a.yaml": a, "b.yaml": b}))
    assert len(of(diags, "KP303")) == (2 if reported else 0)
    assert of(diags, "KP302") == []


@pytest.mark.parametrize(
    ("name_b", "institution_b"),
    [("Jane Okafor", "University Hospital Elsewhere"), ("Janet Okafor", "University Hospital Example")],
)
def test_kp303_other_name_or_institution_passes(tmp_path: Path, name_b: str, institution_b: str) -> None:
    a, b = plan("a", ids={}), plan("b", name=name_b, institution=institution_b, ids={})
    assert of(diagnostics(make_repo(tmp_path / "r", {"a.yaml": a, "b.yaml": b})), "KP303") == []


def test_kp303_seven_files_name_five_and_two_more(tmp_path: Path) -> None:
    plans = {f"p{i}.yaml": plan(f"p{i}", name="Dr Jane Okafor" if i % 2 else "jane okafor", ids={})
             for i in range(7)}
    diags = diagnostics(make_repo(tmp_path / "r", plans))
    found = of(diags, "KP303")
    assert len(found) == 7
    for d in found:
        assert d["message"].count("(lead ") == 5, d
        assert d["message"].count("plans/p") == 5
        assert f"{d['path']} " not in d["message"]  # never names itself
        assert " and 1 more:" in d["message"] or " and 2 more:" in d["message"]
    first = of(diags, "KP303", "plans/p0.yaml")[0]["message"]
    assert "plans/p1.yaml" in first and "plans/p5.yaml" in first and "plans/p6.yaml" not in first
    assert " and 1 more:" in first  # 6 others: five named, one more


def test_kp303_and_n_more_counts_every_other_file(tmp_path: Path) -> None:
    plans = {f"p{i}.yaml": plan(f"p{i}", ids={}) for i in range(8)}
    found = of(diagnostics(make_repo(tmp_path / "r", plans)), "KP303")
    assert len(found) == 8 and all(" and 2 more:" in d["message"] for d in found)


def test_kp303_is_linear_in_the_plans_sharing_a_name() -> None:
    from kolplan.lint.facts import PlanFacts
    from kolplan.repo.config import load_config
    from kolplan.rules.context import PortfolioContext
    from kolplan.rules.ownership import possible_duplicate_kol
    config, _ = load_config(ROOT / "kolplan.yaml", "kolplan.yaml")
    facts = [PlanFacts(f"plans/p{i}.yaml", f"p{i}", "Jane Okafor", "Uni", "jane okafor", "uni",
                       {}, {}, (5, 9), ["a.chen"], (20, 1)) for i in range(20_000)]
    start = time.perf_counter()
    found = list(possible_duplicate_kol(PortfolioContext(config.view, facts)))
    elapsed = time.perf_counter() - start
    assert len(found) == 20_000
    assert found[0].message.count("plans/p") == 5 and " and 19994 more:" in found[0].message
    assert elapsed < 10, f"{elapsed:.1f}s for 20,000 same-name plans: the check is not linear"


# -- KP304 owner-not-on-plan -------------------------------------------------------------
def test_kp304_activity_owned_outside_the_plan(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("      owner: r.patel", "      owner: c.jones")
    d = only(diagnostics(make_repo(tmp_path / "r", {"jane-okafor.yaml": text})), "KP304")
    assert (d["line"], d["column"]) == (line_of(text, "owner: c.jones"), col_of(text, "c.jones"))
    assert d["severity"] == "warning"
    assert d["message"] == ("activity A1 is owned by c.jones (commercial), who is not among the plan's owners: "
                            "add c.jones to owners: as a contributor, or hand the activity to an owner")


def test_kp304_contributor_owning_an_activity_passes(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("      owner: r.patel", "      owner: c.jones").replace(
        OWNERS, OWNERS + "  - person: c.jones\n    role: contributor\n")
    assert of(diagnostics(make_repo(tmp_path / "r", {"jane-okafor.yaml": text})), "KP304") == []


def test_kp304_unknown_handle_is_only_kp012(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("      owner: r.patel", "      owner: x.nobody")
    assert codes(diagnostics(make_repo(tmp_path / "r", {"jane-okafor.yaml": text}))) == ["KP012"]


# -- KP305 outside-contact ---------------------------------------------------------------
def test_kp305_interaction_by_someone_outside_the_plan(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("    by: a.chen", "    by: m.diaz")
    d = only(diagnostics(make_repo(tmp_path / "r", {"jane-okafor.yaml": text})), "KP305")
    assert (d["line"], d["column"]) == (line_of(text, "by: m.diaz"), col_of(text, "m.diaz"))
    assert d["severity"] == "info"
    assert d["message"] == ("the in-person interaction of 2026-06-01 was logged by m.diaz (market-access), who is "
                            "not among the plan's owners: tell a.chen, and add m.diaz to owners: as a contributor "
                            "if the contact goes on")


@pytest.mark.parametrize("by", ["a.chen", "r.patel"])
def test_kp305_owners_pass(tmp_path: Path, by: str) -> None:
    text = VALID_PLAN.replace("    by: a.chen", f"    by: {by}")
    assert of(diagnostics(make_repo(tmp_path / "r", {"jane-okafor.yaml": text})), "KP305") == []


def test_kp305_congress_encounter_is_fine(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("    by: a.chen", "    by: m.diaz").replace("channel: in-person", "channel: congress")
    assert of(diagnostics(make_repo(tmp_path / "r", {"jane-okafor.yaml": text})), "KP305") == []


# -- the benchmark corpus: one duplicate pair per 500 plans ----------------------------------
@pytest.mark.skipif(not BENCH.is_file(), reason="../shared/bench is not beside this checkout")
def test_bench_corpus_duplicates_are_found_and_nothing_else(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    subprocess.run([sys.executable, str(BENCH), str(corpus), "1000"], check=True)
    diags = diagnostics(corpus, as_of="2026-10-01")
    copies = sorted(p.stem for p in (corpus / "plans").glob("*-x*.yaml"))
    assert len(copies) == 2  # plans 499 and 999
    expected = set()
    for copy in copies:
        original = copy.rsplit("-x", 1)[0]
        expected |= {f"plans/{copy}.yaml", f"plans/{original}.yaml"}
        d_copy = of(diags, "KP302", f"plans/{copy}.yaml")
        d_orig = of(diags, "KP302", f"plans/{original}.yaml")
        assert len(d_copy) == 1 and len(d_orig) == 1
        assert f"plans/{original}.yaml (lead " in d_copy[0]["message"]
        assert f"plans/{copy}.yaml (lead " in d_orig[0]["message"]
        assert "same NPI" in d_copy[0]["message"]
    assert {d["path"] for d in of(diags, "KP302")} == expected
    assert of(diags, "KP303") == []
