"""The sample portfolio and the benchmark corpus: the plan rules report what their authors planted, and nothing else."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import diagnostics

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent / "shared" / "bench" / "make_corpus.py"
MINE = re.compile(r"KP[1245]\d\d")  # quality, timeliness, compliance, privacy


def test_sample_portfolio_reports_what_was_planted() -> None:
    found = {(d["path"], d["code"]) for d in diagnostics(ROOT, as_of="2026-11-20") if MINE.fullmatch(d["code"])}
    assert found == {
        ("plans/david-kim.yaml", "KP101"),
        ("plans/oncology/yuki-tanabe.yaml", "KP103"),
        ("plans/cardiology/michael-brandt.yaml", "KP107"),
        ("plans/oncology/priya-raman.yaml", "KP201"),
        ("plans/oncology/priya-raman.yaml", "KP206"),  # 18 h of a rising KOL's 12 in 2026-Q2
        ("plans/cardiology/claire-dubois.yaml", "KP106"),
        ("plans/giulia-ferri.yaml", "KP501"),
        # paid in 2026 in the EU without a recorded answer on individual disclosure (disclose aggregates them)
        ("plans/cardiology/claire-dubois.yaml", "KP406"),
        # giulia-ferri's only 2026 payment is a research collaboration: disclosed in the R&D total
        # whatever she answers, so no KP406 (disclose counts one KOL without consent, too)
    }


@pytest.mark.skipif(not BENCH.is_file(), reason="../shared/bench is not beside this checkout")
def test_bench_corpus_findings_are_the_planted_ones(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    subprocess.run([sys.executable, str(BENCH), str(corpus), "150"], check=True)
    by_file: dict[str, set[str]] = {}
    for d in diagnostics(corpus, as_of="2026-10-01"):
        if MINE.fullmatch(d["code"]):
            by_file.setdefault(d["path"], set()).add(d["code"])
    # The generator's flawed plans lose A2's link, O1's kol_value and the feedback response, log no
    # interaction after March, and (in the EEA/UK) have no privacy notice; the others are clean.
    flawed = set()
    for plan in (corpus / "plans").glob("*.yaml"):
        text = plan.read_text(encoding="utf-8")
        if "response:" not in text.split("\nfeedback:", 1)[1]:
            flawed.add(f"plans/{plan.name}")
    assert flawed and set(by_file) == flawed
    for path, found in by_file.items():
        assert {"KP101", "KP103", "KP107"} <= found <= {"KP101", "KP103", "KP107", "KP201", "KP501"}, path
    assert any("KP201" in f for f in by_file.values()) and any("KP501" in f for f in by_file.values())
