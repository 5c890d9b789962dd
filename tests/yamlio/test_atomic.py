"""atomic_write: only inside the repository, never half-written, permissions kept (SPEC 9)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from kolplan.errors import RefusedError, UsageError, WriteError
from kolplan.yamlio import atomic
from kolplan.yamlio.atomic import TEMP_SUFFIX, atomic_write, temp_prefix

OLD = b"schema: kolplan/v1\nid: old\n"
NEW = b"schema: kolplan/v1\nid: new\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "repo"
    (r / "plans").mkdir(parents=True)
    return r


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX) or p.name.endswith(".tmp"))


def test_writes_bytes_and_text(root: Path) -> None:
    atomic_write(root / "plans" / "a.yaml", NEW, root=root)
    atomic_write(root / "plans" / "b.yaml", "é: ü\n", root=root)
    assert (root / "plans" / "a.yaml").read_bytes() == NEW
    assert (root / "plans" / "b.yaml").read_bytes() == "é: ü\n".encode()
    assert leftovers(root / "plans") == []


def test_creates_missing_folders_inside_the_root(root: Path) -> None:
    atomic_write(root / "plans" / "onc" / "x.yaml", NEW, root=root)
    assert (root / "plans" / "onc" / "x.yaml").read_bytes() == NEW


@pytest.mark.parametrize("where", ["../../outside.yaml", "../../../etc/evil.yaml", "/tmp/kolplan-evil.yaml"])
def test_refuses_outside_the_root(root: Path, where: str) -> None:
    target = Path(where) if where.startswith("/") else root / "plans" / where
    with pytest.raises(UsageError, match="outside the repository"):
        atomic_write(target, NEW, root=root)
    assert not target.exists()


def test_refuses_a_relative_path_that_climbs_out(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root / "plans")
    with pytest.raises(UsageError, match="outside the repository"):
        atomic_write(Path("../../escape.yaml"), NEW, root=root)
    assert not (root.parent / "escape.yaml").exists()


def test_refuses_a_symlink_that_leads_out(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(OLD)
    link = root / "plans" / "jane.yaml"
    link.symlink_to(outside)
    with pytest.raises(UsageError, match=r"links to .*outside the repository"):
        atomic_write(link, NEW, root=root)
    assert outside.read_bytes() == OLD and link.is_symlink()


def test_refuses_a_symlinked_folder_that_leads_out(root: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "plans" / "linked").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(UsageError, match="outside the repository"):
        atomic_write(root / "plans" / "linked" / "x.yaml", NEW, root=root)
    assert list(elsewhere.iterdir()) == []


def test_a_symlink_inside_the_root_writes_its_target(root: Path) -> None:
    real = root / "plans" / "real.yaml"
    real.write_bytes(OLD)
    link = root / "plans" / "alias.yaml"
    link.symlink_to(real)
    atomic_write(link, NEW, root=root)
    assert real.read_bytes() == NEW and link.is_symlink()


def test_a_symlink_loop_is_a_clear_error(root: Path) -> None:
    loop = root / "plans" / "loop.yaml"
    loop.symlink_to(loop)
    with pytest.raises(UsageError, match="loops back on itself"):
        atomic_write(loop, NEW, root=root)
    with pytest.raises(UsageError, match="loops back on itself"):
        atomic_write(loop, NEW)


def test_exclusive_refuses_an_existing_file(root: Path) -> None:
    target = root / "plans" / "a.yaml"
    target.write_bytes(OLD)
    with pytest.raises(RefusedError, match="already exists"):
        atomic_write(target, NEW, root=root, exclusive=True)
    assert target.read_bytes() == OLD
    assert leftovers(root / "plans") == []


def test_exclusive_refuses_a_dangling_symlink(root: Path) -> None:
    link = root / "plans" / "a.yaml"
    link.symlink_to(root / "plans" / "nowhere.yaml")
    with pytest.raises(RefusedError, match="already exists"):
        atomic_write(link, NEW, root=root, exclusive=True)
    assert not (root / "plans" / "nowhere.yaml").exists()


def test_exclusive_refuses_a_file_that_appears_while_writing(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check is repeated atomically at the last step (os.link fails on an existing name)."""
    target = root / "plans" / "a.yaml"
    real_fsync = os.fsync

    def racing_fsync(fd: int) -> None:
        real_fsync(fd)
        if not target.exists():
            target.write_bytes(OLD)  # another process wins the race

    monkeypatch.setattr(os, "fsync", racing_fsync)
    with pytest.raises(RefusedError, match="already exists"):
        atomic_write(target, NEW, root=root, exclusive=True)
    assert target.read_bytes() == OLD
    assert leftovers(root / "plans") == []


def test_exclusive_without_hard_links_still_writes(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(*_a: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    atomic_write(root / "plans" / "a.yaml", NEW, root=root, exclusive=True)
    assert (root / "plans" / "a.yaml").read_bytes() == NEW
    assert leftovers(root / "plans") == []


def _fail(err: int) -> object:
    def boom(*_a: object, **_k: object) -> None:
        raise OSError(err, os.strerror(err))
    return boom


@pytest.mark.parametrize("step", ["write", "fsync", "replace", "chmod"])
def test_a_failure_mid_write_leaves_the_original_and_no_temp_file(
    root: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    target = root / "plans" / "a.yaml"
    target.write_bytes(OLD)
    if step == "write":
        monkeypatch.setattr(atomic, "_write_all", _fail(errno.ENOSPC))
    elif step == "fsync":
        monkeypatch.setattr(os, "fsync", _fail(errno.EIO))
    elif step == "replace":
        monkeypatch.setattr(os, "replace", _fail(errno.ENOSPC))
    else:
        monkeypatch.setattr(os, "chmod", _fail(errno.EPERM))
    if step == "chmod":  # keeping the mode is best effort: the write itself succeeds
        atomic_write(target, NEW, root=root)
        assert target.read_bytes() == NEW
    else:
        with pytest.raises(WriteError, match="the file is unchanged") as info:
            atomic_write(target, NEW, root=root)
        assert info.value.exit_code == 1
        assert os.strerror(errno.ENOSPC if step != "fsync" else errno.EIO) in info.value.message
        assert target.read_bytes() == OLD
    assert leftovers(root / "plans") == []


def test_a_new_file_that_fails_is_not_left_behind(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "_write_all", _fail(errno.ENOSPC))
    with pytest.raises(WriteError):
        atomic_write(root / "plans" / "new.yaml", NEW, root=root, exclusive=True)
    assert list((root / "plans").iterdir()) == []


def test_an_interrupt_mid_write_leaves_no_temp_file(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = root / "plans" / "a.yaml"
    target.write_bytes(OLD)

    def interrupted(*_a: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic, "_write_all", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, NEW, root=root)
    assert target.read_bytes() == OLD
    assert leftovers(root / "plans") == []


def test_an_unwritable_folder_is_a_write_error(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic.tempfile, "mkstemp", _fail(errno.EACCES))
    with pytest.raises(WriteError, match="Permission denied"):
        atomic_write(root / "plans" / "a.yaml", NEW, root=root)


def test_the_temp_file_is_renamed_in_the_same_folder(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    target = root / "plans" / "a.yaml"
    target.write_bytes(OLD)
    atomic_write(target, NEW, root=root)
    [(src, dst)] = seen
    assert Path(src).parent == target.parent.resolve() and Path(dst) == target.resolve()


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755])
def test_permissions_of_an_existing_file_are_kept(root: Path, mode: int) -> None:
    target = root / "plans" / "a.yaml"
    target.write_bytes(OLD)
    target.chmod(mode)
    atomic_write(target, NEW, root=root)
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_bytes() == NEW


def test_a_new_file_gets_the_umask_mode(root: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write(root / "plans" / "a.yaml", NEW, root=root, exclusive=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE((root / "plans" / "a.yaml").stat().st_mode) == 0o640


# -- the temporary file's name (SPEC 5.1: git ignores it, validate skips it) -------------------
@pytest.mark.parametrize("name", ["jane-okafor.yaml", "x.yml", "kolplan.yaml", "é" * 120 + ".yaml", "a" * 250])
def test_the_temporary_file_is_hidden_ignored_and_never_a_plan(
    root: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    from kolplan.repo.discovery import is_plan_name

    seen: list[str] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    atomic_write(root / "plans" / name, NEW, root=root)
    [temp] = seen
    assert temp.startswith(temp_prefix(name)) and temp.startswith(".") and temp.endswith(TEMP_SUFFIX)
    assert len(os.fsencode(temp)) <= 255
    assert not is_plan_name(temp)
    assert (root / "plans" / name).read_bytes() == NEW


def test_a_failure_before_the_replace_hook_leaves_the_old_file(root: Path) -> None:
    target = root / "plans" / "a.yaml"
    target.write_bytes(OLD)

    class Stop(Exception):
        pass

    def stop() -> None:
        assert len(leftovers(root / "plans")) == 1  # the new content is on disk, not yet in place
        raise Stop

    with pytest.raises(Stop):
        atomic_write(target, NEW, root=root, before_replace=stop)
    assert target.read_bytes() == OLD and leftovers(root / "plans") == []
