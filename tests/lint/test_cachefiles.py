"""The cache's files as bytes: sealed with a digest keyed by what they stand for, read only
when regular and within a size bound (SPEC 9)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from kolplan.lint import cachefiles
from kolplan.lint.cachefiles import read_cache_file, seal, unseal
from kolplan.repo.files import read_fd_capped

CONTENT = {"files": {"plans/a.yaml": ["d", None, [], [], False, None]}, "cross": ["x", []]}


def test_a_sealed_file_opens_only_as_what_it_is() -> None:
    data = seal("validate", "k1", CONTENT)
    assert data.startswith(b"kolplan-cache ")
    assert unseal(data, "validate", "k1") == CONTENT
    assert unseal(data, "facts", "k1") is None  # another kind
    assert unseal(data, "validate", "k2") is None  # another key: other code, config or --as-of
    assert unseal(data.replace(b"kolplan-cache 4 ", b"kolplan-cache 3 ", 1), "validate", "k1") is None


def test_every_single_byte_flip_is_seen() -> None:
    data = seal("facts", "k", {"facts": {"plans/a.yaml": ["f" * 32, {"id": "a", "npi": "1234567893"}]}})
    for i in range(len(data)):
        for bit in (0x01, 0x20, 0x80):
            flipped = data[:i] + bytes([data[i] ^ bit]) + data[i + 1:]
            assert unseal(flipped, "facts", "k") is None, (i, bit)


@pytest.mark.parametrize("data", [b"", b"\n", b"{}", b"kolplan-cache 4 validate k1\n{}", b"\xff" * 100,
                                  b"kolplan-cache 4 validate k1 0 extra\n{}"])
def test_garbage_is_no_error(data: bytes) -> None:
    assert unseal(data, "validate", "k1") is None


def test_the_reader_takes_regular_files_within_the_bound(tmp_path: Path) -> None:
    f = tmp_path / "f.json"
    f.write_bytes(b"x" * 1000)
    assert read_cache_file(f) == b"x" * 1000
    assert read_cache_file(f, cap=1000) == b"x" * 1000
    assert read_cache_file(f, cap=999) is None  # one byte past the bound: not read
    assert read_cache_file(tmp_path / "missing.json") is None
    assert read_cache_file(tmp_path) is None  # a folder


@pytest.mark.skipif(os.name != "posix", reason="FIFOs, sockets and devices are POSIX")
def test_the_reader_never_opens_a_special_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real_open = os.open

    def spy(path: str, *args: object, **kwargs: object) -> int:
        opened.append(os.fspath(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    os.mkfifo(tmp_path / "fifo.json")
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    (tmp_path / "real.json").write_bytes(b"{}")
    (tmp_path / "link.json").symlink_to(tmp_path / "real.json")
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.bind("socket.json")
    finally:
        os.chdir(here)
    monkeypatch.setattr(os, "open", spy)
    for name in ("fifo.json", "zero.json", "link.json", "socket.json"):
        assert read_cache_file(tmp_path / name) is None, name
    assert opened == []


def test_a_bounded_read_of_an_endless_file(tmp_path: Path) -> None:
    fd = os.open("/dev/zero", os.O_RDONLY)
    try:
        assert len(read_fd_capped(fd, 0, 5000)) == 5000
        assert len(read_fd_capped(fd, 10**9, 100)) == 100
    finally:
        os.close(fd)


def test_the_fingerprint_covers_every_module_by_content(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "a.py").write_text("A = 1\n")
    (pkg / "sub" / "b.py").write_text("B = 2\n")
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled")
    first = cachefiles.tree_digest(str(pkg))
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"recompiled")  # bytecode is not code
    assert cachefiles.tree_digest(str(pkg)) == first
    st = os.stat(pkg / "sub" / "b.py")
    (pkg / "sub" / "b.py").write_text("B = 3\n")  # same size
    os.utime(pkg / "sub" / "b.py", ns=(st.st_atime_ns, st.st_mtime_ns))  # same time
    assert cachefiles.tree_digest(str(pkg)) != first
    (pkg / "sub" / "b.py").write_text("B = 2\n")
    assert cachefiles.tree_digest(str(pkg)) == first
    (pkg / "sub" / "b.py").rename(pkg / "b.py")  # a module moved is other code
    assert cachefiles.tree_digest(str(pkg)) != first
