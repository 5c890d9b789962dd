"""KP0xx reading rules (kolplan.rules.reading): exact positions and messages, a passing case beside
each failing one, and the edges. KP001-KP003 are found while the file is read, KP011-KP016 once it
has read and matched the schema; KP010 schema is in tests/schema/test_problems.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import AS_OF, VALID_PLAN, codes, col_of, diagnostics, line_of, make_repo
from tests.rules.support import at, lint, of, only, sub


def lint_files(tmp_path: Path, plans: dict[str, str | bytes], **kw: Any) -> list[dict[str, Any]]:
    """``kolplan validate --format json`` over a repository holding ``plans`` (paths under plans/)."""
    return diagnostics(make_repo(tmp_path / "r", plans), **kw)


def test_valid_plan_has_no_diagnostics(tmp_path: Path) -> None:
    assert lint(tmp_path, VALID_PLAN) == []


@pytest.mark.parametrize(("code", "name"), [
    ("KP001", "yaml-syntax"), ("KP002", "duplicate-key"), ("KP003", "unreadable-file"), ("KP010", "schema"),
    ("KP011", "id-mismatch"), ("KP012", "unknown-person"), ("KP013", "bad-reference"), ("KP014", "bad-dates"),
    ("KP015", "bad-identifier"), ("KP016", "duplicate-plan-id"),
])
def test_reading_rules_are_errors_under_their_spec_names(code: str, name: str) -> None:
    from kolplan.diagnostics import Severity
    from kolplan.rules import lookup

    rule = lookup(code)
    assert rule is not None and (rule.name, rule.severity) == (name, Severity.ERROR)
    assert lookup(name) is rule


# -- KP001 yaml-syntax ---------------------------------------------------------------
def test_kp001_tab_indentation(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("  cadence: monthly", "\tcadence: monthly")
    d = only(lint(tmp_path, text), "KP001")
    assert (d["line"], d["column"]) == (line_of(text, "cadence: monthly"), 1)
    assert d["rule"] == "yaml-syntax" and d["severity"] == "error"
    assert "spaces, not tabs" in str(d["message"])


def test_kp001_unclosed_quote(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("  purpose: Build", '  purpose: "Build')
    d = only(lint(tmp_path, text), "KP001")
    assert d["line"] >= line_of(text, "purpose:")
    assert "quoted scalar" in str(d["message"])


def test_kp001_only_reading_errors_are_reported(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("id: jane-okafor", "id: other").replace("  cadence: monthly", "\tcadence: x")
    assert codes(lint(tmp_path, text)) == ["KP001"]  # no KP011 from a file that does not parse


# -- KP002 duplicate-key --------------------------------------------------------------
def test_kp002_duplicate_key(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("  tier: national\n", "  tier: national\n  tier: global\n")
    d = only(lint(tmp_path, text), "KP002")
    assert (d["line"], d["column"]) == (line_of(text, "tier: global"), 3)
    assert f"lines {line_of(text, 'tier: national')} and {line_of(text, 'tier: global')}" in str(d["message"])


def test_kp002_duplicate_key_at_depth(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("      hours: 4\n", "      hours: 4\n      hours: 5\n")
    d = only(lint(tmp_path, text), "KP002")
    assert (d["line"], d["column"]) == (line_of(text, "hours: 5"), 7)


# -- KP003 unreadable-file --------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "NUL"),
        (b"id: caf\xe9\n", "not UTF-8"),
        (b"- a list\n", "must be a mapping"),
        (b"x: " + b"y" * (1024 * 1024) + b"\n", "1 MiB"),
    ],
)
def test_kp003_unreadable(tmp_path: Path, content: bytes, words: str) -> None:
    d = only(lint_files(tmp_path, {"jane-okafor.yaml": content}), "KP003")
    assert d["rule"] == "unreadable-file"
    assert words in str(d["message"])


def test_kp003_not_utf8_points_at_the_byte(tmp_path: Path) -> None:
    d = only(lint_files(tmp_path, {"jane-okafor.yaml": b"schema: kolplan/v1\nid: caf\xe9\n"}), "KP003")
    assert (d["line"], d["column"]) == (2, 8)


# -- KP011 id-mismatch ----------------------------------------------------------------
def test_kp011_id_mismatch(tmp_path: Path) -> None:
    d = only(lint_files(tmp_path, {"janet-okafor.yaml": VALID_PLAN}), "KP011")
    assert at(d) == (2, 5)
    assert d["severity"] == "error" and d["rule"] == "id-mismatch"
    assert d["message"] == ("id 'jane-okafor' does not match the file name 'janet-okafor': set id: janet-okafor "
                            "or rename the file to jane-okafor.yaml")


@pytest.mark.parametrize("name", ["jane-okafor.yaml", "jane-okafor.yml", "oncology/emea/jane-okafor.yaml"])
def test_kp011_the_stem_is_the_name_less_its_suffix_and_folders(tmp_path: Path, name: str) -> None:
    assert of(lint_files(tmp_path, {name: VALID_PLAN}), "KP011") == []


def test_kp011_the_comparison_is_case_sensitive(tmp_path: Path) -> None:
    d = only(lint_files(tmp_path, {"Jane-Okafor.yaml": VALID_PLAN}), "KP011")
    assert "does not match the file name 'Jane-Okafor'" in d["message"]


def test_kp011_not_reported_on_a_plan_with_a_schema_error(tmp_path: Path) -> None:
    # SPEC 7: a plan with KP010 errors gets no diagnostics from the rules after it
    text = sub(VALID_PLAN, "  tier: national", "  tier: superstar")
    assert codes(lint_files(tmp_path, {"janet-okafor.yaml": text})) == ["KP010"]


# -- KP012 unknown-person ---------------------------------------------------------------
def test_kp012_unknown_person_with_suggestion(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("  - person: a.chen", "  - person: a.chne")
    d = only(lint(tmp_path, text), "KP012")
    assert (d["line"], d["column"]) == (line_of(text, "a.chne"), 13)
    assert d["message"] == "owner 'a.chne' is not in kolplan.yaml people (did you mean 'a.chen'?)"


def test_kp012_unknown_person_with_nothing_close(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "    stakeholders: [a.chen, r.patel]", "    stakeholders: [a.chen, xyzzy]")
    d = only(lint(tmp_path, text), "KP012")
    assert at(d) == (line_of(text, "xyzzy"), col_of(text, "xyzzy"))
    assert d["message"] == "stakeholder 'xyzzy' is not in kolplan.yaml people: add them to people: in kolplan.yaml"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("      owner: r.patel", "      owner: nobody"),
        ("    by: a.chen", "    by: nobody"),
        ("    stakeholders: [a.chen, r.patel]", "    stakeholders: [a.chen, nobody]"),
    ],
)
def test_kp012_every_handle_is_checked(tmp_path: Path, old: str, new: str) -> None:
    text = VALID_PLAN.replace(old, new)
    d = only(lint(tmp_path, text), "KP012")
    assert (d["line"], d["column"]) == (line_of(text, new), col_of(text, "nobody"))


def test_kp012_says_which_kind_of_handle(tmp_path: Path) -> None:
    text = sub(sub(VALID_PLAN, "      owner: r.patel", "      owner: nobody"), "    by: a.chen", "    by: noone")
    assert sorted(d["message"].split(" is not", 1)[0] for d in of(lint(tmp_path, text), "KP012")) == [
        "activity A1 owner 'nobody'", "interaction author 'noone'"]


def test_kp012_handles_are_case_sensitive(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "    by: a.chen", "    by: A.Chen")
    d = only(lint(tmp_path, text), "KP012")
    assert d["message"] == "interaction author 'A.Chen' is not in kolplan.yaml people (did you mean 'a.chen'?)"


def test_kp012_anyone_in_people_passes_whether_or_not_an_owner(tmp_path: Path) -> None:
    # m.diaz is in people but not among the plan's owners: other rules may speak (KP305), not KP012
    text = sub(VALID_PLAN, "    by: a.chen", "    by: m.diaz")
    assert of(lint(tmp_path, text), "KP012") == []


# -- KP013 bad-reference ----------------------------------------------------------------
def test_kp013_unknown_objective(tmp_path: Path) -> None:
    old = "      objectives: [O1]\n      owner: a.chen"
    text = VALID_PLAN.replace(old, old.replace("O1", "O9"))
    d = only(lint(tmp_path, text), "KP013")
    assert (d["line"], d["column"]) == (line_of(text, "[O9]"), col_of(text, "O9]"))
    assert "objective 'O9', which does not exist" in str(d["message"])


def test_kp013_unknown_objective_message_suggests_and_lists(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "      objectives: [O1]\n      owner: a.chen", "      objectives: [o1]\n      owner: a.chen")
    d = only(lint(tmp_path, text), "KP013")
    assert d["message"] == ("activity A2 links to objective 'o1', which does not exist (did you mean 'O1'?); "
                            "objectives are: O1")


def test_kp013_duplicate_activity_id(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("    - id: A2", "    - id: A1")
    d = only(lint(tmp_path, text), "KP013")
    assert (d["line"], d["column"]) == (line_of(text, "- id: A1", 2), 11)
    assert "activity id 'A1' is used twice" in str(d["message"])


def test_kp013_duplicate_objective_id_is_reported_on_the_second(tmp_path: Path) -> None:
    second = ("    - id: O1\n      statement: Present at ASH\n      kol_value: a podium\n      org_value: reach\n"
              "      metric: talk given\n      target: 1\n      due: 2026-12-01\n      status: on-track\n")
    text = sub(VALID_PLAN, "  activities:\n", second + "  activities:\n")
    d = only(lint(tmp_path, text), "KP013")
    assert at(d) == (line_of(text, "- id: O1", 2), 11)
    assert d["message"] == "objective id 'O1' is used twice (also item #1): give each objective its own id"


def test_kp013_an_activity_and_an_objective_may_share_an_id(tmp_path: Path) -> None:
    # the two id spaces are separate: only a repeat within objectives or within activities counts
    text = sub(VALID_PLAN, "    - id: A2", "    - id: O1")
    assert of(lint(tmp_path, text), "KP013") == []


# -- KP014 bad-dates ---------------------------------------------------------------------
def test_kp014_period_ends_before_start(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("end: 2026-12-31", "end: 2025-12-31")
    d = only(lint(tmp_path, text), "KP014")
    assert (d["line"], d["column"]) == (line_of(text, "period:"), col_of(text, "2025-12-31"))
    assert d["message"] == "plan period ends (2025-12-31) before it starts (2026-01-01): fix one of the two dates"


def test_kp014_a_period_of_one_day_is_fine(tmp_path: Path) -> None:
    text = sub(VALID_PLAN, "{start: 2026-01-01, end: 2026-12-31}", "{start: 2026-01-01, end: 2026-01-01}")
    assert of(lint(tmp_path, text), "KP014") == []


def test_kp014_interaction_in_the_future(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("  - date: 2026-06-01", "  - date: 2026-06-17")
    d = only(lint(tmp_path, text), "KP014")
    assert (d["line"], d["column"]) == (line_of(text, "2026-06-17"), 11)
    assert d["message"] == f"interaction is dated 2026-06-17, after today ({AS_OF}): fix the date"


def test_kp014_one_day_of_slack_for_time_zones(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("  - date: 2026-06-01", "  - date: 2026-06-16")
    assert "KP014" not in codes(lint(tmp_path, text))


def test_kp014_depends_on_as_of(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("  - date: 2026-06-01", "  - date: 2026-06-20")
    assert "KP014" in codes(lint(tmp_path / "a", text))
    assert "KP014" not in codes(lint(tmp_path / "b", text, as_of="2026-06-20"))


@pytest.mark.parametrize(
    ("key", "date", "what"),
    [
        ("  - date: ", "2026-03-02", "feedback"),
        ("    - date: ", "2026-03-30", "satisfaction score"),
        ("      date: ", "2026-04-15", "done activity A1"),
    ],
)
def test_kp014_everything_that_already_happened(tmp_path: Path, key: str, date: str, what: str) -> None:
    late = sub(VALID_PLAN, key + date, key + "2026-06-17")
    d = only(lint(tmp_path / "late", late), "KP014")
    assert at(d) == (line_of(late, key + "2026-06-17"), col_of(late, "2026-06-17"))
    assert d["message"] == f"{what} is dated 2026-06-17, after today ({AS_OF}): fix the date"
    on_time = sub(VALID_PLAN, key + date, key + "2026-06-16")  # --as-of plus one day
    assert of(lint(tmp_path / "on-time", on_time), "KP014") == []


@pytest.mark.parametrize("status", ["planned", "cancelled"])
def test_kp014_an_activity_not_done_may_be_in_the_future(tmp_path: Path, status: str) -> None:
    text = sub(sub(VALID_PLAN, "      date: 2026-04-15", "      date: 2026-11-15"), "      status: done",
               f"      status: {status}")
    assert of(lint(tmp_path, text), "KP014") == []


# -- KP015 bad-identifier ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('npi: "1234567893"', 'npi: "1234567890"', "wrong check digit"),
        ("orcid: 0000-0002-1825-0097", "orcid: 0000-0002-1825-0098", "wrong check character"),
        ("email: j.okafor@example.org", "email: j.okafor(at)example", "not a valid address"),
    ],
)
def test_kp015_bad_identifier(tmp_path: Path, old: str, new: str, words: str) -> None:
    text = VALID_PLAN.replace(old, new)
    d = only(lint(tmp_path, text), "KP015")
    assert (d["line"], d["column"]) == (line_of(text, new), col_of(text, new) + new.index(":") + 2)
    assert words in str(d["message"])


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('npi: "1234567893"', 'npi: "1234567890"',
         "NPI '1234567890' has a wrong check digit (expected 3 last): copy it again from NPPES"),
        ('npi: "1234567893"', 'npi: "123456789"', "NPI '123456789' should be exactly 10 digits"),
        ('npi: "1234567893"', 'npi: "12345678930"', "NPI '12345678930' should be exactly 10 digits"),
        ("orcid: 0000-0002-1825-0097", "orcid: 0000-0002-1825-0098",
         "ORCID '0000-0002-1825-0098' has a wrong check character (expected 7 last): copy it again from orcid.org"),
        ("orcid: 0000-0002-1825-0097", 'orcid: "0000000218250097"',
         "ORCID '0000000218250097' should look like 0000-0002-1825-0097"),
        ("email: j.okafor@example.org", "email: j.okafor@example",
         "email 'j.okafor@example' is not a valid address (name@domain.tld)"),
        ("email: j.okafor@example.org", "email: j okafor@example.org",
         "email 'j okafor@example.org' is not a valid address (name@domain.tld)"),
    ],
)
def test_kp015_messages_say_what_is_wrong(tmp_path: Path, old: str, new: str, message: str) -> None:
    d = only(lint(tmp_path, sub(VALID_PLAN, old, new)), "KP015")
    assert d["message"] == message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("orcid: 0000-0002-1825-0097", "orcid: 0000-0002-1694-233X"),  # the check character may be X
        ('npi: "1234567893"', 'npi: "1245319599"'),
        ("email: j.okafor@example.org", "email: J.Okafor+kol@mail.example.co.uk"),
    ],
)
def test_kp015_valid_identifiers_pass(tmp_path: Path, old: str, new: str) -> None:
    assert of(lint(tmp_path, sub(VALID_PLAN, old, new)), "KP015") == []


def test_kp015_identifiers_are_optional(tmp_path: Path) -> None:
    text = sub(sub(sub(VALID_PLAN, '    npi: "1234567893"\n', ""), "    orcid: 0000-0002-1825-0097\n", ""),
               "    email: j.okafor@example.org\n", "")
    assert of(lint(tmp_path, text), "KP015") == []


# -- KP016 duplicate-plan-id --------------------------------------------------------------
def test_kp016_same_stem_in_two_folders(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"onc/jane-okafor.yaml": VALID_PLAN, "haem/jane-okafor.yaml": VALID_PLAN})
    diags = [d for d in diagnostics(root) if d["code"] == "KP016"]
    assert sorted(str(d["path"]) for d in diags) == ["plans/haem/jane-okafor.yaml", "plans/onc/jane-okafor.yaml"]
    assert all((d["line"], d["column"]) == (1, 1) for d in diags)
    assert "also used by plans/onc/jane-okafor.yaml" in str(diags[0]["message"])


def test_kp016_yaml_and_yml_of_one_stem_in_one_folder(tmp_path: Path) -> None:
    diags = of(lint_files(tmp_path, {"jane-okafor.yaml": VALID_PLAN, "jane-okafor.yml": VALID_PLAN}), "KP016")
    assert [(d["path"], d["message"]) for d in diags] == [
        ("plans/jane-okafor.yaml", "plan id 'jane-okafor' is also used by plans/jane-okafor.yml: merge the plans "
                                   "or rename one"),
        ("plans/jane-okafor.yml", "plan id 'jane-okafor' is also used by plans/jane-okafor.yaml: merge the plans "
                                  "or rename one"),
    ]


def test_kp016_three_files_each_name_the_other_two(tmp_path: Path) -> None:
    plans = {f"{team}/jane-okafor.yaml": VALID_PLAN for team in ("a", "b", "c")}
    diags = of(lint_files(tmp_path, plans), "KP016")
    assert {d["path"]: d["message"].split(" is also used by ")[1].split(":")[0] for d in diags} == {
        "plans/a/jane-okafor.yaml": "plans/b/jane-okafor.yaml, plans/c/jane-okafor.yaml",
        "plans/b/jane-okafor.yaml": "plans/a/jane-okafor.yaml, plans/c/jane-okafor.yaml",
        "plans/c/jane-okafor.yaml": "plans/a/jane-okafor.yaml, plans/b/jane-okafor.yaml",
    }


def test_kp016_different_stems_in_two_folders_pass(tmp_path: Path) -> None:
    other = sub(VALID_PLAN, "id: jane-okafor", "id: jane-okafor-2")  # the same KOL (KP302), another id
    diags = lint_files(tmp_path, {"onc/jane-okafor.yaml": VALID_PLAN, "haem/jane-okafor-2.yaml": other})
    assert of(diags, "KP016") == []
