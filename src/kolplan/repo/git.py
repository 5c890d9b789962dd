"""What git knows about a plan repository, for the quarterly review (SPEC 8).

Every call runs ``git`` as a subprocess with a timeout and never raises: outside a
git repository, without git, or when git fails, the answer says so in one line and
the report goes on. Git is read only (``rev-parse``, ``rev-list``, ``ls-tree``,
``diff``, ``show``); nothing here changes the repository.

What changed during a quarter is read at the quarter's boundaries: the last commit
before the quarter started (``before``) and the last commit before it ended
(``after``). Only the plan files git lists as added or modified between the two are
read, and only those at the older commit (the newer side is the current plan, or the
plan at ``after`` when the quarter ended before the last commit).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from kolplan.repo.discovery import is_plan_name
from kolplan.vocabulary import DEFAULT_OBJECTIVE_STATUS
from kolplan.yamlio.document import YamlProblem
from kolplan.yamlio.reader import read_bytes

TIMEOUT: Final = 15.0  # seconds, per git call


@dataclass
class GitState:
    """The commit a document is made from, or why there is none."""

    available: bool
    commit: str | None = None
    dirty: bool = False  # plans or kolplan.yaml differ from the commit
    note: str = ""  # why git was not used, when it was not

    @property
    def short(self) -> str | None:
        return self.commit[:12] if self.commit else None


@dataclass
class ObjectiveChange:
    objective: str
    before: str
    after: str

    @property
    def label(self) -> str:
        return f"{self.objective} {self.before} → {self.after}"


@dataclass
class PlanChange:
    """One plan's change during the quarter, according to git."""

    path: str
    added: bool = False
    objectives: list[ObjectiveChange] = field(default_factory=list)


@dataclass
class QuarterChanges:
    """Plans added and objective statuses changed between the quarter's boundaries."""

    available: bool
    note: str = ""
    before: str | None = None  # commit at the quarter's start (None: the history starts inside it)
    after: str | None = None  # commit at the quarter's end (None: the working tree)
    plans: dict[str, PlanChange] = field(default_factory=dict)  # by repo-relative path

    @property
    def added(self) -> list[str]:
        return sorted(p for p, c in self.plans.items() if c.added)


class _GitFailed(Exception):
    pass


class Git:
    """``git`` run in one repository root, with paths relative to that root."""

    def __init__(self, root: Path, timeout: float | None = None) -> None:
        self.root = root
        self.timeout = TIMEOUT if timeout is None else timeout

    def run(self, *args: str) -> bytes:
        env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
        try:
            # A session of its own, so that a timeout also ends whatever git started.
            proc = subprocess.Popen(["git", "-C", str(self.root), *args], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,
                                    start_new_session=True)
        except FileNotFoundError:
            raise _GitFailed("git is not installed") from None
        except OSError as exc:
            raise _GitFailed(f"git could not run: {exc.strerror or exc}") from None
        try:
            out, err = proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise _GitFailed(f"git {args[0]} took longer than {self.timeout:g} s") from None
        except BaseException:
            # Ctrl-C or SIGTERM: git, in a session of its own, did not get the signal
            _kill(proc)
            raise
        if proc.returncode != 0:
            first = err.decode("utf-8", "replace").strip().splitlines()
            raise _GitFailed(first[0] if first else f"git {args[0]} failed")
        return out

    def text(self, *args: str) -> str:
        return self.run(*args).decode("utf-8", "replace")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """End git and whatever it started, and reap it."""
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL)
    try:
        proc.communicate()  # the rest of its output, so that its pipes close
    except (OSError, ValueError):  # a communicate() cut short left them in a state it refuses
        proc.wait()


def state(root: Path) -> GitState:
    """HEAD of the repository holding ``root``, and whether plans or config differ from it."""
    git = Git(root)
    try:
        inside = git.text("rev-parse", "--is-inside-work-tree").strip()
    except _GitFailed as exc:
        reason = str(exc)
        if "not a git repository" in reason:
            reason = "not a git repository"
        return GitState(False, note=reason)
    if inside != "true":
        return GitState(False, note="not inside a git work tree")
    try:
        commit = git.text("rev-parse", "--verify", "-q", "HEAD^{commit}").strip()
    except _GitFailed:
        return GitState(False, note="the git repository has no commit yet")
    try:
        status = git.text("status", "--porcelain", "--untracked-files=normal", "--", "kolplan.yaml", "plans")
    except _GitFailed:
        status = ""
    return GitState(True, commit=commit, dirty=bool(status.strip()))


def _commit_before(git: Git, day: dt.date) -> str | None:
    """The last commit (first-parent history of HEAD) made before ``day`` began (UTC)."""
    out = git.text("rev-list", "-1", "--first-parent", f"--before={day.isoformat()}T00:00:00Z", "HEAD").strip()
    return out or None


def _plan_paths(git: Git, commit: str) -> set[str]:
    out = git.text("ls-tree", "-r", "--name-only", "-z", commit, "--", "plans")
    return {p for p in out.split("\0") if _is_plan(p)}


def _is_plan(path: str) -> bool:
    return path.startswith("plans/") and is_plan_name(path.rsplit("/", 1)[-1])


def _changed(git: Git, before: str, after: str | None) -> set[str]:
    args = ["diff", "--name-only", "--no-renames", "-z", "--relative", before]
    if after is not None:
        args.append(after)
    out = git.text(*args, "--", "plans")
    return {p for p in out.split("\0") if _is_plan(p)}


def quarter_changes(root: Path, start: dt.date, end: dt.date, current: dict[str, dict[str, str]],
                    head: GitState | None = None) -> QuarterChanges:
    """What git says changed in the plans between ``start`` and ``end`` (inclusive days).

    ``current``: objective statuses (id -> status) of each plan as the report sees it now,
    by path. Plans added are those present now (or at the quarter's end) and not at its
    start; an objective changed when its status at the quarter's start differs.
    """
    head = head or state(root)
    if not head.available:
        return QuarterChanges(False, note=head.note)
    git = Git(root)
    try:
        before = _commit_before(git, start)
        after = _commit_before(git, end + dt.timedelta(days=1))
        if after is None:
            return QuarterChanges(True, note="no commit before the quarter ended", before=None, after=None)
        after_is_head = after == head.commit
        # The newer side: the working tree (what the report shows) when nothing was committed
        # after the quarter; otherwise the quarter's last commit.
        newer_ref = None if after_is_head else after
        now_paths = set(current) if after_is_head else _plan_paths(git, after)
        out = QuarterChanges(True, before=before, after=newer_ref)
        if before is None:
            for p in sorted(now_paths):
                out.plans[p] = PlanChange(p, added=True)
            out.note = "the history starts inside this quarter: every plan counts as added"
            return out
        old_paths = _plan_paths(git, before)
        for p in sorted(now_paths - old_paths):
            out.plans[p] = PlanChange(p, added=True)
        for p in sorted(_changed(git, before, newer_ref) & old_paths & now_paths):
            old = _objective_statuses(git.run("show", f"{before}:./{p}"))
            if newer_ref is None:
                new = current.get(p, {})
            else:
                new = _objective_statuses(git.run("show", f"{newer_ref}:./{p}"))
            moved = [ObjectiveChange(oid, old[oid], status) for oid, status in new.items()
                     if oid in old and old[oid] != status]
            if moved:
                out.plans[p] = PlanChange(p, objectives=moved)
        return out
    except _GitFailed as exc:
        return QuarterChanges(False, note=str(exc))


def _objective_statuses(data: bytes) -> dict[str, str]:
    """Objective id -> status of a plan's bytes; empty when it does not read (an old broken version)."""
    res = read_bytes(data)
    if isinstance(res, YamlProblem) or not isinstance(res.data, dict):
        return {}
    body: Any = res.data.get("plan")
    objectives = body.get("objectives") if isinstance(body, dict) else None
    out: dict[str, str] = {}
    for o in objectives if isinstance(objectives, list) else []:
        if isinstance(o, dict) and o.get("id") is not None:
            status = o.get("status")
            out[str(o["id"])] = str(status) if isinstance(status, str) else DEFAULT_OBJECTIVE_STATUS
    return out
