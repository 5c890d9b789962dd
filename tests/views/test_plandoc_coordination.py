"""The plan document's coordination part: the plan's KP306 collisions and its hours per quarter
against the tier's limit, counted by the engagement package as the rules count them."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_calendar import JANE
from tests.helpers import AS_OF, CONFIG, make_repo, run
from tests.rules.support import sub

COORD = CONFIG + "coordination:\n  window_days: 14\n  max_hours_per_quarter: {national: 12}\n"


def section(text: str) -> str:
    return text.split("## Coordination\n", 1)[1].split("\n## ", 1)[0]


def test_collisions_and_quarters(tmp_path: Path) -> None:
    # JANE: A1 done 2026-04-15, 4 h (Raj Patel, Medical Affairs); A2 2026-09-01 (Alice Chen, Field
    # Medical); A3 2026-09-10 (Raj Patel): 9 days after A2. A2 gets 10 h and A3 3 h: 2026-Q3 asks
    # 13 h, above the national limit of 12; 2026-Q2 asks 4.
    text = sub(sub(JANE, "      date: 2026-09-01\n      status: planned\n",
                   "      date: 2026-09-01\n      status: planned\n      hours: 10\n"),
               "      date: 2026-09-10\n      status: planned\n", "      date: 2026-09-10\n      status: planned\n"
               "      hours: 3\n")
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": text}, config=COORD)
    res = run("render", "jane-okafor", "--repo", str(root), "--as-of", AS_OF)
    assert res.code == 0, res.err
    assert section(res.out) == (
        "\n- **Collision**: A3 on 2026-09-10 (Raj Patel, Medical Affairs) is 9 days after A2 on 2026-09-01 "
        "(Alice Chen, Field Medical): combine them or space them out.\n\n"
        "| Quarter | Hours asked | Limit | By department |\n|---|---:|---:|---|\n"
        "| 2026-Q2 | 4 | 12 | Medical Affairs 4 |\n"
        "| 2026-Q3 | 13 (**over**) | 12 | Field Medical 10, Medical Affairs 3 |\n")


def test_no_section_without_coordination(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": JANE}, config=CONFIG)
    res = run("render", "jane-okafor", "--repo", str(root), "--as-of", AS_OF)
    assert res.code == 0 and "## Coordination" not in res.out
