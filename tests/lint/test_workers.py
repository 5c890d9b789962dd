"""kolplan.lint.workers.fork_map: results in order, a worker's exception raised in the parent,
and whatever ends the iteration early leaves no worker behind."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from kolplan.errors import Terminated
from kolplan.lint.workers import _LIVE, WorkerLost, WorkerTraceback, fork_map

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fork and /proc")


class Boom(Exception):
    pass


def _slow_double(x: int) -> int:
    time.sleep(0.002 * (x % 3))  # out of order in the workers
    return 2 * x


def _fails_on_five(x: int) -> int:
    if x == 5:
        raise Boom(f"task {x}")
    return x


def _sleepy(x: int) -> int:
    time.sleep(5)
    return x


def _children() -> list[int]:
    pid = os.getpid()
    return [int(k) for t in os.listdir(f"/proc/{pid}/task")
            for k in open(f"/proc/{pid}/task/{t}/children").read().split()]


def test_results_come_in_order() -> None:
    assert list(fork_map(_slow_double, list(range(50)), 2)) == [2 * x for x in range(50)]
    assert _LIVE == {} and _children() == []


def test_more_workers_than_tasks() -> None:
    assert list(fork_map(_slow_double, [1, 2], 8)) == [2, 4]
    assert _children() == []


def test_a_big_task_is_not_sent_ahead() -> None:
    big = ["x" * 100_000] * 3  # each above PREFETCH_MAX: one at a time per worker
    assert list(fork_map(len, big, 2)) == [100_000] * 3


def test_an_exception_in_a_worker_is_raised_with_its_traceback() -> None:
    with pytest.raises(Boom, match="task 5") as info:
        list(fork_map(_fails_on_five, list(range(10)), 2))
    assert isinstance(info.value.__cause__, WorkerTraceback)
    assert "_fails_on_five" in str(info.value.__cause__)
    assert _LIVE == {} and _children() == []


def _first_fast(x: int) -> int:
    if x:
        time.sleep(5)
    return x


def test_closing_early_kills_and_reaps_the_workers() -> None:
    gen = fork_map(_first_fast, list(range(10)), 2)
    started = time.monotonic()
    assert next(gen) == 0
    gen.close()  # what a caller that stops (or an exception in it) does: no waiting for the 5 s tasks
    assert time.monotonic() - started < 3
    assert _LIVE == {} and _children() == []


def test_an_interrupt_while_waiting_kills_and_reaps_the_workers() -> None:
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            list(fork_map(_sleepy, list(range(10)), 2))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert time.monotonic() - started < 3
    assert _LIVE == {} and _children() == []


def _killed_on_two(x: int) -> int:
    if x == 2:
        os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
    time.sleep(0.05)
    return x


def _terminated_on_two(x: int) -> int:
    if x == 2:
        os.kill(os.getpid(), signal.SIGTERM)  # as `kill -TERM -PGID` would
    time.sleep(0.05)
    return x


def test_a_worker_killed_from_outside() -> None:
    with pytest.raises(WorkerLost, match=r"killed by signal 9 \(SIGKILL\)"):
        list(fork_map(_killed_on_two, list(range(6)), 2))
    assert _LIVE == {} and _children() == []


def test_a_worker_terminated_from_outside_means_kolplan_is_terminated() -> None:
    """A SIGTERM for the whole group reaches the workers too: the parent stops as if it had it."""
    with pytest.raises(Terminated):
        list(fork_map(_terminated_on_two, list(range(6)), 2))
    assert _LIVE == {} and _children() == []


def test_a_worker_ignores_sigint() -> None:
    gen = fork_map(_slow_double, list(range(200)), 2)
    first = next(gen)
    for kid in _children():
        os.kill(kid, signal.SIGINT)
    assert [first, *gen] == [2 * x for x in range(200)]
