"""What a rule sees: one plan (PlanContext) or the portfolio's facts (PortfolioContext)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

from kolplan.engagement.items import Engagement, engagements

if TYPE_CHECKING:
    from collections.abc import Callable

    from kolplan.lint.facts import PlanFacts
    from kolplan.lint.kolindex import KolIndex
    from kolplan.schema import Config, Plan
    from kolplan.schema.configview import ConfigView

Path_ = tuple[str | int, ...]
Pos = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Finding:
    """A plan rule's finding: where (a path into the plan) and what to do.

    ``at`` picks the node: the ``value`` at path (default), the ``key`` of a mapping
    entry (or a list item's start), or the ``parent`` of something missing.
    """

    path: Path_
    message: str
    at: Literal["key", "value", "parent"] = "value"


@dataclass(frozen=True, slots=True)
class PortfolioFinding:
    """A cross-plan finding, already positioned (facts carry the positions rules need)."""

    path: str
    line: int
    column: int
    message: str


@dataclass
class PlanContext:
    file: str
    stem: str
    plan: Plan
    data: dict[str, Any]
    config: Config
    as_of: dt.date
    # What several rules derive from the same plan, computed once (see :meth:`shared`).
    _shared: dict[str, Any] = field(default_factory=dict, repr=False)

    def shared(self, name: str, compute: Callable[[PlanContext], Any]) -> Any:
        """``compute(self)``, once per plan for every rule that asks under ``name``."""
        if name not in self._shared:
            self._shared[name] = compute(self)
        return self._shared[name]

    def department_of(self, handle: str) -> str | None:
        return self.config.view.department_of(handle)

    def engagements(self) -> list[Engagement]:
        """The plan's ``planned`` and ``done`` activities as engagement records
        (:func:`kolplan.engagement.items.engagements`), computed once per plan for every rule
        (kept with :meth:`shared`'s results, under ``"engagements"``)."""
        found = self._shared.get("engagements")
        if found is None:
            found = self._shared["engagements"] = engagements(self.plan, self.config.view)
        return cast("list[Engagement]", found)

    def function_of(self, handle: str) -> str | None:
        return self.config.view.function_of(handle)


@dataclass
class FileRef:
    """Every plan file found, readable or not (for rules on file names such as KP016)."""

    path: str
    stem: str
    in_portfolio: bool


@dataclass
class PortfolioContext:
    config: ConfigView  # the cross-plan rules read who is who, never the whole model
    facts: list[PlanFacts]
    files: list[FileRef] = field(default_factory=list)
    _index: KolIndex | None = field(default=None, repr=False)

    def kol_index(self) -> KolIndex:
        """The portfolio's KOL index (plans under plans/ only), built once for every rule that needs it."""
        if self._index is None:
            # lazy: unicodedata and the index only for the rules that match KOLs
            from kolplan.lint.kolindex import KolIndex

            self._index = KolIndex(f for f in self.facts if f.in_portfolio)
        return self._index

    def department_of(self, handle: str) -> str | None:
        return self.config.department_of(handle)

    def lead_label(self, f: PlanFacts) -> str:
        return self.config.leads_label(f.leads)
