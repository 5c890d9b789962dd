"""What the report reads from git: the commit, plans added, objective statuses changed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kolplan.repo.git import quarter_changes, state
from tests.helpers import make_repo, run
from tests.portfolio import ANA, JANE, TOM

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(root: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T12:00:00Z", GIT_COMMITTER_DATE=f"{date}T12:00:00Z")
    res = subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main",
                          *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return res.stdout.strip()


def commit(root: Path, date: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"plans as of {date}", date=date)
    return git(root, "rev-parse", "HEAD")


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, str, str]:
    """Commit 1 (2026-03-10): jane (O1 not-started), tom. Commit 2 (2026-05-05): jane O1 on-track, ana added."""
    root = make_repo(tmp_path / "g", {"jane-okafor.yaml": JANE.replace("status: on-track", "status: not-started"),
                                      "cardiology/tom-baker.yaml": TOM})
    git(root, "init", "-q")
    first = commit(root, "2026-03-10")
    (root / "plans" / "jane-okafor.yaml").write_text(JANE, encoding="utf-8")
    (root / "plans" / "ana-silva.yaml").write_text(ANA, encoding="utf-8")
    second = commit(root, "2026-05-05")
    return root, first, second


def report(root: Path, quarter: str) -> str:
    res = run("report", "--repo", str(root), "--as-of", "2026-06-15", "--quarter", quarter)
    assert res.code == 0, res.err
    assert "Traceback" not in res.err
    return res.out


def test_report_names_the_commit_and_what_changed_in_the_quarter(history: tuple[Path, str, str]) -> None:
    root, first, second = history
    out = report(root, "2026-Q2")
    assert f"Made from commit `{second[:12]}`.\n" in out
    git_part = out.split("\n## What changed in git\n", 1)[1].split("\n## ", 1)[0]
    assert f"Between commit `{first[:12]}` (the quarter's start) and the current plans:" in git_part
    assert "- Plans added: 1 (Ana Silva)." in git_part  # KOLs by name, not files
    assert "- Objectives whose status changed: 1." in git_part
    assert "  - not-started → on-track: 1 (Jane Okafor)" in git_part
    # jane needs no action and is not global: one row in the appendix, active through git's change
    assert "| Jane Okafor | national | Alice Chen, Field Medical |" in out.split("\n## Appendix\n", 1)[1]
    assert "### Jane Okafor" not in out
    ana = out.split("### Ana Silva", 1)[1].split("\n### ", 1)[0]
    assert "- plan added to the repository" in ana


def test_quarter_changes_reads_a_past_quarter_at_its_end(history: tuple[Path, str, str]) -> None:
    import datetime as dt

    root, first, _ = history
    changes = quarter_changes(root, dt.date(2026, 1, 1), dt.date(2026, 3, 31), {})
    assert changes.available
    assert (changes.before, changes.after) == (None, first)
    assert changes.added == ["plans/cardiology/tom-baker.yaml", "plans/jane-okafor.yaml"]
    assert "history starts inside this quarter" in changes.note


def test_a_quarter_before_the_history(history: tuple[Path, str, str]) -> None:
    root, _, _ = history
    out = report(root, "2025-Q4")
    assert "(no commit before the quarter ended)" in out
    assert "- Plans added: 0." in out


def test_uncommitted_changes_are_mentioned(history: tuple[Path, str, str]) -> None:
    root, _, _ = history
    with (root / "plans" / "cardiology" / "tom-baker.yaml").open("a", encoding="utf-8") as fh:
        fh.write("custom: {note: edited}\n")
    out = report(root, "2026-Q2")
    assert "with uncommitted changes to plans or kolplan.yaml" in out


def test_no_git_leaves_history_out(history: tuple[Path, str, str]) -> None:
    root, _, second = history
    res = run("report", "--repo", str(root), "--as-of", "2026-06-15", "--no-git")
    assert res.code == 0
    assert second[:12] not in res.out
    assert "Git: not consulted (`--no-git`)" in res.out
    assert "Not consulted (`--no-git`)." in res.out


def test_outside_a_git_repository_the_report_says_so(portfolio: Path) -> None:
    assert not state(portfolio).available
    out = report(portfolio, "2026-Q2")
    assert "Git: not a git repository; the report is made from the plan files as they are" in out
    assert "Not available: not a git repository." in out


def test_without_git_installed_the_report_goes_on(history: tuple[Path, str, str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root, _, _ = history
    monkeypatch.setenv("PATH", str(root / "no-such-bin"))
    out = report(root, "2026-Q2")
    assert "Git: git is not installed;" in out


def test_a_hanging_git_is_cut_short(history: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch,
                                    tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text("#!/bin/sh\n/bin/sleep 5\n", encoding="utf-8")
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", str(fake))
    monkeypatch.setattr("kolplan.repo.git.TIMEOUT", 0.2)
    root, _, _ = history
    s = state(root)
    assert not s.available and "took longer than" in s.note
    assert "git" in s.note
