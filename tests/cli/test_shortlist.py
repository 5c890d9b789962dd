"""`kolplan shortlist` end to end: formats, -o, exit codes and errors, skipped plans, the sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import Result, run
from tests.views.shortlist_portfolio import activity, plan, portfolio

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_AS_OF = "2026-11-20"


def shortlist(root: Path, *args: str, as_of: str = "2026-06-15") -> Result:
    res = run("shortlist", "--repo", str(root), "--as-of", as_of, *args)
    assert "Traceback" not in res.err, res.err
    return res


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return portfolio(tmp_path, {
        "ana": plan("ana", name="Ana Ruiz", tier="global", interests=["MRD standardisation"],
                    desires=["a seat on an international board"]),
        "ben": plan("ben", name="Ben Ode", tier="local", country="GB", interests=["heart failure"]),
        "cy": plan("cy", name="Cy Lam", period=("2025-01-01", "2025-12-31")),
    })


BOARD = ("--for", "advisory-board", "--topic", "MRD", "--date", "2026-07-01")


def test_json_has_the_request_the_weights_the_list_and_the_ineligible(repo: Path) -> None:
    from kolplan.views.shortlist.request import WEIGHTS

    res = shortlist(repo, *BOARD, "--hours", "2", "--compensation", "900", "--by", "medical-affairs",
                    "--format", "json")
    assert res.code == 0, res.err
    doc = res.json()
    assert doc["request"] == {"for": "advisory-board", "topic": "MRD", "date": "2026-07-01", "as_of": "2026-06-15",
                              "hours": 2.0, "compensation": 900.0, "by": "medical-affairs", "ta": [], "tier": [],
                              "country": [], "size": 10, "currency": "USD"}
    assert doc["weights"] == {k: {"points": w.points, "when": w.why} for k, w in WEIGHTS.items()}
    # ana: +3 (MRD) +2 (board) = 5; ben: local, 450/hour > 250: KP401; cy: period ended: KP205
    assert [(c["rank"], c["id"], c["points"]) for c in doc["shortlist"]] == [(1, "ana", 5)]
    assert [r["key"] for r in doc["shortlist"][0]["reasons"]] == ["topic-interest", "wants-engagement"]
    assert {c["id"]: [r["code"] for r in c["rules"]] for c in doc["ineligible"]} == {"ben": ["KP401"],
                                                                                       "cy": ["KP205"]}
    assert doc["more_eligible"] == 0 and doc["skipped"] == []


def test_table_lists_every_reason_and_every_rule(repo: Path) -> None:
    res = shortlist(repo, *BOARD, "--hours", "2", "--compensation", "900", "--by", "medical-affairs")
    assert res.code == 0, res.err
    out = res.out
    assert "Shortlist for an advisory-board on 2026-07-01, 2 hours, a fee of 900 USD, run by Medical Affairs " \
           "(medical-affairs)" in out
    assert "1. Ana Ruiz (ana, +5), lead Alice Chen (Field Medical)" in out
    assert "+3 Scientific interest 'MRD standardisation' matches the topic (word 'mrd')." in out
    assert "Not eligible (2):" in out
    assert "KP401 fmv-exceeded: activity (proposed) pays 900 USD for 2 hours (450 USD/hour)" in out
    assert "KP205 plan-expired: the plan period ended on 2025-12-31" in out
    assert out.rstrip().endswith("1 of 1 eligible KOL shown; 2 not eligible")


def test_markdown_is_a_record_to_file(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "board.md"
    target.parent.mkdir()
    res = shortlist(repo, *BOARD, "--by", "medical-affairs", "--tier", "global,local", "--format", "md",
                    "-o", str(target))
    assert res.code == 0, res.err
    assert res.out == "" and "wrote" in res.err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Shortlist: advisory-board on “MRD”\n")
    for part in ("- **As of:** 2026-06-15", "- **Filters:** --tier global, local",
                 "`kolplan shortlist --for advisory-board --topic MRD --tier global --tier local --date 2026-07-01 "
                 "--by medical-affairs --size 10 --as-of 2026-06-15`",
                 "## Shortlist (2 of 2 eligible)", "### 1. Ana Ruiz (ana): +5 points", "### 2. Ben Ode (ben): 0 points",
                 "- No reason for or against.",
                 "- +3 Scientific interest 'MRD standardisation' matches the topic (word 'mrd').",
                 "## Not eligible (1)", "| Cy Lam (`cy`) | KP205 plan-expired | the plan period ended on 2025-12-31",
                 "## Weights", "| topic-interest | +3 |"):
        assert part in text, part
    # cy is both filtered out (a national KOL) and expired: both rows
    assert "| Cy Lam (`cy`) | --tier | tier national is not among --tier global, local |" in text


def test_markdown_escapes_plan_text(tmp_path: Path) -> None:
    root = portfolio(tmp_path, {"x": plan("x", name="A | B <script>", interests=["MRD | \x1b[31m"])})
    res = shortlist(root, *BOARD, "--format", "md")
    assert res.code == 0, res.err
    from kolplan.views.filters import md

    assert f"| {md('A | B <script>')} (`x`) |" in res.out  # through the documents' md filter
    assert "\x1b" not in res.out and "\\x1b" in res.out


def test_the_output_is_identical_across_runs(repo: Path) -> None:
    for fmt in ("json", "md", "table"):
        outs = {shortlist(repo, *BOARD, "--by", "medical-affairs", "--format", fmt).out for _ in range(3)}
        assert len(outs) == 1, fmt


def test_size_and_filters_on_the_command_line(repo: Path) -> None:
    doc = shortlist(repo, *BOARD, "--size", "1", "--format", "json").json()
    assert [c["id"] for c in doc["shortlist"]] == ["ana"] and doc["more_eligible"] == 1
    doc = shortlist(repo, *BOARD, "--country", "gb", "--format", "json").json()  # any case
    assert [c["id"] for c in doc["shortlist"]] == ["ben"]
    assert {c["id"]: [r["code"] for r in c["rules"]] for c in doc["ineligible"]} == {"ana": ["--country"],
                                                                                       "cy": ["--country", "KP205"]}
    doc = shortlist(repo, *BOARD, "--ta", "Oncology", "--tier", "local", "--format", "json").json()
    assert doc["shortlist"][0]["id"] == "ben"


@pytest.mark.parametrize(("args", "message"), [
    (("--for", "advisry-board", "--topic", "x"), "--for advisry-board: not an activity type; did you mean "
                                                 "'advisory-board'?"),
    (("--for", "dinner", "--topic", "x"), "--for dinner: not an activity type; choose one of advisory-board"),
    ((*BOARD, "--by", "medical-afairs"), "--by medical-afairs: not a department in kolplan.yaml (did you mean "
                                         "'medical-affairs'?)"),
    ((*BOARD, "--by", "sales"), "--by sales: not a department in kolplan.yaml (departments are: "
                                "medical-affairs"),
    (("--for", "advisory-board", "--topic", "x", "--date", "2026-13-01"), "--date 2026-13-01: not a date"),
    ((*BOARD, "--hours", "two"), "--hours two: not a number of zero or more"),
    ((*BOARD, "--hours", "-1"), "--hours -1: not a number of zero or more"),
    ((*BOARD, "--compensation", "nan"), "--compensation nan: not a number of zero or more"),
    ((*BOARD, "--size", "0"), "--size 0: not a whole number of 1 or more"),
    ((*BOARD, "--country", "UK"), "--country UK: not an ISO 3166-1 country code; did you mean 'GB'?"),
    ((*BOARD, "--tier", "glob"), "--tier glob: not a tier; did you mean 'global'?"),
    (("--for", "advisory-board", "--topic", "the of"), "--topic 'the of': no word to look for"),
    ((*BOARD, "--format", "csv"), "--format csv: unknown format; choose one of table, md, json"),
])
def test_bad_values_are_exit_2_with_one_line(repo: Path, args: tuple[str, ...], message: str) -> None:
    res = shortlist(repo, *args)
    assert res.code == 2, (res.out, res.err)
    assert message in res.err
    assert res.out == ""


def test_missing_for_or_topic_is_exit_2(repo: Path) -> None:
    assert shortlist(repo, "--topic", "MRD").code == 2
    assert shortlist(repo, "--for", "advisory-board").code == 2


def test_o_never_overwrites_a_plan(repo: Path) -> None:
    target = repo / "plans" / "ana.yaml"
    before = target.read_bytes()
    res = shortlist(repo, *BOARD, "-o", str(target))
    assert res.code == 2 and "is a plan file" in res.err
    assert target.read_bytes() == before


def test_a_plan_with_a_schema_error_is_named_on_stderr_and_left_out(repo: Path) -> None:
    (repo / "plans" / "bad.yaml").write_text(plan("bad").replace("  tier: national\n", ""), encoding="utf-8")
    res = shortlist(repo, *BOARD, "--format", "json")
    assert res.code == 0, res.err
    assert "kolplan: skipped plans/bad.yaml: 1 reading or schema error (KP010)" in res.err
    doc = json.loads(res.out)
    assert doc["skipped"] == ["plans/bad.yaml"]
    assert "bad" not in {c["id"] for c in doc["shortlist"] + doc["ineligible"]}


def test_ownership_errors_come_from_the_run(tmp_path: Path) -> None:
    root = portfolio(tmp_path, {"a": plan("a", crm_id="V-1"), "b": plan("b", crm_id="V-1"),
                                "c": plan("c", leads=("a.chen", "r.patel"))})
    doc = shortlist(root, *BOARD, "--format", "json").json()
    assert doc["shortlist"] == []
    got = {c["id"]: [r["code"] for r in c["rules"]] for c in doc["ineligible"]}
    assert got == {"a": ["KP302"], "b": ["KP302"], "c": ["KP301"]}


def test_completion_of_types_departments_and_formats(repo: Path) -> None:
    from types import SimpleNamespace

    from kolplan.cli import complete

    assert complete.activity_types("adv") == ["advisory-board"]
    assert complete.shortlist_formats("m") == ["md"]
    ctx = SimpleNamespace(params={"repo": str(repo)})
    assert complete.departments(ctx, "med") == ["medical-affairs"]
    assert complete.departments(SimpleNamespace(params={"repo": str(repo / "nowhere")}), "") == []


# -- the sample portfolio ---------------------------------------------------------------------------
def test_the_sample_runs_and_agrees_with_validate() -> None:
    """Every KOL of the sample is listed or ineligible; an ineligible KOL's rules are those the
    rules say of the plan with the engagement (KP401 here: a fee of 1,800 for 4 hours is 450 an
    hour, above the regional, local and rising rates)."""
    res = run("shortlist", "--repo", str(ROOT), "--as-of", SAMPLE_AS_OF, "--for", "advisory-board", "--topic",
              "MRD in CLL", "--date", "2026-12-10", "--hours", "4", "--compensation", "1800", "--by",
              "medical-affairs", "--size", "20", "--format", "json")
    assert res.code == 0, res.err
    doc = res.json()
    every = {c["id"] for c in doc["shortlist"]} | {c["id"] for c in doc["ineligible"]}
    assert len(every) == len(list((ROOT / "plans").rglob("*.yaml")))
    rates = {"regional", "local", "rising"}
    for c in doc["ineligible"]:
        if c["tier"] in rates:
            assert "KP401" in [r["code"] for r in c["rules"]]
    for c in doc["shortlist"]:
        assert c["tier"] not in rates


def test_help_has_an_example() -> None:
    res = run("shortlist", "--help")
    assert res.code == 0
    assert "kolplan shortlist --for advisory-board" in res.out


def test_a_planned_engagement_not_yet_dated_needs_no_date_option(tmp_path: Path) -> None:
    # --date defaults to --as-of
    root = portfolio(tmp_path, {"x": plan("x", activities=[activity("A1", "advisory-board", "2026-06-20")])})
    doc = shortlist(root, "--for", "advisory-board", "--topic", "MRD", "--format", "json").json()
    assert doc["request"]["date"] == "2026-06-15"
    assert [r["key"] for r in doc["shortlist"][0]["reasons"]] == ["repeat"]


def test_the_readme_explains_the_weights_and_words_the_code_uses() -> None:
    from kolplan.views.shortlist.request import ENGAGEMENT_WORDS, WEIGHTS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Who to invite: `kolplan shortlist`", 1)[1].split("\n### ", 1)[0]
    for key, w in WEIGHTS.items():
        assert f"| `{key}` | {w.points:+d} |" in section, key
    for kind, words in ENGAGEMENT_WORDS.items():
        if words:
            assert f"| {kind} | {', '.join(words)} |" in section, kind
