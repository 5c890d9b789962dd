"""`kolplan feedback`: a feedback entry is inserted as text at the end of `feedback`; every other byte stays."""

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
ARGS = ("--summary", 'Wants "safety" data: #1', "--date", "2026-06-10")
ENTRY = '  - date: 2026-06-10\n    summary: "Wants \\"safety\\" data: #1"\n'
OLD = "  - date: 2026-03-02\n    summary: Slides too promotional.\n    response: Revised deck.\n"
NEW_ITEM = {"date": dt.date(2026, 6, 10), "summary": 'Wants "safety" data: #1'}


def feedback(root: Path, *args: str, plan: str = "jane-okafor") -> tuple[int, str, str]:
    return run_on_plan("feedback", root, *args, plan=plan, as_of=AS_OF)


CASES = {
    "absent": (HEAD, HEAD + "feedback:\n" + ENTRY),
    "absent-no-final-newline": (HEAD.rstrip("\n"), HEAD + "feedback:\n" + ENTRY.rstrip("\n")),
    "empty": (HEAD + "feedback:\ncustom: {}\n", HEAD + "feedback:\n" + ENTRY + "custom: {}\n"),
    "flow-empty": (HEAD + "feedback: []\n", HEAD + "feedback:\n" + ENTRY),
    "flow-empty-with-comment": (HEAD + "feedback: []   # none yet\ncustom: {}\n",
                                HEAD + "feedback:    # none yet\n" + ENTRY + "custom: {}\n"),
    "after-item": (HEAD + "feedback:\n" + OLD, HEAD + "feedback:\n" + OLD + ENTRY),
    "after-item-no-final-newline": (HEAD + "feedback:\n" + OLD.rstrip("\n"),
                                    HEAD + "feedback:\n" + OLD + ENTRY.rstrip("\n")),
    "comments-after-the-list": (
        HEAD + "feedback:  # from the KOL\n" + OLD + "  # - date: 2026-04-01 (withdrawn)\n\n# free-form\ncustom: {}\n",
        HEAD + "feedback:  # from the KOL\n" + OLD + ENTRY + "  # - date: 2026-04-01 (withdrawn)\n\n# free-form\n"
        "custom: {}\n",
    ),
    "indentless-dash": (
        HEAD + "feedback:\n- date: 2026-03-02\n  summary: x\n",
        HEAD + "feedback:\n- date: 2026-03-02\n  summary: x\n"
        '- date: 2026-06-10\n  summary: "Wants \\"safety\\" data: #1"\n',
    ),
    "flow-items-get-a-flow-item": (
        HEAD + "feedback:\n  - {date: 2026-03-02, summary: Too promotional}\n",
        HEAD + "feedback:\n  - {date: 2026-03-02, summary: Too promotional}\n"
        '  - {date: 2026-06-10, summary: "Wants \\"safety\\" data: #1"}\n',
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_byte_exact(tmp_path: Path, case: str) -> None:
    before, after = CASES[case]
    path = plan_file(tmp_path, before)
    old = data_of(path)
    code, out, err = feedback(path.parents[1], *ARGS)
    assert code == 0, err
    assert out == "recorded feedback of 2026-06-10 in plans/jane-okafor.yaml\n"
    assert path.read_bytes() == after.encode("utf-8")
    before_list = old.get("feedback") or []
    assert isinstance(before_list, list)
    assert data_of(path) == {**old, "feedback": [*before_list, NEW_ITEM]}


def test_crlf_line_endings_are_kept(tmp_path: Path) -> None:
    path = plan_file(tmp_path, (HEAD + "feedback:\n" + OLD + "custom: {}\n").replace("\n", "\r\n").encode())
    assert feedback(path.parents[1], *ARGS)[0] == 0
    assert path.read_bytes() == (HEAD + "feedback:\n" + OLD + ENTRY + "custom: {}\n").replace("\n", "\r\n").encode()


def test_four_space_file_gets_four_space_entries(tmp_path: Path) -> None:
    head4 = HEAD.replace("  name", "    name").replace("  tier", "    tier").replace("  period", "    period")
    head4 = head4.replace("  - person: a.chen\n    role: lead", "    - person: a.chen\n      role: lead")
    path = plan_file(tmp_path, head4)
    assert feedback(path.parents[1], "--summary", "Late kits")[0] == 0
    assert path.read_text() == head4 + 'feedback:\n    - date: 2026-06-15\n      summary: "Late kits"\n'


def test_the_result_validates(tmp_path: Path) -> None:
    path = plan_file(tmp_path, VALID_PLAN)
    code, out, _ = feedback(path.parents[1], "--summary", "Naïve question — 日本語 ✓")
    assert code == 0 and out == "recorded feedback of 2026-06-15 in plans/jane-okafor.yaml\n"
    marker = "    response: Revised deck with balanced safety data.\n"
    assert path.read_text(encoding="utf-8") == VALID_PLAN.replace(
        marker, marker + '  - date: 2026-06-15\n    summary: "Naïve question — 日本語 ✓"\n')
    assert diagnostics(path.parents[1]) == []


@pytest.mark.parametrize(
    ("args", "plan", "words"),
    [
        (ARGS, "jane-okafr", "did you mean 'jane-okafor'?"),
        (("--summary", "   "), "jane-okafor", "--summary is empty"),
        (("--summary", ""), "jane-okafor", "--summary is empty"),
        (("--summary", "x", "--date", "06/10/2026"), "jane-okafor", "--date 06/10/2026: not a date"),
        (("--summary", "x", "--date", "2026-06-17"), "jane-okafor",
         "feedback is dated 2026-06-17, after today (2026-06-15): fix the date"),
        ((), "jane-okafor", "--summary"),
    ],
)
def test_bad_values_are_refused_with_exit_2_and_the_file_unchanged(
        tmp_path: Path, args: tuple[str, ...], plan: str, words: str) -> None:
    path = plan_file(tmp_path, VALID_PLAN)
    before = snapshot(path.parents[1])
    code, _, err = feedback(path.parents[1], *args, plan=plan)
    assert code == 2, err
    assert words in err
    assert snapshot(path.parents[1]) == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (VALID_PLAN.replace("  tier: national", "  tier: [national"), "KP001"),
        (VALID_PLAN.replace("    summary: Slides too promotional.\n", ""), "KP010"),
        (HEAD + "feedback: [{date: 2026-02-01, summary: x}]\n", "flow list"),
        (b"\xff\xfe" + VALID_PLAN.encode("utf-16-le"), "KP003"),
    ],
)
def test_plans_that_do_not_parse_are_refused_with_exit_1(tmp_path: Path, content: str | bytes, words: str) -> None:
    path = plan_file(tmp_path, content)
    before = snapshot(path.parents[1])
    code, _, err = feedback(path.parents[1], *ARGS)
    assert code == 1, err
    assert words in err
    assert snapshot(path.parents[1]) == before


def test_help_has_an_example() -> None:
    res = run("feedback", "--help")
    assert res.code == 0 and 'kolplan feedback jane-okafor --summary "Wants more safety data"' in res.out


# -- --respond: a response added to one entry --------------------------------------------------
OPEN = "  - date: 2026-05-01\n    summary: Kits late.   # courier?\n"
RESPONSE_ARGS = ("--respond", "2026-05-01", "--response", "Courier changed: #2")
RESPONSE_LINE = '    response: "Courier changed: #2"\n'
RESPOND_CASES = {
    "last-item": (HEAD + "feedback:\n" + OLD + OPEN, HEAD + "feedback:\n" + OLD + OPEN + RESPONSE_LINE),
    "middle-item-comments-after": (
        HEAD + "feedback:\n" + OPEN + "    # keep\n" + OLD + "custom: {}\n",
        HEAD + "feedback:\n" + OPEN + RESPONSE_LINE + "    # keep\n" + OLD + "custom: {}\n",
    ),
    "no-final-newline": (HEAD + "feedback:\n" + OPEN.rstrip("\n"),
                         HEAD + "feedback:\n" + OPEN + RESPONSE_LINE.rstrip("\n")),
    "indentless-dash": (HEAD + "feedback:\n- date: 2026-05-01\n  summary: Kits late.\n",
                        HEAD + "feedback:\n- date: 2026-05-01\n  summary: Kits late.\n"
                        '  response: "Courier changed: #2"\n'),
    "flow-item": (HEAD + "feedback:\n  - {date: 2026-05-01, summary: Kits late.}  # x\n",
                  HEAD + 'feedback:\n  - {date: 2026-05-01, summary: Kits late., response: "Courier changed: #2"}'
                  "  # x\n"),
}


@pytest.mark.parametrize("case", sorted(RESPOND_CASES))
def test_respond_byte_exact(tmp_path: Path, case: str) -> None:
    before, after = RESPOND_CASES[case]
    path = plan_file(tmp_path, before)
    old = data_of(path)
    code, out, err = feedback(path.parents[1], *RESPONSE_ARGS)
    assert code == 0, err
    assert out == "recorded the response to the feedback of 2026-05-01 in plans/jane-okafor.yaml\n"
    assert path.read_bytes() == after.encode("utf-8")
    new = data_of(path)
    assert isinstance(new["feedback"], list) and isinstance(old["feedback"], list)
    assert new["feedback"] == [
        {**fb, "response": "Courier changed: #2"} if fb["date"] == dt.date(2026, 5, 1) else fb
        for fb in old["feedback"]]


def test_respond_keeps_crlf(tmp_path: Path) -> None:
    path = plan_file(tmp_path, (HEAD + "feedback:\n" + OPEN + OLD).replace("\n", "\r\n").encode())
    assert feedback(path.parents[1], *RESPONSE_ARGS)[0] == 0
    assert path.read_bytes() == (HEAD + "feedback:\n" + OPEN + RESPONSE_LINE + OLD).replace("\n", "\r\n").encode()


def test_respond_with_index_among_entries_of_one_date(tmp_path: Path) -> None:
    two = OPEN + "  - date: 2026-05-01\n    summary: Slides late.\n"
    path = plan_file(tmp_path, HEAD + "feedback:\n" + two + OLD)
    before = snapshot(path.parents[1])
    code, _, err = feedback(path.parents[1], *RESPONSE_ARGS)
    assert code == 2
    assert "2 feedback entries of that date" in err
    assert "--index 1: 'Kits late.'" in err and "--index 2: 'Slides late.'" in err
    assert snapshot(path.parents[1]) == before
    assert feedback(path.parents[1], *RESPONSE_ARGS, "--index", "3")[0] == 2
    assert snapshot(path.parents[1]) == before
    assert feedback(path.parents[1], *RESPONSE_ARGS, "--index", "2")[0] == 0
    assert path.read_text() == HEAD + "feedback:\n" + two + RESPONSE_LINE + OLD
    assert [d for d in diagnostics(path.parents[1]) if d["severity"] == "error"] == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--respond", "2026-05-02", "--response", "x"), "has no feedback of that date; its feedback is dated "
                                                         "2026-03-02, 2026-05-01"),
        (("--respond", "2026-03-02", "--response", "x"), "already has a response ('Revised deck.')"),
        (("--respond", "2026-05-01", "--response", "  "), "--response is empty"),
        (("--respond", "2026-05-01"), "--respond DATE and --response TEXT go together"),
        (("--response", "x"), "--respond DATE and --response TEXT go together"),
        (("--respond", "2026-05-01", "--response", "x", "--summary", "y"), "give one or the other"),
        (("--respond", "May 1", "--response", "x"), "--respond May 1: not a date"),
        (("--respond", "2026-05-01", "--response", "x", "--index", "2"), "--index 2"),
        (("--respond", "2026-05-01", "--response", "x", "--index", "0"), "--index 0"),
    ],
)
def test_respond_refusals_exit_2_and_leave_the_file(tmp_path: Path, args: tuple[str, ...], words: str) -> None:
    path = plan_file(tmp_path, HEAD + "feedback:\n" + OLD + OPEN)
    before = snapshot(path.parents[1])
    code, _, err = feedback(path.parents[1], *args)
    assert code == 2, err
    assert words in err
    assert snapshot(path.parents[1]) == before


def test_respond_to_a_plan_without_feedback(tmp_path: Path) -> None:
    path = plan_file(tmp_path, HEAD)
    code, _, err = feedback(path.parents[1], *RESPONSE_ARGS)
    assert code == 2 and "it has no feedback" in err
    assert path.read_text() == HEAD
