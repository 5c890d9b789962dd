"""`kolplan validate` end to end: exit codes, paths, formats, colour, config errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import AS_OF, CONFIG, VALID_PLAN, make_repo, run

BROKEN = VALID_PLAN.replace("    stakeholders: [a.chen, r.patel]", "    stakeholders: [a.chen, r.ptel]")  # one KP012
_IDS = ('    crm_id: "V-248113"\n    npi: "1234567893"\n    orcid: 0000-0002-1825-0097\n'
        "    email: j.okafor@example.org\n")
OTHER = (VALID_PLAN.replace("id: jane-okafor", "id: other").replace("  name: Jane Okafor", "  name: Other Person")
         .replace(_IDS, '    crm_id: "V-999"\n'))


def test_exit_0_when_clean(repo: Path) -> None:
    res = run("validate", "--repo", str(repo), "--as-of", AS_OF)
    assert res.code == 0
    assert res.out == "0 errors, 0 warnings in 1 file\n"


def test_exit_1_on_errors_with_text_format(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": BROKEN})
    res = run("validate", "--repo", str(root), "--as-of", AS_OF)
    assert res.code == 1
    assert res.out.splitlines() == [
        "plans/jane-okafor.yaml:64:28: error KP012 unknown-person: stakeholder 'r.ptel' is not in kolplan.yaml "
        "people (did you mean 'r.patel'?)",
        "1 error, 0 warnings in 1 file",
    ]


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    config = CONFIG + "rules:\n  severity: {KP901: warning}\n"
    text = VALID_PLAN.replace("  tier: national", "  tier: national  # kolplan: ignore[KP999]")
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": text}, config=config)
    assert run("validate", "--repo", str(root), "--as-of", AS_OF).code == 0
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--strict")
    assert res.code == 1
    assert "warning KP901 unused-suppression" in res.out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "xml"], "unknown format"),
        (["--as-of", "yesterday"], "not a date"),
        (["--select", "KP999"], "unknown rule"),
        (["--ignore", "no-such-rule"], "unknown rule"),
        (["plans/nope.yaml"], "no such file"),
        (["--bogus"], "No such option"),
    ],
)
def test_exit_2_on_bad_requests(repo: Path, args: list[str], words: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    res = run("validate", *args)
    assert res.code == 2
    assert words in res.err
    assert "Traceback" not in res.err


def test_exit_2_without_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = run("validate")
    assert res.code == 2
    assert "no kolplan.yaml found" in res.err and "kolplan init" in res.err


def test_exit_2_for_repo_that_does_not_exist(tmp_path: Path) -> None:
    res = run("validate", "--repo", str(tmp_path / "missing"))
    assert res.code == 2


@pytest.mark.parametrize(
    ("config", "position", "words"),
    [
        (CONFIG.replace("fiscal_year_start: 1", "fiscal_year_start: 13"), "kolplan.yaml:3:20:",
         "less than or equal to 12"),
        (CONFIG.replace("department: commercial}", "department: comercial}"), "kolplan.yaml:12:43:",
         "did you mean 'commercial'?"),
        (CONFIG.replace("organization: Test Bio", "organisation: Test Bio"), "kolplan.yaml:2:1:",
         "did you mean 'organization'?"),
        (CONFIG + "rules:\n  ignore: [KP999]\n", "kolplan.yaml:15:12:", "unknown rule 'KP999'"),
        (CONFIG + "people: {}\n", "kolplan.yaml:14:1:", "appears twice"),
        (CONFIG + "rules:\n  severity: {KP010: warning}\n", "kolplan.yaml:15:14:", "always reported"),
        (CONFIG + "rules:\n  ignore: [schema]\n", "kolplan.yaml:15:12:", "cannot be switched off"),
        ("schema: [kolplan\n", "kolplan.yaml:1:17:", "YAML syntax error"),
    ],
)
def test_bad_config_exit_2_with_position(tmp_path: Path, config: str, position: str, words: str) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN}, config=config)
    res = run("validate", "--repo", str(root))
    assert res.code == 2, res
    assert position in res.err and words in res.err, res.err
    assert "Traceback" not in res.err


def test_json_format(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": BROKEN, "ok/other.yaml": OTHER})
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json")
    assert res.code == 1
    doc = res.json()
    assert doc["version"] == 1 and doc["files"] == 2
    assert doc["summary"] == {"error": 1, "warning": 0, "info": 0}
    [d] = doc["diagnostics"]
    assert d == {"path": "plans/jane-okafor.yaml", "line": 64, "column": 28, "severity": "error",
                 "code": "KP012", "rule": "unknown-person",
                 "message": "stakeholder 'r.ptel' is not in kolplan.yaml people (did you mean 'r.patel'?)"}


def test_json_is_sorted_by_path_line_column_code(tmp_path: Path) -> None:
    bad = BROKEN.replace("      owner: r.patel", "      owner: zz").replace("id: jane-okafor", "id: zed")
    root = make_repo(tmp_path / "r", {"b.yaml": bad, "a.yaml": bad})
    res = run("validate", "--repo", str(root), "--format", "json", "--as-of", AS_OF)
    assert res.code == 1
    diags = res.json()["diagnostics"]
    keys = [(d["path"], d["line"], d["column"], d["code"]) for d in diags]
    assert keys == sorted(keys)
    assert {k[0] for k in keys} == {"plans/a.yaml", "plans/b.yaml"} and len(keys) >= 6


def test_github_format(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": BROKEN})
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "github")
    assert res.code == 1
    first = res.out.splitlines()[0]
    assert first == ("::error file=plans/jane-okafor.yaml,line=64,col=28,title=KP012 unknown-person::"
                     "stakeholder 'r.ptel' is not in kolplan.yaml people (did you mean 'r.patel'?)")


def test_github_format_is_the_default_under_actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": BROKEN})
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    res = run("validate", "--repo", str(root), "--as-of", AS_OF)
    assert res.code == 1 and res.out.startswith("::error file=")
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "text")
    assert res.code == 1 and res.out.startswith("plans/")


def test_info_becomes_a_github_notice(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("  tier: national", "  tier: national  # kolplan: ignore[KP999]")
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": text})
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "github")
    assert res.code == 0  # an info diagnostic does not fail the run
    assert res.out.startswith("::notice file=plans/jane-okafor.yaml,line=13,col=19,title=KP901 unused-suppression::"
                          "suppression names unknown rule 'KP999'")


def test_colour_only_when_forced_and_no_color_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": BROKEN})
    plain = run("validate", "--repo", str(root), "--as-of", AS_OF)
    assert plain.code == 1 and "\x1b[" not in plain.out
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = run("validate", "--repo", str(root), "--as-of", AS_OF)
    assert coloured.code == 1 and "\x1b[" in coloured.out
    monkeypatch.setenv("NO_COLOR", "1")
    res = run("validate", "--repo", str(root), "--as-of", AS_OF)
    assert res.code == 1 and "\x1b[" not in res.out


def test_control_characters_from_plans_are_not_sent_to_the_terminal(tmp_path: Path) -> None:
    text = VALID_PLAN.replace("  - person: a.chen", '  - person: "a.\\e[31mchen"')
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": text})
    res = run("validate", "--repo", str(root), "--as-of", AS_OF)
    assert res.code == 1  # the owner is not in people (KP012)
    assert "\x1b" not in res.out and "\\x1b[31m" in res.out


def test_named_file_reports_only_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": BROKEN, "other.yaml": OTHER.replace(
        "[a.chen, r.patel]", "[a.chen, r.ptel]")})
    monkeypatch.chdir(root)
    res = run("validate", "plans/other.yaml", "--format", "json", "--as-of", AS_OF)
    assert res.code == 1
    doc = res.json()
    assert doc["files"] == 1
    assert {d["path"] for d in doc["diagnostics"]} == {"plans/other.yaml"}


def test_naming_the_config_checks_every_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": BROKEN, "other.yaml": BROKEN.replace(
        "id: jane-okafor", "id: other")})
    monkeypatch.chdir(root)
    res = run("validate", "kolplan.yaml", "--format", "json", "--as-of", AS_OF)
    assert res.code == 1
    assert res.json()["files"] == 2


def test_file_outside_plans_is_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})
    (root / "drafts").mkdir()
    (root / "drafts" / "new-kol.yaml").write_text(BROKEN.replace("id: jane-okafor", "id: new-kol"))
    monkeypatch.chdir(root / "drafts")
    res = run("validate", "new-kol.yaml", "--format", "json", "--as-of", AS_OF)
    assert res.code == 1
    assert {d["path"] for d in res.json()["diagnostics"]} == {"drafts/new-kol.yaml"}


def test_folders_and_skipped_names(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {
        "onc/jane-okafor.yaml": VALID_PLAN,
        "onc/_template.yaml": "not: a plan",
        ".hidden.yaml": "not: a plan",
        "onc/notes.txt": "ignored",
    })
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json")
    assert res.code == 0 and res.json()["files"] == 1


def test_finds_root_from_a_subfolder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "plans")
    assert run("validate", "--as-of", AS_OF).code == 0


def test_version() -> None:
    from kolplan import __version__

    for flag in ("--version", "-V"):
        res = run(flag)
        assert res.code == 0 and res.out == f"kolplan {__version__}\n"


def test_help_has_an_example() -> None:
    res = run("validate", "--help")
    assert res.code == 0 and "kolplan validate plans/jane-okafor.yaml" in res.out


def test_internal_error_is_one_line_and_exit_3(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kolplan.lint.engine

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(kolplan.lint.engine, "check_portfolio", boom)
    res = run("validate", "--repo", str(repo))
    assert res.code == 3
    assert res.err.count("\n") == 1 and "internal error" in res.err and "--debug" in res.err
    with pytest.raises(RuntimeError, match="simulated bug"):
        run("validate", "--repo", str(repo), "--debug")


def test_python_dash_m_works(repo: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "kolplan", "validate", "--repo", str(repo), "--as-of", AS_OF,
                           "--format", "json"], capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["files"] == 1


def test_schema_command_prints_json_schema() -> None:
    res = run("schema")
    assert res.code == 0
    schema = json.loads(res.out)
    assert schema["$schema"].startswith("https://json-schema.org/draft/2020-12")
    assert set(schema["required"]) >= {"schema", "id", "kol", "owners", "plan"}
    assert schema["additionalProperties"] is False
    res = run("schema", "--config")
    assert res.code == 0
    config = json.loads(res.out)
    assert "departments" in config["properties"]


def test_plans_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    (root / "plans").rmdir()
    (root / "plans").write_text("not a folder")
    res = run("validate", "--repo", str(root))
    assert res.code == 2 and "plans is a file, not a folder" in res.err


def test_empty_config_says_what_it_needs(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", config="")
    res = run("validate", "--repo", str(root))
    assert res.code == 2 and "kolplan.yaml needs at least schema: kolplan/v1" in res.err
