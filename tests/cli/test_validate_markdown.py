"""``kolplan validate --format markdown`` (SPEC 6): for ``$GITHUB_STEP_SUMMARY`` and pull-request
comments. Exit codes as for every format; a whole document under ``-q``; under GitHub's limits on
a large portfolio. The document itself is tested in tests/formats/test_markdown.py."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from kolplan.formats.markdown import LIMIT
from tests.helpers import AS_OF, VALID_PLAN, make_repo, run
from tests.lint.test_runner import generated_corpus


def _table_rows(doc: str) -> int:
    return MarkdownIt("commonmark").enable("table").render(doc).count("<tr>") - 1


def test_clean_portfolio(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "markdown")
    assert res.code == 0 and res.err == ""
    assert res.out == "### kolplan validate: 0 errors, 0 warnings in 1 file\n"


def test_errors_exit_1_and_come_first(tmp_path: Path) -> None:
    bad = VALID_PLAN.replace("  tier: national", "  tier: superstar")
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN, "a/zed.yaml": bad.replace(
        "id: jane-okafor", "id: zed", 1)})
    text = run("validate", "--repo", str(root), "--as-of", "2026-12-01", "--format", "text", "--no-cache")
    res = run("validate", "--repo", str(root), "--as-of", "2026-12-01", "--format", "markdown", "--no-cache")
    assert res.code == 1 == text.code
    lines = res.out.splitlines()
    assert lines[0] == f"### kolplan validate: {text.out.splitlines()[-1]}"
    rows = [x for x in lines if x.startswith("| ") and not x.startswith("| Severity") and not x.startswith("| ---")]
    assert len(rows) == len(text.out.splitlines()) - 1 == _table_rows(res.out)
    severities = [r.split(" | ")[0][2:] for r in rows]
    assert severities[0] == "error" and severities == sorted(severities, key=["error", "warning", "info"].index)
    assert "| plans/a/zed.yaml:" in res.out


def test_quiet_leaves_the_document_whole(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN.replace("  tier: national", "  tier: x")})
    loud = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "markdown")
    quiet = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "markdown", "-q")
    assert loud.code == quiet.code == 1 and loud.out == quiet.out


def test_to_a_file_and_the_fast_path_agree(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN.replace("  tier: national", "  tier: x")})
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "-f", "markdown", "-o", str(tmp_path / "s.md"))
    typer_style = run("validate", "--repo", str(root), "--as-of", AS_OF, "-fmarkdown")
    assert res.code == typer_style.code == 1 and res.out == ""
    assert (tmp_path / "s.md").read_text() == typer_style.out


def test_help_and_unknown_format_name_it() -> None:
    assert "markdown" in run("validate", "--help").out
    res = run("validate", "--format", "md")
    assert res.code == 2 and "markdown" in res.err


def test_a_large_portfolio_fits_a_job_summary_and_a_comment(tmp_path: Path) -> None:
    root = generated_corpus(tmp_path / "big", 600)
    full = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json", "--no-cache")
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "markdown")
    total = len(full.json()["diagnostics"])
    assert res.code == full.code
    assert len(res.out) <= LIMIT and len(res.out.encode()) < 1024 * 1024
    shown = _table_rows(res.out)
    assert 100 < shown < total
    last = res.out.splitlines()[-1]
    assert last.startswith(f"… and {total - shown:,} more (")
    assert last.endswith("run `kolplan validate` to see them all.")
