"""docs/rules.md is generated from the registry, and `kolplan rules` prints the catalogue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import run

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "rules.md"


def test_docs_rules_md_is_up_to_date() -> None:
    from kolplan.rules.doc import markdown

    current = DOC.read_text(encoding="utf-8") if DOC.is_file() else ""
    assert current == markdown(), "docs/rules.md is stale; run: kolplan rules --format md > docs/rules.md"


def test_spec_catalogue_is_registered() -> None:
    from kolplan.rules import lookup

    spec = ["KP001", "KP002", "KP003", "KP010", "KP011", "KP012", "KP013", "KP014", "KP015", "KP016",
            *(f"KP10{i}" for i in range(1, 10)), *(f"KP20{i}" for i in range(1, 6)), "KP206", "KP207",
            *(f"KP30{i}" for i in range(1, 7)), *(f"KP40{i}" for i in range(1, 6)), "KP501", "KP901"]
    missing = [code for code in spec if lookup(code) is None]
    assert missing == [], f"rules in SPEC 7 not registered: {missing}"


def test_every_rule_has_help_with_a_fix() -> None:
    from kolplan.rules import all_rules

    for rule in all_rules():
        paragraphs = rule.doc.split("\n\n")
        assert len(paragraphs) >= 2, f"{rule.code}: help should say what, why and how to fix it"
        assert "Fix:" in rule.doc, f"{rule.code}: help has no 'Fix:'"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name


def test_markdown_sections_follow_the_category_order() -> None:
    from kolplan.rules import all_rules
    from kolplan.rules.doc import anchor, markdown
    from kolplan.rules.registry import CATEGORY_TITLES

    text = markdown()
    sections = re.findall(r"^## (.+)$", text, flags=re.M)
    assert sections[0] == "Contents"
    present = {r.category for r in all_rules()}
    assert sections[1:] == [t for c, t in CATEGORY_TITLES.items() if c in present]
    headings = re.findall(r"^### (KP\d{3}) ([a-z-]+)$", text, flags=re.M)
    assert headings == [(r.code, r.name) for c in CATEGORY_TITLES for r in all_rules() if r.category == c]
    # every table-of-contents link has its heading
    targets = set(re.findall(r"\]\(#([^)]+)\)", text))
    anchors = {anchor(h) for h in re.findall(r"^#{2,3} (.+)$", text, flags=re.M)}
    assert targets and targets <= anchors
    kp302 = text.split("### KP302 duplicate-kol", 1)[1].split("###", 1)[0]
    assert "Default severity: **error**; compares plans with each other" in kp302
    assert "multiple plans for the same KOL" in kp302


def test_anchor_matches_github() -> None:
    from kolplan.rules.doc import anchor

    assert anchor("KP101 activity-without-objective") == "kp101-activity-without-objective"
    assert anchor("Reading and schema") == "reading-and-schema"


# -- kolplan rules -------------------------------------------------------------------------
def test_rules_table_lists_every_rule() -> None:
    from kolplan.rules import all_rules
    from kolplan.rules.registry import CATEGORY_TITLES

    res = run("rules")
    assert res.code == 0
    codes = re.findall(r"^\s*(KP\d{3})\s", res.out, flags=re.M)
    order = list(CATEGORY_TITLES)
    assert codes == [r.code for r in sorted(all_rules(), key=lambda r: (order.index(r.category), r.code))]
    assert "KP302   duplicate-kol" in res.out
    assert "\x1b[" not in res.out  # no colour when not a terminal
    assert all(line == line.rstrip() for line in res.out.splitlines())


def test_rules_md_is_the_docs_file() -> None:
    from kolplan.rules.doc import markdown

    res = run("rules", "--format", "md")
    assert res.code == 0
    assert res.out == markdown()


def test_rules_json() -> None:
    res = run("rules", "--format", "json")
    assert res.code == 0
    doc = json.loads(res.out)
    assert doc["version"] == 1
    kp305 = next(r for r in doc["rules"] if r["code"] == "KP305")
    assert kp305["name"] == "outside-contact" and kp305["severity"] == "info"
    assert kp305["category"] == "ownership" and kp305["help"].startswith(kp305["summary"])


def test_rules_by_code_or_name() -> None:
    res = run("rules", "owner-not-on-plan", "KP301,kp302", "--format", "json")
    assert res.code == 0
    assert [r["code"] for r in res.json()["rules"]] == ["KP304", "KP301", "KP302"]


@pytest.mark.parametrize(("args", "words"), [(["KP999"], "KP999: unknown rule"),
                                            (["--format", "html"], "--format html: unknown format")])
def test_rules_bad_requests_exit_2(args: list[str], words: str) -> None:
    res = run("rules", *args)
    assert res.code == 2
    assert words in res.err


def test_rules_help_has_an_example() -> None:
    res = run("rules", "--help")
    assert res.code == 0
    assert "kolplan rules --format md > docs/rules.md" in res.out
