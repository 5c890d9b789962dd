"""`kolplan score`: a satisfaction entry is inserted as text under plan.satisfaction; every other byte stays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.helpers import (
    MINIMAL_PLAN,
    VALID_PLAN,
    data_of,
    diagnostics,
    plan_file,
    run,
    run_on_plan,
    snapshot,
)

AS_OF = "2026-06-15"
HEAD = MINIMAL_PLAN
ARGS = ("7", "--date", "2026-06-10", "--source", "interview")
# What `score` writes for ARGS under a `satisfaction:` key at column 2, lists indented by two.
ENTRY = "    - date: 2026-06-10\n      score: 7\n      source: interview\n"
OLD = "    - date: 2026-03-30\n      score: 9\n      source: survey\n"
NEW_ITEM = {"date": dt.date(2026, 6, 10), "score": 7, "source": "interview"}


def score(root: Path, *args: str, plan: str = "jane-okafor") -> tuple[int, str, str]:
    return run_on_plan("score", root, *args, plan=plan, as_of=AS_OF)


TAIL = "interactions: []\nfeedback: []\n"
CASES = {
    "absent-last-key-of-plan": (HEAD, HEAD + "  satisfaction:\n" + ENTRY),
    "absent-other-keys-follow": (HEAD + TAIL, HEAD + "  satisfaction:\n" + ENTRY + TAIL),
    "absent-no-final-newline": (HEAD.rstrip("\n"), HEAD + "  satisfaction:\n" + ENTRY.rstrip("\n")),
    "empty": (HEAD + "  satisfaction:\n" + TAIL, HEAD + "  satisfaction:\n" + ENTRY + TAIL),
    "flow-empty": (HEAD + "  satisfaction: []\n" + TAIL, HEAD + "  satisfaction:\n" + ENTRY + TAIL),
    "flow-empty-with-comment": (HEAD + "  satisfaction: []  # none yet\n" + TAIL,
                                HEAD + "  satisfaction:   # none yet\n" + ENTRY + TAIL),
    "tilde": (HEAD + "  satisfaction: ~\n", HEAD + "  satisfaction:\n" + ENTRY),
    "after-item": (HEAD + "  satisfaction:\n" + OLD + TAIL, HEAD + "  satisfaction:\n" + OLD + ENTRY + TAIL),
    "after-item-no-final-newline": (HEAD + "  satisfaction:\n" + OLD.rstrip("\n"),
                                    HEAD + "  satisfaction:\n" + OLD + ENTRY.rstrip("\n")),
    "comments-after-the-list": (
        HEAD + "  satisfaction:   # NPS\n" + OLD + "    # - date: 2026-04-01 (not sent)\n\n# the log\n" + TAIL,
        HEAD + "  satisfaction:   # NPS\n" + OLD + ENTRY + "    # - date: 2026-04-01 (not sent)\n\n# the log\n"
        + TAIL,
    ),
    "indentless-dash": (
        HEAD + "  satisfaction:\n  - date: 2026-03-30\n    score: 9\n" + TAIL,
        HEAD + "  satisfaction:\n  - date: 2026-03-30\n    score: 9\n"
        "  - date: 2026-06-10\n    score: 7\n    source: interview\n" + TAIL,
    ),
    "flow-items-get-a-flow-item": (
        HEAD + "  satisfaction:\n    - {date: 2026-03-30, score: 9, source: survey}\n\n" + TAIL,
        HEAD + "  satisfaction:\n    - {date: 2026-03-30, score: 9, source: survey}\n"
        "    - {date: 2026-06-10, score: 7, source: interview}\n\n" + TAIL,
    ),
    "not-the-last-key-of-plan": (
        HEAD + "  satisfaction:\n" + OLD + "  purpose: 'x: y'  # why\n" + TAIL,
        HEAD + "  satisfaction:\n" + OLD + ENTRY + "  purpose: 'x: y'  # why\n" + TAIL,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_byte_exact(tmp_path: Path, case: str) -> None:
    before, after = CASES[case]
    path = plan_file(tmp_path, before)
    old = data_of(path)
    code, out, err = score(path.parents[1], *ARGS)
    assert code == 0, err
    assert out == "scored 7/10 on 2026-06-10 in plans/jane-okafor.yaml\n"
    assert path.read_bytes() == after.encode("utf-8")
    new = data_of(path)
    plan_before = old["plan"]
    assert isinstance(plan_before, dict)
    assert new["plan"] == {**plan_before, "satisfaction": [*(plan_before.get("satisfaction") or []), NEW_ITEM]}
    assert {k: v for k, v in new.items() if k != "plan"} == {k: v for k, v in old.items() if k != "plan"}


def test_crlf_line_endings_are_kept(tmp_path: Path) -> None:
    before = (HEAD + "  satisfaction:\n" + OLD + TAIL).replace("\n", "\r\n")
    path = plan_file(tmp_path, before.encode())
    assert score(path.parents[1], *ARGS)[0] == 0
    assert path.read_bytes() == (HEAD + "  satisfaction:\n" + OLD + ENTRY + TAIL).replace("\n", "\r\n").encode()


def test_crlf_without_the_key(tmp_path: Path) -> None:
    path = plan_file(tmp_path, HEAD.replace("\n", "\r\n").encode())
    assert score(path.parents[1], *ARGS)[0] == 0
    assert path.read_bytes() == (HEAD + "  satisfaction:\n" + ENTRY).replace("\n", "\r\n").encode()


def test_four_space_file_gets_four_space_entries(tmp_path: Path) -> None:
    head4 = HEAD.replace("  name", "    name").replace("  tier", "    tier").replace("  period", "    period")
    head4 = head4.replace("  - person: a.chen\n    role: lead", "    - person: a.chen\n      role: lead")
    path = plan_file(tmp_path, head4)
    assert score(path.parents[1], "8")[0] == 0
    first = "    satisfaction:\n        - date: 2026-06-15\n          score: 8\n"
    assert path.read_text() == head4 + first
    assert score(path.parents[1], "6", "--date", "2026-06-16", "--source", "other")[0] == 0  # within a day
    second = "        - date: 2026-06-16\n          score: 6\n          source: other\n"
    assert path.read_text() == head4 + first + second


def test_the_result_validates_and_the_default_date_is_as_of(tmp_path: Path) -> None:
    path = plan_file(tmp_path, VALID_PLAN)
    code, out, _ = score(path.parents[1], "10")
    assert code == 0 and out == "scored 10/10 on 2026-06-15 in plans/jane-okafor.yaml\n"
    assert path.read_text() == VALID_PLAN.replace(OLD, OLD + "    - date: 2026-06-15\n      score: 10\n")
    assert diagnostics(path.parents[1]) == []


@pytest.mark.parametrize(
    ("args", "plan", "words"),
    [
        (ARGS, "jane-okafr", "did you mean 'jane-okafor'?"),
        (("11",), "jane-okafor", "SCORE 11: not a score"),
        (("-1",), "jane-okafor", "-1"),  # read as an option by click: still exit 2
        (("7.5",), "jane-okafor", "SCORE 7.5: not a score"),
        (("seven",), "jane-okafor", "not a score"),
        (("7", "--source", "surve"), "jane-okafor", "did you mean 'survey'?"),
        (("7", "--source", "xyz"), "jane-okafor", "choose one of survey, interview, other"),
        (("7", "--date", "2026-6-1"), "jane-okafor", "--date 2026-6-1: not a date"),
        (("7", "--date", "2026-06-17"), "jane-okafor",
         "satisfaction score is dated 2026-06-17, after today (2026-06-15): fix the date"),
    ],
)
def test_bad_values_are_refused_with_exit_2_and_the_file_unchanged(
        tmp_path: Path, args: tuple[str, ...], plan: str, words: str) -> None:
    path = plan_file(tmp_path, VALID_PLAN)
    before = snapshot(path.parents[1])
    code, _, err = score(path.parents[1], *args, plan=plan)
    assert code == 2, err
    assert words in err
    assert snapshot(path.parents[1]) == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (VALID_PLAN.replace("  tier: national", "  tier: [national"), "KP001"),
        (VALID_PLAN.replace("      score: 9", "      score: 12"), "KP010"),
        (VALID_PLAN + "id: again\n", "KP002"),
        (HEAD + "  satisfaction: [{date: 2026-02-01, score: 3}]\n", "flow list"),
        (HEAD.replace("plan:\n  period: {start: 2026-01-01, end: 2026-12-31}\n",
                      "plan: {period: {start: 2026-01-01, end: 2026-12-31}}\n"), "not a block mapping"),
        (b"\xff\xfe" + VALID_PLAN.encode("utf-16-le"), "KP003"),
    ],
)
def test_plans_that_do_not_parse_are_refused_with_exit_1(tmp_path: Path, content: str | bytes, words: str) -> None:
    path = plan_file(tmp_path, content)
    before = snapshot(path.parents[1])
    code, _, err = score(path.parents[1], *ARGS)
    assert code == 1, err
    assert words in err
    assert snapshot(path.parents[1]) == before


def test_help_has_an_example() -> None:
    res = run("score", "--help")
    assert res.code == 0 and "kolplan score jane-okafor 8 --source survey" in res.out
