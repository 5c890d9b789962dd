"""Mermaid blocks in the documents are sane: a palette set in each block's init directive, a known
diagram, whole-number axes, Gantts that do not follow the reader's clock, safe labels; and the
real Mermaid parser (npm's ``mermaid``, run by node) accepts every block kolplan writes."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import VALID_PLAN, make_repo, run
from tests.portfolio import AS_OF, QUARTER

KEYWORDS = ("pie", "xychart-beta", "gantt")
TASK = re.compile(r"^    (?P<name>[^:]+) :(?P<tags>(?:(?:done|active|crit|milestone), )*)"
                  r"(?P<start>\d{4}-\d{2}-\d{2}), (?P<days>\d+)d$")
INIT = re.compile(r"%%\{init: (?P<json>.*)\}%%")
PROJECT = Path(__file__).resolve().parents[2]
# node_modules with npm's mermaid and jsdom: npm install --prefix /tmp/kolplan-mermaid mermaid@11 jsdom
MERMAID_MODULES = Path(os.environ.get("KOLPLAN_MERMAID_MODULES", "/tmp/kolplan-mermaid/node_modules"))
PARSER = Path(__file__).with_name("mermaid_parse.mjs")


def mermaid_blocks(text: str) -> list[list[str]]:
    blocks = re.findall(r"^```mermaid\n(.*?)^```$", text, flags=re.S | re.M)
    return [b.rstrip("\n").split("\n") for b in blocks]


def check_block(lines: list[str]) -> None:
    m = INIT.fullmatch(lines[0])
    assert m, f"no palette in the init directive: {lines[0]}"
    init = json.loads(m.group("json"))
    assert init["theme"] == "base" and init["themeVariables"]
    lines = lines[1:]
    head = lines[0].split()[0]
    assert head in KEYWORDS, lines[0]
    if head == "gantt":
        check_gantt(lines)
    elif head == "pie":
        slices = 0
        for line in lines[1:]:
            assert re.fullmatch(r'    title [^\n:;#]+|    "[^"]+" : \d+', line), line
            slices += line.startswith('    "')
        assert slices <= 8
    else:
        assert lines[1].startswith('    title "')
        assert re.fullmatch(r'    x-axis \["[^"]+"(, "[^"]+")*\]', lines[2]), lines[2]
        m = re.fullmatch(r'    y-axis "[^"]+" 0 --> (\d+)', lines[3])
        assert m, lines[3]
        assert int(m.group(1)) >= 10  # Mermaid's ticks are whole numbers from 10 up
        points = len(lines[2].split(", "))
        for line in lines[4:]:
            assert re.fullmatch(r"    (bar|line) \[\d+(, \d+)*\]", line), line
            assert len(line.split(", ")) == points  # one value per label: nothing past as-of


def check_gantt(lines: list[str]) -> int:
    assert lines[1].startswith("    title ") and not set(lines[1][10:]) & set(":;#")
    assert lines[2] == "    dateFormat YYYY-MM-DD"
    assert lines[3].startswith("    axisFormat ")
    assert re.fullmatch(r"    tickInterval (1day|1week|2week|1month|3month)", lines[4]), lines[4]
    assert lines[5] == "    todayMarker off"  # the chart does not follow the reader's clock
    tasks = 0
    for line in lines[6:]:
        if line.startswith("    section "):
            assert not set(line[12:]) & set(":;#")
            continue
        m = TASK.match(line)
        assert m, line
        assert not set(m.group("name")) & set(":;#"), line
        assert m.group("name").split()[0].lower() not in ("title", "section", "dateformat", "axisformat")
        dt.date.fromisoformat(m.group("start"))
        assert (m.group("days") == "0") == ("milestone" in m.group("tags"))
        tasks += "active" not in m.group("tags")  # the frame (the quarter, the plan period) is not an item
    return tasks


def test_report_mermaid_blocks(portfolio: Path) -> None:
    res = run("report", "--repo", str(portfolio), "--as-of", AS_OF, "--quarter", QUARTER, "--no-git")
    assert res.code == 0
    blocks = mermaid_blocks(res.out)
    assert [b[1].split()[0] for b in blocks] == ["xychart-beta", "pie", "gantt"]  # trends, types, next quarter
    for b in blocks:
        check_block(b)


def test_render_mermaid_blocks(portfolio: Path) -> None:
    res = run("render", "tom-baker", "--repo", str(portfolio), "--as-of", AS_OF)
    assert res.code == 0
    blocks = mermaid_blocks(res.out)
    assert [b[1] for b in blocks] == ["gantt", "xychart-beta"]  # timeline, satisfaction trend
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


def test_next_quarter_gantt_shows_at_most_30_activities_and_counts_the_rest(tmp_path: Path) -> None:
    acts = "".join(
        f"    - id: B{i}\n      type: publication\n      title: Item {i}\n      objectives: [O1]\n"
        f"      owner: a.chen\n      date: 2026-08-{1 + i % 28:02d}\n      status: planned\n"
        for i in range(60)
    )
    plan = VALID_PLAN.replace("  governance:\n", acts + "  governance:\n", 1)
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": plan})
    res = run("report", "--repo", str(root), "--as-of", AS_OF, "--quarter", "2026-Q2", "--no-git")
    assert res.code == 0, res.err
    gantt = next(b for b in mermaid_blocks(res.out) if b[1] == "gantt")
    # 60 + A2 (2026-09-01) = 61 planned activities in 2026-Q3
    assert check_gantt(gantt[1:]) == 30
    assert "30 planned activities shown, by tier; 31 more in 2026-Q3 left out." in res.out
    # the axis spans the quarter, not the first days of it
    assert "    the whole quarter :active, 2026-07-01, 92d" in gantt


def _parse_with_mermaid(blocks: list[str]) -> list[dict[str, object]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the real Mermaid parser runs on node")
    if not (MERMAID_MODULES / "mermaid").is_dir() or not (MERMAID_MODULES / "jsdom").is_dir():
        pytest.skip(f"npm's mermaid and jsdom are not in {MERMAID_MODULES}: npm install --prefix "
                    f"{MERMAID_MODULES.parent} mermaid@11 jsdom (or set KOLPLAN_MERMAID_MODULES)")
    proc = subprocess.run([node, str(PARSER), str(MERMAID_MODULES)], input=json.dumps(blocks), text=True,
                          capture_output=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    results: list[dict[str, object]] = json.loads(proc.stdout)
    return results


def test_the_mermaid_parser_accepts_every_block(portfolio: Path) -> None:
    texts = []
    for args in (("report", "--quarter", QUARTER, "--no-git"), ("render", "tom-baker"), ("render", "ana-silva")):
        res = run(*args, "--repo", str(portfolio), "--as-of", AS_OF)
        assert res.code == 0, res.err
        texts.append(res.out)
    if (PROJECT / "kolplan.yaml").is_file():  # the sample documents in docs/
        texts += [(PROJECT / "docs" / name).read_text(encoding="utf-8")
                  for name in ("sample-report.md", "sample-plan.md")]
    blocks = ["\n".join(b) for t in texts for b in mermaid_blocks(t)]
    assert len(blocks) >= 7
    results = _parse_with_mermaid([*blocks, "pie\n    \"a\" : x"])
    assert results[-1]["ok"] is False  # the parser does reject a broken block
    bad = [(b, r) for b, r in zip(blocks, results, strict=False) if not r["ok"]]
    assert bad == []
    assert {r["type"] for r in results[:-1]} == {"xychart", "pie", "gantt"}
