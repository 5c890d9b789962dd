"""Concurrent `kolplan log` runs lose nothing; a crash leaves nothing for git (SPEC 5.1).

Many real processes, not threads: each is a `kolplan log` started from a small runner
that imports kolplan, waits for a start file, then runs the command, so they all reach
the plan within a few milliseconds of each other.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kolplan.yamlio.document import Document
from kolplan.yamlio.reader import read_bytes
from tests.helpers import AS_OF, VALID_PLAN, make_repo, run

RUNNER = """\
import contextlib, importlib, os, sys, time
start, ready = sys.argv[1:3]
from kolplan.cli import main
for name in ("kolplan.cli.app", "kolplan.authoring.log", "kolplan.lint.check", "kolplan.yamlio.append",
             "kolplan.authoring.edit", "kolplan.schema", "kolplan.authoring.scaffold", "kolplan.lint.runner"):
    with contextlib.suppress(ImportError):
        importlib.import_module(name)
open(ready, "w").close()
while not os.path.exists(start):
    time.sleep(0.002)
main(sys.argv[3:])
"""

PROCESSES = 10
ROUNDS = 3


def release_together(tmp_path: Path, commands: list[list[str]], tag: str = "") -> list[tuple[int, str, str]]:
    """Run ``kolplan`` once per argument list, every process imported and waiting before all
    are released at once; the exit code, stdout and stderr of each, in order."""
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER)
    start = tmp_path / f"start{tag}"
    ready = [tmp_path / f"ready{tag}-{i}" for i in range(len(commands))]
    procs = [subprocess.Popen([sys.executable, str(runner), str(start), str(ready[i]), *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i, args in enumerate(commands)]
    deadline = time.monotonic() + 60
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:  # all imported, all waiting
        time.sleep(0.01)
    start.touch()  # go
    return [(p.wait(timeout=120), *p.communicate()) for p in procs]


def interactions(path: Path) -> list[str]:
    doc = read_bytes(path.read_bytes())
    assert isinstance(doc, Document) and not doc.problems
    assert isinstance(doc.data, dict)
    return [str(i["summary"]) for i in doc.data["interactions"]]


def test_many_processes_logging_at_once_lose_no_entry(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})
    plan = root / "plans" / "jane-okafor.yaml"
    kept: list[str] = interactions(plan)
    for rnd in range(ROUNDS):
        summaries = [f"round {rnd} entry {i}" for i in range(PROCESSES)]
        outcomes = release_together(tmp_path, [["log", "jane-okafor", "--by", "a.chen", "--channel", "email",
                                                 "--summary", s, "--as-of", AS_OF, "--repo", str(root)]
                                                for s in summaries], tag=f"-{rnd}")
        results = dict(zip(summaries, outcomes, strict=True))
        now = interactions(plan)
        assert now[:len(kept)] == kept, "an entry logged earlier is gone"
        for summary, (code, out, err) in results.items():
            assert "Traceback" not in err, err
            if code == 0:  # it said "logged": the entry must be there, once
                assert out.startswith("logged email interaction"), (out, err)
                assert now.count(summary) == 1, (summary, code, out, err, now)
            else:  # or it refused, saying why, and its entry is not there
                assert code == 1 and err.count("\n") == 1 and "kolplan: error:" in err, (code, out, err)
                assert summary not in now
        landed = sum(1 for code, *_ in results.values() if code == 0)
        assert len(now) == len(kept) + landed, (now, results)  # nothing else appeared, nothing vanished
        assert landed == PROCESSES, results  # with a 30 s lock timeout, every run waits its turn and lands
        kept = now
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--no-cache")
    assert res.code == 0, res.out
    assert [p.name for p in plan.parent.iterdir()] == ["jane-okafor.yaml"]  # no temporary file left


def test_a_change_made_between_the_read_and_the_write_is_not_overwritten(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer appends an entry while `log` is preparing its own: both stay (old code lost theirs)."""
    from kolplan.yamlio import append as append_mod

    plan = repo / "plans" / "jane-okafor.yaml"
    real_append = append_mod.append_item
    calls: list[int] = []

    def racing_append(data: bytes, *args: object, **kwargs: object) -> bytes:
        calls.append(1)
        if len(calls) == 1:  # another writer (a second `log`, an editor) saves its entry right now
            entry = {"date": dt.date(2026, 6, 14), "by": "r.patel", "channel": "phone", "summary": "theirs"}
            fields = [("date", "2026-06-14"), ("by", "r.patel"), ("channel", "phone"), ("summary", '"theirs"')]
            plan.write_bytes(real_append(data, "interactions", fields, entry, "plans/jane-okafor.yaml"))
        return real_append(data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(append_mod, "append_item", racing_append)
    res = run("log", "jane-okafor", "--by", "a.chen", "--channel", "email", "--summary", "ours", "--as-of", AS_OF,
              "--repo", str(repo))
    assert res.code == 0, res.err
    summaries = interactions(plan)
    assert summaries[-2:] == ["theirs", "ours"], summaries


def test_a_plan_that_keeps_changing_is_refused_with_exit_1(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kolplan.yamlio import append as append_mod

    plan = repo / "plans" / "jane-okafor.yaml"
    real_append = append_mod.append_item

    def always_racing(data: bytes, *args: object, **kwargs: object) -> bytes:
        with open(plan, "ab") as fh:
            fh.write(b"# touched by another program\n")
        return real_append(data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(append_mod, "append_item", always_racing)
    res = run("log", "jane-okafor", "--by", "a.chen", "--channel", "email", "--summary", "ours", "--as-of", AS_OF,
              "--repo", str(repo))
    assert res.code == 1, (res.out, res.err)
    assert res.out == "" and res.err.count("\n") == 1
    assert "changed 3 times while kolplan was writing it" in res.err and "nothing was written" in res.err
    assert "ours" not in interactions(plan)


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_log_waits_for_the_lock_and_refuses_after_the_timeout(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    from kolplan.yamlio import lock

    plan = repo / "plans" / "jane-okafor.yaml"
    before = plan.read_bytes()
    fd = os.open(plan, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as another kolplan command holds it
    monkeypatch.setattr(lock, "LOCK_TIMEOUT", 0.3)
    try:
        res = run("log", "jane-okafor", "--by", "a.chen", "--channel", "email", "--summary", "x", "--as-of", AS_OF,
                  "--repo", str(repo))
    finally:
        os.close(fd)
    assert res.code == 1 and res.out == ""
    assert res.err == ("kolplan: error: another kolplan command is changing plans/jane-okafor.yaml (waited 0.3 s for "
                       "it to finish); nothing was written: try again\n")
    assert plan.read_bytes() == before
    fd = os.open(plan, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    threading.Timer(0.3, os.close, [fd]).start()  # released soon: this time log waits and lands
    res = run("log", "jane-okafor", "--by", "a.chen", "--channel", "email", "--summary", "x", "--as-of", AS_OF,
              "--repo", str(repo))
    assert res.code == 0, res.err
    assert interactions(plan)[-1] == "x"


# -- a crash between the temporary file and the rename -----------------------------------------
CRASHER = """\
import os, signal, sys
from kolplan.cli import main
def crash(*_a, **_k):
    os.kill(os.getpid(), signal.SIGKILL)  # the power goes out after the fsync, before the rename
os.replace = crash
main(sys.argv[1:])
"""


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=False)


@pytest.mark.skipif(shutil.which("git") is None or not hasattr(signal, "SIGKILL"), reason="needs git and SIGKILL")
def test_a_crash_mid_write_leaves_only_a_temporary_file_git_ignores_and_validate_skips(tmp_path: Path) -> None:
    root = tmp_path / "team"
    assert run("init", str(root)).code == 0
    assert git(root, "init", "-q").returncode == 0
    res = run("new", "jane-okafor", "--name", "Jane Okafor", "--lead", "a.chen", "--repo", str(root),
              "--as-of", AS_OF)
    assert res.code == 0, res.err
    plan = root / "plans" / "jane-okafor.yaml"
    before = plan.read_bytes()
    crasher = tmp_path / "crasher.py"
    crasher.write_text(CRASHER)
    proc = subprocess.run([sys.executable, str(crasher), "log", "jane-okafor", "--by", "a.chen", "--channel",
                           "email", "--summary", "Discussed the MRD data", "--as-of", AS_OF, "--repo", str(root)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr)
    assert plan.read_bytes() == before  # the old file, whole
    [temp] = [p for p in plan.parent.iterdir() if p.name not in ("jane-okafor.yaml", ".gitkeep")]
    assert b"Discussed the MRD data" in temp.read_bytes()  # a full copy of the plan: personal data
    # git ignores it, so `git add .` does not pick it up
    rel = temp.relative_to(root).as_posix()
    assert git(root, "check-ignore", "-q", rel).returncode == 0, f"{rel} is not ignored by {root / '.gitignore'}"
    assert temp.name.startswith(".jane-okafor.yaml.") and temp.name.endswith(".kolplan-tmp"), temp.name
    status = git(root, "status", "--porcelain", "--untracked-files=all").stdout
    assert "kolplan-tmp" not in status and "plans/jane-okafor.yaml" in status
    assert git(root, "add", ".").returncode == 0
    assert "kolplan-tmp" not in git(root, "diff", "--cached", "--name-only").stdout
    # validate does not read it: one plan, no diagnostic about it
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json", "--no-cache")
    assert res.code == 0, res.out
    assert res.json()["files"] == 1
    assert temp.name not in res.out
    # the dead process's lock went with it: the next log runs at once
    started = time.monotonic()
    res = run("log", "jane-okafor", "--by", "a.chen", "--channel", "email", "--summary", "again", "--as-of", AS_OF,
              "--repo", str(root))
    assert res.code == 0, res.err
    assert time.monotonic() - started < 5


def test_many_processes_scoring_at_once_lose_no_entry(tmp_path: Path) -> None:
    """`kolplan score` goes through the same lock: ten at once, ten entries under plan.satisfaction."""
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})
    plan = root / "plans" / "jane-okafor.yaml"
    results = release_together(tmp_path, [["score", "jane-okafor", str(i), "--date", f"2026-06-{i + 1:02d}",
                                           "--as-of", AS_OF, "--repo", str(root)] for i in range(PROCESSES)])
    assert all(code == 0 for code, *_ in results), results
    doc = read_bytes(plan.read_bytes())
    assert isinstance(doc, Document) and not doc.problems and isinstance(doc.data, dict)
    scores = doc.data["plan"]["satisfaction"]
    assert scores[0] == {"date": dt.date(2026, 3, 30), "score": 9, "source": "survey"}
    assert sorted((s["score"], s["date"]) for s in scores[1:]) == [
        (i, dt.date(2026, 6, i + 1)) for i in range(PROCESSES)]
    assert run("validate", "--repo", str(root), "--as-of", AS_OF, "--no-cache").code == 0
    assert [p.name for p in plan.parent.iterdir()] == ["jane-okafor.yaml"]
