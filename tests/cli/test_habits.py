"""Habits from other CLIs (issue 15): ``-q`` is quiet, Ctrl-C at a prompt, completion, suggestions, pipes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kolplan.cli.validate_run as validate_run
from tests.helpers import AS_OF, VALID_PLAN, make_repo, run

BAD = VALID_PLAN.replace("owner: a.chen", "owner: a.chne")


@pytest.fixture
def clean_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"jane-okafor.yaml": VALID_PLAN})


@pytest.fixture
def bad_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"jane-okafor.yaml": BAD})


def _both_paths(monkeypatch: pytest.MonkeyPatch, *args: str) -> list[tuple[int, str, str]]:
    """``kolplan ARGS`` through the fast path and through typer."""
    fast = run(*args)
    with monkeypatch.context() as m:
        m.setattr(validate_run, "fast_validate", lambda _args: None)
        slow = run(*args)
    return [(fast.code, fast.out, fast.err), (slow.code, slow.out, slow.err)]


@pytest.mark.parametrize("flag", ["-q", "--quiet"])
def test_validate_quiet_prints_only_the_summary(bad_repo: Path, flag: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for code, out, err in _both_paths(monkeypatch, "validate", "--repo", str(bad_repo), "--as-of", AS_OF,
                                      "--no-cache", flag):
        assert code == 1
        assert out == "1 error, 0 warnings in 1 file\n", out
        assert err == ""


def test_validate_quiet_prints_nothing_when_nothing_to_report(clean_repo: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for code, out, err in _both_paths(monkeypatch, "validate", "--repo", str(clean_repo), "--as-of", AS_OF,
                                      "-q"):
        assert (code, out, err) == (0, "", "")


def test_validate_quiet_leaves_machine_formats_whole(bad_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loud = run("validate", "--repo", str(bad_repo), "--as-of", AS_OF, "--format", "json", "--no-cache")
    for code, out, _err in _both_paths(monkeypatch, "validate", "--repo", str(bad_repo), "--as-of", AS_OF,
                                       "--format", "json", "--no-cache", "-q"):
        assert code == 1
        assert json.loads(out) == json.loads(loud.out)


def test_validate_quiet_is_a_plain_fast_path_option(bad_repo: Path) -> None:
    parsed = validate_run.parse_validate_args(["--repo", str(bad_repo), "-q"])
    assert parsed is not None and parsed["quiet"] is True


def test_report_q_is_not_quarter(clean_repo: Path) -> None:
    res = run("report", "--repo", str(clean_repo), "--as-of", AS_OF, "--no-git", "-q", "2026-Q2")
    assert res.code == 2
    assert "No such option: -q" in res.err
    ok = run("report", "--repo", str(clean_repo), "--as-of", AS_OF, "--no-git", "--quarter", "2026-Q2")
    assert ok.code == 0, ok.err
