"""The repository's own sample portfolio and the benchmark corpus validate with no errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench" / "make_corpus.py"


def test_sample_portfolio_has_no_errors() -> None:
    res = run("validate", "--repo", str(ROOT), "--as-of", "2026-11-20", "--format", "json", "--no-cache")
    assert res.code == 0, res.out
    doc = res.json()
    assert doc["files"] >= 12
    assert doc["summary"]["error"] == 0


def test_sample_portfolio_is_rich_enough() -> None:
    from kolplan.repo.root import open_repo

    repo = open_repo(ROOT)
    assert len(repo.config.departments) >= 3
    leads = set()
    for path in (ROOT / "plans").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.strip().startswith("- person:"):
                leads.add(line.split(":", 1)[1].strip())
    departments = {repo.config.people[h].department for h in leads if h in repo.config.people}
    assert len(departments) >= 3


@pytest.mark.skipif(not BENCH.is_file(), reason="../shared/bench is not beside this checkout")
def test_bench_corpus_has_no_reading_or_schema_diagnostics(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(BENCH), str(tmp_path / "c"), "120"], check=True)
    res = run("validate", "--repo", str(tmp_path / "c"), "--as-of", "2026-10-01", "--format", "json", "--no-cache")
    assert res.code == 0, res.err  # the corpus's findings are warnings
    bad = [d for d in res.json()["diagnostics"] if d["code"].startswith("KP0")]
    assert bad == []


def test_builtin_templates_are_found() -> None:
    from kolplan.resources import builtin_templates_dir

    folder = builtin_templates_dir()
    assert folder.is_dir()
    assert (folder / "README.md").is_file()
