"""Golden documents: the fixture portfolio's plan and report, and the sample docs in docs/.

Regenerate after an intended change to the templates, the figures or a rule's message:

    KOLPLAN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/views/test_golden.py

then review the diff (git diff tests/views/golden docs/sample-*.md) before committing.
Every document here is made with --no-git, so it depends on the files, --as-of and
--quarter only, never on HEAD.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.helpers import run
from tests.portfolio import AS_OF, QUARTER

GOLDEN = Path(__file__).parent / "golden"
PROJECT = Path(__file__).resolve().parents[2]
UPDATE = os.environ.get("KOLPLAN_UPDATE_GOLDEN", "") not in ("", "0")

# The sample documents (SPEC 2: the project's own repository is a sample portfolio).
SAMPLE_AS_OF = "2026-11-20"
SAMPLE_QUARTER = "2026-Q3"
SAMPLE_PLAN = "priya-raman"


def check(path: Path, text: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"{path} is missing: run KOLPLAN_UPDATE_GOLDEN=1 pytest {__file__}"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (f"{path.name} is stale: regenerate with KOLPLAN_UPDATE_GOLDEN=1 pytest "
                              f"tests/views/test_golden.py and review the diff")


def test_plan_golden(portfolio: Path) -> None:
    res = run("render", "tom-baker", "--repo", str(portfolio), "--as-of", AS_OF)
    assert res.code == 0, res.err
    check(GOLDEN / "plan-tom-baker.md", res.out)


def test_report_golden(portfolio: Path) -> None:
    res = run("report", "--repo", str(portfolio), "--as-of", AS_OF, "--quarter", QUARTER, "--no-git")
    assert res.code == 0, res.err
    check(GOLDEN / "report-2026-Q2.md", res.out)


def test_report_golden_for_one_department(portfolio: Path) -> None:
    res = run("report", "--repo", str(portfolio), "--as-of", AS_OF, "--quarter", QUARTER, "--no-git",
              "--department", "medical-affairs")
    assert res.code == 0, res.err
    check(GOLDEN / "report-2026-Q2-medical-affairs.md", res.out)


@pytest.mark.skipif(not (PROJECT / "kolplan.yaml").is_file(), reason="needs the project's sample portfolio")
def test_sample_plan_document_is_up_to_date() -> None:
    res = run("render", SAMPLE_PLAN, "--repo", str(PROJECT), "--as-of", SAMPLE_AS_OF)
    assert res.code == 0, res.err
    check(PROJECT / "docs" / "sample-plan.md", res.out)


@pytest.mark.skipif(not (PROJECT / "kolplan.yaml").is_file(), reason="needs the project's sample portfolio")
def test_sample_report_is_up_to_date() -> None:
    res = run("report", "--repo", str(PROJECT), "--as-of", SAMPLE_AS_OF, "--quarter", SAMPLE_QUARTER, "--no-git")
    assert res.code == 0, res.err
    assert res.err == ""  # the sample portfolio has no unreadable plan
    check(PROJECT / "docs" / "sample-report.md", res.out)


SINGULAR_SLIP = re.compile(r"(?<![0-9,.])1 (days|KOLs|insights|errors|warnings|plans|objectives|activities|payments|"
                           r"collisions|entries|findings)\b")


def test_documents_say_1_day_not_1_days() -> None:
    """Counts agree with their noun in every golden and sample document ("1 days" was a slip)."""
    docs = sorted(GOLDEN.glob("*.md")) + sorted((PROJECT / "docs").glob("sample-*.md"))
    assert docs
    for doc in docs:
        assert not SINGULAR_SLIP.search(doc.read_text(encoding="utf-8")), doc.name


def test_raw_markdown_has_no_html_entities() -> None:
    """The review reads as plain text in the raw Markdown too: no ``&amp;`` or ``&lt;``."""
    for doc in [*sorted(GOLDEN.glob("report-*.md")), PROJECT / "docs" / "sample-report.md"]:
        if doc.is_file():
            assert not re.search(r"&(amp|lt|gt|quot);", doc.read_text(encoding="utf-8")), doc.name
