"""What checking one file gives: its diagnostics, its inline suppressions and, for a plan
that read and validated, its cross-plan facts. Made by :mod:`kolplan.lint.check`, kept by
:mod:`kolplan.lint.cache`; a light module, so that a warm run need not import the checker."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kolplan.diagnostics import Diagnostic
    from kolplan.lint.facts import PlanFacts
    from kolplan.lint.suppressions import Suppression


@dataclass(slots=True)
class FileResult:
    path: str
    diagnostics: list[Diagnostic]
    facts: PlanFacts | None
    suppressions: list[Suppression] = field(default_factory=list)
    # The file read and validated, so its plan rules ran. Its facts may still be None:
    # a result from the cache has its facts read only when the cross-plan rules need them.
    valid: bool = False
    part: object = None  # what CheckEnv.project made of the plan
