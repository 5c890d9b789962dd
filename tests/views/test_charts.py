"""Chart data: whole-number axes, at most 8 slices, Gantt axes that span their items."""

from __future__ import annotations

import datetime as dt

import pytest

from kolplan.views.charts import GanttTask, axis_max, build_gantt, gantt_axis, top_slices


@pytest.mark.parametrize(("values", "top"), [
    ([], 10), ([0, 0], 10), ([2, 1], 10), ([10], 10),  # at least 10: Mermaid then ticks 0, 1, 2 ... not 0.2
    ([11], 20), ([37], 50), ([99], 100), ([101], 200), ([4999], 5000), ([5001], 10000),
])
def test_axis_max_is_round_and_at_least_ten(values: list[int], top: int) -> None:
    assert axis_max(values) == top


def test_top_slices_keeps_seven_and_adds_up_the_rest() -> None:
    counts = [(f"t{i}", 10 - i) for i in range(10)] + [("zero", 0)]
    # 10 kinds with a count: the 7 largest, then "other" = 3 + 2 + 1
    assert top_slices(counts) == [("t0", 10), ("t1", 9), ("t2", 8), ("t3", 7), ("t4", 6), ("t5", 5), ("t6", 4),
                                  ("other", 6)]
    assert top_slices(counts[:8]) == sorted(counts[:8], key=lambda kv: -kv[1])  # 8 fit: no "other"
    assert top_slices([("b", 1), ("a", 1)]) == [("a", 1), ("b", 1)]  # ties by name


@pytest.mark.parametrize(("days", "tick"), [(0, "1day"), (14, "1day"), (30, "1week"), (92, "1week"),
                                            (180, "2week"), (365, "1month"), (900, "3month")])
def test_gantt_ticks_follow_the_span(days: int, tick: str) -> None:
    assert gantt_axis(days)[0] == tick


def test_a_one_item_gantt_spans_its_frame() -> None:
    q = GanttTask("2026-Q4", "the whole quarter", dt.date(2026, 10, 1), "active", 92)
    g = build_gantt("one", [GanttTask("global", "A", dt.date(2026, 10, 3))], frame=q)
    assert (g.shown, g.hidden, g.tick, g.axis_format) == (1, 0, "1week", "%d %b")
    g = build_gantt("one", [GanttTask("global", "A", dt.date(2026, 10, 3))])  # no frame: one day
    assert g.tick == "1day"


def test_gantt_keeps_the_highest_priority_then_sorts_by_date() -> None:
    day = dt.date(2026, 10, 1)
    tasks = [GanttTask("local", f"L{i}", day + dt.timedelta(days=i)) for i in range(5)]
    tasks += [GanttTask("global", f"G{i}", day + dt.timedelta(days=20 + i)) for i in range(3)]
    rank = {"global": 0, "local": 4}
    g = build_gantt("t", tasks, limit=4, section_order=["global", "local"], priority=lambda t: rank[t.section])
    # the three global items (late in the quarter) are kept before the earliest local one
    assert [(s.name, [t.label for t in s.tasks]) for s in g.sections] == [("global", ["G0", "G1", "G2"]),
                                                                        ("local", ["L0"])]
    assert (g.shown, g.hidden) == (4, 4)
