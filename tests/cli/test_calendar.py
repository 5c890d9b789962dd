"""`kolplan calendar` (SPEC 12): every format, each filter, stable output, the iCalendar file read
back with the library, --redact free of the plans' words in every format, skipped plans, exit codes.

The fixture (as of 2026-06-15; the default window is 2026-06-15 to 2026-09-13):
- jane-okafor: A1 done 2026-04-15 (before the window), review 2026-07-01 (lead Alice Chen,
  Field Medical), A2 planned 2026-09-01 (Alice Chen, Field Medical), A3 planned 2026-09-10
  (Raj Patel, Medical Affairs): A3 is 9 days after A2, within window_days 14 -> one collision;
- tom-reed: A1 speaker programme 2026-08-20 (Carl Jones, Commercial), no review;
- broken: no kol, owners or plan (KP010): skipped, named on stderr.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import CONFIG, MINIMAL_PLAN, VALID_PLAN, make_repo, run
from tests.rules.support import sub

AS_OF = "2026-06-15"
COORD = CONFIG + "coordination:\n  window_days: 14\n"
JANE = sub(VALID_PLAN, "      date: 2026-09-01\n      status: planned\n",
           "      date: 2026-09-01\n      status: planned\n"
           "    - id: A3\n      type: advisory-board\n      title: Pricing sounding board\n      objectives: [O1]\n"
           "      owner: r.patel\n      date: 2026-09-10\n      status: planned\n")
TOM = sub(sub(MINIMAL_PLAN, "id: jane-okafor", "id: tom-reed"), "name: Jane Okafor", "name: Tom Reed") + """\
  activities:
    - id: A1
      type: speaker-program
      title: Confidential launch tour
      owner: c.jones
      date: 2026-08-20
"""
BROKEN = "schema: kolplan/v1\nid: broken\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "r", {"jane-okafor.yaml": JANE, "tom-reed.yaml": TOM, "broken.yaml": BROKEN},
                     config=COORD)


def cal(root: Path, *args: str) -> Any:
    res = run("calendar", "--repo", str(root), "--as-of", AS_OF, *args)
    assert "Traceback" not in res.err
    return res


def items(root: Path, *args: str) -> list[dict[str, Any]]:
    res = cal(root, "--format", "json", *args)
    assert res.code == 0, res.err
    got: list[dict[str, Any]] = res.json()["items"]
    return got


def test_json_every_item_in_date_order_with_its_collision(repo: Path) -> None:
    res = cal(repo, "--format", "json")
    assert res.code == 0
    doc = res.json()
    assert (doc["from"], doc["to"], doc["redacted"], doc["skipped"]) == (
        "2026-06-15", "2026-09-13", False, ["plans/broken.yaml"])  # 06-15 + 90 days = 09-13
    assert [(i["date"], i["kol"], i["id"]) for i in doc["items"]] == [
        ("2026-07-01", "jane-okafor", "review"), ("2026-08-20", "tom-reed", "A1"),
        ("2026-09-01", "jane-okafor", "A2"), ("2026-09-10", "jane-okafor", "A3")]
    a3 = doc["items"][3]
    assert (a3["kol_name"], a3["tier"], a3["type"], a3["title"], a3["owner_name"], a3["department_name"],
            a3["status"]) == ("Jane Okafor", "national", "advisory-board", "Pricing sounding board", "Raj Patel",
                              "Medical Affairs", "planned")
    assert a3["collisions"] == [{"id": "A2", "date": "2026-09-01", "owner_name": "Alice Chen",
                                 "department_name": "Field Medical", "days": 9}]
    assert doc["items"][2]["collisions"][0]["id"] == "A3"  # both sides show it
    assert doc["items"][1]["collisions"] == [] and doc["items"][0]["kind"] == "review"
    assert "kolplan: skipped plans/broken.yaml: " in res.err


def test_table(repo: Path) -> None:
    res = cal(repo)
    assert res.code == 0
    lines = res.out.splitlines()
    assert lines[0].split() == ["date", "KOL", "activity", "title", "owner", "status", "collision"]
    a3 = next(line for line in lines if line.startswith(" 2026-09-10"))
    assert "Jane Okafor (national)" in a3 and "A3 advisory-board" in a3 and "Raj Patel (Medical Affairs)" in a3
    assert a3.endswith("   planned   A2 2026-09-01 (Field Medical)")
    assert lines[-1] == "2026-06-15 to 2026-09-13: 3 engagements and 1 review for 2 KOLs; 2 in a collision."
    assert "skipped plans/broken.yaml" in res.err


def test_markdown(repo: Path) -> None:
    res = cal(repo, "--format", "md")
    assert res.code == 0
    assert res.out.startswith("# KOL engagement calendar, 2026-06-15 to 2026-09-13\n")
    assert "| Date | KOL | Activity | Title | Owner | Status | Collision |" in res.out
    assert ("| 2026-08-20 | Tom Reed (national) | A1 speaker-program | Confidential launch tour | "
            "Carl Jones (Commercial) | planned | — |") in res.out
    assert "## Skipped" in res.out and "- `plans/broken.yaml`" in res.out


def test_filters(repo: Path) -> None:
    assert [i["id"] for i in items(repo, "--department", "commercial")] == ["A1"]
    assert [i["id"] for i in items(repo, "--department", "commercial,medical-affairs")] == ["A1", "A3"]
    assert [i["kol"] for i in items(repo, "--kol", "tom-reed")] == ["tom-reed"]
    assert len(items(repo, "--kol", "tom-reed", "--kol", "jane-okafor")) == 4
    # both ends included; A1 (done 04-15) shows once the window reaches back to it
    assert [i["id"] for i in items(repo, "--from", "2026-08-20", "--to", "2026-09-01")] == ["A1", "A2"]
    assert [i["id"] for i in items(repo, "--from", "2026-04-15", "--to", "2026-04-15")] == ["A1"]
    # the default --to is 90 days after --from: 09-10 is 89 days after 06-13, 91 after 06-11
    assert [i["id"] for i in items(repo, "--from", "2026-06-13")][-1] == "A3"
    assert [i["id"] for i in items(repo, "--from", "2026-06-11")][-1] == "A2"


def test_a_collision_with_an_activity_outside_the_window_still_shows(repo: Path) -> None:
    [a3] = items(repo, "--from", "2026-09-05")
    assert a3["id"] == "A3" and a3["collisions"][0]["id"] == "A2"


def test_bad_requests_exit_2(repo: Path) -> None:
    cases = [
        (("--department", "comercial"), "--department comercial: not a department in kolplan.yaml (did you mean "
                                        "'commercial'?)"),
        (("--kol", "jane-okafr"), "--kol jane-okafr: no plan with this id under plans/ (did you mean 'jane-okafor'?)"),
        (("--from", "2026-09-02", "--to", "2026-09-01"), "--from 2026-09-02 is after --to 2026-09-01"),
        (("--from", "2026-13-01"), "--from 2026-13-01: not a date"),
        (("--format", "ical"), "--format ical: unknown format; choose one of table, md, json, ics"),
    ]
    for args, message in cases:
        res = cal(repo, *args)
        assert res.code == 2, args
        assert message in res.err, (args, res.err)
        assert res.out == ""


def test_output_file_and_refusals(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    res = cal(repo, "--format", "md", "-o", str(target))
    assert res.code == 0 and res.out == "" and f"kolplan: wrote {target}" in res.err
    assert target.read_text(encoding="utf-8").startswith("# KOL engagement calendar")
    before = (repo / "kolplan.yaml").read_bytes()
    refused = cal(repo, "--format", "ics", "-o", str(repo / "kolplan.yaml"))
    assert refused.code == 2 and (repo / "kolplan.yaml").read_bytes() == before


def test_without_coordination_there_are_no_collisions(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": JANE}, config=CONFIG)
    assert all(i["collisions"] == [] for i in items(root))


# -- iCalendar -------------------------------------------------------------------------------
def test_ics_read_back_with_the_library_and_byte_identical_across_runs(repo: Path) -> None:
    icalendar = pytest.importorskip("icalendar", reason="icalendar (a kolplan dependency) is not installed here")
    first, second = cal(repo, "--format", "ics"), cal(repo, "--format", "ics")
    assert first.code == 0 and first.out == second.out
    assert "\r\n" in first.out and "skipped plans/broken.yaml" in first.err
    parsed = icalendar.Calendar.from_ical(first.out)
    assert str(parsed["prodid"]) == "-//kolplan//KOL engagement calendar//EN" and str(parsed["version"]) == "2.0"
    events = list(parsed.walk("VEVENT"))
    got = [(str(e["uid"]), e.decoded("dtstart").isoformat(), e.decoded("dtend").isoformat(), str(e["summary"]))
           for e in events]
    at = "@kolplan.invalid"
    assert got == [
        ("jane-okafor.review" + at, "2026-07-01", "2026-07-02", "Jane Okafor: plan review (Field Medical)"),
        ("tom-reed.A1" + at, "2026-08-20", "2026-08-21", "Tom Reed: Confidential launch tour (Commercial)"),
        ("jane-okafor.A2" + at, "2026-09-01", "2026-09-02", "Jane Okafor: MRD endpoints review (Field Medical)"),
        ("jane-okafor.A3" + at, "2026-09-10", "2026-09-11", "Jane Okafor: Pricing sounding board (Medical Affairs)"),
    ]
    d = dt.date.fromisoformat
    for e in events:  # all-day events; DTSTAMP from --as-of, not the clock
        assert type(e.decoded("dtstart")) is dt.date
        assert e.decoded("dtstamp") == dt.datetime(2026, 6, 15, tzinfo=dt.UTC)
    assert "Collision (KP306): A2 on 2026-09-01" in str(events[3]["description"])
    # a moved activity keeps its UID (a subscribed calendar moves the event, not duplicates it)
    moved_text = sub(JANE, "date: 2026-09-10", "date: 2026-09-12")
    (repo / "plans" / "jane-okafor.yaml").write_text(moved_text, encoding="utf-8")
    moved = [e for e in icalendar.Calendar.from_ical(cal(repo, "--format", "ics").out).walk("VEVENT")
             if str(e["uid"]) == "jane-okafor.A3@kolplan.invalid"]
    assert [e.decoded("dtstart") for e in moved] == [d("2026-09-12")]


# -- --redact ---------------------------------------------------------------------------------
PRIVATE_KEYS = {"title", "statement", "summary", "insights", "response", "purpose", "kol_value", "org_value",
                "metric", "institution", "rationale", "desires", "relationship_expectations",
                "professional_objectives", "scientific_interests"}


def private_strings() -> set[str]:
    """Every title, statement, summary, insight, feedback and profile text of the fixture's plans,
    and every person's name (owners are not in the redacted view)."""
    found: set[str] = set()

    def walk(node: Any, key: str | None = None) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, str(k))
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in PRIVATE_KEYS:
            found.add(node)

    for text in (JANE, TOM):
        walk(yaml.safe_load(text))
    found |= {p["name"] for p in yaml.safe_load(COORD)["people"].values()}
    return found


def test_redact_the_fixture_strings_are_collected() -> None:
    strings = private_strings()
    assert {"Pricing sounding board", "Confidential launch tour", "Co-author a review on MRD endpoints",
            "Discussed MRD assay variability.", "wants data on older patients", "Slides too promotional.",
            "Revised deck with balanced safety data.", "Raj Patel", "Carl Jones"} <= strings


@pytest.mark.parametrize("fmt", ["table", "md", "json", "ics"])
def test_redact_shows_kol_date_department_and_type_only(repo: Path, fmt: str) -> None:
    if fmt == "ics":
        pytest.importorskip("icalendar", reason="icalendar (a kolplan dependency) is not installed here")
    res = cal(repo, "--redact", "--format", fmt, "--wide")
    assert res.code == 0, res.err
    text = res.out.replace("\r\n ", "")  # an iCalendar line folded at 75 octets, unfolded
    leaked = sorted(s for s in private_strings() if s in text or s.replace(",", "\\,") in text)
    assert leaked == []
    for word in ("A2", "A3", "collision", "Plan review"):  # no activity ids, collisions or titles
        assert word not in text, word
    for shown in ("Jane Okafor", "Tom Reed", "2026-09-10" if fmt != "ics" else "20260910", "Commercial",
                  "Medical Affairs", "speaker-program", "advisory-board"):
        assert shown in text, shown


def test_redact_json_has_only_the_redacted_keys(repo: Path) -> None:
    doc = cal(repo, "--redact", "--format", "json").json()
    assert doc["redacted"] is True
    assert doc["items"][3] == {"date": "2026-09-10", "kol": "jane-okafor", "kol_name": "Jane Okafor",
                               "department": "medical-affairs", "department_name": "Medical Affairs",
                               "type": "advisory-board"}


def test_redacted_ics_uids_are_stable_digests(repo: Path) -> None:
    icalendar = pytest.importorskip("icalendar", reason="icalendar (a kolplan dependency) is not installed here")
    one, two = cal(repo, "--redact", "--format", "ics").out, cal(repo, "--redact", "--format", "ics").out
    assert one == two
    uids = [str(e["uid"]) for e in icalendar.Calendar.from_ical(one).walk("VEVENT")]
    assert len(set(uids)) == 4 and all(u.endswith("@kolplan.invalid") and "jane" not in u for u in uids)


def test_shell_completion(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kolplan.cli import complete

    monkeypatch.chdir(repo)
    assert complete.calendar_formats("") == ["table", "md", "json", "ics"] and complete.calendar_formats("i") == ["ics"]
    assert complete.departments(None, "m") == ["medical-affairs", "market-access"]
    assert complete.plan_ids(None, "t") == ["tom-reed"]
    monkeypatch.chdir(tmp_path)  # outside any repository: nothing, and no error
    assert complete.departments(None, "") == []
