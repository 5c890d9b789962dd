"""SPEC 9 on the bad-input corpus: the right diagnostic or a one-line error, the right exit
code, never a traceback, and quickly. The cases are in ``cases.py``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.badinput.cases import CASES, PLAN, Case
from tests.helpers import AS_OF, VALID_PLAN, Result, assert_inside_file, make_repo, run

_POSITIONED = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): error (?P<code>KP\d+) [\w-]+: ")


def _lines(path: Path) -> list[str]:
    """The file's lines as diagnostics count them (as tests.helpers.assert_inside_file does); [""] if unreadable."""
    try:
        return path.read_bytes().decode("utf-8", errors="replace").splitlines() or [""]
    except OSError:
        return [""]


@pytest.fixture(scope="module", autouse=True)
def _warm(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Import the heavy modules once, so that the first case's time is its own."""
    root = make_repo(tmp_path_factory.mktemp("warm") / "r", {"jane-okafor.yaml": VALID_PLAN})
    assert run("validate", "--repo", str(root), "--as-of", AS_OF, "--no-cache").code == 0


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 100


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reason = case.skip()
    if reason:
        pytest.skip(reason)
    root = make_repo(tmp_path / "repo")
    (root / "kolplan.yaml").write_bytes(case.config)
    if case.plan is not None:
        (root / PLAN).write_bytes(case.plan)
    if case.setup is not None:
        case.setup(root)
    monkeypatch.chdir(root)

    args = ("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json", "--no-cache", *case.args)
    start = time.perf_counter()
    if case.isolated:
        proc = subprocess.run([sys.executable, "-m", "kolplan", *args], capture_output=True, text=True, check=False,
                              env={**os.environ, "NO_COLOR": "1"}, timeout=60)
        res = Result(proc.returncode, proc.stdout, proc.stderr)
    else:
        res = run(*args)
    elapsed = time.perf_counter() - start

    assert "Traceback" not in res.err + res.out
    assert "internal error" not in res.err
    assert res.code == case.exit, (res.code, res.out[:2000], res.err[:2000])
    if case.exit == 2 and case.expect:
        # a broken kolplan.yaml still gets its JSON document (SPEC 6), and one line on stderr
        lines = res.err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("kolplan: error: "), res.err[:2000]
        got = []
        for x in res.json()["diagnostics"]:
            assert x["path"] == "kolplan.yaml"
            got.append((x["code"], x["line"], x["column"]))
            assert_inside_file(root, x)
        assert tuple(got) == case.expect, res.out[:2000]
        assert case.words in res.err + res.out
    elif case.exit == 2:
        assert res.out == ""
        lines = res.err.splitlines()
        assert lines and lines[-1].startswith("kolplan: error: "), res.err[:2000]
        assert all(_POSITIONED.match(line) for line in lines[:-1]), res.err[:2000]
        assert case.words in res.err
    else:
        assert res.err == ""
        diags = res.json()["diagnostics"]
        assert tuple((x["code"], x["line"], x["column"]) for x in diags) == case.expect, diags[:20]
        lines = _lines(root / PLAN)
        for x in diags:
            assert x["path"] == PLAN
            assert "\n" not in x["message"] and len(x["message"]) < 400, x["message"][:500]
            assert 1 <= x["line"] <= len(lines) and 1 <= x["column"] <= len(lines[x["line"] - 1]) + 1, x
        if case.words:
            assert case.words in diags[0]["message"], diags[0]["message"]
    assert elapsed < case.budget, f"{case.id} took {elapsed:.2f}s (budget {case.budget}s)"
