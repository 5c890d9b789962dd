"""The whole repository: finding plan files, checking them (in parallel when it pays),
and the cross-plan checks over the facts every valid plan contributes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Final

from kolplan.checker import CheckEnv, FileResult, check_file
from kolplan.diagnostics import Diagnostic
from kolplan.rules.context import FileRef, PortfolioContext, PortfolioFinding

PLAN_SUFFIXES: Final = (".yaml", ".yml")
# Below this many files a worker pool costs more than it saves.
PARALLEL_MIN_FILES: Final = 150
CHUNK: Final = 48


def is_plan_name(name: str) -> bool:
    return name.endswith(PLAN_SUFFIXES) and not name.startswith((".", "_"))


def discover(folder: Path, root: Path) -> list[str]:
    """Plan files under ``folder`` (recursively), as sorted repo-relative paths.

    Names starting with ``.`` or ``_`` are skipped, and so are such folders. A folder
    whose name ends in ``.yaml`` is listed, so that it is reported rather than missed.
    """
    found: list[str] = []
    base = os.path.relpath(folder, root)
    for dirpath, dirnames, filenames in os.walk(folder):
        rel_dir = os.path.relpath(dirpath, folder)
        keep = []
        for d in dirnames:
            if d.startswith((".", "_")):
                continue
            if is_plan_name(d):
                found.append(_join(base, rel_dir, d))
                continue
            keep.append(d)
        dirnames[:] = sorted(keep)
        found.extend(_join(base, rel_dir, f) for f in filenames if is_plan_name(f))
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
_WORKER_ENV: CheckEnv | None = None


def _work(chunk: Sequence[tuple[str, bool]]) -> list[FileResult]:
    assert _WORKER_ENV is not None
    return [check_file(_WORKER_ENV, rel, inp) for rel, inp in chunk]


def check_files(env: CheckEnv, items: Sequence[tuple[str, bool]], jobs: int | None = None) -> list[FileResult]:
    """Check every ``(path, in_portfolio)``; forked workers share the parsed config."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or len(items) < PARALLEL_MIN_FILES or not _can_fork():
        return [check_file(env, rel, inp) for rel, inp in items]
    import gc
    import multiprocessing

    global _WORKER_ENV
    _WORKER_ENV = env
    gc.freeze()  # keep the parent's objects out of the children's copy-on-write pages
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            out: list[FileResult] = []
            for part in pool.imap(_work, list(_chunks(items, CHUNK))):
                out.extend(part)
            return out
    finally:
        gc.unfreeze()
        _WORKER_ENV = None


def _can_fork() -> bool:
    import sys

    return sys.platform == "linux"


def _chunks(items: Sequence[tuple[str, bool]], size: int) -> Iterator[Sequence[tuple[str, bool]]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# -- cross-plan checks -------------------------------------------------------------------
def cross_plan(env: CheckEnv, results: Iterable[FileResult], files: list[FileRef]) -> list[Diagnostic]:
    """Run every portfolio rule over the facts of the plans that read and validated."""
    from kolplan.rules import rules_of

    ctx = PortfolioContext(env.config, [r.facts for r in results if r.facts is not None], files)
    out: list[Diagnostic] = []
    for rule in rules_of("portfolio"):
        assert rule.check is not None
        for f in rule.check(ctx):
            assert isinstance(f, PortfolioFinding)
            out.append(Diagnostic(f.path, f.line, f.column, rule.severity, rule.code, rule.name, f.message))
    return out
