"""Forked workers give the same answers as one process: diagnostics, and what a projection
(``kolplan report``'s per-plan figures) sends back in place of the plans.

The portfolio is written by the test itself (tests/helpers.py's plan, varied), big enough for the
worker pool; a spy on ``fork_map`` proves that the pool ran, in other processes. Where
../shared/bench is beside the checkout, the benchmark's corpus is checked the same way as well."""

from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pytest

import kolplan.lint.workers
from kolplan.lint.engine import ValidateOptions, validate, validate_and_project
from kolplan.lint.runner import CHUNK, PARALLEL_MIN_FILES
from kolplan.repo.root import open_repo
from kolplan.schema import Plan
from kolplan.views.figures import PlanFigures, plan_figures
from kolplan.views.fiscal import quarter_of
from kolplan.views.kol import KolFacts, kol_facts
from kolplan.views.report import build_report
from tests.helpers import VALID_PLAN, make_repo

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent / "shared" / "bench" / "make_corpus.py"
AS_OF = dt.date(2026, 10, 1)
PLANS = PARALLEL_MIN_FILES + 40  # enough for the worker pool
FILES = PLANS + 1  # and a twin
# The generated plans with a KP012 (a reading error: no figures in a review, which names them as skipped).
UNKNOWN_PERSON = {f"plans/kol-{i:05d}.yaml" for i in range(0, PLANS, 4)}

# The worker pool forks (kolplan.lint.runner._can_fork): elsewhere kolplan checks in one process.
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="kolplan forks its workers on Linux only")

_IDENTIFIERS = ('    crm_id: "V-248113"\n    npi: "1234567893"\n    orcid: 0000-0002-1825-0097\n'
                "    email: j.okafor@example.org\n")
_SURNAMES = ["Okafor", "Müller", "Núñez", "Tanaka", "O'Brien", "Berg", "Rossi", "Haddad", "Đorđević", "Silva"]


def generated_plan(i: int) -> str:
    """Plan ``kol-NNNNN``: its own KOL and identifiers; a few of them broken in ways the rules see."""
    text = (VALID_PLAN.replace("id: jane-okafor", f"id: kol-{i:05d}", 1)
            .replace("  name: Jane Okafor", f"  name: {chr(65 + i % 26)}{chr(97 + i // 26 % 26)} {_SURNAMES[i % 10]}")
            .replace("  institution: University Hospital Example", f"  institution: Hospital {i}")
            .replace(_IDENTIFIERS, f'    crm_id: "V-{i}"\n    email: kol{i}@example.org\n'))
    if i % 3 == 0:  # KP101: an activity linked to no objective
        text = text.replace("      objectives: [O1]\n      owner: a.chen", "      owner: a.chen")
    if i % 4 == 0:  # KP012: a stakeholder who is not in people (UNKNOWN_PERSON)
        text = text.replace("stakeholders: [a.chen, r.patel]", "stakeholders: [a.chen, r.ptel]")
    if i % 5 == 0:  # KP305: an interaction by someone outside the plan's owners
        text = text.replace("    by: a.chen", "    by: m.diaz")
    if i % 7 == 0:  # the review is up to date; the others' is overdue (KP204)
        text = text.replace("next_review: 2026-07-01", "next_review: 2026-12-01")
    return text


def generated_corpus(out: Path, plans: int) -> Path:
    return make_repo(out, {f"kol-{i:05d}.yaml": generated_plan(i) for i in range(plans)})


def bench_corpus(out: Path, plans: int) -> Path:
    subprocess.run([sys.executable, str(BENCH), str(out), str(plans)], check=True, capture_output=True)
    return out


def _with_a_broken_plan_and_a_twin(out: Path) -> Path:
    # one plan that does not validate, so that a projection also meets a plan it is not given
    (out / "plans" / "kol-00003.yaml").write_text("schema: kolplan/v1\nid: kol-00003\nkol: [not, a, mapping]\n")
    # and one KOL with two plans, for the cross-plan rules
    twin = (out / "plans" / "kol-00001.yaml").read_text(encoding="utf-8").replace("id: kol-00001", "id: kol-twin", 1)
    (out / "plans" / "kol-twin.yaml").write_text(twin, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _with_a_broken_plan_and_a_twin(generated_corpus(tmp_path_factory.mktemp("parallel") / "c", PLANS))


@dataclass
class PoolSpy:
    """What ``fork_map`` was asked to do, and the processes that did it."""

    calls: list[tuple[int, int]] = field(default_factory=list)  # (tasks, jobs)
    pids: set[int] = field(default_factory=set)


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> PoolSpy:
    """A spy on the worker pool: each chunk's result comes back with the pid of the process that made it."""
    spy = PoolSpy()
    real = kolplan.lint.workers.fork_map

    def fork_map(fn: Callable[[Any], Any], tasks: Any, jobs: int, initializer: Any = None) -> Iterator[Any]:
        spy.calls.append((len(tasks), jobs))

        def tagged(task: Any) -> tuple[int, Any]:
            return os.getpid(), fn(task)

        for pid, result in real(tagged, tasks, jobs, initializer):
            spy.pids.add(pid)
            yield result

    # portfolio._map imports fork_map from kolplan.lint.workers when it needs it
    monkeypatch.setattr(kolplan.lint.workers, "fork_map", fork_map)
    return spy


def assert_one_and_two_jobs_agree(repo_root: Path, pool: PoolSpy) -> list[Any]:
    repo = open_repo(repo_root)
    one = validate(repo, ValidateOptions(as_of=AS_OF, jobs=1, use_cache=False))
    assert pool.calls == []  # one job: no pool
    two = validate(repo, ValidateOptions(as_of=AS_OF, jobs=2, use_cache=False))
    assert pool.calls == [(math.ceil(FILES / CHUNK), 2)]  # every file went to the pool, in chunks
    assert pool.pids and os.getpid() not in pool.pids  # and was checked in another process
    assert one.files == two.files == FILES
    assert two.diagnostics == one.diagnostics
    assert {d.path for d in one.diagnostics if d.code == "KP302"} == {"plans/kol-00001.yaml", "plans/kol-twin.yaml"}
    assert any(d.path == "plans/kol-00003.yaml" and d.code == "KP010" for d in one.diagnostics)
    return one.diagnostics


def test_workers_report_what_one_process_reports(corpus: Path, pool: PoolSpy) -> None:
    diags = assert_one_and_two_jobs_agree(corpus, pool)
    # the generated plans' planted findings are all there, so the comparison compares something
    assert {"KP012", "KP101", "KP204", "KP302", "KP305"} <= {d.code for d in diags}
    assert {d.path for d in diags if d.code == "KP012"} == UNKNOWN_PERSON


def test_workers_report_what_one_process_reports_on_the_bench_corpus(tmp_path: Path, pool: PoolSpy) -> None:
    """The benchmark's plans are longer, commented, non-ASCII, with findings of their own making."""
    if not BENCH.is_file():
        pytest.skip("../shared/bench is not beside this checkout (the generated corpus covers the workers)")
    assert_one_and_two_jobs_agree(_with_a_broken_plan_and_a_twin(bench_corpus(tmp_path / "c", PLANS)), pool)


def test_the_pool_starts_at_parallel_min_files(tmp_path: Path, pool: PoolSpy) -> None:
    root = generated_corpus(tmp_path / "c", PARALLEL_MIN_FILES)
    at_min = validate(open_repo(root), ValidateOptions(as_of=AS_OF, jobs=2, use_cache=False))
    assert pool.calls == [(math.ceil(PARALLEL_MIN_FILES / CHUNK), 2)]
    (root / "plans" / "kol-00000.yaml").unlink()
    below = validate(open_repo(root), ValidateOptions(as_of=AS_OF, jobs=2, use_cache=False))
    assert pool.calls == [(math.ceil(PARALLEL_MIN_FILES / CHUNK), 2)]  # not called again
    assert below.diagnostics == [d for d in at_min.diagnostics if d.path != "plans/kol-00000.yaml"]


def test_a_projection_comes_back_from_the_workers_instead_of_the_plans(corpus: Path, pool: PoolSpy) -> None:
    repo = open_repo(corpus)
    q = quarter_of(AS_OF, repo.config.fiscal_year_start)
    project = partial(plan_figures, repo.config, q, AS_OF)
    two, two_parts = validate_and_project(repo, ValidateOptions(as_of=AS_OF, jobs=2), project)
    assert len(pool.calls) == 1 and os.getpid() not in pool.pids  # the figures were made in the workers
    _, one_parts = validate_and_project(repo, ValidateOptions(as_of=AS_OF, jobs=1), project)
    kept, kept_parts = validate_and_project(repo, ValidateOptions(as_of=AS_OF, jobs=1), lambda rel, plan: plan)
    plans: dict[str, Plan] = kept_parts  # type: ignore[assignment]
    valid = {f"plans/kol-{i:05d}.yaml" for i in range(PLANS)} - {"plans/kol-00003.yaml"} | {"plans/kol-twin.yaml"}
    assert set(two_parts) == set(plans) == valid
    assert all(isinstance(f, PlanFigures) for f in two_parts.values())
    here = {rel: project(rel, plan) for rel, plan in plans.items()}  # the projection, run in this process
    assert two_parts == one_parts == here
    assert two.diagnostics == kept.diagnostics
    # and the review built from them is the same as one built from the plans themselves
    def detail(rel: str) -> KolFacts:  # the sections' KOLs, read again as `kolplan report` does
        return kol_facts(repo.config, rel, plans[rel], q, AS_OF)

    from_workers = build_report(repo.config, two_parts, two.diagnostics, q, AS_OF, detail)  # type: ignore[arg-type]
    from_plans = build_report(repo.config, here, kept.diagnostics, q, AS_OF, detail)
    assert from_workers == from_plans
    assert from_workers.kols == len(valid - UNKNOWN_PERSON)
    assert from_workers.skipped == sorted({"plans/kol-00003.yaml"} | UNKNOWN_PERSON)


def test_a_projection_bypasses_the_cache(corpus: Path, pool: PoolSpy) -> None:
    repo = open_repo(corpus)
    q = quarter_of(AS_OF, repo.config.fiscal_year_start)
    validate(repo, ValidateOptions(as_of=AS_OF, jobs=2))  # fills the cache
    _, warm = validate_and_project(repo, ValidateOptions(as_of=AS_OF, jobs=2),
                                   partial(plan_figures, repo.config, q, AS_OF))
    assert len(warm) == FILES - 1  # every plan was parsed again: cached results carry no figures
    assert [jobs for _, jobs in pool.calls] == [2, 2]  # both runs in the workers
