"""Chart data for the Mermaid pictures in the documents (SPEC 8), as plain data.

The templates lay these out as Mermaid (``gantt``, ``pie``, ``xychart-beta``); labels go
through the ``mmd`` filter there. What is decided here: which items, in which order, how
many are shown and how many are only counted, the axes, and the colours.

Charts read well and say true things (SPEC 8): every chart sets a palette with contrast on
white in its ``%%{init}%%`` directive (GitHub's default theme draws the first pie slices and
plot lines near-white); value axes run over whole numbers; a Gantt does not follow the
reader's clock (``todayMarker off``) and its axis spans a frame (the quarter, the plan's
period) so that one item or a thousand read the same; at most 8 slices or bars.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

GANTT_MAX: Final = 50
SLICES_MAX: Final = 8  # slices of a pie, bars of a chart: the rest as "other"

# Dark enough for white text on a fill and for a line on white (contrast >= 4.5:1 against white).
PALETTE: Final = ("#1F4E79", "#B3470C", "#2E6B30", "#6A1B9A", "#A31515", "#00695C", "#5D4037", "#37474F")
TEXT: Final = "#1A1A1A"
GRID: Final = "#BDBDBD"


def _init(variables: dict[str, object]) -> str:
    return "%%{init: " + json.dumps({"theme": "base", "themeVariables": variables}, separators=(", ", ": ")) + "}%%"


PIE_INIT: Final = _init({
    **{f"pie{i + 1}": c for i, c in enumerate(PALETTE)},
    "pieSectionTextColor": "#FFFFFF", "pieTitleTextColor": TEXT, "pieLegendTextColor": TEXT,
    "pieStrokeColor": "#FFFFFF", "pieOuterStrokeColor": TEXT, "pieOpacity": "1",
})
XY_INIT: Final = _init({
    "xyChart": {"backgroundColor": "#FFFFFF", "titleColor": TEXT, "xAxisLabelColor": TEXT,
                "xAxisTitleColor": TEXT, "xAxisTickColor": TEXT, "xAxisLineColor": TEXT,
                "yAxisLabelColor": TEXT, "yAxisTitleColor": TEXT, "yAxisTickColor": TEXT,
                "yAxisLineColor": TEXT, "plotColorPalette": f"{PALETTE[0]}, {PALETTE[1]}"},
})
GANTT_INIT: Final = _init({
    "primaryColor": "#DCE6F1", "primaryTextColor": TEXT, "textColor": TEXT, "titleColor": TEXT,
    "taskBkgColor": PALETTE[0], "taskBorderColor": PALETTE[0], "taskTextColor": "#FFFFFF",
    "taskTextLightColor": "#FFFFFF", "taskTextDarkColor": TEXT, "taskTextOutsideColor": TEXT,
    "doneTaskBkgColor": "#7F8C8D", "doneTaskBorderColor": "#5F6A6A",
    "critBkgColor": PALETTE[4], "critBorderColor": PALETTE[4],
    "activeTaskBkgColor": "#DCE6F1", "activeTaskBorderColor": PALETTE[0],
    "sectionBkgColor": "#FFFFFF", "altSectionBkgColor": "#F3F6F9", "sectionBkgColor2": "#FFFFFF",
    "gridColor": GRID, "todayLineColor": PALETTE[4],
})


@dataclass(frozen=True)
class GanttTask:
    """One bar (``days`` long) or milestone (0 days) of a Gantt chart."""

    section: str
    label: str
    start: dt.date
    kind: str = "planned"  # or Mermaid tags: "done", "crit", "active", "milestone", "crit, milestone", ...
    days: int = 1

    @property
    def tags(self) -> str:
        """Mermaid task tags before the date: ``done, ``, ``crit, milestone, `` or nothing."""
        return "" if self.kind == "planned" else f"{self.kind}, "

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days)


@dataclass
class GanttSection:
    name: str
    tasks: list[GanttTask] = field(default_factory=list)


@dataclass
class Gantt:
    """A Gantt chart: at most ``limit`` tasks; ``hidden`` counts the rest. ``frame`` is a bar
    over the span the axis must show (the quarter, the plan period); ``tick`` the interval
    between the axis's dates, chosen from that span."""

    title: str
    sections: list[GanttSection]
    shown: int
    hidden: int
    frame: GanttTask | None = None
    tick: str = "1week"
    axis_format: str = "%d %b"
    init: str = GANTT_INIT

    @property
    def empty(self) -> bool:
        return self.shown == 0


def build_gantt(title: str, tasks: list[GanttTask], limit: int = GANTT_MAX,
                section_order: list[str] | None = None, frame: GanttTask | None = None,
                priority: Callable[[GanttTask], object] | None = None) -> Gantt:
    """At most ``limit`` tasks, grouped into sections, by date within each.

    Which tasks are kept: the first ``limit`` by ``priority`` (then date, section, label), or
    by date where no priority is given. Sections come in ``section_order`` where given, then
    in order of first appearance.
    """
    def by_date(t: GanttTask) -> tuple[dt.date, str, str]:
        return (t.start, t.section, t.label)

    chosen = sorted(tasks, key=(lambda t: (priority(t), *by_date(t))) if priority else by_date)
    kept = sorted(chosen[:limit], key=by_date)
    by_name: dict[str, GanttSection] = {}
    for name in section_order or []:
        by_name[name] = GanttSection(name)
    for t in kept:
        by_name.setdefault(t.section, GanttSection(t.section)).tasks.append(t)
    sections = [s for s in by_name.values() if s.tasks]
    ends = [t.start for t in kept] + [t.end for t in kept]
    if frame is not None:
        ends += [frame.start, frame.end]
    span = (max(ends) - min(ends)).days if ends else 0
    tick, axis = gantt_axis(span)
    return Gantt(title, sections, len(kept), len(tasks) - len(kept), frame, tick, axis)


def gantt_axis(span_days: int) -> tuple[str, str]:
    """``(tickInterval, axisFormat)`` for a Gantt whose items span ``span_days``: about 4-16
    ticks, each a distinct date (a one-day span no longer repeats "01 Aug" eight times)."""
    if span_days <= 14:
        return "1day", "%d %b"
    if span_days <= 110:
        return "1week", "%d %b"
    if span_days <= 240:
        return "2week", "%d %b"
    if span_days <= 500:
        return "1month", "%b %Y"
    return "3month", "%b %Y"


def axis_max(values: list[int]) -> int:
    """The top of a count axis: at least 10, so Mermaid's ticks are whole numbers (0, 1, 2 ...
    rather than 0, 0.2 ... 2), and a round number above the largest value."""
    top = max(values, default=0)
    if top <= 10:
        return 10
    step = int(10 ** (len(str(top)) - 1))
    for nice in (1, 2, 5, 10):
        if top <= nice * step:
            return nice * step
    return top  # unreachable: 10 * step > top


def top_slices(counts: list[tuple[str, int]], limit: int = SLICES_MAX, other: str = "other") -> list[tuple[str, int]]:
    """The ``limit - 1`` largest counts and the rest added up as ``other`` (or all of them
    where there are at most ``limit``), largest first."""
    ordered = sorted((kv for kv in counts if kv[1]), key=lambda kv: (-kv[1], kv[0]))
    if len(ordered) <= limit:
        return ordered
    head = ordered[: limit - 1]
    return [*head, (other, sum(n for _, n in ordered[limit - 1:]))]
