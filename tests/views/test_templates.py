"""User templates: overrides by name, the sandbox, StrictUndefined, and escaping of plan text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import VALID_PLAN, make_repo, run
from tests.portfolio import AS_OF


def with_template(root: Path, name: str, text: str) -> Path:
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / name).write_text(text, encoding="utf-8")
    return root


def test_a_repository_template_overrides_the_built_in_one(portfolio: Path) -> None:
    with_template(portfolio, "report.md.j2", "Review {{ report.quarter.label }}: {{ report.kols }} KOLs\n")
    res = run("report", "--repo", str(portfolio), "--as-of", AS_OF, "--no-git")
    assert res.code == 0, res.err
    assert res.out == "Review 2026-Q2: 4 KOLs\n"


def test_template_option_picks_another_file(portfolio: Path) -> None:
    with_template(portfolio, "short.md.j2", "{{ doc.kol.name|md }} ({{ doc.kol.tier }})\n")
    res = run("render", "tom-baker", "--repo", str(portfolio), "--template", "short.md.j2")
    assert res.code == 0, res.err
    assert res.out == "Tom Baker (regional)\n"


@pytest.mark.parametrize("name", ["../kolplan.yaml", "/etc/passwd", "templates/report.md.j2", "..", ".hidden"])
def test_template_option_refuses_paths(portfolio: Path, name: str) -> None:
    res = run("report", "--repo", str(portfolio), "--template", name, "--no-git")
    assert res.code == 2
    assert "give a file name from templates/, not a path" in res.err


def test_unknown_template_lists_the_available_ones(portfolio: Path) -> None:
    res = run("report", "--repo", str(portfolio), "--template", "nope.md.j2", "--no-git")
    assert res.code == 2
    assert "template 'nope.md.j2' not found" in res.err
    assert "plan.md.j2" in res.err and "report.md.j2" in res.err


def test_undefined_variable_names_the_template_and_line(portfolio: Path) -> None:
    with_template(portfolio, "report.md.j2", "# Review\n\n{{ report.kols }} KOLs\n{{ report.no_such_field }}\n")
    res = run("report", "--repo", str(portfolio), "--as-of", AS_OF, "--no-git")
    assert res.code == 2
    assert res.out == ""
    lines = res.err.strip().splitlines()
    assert lines[-1].startswith("kolplan: error: template report.md.j2, line 4: ")
    assert "no_such_field" in lines[-1]
    assert "Traceback" not in res.err


def test_undefined_top_level_variable(portfolio: Path) -> None:
    with_template(portfolio, "plan.md.j2", "line one\n{{ nothing_here }}\n")
    res = run("render", "tom-baker", "--repo", str(portfolio))
    assert res.code == 2
    assert "template plan.md.j2, line 2: 'nothing_here' is undefined" in res.err


def test_template_syntax_error(portfolio: Path) -> None:
    with_template(portfolio, "report.md.j2", "ok\n{% for x in %}\n")
    res = run("report", "--repo", str(portfolio), "--no-git")
    assert res.code == 2
    assert "template report.md.j2, line 2:" in res.err


@pytest.mark.parametrize("body", [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ report.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ report.kpis.__class__ }}",
])
def test_sandbox_refuses_internals(portfolio: Path, body: str) -> None:
    with_template(portfolio, "evil.md.j2", f"first line\n{body}\n")
    res = run("report", "--repo", str(portfolio), "--template", "evil.md.j2", "--no-git")
    assert res.code == 2
    assert res.out == ""
    assert "Traceback" not in res.err
    assert "template evil.md.j2, line 2:" in res.err
    assert len(res.err.strip().splitlines()) == 1 or "skipped" in res.err


def test_a_runtime_error_in_a_template_is_exit_2(portfolio: Path) -> None:
    with_template(portfolio, "report.md.j2", "{{ 1 // 0 }}\n")
    res = run("report", "--repo", str(portfolio), "--no-git")
    assert res.code == 2
    assert "template report.md.j2, line 1:" in res.err


HOSTILE = (
    VALID_PLAN.replace("name: Jane Okafor", 'name: "Jane | <script>alert(1)</script>"')
    .replace("summary: Slides too promotional.", 'summary: "Slides | too\\npromotional <b>bold</b> & more"')
    .replace("title: EU haematology advisory board", 'title: "# EU board: Q3; #1"')
    .replace("desires: [visibility at ASH]", 'desires: ["visibility | ASH\\nand EHA"]')
)


RAW_TAG = re.compile(r"(?<!\\)<(?:script|/script|b|/b)>")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "h", {"jane-okafor.yaml": HOSTILE})


def test_plan_text_cannot_break_the_plan_document(hostile: Path) -> None:
    res = run("render", "jane-okafor", "--repo", str(hostile), "--as-of", AS_OF)
    assert res.code == 0, res.err
    out = res.out
    assert not RAW_TAG.search(out)  # every tag from the plan is backslash-escaped: text, not HTML
    assert out.startswith("# Jane \\| \\<script>alert(1)\\</script>, MD, PhD: KOL engagement plan\n")
    assert "| What do they desire? | visibility \\| ASH<br>and EHA |" in out
    assert "| 2026-03-02 | Slides \\| too<br>promotional \\<b>bold\\</b> & more |" in out
    assert "| A1 | 2026-04-15 | advisory-board | \\# EU board: Q3; #1 |" in out
    assert_tables_keep_their_columns(out)


def test_plan_text_cannot_break_the_report(hostile: Path) -> None:
    res = run("report", "--repo", str(hostile), "--as-of", AS_OF, "--no-git", "--quarter", "2026-Q1")
    assert res.code == 0, res.err
    assert not RAW_TAG.search(res.out)
    assert "| Jane \\| \\<script>alert(1)\\</script> | national |" in res.out  # the appendix row
    assert_tables_keep_their_columns(res.out)


def assert_tables_keep_their_columns(text: str) -> None:
    """Every row of every table has as many unescaped ``|`` as its header."""
    import re

    unescaped = re.compile(r"(?<!\\)(?:\\\\)*\|")
    in_code = False
    header: int | None = None
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code or not line.startswith("|"):
            header = None
            continue
        n = len(unescaped.findall(line))
        if header is None:
            header = n
        assert n == header, line


@pytest.mark.parametrize(("as_of", "words"), [("2026-06-02", "(1 day before 2026-06-02)"),
                                              ("2026-06-03", "(2 days before 2026-06-03)"),
                                              ("2026-06-01", "(0 days before 2026-06-01)")])
def test_plan_document_says_1_day_not_1_days(tmp_path: Path, as_of: str, words: str) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})  # last contact: 2026-06-01
    res = run("render", "jane-okafor", "--repo", str(root), "--as-of", as_of)
    assert res.code == 0, res.err
    assert f"- Last contact: 2026-06-01 {words}; check-in cadence: monthly." in res.out
