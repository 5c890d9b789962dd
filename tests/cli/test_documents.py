"""``kolplan render`` and ``kolplan report`` end to end: exit codes, messages, files written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import CONFIG, VALID_PLAN, make_repo, run
from tests.portfolio import AS_OF, QUARTER


def report(root: Path, *args: str) -> tuple[int, str, str]:
    res = run("report", "--repo", str(root), "--as-of", AS_OF, "--no-git", *args)
    assert "Traceback" not in res.err
    return res.code, res.out, res.err


# -- render ----------------------------------------------------------------------------------
def test_render_prints_the_plan_document(portfolio: Path) -> None:
    res = run("render", "tom-baker", "--repo", str(portfolio), "--as-of", AS_OF)
    assert res.code == 0, res.err
    assert res.out.startswith("# Tom Baker, MD: KOL engagement plan\n")
    for heading in ("## Profile", "## Owners and departments", "## Objectives", "## Activities", "## Timeline",
                    "## Governance", "## Satisfaction", "## Interactions", "## Feedback and responses",
                    "## Open diagnostics"):
        assert f"\n{heading}\n" in res.out
    assert "| What is their Share of Scientific Voice? | 5% |" in res.out
    assert "| Raj Patel | lead | Medical Affairs |" in res.out  # names, not handles
    assert "| Carl Jones | contributor | Commercial |" in res.out
    assert "### O1: Launch the regional HF registry" in res.out
    assert "- A1 HF community evening: done, 2026-05-10, Carl Jones" in res.out
    assert "| A5 | 2026-07-15 | scientific-exchange | Payer evidence discussion | O1 | Maria Diaz (not an owner) |" \
        in res.out
    assert "| 2026-05-20 | Too many emails \\| please batch them | **not acted on yet** |" in res.out
    assert "| 68 | warning | KP202 activity-overdue |" in res.out
    assert "| 2026-06-10 | 8 | +2 | interview |" in res.out


def test_render_unknown_id_is_exit_2_with_a_suggestion(portfolio: Path) -> None:
    res = run("render", "tom-bakr", "--repo", str(portfolio))
    assert res.code == 2
    assert "no plan with id 'tom-bakr'" in res.err and "did you mean 'tom-baker'?" in res.err


@pytest.mark.parametrize("bad", ["../../etc/passwd", "Tom", "plans/tom-baker.yaml", ""])
def test_render_bad_id_is_exit_2(portfolio: Path, bad: str) -> None:
    res = run("render", bad, "--repo", str(portfolio))
    assert res.code == 2
    assert "is not a plan id" in res.err
    assert "Traceback" not in res.err


def test_render_of_a_broken_plan_prints_its_diagnostics_and_exits_1(portfolio: Path) -> None:
    res = run("render", "broken", "--repo", str(portfolio), "--as-of", AS_OF)
    assert res.code == 1
    assert res.out == ""
    assert "plans/broken.yaml:3:1: error KP010 schema: kol is missing the required key 'tier'" in res.err
    assert "cannot be rendered" in res.err


def test_render_of_a_plan_with_a_kp0xx_error_after_parsing_exits_1(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"other-name.yaml": VALID_PLAN})  # KP011 id-mismatch
    res = run("render", "other-name", "--repo", str(root), "--as-of", AS_OF)
    assert res.code == 1
    assert "KP011" in res.err


def test_render_output_file_is_written_inside_the_repository(portfolio: Path) -> None:
    target = portfolio / "docs" / "tom.md"
    target.parent.mkdir()
    res = run("render", "tom-baker", "--repo", str(portfolio), "--as-of", AS_OF, "-o", str(target))
    assert res.code == 0, res.err
    assert res.out == ""
    assert target.read_text(encoding="utf-8").startswith("# Tom Baker, MD")


def test_render_output_outside_the_repository_is_written(portfolio: Path, tmp_path: Path) -> None:
    """SPEC 5.1 (v1.2): -o writes where the user says, inside or outside the repository."""
    outside = tmp_path / "elsewhere.md"
    res = run("render", "tom-baker", "--repo", str(portfolio), "--as-of", AS_OF, "-o", str(outside))
    assert res.code == 0, res.err
    assert outside.read_text(encoding="utf-8").startswith("# Tom Baker, MD")


# -- report ----------------------------------------------------------------------------------
def test_report_skips_broken_plans_names_them_and_exits_0(portfolio: Path) -> None:
    code, out, err = report(portfolio, "--quarter", QUARTER)
    assert code == 0
    assert "kolplan: skipped plans/broken.yaml: 1 reading or schema error (KP010)" in err
    assert "**1 plan could not be read and is not in the figures**" in out
    section = out.split("\n### Open diagnostics\n", 1)[1]
    assert "Not in the figures, because it could not be read or does not follow the schema: plans/broken.yaml." \
        in section
    assert "| KP010 schema | error | 1 | 1 |" in section
    assert "| plans/broken.yaml | plans/broken.yaml:3 | KP010 schema | Fix the plan file" in section


def test_report_states_quarter_fiscal_year_and_as_of(portfolio: Path) -> None:
    code, out, _ = report(portfolio, "--quarter", QUARTER)
    assert code == 0
    assert out.startswith("# KOL engagement review 2026-Q2: Test Bio\n")
    assert "2026-Q2 is quarter 2 of fiscal year 2026: 2026-04-01 to 2026-06-30" in out
    assert "As of 2026-06-15 (the quarter is not over: its figures are so far)." in out
    assert "Git: not consulted (`--no-git`)" in out


def test_report_default_quarter_contains_as_of(portfolio: Path) -> None:
    code, out, _ = report(portfolio)
    assert code == 0
    assert out.startswith("# KOL engagement review 2026-Q2:")


def test_report_default_quarter_with_an_april_fiscal_year(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN},
                     CONFIG.replace("fiscal_year_start: 1", "fiscal_year_start: 4"))
    code, out, _ = report(root)
    assert code == 0
    assert "2027-Q1 is quarter 1 of fiscal year 2027: 2026-04-01 to 2026-06-30" in out
    assert "(fiscal year 2027: 2026-04-01 to 2027-03-31)" in out


@pytest.mark.parametrize("bad", ["2026-Q5", "Q3", "2026-3", "next"])
def test_report_bad_quarter_is_exit_2(portfolio: Path, bad: str) -> None:
    code, out, err = report(portfolio, "--quarter", bad)
    assert code == 2
    assert out == ""
    assert f"--quarter '{bad}' is not a quarter: write it as YYYY-Qn" in err


def test_report_unknown_department_is_exit_2(portfolio: Path) -> None:
    code, _, err = report(portfolio, "--department", "sales")
    assert code == 2
    assert "--department sales: not a department in kolplan.yaml" in err
    assert "medical-affairs" in err


def test_report_department_limits_the_kols(portfolio: Path) -> None:
    code, out, _ = report(portfolio, "--quarter", QUARTER, "--department", "commercial")
    assert code == 0
    assert out.startswith("# KOL engagement review 2026-Q2: Test Bio, Commercial\n")
    assert "Limited to the 1 KOL whose owners include Commercial." in out
    assert "### Tom Baker, MD" in out
    assert "Jane Okafor" not in out and "Li Wei" not in out


def test_report_to_a_file(portfolio: Path) -> None:
    (portfolio / "reviews").mkdir()
    code, out, err = report(portfolio, "--quarter", QUARTER, "-o", str(portfolio / "reviews" / "q2.md"))
    assert code == 0
    assert out == ""
    assert "wrote" in err
    text = (portfolio / "reviews" / "q2.md").read_text(encoding="utf-8")
    assert text.startswith("# KOL engagement review 2026-Q2")


def test_report_to_a_file_outside_the_repository_is_written(portfolio: Path, tmp_path: Path) -> None:
    code, out, err = report(portfolio, "--quarter", QUARTER, "-o", str(tmp_path / "out.md"))
    assert code == 0, err
    assert out == ""
    assert (tmp_path / "out.md").read_text(encoding="utf-8").startswith("# KOL engagement review 2026-Q2")


def test_report_on_an_empty_portfolio(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "empty")
    code, out, _ = report(root)
    assert code == 0
    assert "No plans yet: `kolplan new` writes the first one." in out
    assert "| Department |" not in out and "— of" not in out  # no empty table, no dash of a count
    assert "No KOL needs action, and no global-tier KOL was active in 2026-Q2." in out
    assert "None: every plan passes `kolplan validate`" in out


def test_report_quarter_with_no_activity(portfolio: Path) -> None:
    code, out, _ = report(portfolio, "--quarter", "2025-Q2")
    assert code == 0
    assert "no objective due this quarter; 1 at risk now; 0 of 0 activities done" in out
    assert "\npie showData\n" not in out


def test_report_needs_a_repository(tmp_path: Path) -> None:
    res = run("report", "--repo", str(tmp_path))
    assert res.code == 2
    assert "kolplan init" in res.err
