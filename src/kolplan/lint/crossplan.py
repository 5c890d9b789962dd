"""The cross-plan rules (KP3xx and KP016), over the facts every valid plan contributes,
and a whole portfolio's check: every file, then those rules (remembered by the cache)."""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from typing import TYPE_CHECKING

from kolplan.diagnostics import Diagnostic
from kolplan.lint.result import FileResult
from kolplan.lint.runner import Batch, Item, check_files, fill_facts
from kolplan.repo.discovery import stem_of

if TYPE_CHECKING:
    from kolplan.lint.cache import ResultCache
    from kolplan.schema.configview import ConfigView


def check_portfolio(batch: Batch, jobs: int | None = None, cache: ResultCache | None = None,
                    reported: Container[str] | None = None) -> tuple[list[FileResult], list[Diagnostic]]:
    """Check every file of ``batch`` and run the cross-plan rules over all of them.

    Returns the per-file results, in order, and the cross-plan diagnostics. Files not
    in ``reported`` (None: all are) are checked for the cross-plan rules' sake only: a
    result the cache holds for one of them comes without its diagnostics. With
    ``cache``, a file whose content it holds is not checked again, and when no file was
    added, removed or changed since the last run, the cross-plan diagnostics of that run
    are used as they are; otherwise the facts of the cached files are read from it (a
    file whose facts it lacks is checked again). The cache is saved at the end.
    """
    results = check_files(batch, jobs, cache, reported)
    if cache is None:
        return results, cross_plan(batch.repo.view, results, batch.items)
    inputs = cache.inputs_digest(batch.items)
    cross = cache.cross_memo(inputs) if inputs is not None else None
    if cross is None:
        fill_facts(batch, cache, results, jobs)
        cross = cross_plan(batch.repo.view, results, batch.items)
        if inputs is not None:
            cache.remember_cross(inputs, cross)
    cache.save()
    if batch.repo.config_loaded:  # keep what was checked, for a warm run to skip pydantic
        cache.save_config(batch.repo.view)
    return results, cross


def cross_plan(view: ConfigView, results: Iterable[FileResult], items: Sequence[Item]) -> list[Diagnostic]:
    """Run every portfolio rule over the facts of the plans that read and validated."""
    # lazy: the rules only when they run; a warm run with nothing changed reuses their findings
    from kolplan.rules import rules_of
    from kolplan.rules.context import FileRef, PortfolioContext, PortfolioFinding

    files = [FileRef(rel, stem_of(rel), inp) for rel, inp in items]
    ctx = PortfolioContext(view, [r.facts for r in results if r.facts is not None], files)
    out: list[Diagnostic] = []
    for rule in rules_of("portfolio"):
        assert rule.check is not None
        for f in rule.check(ctx):
            assert isinstance(f, PortfolioFinding)
            out.append(Diagnostic(f.path, f.line, f.column, rule.severity, rule.code, rule.name, f.message))
    return out
