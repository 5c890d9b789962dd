"""kolplan.repo.worktree: the top of the git work tree, found by walking up for ``.git``
(a folder with ``HEAD``, or a ``gitdir:`` file) without running git."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kolplan.repo.worktree import work_tree_top


def test_a_git_folder_above_is_the_top(tmp_path: Path) -> None:
    (tmp_path / "mono" / ".git").mkdir(parents=True)
    (tmp_path / "mono" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    deep = tmp_path / "mono" / "medical" / "plans"
    deep.mkdir(parents=True)
    assert work_tree_top(deep) == tmp_path / "mono"
    assert work_tree_top(tmp_path / "mono") == tmp_path / "mono"


def test_a_gitdir_file_is_a_top_too(tmp_path: Path) -> None:
    (tmp_path / "outer" / ".git").mkdir(parents=True)
    (tmp_path / "outer" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    inner = tmp_path / "outer" / "sub"  # a submodule or a linked worktree: the nearest wins
    inner.mkdir()
    (inner / ".git").write_text("gitdir: ../.git/modules/sub\n")
    assert work_tree_top(inner / "medical") == inner


def test_what_git_would_not_take_for_a_repository_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # no HEAD: not a repository
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".git").write_text("not a gitdir line\n")
    start = tmp_path / "a" / "b"
    start.mkdir()
    top = work_tree_top(start)
    assert top is None or not top.is_relative_to(tmp_path)


def test_outside_git_there_is_no_top(tmp_path: Path) -> None:
    top = work_tree_top(tmp_path)
    assert top is None or not top.is_relative_to(tmp_path)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_it_agrees_with_git_rev_parse(tmp_path: Path) -> None:
    (tmp_path / "mono").mkdir()
    subprocess.run(["git", "init", "-q", str(tmp_path / "mono")], check=True, timeout=60)
    deep = tmp_path / "mono" / "medical" / "plans"
    deep.mkdir(parents=True)
    shown = subprocess.run(["git", "-C", str(deep), "rev-parse", "--show-toplevel"], capture_output=True,
                           text=True, check=True, timeout=60).stdout.strip()
    top = work_tree_top(deep)
    assert top is not None and top.resolve() == Path(shown).resolve()


def test_importing_it_stays_light() -> None:
    """``validate`` imports it on every github/sarif run: nothing heavier than ``os``."""
    code = ("import sys; import kolplan.repo.worktree; "
            "print(sorted(m for m in ('subprocess', 'yaml', 'pydantic', 'typer', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"
