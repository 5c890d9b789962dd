"""Mermaid blocks in the documents are sane: a known diagram first, valid Gantt tasks, safe labels."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.helpers import VALID_PLAN, make_repo, run
from tests.portfolio import AS_OF, QUARTER

KEYWORDS = ("pie", "xychart-beta", "gantt")
TASK = re.compile(r"^    (?P<name>[^:]+) :(?P<tags>(?:(?:done|active|crit|milestone), )*)"
                  r"(?P<start>\d{4}-\d{2}-\d{2}), (?P<days>\d+)d$")


def mermaid_blocks(text: str) -> list[list[str]]:
    blocks = re.findall(r"^```mermaid\n(.*?)^```$", text, flags=re.S | re.M)
    return [b.rstrip("\n").split("\n") for b in blocks]


def check_block(lines: list[str]) -> None:
    head = lines[0].split()[0]
    assert head in KEYWORDS, lines[0]
    if head == "gantt":
        check_gantt(lines)
    elif head == "pie":
        for line in lines[1:]:
            assert re.fullmatch(r'    title [^\n:;#]+|    "[^"]+" : \d+', line), line
    else:
        assert lines[1].startswith('    title "')
        assert re.fullmatch(r'    x-axis \["[^"]+"(, "[^"]+")*\]', lines[2]), lines[2]
        assert re.fullmatch(r'    y-axis "[^"]+" 0 --> \d+', lines[3]), lines[3]
        for line in lines[4:]:
            assert re.fullmatch(r"    (bar|line) \[\d+(, \d+)*\]", line), line


def check_gantt(lines: list[str]) -> int:
    assert lines[1].startswith("    title ") and not set(lines[1][10:]) & set(":;#")
    assert lines[2] == "    dateFormat YYYY-MM-DD"
    assert lines[3].startswith("    axisFormat ")
    tasks = 0
    for line in lines[4:]:
        if line.startswith("    section "):
            assert not set(line[12:]) & set(":;#")
            continue
        m = TASK.match(line)
        assert m, line
        assert not set(m.group("name")) & set(":;#"), line
        assert m.group("name").split()[0].lower() not in ("title", "section", "dateformat", "axisformat")
        dt.date.fromisoformat(m.group("start"))
        assert (m.group("days") == "0") == ("milestone" in m.group("tags"))
        tasks += 1
    return tasks


def test_report_mermaid_blocks(portfolio: Path) -> None:
    res = run("report", "--repo", str(portfolio), "--as-of", AS_OF, "--quarter", QUARTER, "--no-git")
    assert res.code == 0
    blocks = mermaid_blocks(res.out)
    assert [b[0].split()[0] for b in blocks] == ["pie", "xychart-beta", "gantt"]
    for b in blocks:
        check_block(b)


def test_render_mermaid_blocks(portfolio: Path) -> None:
    res = run("render", "tom-baker", "--repo", str(portfolio), "--as-of", AS_OF)
    assert res.code == 0
    blocks = mermaid_blocks(res.out)
    assert [b[0] for b in blocks] == ["gantt", "xychart-beta"]  # timeline, satisfaction trend
    for b in blocks:
        check_block(b)


@pytest.mark.parametrize("title", ["Board: Q3; agenda #2", "title: the plan", "section A", "a %% b\nc"])
def test_hostile_titles_stay_inside_their_task(tmp_path: Path, title: str) -> None:
    plan = VALID_PLAN.replace("title: MRD endpoints review", f"title: {title!r}".replace("'", '"')
                              .replace("\n", "\\n"))
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": plan})
    for args in (("render", "jane-okafor"), ("report", "--quarter", "2026-Q2", "--no-git")):
        res = run(*args, "--repo", str(root), "--as-of", AS_OF)
        assert res.code == 0, res.err
        for b in mermaid_blocks(res.out):
            check_block(b)


def test_next_quarter_gantt_shows_at_most_50_items_and_counts_the_rest(tmp_path: Path) -> None:
    acts = "".join(
        f"    - id: B{i}\n      type: publication\n      title: Item {i}\n      objectives: [O1]\n"
        f"      owner: a.chen\n      date: 2026-08-{1 + i % 28:02d}\n      status: planned\n"
        for i in range(60)
    )
    plan = VALID_PLAN.replace("  governance:\n", acts + "  governance:\n", 1)
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": plan})
    res = run("report", "--repo", str(root), "--as-of", AS_OF, "--quarter", "2026-Q2", "--no-git")
    assert res.code == 0, res.err
    gantt = next(b for b in mermaid_blocks(res.out) if b[0] == "gantt")
    # 60 + A2 (2026-09-01) + objective O1 due 2026-09-30 = 62 items in 2026-Q3
    assert check_gantt(gantt) == 50
    assert "50 items shown; 12 more in 2026-Q3 are not." in res.out
