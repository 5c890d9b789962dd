"""`kolplan update`: the changed values are spliced in where they stand, a missing key is added next
to its siblings, and every other byte of the file stays as it was (SPEC 10)."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.helpers import VALID_PLAN, data_of, diagnostics, plan_file, run, run_on_plan, snapshot

AS_OF = "2026-06-15"
SAMPLES = Path(__file__).resolve().parents[2] / "plans"
# The sample plan's second activity, as VALID_PLAN writes it (the last item before governance:).
A2 = VALID_PLAN[VALID_PLAN.index("    - id: A2\n"):VALID_PLAN.index("  governance:\n")]

A4_4SPACE = """\
    -   id: A2
        type: publication
        title: MRD endpoints review
        objectives: [O1]
        owner: a.chen
        status: planned
"""


def update(root: Path, *args: str, plan: str = "jane-okafor", as_of: str = AS_OF) -> tuple[int, str, str]:
    return run_on_plan("update", root, *args, plan=plan, as_of=as_of)


def activity(data: dict[str, Any], i: int) -> dict[str, Any]:
    item = data["plan"]["activities"][i]
    assert isinstance(item, dict)
    return item


def changed(old: dict[str, Any], path: tuple[str | int, ...], **values: Any) -> dict[str, Any]:
    """``old`` with ``values`` set in the mapping at ``path``: what the file must read back as."""
    want = copy.deepcopy(old)
    here: Any = want
    for part in path:
        here = here[part]
    here.update(values)
    return want


# -- what is written ------------------------------------------------------------------------------
CASES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "status-replaced": (VALID_PLAN, ("--activity", "A2", "--status", "cancelled"),
                        VALID_PLAN.replace(A2, A2.replace("status: planned", "status: cancelled"))),
    "date-and-hours-added-after-the-last-key": (
        VALID_PLAN.replace("      date: 2026-09-01\n      status: planned\n", "      status: planned\n"),
        ("--activity", "A2", "--status", "done", "--hours", "2.5"),
        VALID_PLAN.replace("      date: 2026-09-01\n      status: planned\n",
                           "      status: done\n      date: 2026-06-15\n      hours: 2.5\n")),
    "explicit-date-replaces": (VALID_PLAN, ("--activity", "A2", "--status", "done", "--date", "2026-06-10"),
                               VALID_PLAN.replace(A2, A2.replace("2026-09-01", "2026-06-10")
                                                  .replace("planned", "done"))),
    "compensation-replaced-in-place": (VALID_PLAN, ("--activity", "A1", "--compensation", "1750.5"),
                                       VALID_PLAN.replace("compensation: 1600", "compensation: 1750.5")),
    "objective-status": (VALID_PLAN, ("--objective", "O1", "--status", "at-risk"),
                         VALID_PLAN.replace("      status: on-track\n", "      status: at-risk\n")),
    "next-review": (VALID_PLAN, ("--next-review", "2026-10-01"),
                    VALID_PLAN.replace("next_review: 2026-07-01", "next_review: 2026-10-01")),
    "next-review-added-to-governance": (
        VALID_PLAN.replace("    next_review: 2026-07-01\n", ""), ("--next-review", "2026-10-01"),
        VALID_PLAN.replace("    next_review: 2026-07-01\n    stakeholders: [a.chen, r.patel]\n",
                           "    stakeholders: [a.chen, r.patel]\n    next_review: 2026-10-01\n")),
    "governance-added": (
        VALID_PLAN.replace("  governance:\n    review_cadence: quarterly\n    next_review: 2026-07-01\n"
                           "    stakeholders: [a.chen, r.patel]\n", ""), ("--next-review", "2026-10-01"),
        VALID_PLAN.replace("  governance:\n    review_cadence: quarterly\n    next_review: 2026-07-01\n"
                           "    stakeholders: [a.chen, r.patel]\n", "")
        .replace("      source: survey\n", "      source: survey\n  governance:\n    next_review: 2026-10-01\n")),
    "comment-after-the-value-kept": (
        VALID_PLAN.replace("      status: planned\n", "      status: planned   # waiting for data\n"),
        ("--activity", "A2", "--status", "cancelled", "--date", "2026-06-01"),
        VALID_PLAN.replace("      date: 2026-09-01\n      status: planned\n",
                           "      date: 2026-06-01\n      status: cancelled   # waiting for data\n")),
    "quotes-kept": (
        VALID_PLAN.replace("      status: planned\n", "      status: 'planned'\n")
        .replace("      status: on-track\n", '      status: "on-track"\n'),
        ("--activity", "A2", "--status", "cancelled"),
        VALID_PLAN.replace("      status: planned\n", "      status: 'cancelled'\n")
        .replace("      status: on-track\n", '      status: "on-track"\n')),
    "flow-activity": (
        VALID_PLAN.replace(A2, "    - {id: A2, type: publication, title: MRD endpoints review, objectives: [O1], "
                               "owner: a.chen, status: planned}  # the review\n"),
        ("--activity", "A2", "--status", "done", "--hours", "3"),
        VALID_PLAN.replace(A2, "    - {id: A2, type: publication, title: MRD endpoints review, objectives: [O1], "
                               "owner: a.chen, status: done, date: 2026-06-15, hours: 3}  # the review\n")),
    "four-space-indent": (
        VALID_PLAN.replace(A2, A4_4SPACE), ("--activity", "A2", "--status", "done"),
        VALID_PLAN.replace(A2, A4_4SPACE.replace("status: planned", "status: done\n        date: 2026-06-15"))),
    "empty-value-filled": (
        VALID_PLAN.replace("      date: 2026-09-01\n      status: planned\n", "      date:\n      status: planned\n"),
        ("--activity", "A2", "--status", "done"),
        VALID_PLAN.replace("      date: 2026-09-01\n      status: planned\n",
                           "      date: 2026-06-15\n      status: done\n")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_byte_exact(tmp_path: Path, case: str) -> None:
    before, args, after = CASES[case]
    path = plan_file(tmp_path, before)
    code, out, err = update(path.parents[1], *args)
    assert code == 0, err
    assert out.startswith("updated ") and "in plans/jane-okafor.yaml: " in out
    assert path.read_text(encoding="utf-8") == after
    assert [d for d in diagnostics(path.parents[1]) if d["severity"] == "error"] == []


@pytest.mark.parametrize("layout", ["crlf", "bom", "no-final-newline", "all"])
def test_line_endings_bom_and_final_newline_are_kept(tmp_path: Path, layout: str) -> None:
    def styled(text: str) -> bytes:
        if layout in ("no-final-newline", "all"):
            text = text.rstrip("\n")
        if layout in ("crlf", "all"):
            text = text.replace("\n", "\r\n")
        data = text.encode()
        return b"\xef\xbb\xbf" + data if layout in ("bom", "all") else data

    text = VALID_PLAN[:VALID_PLAN.index("interactions:\n")]
    path = plan_file(tmp_path, styled(text))
    assert update(path.parents[1], "--next-review", "2026-10-01")[0] == 0
    assert path.read_bytes() == styled(text.replace("next_review: 2026-07-01", "next_review: 2026-10-01"))
    assert update(path.parents[1], "--activity", "A2", "--hours", "2")[0] == 0
    assert path.read_bytes() == styled(text.replace("next_review: 2026-07-01", "next_review: 2026-10-01")
                                       .replace("      status: planned\n", "      status: planned\n      hours: 2\n"))


def test_a_key_added_to_the_last_line_of_a_file_without_a_final_newline(tmp_path: Path) -> None:
    text = VALID_PLAN[:VALID_PLAN.index("  governance:\n")].rstrip("\n")  # ends with A2's status: planned
    for eol in ("\n", "\r\n"):
        path = plan_file(tmp_path / eol.encode().hex(), text.replace("\n", eol).encode())
        assert update(path.parents[1], "--activity", "A2", "--status", "cancelled", "--hours", "1")[0] == 0
        want = text.replace("status: planned", "status: cancelled") + "\n      hours: 1"
        assert path.read_bytes() == want.replace("\n", eol).encode()


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.yaml")))
def test_sample_plans_change_only_the_spliced_value(tmp_path: Path, sample: str) -> None:
    root = tmp_path / "r"
    shutil.copytree(SAMPLES.parent / "plans", root / "plans")
    shutil.copy(SAMPLES.parent / "kolplan.yaml", root / "kolplan.yaml")
    path = root / "plans" / sample
    raw = path.read_bytes()
    old = data_of(raw)
    plan_id = sample.removesuffix(".yaml")
    acts = old["plan"]["activities"]
    last = len(acts) - 1
    a_id = str(acts[last]["id"])
    code, _, err = run_on_plan("update", root, "--activity", a_id, "--status", "cancelled", "--hours", "7",
                               plan=plan_id, as_of="2026-12-31")
    assert code == 0, err
    new_raw = path.read_bytes()
    want = changed(old, ("plan", "activities", last), status="cancelled", hours=7,
                   date=acts[last].get("date") or dt.date(2026, 12, 31))
    assert data_of(new_raw) == want
    old_lines, new_lines = raw.splitlines(keepends=True), new_raw.splitlines(keepends=True)
    kept = [line for line in new_lines if line in old_lines]
    assert len(kept) >= len(old_lines) - 2  # at most the status and hours lines differ
    assert len(new_lines) - len(old_lines) <= 2  # at most hours: and date: added
    o_id = str(old["plan"]["objectives"][0]["id"])
    assert run_on_plan("update", root, "--objective", o_id, "--status", "dropped", plan=plan_id,
                       as_of="2026-12-31")[0] == 0
    after = path.read_bytes()
    assert len(after.splitlines()) == len(new_raw.splitlines())
    assert sum(a != b for a, b in zip(after.splitlines(), new_raw.splitlines(), strict=True)) <= 1


def test_nothing_to_change_writes_nothing(tmp_path: Path) -> None:
    path = plan_file(tmp_path, VALID_PLAN)
    before = snapshot(path.parents[1])
    stamp = path.stat()
    code, out, _ = update(path.parents[1], "--activity", "A1", "--status", "done")
    assert code == 0
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (stamp.st_ino, stamp.st_mtime_ns)  # not rewritten
    assert out == "nothing to change: activity A1 in plans/jane-okafor.yaml already says so\n"
    assert snapshot(path.parents[1]) == before


def test_output_names_the_change(tmp_path: Path) -> None:
    path = plan_file(tmp_path, VALID_PLAN)
    code, out, _ = update(path.parents[1], "--activity", "A2", "--status", "done", "--date", "2026-06-14",
                          "--hours", "3", "--compensation", "900")
    assert code == 0
    assert out == ("updated activity A2 in plans/jane-okafor.yaml: status done, date 2026-06-14, hours 3, "
                   "compensation 900\n")
    assert activity(data_of(path), 1) == {**activity(data_of(VALID_PLAN.encode()), 1), "status": "done",
                                          "date": dt.date(2026, 6, 14), "hours": 3, "compensation": 900}


# -- refusals --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "plan", "words"),
    [
        (("--activity", "A2", "--status", "done"), "jane-okafr", "did you mean 'jane-okafor'?"),
        (("--activity", "A3", "--status", "done"), "jane-okafor",
         "--activity A3: no activity with that id in plans/jane-okafor.yaml (did you mean 'A2'?); its activities "
         "are A1, A2"),
        (("--objective", "O2", "--status", "achieved"), "jane-okafor",
         "--objective O2: no objective with that id in plans/jane-okafor.yaml (did you mean 'O1'?); its objectives "
         "are O1"),
        (("--activity", "A2", "--status", "dne"), "jane-okafor",
         "--status dne: not a status; did you mean 'done'? choose one of planned, done, cancelled"),
        (("--objective", "O1", "--status", "done"), "jane-okafor", "choose one of not-started, on-track"),
        (("--objective", "O1"), "jane-okafor", "--objective O1: say the new --status"),
        (("--objective", "O1", "--status", "achieved", "--hours", "2"), "jane-okafor",
         "--hours: an objective has only a --status to change"),
        (("--activity", "A2",), "jane-okafor", "--activity A2: say what to change"),
        (("--activity", "A2", "--hours", "-1"), "jane-okafor", "--hours -1: not an amount"),
        (("--activity", "A2", "--hours", "four"), "jane-okafor", "--hours four: not an amount"),
        (("--activity", "A2", "--compensation", "1e9"), "jane-okafor", "--compensation 1e9: not an amount"),
        (("--activity", "A2", "--compensation", "nan"), "jane-okafor", "not an amount"),
        (("--activity", "A2", "--date", "2026-6-1"), "jane-okafor", "--date 2026-6-1: not a date"),
        (("--next-review", "07/01/2026"), "jane-okafor", "--next-review 07/01/2026: not a date"),
        (("--next-review", "2026-10-01", "--status", "done"), "jane-okafor", "--status: not with --next-review"),
        (("--activity", "A2", "--objective", "O1", "--status", "done"), "jane-okafor",
         "give one of --activity ID, --objective ID or --next-review DATE (got --activity and --objective)"),
        ((), "jane-okafor", "(got none of them)"),
        (("--activity", "A2", "--status", "done", "--date", "2026-06-17"), "jane-okafor",
         "--date 2026-06-17: done activity A2 is dated 2026-06-17, after today (2026-06-15): fix the date (KP014)"),
    ],
)
def test_bad_requests_are_refused_with_exit_2_and_the_file_unchanged(
        tmp_path: Path, args: tuple[str, ...], plan: str, words: str) -> None:
    path = plan_file(tmp_path, VALID_PLAN)
    before = snapshot(path.parents[1])
    code, _, err = update(path.parents[1], *args, plan=plan)
    assert code == 2, err
    assert words in err
    assert snapshot(path.parents[1]) == before


def test_done_with_its_own_future_date_is_refused_with_kp014(tmp_path: Path) -> None:
    path = plan_file(tmp_path, VALID_PLAN)
    before = snapshot(path.parents[1])
    code, _, err = update(path.parents[1], "--activity", "A2", "--status", "done")
    assert code == 1
    assert ("done activity A2 is dated 2026-09-01, after today (2026-06-15): fix the date (KP014); give the day it "
            "was done with --date, or keep it planned") in err
    assert snapshot(path.parents[1]) == before


def test_a_date_within_a_day_is_accepted(tmp_path: Path) -> None:
    path = plan_file(tmp_path, VALID_PLAN)
    assert update(path.parents[1], "--activity", "A2", "--status", "done", "--date", "2026-06-16")[0] == 0
    assert diagnostics(path.parents[1]) == []


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (VALID_PLAN.replace("  tier: national", "  tier: [national"), "KP001"),
        (VALID_PLAN.replace("      score: 9", "      score: 12"), "KP010"),
        (VALID_PLAN + "id: again\n", "KP002"),
        (b"\xff\xfe" + VALID_PLAN.encode("utf-16-le"), "KP003"),
    ],
)
def test_plans_with_reading_or_schema_errors_are_refused_with_exit_1(
        tmp_path: Path, content: str | bytes, words: str) -> None:
    path = plan_file(tmp_path, content)
    before = snapshot(path.parents[1])
    code, _, err = update(path.parents[1], "--activity", "A2", "--status", "cancelled")
    assert code == 1, err
    assert words in err and "fix it (kolplan validate plans/jane-okafor.yaml), then update again" in err
    assert snapshot(path.parents[1]) == before


def test_an_unverifiable_splice_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kolplan.yamlio import splice

    path = plan_file(tmp_path, VALID_PLAN)
    before = snapshot(path.parents[1])
    monkeypatch.setattr(splice, "_replace", lambda editor, k, v, value: ((0, 0, "x: 1\n"), value.data))
    code, _, err = update(path.parents[1], "--activity", "A2", "--status", "cancelled")
    assert code == 1
    assert "would change other content of plans/jane-okafor.yaml" in err and "nothing was written" in err
    assert snapshot(path.parents[1]) == before


def test_help_has_examples() -> None:
    res = run("update", "--help")
    assert res.code == 0
    assert "kolplan update jane-okafor --activity A3 --status done" in res.out
    assert "kolplan update jane-okafor --next-review 2026-10-01" in res.out


def test_completion_of_activity_and_objective_ids(tmp_path: Path) -> None:
    from kolplan.cli import complete

    path = plan_file(tmp_path, VALID_PLAN)

    ctx = SimpleNamespace(params={"repo": str(path.parents[1]), "plan_id": "jane-okafor"})
    assert complete.activity_ids(ctx, "A") == ["A1", "A2"]
    assert complete.objective_ids(ctx, "") == ["O1"]
    ctx.params = {"repo": str(path.parents[1]), "plan_id": "nobody"}
    assert complete.activity_ids(ctx, "") == []
    assert complete.statuses(ctx, "c") == ["cancelled"]
    ctx.params = {"objective": "O1"}
    assert complete.statuses(ctx, "a") == ["at-risk", "achieved"]


def test_a_change_that_would_add_a_rule_error_is_refused_with_the_rules_message(tmp_path: Path) -> None:
    from tests.helpers import CONFIG, make_repo

    config = CONFIG + "compliance:\n  currency: USD\n  fmv_hourly_rate: {national: 450}\n"
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN}, config=config)
    before = snapshot(root)
    code, _, err = update(root, "--activity", "A1", "--compensation", "5000")
    assert code == 1, err
    assert "this change would give plans/jane-okafor.yaml 1 new error (KP401: " in err
    assert "error KP401 fmv-exceeded" in err and "nothing was written" in err
    assert snapshot(root) == before
    assert update(root, "--activity", "A1", "--compensation", "1800")[0] == 0  # 450 an hour for 4 hours


def test_an_existing_error_does_not_block_an_unrelated_change(tmp_path: Path) -> None:
    from tests.helpers import CONFIG, make_repo

    config = CONFIG + "compliance:\n  currency: USD\n  fmv_hourly_rate: {national: 450}\n"
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN.replace("compensation: 1600",
                                                                             "compensation: 9000")}, config=config)
    code, out, err = update(root, "--objective", "O1", "--status", "achieved")
    assert code == 0, err
    assert out == "updated objective O1 in plans/jane-okafor.yaml: status achieved\n"


def test_an_anchor_is_kept_and_an_aliased_value_is_not_changed_behind_the_users_back(tmp_path: Path) -> None:
    anchored = VALID_PLAN.replace("      status: on-track\n", "      status: &s on-track   # shared\n")
    path = plan_file(tmp_path / "a", anchored)
    assert update(path.parents[1], "--objective", "O1", "--status", "achieved")[0] == 0
    assert path.read_text() == anchored.replace("&s on-track", "&s achieved")
    # custom.mirror is an alias of O1's status: changing the anchor would change both
    aliased = anchored.replace("custom: {}\n", "custom: {mirror: *s}\n")
    path = plan_file(tmp_path / "b", aliased)
    before = snapshot(path.parents[1])
    code, _, err = update(path.parents[1], "--objective", "O1", "--status", "achieved")
    assert code == 1
    assert "would change other content of plans/jane-okafor.yaml" in err
    assert snapshot(path.parents[1]) == before


def test_many_processes_updating_at_once_lose_no_change(tmp_path: Path) -> None:
    """`kolplan update` goes through the plan's lock (SPEC 5.1): updates of ten activities at once all land."""
    from tests.cli.test_concurrent_edits import PROCESSES, release_together
    from tests.helpers import make_repo

    acts = "".join(f"    - id: A{i}\n      type: consulting\n      title: Call {i}\n      owner: a.chen\n"
                   f"      status: planned\n" for i in range(PROCESSES))
    text = VALID_PLAN[:VALID_PLAN.index("  activities:\n")] + "  activities:\n" + acts + \
        VALID_PLAN[VALID_PLAN.index("  governance:\n"):]
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": text})
    plan = root / "plans" / "jane-okafor.yaml"
    results = release_together(tmp_path, [["update", "jane-okafor", "--activity", f"A{i}", "--hours", str(i + 1),
                                           "--as-of", AS_OF, "--repo", str(root)] for i in range(PROCESSES)])
    assert all(code == 0 for code, *_ in results), results
    acts_after = data_of(plan)["plan"]["activities"]
    assert [(a["id"], a["hours"]) for a in acts_after] == [(f"A{i}", i + 1) for i in range(PROCESSES)]
    want = text
    for i in range(PROCESSES):
        want = want.replace(f"Call {i}\n      owner: a.chen\n      status: planned\n",
                            f"Call {i}\n      owner: a.chen\n      status: planned\n      hours: {i + 1}\n")
    assert plan.read_text() == want
