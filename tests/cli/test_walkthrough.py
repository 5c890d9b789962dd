"""A Medical Affairs team's first afternoon, end to end (issue 15): ``init`` in a repository
that already has a ``.gitignore`` and a CI workflow, three KOLs with ``new``, an interaction
with ``log``, ``validate`` with no date findings on the day, and the review written outside
the repository with ``report -o``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run


@pytest.mark.parametrize("today", ["2026-12-02", "2026-03-31", "2026-10-15"])
@pytest.mark.parametrize("fiscal_start", [1, 4])
def test_first_afternoon(tmp_path: Path, today: str, fiscal_start: int) -> None:
    repo = tmp_path / "medical affairs"
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".gitignore").write_text("node_modules/\n")
    workflow = repo / ".github" / "workflows" / "ci.yml"
    workflow.write_text("name: CI\non: [push]\njobs: {}\n")

    res = run("init", str(repo))
    assert res.code == 0, res.err
    assert (repo / ".gitignore").read_text().splitlines()[0] == "node_modules/"
    assert {".kolplan/", "*.kolplan-tmp"} <= set((repo / ".gitignore").read_text().splitlines())
    assert workflow.read_text() == "name: CI\non: [push]\njobs: {}\n"
    config = repo / "kolplan.yaml"
    config.write_text(config.read_text().replace("fiscal_year_start: 1 ", f"fiscal_year_start: {fiscal_start} ", 1))
    assert run("init", str(repo)).code == 1  # kolplan.yaml exists now: the only refusal

    kols = [("jane-okafor", "Jane Okafor", "a.chen", "University Hospital Example"),
            ("hans-muller", "Prof. Hans Müller", "r.patel", "Charité"),
            ("amara-nwosu", "Amara Nwosu", "a.chen", "Lagos University Teaching Hospital")]
    for pid, name, lead, institution in kols:
        res = run("new", pid, "--name", name, "--lead", lead, "--institution", institution, "--repo", str(repo),
                  "--as-of", today)
        assert res.code == 0, res.err
    res = run("log", "jane-okafor", "--by", "a.chen", "--channel", "virtual", "--summary", "Intro call: MRD data",
              "--repo", str(repo), "--as-of", today)
    assert res.code == 0, res.err

    res = run("validate", "--repo", str(repo), "--as-of", today, "--format", "json")
    assert res.code == 0, res.out
    found = json.loads(res.out)["diagnostics"]
    assert not [d for d in found if d["code"].startswith("KP2") or d["code"] == "KP105"], found
    assert not [d for d in found if d["severity"] == "error"], found

    outside = tmp_path / "reviews" / "q.md"
    outside.parent.mkdir()
    res = run("report", "--repo", str(repo), "--as-of", today, "--no-git", "-o", str(outside))
    assert res.code == 0, res.err
    assert outside.read_text(encoding="utf-8").startswith("# KOL engagement review")
