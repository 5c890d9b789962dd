"""What ``kolplan init`` writes for CI and pre-commit (issue 16, items 4 and 5; SPEC 5):
``--install SPEC`` in the workflow and the hook, hostile values refused or quoted safely, and
the workflow's shell steps run with bash as GitHub runs them, with a fake ``$GITHUB_STEP_SUMMARY``.
The hook run by the real pre-commit is in tests/cli/test_precommit.py."""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import kolplan
from kolplan.authoring.init import render_files
from tests.helpers import AS_OF, CONFIG, VALID_PLAN, make_repo, run

WORKFLOW = ".github/workflows/kolplan.yml"
HOOKS = ".pre-commit-config.yaml"


def _written(tmp_path: Path, *install: str) -> tuple[dict[str, Any], dict[str, Any]]:
    d = tmp_path / "d"
    res = run("init", str(d), *(("--install", *install) if install else ()))
    assert res.code == 0, res.err
    return (yaml.safe_load((d / WORKFLOW).read_text(encoding="utf-8")),
            yaml.safe_load((d / HOOKS).read_text(encoding="utf-8")))


def _pip_words(flow: dict[str, Any]) -> list[str]:
    [line] = [s["run"] for s in flow["jobs"]["validate"]["steps"] if s.get("name") == "Install kolplan"]
    words = shlex.split(line)
    assert words[:2] == ["pip", "install"]
    return words[2:]


def _hook(hooks: dict[str, Any]) -> dict[str, Any]:
    [repo] = hooks["repos"]
    assert repo["repo"] == "local"
    [hook] = repo["hooks"]
    return dict(hook)


def test_default_is_this_version(tmp_path: Path, project_root: Path) -> None:
    flow, hooks = _written(tmp_path)
    assert _pip_words(flow) == [f"kolplan=={kolplan.__version__}"]
    hook = _hook(hooks)
    assert hook["additional_dependencies"] == [f"kolplan=={kolplan.__version__}"]
    # the same hook as the one this repository publishes
    [published] = yaml.safe_load((project_root / ".pre-commit-hooks.yaml").read_text())
    for key in ("id", "name", "entry", "language", "files", "pass_filenames", "require_serial"):
        assert hook[key] == published[key], key
    text = (tmp_path / "d" / HOOKS).read_text()
    assert f"#       rev: v{kolplan.__version__}\n" in text and "language: system" in text


ACCEPTED = [
    "kolplan==1.2",
    "kolplan>=1.2,<2",
    "'kolplan[extra] ~= 1.2'",
    "https://pkgs.example.com/kolplan-1.2.tar.gz#sha256=abc",
    "git+https://git.example.com/tools/kolplan@v1.2",
    "kolplan==1.2 --index-url https://pypi.example.com/simple",
    "kolplan --extra-index-url 'https://u:p@pypi.example.com/simple?a=b&c=d#x'",
    "'/opt/my tools/kolplan-1.2-py3-none-any.whl'",
    "kolplan==1.2 --trusted-host pypi.example.com",
    "\"kolplan; python_version >= '3.11'\"",
    "kolplan 'a: b' '#not-a-comment' '\"quoted\"' '$(touch /tmp/x)' '`id`' '*' '- item' '{x: [y]}'",
    "kolplan --find-links ./wheels/café",
]


@pytest.mark.parametrize("spec", ACCEPTED)
def test_accepted_specs_reach_pip_word_for_word(tmp_path: Path, spec: str) -> None:
    flow, hooks = _written(tmp_path, spec)
    words = shlex.split(spec)
    assert _pip_words(flow) == words
    assert _hook(hooks)["additional_dependencies"] == words


def test_the_install_line_runs_nothing_but_pip(tmp_path: Path) -> None:
    """Every word is one argument of pip, shell metacharacters and all: run the step's line with a fake pip."""
    flow, _ = _written(tmp_path, ACCEPTED[10])
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "pip").write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n')
    (fake / "pip").chmod(0o755)
    [line] = [s["run"] for s in flow["jobs"]["validate"]["steps"] if s.get("name") == "Install kolplan"]
    res = subprocess.run(["bash", "-e", "-c", line], env={**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"},
                         capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == ["install", *shlex.split(ACCEPTED[10])]


REFUSED = {
    "": "is empty",
    "   ": "is empty",
    "kolplan==1.2\nevil: true": "'\\n'",
    "kolplan==1.2\r": "'\\r'",
    "kolplan\x1b[31m": "'\\x1b'",
    "kolplan\u2028x": "'\\u2028'",  # a line break to YAML
    "kolplan ${{ secrets.TOKEN }}": "expression",
    "kolplan 'unbalanced": "No closing quotation",
    "1.2": "no word names kolplan",
    "--pre": "no word names kolplan",
}


@pytest.mark.parametrize("spec", sorted(REFUSED))
def test_refused_specs_write_nothing(tmp_path: Path, spec: str) -> None:
    res = run("init", str(tmp_path / "d"), "--install", spec)
    assert res.code == 2, res.out
    assert res.err.startswith("kolplan: error: --install") and REFUSED[spec] in res.err
    assert res.err.count("\n") == 1
    assert not (tmp_path / "d").exists()


def test_an_existing_pre_commit_config_gets_the_same_hook_to_add(tmp_path: Path) -> None:
    (tmp_path / HOOKS).write_text("repos: []\n")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / WORKFLOW).write_text("name: ours\n")
    spec = "kolplan==1.2 --index-url https://pypi.example.com/simple"
    res = run("init", str(tmp_path), "--install", spec)
    assert res.code == 0
    files = render_files(spec)
    block = files[HOOKS][files[HOOKS].index("  - repo: local"):]
    assert "\n".join("      " + line for line in block.splitlines()) in res.out
    merged = yaml.safe_load("repos:\n" + block)
    assert _hook(merged)["additional_dependencies"] == shlex.split(spec)
    flow_part = files[WORKFLOW][files[WORKFLOW].index("permissions:"):]
    assert _pip_words(yaml.safe_load("name: ours\non: [push]\n" + flow_part)) == shlex.split(spec)
    assert "      pip install kolplan==1.2 --index-url https://pypi.example.com/simple" in res.out


# --- the workflow's steps, run with bash as GitHub runs them --------------------------------------

SHELLS = {"default": ["bash", "-e"], "shell: bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail"]}


def _kolplan_on_path(tmp_path: Path) -> dict[str, str]:
    """A ``kolplan`` command that runs this kolplan, first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "kolplan"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m kolplan "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    src = str(Path(kolplan.__file__).resolve().parent.parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return {**env, "PATH": f"{bin_dir}:{env['PATH']}", "PYTHONPATH": src, "GITHUB_ACTIONS": "true"}


def _step(name: str) -> str:
    flow = yaml.safe_load(render_files()[WORKFLOW])
    [script] = [s["run"] for s in flow["jobs"]["validate"]["steps"] if s.get("name") == name]
    return str(script)


def _run_step(name: str, repo: Path, tmp_path: Path, shell: list[str]) -> tuple[int, str, str]:
    summary = tmp_path / "step_summary.md"
    summary.write_text("earlier step's summary\n")
    script = tmp_path / "step.sh"
    script.write_text(_step(name).replace("kolplan validate", f"kolplan validate --as-of {AS_OF}"))
    env = {**_kolplan_on_path(tmp_path), "GITHUB_STEP_SUMMARY": str(summary)}
    res = subprocess.run([*shell, str(script)], cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    return res.returncode, res.stdout, summary.read_text()


@pytest.fixture(scope="module")
def bash() -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")


CASES = {
    "clean": ({"jane-okafor.yaml": VALID_PLAN}, CONFIG, 0),
    "errors": ({"jane-okafor.yaml": VALID_PLAN.replace("  tier: national", "  tier: superstar")}, CONFIG, 1),
    "broken config": ({"jane-okafor.yaml": VALID_PLAN}, CONFIG + "colour: blue\n", 2),
}


@pytest.mark.usefixtures("bash")
@pytest.mark.parametrize("shell", sorted(SHELLS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_step_writes_the_summary_and_keeps_the_exit_code(tmp_path: Path, case: str, shell: str) -> None:
    plans, config, code = CASES[case]
    repo = make_repo(tmp_path / "r", plans, config=config)
    rc, out, summary = _run_step("Validate plans", repo, tmp_path, SHELLS[shell])
    assert rc == code  # the step (and so the job) fails on errors and on a broken config
    assert summary.startswith("earlier step's summary\n### kolplan validate: ")  # appended, not overwritten
    if code:
        assert "| error | " in summary
        assert out.startswith("::error file=")  # the annotations, in the log
    else:
        assert summary.endswith("0 errors, 0 warnings in 1 file\n")


@pytest.mark.usefixtures("bash")
@pytest.mark.parametrize("case", sorted(CASES))
def test_sarif_step_leaves_a_document_for_the_upload(tmp_path: Path, case: str) -> None:
    plans, config, _ = CASES[case]
    repo = make_repo(tmp_path / "r", plans, config=config)
    rc, _, _ = _run_step("Write SARIF", repo, tmp_path, SHELLS["default"])
    assert rc == 0  # the upload step runs on what is there; the validate step failed the job already
    import json

    doc = json.loads((repo / "kolplan.sarif").read_text())
    assert doc["version"] == "2.1.0"
    assert bool(doc["runs"][0]["results"]) == (case != "clean")
