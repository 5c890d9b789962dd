"""``validate`` reads plain command lines without typer: it must answer exactly as typer does."""

from __future__ import annotations

from pathlib import Path

import pytest

import kolplan.cli.validate_run as validate_run
from tests.helpers import AS_OF, VALID_PLAN, make_repo, run

BAD = VALID_PLAN.replace("owner: a.chen", "owner: a.chne")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"jane-okafor.yaml": VALID_PLAN, "sub/bad-one.yaml": BAD.replace(
        "id: jane-okafor", "id: bad-one")})


def argvs(root: Path) -> list[list[str]]:
    r, plan = str(root), str(root / "plans" / "jane-okafor.yaml")
    return [
        ["--repo", r, "--as-of", AS_OF],
        [f"--repo={r}", f"--as-of={AS_OF}", "--format=json", "--no-cache"],
        ["--repo", r, "--as-of", AS_OF, "-f", "sarif", plan],
        ["--repo", r, "--as-of", AS_OF, "--select", "KP012,KP101", "--select", "no-kol-value", "--strict"],
        ["--repo", r, "--as-of", AS_OF, "--ignore", "KP012", "--format", "github", "--", plan],
        [plan, "--repo", r, "--as-of", AS_OF, str(root / "plans" / "sub")],
        ["--repo", r, "--as-of", "2026-13-01"],  # bad date: exit 2 from the core
        ["--repo", r, "--as-of", AS_OF, "--format", "xml"],  # unknown format
        ["--repo", r, "--as-of", AS_OF, "--select", "KP999"],
        ["--repo", r, "--as-of", AS_OF, str(root / "nope.yaml")],
        ["--repo", str(root / "missing"), "--as-of", AS_OF],
        ["--repo", plan],  # a file: typer words this one
        ["--repo", r, "--as-of"],  # missing value: typer
        ["--repo", r, "--bogus"],  # unknown option: typer
        ["--repo", r, "-fjson"],
        ["--help"],
    ]


def test_fast_path_answers_as_typer_does(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for argv in argvs(root):
        fast = run("validate", *argv)
        with monkeypatch.context() as m:
            m.setattr(validate_run, "fast_validate", lambda _args: None)
            slow = run("validate", *argv)
        assert (fast.code, fast.out, fast.err) == (slow.code, slow.out, slow.err), argv


def test_fast_path_takes_plain_command_lines_and_leaves_the_rest(root: Path) -> None:
    plain, unusual = argvs(root)[:11], argvs(root)[11:]
    for argv in plain:
        assert validate_run.parse_validate_args(argv) is not None, argv
    for argv in unusual:
        assert validate_run.parse_validate_args(argv) is None, argv


def test_validate_does_not_import_typer(root: Path) -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom kolplan.cli import main\n"
            f"try:\n    main(['validate', '--repo', {str(root)!r}, '--as-of', {AS_OF!r}])\n"
            "except SystemExit as e:\n    assert e.code == 1, e.code\n"
            "assert 'typer' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
