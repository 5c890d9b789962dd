"""`kolplan list` and `owners` as tables in a terminal of a given width (issue 15, SPEC 5): no line
longer than the terminal, an id, a tier or a date never broken, the columns left out named, `--wide`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from tests.helpers import AS_OF, VALID_PLAN, make_repo, run

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_AS_OF = "2026-11-20"
SAMPLE_IDS = sorted(p.stem for p in (ROOT / "plans").rglob("*.yaml"))
LONG_ID = "a" + "-bcdefghij" * 6 + "-xy"  # 64 characters, the longest id there can be
LONG_NAME = "Maximiliane Alexandra Konstantinopoulou-Wittgenstein von Hohenzollern"
WIDE_NAME = "山田太郎 Ōtsuka-Łukasiewicz 김민준"
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def table_lines(out: str) -> list[str]:
    """The table: from the header to the first blank line."""
    lines = out.splitlines()
    return lines[:lines.index("")] if "" in lines else lines


def assert_fits(out: str, width: int) -> None:
    for line in table_lines(out):
        assert cell_len(line) <= width, f"{cell_len(line)} > {width}: {line!r}"
    for line in out.splitlines():
        if "left out" in line or "--wide" in line:
            assert cell_len(line) <= width, line


def assert_ids_whole(out: str, ids: list[str]) -> None:
    words = {w for line in table_lines(out) for w in line.split()}
    for pid in ids:
        assert pid in words, f"{pid} not whole in\n{out}"


def hostile_repo(tmp_path: Path) -> Path:
    long_ = (VALID_PLAN.replace("id: jane-okafor", f"id: {LONG_ID}")
             .replace("  name: Jane Okafor", f"  name: {LONG_NAME}")
             .replace('    crm_id: "V-248113"\n    npi: "1234567893"\n    orcid: 0000-0002-1825-0097\n'
                      "    email: j.okafor@example.org\n", '    crm_id: "V-2"\n'))
    wide = (VALID_PLAN.replace("id: jane-okafor", "id: yamada")
            .replace("  name: Jane Okafor", f"  name: {WIDE_NAME}")
            .replace('    crm_id: "V-248113"\n    npi: "1234567893"\n    orcid: 0000-0002-1825-0097\n'
                     "    email: j.okafor@example.org\n", '    crm_id: "V-3"\n'))
    return make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN, f"{LONG_ID}.yaml": long_,
                                      "yamada.yaml": wide})


@pytest.mark.parametrize("command", ["list", "owners"])
@pytest.mark.parametrize("width", [80, 100, 60, 200])
def test_sample_portfolio_fits(command: str, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    res = run(command, "--repo", str(ROOT), "--as-of", SAMPLE_AS_OF)
    assert res.code == 0, res.err
    assert_fits(res.out, width)
    assert_ids_whole(res.out, SAMPLE_IDS)
    lines = table_lines(res.out)
    assert lines[0].split()[:2] == ["KOL", "name"]
    assert [line.split()[0] for line in lines[2:]] == SAMPLE_IDS  # one line per KOL, nothing wrapped
    for line in lines[2:]:  # a date is whole or absent: never "2026-10" on one line and "-21" on the next
        assert not re.search(r"(^|\s)\d{4}-\d{2}(\s|$)", line), line
        assert not re.search(r"(^|\s)-\d{2}(\s|$)", line), line


def test_list_at_80_keeps_the_important_columns_and_says_what_it_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    res = run("list", "--repo", str(ROOT), "--as-of", SAMPLE_AS_OF)
    assert res.code == 0
    header = table_lines(res.out)[0]
    assert header.split()[:4] == ["KOL", "name", "tier", "lead"]
    assert "next activity" in header
    for tier in ("national", "regional", "global", "rising", "local"):
        assert re.search(rf"\s{tier}\s", res.out), tier  # a tier is never cut to "nationa"
    assert "Columns left out: objectives" in res.out
    assert "(--wide shows all)" in res.out
    assert res.out.rstrip().endswith(f"{len(SAMPLE_IDS)} KOLs")
    asa = next(line for line in res.out.splitlines() if " asa-lindqvist " in line)
    assert "2026-12-04 A4" in asa  # the next activity's date and id survive its shortening


@pytest.mark.parametrize("command", ["list", "owners"])
def test_wide_shows_every_column_at_full_width(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    res = run(command, "--repo", str(ROOT), "--as-of", SAMPLE_AS_OF, "--wide")
    assert res.code == 0, res.err
    headers = (["KOL", "name", "tier", "lead", "objectives", "last contact", "next activity", "diagnostics"]
               if command == "list" else ["KOL", "name", "lead", "departments", "conflicts"])
    head = table_lines(res.out)[0]
    assert [h for h in headers if h in head] == headers
    assert "…" not in "\n".join(table_lines(res.out))
    assert "left out" not in res.out
    assert_ids_whole(res.out, SAMPLE_IDS)
    if command == "list":
        assert "2026-12-04 A4 Concept review with the Nordic steering group" in res.out
    else:
        assert "clinical-development" in res.out


@pytest.mark.parametrize("command", ["list", "owners"])
def test_nothing_left_out_nothing_said(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    res = run(command, "--repo", str(ROOT), "--as-of", SAMPLE_AS_OF)
    assert res.code == 0
    assert "left out" not in res.out and "--wide" not in res.out
    assert "…" not in "\n".join(table_lines(res.out))


@pytest.mark.parametrize("command", ["list", "owners"])
@pytest.mark.parametrize("width", [80, 100, 200])
def test_hostile_values_fit(command: str, width: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    res = run(command, "--repo", str(hostile_repo(tmp_path)), "--as-of", AS_OF)
    assert res.code == 0, res.err
    assert res.err == ""  # no plan skipped: all three are in the table
    assert_fits(res.out, width)
    assert_ids_whole(res.out, [LONG_ID, "jane-okafor", "yamada"])
    for line in table_lines(res.out)[2:]:
        for found in DATE.findall(line):
            assert found.startswith("2026-"), line
        assert not re.search(r"(^|\s)\d{4}-\d{2}(\s|$)", line), line
    # one line per KOL: a long name is shortened (an ellipsis), never continued on the next line
    assert [line.split()[0] for line in table_lines(res.out)[2:]] == sorted([LONG_ID, "jane-okafor", "yamada"])
    yamada = next(line for line in res.out.splitlines() if " yamada " in line)
    assert "山田" in yamada


def test_hostile_values_at_60_keep_the_long_id_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Narrower than the id itself: the id is still printed whole (never broken), alone if need be."""
    monkeypatch.setenv("COLUMNS", "60")
    res = run("list", "--repo", str(hostile_repo(tmp_path)), "--as-of", AS_OF)
    assert res.code == 0
    assert_ids_whole(res.out, [LONG_ID, "jane-okafor", "yamada"])
    assert "Columns left out:" in res.out


def test_help_mentions_wide() -> None:
    for command in ("list", "owners"):
        res = run(command, "--help")
        assert res.code == 0
        assert "--wide" in res.out


@pytest.mark.parametrize("command", ["list", "owners"])
def test_in_colour_too(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal (colour): the same widths, the same whole ids."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    res = run(command, "--repo", str(ROOT), "--as-of", SAMPLE_AS_OF)
    assert res.code == 0
    assert "\x1b[" in res.out
    lines = [line.rstrip() for line in re.sub(r"\x1b\[[0-9;]*m", "", res.out).splitlines()]
    out = "\n".join(lines).lstrip("\n")  # rich starts with a blank line on a terminal
    assert out.startswith(" KOL ")
    assert_fits(out, 80)
    assert_ids_whole(out, SAMPLE_IDS)


def rich_lines(cols: list[Any], rows: list[list[str]], widths: list[int], shown: list[int]) -> list[str]:
    """What rich prints for the fitted table without colour: the reference plain_table_lines follows."""
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Column, Table
    from rich.text import Text

    from kolplan.cli.tables import EDGE, GAP
    from kolplan.formats.text import clean

    table = Table(*[Column(cols[i].header, width=widths[i], no_wrap=True,
                           overflow="ellipsis" if cols[i].shorten else "ignore") for i in shown],
                  box=box.SIMPLE_HEAD, safe_box=True, header_style="", pad_edge=False)
    for row in rows:
        table.add_row(*(Text(clean(row[i])) for i in shown))
    buffer = io.StringIO()
    width = sum(widths[i] for i in shown) + GAP * (len(shown) - 1) + EDGE
    Console(file=buffer, color_system=None, force_terminal=False, highlight=False, width=width).print(table)
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


@pytest.mark.parametrize("width", [40, 60, 80, 200])
def test_plain_tables_are_what_rich_prints(width: int) -> None:
    from kolplan.cli.tables import Col, fit_columns, plain_table_lines

    cols = [Col("KOL", 0), Col("name", 1, shorten=True, min_width=6), Col("lead", 3, shorten=True, keep_words=1),
            Col("note", 2, shorten=True, min_width=4), Col("n", 4)]
    rows = [["jane-okafor", "Jane Okafor", "a.chen (field-medical)", "", "3"],
            ["yuki-tanabe", "田中 由紀 (Tanaka Yuki)", "t.nakamura (field-medical)", "日本語のメモ、とても長い", "12"],
            ["x", "  leading and trailing  ", "r.patel", "a\tb\x1b[31mred", "0"],
            ["zoë-ñ", "Zoë Ñúñez-Öst, MD, PhD, FRCP", "c.jones (commercial)", "ends in a wide 字", ""]]
    for wide in (False, True):
        widths, dropped = fit_columns(cols, rows, width, wide)
        shown = [i for i in range(len(cols)) if i not in dropped]
        assert plain_table_lines(cols, rows, widths, shown) == rich_lines(cols, rows, widths, shown), (width, wide)
