"""Run a piece of work in a forked child process, bounded in wall-clock time, CPU time,
memory and the size of its answer (SPEC 8: a template is bounded in time and output).

The child inherits everything it needs through ``fork`` (nothing is pickled), sets
``RLIMIT_AS`` (its address space now plus a headroom) and ``RLIMIT_CPU``, runs the work and
sends back its answer through a pipe, then leaves with ``os._exit`` (never the parent's
clean-up: no atexit handlers, no flushing of buffers it shares with the parent). The
parent reads at most ``max_reply`` bytes until the deadline; past it, or past the size, it
kills the child. Ctrl-C (or any exception) while the parent waits kills and reaps the child
before the exception goes on, so no process is left behind.

What the child answers, first byte then body:

* ``0`` the work's bytes;
* ``1`` a :class:`~kolplan.errors.KolplanError`'s message (the work refused, a user error);
* ``M`` it ran out of memory (``MemoryError`` under its ``RLIMIT_AS``);
* ``2`` the traceback of any other exception (a bug).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import selectors
import signal
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from typing import Final, Literal

from kolplan.errors import KolplanError

READ_CHUNK: Final = 1 << 20


class ChildLimit(Exception):
    """The child crossed a limit: ``timeout``, ``cpu`` (its CPU time), ``memory`` or ``reply`` (too much output)."""

    def __init__(self, kind: Literal["timeout", "cpu", "memory", "reply"]) -> None:
        super().__init__(kind)
        self.kind = kind


class ChildRefused(Exception):
    """The work raised a :class:`~kolplan.errors.KolplanError` in the child; its message."""


class ChildCrashed(RuntimeError):
    """The child failed in a way that is a bug (an exception it did not expect, or a signal)."""


def can_fork() -> bool:
    """Whether :func:`run_forked` can run here (POSIX with ``fork``; not Windows)."""
    return hasattr(os, "fork") and os.name == "posix"


def run_forked(work: Callable[[], bytes], *, deadline: float, cpu_seconds: int, memory_headroom: int,
               max_reply: int) -> bytes:
    """``work()`` run in a forked child; its bytes, or :class:`ChildLimit`, :class:`ChildRefused`,
    :class:`ChildCrashed`. ``deadline`` is a :func:`time.monotonic` time."""
    parent = os.getpid()
    _prctl()  # looked up here: the child only calls it
    read_end, write_end = os.pipe()
    freeze = gc.get_freeze_count() == 0  # not when a caller froze objects of its own
    if freeze:
        gc.freeze()  # the child's collector leaves the parent's objects (and their pages) alone
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12+: fork with threads
            pid = os.fork()
    except BaseException:
        if freeze:
            gc.unfreeze()
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:  # the child: never returns
        _child(read_end, write_end, work, cpu_seconds, memory_headroom, parent)
    reaped = False
    try:
        if freeze:
            gc.unfreeze()
        os.close(write_end)
        reply = _read_reply(read_end, deadline, max_reply)
        status = _wait(pid)
        reaped = True
    finally:
        os.close(read_end)
        if not reaped:
            _kill(pid)
    return _answer(reply, status)


def _answer(reply: bytes, status: int) -> bytes:
    code = os.waitstatus_to_exitcode(status)
    tag, body = reply[:1], reply[1:]
    if tag == b"0" and code == 0:
        return body
    if tag == b"1":
        raise ChildRefused(body.decode("utf-8", "replace"))
    if tag == b"M":
        raise ChildLimit("memory")
    if tag == b"2":
        text = body.decode("utf-8", "replace").rstrip()
        raise ChildCrashed(text.splitlines()[-1] if text else "unknown error") from ChildCrashed(text)
    if code < 0:
        sig = -code
        if sig == signal.SIGINT:
            raise KeyboardInterrupt
        if sig == getattr(signal, "SIGXCPU", None):
            raise ChildLimit("cpu")
        if sig == signal.SIGKILL:  # not ours (we reap what we kill): the kernel, out of memory
            raise ChildLimit("memory")
        raise ChildCrashed(f"the child process stopped on signal {signal.Signals(sig).name}")
    raise ChildCrashed(f"the child process exited with status {code} without an answer")


def _read_reply(fd: int, deadline: float, max_reply: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ChildLimit("timeout")
            if not selector.select(left):
                continue
            data = os.read(fd, READ_CHUNK)
            if not data:
                return b"".join(chunks)
            size += len(data)
            if size > max_reply:
                raise ChildLimit("reply")
            chunks.append(data)


def _wait(pid: int) -> int:
    """The child's status once it exits (it closes the pipe only when it leaves)."""
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:  # pragma: no cover - PEP 475 retries; kept for old kernels
            continue


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _child(read_end: int, write_end: int, work: Callable[[], bytes], cpu_seconds: int, memory_headroom: int,
           parent: int) -> None:
    code = 0
    try:
        os.close(read_end)
        # Ctrl-C reaches the whole process group: the child just stops, the parent reports it.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with(parent)
        _limit(cpu_seconds, memory_headroom)
        try:
            reply = b"0" + work()
        except KolplanError as exc:
            reply = b"1" + exc.message.encode("utf-8", "backslashreplace")
        except MemoryError:
            reply = b"M"
        except BaseException:  # a bug: its traceback for the parent's --debug

            reply = b"2" + traceback.format_exc().encode("utf-8", "backslashreplace")
        view = memoryview(reply)
        while view:
            view = view[os.write(write_end, view):]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's ``prctl`` on Linux (looked up in the parent, once), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        # lazy: only the forked child calls this, and only on Linux
        import ctypes

        prctl: Callable[..., int] = ctypes.CDLL(None).prctl
    except (OSError, AttributeError):  # pragma: no cover - no libc prctl
        return None
    return prctl


def _die_with(parent: int) -> None:
    """Linux: the kernel kills this child if the parent dies first (killed with no chance to
    clean up), so no renderer is left behind. Elsewhere its CPU limit ends it."""
    prctl = _prctl()
    if prctl is None:
        return
    pr_set_pdeathsig = 1
    prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(1)


def _limit(cpu_seconds: int, memory_headroom: int) -> None:
    """``RLIMIT_CPU`` to ``cpu_seconds``; ``RLIMIT_AS`` to the address space now plus ``memory_headroom``
    (never loosening a limit that is already tighter)."""
    try:
        # lazy: POSIX only: this module is imported on Windows too
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return
    _tighten(resource.RLIMIT_CPU, cpu_seconds)
    used = _address_space()
    if used is not None and hasattr(resource, "RLIMIT_AS"):
        _tighten(resource.RLIMIT_AS, used + memory_headroom)


def _tighten(which: int, want: int) -> None:
    # lazy: POSIX only: this module is imported on Windows too
    import resource

    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft == resource.RLIM_INFINITY or soft > want:
        with contextlib.suppress(ValueError, OSError):  # a platform that does not enforce it
            resource.setrlimit(which, (want, hard))


def _address_space() -> int | None:
    """This process's virtual memory size in bytes (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as f:
            pages = int(f.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None
