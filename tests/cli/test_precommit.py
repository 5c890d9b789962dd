"""The pre-commit hook this project provides, run by pre-commit itself on the sample portfolio.

Slow (pre-commit builds a virtualenv with kolplan in it) and skipped, saying why, where
pre-commit is not installed or cannot install the hook (no network). pre-commit is not a
dependency of kolplan: install it yourself to run this test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

IGNORED = shutil.ignore_patterns(".venv", "venv", ".git", "*_cache", "__pycache__", ".hypothesis", ".kolplan",
                                 "dist", "build", "*.egg-info")


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def commit_all(cwd: Path) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", "snapshot")


def try_repo(sample: Path, hook_repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("pre-commit")
    assert exe is not None
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([exe, "try-repo", str(hook_repo), "kolplan-validate", "--all-files"], cwd=sample, env=env,
                          capture_output=True, text=True, timeout=900)


def test_pre_commit_try_repo_on_the_sample(tmp_path: Path, project_root: Path) -> None:
    if shutil.which("pre-commit") is None:
        pytest.skip("pre-commit is not installed (pip install pre-commit to run this test)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    # This project as a committed hook repository (try-repo on a working tree with new, untracked
    # files would not see them), and the sample portfolio as the repository being committed to.
    hook_repo = tmp_path / "kolplan"
    shutil.copytree(project_root, hook_repo, ignore=IGNORED)
    git(hook_repo, "init", "-q")
    commit_all(hook_repo)
    sample = tmp_path / "sample"
    sample.mkdir()
    shutil.copy(project_root / "kolplan.yaml", sample / "kolplan.yaml")
    shutil.copytree(project_root / "plans", sample / "plans")
    (sample / "README.md").write_text("not a plan: the hook must not be given this file\n")
    git(sample, "init", "-q")
    commit_all(sample)

    passes_then_fails(sample, lambda: try_repo(sample, hook_repo, tmp_path / "pre-commit-home"))


# --- the pre-commit config `kolplan init` writes, run by pre-commit itself (issue 16, item 5) ------

def _pre_commit_run(repo: Path, home: Path, path: str | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("pre-commit")
    assert exe is not None
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    if path is not None:
        env["PATH"] = f"{path}:{env['PATH']}"
    return subprocess.run([exe, "run", "--all-files"], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=900)


def _needs_tools() -> None:
    if shutil.which("pre-commit") is None:
        pytest.skip("pre-commit is not installed (pip install pre-commit to run this test)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")


def _hook_source(tmp_path: Path, project_root: Path) -> Path:
    """This project as a committed git repository with its version's release tag."""
    from kolplan import __version__

    src = tmp_path / "kolplan-src"
    shutil.copytree(project_root, src, ignore=IGNORED)
    git(src, "init", "-q")
    commit_all(src)
    git(src, "tag", f"v{__version__}")
    return src


def _initialised(tmp_path: Path, project_root: Path, *install: str) -> Path:
    """``kolplan init`` (with ``--install``), then the sample portfolio, committed."""
    from tests.helpers import run

    sample = tmp_path / "sample"
    assert run("init", str(sample), *install).code == 0
    shutil.copy(project_root / "kolplan.yaml", sample / "kolplan.yaml")
    shutil.copytree(project_root / "plans", sample / "plans", dirs_exist_ok=True)
    (sample / "README.md").write_text("not a plan\n")
    git(sample, "init", "-q")
    commit_all(sample)
    return sample


def passes_then_fails(sample: Path, hook: Callable[[], subprocess.CompletedProcess[str]]) -> None:
    """The hook passes on the sample portfolio, then fails on a broken plan and says where.
    Skips when pre-commit could not install the hook's environment (offline)."""
    res = hook()
    output = res.stdout + res.stderr
    if "kolplan validate..." not in output:
        pytest.skip(f"pre-commit could not install the hook's environment (offline?): exit {res.returncode}, "
                    f"{output.strip().splitlines()[-1] if output.strip() else 'no output'}")
    assert res.returncode == 0, output
    assert "Passed" in output
    bad = (sample / "plans" / "david-kim.yaml").read_text().replace("  tier: national", "  tier: superstar")
    (sample / "plans" / "david-kim.yaml").write_text(bad)
    commit_all(sample)
    res = hook()
    output = res.stdout + res.stderr
    assert res.returncode == 1, output
    assert "Failed" in output and "plans/david-kim.yaml" in output and "KP010" in output


def test_init_hook_as_written_local_python(tmp_path: Path, project_root: Path) -> None:
    """The default style: ``repo: local``, ``language: python``, kolplan from ``--install``."""
    _needs_tools()
    src = _hook_source(tmp_path, project_root)
    sample = _initialised(tmp_path, project_root, "--install", str(src))
    assert f'additional_dependencies: ["{src}"]' in (sample / ".pre-commit-config.yaml").read_text()
    passes_then_fails(sample, lambda: _pre_commit_run(sample, tmp_path / "home"))


def test_init_hook_language_system(tmp_path: Path, project_root: Path) -> None:
    """The commented alternative: ``language: system``, the kolplan on PATH."""
    import sys

    _needs_tools()
    sample = _initialised(tmp_path, project_root)
    config = sample / ".pre-commit-config.yaml"
    text = config.read_text()
    lines = [x for x in text.splitlines() if not x.strip().startswith("additional_dependencies:")]
    config.write_text("\n".join(lines).replace("language: python", "language: system") + "\n")
    commit_all(sample)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    import kolplan

    (bin_dir / "kolplan").write_text(f"#!/bin/sh\nPYTHONPATH={Path(kolplan.__file__).parent.parent} "
                                     f"exec {sys.executable} -m kolplan \"$@\"\n")
    (bin_dir / "kolplan").chmod(0o755)
    passes_then_fails(sample, lambda: _pre_commit_run(sample, tmp_path / "home", str(bin_dir)))


def test_init_hook_published_release(tmp_path: Path, project_root: Path) -> None:
    """The commented alternative: kolplan's repository at the release tag ``rev: v<version>``."""
    _needs_tools()
    src = _hook_source(tmp_path, project_root)
    sample = _initialised(tmp_path, project_root)
    config = sample / ".pre-commit-config.yaml"
    text = config.read_text()
    comment = text[text.index("everything under it with\n") + len("everything under it with\n"):text.index("repos:")]
    block = "\n".join(line[len("#   "):] for line in comment.splitlines())
    assert block.startswith("  - repo: https://github.com/kolplan/kolplan\n")
    config.write_text("repos:\n" + block.replace("https://github.com/kolplan/kolplan", str(src)) + "\n")
    commit_all(sample)
    passes_then_fails(sample, lambda: _pre_commit_run(sample, tmp_path / "home"))
