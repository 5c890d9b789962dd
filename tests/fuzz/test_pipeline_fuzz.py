"""Fuzzing the whole per-file pipeline and the CLI: no exception escapes, and every
diagnostic's line and column lie inside its file (SPEC 6, 9)."""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kolplan.diagnostics import Diagnostic
from kolplan.lint.check import CheckEnv, check_bytes
from tests.fuzz.strategies import dump, mutated_plan, plan_shaped, valid_plan, yamlish_bytes
from tests.helpers import AS_OF, CONFIG, run

REL = "plans/jane-okafor.yaml"


def _env() -> CheckEnv:
    from kolplan.schema import Config
    from kolplan.yamlio.document import Document
    from kolplan.yamlio.reader import read_bytes

    doc = read_bytes(CONFIG.encode())
    assert isinstance(doc, Document)
    return CheckEnv(Path("/nonexistent-root"), Config.model_validate(doc.data), dt.date.fromisoformat(AS_OF))


ENV = _env()


def assert_inside(data: bytes, diags: list[dict[str, Any]]) -> None:
    """tests.helpers.assert_inside_file, on bytes, for diagnostics as JSON (``Diagnostic.to_dict``)."""
    lines = data.decode("utf-8", errors="replace").splitlines() or [""]
    for d in diags:
        assert d["path"] == REL
        assert 1 <= d["line"] <= len(lines), (d, len(lines))
        assert 1 <= d["column"] <= len(lines[d["line"] - 1]) + 1, (d, lines[d["line"] - 1][:200])
        assert d["message"], d


def check(data: bytes) -> list[Diagnostic]:
    result = check_bytes(ENV, REL, data)
    assert_inside(data, [d.to_dict() for d in result.diagnostics])
    return result.diagnostics


@given(plan_shaped(), st.sampled_from(["block", "flow", "json"]))
def test_plan_shaped_data(data: Any, style: str) -> None:
    check(dump(data, style))


@given(yamlish_bytes)
def test_random_bytes(data: bytes) -> None:
    check(data)


@given(mutated_plan())
def test_mutations_of_a_valid_plan(data: bytes) -> None:
    diags = check(data)
    if data.decode("utf-8", "replace").strip() == "":
        assert [d.code for d in diags] == ["KP003"]


@given(st.one_of(mutated_plan(), plan_shaped().map(lambda d: dump(d, "block"))),
       st.sampled_from(["text", "json", "github", "sarif"]))
def test_cli_never_crashes(fuzz_repo: Path, data: bytes, fmt: str) -> None:
    """The same inputs through `kolplan validate` in every format: exit 0 or 1, never 3."""
    (fuzz_repo / REL).write_bytes(data)
    res = run("validate", "--repo", str(fuzz_repo), "--as-of", AS_OF, "--format", fmt, "--no-cache")
    assert res.code in (0, 1), (res.code, res.err)
    assert "Traceback" not in res.err and res.err == ""
    if fmt == "json":
        assert_inside(data, res.json()["diagnostics"])
    if fmt == "text":
        assert "\x1b" not in res.out  # plan text never reaches the terminal raw


# -- the documents: whatever validates renders -------------------------------------------
def _documents(rel: str, plan: Any) -> str:
    """Everything the document commands make of one plan, rendered by the built-in templates
    (run as a projection, where ``report``, ``list``, ``owners`` and ``render`` run theirs)."""
    from kolplan.views.figures import plan_figures
    from kolplan.views.fiscal import quarter_of
    from kolplan.views.kol import kol_facts
    from kolplan.views.listing import kol_row, owner_row
    from kolplan.views.plandoc import build_plan_doc
    from kolplan.views.render import render_template
    from kolplan.views.report import build_report

    config, day = ENV.config, ENV.as_of
    quarter = quarter_of(day, config.fiscal_year_start)
    kol_row(config, day, rel, plan)
    owner_row(config, day, rel, plan)
    report = build_report(config, {rel: plan_figures(config, quarter, day, rel, plan)}, [], quarter, day,
                          lambda path: kol_facts(config, path, plan, quarter, day))
    env = _templates()
    text = render_template(env, "report.md.j2", {"report": report})
    return text + render_template(env, "plan.md.j2", {"doc": build_plan_doc(config, rel, plan, [], day)})


@functools.cache
def _templates() -> Any:
    from kolplan.views.render import make_environment

    return make_environment(Path(tempfile.gettempdir()) / "kolplan-fuzz-no-repo")  # the built-in templates


DOCUMENTS = CheckEnv(ENV.root, ENV.config, ENV.as_of, project=_documents)


@given(st.one_of(valid_plan(), mutated_plan(), plan_shaped().map(lambda d: dump(d, "block"))))
def test_every_plan_that_validates_renders(data: bytes) -> None:
    result = check_bytes(DOCUMENTS, REL, data)
    if result.valid:
        assert isinstance(result.part, str) and "# " in result.part
    else:
        assert result.part is None


@given(valid_plan())
def test_the_document_strategy_makes_valid_plans(data: bytes) -> None:
    """So that the test above mostly renders, rather than mostly meets broken plans."""
    result = check_bytes(ENV, REL, data)
    assert result.valid, [d for d in result.diagnostics if d.code.startswith("KP0")]
