"""`kolplan validate --format sarif`: the SARIF 2.1.0 structure GitHub code scanning reads.

The network is closed, so the schema itself is not fetched: these checks follow the
2.1.0 specification's required properties for what kolplan emits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import AS_OF, CONFIG, VALID_PLAN, make_repo, run

# KP301 (error: two leads), KP304 on A1 and A2 (warning), KP305 (info), KP901 twice with one message.
PLAN = (VALID_PLAN
        .replace("  - person: r.patel\n    role: contributor", "  - person: r.patel\n    role: lead")
        .replace("      owner: r.patel", "      owner: c.jones")
        .replace("      owner: a.chen", "      owner: c.jones")
        .replace("    by: a.chen", "    by: m.diaz")
        .replace("  tier: national", "  tier: national  # kolplan: ignore[KP101]")
        .replace("  cadence: monthly", "  cadence: monthly  # kolplan: ignore[KP101]"))
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def sarif(root: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "sarif", "--no-cache", *extra)
    assert "Traceback" not in res.err
    import json

    return res.code, json.loads(res.out)


def as_json(root: Path) -> list[dict[str, Any]]:
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json", "--no-cache")
    assert res.code in (0, 1), res.err
    diags: list[dict[str, Any]] = res.json()["diagnostics"]
    return diags


def test_top_level_structure(tmp_path: Path) -> None:
    code, doc = sarif(make_repo(tmp_path / "r", {"jane-okafor.yaml": PLAN}))
    assert code == 1  # the exit code does not depend on the format
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].endswith("sarif-2.1.0.json") and doc["$schema"].startswith("https://")
    assert len(doc["runs"]) == 1
    run_ = doc["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "kolplan"
    from kolplan import __version__

    assert driver["version"] == __version__
    assert run_["columnKind"] == "utf16CodeUnits"
    assert isinstance(run_["results"], list)


def test_every_registered_rule_is_described(tmp_path: Path) -> None:
    from kolplan.rules import all_rules

    code, doc = sarif(make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN}))
    assert code == 0
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    registered = all_rules()
    assert [r["id"] for r in rules] == [r.code for r in registered]
    assert len(rules) >= 30  # KP001-KP016, KP101-KP109, KP2xx, KP3xx, ... KP901
    for entry, rule in zip(rules, registered, strict=True):
        assert entry["name"] == rule.name
        assert entry["shortDescription"]["text"] and "\n" not in entry["shortDescription"]["text"]
        assert entry["fullDescription"]["text"] == rule.doc
        assert entry["help"]["text"] == rule.doc and entry["help"]["markdown"]
        assert entry["defaultConfiguration"]["level"] == LEVELS[rule.severity.value]
        assert entry["helpUri"].endswith(f"docs/rules.md#{rule.code.lower()}-{rule.name}")
    assert doc["runs"][0]["results"] == []


def test_results_match_the_json_diagnostics(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"oncology/jane-okafor.yaml": PLAN})
    code, doc = sarif(root)
    assert code == 1
    expected = as_json(root)
    codes = [d["code"] for d in expected]
    assert {"KP301", "KP304", "KP305", "KP901"} <= set(codes) and codes.count("KP901") == 2
    run_ = doc["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    results = run_["results"]
    assert len(results) == len(expected)
    for result, d in zip(results, expected, strict=True):
        assert result["ruleId"] == d["code"]
        assert rules[result["ruleIndex"]]["id"] == d["code"]
        assert result["level"] == LEVELS[d["severity"]]
        assert result["message"]["text"] == d["message"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert uri == d["path"] == "plans/oncology/jane-okafor.yaml"
        assert not uri.startswith(("/", "./")) and "\\" not in uri
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        region = physical["region"]
        assert (region["startLine"], region["startColumn"]) == (d["line"], d["column"])
        assert region["endLine"] == region["startLine"] and region["endColumn"] > region["startColumn"]
        assert result["partialFingerprints"]
    fingerprints = [tuple(sorted(r["partialFingerprints"].items())) for r in results]
    assert len(set(fingerprints)) == len(fingerprints)  # the two identical KP901s stay apart


def test_fingerprints_survive_moved_lines(tmp_path: Path) -> None:
    code, before = sarif(make_repo(tmp_path / "a", {"jane-okafor.yaml": PLAN}))
    assert code == 1
    code, after = sarif(make_repo(tmp_path / "b", {"jane-okafor.yaml": "# a comment added on top\n" + PLAN}))
    assert code == 1
    fp_before = [r["partialFingerprints"] for r in before["runs"][0]["results"]]
    fp_after = [r["partialFingerprints"] for r in after["runs"][0]["results"]]
    assert fp_before == fp_after
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after["runs"][0]["results"]]
    assert lines == [r["locations"][0]["physicalLocation"]["region"]["startLine"] + 1
                     for r in before["runs"][0]["results"]]


def test_severity_overrides_change_the_result_level_not_the_default(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": PLAN},
                     config=CONFIG + "rules:\n  severity: {KP305: error}\n")
    code, doc = sarif(root)
    assert code == 1
    run_ = doc["runs"][0]
    kp305 = [r for r in run_["results"] if r["ruleId"] == "KP305"]
    assert [r["level"] for r in kp305] == ["error"]
    assert run_["tool"]["driver"]["rules"][kp305[0]["ruleIndex"]]["defaultConfiguration"]["level"] == "note"


def test_uri_is_percent_encoded(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"Onco Team/jane-okafor.yaml": PLAN})
    code, doc = sarif(root)
    assert code == 1
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert uris == {"plans/Onco%20Team/jane-okafor.yaml"}
