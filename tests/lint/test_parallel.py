"""Forked workers give the same answers as one process: diagnostics, and what a projection
(``kolplan report``'s per-plan figures) sends back in place of the plans."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from kolplan.lint.engine import ValidateOptions, validate
from kolplan.lint.portfolio import PARALLEL_MIN_FILES
from kolplan.repo.config import open_repo
from kolplan.schema import Plan
from kolplan.views.fiscal import quarter_of
from kolplan.views.report import PlanFigures, build_report, plan_figures

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent / "shared" / "bench" / "make_corpus.py"
AS_OF = dt.date(2026, 10, 1)
PLANS = PARALLEL_MIN_FILES + 40  # enough for the worker pool
FILES = PLANS + 1  # and a twin

pytestmark = pytest.mark.skipif(not BENCH.is_file(), reason="../shared/bench is not beside this checkout")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parallel") / "c"
    subprocess.run([sys.executable, str(BENCH), str(out), str(PLANS)], check=True, capture_output=True)
    # one plan that does not validate, so that a projection also meets a plan it is not given
    (out / "plans" / "kol-00003.yaml").write_text("schema: kolplan/v1\nid: kol-00003\nkol: [not, a, mapping]\n")
    # and one KOL with two plans (the corpus has one such pair per 500 plans), for the cross-plan rules
    twin = (out / "plans" / "kol-00001.yaml").read_text(encoding="utf-8").replace("id: kol-00001", "id: kol-twin", 1)
    (out / "plans" / "kol-twin.yaml").write_text(twin, encoding="utf-8")
    return out


def test_workers_report_what_one_process_reports(corpus: Path) -> None:
    repo = open_repo(corpus)
    one = validate(repo, ValidateOptions(as_of=AS_OF, jobs=1, use_cache=False))
    two = validate(repo, ValidateOptions(as_of=AS_OF, jobs=2, use_cache=False))
    assert one.files == two.files == FILES
    assert two.diagnostics == one.diagnostics
    assert {d.path for d in one.diagnostics if d.code == "KP302"} == {"plans/kol-00001.yaml", "plans/kol-twin.yaml"}
    assert any(d.path == "plans/kol-00003.yaml" and d.code == "KP010" for d in one.diagnostics)


def test_a_projection_comes_back_from_the_workers_instead_of_the_plans(corpus: Path) -> None:
    repo = open_repo(corpus)
    q = quarter_of(AS_OF, repo.config.fiscal_year_start)
    project = partial(plan_figures, repo.config, q, AS_OF)
    two = validate(repo, ValidateOptions(as_of=AS_OF, jobs=2, project=project))
    one = validate(repo, ValidateOptions(as_of=AS_OF, jobs=1, project=project))
    kept = validate(repo, ValidateOptions(as_of=AS_OF, jobs=1, project=lambda rel, plan: plan))
    plans: dict[str, Plan] = kept.parts  # type: ignore[assignment]
    valid = {f"plans/kol-{i:05d}.yaml" for i in range(PLANS)} - {"plans/kol-00003.yaml"} | {"plans/kol-twin.yaml"}
    assert set(two.parts) == set(plans) == valid
    assert all(isinstance(f, PlanFigures) for f in two.parts.values())
    here = {rel: project(rel, plan) for rel, plan in plans.items()}  # the projection, run in this process
    assert two.parts == one.parts == here
    assert two.diagnostics == kept.diagnostics
    # and the review built from them is the same as one built from the plans themselves
    from_workers = build_report(repo.config, two.parts, two.diagnostics, q, AS_OF)  # type: ignore[arg-type]
    from_plans = build_report(repo.config, here, kept.diagnostics, q, AS_OF)
    assert from_workers == from_plans
    assert from_workers.kpis.kols == len(valid) and from_workers.skipped == ["plans/kol-00003.yaml"]


def test_a_projection_bypasses_the_cache(corpus: Path) -> None:
    repo = open_repo(corpus)
    q = quarter_of(AS_OF, repo.config.fiscal_year_start)
    validate(repo, ValidateOptions(as_of=AS_OF, jobs=2))  # fills the cache
    warm = validate(repo, ValidateOptions(as_of=AS_OF, jobs=2, project=partial(plan_figures, repo.config, q, AS_OF)))
    assert len(warm.parts) == FILES - 1  # every plan was parsed again: cached results carry no figures
