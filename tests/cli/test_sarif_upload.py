"""SARIF that GitHub keeps (issue 16, item 2): valid against the OASIS schema and GitHub's
upload schema, regions with an end, fingerprints stable across days and moved lines (at most
25,000 results per run: tests/formats/test_sarif.py).

The schemas are not copied into the repository: CI has ``../shared`` beside the checkout.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_validate_sarif import PLAN, as_json, sarif
from tests.helpers import CONFIG, VALID_PLAN, make_repo, run

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT.parent / "shared" / "schemas"


@cache
def _validators() -> list[Any]:
    jsonschema = pytest.importorskip("jsonschema")
    if not (SCHEMAS / "sarif-2.1.0.json").is_file() and not os.environ.get("CI"):
        # CI runs with ../shared beside the checkout (and fails below if it is missing); a plain clone skips
        pytest.skip(f"the SARIF schemas are not beside this checkout ({SCHEMAS}); CI has them")
    out = []
    oasis = json.loads((SCHEMAS / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert "draft-04" in oasis["$schema"]
    out.append(jsonschema.Draft4Validator(oasis))
    github = json.loads((SCHEMAS / "sarif-2.1.0-github-upload.json").read_text(encoding="utf-8"))
    out.append(jsonschema.validators.validator_for(github)(github))
    return out


def assert_valid(doc: dict[str, Any]) -> None:
    for validator in _validators():
        errors = sorted(validator.iter_errors(doc), key=str)
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def results(doc: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = doc["runs"][0]["results"]
    return out


def regions(doc: dict[str, Any]) -> list[dict[str, int]]:
    return [r["locations"][0]["physicalLocation"]["region"] for r in results(doc)]


def fingerprints(doc: dict[str, Any]) -> list[tuple[tuple[str, str], ...]]:
    return [tuple(sorted(r["partialFingerprints"].items())) for r in results(doc)]


def test_sample_portfolio_validates_against_both_schemas() -> None:
    res = run("validate", "--repo", str(ROOT), "--as-of", "2026-11-20", "--format", "sarif", "--no-cache")
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    assert_valid(doc)
    for region in regions(doc):
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])


def test_every_severity_validates_and_has_regions_with_an_end(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": PLAN})
    code, doc = sarif(root)
    assert code == 1
    assert {r["level"] for r in results(doc)} == {"error", "warning", "note"}
    assert_valid(doc)
    lines = (root / "plans" / "jane-okafor.yaml").read_text(encoding="utf-8").splitlines()
    for region in regions(doc):
        assert region["endLine"] == region["startLine"]
        assert region["endColumn"] > region["startColumn"]
        text = lines[region["startLine"] - 1]
        token = text[region["startColumn"] - 1:region["endColumn"] - 1]
        assert token.strip() == token and token  # a key or a value, no blanks around it
        assert region["endColumn"] <= len(text) + 1


def test_region_of_an_unknown_owner_is_the_value(tmp_path: Path) -> None:
    plan = VALID_PLAN.replace("      owner: a.chen", "      owner: p.jonse  # typo", 1)
    code, doc = sarif(make_repo(tmp_path / "r", {"jane-okafor.yaml": plan}))
    assert code == 1
    (result,) = [r for r in results(doc) if r["ruleId"] == "KP012"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["endColumn"] - region["startColumn"] == len("p.jonse")


def test_columns_count_utf16_code_units_inside_a_token_with_a_non_bmp_character(tmp_path: Path) -> None:
    # 😀 is one code point but two UTF-16 code units: the SARIF end counts it twice
    plan = VALID_PLAN.replace("      owner: a.chen", '      owner: "😀p.jonse"', 1)
    code, doc = sarif(make_repo(tmp_path / "r", {"jane-okafor.yaml": plan}))
    assert code == 1
    assert doc["runs"][0]["columnKind"] == "utf16CodeUnits"
    (result,) = [r for r in results(doc) if r["ruleId"] == "KP012"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startColumn"] == len("      owner: ") + 1
    assert region["endColumn"] - region["startColumn"] == len('"😀p.jonse"'.encode("utf-16-le")) // 2 == 11
    assert_valid(doc)


# A2 as one flow mapping: its owner and its date come after 😀 and 𝔘 on the same line.
FLOW_A2 = ('    - {id: A2, type: publication, title: "😀 MRD 𝔘 review", objectives: [O1], owner: p.jonse, '
           "date: 2026-09-01, status: planned}")
BLOCK_A2 = """    - id: A2
      type: publication
      title: MRD endpoints review
      objectives: [O1]
      owner: a.chen
      date: 2026-09-01
      status: planned"""


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_non_bmp_characters_before_the_fault_shift_sarif_columns_not_kolplans(tmp_path: Path) -> None:
    """kolplan counts code points (text, json, github); SARIF says utf16CodeUnits and counts
    them, so the region's text is the token at fault for a reader that indexes the line's
    UTF-16 string (the VS Code SARIF viewer) and for one that honours columnKind."""
    assert BLOCK_A2 in VALID_PLAN
    plan = VALID_PLAN.replace(BLOCK_A2, FLOW_A2)
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": plan})
    by_code = {d["code"]: d for d in as_json(root)}
    at = FLOW_A2.index("p.jonse")
    assert by_code["KP012"]["column"] == at + 1  # kolplan's column: code points
    code, doc = sarif(root)
    assert code == 1
    assert_valid(doc)
    assert doc["runs"][0]["columnKind"] == "utf16CodeUnits"
    line = FLOW_A2.encode("utf-16-le")
    found = {}
    for r in results(doc):
        region = r["locations"][0]["physicalLocation"]["region"]
        if region["startLine"] == by_code["KP012"]["line"]:
            start, end = region["startColumn"] - 1, region["endColumn"] - 1
            found[r["ruleId"]] = line[2 * start:2 * end].decode("utf-16-le")
    assert found["KP012"] == "p.jonse"
    (owner,) = [r for r in results(doc) if r["ruleId"] == "KP012"]
    assert owner["locations"][0]["physicalLocation"]["region"]["startColumn"] == utf16(FLOW_A2[:at]) + 1 == at + 3


def test_fingerprints_are_the_same_on_two_days(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})
    docs = []
    for day in ("2026-12-01", "2026-12-02"):
        res = run("validate", "--repo", str(root), "--as-of", day, "--format", "sarif", "--no-cache")
        assert res.code == 0, res.err  # KP201 is a warning
        docs.append(json.loads(res.out))
    (first,) = [r for r in results(docs[0]) if r["ruleId"] == "KP201"]
    (second,) = [r for r in results(docs[1]) if r["ruleId"] == "KP201"]
    assert first["message"]["text"] != second["message"]["text"]  # the day count moved
    assert first["partialFingerprints"] == second["partialFingerprints"]
    assert fingerprints(docs[0]) == fingerprints(docs[1])


def test_fingerprints_survive_lines_inserted_above_and_differ_between_findings(tmp_path: Path) -> None:
    _, before = sarif(make_repo(tmp_path / "a", {"jane-okafor.yaml": PLAN}))
    moved = PLAN.replace("owners:\n", "# who owns this plan\n# (reviewed quarterly)\nowners:\n", 1)
    _, after = sarif(make_repo(tmp_path / "b", {"jane-okafor.yaml": moved}))
    assert fingerprints(before) == fingerprints(after)
    assert [r["startLine"] for r in regions(before)] != [r["startLine"] for r in regions(after)]
    assert len(set(fingerprints(before))) == len(fingerprints(before)) >= 4


def test_a_broken_config_gets_a_valid_sarif_document(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN}, config=CONFIG + "colour: blue\n")
    res = run("validate", "--repo", str(root), "--format", "sarif", "--no-cache")
    assert res.code == 2
    doc = json.loads(res.out)
    assert_valid(doc)
    (result,) = results(doc)
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "kolplan.yaml"
    line = CONFIG.count("\n") + 1
    assert physical["region"] == {"startLine": line, "startColumn": 1, "endLine": line, "endColumn": 7}
