"""The top of the git work tree a kolplan repository lives in, found without running git.

``validate --format github`` and ``--format sarif`` write paths relative to it (SPEC 6), so
that in a monorepo (``medical/kolplan.yaml``) annotations and code-scanning alerts land on
``medical/plans/x.yaml``, the file GitHub knows. It is read once per run by walking up from
the kolplan root to the first folder holding a ``.git`` entry, as git itself does: a folder
(an ordinary clone) or a file saying ``gitdir: …`` (a linked worktree, a submodule). No git
process is started (a hook's ``validate`` stays fast) and nothing heavier than ``os`` is
imported. ``GIT_DIR``/``GIT_WORK_TREE`` in the environment are not consulted: CI checkouts
do not set them, and a work tree declared only there has no ``.git`` for GitHub's tools either.
"""

from __future__ import annotations

import os
from pathlib import Path


def work_tree_top(start: Path) -> Path | None:
    """The first folder at or above ``start`` (made absolute, not resolved) with a ``.git``
    folder or ``.git`` file in it; None outside any git work tree."""
    start = start.absolute()
    for folder in (start, *start.parents):
        if _is_git_entry(folder / ".git"):
            return folder
    return None


def _is_git_entry(dot_git: Path) -> bool:
    """``.git`` as git accepts it: a folder with a ``HEAD``, or a file starting ``gitdir:``."""
    try:
        if dot_git.is_dir():
            return os.path.exists(dot_git / "HEAD")
        if dot_git.is_file():
            with open(dot_git, "rb") as fh:
                return fh.read(8) == b"gitdir: "
    except OSError:  # unreadable: not something git would use either
        return False
    return False
