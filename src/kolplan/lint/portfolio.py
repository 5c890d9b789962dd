"""The whole repository: finding plan files, checking them (in parallel when it pays),
and the cross-plan checks over the facts every valid plan contributes."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Container, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kolplan.diagnostics import Diagnostic
from kolplan.lint.check import CheckEnv, FileResult, check_bytes, read_plan_bytes, unreadable_folder
from kolplan.repo.config import CONFIG_NAME
from kolplan.rules.context import FileRef, PortfolioContext, PortfolioFinding

if TYPE_CHECKING:
    from kolplan.lint.cache import Record, ResultCache, Stamp

PLAN_SUFFIXES: Final = (".yaml", ".yml")
# Below this many files a worker pool costs more than it saves.
PARALLEL_MIN_FILES: Final = 150
CHUNK: Final = 48


def is_plan_name(name: str) -> bool:
    return name.endswith(PLAN_SUFFIXES) and not name.startswith((".", "_"))


def discover(folder: Path, root: Path, unreadable: list[Diagnostic] | None = None) -> list[str]:
    """Plan files under ``folder`` (recursively), as sorted repo-relative paths.

    Names starting with ``.`` or ``_`` are skipped, and so are such folders. A folder
    whose name ends in ``.yaml`` is listed, so that it is reported rather than missed.
    A folder that cannot be listed (permissions) is never skipped in silence: with
    ``unreadable``, a KP003 diagnostic naming it is appended there, one per folder
    (SPEC 9: a CI gate must not pass without checking every plan).
    """
    found: list[str] = []
    base = os.path.relpath(folder, root)

    def failed(exc: OSError) -> None:
        if unreadable is None:
            return
        where = exc.filename if isinstance(exc.filename, str) else os.fspath(folder)
        rel = _join(base, os.path.relpath(where, folder), "").rstrip("/") or "."
        unreadable.append(unreadable_folder(rel, exc))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=failed):
        prefix = _join(base, os.path.relpath(dirpath, folder), "")  # once per folder, not per file
        keep = []
        for d in dirnames:
            if d.startswith((".", "_")):
                continue
            if is_plan_name(d):
                found.append(prefix + d)
                continue
            keep.append(d)
        dirnames[:] = sorted(keep)
        found.extend(prefix + f for f in filenames if is_plan_name(f))
    return sorted(found)


def _join(base: str, rel_dir: str, name: str) -> str:
    parts = [p for p in (base, rel_dir) if p and p != "."]
    return "/".join([*(Path(p).as_posix() for p in parts), name])


def stem_of(rel: str) -> str:
    return os.path.splitext(rel.rsplit("/", 1)[-1])[0]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# -- checking files --------------------------------------------------------------------
# Set in the parent just before forking, so the workers inherit them without pickling.
_WORKER_ENV: CheckEnv | None = None
_WORKER_STAMP = False

# What a worker sends back for one file: the record of its result (small to pickle: lists
# of plain values) with what the cache keeps beside it (the content digest, the stat, the
# facts' digest) and what CheckEnv.project made of the plan; or the result itself when it
# cannot be a record.
Outcome = tuple["Record | FileResult", "str | None", "Stamp | None", "str | None", object]


def _work(chunk: Sequence[tuple[str, bool]]) -> list[Any]:
    assert _WORKER_ENV is not None
    return [_check_record(_WORKER_ENV, rel, inp, _WORKER_STAMP) for rel, inp in chunk]


def _check_record(env: CheckEnv, rel: str, in_portfolio: bool, want_stamp: bool) -> Outcome:
    """Check one file; its record, and (``want_stamp``) the digest and stat of the bytes checked."""
    from kolplan.lint.cache import cacheable, digest_bytes, encode, facts_digest, stamp_of

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
    rec = encode(result)
    if rec is None:
        return result, None, None, None, None
    if not want_stamp or st is None or data is None or not stat.S_ISREG(st.st_mode) or not cacheable(rel):
        return rec, None, None, None, result.part
    facts = rec[1]
    return rec, digest_bytes(data), stamp_of(st, now), None if facts is None else facts_digest(facts), result.part


def check_portfolio(env: CheckEnv, items: Sequence[tuple[str, bool]], jobs: int | None = None,
                    cache: ResultCache | None = None, reported: Container[str] | None = None,
                    ) -> tuple[list[FileResult], list[Diagnostic]]:
    """Check every ``(path, in_portfolio)`` and run the cross-plan rules over all of them.

    Returns the per-file results, in order, and the cross-plan diagnostics. Files not
    in ``reported`` (None: all are) are checked for the cross-plan rules' sake only: a
    result the cache holds for one of them comes without its diagnostics. With
    ``cache``, a file whose content it holds is not checked again, and when no file was
    added, removed or changed since the last run, the cross-plan diagnostics of that run
    are used as they are; otherwise the facts of the cached files are read from it (a
    file whose facts it lacks is checked again). The cache is saved at the end.
    """
    results = check_files(env, items, jobs, cache, reported)
    if cache is None:
        return results, cross_plan(env, results, items)
    inputs = cache.inputs_digest(items)
    cross = cache.cross_memo(inputs) if inputs is not None else None
    if cross is None:
        env = fill_facts(env, cache, results, items, jobs)
        cross = cross_plan(env, results, items)
        if inputs is not None:
            cache.remember_cross(inputs, cross)
    cache.save()
    from kolplan.lint.cache import is_snapshot

    if not is_snapshot(env.config):
        cache.save_config(env.config)
    return results, cross


def fill_facts(env: CheckEnv, cache: ResultCache, results: list[FileResult], items: Sequence[tuple[str, bool]],
               jobs: int | None = None) -> CheckEnv:
    """Give every valid result its cross-plan facts: a cached result's from the cache, and a
    file whose facts the cache lost is checked again (``results`` is updated in place).

    Returns the environment the files were checked in (with the real config if any was)."""
    again = []
    for i, r in enumerate(results):
        if r.valid and r.facts is None:
            r.facts = cache.facts_of(r.path, items[i][1])
            if r.facts is None:
                again.append(i)
    if again:  # cached results whose facts are gone: check those files again
        env = _real_config(env)
        for i, out in zip(again, _map(env, [items[j] for j in again], jobs, True), strict=True):
            results[i] = _take(cache, items[i], out)
    return env


def check_files(env: CheckEnv, items: Sequence[tuple[str, bool]], jobs: int | None = None,
                cache: ResultCache | None = None, reported: Container[str] | None = None) -> list[FileResult]:
    """Check every ``(path, in_portfolio)``, in order; forked workers share the parsed config.

    With ``cache``, a file whose content it holds is not checked again (its result's
    facts are left for :meth:`ResultCache.facts_of`, and its diagnostics are not read
    unless it is in ``reported``), and the others' results are stored in it; the caller
    saves it.
    """
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
        env = _real_config(env)
        for i, out in zip(todo, _map(env, [items[i] for i in todo], jobs, cache is not None), strict=True):
            results[i] = _take(cache, items[i], out)
    return [r for r in results if r is not None]


def _take(cache: ResultCache | None, item: tuple[str, bool], out: Outcome) -> FileResult:
    """A worker's outcome as a result (the record stored in the cache when it can be)."""
    from kolplan.lint.cache import decode_fresh

    rec, digest, stamp, facts, part = out
    if isinstance(rec, FileResult):
        return rec
    rel, inp = item
    if cache is not None and digest is not None:
        cache.store(rel, digest, stamp, rec, facts)
    result = decode_fresh(rel, inp, rec)
    result.part = part
    return result


def _real_config(env: CheckEnv) -> CheckEnv:
    """``env`` with the validated config models: plan rules need them, not a cache snapshot."""
    from kolplan.lint.cache import is_snapshot

    if not is_snapshot(env.config):
        return env
    from dataclasses import replace

    from kolplan.repo.config import load_config

    return replace(env, config=load_config(env.root / CONFIG_NAME, CONFIG_NAME)[0])


def _map(env: CheckEnv, items: Sequence[tuple[str, bool]], jobs: int | None, want_stamp: bool) -> Iterator[Any]:
    """Run :func:`_work` over ``items`` in chunks, in forked workers when it pays; yields
    each file's outcome in order, as soon as its chunk is done, so that the caller's
    work on it overlaps the workers' on the next ones."""
    jobs = default_jobs() if jobs is None else jobs
    global _WORKER_ENV, _WORKER_STAMP
    if jobs <= 1 or len(items) < PARALLEL_MIN_FILES or not _can_fork():
        _WORKER_ENV, _WORKER_STAMP = env, want_stamp
        try:
            out = _work(items)
        finally:
            _WORKER_ENV = None
        yield from out
        return
    import gc

    from kolplan.lint.workers import fork_map
    from kolplan.rules.registry import load_rules

    load_rules()  # once, before the fork, rather than once in every worker
    _WORKER_ENV, _WORKER_STAMP = env, want_stamp
    gc.freeze()  # keep the parent's objects out of the children's copy-on-write pages
    try:
        # fork_map, not multiprocessing.Pool: a Ctrl-C or SIGTERM stops its workers at once,
        # without tracebacks and without waiting on a lock a killed worker held (SPEC 9)
        for part in fork_map(_work, list(_chunks(items, CHUNK)), jobs, _worker_start):
            yield from part
    finally:
        _WORKER_ENV = None
        gc.unfreeze()


def _worker_start() -> None:
    """A worker allocates a node tree per file and frees it by reference counting; the
    cyclic collector's frequent young-generation passes find nothing there, so they run
    less often (the worker is short-lived and its garbage has no cycles to speak of)."""
    import gc

    gc.set_threshold(50_000, 50, 100)


def _can_fork() -> bool:
    import sys

    return sys.platform == "linux"


def _chunks(items: Sequence[tuple[str, bool]], size: int) -> Iterator[Sequence[tuple[str, bool]]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# -- cross-plan checks -------------------------------------------------------------------
def cross_plan(env: CheckEnv, results: Iterable[FileResult], items: Sequence[tuple[str, bool]]) -> list[Diagnostic]:
    """Run every portfolio rule over the facts of the plans that read and validated."""
    from kolplan.rules import rules_of

    files = [FileRef(rel, stem_of(rel), inp) for rel, inp in items]
    ctx = PortfolioContext(env.config, [r.facts for r in results if r.facts is not None], files)
    out: list[Diagnostic] = []
    for rule in rules_of("portfolio"):
        assert rule.check is not None
        for f in rule.check(ctx):
            assert isinstance(f, PortfolioFinding)
            out.append(Diagnostic(f.path, f.line, f.column, rule.severity, rule.code, rule.name, f.message))
    return out
