"""A repository's templates are code anyone who opens a pull request can write, and CI renders
them (SPEC 8, issue 13 item 1). They get plain data, read only files inside the template
folders, and are bounded in time, output and memory: every escape below is exit 2 with one
line, and nothing it aimed at happens.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import json
import os
import pickle
import signal
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from kolplan.views.plandoc import PlanDoc, build_plan_doc
from kolplan.views.report import Report
from tests.helpers import Result, make_repo, run, write_file
from tests.portfolio import AS_OF, CONFIG_WITH_CAPS, PLANS, TOM
from tests.views.test_report import config, fixture_report, plan

SECRET = "TOP-SECRET-4f1c9e"
# Small limits for the tests that cross them: each test ends in seconds even if a bound is lost.
QUICK = {"KOLPLAN_TEMPLATE_TIMEOUT": "5"}


def with_template(root: Path, name: str, text: str | bytes) -> Path:
    return write_file(root / "templates" / name, text)


def render_probe(root: Path, text: str, monkeypatch: pytest.MonkeyPatch | None = None,
                 env: dict[str, str] | None = None) -> Result:
    """``kolplan render tom-baker --template probe.md.j2`` with ``text`` as the template."""
    if monkeypatch is not None:
        for key, value in (env or QUICK).items():
            monkeypatch.setenv(key, value)
    with_template(root, "probe.md.j2", text)
    return run("render", "tom-baker", "--repo", str(root), "--as-of", AS_OF, "--template", "probe.md.j2")


def assert_refused(res: Result, *needles: str) -> None:
    """Exit 2, nothing on stdout, one line on stderr with no traceback and no secret."""
    assert res.code == 2, (res.code, res.out[:300], res.err[-600:])
    assert res.out == ""
    assert "Traceback" not in res.err
    assert SECRET not in res.err
    lines = [line for line in res.err.splitlines() if not line.startswith("kolplan: skipped ")]
    assert len(lines) == 1, res.err
    assert lines[0].startswith("kolplan: error: template"), lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]


# -- plain data: no object with methods reaches a template -------------------------------------
class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (exec, (f"open({str(self.marker)!r}, 'w').write('pwned')",))


def test_the_pickle_of_issue_13_runs_nothing(portfolio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reported exploit, verbatim: a committed template unpickling a committed file."""
    marker = tmp_path / "PWNED"
    (portfolio / "templates").mkdir()
    (portfolio / "templates" / "kol.pkl").write_bytes(pickle.dumps(_Payload(marker)))
    with_template(portfolio, "plan.md.j2", "{{ doc.kol.parse_file('templates/kol.pkl', allow_pickle=True) }}\n")
    monkeypatch.chdir(portfolio)
    res = run("render", "tom-baker", "--repo", str(portfolio), "--as-of", AS_OF)
    assert not marker.exists()
    assert_refused(res, "line 1", "parse_file")


@pytest.mark.parametrize("probe", [
    "{{ doc.kol.parse_file('{json}') }}",
    "{{ doc.kol.parse_raw('{kol}') }}",
    "{{ doc.kol.model_validate_json('{kol}') }}",
    "{{ doc.kol.model_copy() }}",
    "{{ doc.kol.model_dump_json() }}",
    "{{ doc.kol.schema_json() }}",
    "{{ doc.kol.identifiers.model_construct() }}",
    "{{ doc.interactions[0].copy(update={'summary': 'x'}) }}",
    "{{ doc.kol['parse_file'] }}",
    "{{ doc.kol|attr('copy') }}",
    "{{ doc.kol.items() }}",
])
def test_pydantic_methods_are_not_reachable_from_a_template(portfolio: Path, tmp_path: Path, probe: str) -> None:
    """Each of these reads a file, makes an object or runs pydantic's code when reachable; the
    first three would put the secret in the document."""
    kol = json.dumps({"name": SECRET, "tier": "global"})
    (tmp_path / "kol.json").write_text(kol, encoding="utf-8")
    probe = probe.replace("{json}", str(tmp_path / "kol.json")).replace("{kol}", kol)
    assert_refused(render_probe(portfolio, f"first line\n{probe}\n"), "line 2")


@pytest.mark.parametrize("probe", [
    "{{ doc.activities.append(1) }}",
    "{{ doc.names.update({'a.chen': 'Mallory'}) }}",
    "{{ doc.names.pop('a.chen') }}",
    "{{ doc.kol.therapeutic_areas.clear() }}",
])
def test_templates_cannot_change_the_data(portfolio: Path, probe: str) -> None:
    assert_refused(render_probe(portfolio, f"first line\n{probe}\n"), "line 2")


@pytest.mark.parametrize("probe", [
    "{{ '{0.__init__.__globals__}'|attr('format')(cycler) }}",  # CVE-2025-27516, fixed in Jinja 3.1.6
    "{% set f = '{0.__init__.__globals__}'.format %}{{ f(cycler) }}",  # CVE-2024-56326, fixed in 3.1.5
    "{{ '{0.__class__.__mro__}'.format_map([1]) }}",
    "{{ lipsum.__globals__ }}",
    "{{ namespace.__init__ }}",
])
def test_known_sandbox_escapes_stay_closed(portfolio: Path, probe: str) -> None:
    """Guards: these fail on the Jinja2 kolplan requires (3.1.6); they pin that floor."""
    assert_refused(render_probe(portfolio, f"first line\n{probe}\n"), "line 2")


PYDANTIC_NAMES = sorted(n for n in dir(BaseModel) if not n.startswith("_"))
PLAN_DOC_MODELS = ("doc.kol", "doc.kol.identifiers", "doc.interactions[0]", "doc.feedback[0]")
REPORT_PATHS = ("report", "report.outcomes", "report.sections[0]", "report.quarter")


def _plan_doc() -> PlanDoc:
    return build_plan_doc(config(), "plans/cardiology/tom-baker.yaml", plan(TOM), [], dt.date(2026, 6, 15))


def _methods(obj: Any, path: str, seen: set[type], out: list[str]) -> list[str]:
    """``path.name`` for every method (function, classmethod, staticmethod) of every dataclass
    reachable from ``obj``, one example of each type."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        kind = type(obj)
        fields = [f.name for f in dataclasses.fields(obj)]
        if kind not in seen:
            seen.add(kind)
            for name in dir(kind):
                attr = inspect.getattr_static(kind, name)
                if not name.startswith("_") and name not in fields \
                        and isinstance(attr, (types.FunctionType, classmethod, staticmethod)):
                    out.append(f"{path}.{name}")
        for name in fields:
            _methods(getattr(obj, name), f"{path}.{name}", seen, out)
    elif isinstance(obj, (list, tuple)) and obj:
        _methods(obj[0], f"{path}[0]", seen, out)
    elif isinstance(obj, dict) and obj:
        key = next(iter(obj))
        _methods(obj[key], f"{path}[{key!r}]", seen, out)
    return out


REPORT_METHODS = _methods(fixture_report(), "report", set(), [])
DOC_METHODS = _methods(_plan_doc(), "doc", set(), [])


@pytest.fixture(scope="module")
def reachable(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``reachable(exprs)``: those of the expressions that are defined in a template given the
    real plan document and report (``x is defined``: nothing is called)."""
    from kolplan.views.render import make_environment, render_template

    root = make_repo(tmp_path_factory.mktemp("probes") / "repo", {}, CONFIG_WITH_CAPS)
    (root / "templates").mkdir()
    env = make_environment(root)
    doc = _plan_doc()
    assert doc.interactions and doc.feedback  # so every probe path exists
    report = fixture_report()
    assert report.sections and report.diagnostic_rules
    count = iter(range(1000))

    def probe(exprs: list[str]) -> list[str]:
        name = f"probe-{next(count)}.md.j2"
        with_template(root, name, "".join(f"{{{{ {e} is defined }}}}\n" for e in exprs))
        out = render_template(env, name, {"doc": doc, "report": report}).splitlines()
        assert len(out) == len(exprs) and set(out) <= {"True", "False"}
        return [e for e, defined in zip(exprs, out, strict=True) if defined == "True"]

    return probe


@pytest.mark.parametrize("path", [*PLAN_DOC_MODELS, *REPORT_PATHS])
def test_no_public_name_of_a_pydantic_model_is_reachable(reachable: Any, path: str) -> None:
    """Every public attribute ``dir(BaseModel)`` lists, on every model the plan document used to
    hand over and on the report's records: undefined, never a method or a value."""
    assert reachable([f"{path}.{name}" for name in PYDANTIC_NAMES]) == []
    assert reachable([f"{path}['{name}']" for name in PYDANTIC_NAMES]) == []


def test_no_method_of_the_documents_data_is_reachable(reachable: Any) -> None:
    """Methods of the report's and the plan document's dataclasses (``report.quarter.next``,
    ``report.outcomes.activities.add``, ...): the built-in templates use none, templates get none."""
    assert "report.quarter.contains" in REPORT_METHODS
    assert "report.outcomes.activities.add" in REPORT_METHODS
    assert reachable([*REPORT_METHODS, *DOC_METHODS]) == []
    assert reachable(["doc.kol.name", "report.quarter.label", "doc.names.get"]) == ["doc.kol.name",
                                                                                   "report.quarter.label",
                                                                                   "doc.names.get"]


def _assert_plain(value: Any, path: str) -> None:
    from kolplan.views.plaindata import EnumText, Record

    if isinstance(value, dict):
        assert type(value) is dict or (isinstance(value, Record) and type(value).__mro__[1] is Record), path
        for k, v in value.items():
            _assert_plain(k, f"{path} key")
            _assert_plain(v, f"{path}.{k}")
    elif isinstance(value, (list, tuple)):
        assert type(value) in (list, tuple), path
        for i, v in enumerate(value):
            _assert_plain(v, f"{path}[{i}]")
    else:
        assert type(value) in (str, EnumText, int, float, bool, type(None), dt.date, dt.datetime), \
            f"{path}: {type(value)}"


def test_what_a_template_gets_is_plain_data() -> None:
    from kolplan.views.plaindata import plain

    report = fixture_report()
    assert isinstance(report, Report)
    _assert_plain(plain(report), "report")
    _assert_plain(plain(_plan_doc()), "doc")


def test_record_fields_win_over_dict_methods_and_plain_mappings_stay_mappings(tmp_path: Path) -> None:
    from enum import Enum

    from kolplan.views.plaindata import plain
    from kolplan.views.render import make_environment, render_template

    class Colour(str, Enum):
        RED = "red"

    @dataclasses.dataclass
    class Row:
        items: list[int]
        get: str
        values: dict[str, str]
        colour: Colour
        tags: frozenset[str]

        @property
        def total(self) -> int:
            return sum(self.items)

        def method(self) -> str:  # pragma: no cover - must not be called
            raise AssertionError("called")

    row = Row([1, 2], "got", {"a": "b"}, Colour.RED, frozenset({"y", "x"}))
    root = make_repo(tmp_path / "r")
    with_template(root, "t.md.j2", "{{ r.items|sum }} {{ r.get }} {{ r.values.get('a') }} {{ r.values['a'] }} "
                  "{{ r.colour }} {{ r.colour.value }} {{ r.tags|join(',') }} {{ r.total }} {{ r['get'] }}\n")
    with_template(root, "m.md.j2", "{{ r.method() }}\n")
    env = make_environment(root)
    assert render_template(env, "t.md.j2", {"r": row}) == "3 got b b red red x,y 3 got\n"
    from kolplan.errors import TemplateError

    with pytest.raises(TemplateError, match="has no attribute 'method'"):
        render_template(env, "m.md.j2", {"r": row})
    with pytest.raises(TypeError, match="plain data"):
        plain({"x": object()})


def test_a_template_written_for_the_old_review_says_what_replaced_it(portfolio: Path) -> None:
    with_template(portfolio, "report.md.j2", "{{ report.kpis.due_status|count_of('achieved') }}\n")
    res = run("report", "--repo", str(portfolio), "--as-of", AS_OF, "--no-git")
    assert_refused(res, "line 1", "has no attribute 'kpis'", "report.kpis.* is now report.kols, report.outcomes")


# -- the loader: only files inside the template folders ----------------------------------------
@pytest.fixture
def secret(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (outside / "plan.md.j2").write_text(SECRET + " {{ doc.id }}\n", encoding="utf-8")
    return outside


def test_a_template_that_is_a_symlink_to_outside_is_refused(portfolio: Path, secret: Path) -> None:
    (portfolio / "templates").mkdir()
    (portfolio / "templates" / "plan.md.j2").symlink_to(secret / "plan.md.j2")
    res = run("render", "tom-baker", "--repo", str(portfolio), "--as-of", AS_OF)
    assert_refused(res, "symlink to outside templates/")


def test_an_include_through_a_symlinked_folder_is_refused(portfolio: Path, secret: Path) -> None:
    (portfolio / "templates").mkdir()
    (portfolio / "templates" / "sub").symlink_to(secret, target_is_directory=True)
    res = render_probe(portfolio, "first line\n{% include 'sub/secret.txt' %}\n")
    assert_refused(res, "line 2", "symlink to outside templates/")


def test_a_templates_folder_that_is_a_symlink_out_of_the_repository_is_refused(portfolio: Path, secret: Path) -> None:
    (portfolio / "templates").symlink_to(secret, target_is_directory=True)
    res = run("render", "tom-baker", "--repo", str(portfolio), "--as-of", AS_OF)
    assert_refused(res, "templates/ is a symlink to a folder outside the repository")


@pytest.mark.parametrize("target", ["../kolplan.yaml", "../../outside/secret.txt", "{secret}/secret.txt"])
def test_an_include_cannot_name_a_path_out_of_the_folder(portfolio: Path, secret: Path, target: str) -> None:
    res = render_probe(portfolio, f"first line\n{{% include '{target.format(secret=secret)}' %}}\n")
    assert_refused(res, "line 2", "not found")


def test_a_symlink_inside_the_folder_to_a_file_inside_it_is_fine(portfolio: Path) -> None:
    with_template(portfolio, "parts/header.j2", "# {{ doc.kol.name }}\n")
    (portfolio / "templates" / "head.j2").symlink_to(portfolio / "templates" / "parts" / "header.j2")
    res = render_probe(portfolio, "{% include 'head.j2' %}")
    assert (res.code, res.out) == (0, "# Tom Baker\n"), res.err


def test_a_fifo_named_like_a_template_is_never_opened(portfolio: Path) -> None:
    """Opening a FIFO with no writer blocks: the command runs in a child with a timeout."""
    (portfolio / "templates").mkdir()
    os.mkfifo(portfolio / "templates" / "plan.md.j2")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOLPLAN_")}
    proc = subprocess.run([sys.executable, "-m", "kolplan", "render", "tom-baker", "--repo", str(portfolio),
                           "--as-of", AS_OF], capture_output=True, text=True, timeout=60, env=env, check=False)
    assert_refused(Result(proc.returncode, proc.stdout, proc.stderr), "plan.md.j2", "not a regular file")


def test_a_template_too_large_is_refused(portfolio: Path) -> None:
    with_template(portfolio, "plan.md.j2", "x" * (2 << 20))
    res = run("render", "tom-baker", "--repo", str(portfolio), "--as-of", AS_OF)
    assert_refused(res, "larger than a template may be")


def test_a_template_that_is_not_utf8_is_exit_2(portfolio: Path) -> None:
    with_template(portfolio, "plan.md.j2", b"# caf\xe9\n")
    res = run("render", "tom-baker", "--repo", str(portfolio), "--as-of", AS_OF)
    assert_refused(res, "not UTF-8")


# -- bounds: time, output, memory ----------------------------------------------------------------
@pytest.mark.parametrize(("probe", "needle"), [
    ("{{ 'a' * 10**9 }}", "output limit"),
    ("{{ 10**(10**10) }}", "numbers that large"),  # Jinja's ** is left-associative: 10**10**10 is 10**100
    ("{% set n = 7 %}{{ n ** 100000000 }}", "numbers that large"),
    ("{{ 'a'.ljust(10**9) }}", "output limit"),
    ("{{ 'a'|center(10**9) }}", "output limit"),
    ("{{ 'a'|center(1000000000) }}", "output limit"),  # a constant: Jinja would compute it while compiling
    ("{% set x = 'a'|center(1000000000) %}", "output limit"),
    ("{{ '%01000000000d' % 1 }}", "output limit"),
    ("{{ '%01000000000d'|format(1) }}", "output limit"),
    ("{{ 'x'|indent(1000000000, true) }}", "output limit"),
    ("{{ [1] * 10**9 }}", "output limit"),
])
def test_one_expression_cannot_exhaust_memory(portfolio: Path, monkeypatch: pytest.MonkeyPatch, probe: str,
                                              needle: str) -> None:
    start = time.monotonic()
    res = render_probe(portfolio, f"first line\n{probe}\n", monkeypatch)
    assert_refused(res, needle)
    assert time.monotonic() - start < 4


def test_loops_within_loops_stop_at_the_time_limit(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    start = time.monotonic()
    res = render_probe(portfolio, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                       monkeypatch, {"KOLPLAN_TEMPLATE_TIMEOUT": "0.3"})
    assert_refused(res, "took longer than 0.3 s", "KOLPLAN_TEMPLATE_TIMEOUT")
    assert time.monotonic() - start < 8


def test_output_over_the_size_limit_stops(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = render_probe(portfolio, "{% for i in range(10000) %}0123456789{% endfor %}", monkeypatch,
                       {**QUICK, "KOLPLAN_TEMPLATE_MAX_OUTPUT": "1000"})
    assert_refused(res, "wrote more than 1,000 bytes", "KOLPLAN_TEMPLATE_MAX_OUTPUT")


def test_text_built_up_in_a_loop_hits_the_memory_limit(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``~`` is not intercepted: the child's address-space limit stops the doubling."""
    start = time.monotonic()
    res = render_probe(portfolio, "{% set ns = namespace(s='x') %}{% for i in range(48) %}{% set ns.s = ns.s ~ ns.s %}"
                       "{% endfor %}{{ ns.s|length }}", monkeypatch, {"KOLPLAN_TEMPLATE_TIMEOUT": "20"})
    assert_refused(res, "of memory")
    assert time.monotonic() - start < 20


@pytest.mark.parametrize(("var", "value"), [("KOLPLAN_TEMPLATE_TIMEOUT", "soon"), ("KOLPLAN_TEMPLATE_TIMEOUT", "0"),
                                            ("KOLPLAN_TEMPLATE_MAX_OUTPUT", "-5"),
                                            ("KOLPLAN_TEMPLATE_MAX_OUTPUT", "lots")])
def test_a_bad_limit_is_exit_2(portfolio: Path, monkeypatch: pytest.MonkeyPatch, var: str, value: str) -> None:
    monkeypatch.setenv(var, value)
    res = run("render", "tom-baker", "--repo", str(portfolio), "--as-of", AS_OF)
    assert res.code == 2 and res.out == ""
    assert res.err.startswith(f"kolplan: error: {var}=") and len(res.err.splitlines()) == 1, res.err


def test_limits_hold_without_fork_too(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where there is no fork (Windows) the template renders in process, its output and time
    checked as it goes."""
    import kolplan.views.render

    monkeypatch.setattr(kolplan.views.render, "_can_fork", lambda: False)
    res = render_probe(portfolio, "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}"
                       "{% endfor %}", monkeypatch, {"KOLPLAN_TEMPLATE_TIMEOUT": "0.3"})
    assert_refused(res, "took longer than 0.3 s")
    res = render_probe(portfolio, "{% for i in range(10000) %}0123456789{% endfor %}", monkeypatch,
                       {"KOLPLAN_TEMPLATE_MAX_OUTPUT": "1000"})
    assert_refused(res, "wrote more than 1,000 bytes")
    assert_refused(render_probe(portfolio, "{{ 'a' * 10**9 }}", monkeypatch), "output limit")
    monkeypatch.delenv("KOLPLAN_TEMPLATE_MAX_OUTPUT")
    res = run("render", "tom-baker", "--repo", str(portfolio), "--as-of", AS_OF)
    assert res.code == 0 and res.out.startswith("# Tom Baker")


def test_a_bug_in_the_rendering_child_is_one_line_exit_3(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kolplan.views.render

    def broken(*_: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(kolplan.views.render, "render_text", broken)
    res = run("render", "tom-baker", "--repo", str(portfolio), "--as-of", AS_OF)
    assert res.code == 3 and res.out == ""
    assert "RuntimeError: boom" in res.err and "Traceback" not in res.err and len(res.err.splitlines()) == 1


def test_ctrl_c_while_waiting_kills_and_reaps_the_child(tmp_path: Path) -> None:
    from kolplan.views.bounded import can_fork, run_forked

    if not can_fork():  # pragma: no cover
        pytest.skip("no fork here")
    pid_file = tmp_path / "pid"

    def work() -> bytes:
        pid_file.write_text(str(os.getpid()))
        time.sleep(60)
        return b""

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_forked(work, deadline=time.monotonic() + 30, cpu_seconds=30, memory_headroom=1 << 30, max_reply=100)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    child = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)  # killed and reaped: not even a zombie is left


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_rendering_child_dies_with_its_parent(tmp_path: Path) -> None:
    """A parent killed outright (no clean-up) leaves no renderer behind."""
    pid_file = tmp_path / "pid"
    script = (
        "import pathlib, time\n"
        "from kolplan.views.bounded import run_forked\n"
        "def work():\n"
        f"    pathlib.Path({str(pid_file)!r}).write_text(str(__import__('os').getpid()))\n"
        "    while True: pass\n"
        "run_forked(work, deadline=time.monotonic() + 60, cpu_seconds=60, memory_headroom=1 << 30, max_reply=100)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(200):
            if pid_file.exists() and pid_file.read_text():
                break
            time.sleep(0.05)
        child = int(pid_file.read_text())
    finally:
        parent.kill()
        parent.wait()
    for _ in range(100):
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return
        if state in ("Z", "X"):  # dead, waiting for a reaper that this container may not have
            return
        time.sleep(0.05)
    pytest.fail(f"the child {child} outlived its parent")


def test_the_built_in_templates_render_with_the_limits(portfolio: Path) -> None:
    """Sanity: the real documents render (the golden files check every byte)."""
    res = run("report", "--repo", str(portfolio), "--as-of", AS_OF, "--no-git")
    assert res.code == 0 and "## At a glance" in res.out
    assert PLANS  # the fixture portfolio
