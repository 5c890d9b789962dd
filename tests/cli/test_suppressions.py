"""Choosing rules: --select/--ignore, rules: in kolplan.yaml, inline suppressions and KP901."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import AS_OF, CONFIG, VALID_PLAN, assert_inside_file, col_of, line_of, make_repo, run

# KP304 on activity A1 (owned by c.jones, not an owner) and KP305 on the interaction (by m.diaz).
PLAN = VALID_PLAN.replace("      owner: r.patel", "      owner: c.jones").replace("    by: a.chen", "    by: m.diaz")
A1_OWNER = "      owner: c.jones"
BY = "    by: m.diaz"


def lint(root: Path, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json", "--no-cache", *extra)
    assert "Traceback" not in res.err
    assert res.code in (0, 1), res.err
    diags: list[dict[str, Any]] = res.json()["diagnostics"]
    for d in diags:
        assert_inside_file(root, d)
    return res.code, diags


def repo_with(tmp_path: Path, text: str = PLAN, config: str = CONFIG) -> Path:
    return make_repo(tmp_path / "r", {"jane-okafor.yaml": text}, config=config)


def summary(diags: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(d["code"], d["severity"]) for d in diags]


def test_baseline_both_rules_fire(tmp_path: Path) -> None:
    code, diags = lint(repo_with(tmp_path))
    assert code == 0
    assert summary(diags) == [("KP304", "warning"), ("KP305", "info")]


# -- --select / --ignore ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--select", "KP304"], ["KP304"]),
        (["--select", "owner-not-on-plan"], ["KP304"]),
        (["--select", "kp305"], ["KP305"]),
        (["--select", "KP304,outside-contact"], ["KP304", "KP305"]),
        (["--select", "KP304", "--select", "KP305"], ["KP304", "KP305"]),
        (["--select", " KP304 , "], ["KP304"]),
        (["--ignore", "KP304"], ["KP305"]),
        (["--ignore", "outside-contact"], ["KP304"]),
        (["--ignore", "KP304,KP305"], []),
        (["--ignore", "KP304", "--ignore", "outside-contact"], []),
        (["--select", "KP304,KP305", "--ignore", "KP305"], ["KP304"]),
        (["--select", "KP101"], []),
    ],
)
def test_select_and_ignore(tmp_path: Path, args: list[str], expected: list[str]) -> None:
    code, diags = lint(repo_with(tmp_path), *args)
    assert code == 0
    assert [d["code"] for d in diags] == expected


@pytest.mark.parametrize("flag", ["--select", "--ignore"])
def test_unknown_rule_in_a_list_is_exit_2(tmp_path: Path, flag: str) -> None:
    res = run("validate", "--repo", str(repo_with(tmp_path)), flag, "KP304,KP3O5")
    assert res.code == 2
    assert f"{flag} KP3O5: unknown rule" in res.err


# -- rules: in kolplan.yaml -----------------------------------------------------------------
@pytest.mark.parametrize("entry", ["KP304", "owner-not-on-plan"])
def test_config_ignore(tmp_path: Path, entry: str) -> None:
    code, diags = lint(repo_with(tmp_path, config=CONFIG + f"rules:\n  ignore: [{entry}]\n"))
    assert code == 0
    assert summary(diags) == [("KP305", "info")]


@pytest.mark.parametrize(
    ("severity", "exit_code", "expected"),
    [
        ("{KP304: error}", 1, [("KP304", "error"), ("KP305", "info")]),
        ("{owner-not-on-plan: info, outside-contact: warning}", 0, [("KP304", "info"), ("KP305", "warning")]),
        ("{KP304: off}", 0, [("KP305", "info")]),
        ("{outside-contact: 'off'}", 0, [("KP304", "warning")]),
    ],
)
def test_config_severity(tmp_path: Path, severity: str, exit_code: int, expected: list[tuple[str, str]]) -> None:
    code, diags = lint(repo_with(tmp_path, config=CONFIG + f"rules:\n  severity: {severity}\n"))
    assert code == exit_code
    assert summary(diags) == expected


def test_config_severity_error_fails_strict_free_run(tmp_path: Path) -> None:
    root = repo_with(tmp_path, config=CONFIG + "rules:\n  severity: {KP305: error}\n")
    res = run("validate", "--repo", str(root), "--as-of", AS_OF)
    assert res.code == 1
    assert "error KP305 outside-contact" in res.out


def test_config_ignore_and_select_together(tmp_path: Path) -> None:
    # --select cannot bring back what kolplan.yaml switched off
    root = repo_with(tmp_path, config=CONFIG + "rules:\n  ignore: [KP304]\n")
    assert lint(root, "--select", "KP304")[1] == []


@pytest.mark.parametrize("section", ["  ignore: [KP3O4]\n", "  severity: {no-such-rule: info}\n"])
def test_config_unknown_rule_is_exit_2(tmp_path: Path, section: str) -> None:
    res = run("validate", "--repo", str(repo_with(tmp_path, config=CONFIG + "rules:\n" + section)))
    assert res.code == 2
    assert "kolplan.yaml:" in res.err and "unknown rule" in res.err


# -- inline suppressions ---------------------------------------------------------------------
@pytest.mark.parametrize("token", ["KP304", "owner-not-on-plan", "kp304", " KP304 "])
def test_inline_ignore_on_the_line_of_the_node(tmp_path: Path, token: str) -> None:
    text = PLAN.replace(A1_OWNER, f"{A1_OWNER}  # kolplan: ignore[{token}]")
    code, diags = lint(repo_with(tmp_path, text))
    assert code == 0
    assert summary(diags) == [("KP305", "info")]


def test_inline_ignore_lists_several_rules(tmp_path: Path) -> None:
    text = PLAN.replace(BY, f"{BY}  #kolplan: ignore[KP304, outside-contact]")
    code, diags = lint(repo_with(tmp_path, text))
    assert code == 0
    # KP305 covered; KP304 is not on this line, so that half of the comment is unused
    assert [d["code"] for d in diags] == ["KP304", "KP901"]
    unused = diags[1]
    assert (unused["line"], unused["column"]) == (line_of(text, BY), col_of(text, "#kolplan"))
    assert unused["severity"] == "info"
    assert unused["message"] == "suppression of KP304 owner-not-on-plan covers nothing on this line: remove it"


def test_inline_ignore_on_another_line_covers_nothing(tmp_path: Path) -> None:
    text = PLAN.replace("      title: EU haematology advisory board",
                        "      title: EU haematology advisory board  # kolplan: ignore[KP304]")
    code, diags = lint(repo_with(tmp_path, text))
    assert code == 0
    assert [d["code"] for d in diags] == ["KP901", "KP304", "KP305"]
    assert diags[0]["line"] == line_of(text, "# kolplan: ignore[KP304]")


def test_ignore_file_anywhere_covers_the_whole_file(tmp_path: Path) -> None:
    text = PLAN.replace("      owner: a.chen", "      owner: c.jones")  # A2 too: two KP304
    text = text.replace("custom: {}", "custom: {}\n# kolplan: ignore-file[owner-not-on-plan]")
    code, diags = lint(repo_with(tmp_path, text))
    assert code == 0
    assert summary(diags) == [("KP305", "info")]


def test_ignore_file_that_covers_nothing(tmp_path: Path) -> None:
    text = "# kolplan: ignore-file[KP301]\n" + PLAN
    code, diags = lint(repo_with(tmp_path, text))
    assert code == 0
    assert diags[0] == {"path": "plans/jane-okafor.yaml", "line": 1, "column": 1, "severity": "info",
                        "code": "KP901", "rule": "unused-suppression",
                        "message": "suppression of KP301 lead-count covers nothing on this file: remove it"}


def test_inline_ignore_covers_a_cross_plan_finding(tmp_path: Path) -> None:
    twin = VALID_PLAN.replace("id: jane-okafor", "id: twin")
    crm_line = '    crm_id: "V-248113"'  # the first identifier they share: where KP302 points
    text = VALID_PLAN.replace(crm_line, f"{crm_line}  # kolplan: ignore[duplicate-kol]")
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": text, "twin.yaml": twin})
    code, diags = lint(root)
    assert code == 1  # the twin still reports it
    assert [(d["path"], d["code"]) for d in diags] == [("plans/twin.yaml", "KP302")]


def test_unknown_rule_in_a_suppression(tmp_path: Path) -> None:
    text = PLAN.replace(A1_OWNER, f"{A1_OWNER}  # kolplan: ignore[KP304,ownr-not-on-plan]")
    code, diags = lint(repo_with(tmp_path, text))
    assert code == 0
    assert [d["code"] for d in diags] == ["KP901", "KP305"]
    assert diags[0]["message"] == ("suppression names unknown rule 'ownr-not-on-plan': use a code such as KP101 "
                                   "or a rule name")


def test_kp901_follows_select_ignore_and_severity(tmp_path: Path) -> None:
    text = PLAN.replace(A1_OWNER, f"{A1_OWNER}  # kolplan: ignore[KP101]")
    root = repo_with(tmp_path, text)
    assert "KP901" in [d["code"] for d in lint(root)[1]]
    assert "KP901" not in [d["code"] for d in lint(root, "--ignore", "unused-suppression")[1]]
    root2 = repo_with(tmp_path / "x", text, config=CONFIG + "rules:\n  severity: {KP901: warning}\n")
    assert ("KP901", "warning") in summary(lint(root2)[1])
    assert run("validate", "--repo", str(root2), "--as-of", AS_OF, "--strict").code == 1


def test_ignore_file_kp901_silences_unused_ones(tmp_path: Path) -> None:
    text = "# kolplan: ignore-file[KP901]\n" + PLAN.replace(A1_OWNER, f"{A1_OWNER}  # kolplan: ignore[KP101]")
    assert [d["code"] for d in lint(repo_with(tmp_path, text))[1]] == ["KP304", "KP305"]


# -- KP0xx: always reported, at their own severity ---------------------------------------------
KP012_PLAN = PLAN.replace("  - person: r.patel", "  - person: r.patle")


def test_kp0xx_cannot_be_suppressed_inline(tmp_path: Path) -> None:
    text = KP012_PLAN.replace("  - person: r.patle", "  - person: r.patle  # kolplan: ignore[KP012,unknown-person]")
    code, diags = lint(repo_with(tmp_path, text))
    assert code == 1
    line = line_of(text, "r.patle")
    assert [(d["code"], d["line"]) for d in diags if d["line"] == line] == [
        ("KP012", line), ("KP901", line), ("KP901", line)]
    assert [d["message"] for d in diags if d["code"] == "KP901"] == [
        "KP012 cannot be suppressed (reading and schema errors are always reported): remove it"] * 2


def test_kp0xx_ignore_file_does_not_apply(tmp_path: Path) -> None:
    text = "# kolplan: ignore-file[KP012]\n" + KP012_PLAN
    code, diags = lint(repo_with(tmp_path, text))
    assert code == 1
    assert [d["code"] for d in diags][:2] == ["KP901", "KP012"]


@pytest.mark.parametrize(
    ("args", "config"),
    [
        (["--ignore", "KP012"], ""),
        (["--ignore", "unknown-person"], ""),
        (["--select", "KP304"], ""),
    ],
)
def test_kp0xx_not_affected_by_select_or_ignore(tmp_path: Path, args: list[str], config: str) -> None:
    code, diags = lint(repo_with(tmp_path, KP012_PLAN, config=CONFIG + config), *args)
    assert code == 1
    assert ("KP012", "error") in summary(diags)


@pytest.mark.parametrize(
    "config",
    [
        "rules:\n  ignore: [KP012]\n",
        "rules:\n  severity: {KP012: info}\n",
        "rules:\n  severity: {unknown-person: 'off'}\n",
    ],
)
def test_config_cannot_switch_off_or_soften_kp0xx(tmp_path: Path, config: str) -> None:
    root = repo_with(tmp_path, KP012_PLAN, config=CONFIG + config)
    res = run("validate", "--repo", str(root), "--as-of", AS_OF)
    assert res.code == 2
    assert "reading or schema rule" in res.err


def test_select_keeps_reading_errors_of_broken_files(tmp_path: Path) -> None:
    text = PLAN.replace("  tier: national", "  tier: superstar")
    code, diags = lint(repo_with(tmp_path, text), "--select", "KP304")
    assert code == 1
    assert [d["code"] for d in diags] == ["KP010"]


def test_no_kp901_for_a_file_that_does_not_parse(tmp_path: Path) -> None:
    # the rules never ran, so "covers nothing" would be noise on top of the real error
    text = PLAN.replace(A1_OWNER, f"{A1_OWNER}  # kolplan: ignore[KP304]").replace("  tier: national",
                                                                                    "  tier: [national")
    code, diags = lint(repo_with(tmp_path, text))
    assert code == 1
    assert [d["code"] for d in diags] == ["KP001"]
