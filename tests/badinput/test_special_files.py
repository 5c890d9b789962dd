"""SPEC 9, special and unreadable files: a FIFO, socket or device named like a plan is never
opened (KP003), so no command hangs; a folder or plan kolplan cannot read is KP003 naming
it, never skipped in silence. Every run that could hang is a child process with a timeout
(tests.procs)."""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import AS_OF, VALID_PLAN, make_repo, run
from tests.procs import kolplan, permission_folder

# A second KOL with no finding of its own against VALID_PLAN (no shared identifier).
OTHER = VALID_PLAN.replace("id: jane-okafor", "id: lars-berg").replace("Jane Okafor", "Lars Berg").replace(
    "    npi: \"1234567893\"\n", "").replace("V-248113", "V-1").replace("0000-0002-1825-0097", "0000-0001-5109-3700") \
    .replace("j.okafor@", "l.berg@")

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs, sockets and permissions are POSIX")


def _messages(res: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in json.loads(res.out)["diagnostics"]:
        out.setdefault(d["path"], []).append(f"{d['code']} {d['message']}")
    return out


# -- special files named like plans ------------------------------------------------------------
def _special_plans(plans: Path) -> dict[str, str]:
    """Put every kind of special file under ``plans``; what KP003 must say of each, by path."""
    expect = {}
    os.mkfifo(plans / "fifo.yaml")
    expect["plans/fifo.yaml"] = "is a FIFO (named pipe), not a plan file"
    here = Path.cwd()
    os.chdir(plans)  # a short path: AF_UNIX addresses are limited to ~100 bytes
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.bind("socket.yaml")  # the socket file stays after the socket is closed
    finally:
        os.chdir(here)
    expect["plans/socket.yaml"] = "is a socket, not a plan file"
    try:  # /dev/zero's numbers: read without end if it were opened
        os.mknod(plans / "device.yaml", stat.S_IFCHR | 0o644, os.makedev(1, 5))
        expect["plans/device.yaml"] = "is a character device, not a plan file"
    except (PermissionError, OSError):
        pass  # not root, or a container that forbids it: the other kinds still run
    os.mkfifo(plans.parent / "pipe")
    (plans / "piped.yaml").symlink_to("../pipe")  # a link inside the repository, to a FIFO
    expect["plans/piped.yaml"] = "is a FIFO (named pipe), not a plan file"
    (plans / "zero.yaml").symlink_to("/dev/zero")
    expect["plans/zero.yaml"] = "link to outside the repository"
    return expect


@pytest.fixture
def special(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    root = make_repo(tmp_path / "repo", {"jane-okafor.yaml": VALID_PLAN, "lars-berg.yaml": OTHER})
    yield root, _special_plans(root / "plans")


def test_validate_reports_special_files_and_never_opens_them(special: tuple[Path, dict[str, str]]) -> None:
    root, expect = special
    res = kolplan("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json")
    assert res.code == 1, res.err
    got = _messages(res)
    for path, words in expect.items():
        assert len(got.get(path, [])) == 1, (path, got)
        code, message = got[path][0].split(" ", 1)
        assert code == "KP003" and words in message, (path, message)
    assert set(got) == set(expect)  # the real plans are fine
    assert json.loads(res.out)["files"] == len(expect) + 2


def test_validate_of_another_file_beside_special_files(special: tuple[Path, dict[str, str]]) -> None:
    root, _ = special
    res = kolplan("validate", "--repo", str(root), "--as-of", AS_OF, str(root / "plans" / "jane-okafor.yaml"))
    assert (res.code, res.out.strip()) == (0, "0 errors, 0 warnings in 1 file"), res.err
    named = kolplan("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json",
                    str(root / "plans" / "fifo.yaml"))
    assert named.code == 1 and list(_messages(named)) == ["plans/fifo.yaml"]


@pytest.mark.parametrize("command", ["list", "owners", "report", "render", "new"])
def test_every_command_that_reads_plans_finishes(special: tuple[Path, dict[str, str]], command: str) -> None:
    root, expect = special
    args = {"list": ["list"], "owners": ["owners"], "report": ["report", "--no-git"],
            "render": ["render", "jane-okafor"],
            "new": ["new", "mia-hart", "--name", "Mia Hart", "--lead", "a.chen"]}[command]
    res = kolplan(*args, "--repo", str(root), "--as-of", AS_OF)
    assert res.code == 0, (res.out, res.err)
    if command in ("list", "owners", "report"):
        for path in expect:  # named as skipped, on stderr (and in a document's diagnostics)
            assert path in res.err or path in res.out, (path, res.err)
    if command == "new":
        assert (root / "plans" / "mia-hart.yaml").is_file()


# -- folders and files that cannot be read -----------------------------------------------------
@pytest.fixture
def shared() -> Iterator[Path]:
    """A portfolio with a sub-folder, where permissions apply to kolplan (tests.procs)."""
    with permission_folder() as folder:
        yield make_repo(folder / "repo", {"jane-okafor.yaml": VALID_PLAN, "oncology/lars-berg.yaml": OTHER})


@pytest.mark.parametrize("mode", [0o000, 0o311, 0o644], ids=["no-access", "not-listable", "not-searchable"])
def test_an_unreadable_folder_is_an_error_not_a_silent_skip(shared: Path, mode: int) -> None:
    """The real thing: permissions taken away, kolplan run without the power to override them."""
    root = shared
    folder = root / "plans" / "oncology"
    folder.chmod(mode)
    res = kolplan("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json", unprivileged=True)
    assert res.code == 1, (res.out, res.err)
    got = _messages(res)
    assert "plans/jane-okafor.yaml" not in got
    if mode == 0o644:  # listed, but its files cannot be opened: each one is KP003
        assert list(got) == ["plans/oncology/lars-berg.yaml"]
        assert got["plans/oncology/lars-berg.yaml"][0].startswith("KP003 cannot read the file: Permission denied")
    else:
        assert list(got) == ["plans/oncology"]
        (message,) = got["plans/oncology"]
        assert message.startswith("KP003 cannot read this folder (Permission denied)"), message
    if mode != 0o000:
        return
    text = kolplan("validate", "--repo", str(root), "--as-of", AS_OF, unprivileged=True)
    assert text.code == 1 and "plans/oncology" in text.out and "1 error" in text.out
    listed = kolplan("list", "--repo", str(root), "--as-of", AS_OF, unprivileged=True)
    assert listed.code == 0 and "skipped plans/oncology" in listed.err, listed.err
    assert "jane-okafor" in listed.out


def test_a_named_unreadable_folder_or_a_plan_inside_it(shared: Path) -> None:
    root = shared
    (root / "plans" / "oncology").chmod(0)
    res = kolplan("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json",
                  str(root / "plans" / "oncology"), unprivileged=True)
    assert res.code == 1 and list(_messages(res)) == ["plans/oncology"], (res.out, res.err)
    res = kolplan("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json",
                  str(root / "plans" / "oncology" / "lars-berg.yaml"), unprivileged=True)
    assert res.code == 1, (res.out, res.err)
    assert _messages(res) == {"plans/oncology/lars-berg.yaml": ["KP003 cannot read the file: Permission denied"]}


def test_an_unreadable_plan_file_is_an_error(shared: Path) -> None:
    root = shared
    (root / "plans" / "jane-okafor.yaml").chmod(0)
    res = kolplan("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json", unprivileged=True)
    assert res.code == 1
    assert _messages(res) == {"plans/jane-okafor.yaml": ["KP003 cannot read the file: Permission denied"]}
    listed = kolplan("list", "--repo", str(root), "--as-of", AS_OF, unprivileged=True)
    assert listed.code == 0 and "skipped plans/jane-okafor.yaml" in listed.err


# The same without privileges to drop: the system calls fail as permissions would make them.
def _deny(monkeypatch: pytest.MonkeyPatch, name: str, target: Path) -> None:
    """``os.<name>`` (and the built-in ``open`` with ``os.open``) fail on ``target`` with EACCES."""
    import builtins

    for module in (os, builtins) if name == "open" else (os,):
        real = getattr(module, name)

        def denied(path: Any, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
            if not isinstance(path, int) and os.fspath(path) == os.fspath(target):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
            return _real(path, *args, **kwargs)

        monkeypatch.setattr(module, name, denied)


def test_a_folder_that_cannot_be_listed_is_kp003_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "repo", {"jane-okafor.yaml": VALID_PLAN, "oncology/lars-berg.yaml": OTHER,
                                         "oncology/deeper/x.yaml": "id: [unclosed\n"})
    readable = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json")  # and cached
    assert readable.code == 1  # x.yaml does not parse (KP001)
    assert list(_messages(readable)) == ["plans/oncology/deeper/x.yaml"]
    _deny(monkeypatch, "scandir", root / "plans" / "oncology" / "deeper")
    for extra in ((), ("--no-cache",)):  # with the cache of the readable run, and without a cache
        res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json", *extra)
        assert res.code == 1
        got = _messages(res)
        assert list(got) == ["plans/oncology/deeper"]  # lars-berg is read; x.yaml could not be seen
        assert got["plans/oncology/deeper"][0].startswith("KP003 cannot read this folder (Permission denied)")
        assert json.loads(res.out)["files"] == 3
    _deny(monkeypatch, "scandir", root / "plans")  # the plans folder itself
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json")
    assert res.code == 1 and list(_messages(res)) == ["plans"]


def test_a_plan_that_cannot_be_opened_is_kp003_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "repo", {"jane-okafor.yaml": VALID_PLAN, "lars-berg.yaml": OTHER})
    assert run("validate", "--repo", str(root), "--as-of", AS_OF).code == 0  # cached
    target = root / "plans" / "lars-berg.yaml"
    target.write_text(OTHER + "# edited\n", encoding="utf-8")  # the cache must read it again
    _deny(monkeypatch, "open", target)
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json")
    assert res.code == 1
    assert _messages(res) == {"plans/lars-berg.yaml": ["KP003 cannot read the file: Permission denied"]}



def test_new_says_which_folders_its_duplicate_check_could_not_see(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "repo", {"jane-okafor.yaml": VALID_PLAN, "oncology/lars-berg.yaml": OTHER})
    _deny(monkeypatch, "scandir", root / "plans" / "oncology")
    res = run("new", "hans-muller", "--name", "Hans Müller", "--lead", "r.patel", "--repo", str(root),
              "--as-of", AS_OF)
    assert res.code == 0, res.err
    assert res.err == ("kolplan: warning: could not read plans/oncology: the plans in it were not checked for "
                       "this KOL; `kolplan validate` says why\n")
