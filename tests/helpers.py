"""Small builders shared by the tests: repositories from dicts, the CLI end to end."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AS_OF = "2026-06-15"

CONFIG = """\
schema: kolplan/v1
organization: Test Bio
fiscal_year_start: 1
departments:
  medical-affairs: {name: Medical Affairs, function: medical}
  field-medical: {name: Field Medical, function: medical}
  commercial: {name: Commercial, function: commercial}
  market-access: {name: Market Access, function: other}
people:
  a.chen: {name: Alice Chen, department: field-medical, email: a.chen@example.com}
  r.patel: {name: Raj Patel, department: medical-affairs}
  c.jones: {name: Carl Jones, department: commercial}
  m.diaz: {name: Maria Diaz, department: market-access}
"""

# A plan that no rule objects to as of AS_OF. Line numbers matter to the tests.
VALID_PLAN = """\
schema: kolplan/v1
id: jane-okafor
kol:
  name: Jane Okafor
  credentials: MD, PhD
  institution: University Hospital Example
  country: US
  identifiers:
    crm_id: "V-248113"
    npi: "1234567893"
    orcid: 0000-0002-1825-0097
    email: j.okafor@example.org
  tier: national
  therapeutic_areas: [oncology, haematology]
  preferred_channels: [in-person, virtual]
  scientific_interests: [CAR-T durability, MRD]
  professional_objectives: [lead a phase III trial]
  relationships:
    - organization: Test Bio
      kind: advisory-board
      since: 2024-03-01
  share_of_scientific_voice: 0.18
  desires: [visibility at ASH]
  relationship_expectations: [early data access]
owners:
  - person: a.chen
    role: lead
  - person: r.patel
    role: contributor
plan:
  period: {start: 2026-01-01, end: 2026-12-31}
  co_developed_with_kol: true
  purpose: Build a two-way scientific partnership in MRD-guided therapy.
  cadence: monthly
  objectives:
    - id: O1
      statement: Co-author a review on MRD endpoints
      kol_value: senior authorship at a high-impact journal
      org_value: evidence summary for the medical plan
      metric: manuscript submitted
      target: 1
      due: 2026-09-30
      status: on-track
  activities:
    - id: A1
      type: advisory-board
      title: EU haematology advisory board
      objectives: [O1]
      owner: r.patel
      date: 2026-04-15
      status: done
      hours: 4
      compensation: 1600
    - id: A2
      type: publication
      title: MRD endpoints review
      objectives: [O1]
      owner: a.chen
      date: 2026-09-01
      status: planned
  governance:
    review_cadence: quarterly
    next_review: 2026-07-01
    stakeholders: [a.chen, r.patel]
  satisfaction:
    - date: 2026-03-30
      score: 9
      source: survey
interactions:
  - date: 2026-06-01
    by: a.chen
    channel: in-person
    summary: Discussed MRD assay variability.
    insights: [wants data on older patients]
feedback:
  - date: 2026-03-02
    summary: Slides too promotional.
    response: Revised deck with balanced safety data.
custom: {}
"""


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line number of the nth line containing ``needle``."""
    count = 0
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            count += 1
            if count == nth:
                return i
    raise AssertionError(f"{needle!r} not found")


def col_of(text: str, needle: str, nth: int = 1) -> int:
    line = text.splitlines()[line_of(text, needle, nth) - 1]
    return line.index(needle) + 1


# The smallest plan the editing commands (log, score, feedback) accept: the lists they append
# to are absent, so a test adds them in the layout it is about.
MINIMAL_PLAN = """\
schema: kolplan/v1
id: jane-okafor
kol:
  name: Jane Okafor
  tier: national
owners:
  - person: a.chen
    role: lead
plan:
  period: {start: 2026-01-01, end: 2026-12-31}
"""


def plan_file(tmp_path: Path, content: bytes | str) -> Path:
    """A repository under ``tmp_path`` whose one plan, ``plans/jane-okafor.yaml``, is ``content``; its path."""
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": content})
    return root / "plans" / "jane-okafor.yaml"


def run_on_plan(command: str, root: Path, *args: str, plan: str = "jane-okafor",
                as_of: str = AS_OF) -> tuple[int, str, str]:
    """``kolplan COMMAND PLAN ARGS --as-of --repo`` (log, score, feedback): exit code, stdout, stderr."""
    res = run(command, plan, *args, "--as-of", as_of, "--repo", str(root))
    assert "Traceback" not in res.err
    return res.code, res.out, res.err


def data_of(plan: Path | bytes) -> dict[str, Any]:
    """A plan file's data (from its path, or its bytes); it must read cleanly."""
    from kolplan.yamlio.document import Document
    from kolplan.yamlio.reader import read_bytes

    doc = read_bytes(plan if isinstance(plan, bytes) else plan.read_bytes())
    assert isinstance(doc, Document) and not doc.problems
    assert isinstance(doc.data, dict)
    return doc.data


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, less kolplan's git-ignored cache (a command that reads the
    portfolio may leave it warmer than it found it): what "the repository is unchanged" means."""
    return {rel: p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not (rel := p.relative_to(root).as_posix()).startswith(".kolplan/")}


def write_file(path: Path, content: str | bytes) -> Path:
    """``content`` (text as UTF-8) at ``path``, its folders made as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def make_repo(root: Path, plans: dict[str, str | bytes] | None = None, config: str = CONFIG) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "kolplan.yaml").write_text(config, encoding="utf-8")
    (root / "plans").mkdir(exist_ok=True)
    for rel, content in (plans or {}).items():
        write_file(root / "plans" / rel, content)
    return root


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run(*args: str, env: dict[str, str] | None = None, monkeypatch: Any = None) -> Result:
    """Run ``kolplan ARGS`` in-process through the real entry point; capture exit code and output."""
    from kolplan.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Result(code, out.getvalue(), err.getvalue())


def diagnostics(root: Path, *paths: str, as_of: str = AS_OF, extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """``kolplan validate --format json`` on ``root``; the diagnostics list."""
    res = run("validate", "--repo", str(root), "--as-of", as_of, "--format", "json", "--no-cache",
              *extra, *paths)
    assert res.code in (0, 1), (res.code, res.out, res.err)
    assert "Traceback" not in res.err
    diags: list[dict[str, Any]] = res.json()["diagnostics"]
    for d in diags:
        assert_inside_file(root, d)
    return diags


def assert_inside_file(root: Path, d: dict[str, Any]) -> None:
    """No diagnostic ever points past the end of its file."""
    path = root / d["path"]
    assert d["line"] >= 1 and d["column"] >= 1, d
    if not path.is_file():
        assert (d["line"], d["column"]) == (1, 1), d
        return
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines() or [""]
    assert d["line"] <= len(lines), d
    assert d["column"] <= len(lines[d["line"] - 1]) + 1, d


def codes(diags: list[dict[str, Any]]) -> list[str]:
    return [d["code"] for d in diags]


def today() -> dt.date:
    return dt.date.fromisoformat(AS_OF)


__all__ = ["AS_OF", "CONFIG", "VALID_PLAN", "Result", "codes", "col_of", "diagnostics", "line_of", "make_repo",
           "run", "sys"]
