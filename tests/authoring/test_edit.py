"""edit_plan and plan_lock: the lock, the read under it, the check before the replace (SPEC 5.1)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kolplan.authoring.edit import ATTEMPTS, edit_plan
from kolplan.errors import RefusedError
from kolplan.yamlio import lock as lock_mod
from kolplan.yamlio.atomic import TEMP_SUFFIX
from kolplan.yamlio.lock import plan_lock

fcntl = pytest.importorskip("fcntl")

OLD = b"schema: kolplan/v1\nid: jane\n"
REL = "plans/jane.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "repo"
    (r / "plans").mkdir(parents=True)
    (r / REL).write_bytes(OLD)
    return r


def add(word: str) -> Callable[[bytes], bytes]:
    """A change: append the line ``word: 1``."""
    def change(raw: bytes) -> bytes:
        return raw + word.encode() + b": 1\n"
    return change


def lines(*words: str) -> bytes:
    return OLD + b"".join(w.encode() + b": 1\n" for w in words)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))


def test_an_edit_reads_changes_and_replaces(root: Path) -> None:
    new = edit_plan(root, REL, add("b"))
    assert new == (root / REL).read_bytes() == lines("b")
    assert leftovers(root / "plans") == []


@pytest.mark.parametrize("how", ["in-place", "replaced"])
def test_a_change_between_the_read_and_the_replace_is_kept_and_the_edit_redone(
    root: Path, how: str
) -> None:
    """Another program writes the plan after kolplan read it: nothing it wrote is lost."""
    calls: list[bytes] = []

    def racing(raw: bytes) -> bytes:
        calls.append(raw)
        if len(calls) == 1:  # another writer (an editor, a git checkout) gets in right now
            theirs = add("theirs")(raw)
            if how == "in-place":
                with open(root / REL, "r+b") as fh:
                    fh.write(theirs)
            else:
                (root / "plans" / "x").write_bytes(theirs)
                os.replace(root / "plans" / "x", root / REL)
        return add("ours")(raw)

    edit_plan(root, REL, racing)
    assert (root / REL).read_bytes() == lines("theirs", "ours")
    assert len(calls) == 2 and calls[1] == lines("theirs")
    assert leftovers(root / "plans") == []


def test_a_change_after_the_temp_file_is_written_is_caught_before_the_rename(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check runs after the fsync of the new content, right before os.replace."""
    real_fsync = os.fsync
    done: list[int] = []

    def racing_fsync(fd: int) -> None:
        real_fsync(fd)
        if not done:
            done.append(fd)
            with open(root / REL, "ab") as fh:
                fh.write(b"theirs: 1\n")

    monkeypatch.setattr(os, "fsync", racing_fsync)
    edit_plan(root, REL, add("ours"))
    assert (root / REL).read_bytes() == lines("theirs", "ours")
    assert leftovers(root / "plans") == []


def test_a_plan_that_keeps_changing_is_refused_and_left_as_the_other_writer_made_it(root: Path) -> None:
    calls: list[int] = []

    def always_racing(raw: bytes) -> bytes:
        calls.append(1)
        with open(root / REL, "ab") as fh:
            fh.write(f"theirs{len(calls)}: 1\n".encode())
        return add("ours")(raw)

    with pytest.raises(RefusedError, match=r"changed 3 times while kolplan was writing it.*nothing was") as info:
        edit_plan(root, REL, always_racing)
    assert info.value.exit_code == 1
    assert len(calls) == ATTEMPTS
    assert (root / REL).read_bytes() == lines(*(f"theirs{i}" for i in range(1, ATTEMPTS + 1)))
    assert leftovers(root / "plans") == []


def test_a_refusal_from_the_change_writes_nothing(root: Path) -> None:
    def refuse(_raw: bytes) -> bytes:
        raise RefusedError("no")

    with pytest.raises(RefusedError, match="no"):
        edit_plan(root, REL, refuse)
    assert (root / REL).read_bytes() == OLD and leftovers(root / "plans") == []


def hold(path: Path) -> int:
    fd = os.open(path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def test_a_held_lock_makes_the_edit_wait_and_then_refuse(root: Path) -> None:
    fd = hold(root / REL)
    try:
        start = time.monotonic()
        with pytest.raises(RefusedError, match=r"another kolplan command is changing plans/jane.yaml") as info:
            edit_plan(root, REL, add("b"), timeout=0.3)
        assert 0.3 <= time.monotonic() - start < 5
        assert info.value.exit_code == 1 and "try again" in info.value.message
    finally:
        os.close(fd)
    assert (root / REL).read_bytes() == OLD


def test_the_edit_goes_on_when_the_lock_is_released(root: Path) -> None:
    fd = hold(root / REL)
    threading.Timer(0.3, os.close, [fd]).start()
    start = time.monotonic()
    edit_plan(root, REL, add("b"))
    assert time.monotonic() - start >= 0.25
    assert (root / REL).read_bytes() == lines("b")


def test_a_waiter_locks_the_file_that_replaced_the_one_it_waited_for(root: Path) -> None:
    """The holder replaces the plan (a new inode): the waiter must lock and read the new file."""
    fd = hold(root / REL)

    def holder_finishes() -> None:
        (root / "plans" / "x").write_bytes(lines("first"))
        os.replace(root / "plans" / "x", root / REL)
        os.close(fd)

    threading.Timer(0.2, holder_finishes).start()
    edit_plan(root, REL, add("second"))
    assert (root / REL).read_bytes() == lines("first", "second")


def test_without_fcntl_the_check_before_the_replace_still_runs(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lock_mod, "fcntl", None)
    with plan_lock(root / REL, REL) as held:
        assert not held.locked
    calls: list[int] = []

    def racing(raw: bytes) -> bytes:
        calls.append(1)
        if len(calls) == 1:
            with open(root / REL, "ab") as fh:
                fh.write(b"theirs: 1\n")
        return add("ours")(raw)

    edit_plan(root, REL, racing)
    assert (root / REL).read_bytes() == lines("theirs", "ours")


def test_a_file_system_without_locks_is_not_an_error(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    def no_locks(*_a: object) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    edit_plan(root, REL, add("b"))
    assert (root / REL).read_bytes() == lines("b")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_hanging(root: Path) -> None:
    os.mkfifo(root / "plans" / "pipe.yaml")
    with pytest.raises(RefusedError, match="not a regular file"):
        edit_plan(root, "plans/pipe.yaml", add("b"), timeout=1)


def test_a_folder_and_a_missing_file_are_refused(root: Path) -> None:
    (root / "plans" / "dir.yaml").mkdir()
    with pytest.raises(RefusedError, match="is a folder"):
        edit_plan(root, "plans/dir.yaml", add("b"))
    with pytest.raises(RefusedError, match="cannot be opened"):
        edit_plan(root, "plans/gone.yaml", add("b"))


def test_a_plan_reached_through_a_symlink_is_locked_and_written_at_its_target(root: Path) -> None:
    (root / "plans" / "alias.yaml").symlink_to("jane.yaml")
    edit_plan(root, "plans/alias.yaml", add("b"))
    assert (root / "plans" / "alias.yaml").is_symlink()
    assert (root / REL).read_bytes() == lines("b")
