"""Situations of the user's making are one line and the right exit code, never an
internal error (SPEC 9): a folder init cannot write, a current folder that was
deleted, a temporary file that cannot be removed after a write that succeeded."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import AS_OF, VALID_PLAN, make_repo, run

GONE = "kolplan: error: the current folder no longer exists; cd to your repository\n"


def one_error_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("kolplan: error: "), err
    assert "Traceback" not in err and "internal error" not in err
    return err


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("target", ["/proc/x", "/proc/self/kolplan"])
def test_init_where_nothing_can_be_written(target: str) -> None:
    res = run("init", target)
    assert res.code == 2, res.err
    assert f"cannot create {target}" in one_error_line(res.err)
    assert not Path(target).exists()


def test_init_below_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    res = run("init", str(tmp_path / "f" / "repo"))
    assert res.code == 2, res.err
    assert "Not a directory" in one_error_line(res.err)


@pytest.mark.parametrize("args", [
    ["validate"], ["validate", "--format", "json"], ["validate", "plans/jane-okafor.yaml"],
    ["list"], ["owners"], ["init"], ["init", "sub"],
    ["new", "hans-muller", "--name", "Hans Müller", "--lead", "a.chen"],
    ["log", "jane-okafor", "--by", "a.chen", "--channel", "email", "--summary", "hi"],
    ["render", "jane-okafor"], ["report"],
], ids=lambda a: "-".join(a[:2]))
def test_a_current_folder_that_was_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    """``mkdir d; cd d; rmdir ../d; kolplan ...``"""
    gone = tmp_path / "d"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    res = run(*args) if args[0] == "init" else run(*args, "--as-of", AS_OF)
    assert res.code == 2, (res.code, res.err)
    assert one_error_line(res.err) == GONE


def test_a_deleted_current_folder_does_not_matter_with_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})
    gone = tmp_path / "d"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    res = run("validate", "--repo", str(root), "--as-of", AS_OF)
    assert (res.code, res.out, res.err) == (0, "0 errors, 0 warnings in 1 file\n", "")


def test_new_succeeds_when_its_temporary_file_cannot_be_removed(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan is linked into place, then removing the temporary name fails (a file
    system that refuses, say): the plan is written, so ``new`` succeeded."""
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})
    real_unlink = Path.unlink
    refused: list[str] = []

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.parent.name == "plans" and self.name.startswith(".") and self.name.endswith(".kolplan-tmp"):
            refused.append(self.name)
            raise PermissionError(1, "Operation not permitted", str(self))
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    res = run("new", "hans-muller", "--name", "Hans Müller", "--lead", "r.patel", "--repo", str(root),
              "--as-of", AS_OF)
    assert res.code == 0, res.err
    assert refused  # the situation did arise
    written = root / "plans" / "hans-muller.yaml"
    assert "id: hans-muller" in written.read_text(encoding="utf-8")
    monkeypatch.undo()
    assert run("validate", str(written), "--repo", str(root), "--as-of", AS_OF).code in (0, 1)
    leftovers = [p.name for p in (root / "plans").iterdir() if p.name.endswith(".kolplan-tmp")]
    assert leftovers == refused  # left behind, and ignored by kolplan (a dot file)
