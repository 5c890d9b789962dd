"""What a rule sees: one plan (PlanContext) or the portfolio's facts (PortfolioContext)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from collections.abc import Callable

    from kolplan.lint.kolindex import KolIndex
    from kolplan.schema import Config, Plan

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
        return department_of(self.config, handle)

    def function_of(self, handle: str) -> str | None:
        dept = self.department_of(handle)
        d = self.config.departments.get(dept) if dept else None
        return d.function if d else None


@dataclass(slots=True)
class PlanFacts:
    """What cross-plan rules and reports need of one valid plan; small, cacheable, positioned."""

    path: str
    id: str
    name: str
    institution: str | None
    name_key: str
    institution_key: str
    identifiers: dict[str, str]  # kind -> normalised value
    identifier_pos: dict[str, Pos]
    name_pos: Pos
    leads: list[str]
    owners_pos: Pos
    in_portfolio: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "id": self.id, "name": self.name, "institution": self.institution,
            "name_key": self.name_key, "institution_key": self.institution_key,
            "identifiers": self.identifiers,
            "identifier_pos": {k: list(v) for k, v in self.identifier_pos.items()},
            "name_pos": list(self.name_pos), "leads": self.leads, "owners_pos": list(self.owners_pos),
            "in_portfolio": self.in_portfolio,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PlanFacts:
        return cls(
            d["path"], d["id"], d["name"], d["institution"], d["name_key"], d["institution_key"],
            dict(d["identifiers"]), {k: (v[0], v[1]) for k, v in d["identifier_pos"].items()},
            (d["name_pos"][0], d["name_pos"][1]), list(d["leads"]),
            (d["owners_pos"][0], d["owners_pos"][1]), bool(d["in_portfolio"]),
        )


@dataclass
class FileRef:
    """Every plan file found, readable or not (for rules on file names such as KP016)."""

    path: str
    stem: str
    in_portfolio: bool


@dataclass
class PortfolioContext:
    config: Config
    facts: list[PlanFacts]
    files: list[FileRef] = field(default_factory=list)
    _index: KolIndex | None = field(default=None, repr=False)

    def kol_index(self) -> KolIndex:
        """The portfolio's KOL index (plans under plans/ only), built once for every rule that needs it."""
        if self._index is None:
            from kolplan.lint.kolindex import KolIndex

            self._index = KolIndex(f for f in self.facts if f.in_portfolio)
        return self._index

    def department_of(self, handle: str) -> str | None:
        return department_of(self.config, handle)

    def lead_label(self, f: PlanFacts) -> str:
        return leads_label(self.config, f.leads)


def department_of(config: Config, handle: str) -> str | None:
    """The department id of a person, or None for a handle not in ``people:``.

    A function, not a method of :class:`Config`: on a warm cache the config is a snapshot
    carrying the model's fields only (:func:`kolplan.lint.cache.config_snapshot`).
    """
    person = config.people.get(handle)
    return person.department if person else None


def leads_label(config: Config, leads: list[str]) -> str:
    """``a.chen (field-medical)``; several leads comma-separated; ``no lead``."""
    if not leads:
        return "no lead"
    return ", ".join(f"{h} ({department_of(config, h) or 'unknown department'})" for h in leads)
