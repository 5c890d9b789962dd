"""Chart data for the Mermaid pictures in the documents (SPEC 8), as plain data.

The templates lay these out as Mermaid (``gantt``, ``pie``, ``xychart-beta``); labels go
through the ``mmd`` filter there. What is decided here: which items, in which order,
how many are shown and how many are only counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

GANTT_MAX: Final = 50


@dataclass(frozen=True)
class GanttTask:
    """One bar (one day long) or milestone of a Gantt chart."""

    section: str
    label: str
    start: dt.date
    kind: str = "planned"  # or Mermaid tags: "done", "crit", "milestone", "crit, milestone", ...
    days: int = 1

    @property
    def tags(self) -> str:
        """Mermaid task tags before the date: ``done, ``, ``crit, milestone, `` or nothing."""
        return "" if self.kind == "planned" else f"{self.kind}, "


@dataclass
class GanttSection:
    name: str
    tasks: list[GanttTask] = field(default_factory=list)


@dataclass
class Gantt:
    """A Gantt chart: at most ``limit`` tasks, by date; ``hidden`` counts the rest."""

    title: str
    sections: list[GanttSection]
    shown: int
    hidden: int

    @property
    def empty(self) -> bool:
        return self.shown == 0


def build_gantt(title: str, tasks: list[GanttTask], limit: int = GANTT_MAX,
                section_order: list[str] | None = None) -> Gantt:
    """The first ``limit`` tasks by date (then section, then label), grouped into sections.

    Sections come in ``section_order`` where given, then in order of first appearance.
    """
    ordered = sorted(tasks, key=lambda t: (t.start, t.section, t.label))
    kept = ordered[:limit]
    by_name: dict[str, GanttSection] = {}
    for name in section_order or []:
        by_name[name] = GanttSection(name)
    for t in kept:
        by_name.setdefault(t.section, GanttSection(t.section)).tasks.append(t)
    sections = [s for s in by_name.values() if s.tasks]
    return Gantt(title, sections, len(kept), len(ordered) - len(kept))


@dataclass(frozen=True)
class MonthBar:
    """Activities dated in one month: how many were scheduled (planned or done) and done."""

    label: str
    scheduled: int
    done: int
