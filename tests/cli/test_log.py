"""`kolplan log`: the entry is inserted as text; every other byte of the file stays as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import (
    CONFIG,
    MINIMAL_PLAN,
    VALID_PLAN,
    data_of,
    diagnostics,
    make_repo,
    plan_file,
    run,
    run_on_plan,
    snapshot,
)

AS_OF = "2026-06-15"
HEAD = MINIMAL_PLAN
# What `log` writes for ARGS, in a file whose lists are indented by two.
ENTRY = """\
  - date: 2026-06-10
    by: r.patel
    channel: virtual
    summary: "Follow-up call"
"""
ARGS = ("--by", "r.patel", "--channel", "virtual", "--summary", "Follow-up call", "--date", "2026-06-10")


def log(root: Path, *args: str, plan: str = "jane-okafor") -> tuple[int, str, str]:
    return run_on_plan("log", root, *args, plan=plan, as_of=AS_OF)


# -- byte-exact results ---------------------------------------------------------------------------
CASES = {
    "absent": (HEAD, HEAD + "interactions:\n" + ENTRY),
    "empty": (HEAD + "interactions:\n", HEAD + "interactions:\n" + ENTRY),
    "empty-with-comment-then-key": (
        HEAD + "interactions:   # appended by kolplan log\nfeedback: []\n",
        HEAD + "interactions:   # appended by kolplan log\n" + ENTRY + "feedback: []\n",
    ),
    "flow-empty": (HEAD + "interactions: []\n", HEAD + "interactions:\n" + ENTRY),
    "flow-empty-with-comment": (
        HEAD + "interactions: []  # none yet\ncustom: {}\n",
        HEAD + "interactions:   # none yet\n" + ENTRY + "custom: {}\n",
    ),
    "tilde": (HEAD + "interactions: ~\n", HEAD + "interactions:\n" + ENTRY),
    "no-final-newline-absent": (HEAD.rstrip("\n"), HEAD + "interactions:\n" + ENTRY.rstrip("\n")),
    "no-final-newline-after-item": (
        HEAD + "interactions:\n  - date: 2026-02-01\n    by: a.chen\n    channel: phone\n    summary: Intro",
        HEAD + "interactions:\n  - date: 2026-02-01\n    by: a.chen\n    channel: phone\n    summary: Intro\n"
        + ENTRY.rstrip("\n"),
    ),
    "comments-quotes-flow-mappings-non-ascii": (
        HEAD.replace("  name: Jane Okafor", "  name: 'Jane Ökafor'  # née Smith")
        + "interactions:     # appended by `kolplan log`\n"
        "  - {date: 2026-02-01, by: a.chen, channel: phone, summary: 'Intro: \"MRD\"'}\n"
        "  - date: 2026-03-01   # first visit\n"
        "    by: \"a.chen\"\n"
        "    channel: in-person\n"
        "    summary: >-\n"
        "      Discussed assay variability at Hôpital Saint-Louis;\n"
        "      she wants data.\n"
        "    insights: [older patients, 'MRD: thresholds']  # keep\n"
        "  # - date: 2026-03-05 (cancelled)\n"
        "\n"
        "# seed 002: embrace feedback\n"
        "feedback:\n"
        "  - {date: 2026-03-02, summary: Too promotional}\n",
        HEAD.replace("  name: Jane Okafor", "  name: 'Jane Ökafor'  # née Smith")
        + "interactions:     # appended by `kolplan log`\n"
        "  - {date: 2026-02-01, by: a.chen, channel: phone, summary: 'Intro: \"MRD\"'}\n"
        "  - date: 2026-03-01   # first visit\n"
        "    by: \"a.chen\"\n"
        "    channel: in-person\n"
        "    summary: >-\n"
        "      Discussed assay variability at Hôpital Saint-Louis;\n"
        "      she wants data.\n"
        "    insights: [older patients, 'MRD: thresholds']  # keep\n"
        + ENTRY
        + "  # - date: 2026-03-05 (cancelled)\n"
        "\n"
        "# seed 002: embrace feedback\n"
        "feedback:\n"
        "  - {date: 2026-03-02, summary: Too promotional}\n",
    ),
    "flow-mapping-items-get-a-flow-item": (
        HEAD + "interactions:\n  - {date: 2026-02-01, by: a.chen, channel: phone, summary: Intro}\n",
        HEAD + "interactions:\n  - {date: 2026-02-01, by: a.chen, channel: phone, summary: Intro}\n"
        '  - {date: 2026-06-10, by: r.patel, channel: virtual, summary: "Follow-up call"}\n',
    ),
    "indentless-list": (
        HEAD + "interactions:\n- date: 2026-02-01\n  by: a.chen\n  channel: phone\n  summary: Intro\nfeedback:\n",
        HEAD + "interactions:\n- date: 2026-02-01\n  by: a.chen\n  channel: phone\n  summary: Intro\n"
        "- date: 2026-06-10\n  by: r.patel\n  channel: virtual\n  summary: \"Follow-up call\"\nfeedback:\n",
    ),
    "block-scalar-last-with-blank-line": (
        HEAD + "interactions:\n  - date: 2026-02-01\n    by: a.chen\n    channel: phone\n    summary: |\n"
        "      Intro call.\n\nfeedback: []\n",
        HEAD + "interactions:\n  - date: 2026-02-01\n    by: a.chen\n    channel: phone\n    summary: |\n"
        "      Intro call.\n\n" + ENTRY + "feedback: []\n",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_byte_exact(tmp_path: Path, case: str) -> None:
    before, after = CASES[case]
    path = plan_file(tmp_path, before)
    old = data_of(path)
    code, out, _ = log(path.parents[1], *ARGS)
    assert code == 0
    assert "logged virtual interaction of 2026-06-10 by r.patel in plans/jane-okafor.yaml" in out
    assert path.read_bytes() == after.encode("utf-8")
    new = data_of(path)
    before_list = old.get("interactions") or []
    assert isinstance(before_list, list)
    assert new["interactions"] == [*before_list, {"date": __import__("datetime").date(2026, 6, 10),
                                                  "by": "r.patel", "channel": "virtual",
                                                  "summary": "Follow-up call"}]


def test_crlf_line_endings_are_kept(tmp_path: Path) -> None:
    before = (HEAD + "interactions:\n  - date: 2026-02-01\n    by: a.chen\n    channel: phone\n    summary: Intro\n"
              "feedback: []\n").replace("\n", "\r\n")
    path = plan_file(tmp_path, before.encode())
    code, _, _ = log(path.parents[1], *ARGS)
    assert code == 0
    expected = (HEAD + "interactions:\n  - date: 2026-02-01\n    by: a.chen\n    channel: phone\n    summary: Intro\n"
                + ENTRY + "feedback: []\n").replace("\n", "\r\n")
    assert path.read_bytes() == expected.encode()
    assert b"\n" not in path.read_bytes().replace(b"\r\n", b"")


def test_crlf_without_the_key(tmp_path: Path) -> None:
    path = plan_file(tmp_path, HEAD.replace("\n", "\r\n").encode())
    assert log(path.parents[1], *ARGS)[0] == 0
    assert path.read_bytes() == (HEAD + "interactions:\n" + ENTRY).replace("\n", "\r\n").encode()


def test_four_space_file_gets_four_space_entries(tmp_path: Path) -> None:
    head4 = HEAD.replace("  name", "    name").replace("  tier", "    tier").replace("  period", "    period")
    head4 = head4.replace("  - person: a.chen\n    role: lead", "    - person: a.chen\n      role: lead")
    path = plan_file(tmp_path, head4)
    assert log(path.parents[1], *ARGS)[0] == 0
    first = ("interactions:\n    - date: 2026-06-10\n      by: r.patel\n      channel: virtual\n"
             '      summary: "Follow-up call"\n')
    assert path.read_text() == head4 + first
    # a second entry follows the first one's style
    assert log(path.parents[1], "--by", "a.chen", "--channel", "phone", "--summary", "Call", "--date",
               "2026-06-11")[0] == 0
    assert path.read_text() == head4 + first + (
        '    - date: 2026-06-11\n      by: a.chen\n      channel: phone\n      summary: "Call"\n')


def test_wide_item_indent_is_followed(tmp_path: Path) -> None:
    before = HEAD + "interactions:\n  -   date: 2026-02-01\n      by: a.chen\n      channel: phone\n      summary: x\n"
    path = plan_file(tmp_path, before)
    assert log(path.parents[1], *ARGS)[0] == 0
    assert path.read_text() == before + (
        '  -   date: 2026-06-10\n      by: r.patel\n      channel: virtual\n      summary: "Follow-up call"\n')


def test_insights_and_hard_text_round_trip(tmp_path: Path) -> None:
    path = plan_file(tmp_path, VALID_PLAN)
    summary = 'She said: "MRD #1" isn\'t ready\tyet — naïve? \\ 日本語 ✓\nsecond line'
    code, _, _ = log(path.parents[1], "--by", "a.chen", "--channel", "congress", "--summary", summary,
                     "--insight", "wants: data", "--insight", "# not a comment", "--date", "2026-06-14")
    assert code == 0
    text = path.read_text(encoding="utf-8")
    marker = "    insights: [wants data on older patients]\n"
    head, tail = VALID_PLAN.split(marker)
    assert text.startswith(head + marker) and text.endswith(tail)
    assert len(text.splitlines()) == len(VALID_PLAN.splitlines()) + 5  # one line per field: no wrapping
    entry = data_of(path)["interactions"][-1]  # type: ignore[index]
    assert entry == {"date": __import__("datetime").date(2026, 6, 14), "by": "a.chen", "channel": "congress",
                     "summary": summary, "insights": ["wants: data", "# not a comment"]}
    assert [d for d in diagnostics(path.parents[1], as_of=AS_OF) if d["severity"] == "error"] == []


def test_entry_goes_after_the_last_item_not_at_the_end(tmp_path: Path) -> None:
    path = plan_file(tmp_path, VALID_PLAN)
    assert log(path.parents[1], *ARGS)[0] == 0
    marker = "    insights: [wants data on older patients]\n"
    assert path.read_text() == VALID_PLAN.replace(marker, marker + ENTRY)


def test_date_defaults_to_as_of_and_tomorrow_is_allowed(tmp_path: Path) -> None:
    path = plan_file(tmp_path, HEAD)
    assert log(path.parents[1], "--by", "a.chen", "--channel", "email", "--summary", "x")[0] == 0
    assert log(path.parents[1], "--by", "a.chen", "--channel", "email", "--summary", "y",
               "--date", "2026-06-16")[0] == 0
    dates = [i["date"].isoformat() for i in data_of(path)["interactions"]]  # type: ignore[attr-defined]
    assert dates == [AS_OF, "2026-06-16"]


# -- refusals leave the file untouched --------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "plan", "code", "words"),
    [
        (ARGS, "jane-okafr", 2, "did you mean 'jane-okafor'?"),
        (ARGS, "../../x", 2, "not valid"),
        (("--by", "r.patle", *ARGS[2:]), "jane-okafor", 2, "did you mean 'r.patel'?"),
        (("--by", "r.patel", "--channel", "zoom", *ARGS[4:]), "jane-okafor", 2, "choose one of in-person"),
        ((*ARGS[:-1], "2026-06-17"), "jane-okafor", 2, "after today"),
        ((*ARGS[:-1], "10/06/2026"), "jane-okafor", 2, "YYYY-MM-DD"),
        ((*ARGS[:-1], "20260610"), "jane-okafor", 2, "YYYY-MM-DD"),
        (("--by", "r.patel", "--channel", "virtual", "--summary", "  "), "jane-okafor", 2, "--summary is empty"),
        ((*ARGS, "--insight", ""), "jane-okafor", 2, "--insight is empty"),
    ],
)
def test_bad_requests_exit_2(tmp_path: Path, args: tuple[str, ...], plan: str, code: int, words: str) -> None:
    path = plan_file(tmp_path, VALID_PLAN)
    before = snapshot(path.parents[1])
    got, _, err = log(path.parents[1], *args, plan=plan)
    assert got == code
    assert words in err
    assert snapshot(path.parents[1]) == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (VALID_PLAN.replace("  tier: national", "  tier: [national"), "KP001"),
        (VALID_PLAN.replace("  tier: national", "  tier: superstar"), "KP010"),
        (VALID_PLAN.replace("    channel: in-person", "    channel: in-person\n    chanel: x"), "KP010"),
        (VALID_PLAN + "id: again\n", "KP002"),
        (HEAD + "interactions: [{date: 2026-02-01, by: a.chen, channel: phone, summary: x}]\n",
         "flow list"),
        (b"\xff\xfe" + VALID_PLAN.encode("utf-16-le"), "KP003"),
    ],
)
def test_plans_that_do_not_parse_are_refused_with_exit_1(tmp_path: Path, content: str | bytes, words: str) -> None:
    path = plan_file(tmp_path, content)
    before = snapshot(path.parents[1])
    code, _, err = log(path.parents[1], *ARGS)
    assert code == 1
    assert words in err
    assert snapshot(path.parents[1]) == before


def test_two_files_with_the_id_are_refused(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN, "onc/jane-okafor.yaml": VALID_PLAN})
    before = snapshot(root)
    code, _, err = log(root, *ARGS)
    assert code == 1 and "KP016" in err
    assert snapshot(root) == before


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_write_leaves_the_original_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = plan_file(tmp_path, VALID_PLAN)
    before = snapshot(path.parents[1])
    real = getattr(os, failing)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, broken)
    code, _, err = log(path.parents[1], *ARGS)
    monkeypatch.setattr(os, failing, real)
    assert code == 1
    assert "No space left on device" in err and "unchanged" in err
    assert snapshot(path.parents[1]) == before  # the original, and no .jane-okafor.yaml.*.tmp beside it


def test_log_without_config_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = run("log", "jane-okafor", *ARGS)
    assert res.code == 2 and "kolplan init" in res.err


def test_help_has_an_example() -> None:
    res = run("log", "--help")
    assert res.code == 0 and "kolplan log jane-okafor --by" in res.out


def test_config_is_untouched(tmp_path: Path) -> None:
    path = plan_file(tmp_path, HEAD)
    assert log(path.parents[1], *ARGS)[0] == 0
    assert (path.parents[1] / "kolplan.yaml").read_text() == CONFIG


def test_shell_completion_of_ids_people_and_channels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kolplan.cli import complete

    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN, "onc/john-doe.yaml": VALID_PLAN})
    monkeypatch.chdir(root / "plans")
    assert complete.plan_ids(None, "j") == ["jane-okafor", "john-doe"]
    assert complete.plan_ids(None, "jo") == ["john-doe"]
    assert complete.people(None, "r.") == ["r.patel"]
    assert complete.channels("v") == ["virtual"]
    assert complete.tiers("n") == ["national"]
    monkeypatch.chdir(tmp_path)  # outside any repository: nothing, and no error
    assert complete.plan_ids(None, "") == [] and complete.people(None, "") == []
