"""`kolplan init`, the walkthrough of the README, and the files that plug kolplan into CI and editors."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kolplan.authoring.init import FILES
from kolplan.errors import WriteError
from kolplan.repo.config import load_config
from kolplan.schema.jsonschema import json_schema
from tests.helpers import run

EXPECTED = {"kolplan.yaml", "plans/.gitkeep", ".gitignore", ".github/workflows/kolplan.yml",
            ".pre-commit-config.yaml", "schema/plan.schema.json", "schema/config.schema.json",
            ".vscode/settings.json"}


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def folders(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir()}


def test_init_writes_every_file(tmp_path: Path) -> None:
    res = run("init", str(tmp_path / "demo"))
    assert res.code == 0, res.err
    assert set(tree(tmp_path / "demo")) == EXPECTED
    assert "created a kolplan repository in" in res.out and "kolplan new jane-okafor" in res.out


def test_config_loads_and_an_empty_repository_validates(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "d")).code == 0
    config, _ = load_config(tmp_path / "d" / "kolplan.yaml", "kolplan.yaml")
    assert set(config.people) >= {"a.chen", "r.patel"} and config.rules.ignore == [] and config.compliance is None
    res = run("validate", "--repo", str(tmp_path / "d"))
    assert res.code == 0
    assert res.out.startswith("0 errors, 0 warnings")


def uncomment(text: str, key: str) -> str:
    """Uncomment the commented example block that starts with ``# key:``."""
    lines = text.splitlines()
    start = lines.index(f"# {key}:")
    end = start
    while end < len(lines) and lines[end].startswith("#"):
        end += 1
    return "\n".join([*lines[:start], *(line[2:] for line in lines[start:end]), *lines[end:]]) + "\n"


def test_commented_examples_are_valid_when_uncommented(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "d")).code == 0
    path = tmp_path / "d" / "kolplan.yaml"
    path.write_text(uncomment(uncomment(path.read_text(), "rules"), "compliance"))
    config, _ = load_config(path, "kolplan.yaml")
    assert config.rules.ignore == ["KP106"]
    assert config.compliance is not None and config.compliance.annual_cap == 25000
    assert config.compliance.fmv_hourly_rate is not None and config.compliance.fmv_hourly_rate.for_tier("local") == 250


def test_the_coordination_example_is_valid_when_uncommented(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "d")).code == 0
    path = tmp_path / "d" / "kolplan.yaml"
    assert load_config(path, "kolplan.yaml")[0].coordination is None  # off until the team turns it on
    path.write_text(uncomment(path.read_text(), "coordination"))
    config, _ = load_config(path, "kolplan.yaml")
    coord = config.coordination
    assert coord is not None and coord.window_days == 14 and coord.max_hours_per_quarter is not None
    assert [coord.max_hours_per_quarter.for_tier(t) for t in ("global", "national", "regional", "local", "rising")] \
        == [40, 30, 20, 12, 12]
    assert run("validate", "--repo", str(tmp_path / "d")).code == 0


def test_gitignore_pre_commit_and_workflow(tmp_path: Path, project_root: Path) -> None:
    assert run("init", str(tmp_path / "d")).code == 0
    d = tmp_path / "d"
    assert ".kolplan/" in (d / ".gitignore").read_text().splitlines()
    hooks = yaml.safe_load((d / ".pre-commit-config.yaml").read_text())
    [repo] = hooks["repos"]
    assert [h["id"] for h in repo["hooks"]] == ["kolplan-validate"]
    provided = yaml.safe_load((project_root / ".pre-commit-hooks.yaml").read_text())
    assert "kolplan-validate" in {h["id"] for h in provided}
    flow = yaml.safe_load((d / ".github" / "workflows" / "kolplan.yml").read_text())
    steps = flow["jobs"]["validate"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert any(r.startswith("pip install") and "kolplan" in r for r in runs)
    summary = next(i for i, r in enumerate(runs) if 'kolplan validate --format markdown >> "$GITHUB_STEP_SUMMARY"' in r)
    assert "kolplan validate --format github" in runs[summary]
    sarif = next(i for i, r in enumerate(runs) if "kolplan validate --format sarif -o kolplan.sarif" in r)
    upload = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert summary < sarif < upload
    assert steps[upload]["with"]["sarif_file"] == "kolplan.sarif"
    assert steps[sarif]["if"] == "always()" and steps[upload]["if"] == "always()"
    assert flow["permissions"]["security-events"] == "write"


def test_schemas_written_for_editors(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "d")).code == 0
    assert (tmp_path / "d" / "schema" / "plan.schema.json").read_text() == json_schema("plan")
    assert (tmp_path / "d" / "schema" / "config.schema.json").read_text() == json_schema("config")


def test_init_in_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "README.md").write_text("mine\n")
    monkeypatch.chdir(tmp_path)
    res = run("init")
    assert res.code == 0, res.err
    assert set(tree(tmp_path)) == EXPECTED | {"README.md"}
    assert "cd " not in res.out  # nothing to cd into


def test_refuses_when_kolplan_yaml_exists_and_writes_nothing(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "kolplan.yaml").write_text("keep me\n")
    (d / ".gitignore").write_text("node_modules\n")
    before, before_dirs = tree(d), folders(d)
    res = run("init", str(d))
    assert res.code == 1
    assert "kolplan.yaml already exists" in res.err and "nothing was written" in res.err
    assert tree(d) == before and folders(d) == before_dirs


@pytest.mark.parametrize("existing", sorted(EXPECTED - {"kolplan.yaml"}))
def test_an_existing_file_is_never_overwritten_and_the_rest_is_written(tmp_path: Path, existing: str) -> None:
    d = tmp_path / "d"
    (d / existing).parent.mkdir(parents=True, exist_ok=True)
    (d / existing).write_bytes(b"keep me\n")
    res = run("init", str(d))
    assert res.code == 0, res.err
    assert set(tree(d)) == EXPECTED
    assert "set up kolplan in the existing repository" in res.out
    text = (d / existing).read_bytes()
    if existing == ".gitignore":
        assert text == b"keep me\n.kolplan/\n*.kolplan-tmp\n"
        assert re.search(r"^  appended to  \.gitignore +added \.kolplan/, \*\.kolplan-tmp$", res.out, re.M)
    else:
        assert text == b"keep me\n"
        assert re.search(rf"^  left alone   {re.escape(existing)} +it exists", res.out, re.M)
    for other in EXPECTED - {existing}:
        assert re.search(rf"^  created      {re.escape(other)} ", res.out, re.M), other


def test_init_in_an_existing_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The usual case: a repository with a .gitignore (CRLF, no final newline), a workflow and a pre-commit config."""
    (tmp_path / ".gitignore").write_bytes(b"node_modules\r\n*.pyc")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "kolplan.yml").write_text("name: ours\n")
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n")
    monkeypatch.chdir(tmp_path)
    res = run("init", ".")
    assert res.code == 0, res.err
    assert set(tree(tmp_path)) == EXPECTED
    assert (tmp_path / ".gitignore").read_bytes() == b"node_modules\r\n*.pyc\r\n.kolplan/\r\n*.kolplan-tmp\r\n"
    assert (tmp_path / ".github" / "workflows" / "kolplan.yml").read_text() == "name: ours\n"
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == "repos: []\n"
    out = res.out
    assert out.startswith("set up kolplan in the existing repository .:\n")
    assert re.search(r"^  created      kolplan.yaml ", out, re.M)
    assert re.search(r"^  appended to  \.gitignore +added \.kolplan/, \*\.kolplan-tmp$", out, re.M)
    assert re.search(r"^  left alone   \.github/workflows/kolplan\.yml +it exists; add these lines to it:$", out, re.M)
    assert re.search(r"^  left alone   \.pre-commit-config\.yaml +it exists; add these lines under repos:$", out, re.M)
    # the exact snippets: the template's lines, indented by six spaces
    from kolplan.authoring.init import render_files

    files = render_files()
    hook = files[".pre-commit-config.yaml"].split("repos:\n", 1)[1]
    assert "\n".join("      " + line for line in hook.splitlines()) in out
    assert "      - id: kolplan-validate" in out
    flow = files[".github/workflows/kolplan.yml"]
    flow_part = flow[flow.index("permissions:"):]
    snippet = "\n".join(("      " + line) if line else "" for line in flow_part.splitlines())
    assert snippet in out
    merged = yaml.safe_load("name: ours\non: [push]\n" + flow_part)
    assert merged["jobs"]["validate"]["steps"]
    assert "cd " not in out


@pytest.mark.parametrize(("before", "after"), [
    (b"", b".kolplan/\n*.kolplan-tmp\n"),
    (b"*.pyc", b"*.pyc\n.kolplan/\n*.kolplan-tmp\n"),
    (b"/.kolplan\n", b"/.kolplan\n*.kolplan-tmp\n"),
    (b"*.kolplan-tmp\r\n", b"*.kolplan-tmp\r\n.kolplan/\r\n"),
])
def test_gitignore_gets_only_the_missing_lines(tmp_path: Path, before: bytes, after: bytes) -> None:
    (tmp_path / ".gitignore").write_bytes(before)
    res = run("init", str(tmp_path))
    assert res.code == 0, res.err
    assert (tmp_path / ".gitignore").read_bytes() == after
    assert "appended to  .gitignore" in res.out


def test_a_gitignore_and_configs_that_already_have_it_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("# ours\n.kolplan/\n*.kolplan-tmp\n")
    (tmp_path / ".pre-commit-config.yaml").write_text("repos:\n  - repo: local\n    hooks: [{id: kolplan-validate}]\n")
    res = run("init", str(tmp_path))
    assert res.code == 0, res.err
    assert (tmp_path / ".gitignore").read_text() == "# ours\n.kolplan/\n*.kolplan-tmp\n"
    assert re.search(r"^  left alone   \.gitignore +it exists and already has what kolplan needs$", res.out, re.M)
    assert re.search(r"^  left alone   \.pre-commit-config\.yaml +it exists and already has", res.out, re.M)
    assert "- repo: https://github.com/kolplan/kolplan" not in res.out


def test_next_line_quotes_a_folder_with_spaces(tmp_path: Path) -> None:
    d = tmp_path / "medical affairs"
    res = run("init", str(d))
    assert res.code == 0, res.err
    assert f"then cd '{d.as_posix()}' && kolplan new jane-okafor" in res.out


def test_refuses_a_file_as_the_folder(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    res = run("init", str(tmp_path / "f"))
    assert res.code == 2 and "not a folder" in res.err


def test_a_failed_write_removes_what_was_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kolplan.yamlio import atomic

    real = atomic.atomic_write
    calls = []

    def flaky(path: Path, data: bytes | str, **kw: object) -> None:
        calls.append(path)
        if len(calls) == 4:
            raise WriteError(f"cannot write {path}: No space left on device; the file is unchanged")
        real(path, data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic, "atomic_write", flaky)
    (tmp_path / "d").mkdir()
    res = run("init", str(tmp_path / "d" / "new"))
    assert res.code == 1 and "No space left" in res.err
    assert len(calls) == 4
    assert list((tmp_path / "d").iterdir()) == []  # no file, no folder left behind


def test_every_write_is_exclusive_and_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kolplan.yamlio import atomic

    real = atomic.atomic_write
    seen: list[bool] = []

    def spy(path: Path, data: bytes | str, **kw: object) -> None:
        seen.append(bool(kw.get("exclusive")))
        real(path, data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic, "atomic_write", spy)
    assert run("init", str(tmp_path / "d")).code == 0
    assert seen == [True] * len(FILES)


def test_help_has_an_example() -> None:
    res = run("init", "--help")
    assert res.code == 0 and "kolplan init medical-affairs-plans" in res.out


# -- the walkthrough -------------------------------------------------------------------------------------------
def test_walkthrough_end_to_end(tmp_path: Path) -> None:
    """`kolplan init demo && cd demo && kolplan new ... && kolplan log ... && kolplan validate`, as a user runs it."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)

    def kolplan(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kolplan", *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)

    demo = tmp_path / "demo"
    steps = [
        (("init", "demo"), tmp_path),
        (("new", "jane-okafor", "--name", "Jane Okafor", "--lead", "a.chen", "--institution",
          "University Hospital Example", "--tier", "national", "--country", "GB", "--ta", "oncology"), demo),
        (("log", "jane-okafor", "--by", "a.chen", "--channel", "in-person", "--summary",
          "Discussed MRD assay variability", "--insight", "wants data on older patients"), demo),
        (("validate",), demo),
    ]
    for args, cwd in steps:
        res = kolplan(*args, cwd=cwd)
        assert res.returncode == 0, (args, res.stdout, res.stderr)
        assert "Traceback" not in res.stderr
    assert re.match(r"0 errors, \d+ warnings?", res.stdout.splitlines()[-1])
    text = (tmp_path / "demo" / "plans" / "jane-okafor.yaml").read_text()
    assert 'summary: "Discussed MRD assay variability"' in text


# -- the files this project ships for CI and editors -------------------------------------------------------
def test_pre_commit_hook_definition(project_root: Path) -> None:
    [hook] = yaml.safe_load((project_root / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "kolplan-validate"
    assert hook["entry"] == "kolplan validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    for path in ("plans/jane-okafor.yaml", "plans/oncology/x.yml", "kolplan.yaml"):
        assert files.search(path), path
    for path in ("README.md", "templates/init/kolplan.yaml.j2", "schema/plan.schema.json", "xplans/a.yaml",
                 "sub/kolplan.yaml"):
        assert not files.search(path), path


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_gitignore_init_writes_covers_kolplan_temporary_files_and_nothing_of_the_plans(
    tmp_path: Path, project_root: Path
) -> None:
    """A crash between a write and its rename leaves `.<name>.<random>.kolplan-tmp`, a full copy of a
    plan: `git add .` must not pick it up, in any folder (SPEC 5.1)."""
    from kolplan.yamlio.atomic import TEMP_SUFFIX, temp_prefix

    d = tmp_path / "d"
    assert run("init", str(d)).code == 0
    subprocess.run(["git", "init", "-q", str(d)], check=True, capture_output=True)
    temps = [f"{folder}{temp_prefix(name)}k3x9_a1b{TEMP_SUFFIX}"
             for folder in ("", "plans/", "plans/oncology/", "docs/")
             for name in ("jane-okafor.yaml", "review.md", "kolplan.yaml")]
    kept = ["plans/jane-okafor.yaml", "plans/oncology/li-wei.yml", "kolplan.yaml", "docs/review.md", ".gitignore"]
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    res = subprocess.run(["git", "check-ignore", "--no-index", "--stdin"], cwd=d, input="\n".join(temps + kept),
                         capture_output=True, text=True, env=env, check=False)
    assert sorted(res.stdout.split()) == sorted(temps)
    assert f"*{TEMP_SUFFIX}" in (project_root / ".gitignore").read_text().splitlines()  # this repository's own
