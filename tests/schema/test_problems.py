"""KP010 schema: how kolplan.schema.problems turns the models' validation errors into diagnostics,
through ``kolplan validate``: a failing fixture with its exact position and message, and a passing one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import VALID_PLAN, codes, col_of, diagnostics, line_of, make_repo, run


def lint(tmp_path: Path, text: str | bytes, name: str = "jane-okafor.yaml", **kw: str) -> list[dict[str, object]]:
    root = make_repo(tmp_path / "r", {name: text})
    return diagnostics(root, **kw)


def only(diags: list[dict[str, object]], code: str) -> dict[str, object]:
    found = [d for d in diags if d["code"] == code]
    assert len(found) == 1, diags
    return found[0]


# -- KP010 schema ---------------------------------------------------------------------
def test_kp010_unknown_key_with_suggestion(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("      kol_value:", "      kol_vaule:")
    d = only(lint(tmp_path, text), "KP010")
    assert (d["line"], d["column"]) == (line_of(text, "kol_vaule"), 7)
    assert "unknown key 'kol_vaule' in plan.objectives[O1] (did you mean 'kol_value'?)" in str(d["message"])


def test_kp010_unknown_key_allowed_under_custom(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("custom: {}", "custom:\n  anything: [1, 2]\n  nested: {x: y}")
    assert lint(tmp_path, text) == []


def test_kp010_missing_field_points_at_parent_key(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("  name: Jane Okafor\n", "")
    d = only(lint(tmp_path, text), "KP010")
    assert (d["line"], d["column"]) == (line_of(text, "kol:"), 1)
    assert "kol is missing the required key 'name'" in str(d["message"])


def test_kp010_missing_field_in_list_item_points_at_item(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("      statement: Co-author a review on MRD endpoints\n", "")
    d = only(lint(tmp_path, text), "KP010")
    assert (d["line"], d["column"]) == (line_of(text, "- id: O1"), 7)
    assert "plan.objectives[O1] is missing the required key 'statement'" in str(d["message"])


def test_kp010_missing_top_level_field_is_whole_file(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("schema: kolplan/v1\n", "")
    d = only(lint(tmp_path, text), "KP010")
    assert (d["line"], d["column"]) == (1, 1)


def test_kp010_bad_enum_value_with_suggestion(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("  tier: national", "  tier: nationl")
    d = only(lint(tmp_path, text), "KP010")
    assert (d["line"], d["column"]) == (line_of(text, "tier: nationl"), 9)
    assert "'nationl' is not one of: global, national" in str(d["message"])
    assert "did you mean 'national'?" in str(d["message"])


@pytest.mark.parametrize(
    ("old", "new", "needle", "words"),
    [
        ("      score: 9", "      score: high", "high", "should be a whole number"),
        ("      score: 9", "      score: 11", "11", "less than or equal to 10"),
        ("      due: 2026-09-30", "      due: 2026-02-30", "2026-02-30", "not a real date"),
        ("      due: 2026-09-30", "      due: 30/09/2026", "30/09/2026", "YYYY-MM-DD"),
        ("  country: US", "  country: UK", "UK", "write GB"),
        ("  co_developed_with_kol: true", "  co_developed_with_kol: yes", "yes", "true or false"),
        ("      hours: 4", "      hours: -4", "-4", "must not be negative"),
        ("  share_of_scientific_voice: 0.18", "  share_of_scientific_voice: 18", "18", "less than or equal to 1"),
        ("id: jane-okafor", "id: Jane_Okafor", "Jane_Okafor", "not a valid plan id"),
        ("schema: kolplan/v1", "schema: kolplan/v2", "kolplan/v2", "kolplan/v1"),
        ("  therapeutic_areas: [oncology, haematology]", "  therapeutic_areas: oncology", "oncology",
         "should be a list"),
    ],
)
def test_kp010_wrong_values(tmp_path: Path, old: str, new: str, needle: str, words: str) -> None:
    assert old in VALID_PLAN
    text = VALID_PLAN.replace(old, new)
    found = [d for d in lint(tmp_path, text) if d["code"] == "KP010"]
    assert len(found) == 1, found
    d = found[0]
    assert (d["line"], d["column"]) == (line_of(text, new), col_of(text, new) + new.index(needle)), d
    assert words in str(d["message"]), d["message"]


# Identifiers and ids are text (SPEC 4, issue 15): a YAML number is refused, never converted
# (0012345 would become 12345 and hide a duplicate KOL), and the message says to quote it.
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('    crm_id: "V-248113"', "    crm_id: 0012345",
         'kol.identifiers.crm_id: 0012345 is a number in YAML (read as 12345); identifiers are text: '
         'write crm_id: "0012345"'),
        ('    npi: "1234567893"', "    npi: 1234567893",
         'kol.identifiers.npi: 1234567893 is a number in YAML; identifiers are text: write npi: "1234567893"'),
        ('    crm_id: "V-248113"', "    crm_id: 1.50",
         'kol.identifiers.crm_id: 1.50 is a number in YAML (read as 1.5); identifiers are text: '
         'write crm_id: "1.50"'),
        ("    - id: O1", "    - id: 1",
         'plan.objectives[1].id: 1 is a number in YAML; ids are text: write id: "1"'),
        ("    - id: A1", "    - id: 1",
         'plan.activities[1].id: 1 is a number in YAML; ids are text: write id: "1"'),
        ("      objectives: [O1]\n      owner: r.patel", "      objectives: [1]\n      owner: r.patel",
         'plan.activities[A1].objectives[#1]: 1 is a number in YAML; ids are text: write "1"'),
        # other text fields (SPEC 4 v1.2): the JSON Schema says "string", so validate refuses it too
        ("  name: Jane Okafor", "  name: 2024",
         'kol.name: 2024 is a number in YAML; name is text: write name: "2024"'),
        ("      metric: manuscript submitted", "      metric: 5",
         'plan.objectives[O1].metric: 5 is a number in YAML; metric is text: write metric: "5"'),
        ("  institution: University Hospital Example", "  institution: 12.50",
         'kol.institution: 12.50 is a number in YAML (read as 12.5); institution is text: write institution: '
         '"12.50"'),
        ("  therapeutic_areas: [oncology, haematology]", "  therapeutic_areas: [2024]",
         'kol.therapeutic_areas[#1]: 2024 is a number in YAML; the items of this list are text: write "2024"'),
    ],
)
def test_kp010_a_number_where_text_is_meant(tmp_path: Path, old: str, new: str,
                                                           message: str) -> None:
    assert old in VALID_PLAN
    text = VALID_PLAN.replace(old, new, 1)
    first = new.split("\n")[0]
    value = first.split(": ", 1)[1].strip("[]")
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": text})
    d = only(diagnostics(root), "KP010")
    assert (d["line"], d["column"]) == (line_of(text, first), col_of(text, first) + first.index(value)), d
    assert d["severity"] == "error"
    assert d["message"] == message
    res = run("validate", "--repo", str(root), "--as-of", "2026-06-15", "--no-cache")
    assert res.code == 1
    assert f"plans/jane-okafor.yaml:{d['line']}:{d['column']}: error KP010 schema: {message}" in res.out
    quoted = VALID_PLAN.replace(old, new.replace(f" {value}", f' "{value}"', 1).replace(f"[{value}]", f'["{value}"]'),
                                1)
    assert "KP010" not in codes(lint(tmp_path / "q", quoted))  # quoted, it is text (KP013 may then
    # say that the activities refer to O1, or that objective 1 does not exist: a different matter)


def test_an_unquoted_date_where_text_is_meant_is_its_text(tmp_path: Path) -> None:
    """Editors and JSON Schema tools read 2026-03-02 as text (YAML 1.2 has no dates): so does validate."""
    text = VALID_PLAN.replace("summary: Slides too promotional.", "summary: 2026-03-02", 1)
    assert "KP010" not in codes(lint(tmp_path, text))


def test_a_whole_score_written_with_a_decimal_point_is_whole(tmp_path: Path) -> None:
    """9.0 is an integer to JSON Schema; 9.5 is not, for either."""
    assert "KP010" not in codes(lint(tmp_path / "a", VALID_PLAN.replace("      score: 9\n", "      score: 9.0\n", 1)))
    d = only(lint(tmp_path / "b", VALID_PLAN.replace("      score: 9\n", "      score: 9.5\n", 1)), "KP010")
    assert d["message"] == "plan.satisfaction[#1].score should be a whole number, not a number (9.5)"


def test_kp010_a_numeric_plan_id(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("id: jane-okafor", "id: 12", 1)
    d = only(lint(tmp_path, text, name="12.yaml"), "KP010")
    assert (d["line"], d["column"]) == (line_of(text, "id: 12"), 5)
    assert d["message"] == 'id: 12 is a number in YAML; ids are text: write id: "12"'
    assert codes(lint(tmp_path / "q", VALID_PLAN.replace("id: jane-okafor", 'id: "12"', 1), name="12.yaml")) == []


def test_kp010_done_activity_needs_a_date(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("      date: 2026-04-15\n", "")
    d = only(lint(tmp_path, text), "KP010")
    assert (d["line"], d["column"]) == (line_of(text, "- id: A1"), 7)
    assert "activity A1 is done but has no date" in str(d["message"])


def test_kp010_lists_may_be_empty_or_absent(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("feedback:\n  - date: 2026-03-02\n    summary: Slides too promotional.\n"
                              "    response: Revised deck with balanced safety data.\n", "feedback:\n")
    assert "feedback:\n" in text
    assert codes(lint(tmp_path, text)) == []
