"""A broken ``kolplan.yaml`` breaks no CI step (issue 16, item 3; SPEC 6): every machine
format gets its document, with the config's diagnostics at their line and column, exit 2,
and one line on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import CONFIG, VALID_PLAN, make_repo, run

UNKNOWN_KEY = (CONFIG + "colour: blue\n", "KP010", CONFIG.count("\n") + 1, 1)
BAD_YAML = ("schema: kolplan/v1\norganization: [Test Bio\n", "KP001", 2, 24)
BROKEN = {"unknown-key": UNKNOWN_KEY, "bad-yaml": BAD_YAML}


def _repo(tmp_path: Path, case: str) -> Path:
    return make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN}, config=BROKEN[case][0])


def _stderr_is_one_line(err: str) -> None:
    assert err.count("\n") == 1 and err.startswith("kolplan: error: kolplan.yaml has 1 problem"), err


@pytest.mark.parametrize("case", sorted(BROKEN))
@pytest.mark.parametrize("style", [("--format", "json"), ("-fjson",)])  # the fast path, and typer's
def test_json(tmp_path: Path, case: str, style: tuple[str, ...]) -> None:
    _, code, line, column = BROKEN[case]
    res = run("validate", "--repo", str(_repo(tmp_path, case)), *style)
    assert res.code == 2
    doc = json.loads(res.out)
    assert doc["summary"]["error"] == 1
    (d,) = doc["diagnostics"]
    assert (d["path"], d["line"], d["column"], d["code"]) == ("kolplan.yaml", line, column, code)
    _stderr_is_one_line(res.err)


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_github(tmp_path: Path, case: str) -> None:
    _, code, line, column = BROKEN[case]
    res = run("validate", "--repo", str(_repo(tmp_path, case)), "--format", "github")
    assert res.code == 2
    errors = [x for x in res.out.splitlines() if x.startswith("::")]
    assert len(errors) == 1
    assert errors[0].startswith(f"::error file=kolplan.yaml,line={line},col={column},title={code} ")
    _stderr_is_one_line(res.err)


def test_github_is_the_default_under_github_actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    res = run("validate", "--repo", str(_repo(tmp_path, "unknown-key")))
    assert res.code == 2
    assert res.out.startswith(f"::error file=kolplan.yaml,line={UNKNOWN_KEY[2]},col=1,")


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_sarif(tmp_path: Path, case: str) -> None:
    _, code, line, column = BROKEN[case]
    res = run("validate", "--repo", str(_repo(tmp_path, case)), "--format", "sarif")
    assert res.code == 2
    doc = json.loads(res.out)
    (result,) = doc["runs"][0]["results"]
    assert result["ruleId"] == code and result["level"] == "error"
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "kolplan.yaml"
    region = physical["region"]
    assert (region["startLine"], region["startColumn"]) == (line, column)
    assert region["endColumn"] >= region["startColumn"]
    _stderr_is_one_line(res.err)


def test_found_from_the_working_folder_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path, "unknown-key")
    monkeypatch.chdir(root / "plans")
    res = run("validate", "--format", "json")
    assert res.code == 2
    (d,) = res.json()["diagnostics"]
    assert (d["path"], d["line"]) == ("kolplan.yaml", UNKNOWN_KEY[2])


def test_text_is_unchanged(tmp_path: Path) -> None:
    res = run("validate", "--repo", str(_repo(tmp_path, "unknown-key")), "--format", "text")
    assert res.code == 2 and res.out == ""
    assert f"kolplan.yaml:{UNKNOWN_KEY[2]}:1: error KP010" in res.err


def test_a_missing_config_is_still_a_plain_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    res = run("validate", "--repo", str(tmp_path / "empty"), "--format", "json")
    assert res.code == 2 and res.out == ""
    assert "no kolplan.yaml" in res.err


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_markdown(tmp_path: Path, case: str) -> None:
    from markdown_it import MarkdownIt

    _, code, line, column = BROKEN[case]
    res = run("validate", "--repo", str(_repo(tmp_path, case)), "--format", "markdown")
    assert res.code == 2
    assert res.out.startswith("### kolplan validate: 1 error, 0 warnings in 1 file\n")
    rows = [x for x in res.out.splitlines() if x.startswith("| error ")]
    assert len(rows) == 1
    assert rows[0].startswith(f"| error | {code} | ") and f"| kolplan.yaml:{line}:{column} | " in rows[0]
    html = MarkdownIt("commonmark").enable("table").render(res.out)
    assert html.count("<tr>") == 2  # the header and the one diagnostic
    _stderr_is_one_line(res.err)


def test_markdown_to_a_file(tmp_path: Path) -> None:
    root = _repo(tmp_path, "bad-yaml")
    res = run("validate", "--repo", str(root), "--format", "markdown", "-o", str(tmp_path / "summary.md"))
    assert res.code == 2 and res.out == ""
    assert "| error | KP001 | " in (tmp_path / "summary.md").read_text()
    wrote, error = res.err.splitlines()
    assert wrote.startswith("kolplan: wrote ") and error.startswith("kolplan: error: kolplan.yaml has 1 problem")
