"""Checking many plan files: in this process, or in forked workers when it pays, with the
cache in front (a file whose content it holds is not checked again).

A result crosses a process boundary as its cache record (lists of plain values: small
to pickle) and is rebuilt by :func:`kolplan.lint.cache.decode_fresh`; in this process it
is used as it is, and encoded only when the cache keeps it.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import stat
import sys
import time
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from kolplan.lint.cache import cacheable, digest_bytes, facts_digest, stamp_of
from kolplan.lint.records import decode_fresh, encode
from kolplan.lint.result import FileResult
from kolplan.repo.files import read_plan_bytes

if TYPE_CHECKING:
    from kolplan.lint.cache import ResultCache, Stamp
    from kolplan.lint.check import CheckEnv
    from kolplan.lint.records import Record
    from kolplan.repo.root import Repo
    from kolplan.schema import Plan

# Below this many files a worker pool costs more than it saves.
PARALLEL_MIN_FILES: Final = 150
CHUNK: Final = 48

Item = tuple[str, bool]  # a file's repo-relative path, and whether it is under plans/


@dataclass(frozen=True)
class Batch:
    """One run's files and what checking each needs: the repository (whose full config is
    loaded only if a file is checked), the day, and the per-plan projection if any."""

    repo: Repo
    as_of: dt.date
    items: Sequence[Item]
    project: Callable[[str, Plan], object] | None = None

    def env(self) -> CheckEnv:
        # lazy: the checker (and the rules, the models) only when a file is checked, never on a warm run
        from kolplan.lint.check import CheckEnv

        return CheckEnv(self.repo.root, self.repo.config, self.as_of, self.project)


@dataclass(slots=True)
class Fresh:
    """A file checked in this run, with what the cache keeps beside it (if it can keep it)."""

    result: FileResult
    record: Record | None = None
    digest: str | None = None
    stamp: Stamp | None = None
    facts_id: str | None = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_files(batch: Batch, jobs: int | None = None, cache: ResultCache | None = None,
                reported: Container[str] | None = None) -> list[FileResult]:
    """Check every item of ``batch``, in order; forked workers share the parsed config.

    With ``cache``, a file whose content it holds is not checked again (its result's
    facts are left for :meth:`ResultCache.facts_of`, and its diagnostics are not read
    unless it is in ``reported``: None means all are), and the others' results are
    stored in it; the caller saves it.
    """
    items = batch.items
    results: list[FileResult | None] = [None] * len(items)
    todo: list[int] = []
    for i, (rel, inp) in enumerate(items):
        hit = None
        if cache is not None:
            hit = cache.lookup(rel, inp, diagnostics=reported is None or rel in reported)
        if hit is None:
            todo.append(i)
        else:
            results[i] = hit
    if todo:
        fresh = _map(batch.env(), [items[i] for i in todo], jobs, cache is not None)
        for i, out in zip(todo, fresh, strict=True):
            results[i] = _keep(cache, items[i][0], out)
    return [r for r in results if r is not None]


def fill_facts(batch: Batch, cache: ResultCache, results: list[FileResult], jobs: int | None = None) -> None:
    """Give every valid result its cross-plan facts: a cached result's from the cache, and a
    file whose facts the cache lost is checked again (``results`` is updated in place)."""
    items = batch.items
    again = []
    for i, r in enumerate(results):
        if r.valid and r.facts is None:
            r.facts = cache.facts_of(r.path, items[i][1])
            if r.facts is None:
                again.append(i)
    if again:  # cached results whose facts are gone: check those files again
        fresh = _map(batch.env(), [items[j] for j in again], jobs, True)
        for i, out in zip(again, fresh, strict=True):
            results[i] = _keep(cache, items[i][0], out)


def check_one(env: CheckEnv, rel: str, in_portfolio: bool, for_cache: bool) -> Fresh:
    """Read and check one file; with ``for_cache``, also what the cache keeps of it: the
    record, and the digest and stat of the bytes checked."""
    from kolplan.lint.check import check_bytes  # lazy: see Batch.env (a dictionary look-up once imported)

    st = None
    now = 0
    try:
        st = os.lstat(os.path.join(env.root, rel))  # before reading: a later edit changes it
        now = time.time_ns()
    except OSError:
        st = None
    data, problem = read_plan_bytes(env.root, rel, st)
    if data is None:
        result = FileResult(rel, [problem] if problem else [], None)
    else:
        result = check_bytes(env, rel, data, in_portfolio)
    if not for_cache or st is None or data is None or not stat.S_ISREG(st.st_mode) or not cacheable(rel):
        return Fresh(result)
    rec = encode(result)
    if rec is None:
        return Fresh(result)
    facts = rec[1]
    return Fresh(result, rec, digest_bytes(data), stamp_of(st, now), None if facts is None else facts_digest(facts))


def _keep(cache: ResultCache | None, rel: str, out: Fresh) -> FileResult:
    """A fresh result, stored in the cache when it can be."""
    if cache is not None and out.record is not None and out.digest is not None:
        cache.store(rel, out.digest, out.stamp, out.record, out.facts_id)
    return out.result


# -- forked workers -----------------------------------------------------------------------
# Set in the parent just before forking, so the workers inherit them without pickling.
_WORKER_ENV: CheckEnv | None = None
_WORKER_FOR_CACHE = False

# What a worker sends back for one file: the record of its result (or the result itself
# when it cannot be a record), the digest, stat and facts' digest the cache keeps beside
# it, and what CheckEnv.project made of the plan.
Wire = tuple["Record | FileResult", "str | None", "Stamp | None", "str | None", object]


def _work(chunk: Sequence[Item]) -> list[Wire]:
    """In a worker: check a chunk of files, each result as its record."""
    assert _WORKER_ENV is not None
    out: list[Wire] = []
    for rel, inp in chunk:
        fresh = check_one(_WORKER_ENV, rel, inp, _WORKER_FOR_CACHE)
        rec = fresh.record if fresh.record is not None else encode(fresh.result)
        out.append((fresh.result if rec is None else rec, fresh.digest, fresh.stamp, fresh.facts_id,
                    fresh.result.part))
    return out


def _unwire(item: Item, wire: Wire) -> Fresh:
    """A worker's answer for one file, as this process's result."""
    rec, digest, stamp, facts_id, part = wire
    if isinstance(rec, FileResult):
        return Fresh(rec)
    result = decode_fresh(item[0], item[1], rec)
    result.part = part
    return Fresh(result, rec if digest is not None else None, digest, stamp, facts_id)


def _map(env: CheckEnv, items: Sequence[Item], jobs: int | None, for_cache: bool) -> Iterator[Fresh]:
    """Check ``items``, in forked workers when it pays; yields each file's outcome in
    order, as soon as its chunk is done, so that the caller's work on it overlaps the
    workers' on the next ones."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or len(items) < PARALLEL_MIN_FILES or not _can_fork():
        for rel, inp in items:
            yield check_one(env, rel, inp, for_cache)
        return
    # lazy: the worker pool only for a large run (tests patch kolplan.lint.workers.fork_map)
    from kolplan.lint.workers import fork_map
    from kolplan.rules.registry import load_rules

    global _WORKER_ENV, _WORKER_FOR_CACHE
    load_rules()  # once, before the fork, rather than once in every worker
    _WORKER_ENV, _WORKER_FOR_CACHE = env, for_cache
    gc.freeze()  # keep the parent's objects out of the children's copy-on-write pages
    try:
        # fork_map, not multiprocessing.Pool: a Ctrl-C or SIGTERM stops its workers at once,
        # without tracebacks and without waiting on a lock a killed worker held (SPEC 9)
        todo = iter(items)
        for part in fork_map(_work, list(_chunks(items, CHUNK)), jobs, _worker_start):
            for wire in part:
                yield _unwire(next(todo), wire)
    finally:
        _WORKER_ENV = None
        gc.unfreeze()


def _worker_start() -> None:
    """A worker allocates a node tree per file and frees it by reference counting; the
    cyclic collector's frequent young-generation passes find nothing there, so they run
    less often (the worker is short-lived and its garbage has no cycles to speak of)."""
    gc.set_threshold(50_000, 50, 100)


def _can_fork() -> bool:
    return sys.platform == "linux"


def _chunks(items: Sequence[Item], size: int) -> Iterator[Sequence[Item]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
