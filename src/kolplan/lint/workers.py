"""Forked worker processes that can be stopped at any moment (SPEC 9).

Ctrl-C or SIGTERM, with workers running, must end kolplan at once with one line and
no traceback from any process, and leave no process behind. ``multiprocessing.Pool``
could not promise that: its workers share one task queue and one result queue behind
locks, an idle worker waits for a task while holding the task queue's lock, and a
worker killed by a signal while it holds a lock leaves ``Pool.terminate()`` (or the
exit handler that calls it) waiting forever; its workers and threads print tracebacks
on the way. Here every worker has a connection of its own and the parent hands out
the tasks and collects the results itself: nothing is shared, no thread runs, and
stopping is SIGKILL to each worker and reaping it, which cannot block.

A worker ignores SIGINT (a Ctrl-C reaches the whole process group; the parent decides
what happens) and dies of SIGTERM without a word, whether the parent or a
``kill -TERM -PGID`` sends it. Both are blocked from just before the fork until the
worker has set this up, so none lands in between. A worker that the parent cannot
see any more (gone, or done) reads the end of its connection and exits.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Pipe, wait
from typing import TYPE_CHECKING, Any, Final, NoReturn, TypeVar

from kolplan.errors import Terminated, WorkerLost

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

T = TypeVar("T")
R = TypeVar("R")

_SIGNALS: Final = {signal.SIGINT, signal.SIGTERM}
# A second task is sent to a worker before it is done with the first (so that it never
# waits for the parent) only when both fit in the connection's buffer together: the
# parent's send then cannot block while the worker is sending it a result.
PREFETCH_MAX: Final = 64 * 1024


class WorkerTraceback(Exception):
    """The traceback of an exception raised in a worker, attached as its ``__cause__``."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return self.text


@dataclass(eq=False)
class _Worker:
    pid: int
    conn: Connection
    queue: deque[int] = field(default_factory=deque)  # indices of the tasks it was sent, in order
    reaped: bool = False


# Workers not reaped yet, whoever started them: what stop_all() stops.
_LIVE: dict[int, _Worker] = {}


def fork_map(fn: Callable[[T], R], tasks: Sequence[T], jobs: int,
             initializer: Callable[[], None] | None = None) -> Iterator[R]:
    """``fn(task)`` for every task, in order, in up to ``jobs`` forked workers; each
    result is yielded as soon as it and those before it are in.

    An exception ``fn`` raises is raised here (with the worker's traceback as its
    cause). Whatever ends the iteration early (an exception here or in the caller, a
    signal, ``close()``) kills the workers and reaps them before it goes on.
    """
    n = len(tasks)
    workers: list[_Worker] = []
    try:
        for _ in range(min(jobs, n)):
            workers.append(_start(fn, initializer, workers))
        by_conn: dict[object, _Worker] = {w.conn: w for w in workers}
        results: dict[int, R] = {}
        sent = done = 0

        def send(w: _Worker, prefetch: bool) -> None:
            nonlocal sent
            if sent < n:
                payload = pickle.dumps(tasks[sent], pickle.HIGHEST_PROTOCOL)
                if prefetch and len(payload) > PREFETCH_MAX:
                    return
                try:
                    w.conn.send_bytes(payload)
                except OSError:  # a broken pipe: the worker is gone
                    _lost(w)
                w.queue.append(sent)
                sent += 1

        for prefetch in (False, True):
            for w in workers:
                send(w, prefetch)
        while done < n:
            while done in results:
                yield results.pop(done)
                done += 1
            if done == n:
                break
            for conn in wait([w.conn for w in workers if w.queue]):
                w = by_conn[conn]
                try:
                    data = w.conn.recv_bytes()
                except (EOFError, OSError):
                    _lost(w)
                ok, value = pickle.loads(data)
                i = w.queue.popleft()
                if not ok:
                    exc, text = value
                    raise exc from WorkerTraceback(text)
                results[i] = value
                send(w, len(w.queue) == 1)
        for w in workers:  # done: a worker reads the end of its connection and exits
            w.conn.close()
        for w in workers:
            _reap(w)
    except BaseException:
        _stop(workers)
        raise


def stop_all() -> None:
    """Kill and reap every worker still running (the CLI calls it when interrupted)."""
    _stop(list(_LIVE.values()))


def _start(fn: Callable[[T], R], initializer: Callable[[], None] | None, others: list[_Worker]) -> _Worker:
    parent_end, child_end = Pipe(duplex=True)
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        pid = os.fork()
        if pid == 0:  # pragma: no cover (runs in the child, which never returns)
            _child(child_end, [parent_end, *(w.conn for w in others)], fn, initializer)
        worker: _Worker = _Worker(pid, parent_end)
        _LIVE[pid] = worker
    except BaseException:
        parent_end.close()  # a worker forked all the same reads the end of it and exits
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        child_end.close()
    return worker


def _child(conn: Connection, parents: list[Connection], fn: Callable[[Any], Any],
           initializer: Callable[[], None] | None) -> None:  # pragma: no cover (a forked child)
    """A worker's life: tasks in, results out, until the end of its connection; it never
    returns (``os._exit``: neither the parent's ``finally`` blocks nor its buffered output
    run twice) and never prints."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
        for c in parents:  # the parent's ends: so that the end of the parent is the end of the connection
            c.close()
        _LIVE.clear()
        if initializer is not None:
            initializer()
        while True:
            try:
                data = conn.recv_bytes()
            except EOFError:
                code = 0
                break
            try:
                reply = pickle.dumps((True, fn(pickle.loads(data))), pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # a bug: the parent raises it
                reply = pickle.dumps((False, _portable(exc)), pickle.HIGHEST_PROTOCOL)
            conn.send_bytes(reply)
    except BaseException:  # the parent went away (a broken pipe): it says what happened
        pass
    finally:
        os._exit(code)


def _portable(exc: Exception) -> tuple[Exception, str]:  # pragma: no cover (a forked child)
    """``exc`` as the parent can unpickle it, with its traceback as text."""
    text = "".join(traceback.format_exception(exc))
    try:
        pickle.loads(pickle.dumps(exc, pickle.HIGHEST_PROTOCOL))
    except Exception:
        exc = RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc, text


def _lost(w: _Worker) -> NoReturn:
    """A worker's connection ended while it had work: say why, having reaped it."""
    status = _reap(w)
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in (signal.SIGTERM, signal.SIGINT):
            # a SIGTERM for the whole group, which this process is about to get too
            raise Terminated
        why = f"was killed by signal {sig} ({signal.Signals(sig).name}), perhaps for lack of memory"
    else:
        code = os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else "unknown"
        why = f"ended unexpectedly (exit status {code})"
    raise WorkerLost(f"a worker process {why}; nothing was written: run kolplan again")


def _reap(w: _Worker) -> int | None:
    """Wait for ``w`` to end (once); its wait status, or None if it was reaped before."""
    if w.reaped:
        return None
    try:
        status: int | None = os.waitpid(w.pid, 0)[1]
    except ChildProcessError:
        status = None
    # only now: a signal that interrupts the wait leaves it to _stop, which kills it first
    w.reaped = True
    _LIVE.pop(w.pid, None)
    return status


def _stop(workers: list[_Worker]) -> None:
    """SIGKILL to every worker not reaped yet, then reap them: neither can block."""
    for w in workers:
        if not w.reaped:
            with contextlib.suppress(ProcessLookupError):
                os.kill(w.pid, signal.SIGKILL)  # not reaped: the pid is still this worker's
    for w in workers:
        _reap(w)
        w.conn.close()
