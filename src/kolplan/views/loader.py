"""The plan loader of every view: one ``validate`` run over the whole portfolio, keeping
what a function makes of each plan where the plan was parsed, and the plans left out.

``list``, ``owners``, ``render`` and ``report`` each say what they need of a plan
(``project(path, plan) -> T``: a row, the figures of a quarter, the model itself); only
that comes back from the workers. A plan with a reading or schema error (KP0xx) is left
out of every view, and named (:class:`Skipped`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from kolplan.diagnostics import Diagnostic, always_on
from kolplan.lint.engine import ValidateOptions, validate_and_project

if TYPE_CHECKING:
    from kolplan.repo.root import Repo
    from kolplan.schema import Plan

T = TypeVar("T")


@dataclass(frozen=True)
class Skipped:
    """A plan left out of the views: it has reading or schema errors (KP0xx)."""

    path: str
    errors: int
    codes: tuple[str, ...]

    def note(self) -> str:
        s = "" if self.errors == 1 else "s"
        return (f"skipped {self.path}: {self.errors} reading or schema error{s}; "
                f"run `kolplan validate {self.path}` to see {'it' if self.errors == 1 else 'them'}")


def skipped_plans(diagnostics: list[Diagnostic]) -> list[Skipped]:
    """The plans with reading or schema errors among ``diagnostics``, by path."""
    errors: Counter[str] = Counter()
    codes: dict[str, set[str]] = {}
    for d in diagnostics:
        if always_on(d.code):
            errors[d.path] += 1
            codes.setdefault(d.path, set()).add(d.code)
    return [Skipped(p, errors[p], tuple(sorted(codes[p]))) for p in sorted(errors)]


@dataclass
class Loaded(Generic[T]):
    """What a view gets: one part per plan that read and validated (by path), the run's
    diagnostics (as ``validate`` reports them), and the plans left out."""

    parts: dict[str, T]
    diagnostics: list[Diagnostic]
    skipped: list[Skipped]

    def for_path(self, path: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.path == path]

    def by_path(self) -> dict[str, list[Diagnostic]]:
        out: dict[str, list[Diagnostic]] = {}
        for d in self.diagnostics:
            out.setdefault(d.path, []).append(d)
        return out


def load_plans(repo: Repo, as_of: dt.date, project: Callable[[str, Plan], T | None]) -> Loaded[T]:
    """Validate the whole portfolio once; ``project(path, plan)`` of every plan that read and
    validated and has no KP0xx error (a ``None`` is left out)."""
    report, parts = validate_and_project(repo, ValidateOptions(as_of=as_of), project)
    skipped = skipped_plans(report.diagnostics)
    left_out = {s.path for s in skipped}
    # what crosses from the workers is typed object; it is what ``project`` returned
    kept = {p: cast(T, part) for p, part in parts.items() if p not in left_out}
    return Loaded(kept, report.diagnostics, skipped)
