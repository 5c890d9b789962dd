"""One kolplan command at a time changes a plan (SPEC 5.1): a lock on the plan file itself.

A command that changes a plan (``log``; ``update``, ``score``, ``feedback`` and ``import``
through :func:`kolplan.authoring.edit.edit_plan`) takes an exclusive ``flock`` on the plan
file, then reads it, changes it and replaces it. The lock is on the file's inode, and the
replace puts a new inode in its place, so a command that was waiting may end up holding
the lock of the file that was just replaced: once it holds a lock it checks that the path
still names the very file it locked, and if not it locks the new one. So the file is
never replaced by two kolplan commands at once, and each reads what the other wrote.

Why the plan file and not a lock file under ``.kolplan/``: nothing is created, so it
works in a repository where ``.kolplan/`` cannot be made or is not git-ignored, a plan
reached through a symlink is locked once whatever the path, and the kernel drops the lock
when a process dies (no stale lock, ever). ``flock`` needs only read access to the file.

The wait is bounded (:data:`LOCK_TIMEOUT`): past it the command refuses (exit 1) saying
that another kolplan command is changing the plan. Where there are no locks (no
``fcntl``, as on Windows, or a file system that refuses them, as some network file
systems do) the command goes on without one: the check that the file did not change
before the replace (:meth:`PlanLock.check_unchanged`) still catches almost every
concurrent change, but cannot close the last moment before the rename.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from kolplan.errors import RefusedError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_TIMEOUT: Final = 30.0  # seconds a command waits for another one to finish with the plan
NOTE_AFTER: Final = 2.0  # seconds of waiting after which the user is told why nothing happens
_MAX_DELAY: Final = 0.05
_BUSY: Final = (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES)


class PlanChanged(Exception):
    """The plan changed between the read and the replace: nothing was written (retry)."""


class PlanLock:
    """A plan file held (``locked``) or, where locks do not work, only watched."""

    def __init__(self, path: Path, shown: str, fd: int, locked: bool) -> None:
        self.path = path
        self.shown = shown
        self.fd = fd
        self.locked = locked
        st = os.fstat(fd)
        self.identity = (st.st_dev, st.st_ino)

    def check_unchanged(self, expected: bytes) -> None:
        """Raise :class:`PlanChanged` unless the path still names the locked file with ``expected`` in it.

        Called right before the replace: a program that does not take the lock (an editor,
        ``git checkout``, a kolplan without locks) may have changed or replaced the file.
        """
        try:
            st = os.stat(self.path)
            if (st.st_dev, st.st_ino) != self.identity or st.st_size != len(expected):
                raise PlanChanged(self.shown)
            now = _read_all(self.fd, len(expected) + 1)  # the locked file, which the path still names
        except OSError:
            raise PlanChanged(self.shown) from None
        if now != expected:
            raise PlanChanged(self.shown)


@contextlib.contextmanager
def plan_lock(path: Path, shown: str, timeout: float | None = None) -> Iterator[PlanLock]:
    """Hold the lock of the plan file at ``path`` (``shown`` in messages) for the ``with`` block.

    Refuses (exit 1) a path that is not a regular file, one that cannot be opened, and a
    lock another command holds for longer than ``timeout`` seconds (:data:`LOCK_TIMEOUT`).
    """
    wait = LOCK_TIMEOUT if timeout is None else timeout
    start = time.monotonic()
    delay = 0.002
    noted = False
    fd = _open_plan(path, shown)
    try:
        while True:
            got = _try_lock(fd)
            if got is False:
                waited = time.monotonic() - start
                if waited >= wait:
                    raise RefusedError(f"another kolplan command is changing {shown} (waited {wait:g} s for it "
                                       "to finish); nothing was written: try again")
                if not noted and waited >= NOTE_AFTER:
                    sys.stderr.write(f"kolplan: waiting for another kolplan command to finish changing {shown}\n")
                    noted = True
                time.sleep(delay * (0.5 + random.random()))  # jitter: waiters do not wake in step
                delay = min(delay * 2, _MAX_DELAY)
                continue
            if got and not _still_names(path, fd):
                # The holder replaced the file while we waited: lock the file that is there now.
                os.close(fd)
                fd = -1
                fd = _open_plan(path, shown)
                continue
            break
        yield PlanLock(path, shown, fd, locked=got is True)
    finally:
        if fd >= 0:
            os.close(fd)  # releases the lock


def _open_plan(path: Path, shown: str) -> int:
    """A read-only descriptor of the plan, never blocking on a FIFO or opening a device."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            what = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            raise RefusedError(f"{shown} is {what}: kolplan changes only plan files")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise RefusedError(f"{shown} cannot be opened: {exc.strerror or exc}; nothing was written") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between the stat and the open
        os.close(fd)
        raise RefusedError(f"{shown} is not a regular file: kolplan changes only plan files")
    return fd


def _try_lock(fd: int) -> bool | None:
    """True: locked; False: another process holds it; None: this system or file system has no locks."""
    if fcntl is None:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _BUSY:
            return False
        return None  # ENOLCK, EOPNOTSUPP, EBADF (NFS wants write access): go on with the checks alone
    return True


def _read_all(fd: int, limit: int) -> bytes:
    """Up to ``limit`` bytes of the file behind ``fd``, from its start."""
    os.lseek(fd, 0, os.SEEK_SET)
    parts: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, left)
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _still_names(path: Path, fd: int) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    held = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (held.st_dev, held.st_ino)
