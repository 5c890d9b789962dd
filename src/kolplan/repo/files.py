"""Reading the repository's files safely: only a regular file is opened (never a FIFO, a
socket or a device), non-blocking, and at most one byte past the 1 MiB limit is read
(SPEC 9). A file that cannot be read becomes a KP003 diagnostic naming why."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO, Final

from kolplan.diagnostics import Diagnostic
from kolplan.diagnostics import reading_diagnostic as _reading

MAX_FILE_BYTES: Final = 1024 * 1024  # plans and kolplan.yaml: larger files are KP003
MAX_READ: Final = MAX_FILE_BYTES + 1  # one byte past the limit is enough to know it is too big


def read_plan_bytes(root: Path, rel: str, st: os.stat_result | None = None) -> tuple[bytes | None, Diagnostic | None]:
    """The file's bytes, or a KP003 diagnostic saying why it cannot be read.

    ``st`` is the file's ``lstat`` when the caller already has it (one system call less).
    Only a regular file is ever opened (SPEC 9): a FIFO, a socket or a device named like
    a plan is refused from its stat (a FIFO would block the run for ever, a device could
    be read without end), and the file is opened non-blocking and checked again after
    opening, in case it was replaced meanwhile. At most :data:`MAX_READ` bytes are read.
    """
    full = os.path.join(root, rel)
    try:
        if st is None:
            st = os.lstat(full)
        if stat.S_ISLNK(st.st_mode):
            path = Path(full)
            if not path.resolve().is_relative_to(root.resolve()):
                return None, _reading(rel, 1, 1, "KP003", "the file is a link to outside the repository: "
                                      "plans must live inside it")
            st = os.stat(full)  # what the link points to
        if stat.S_ISDIR(st.st_mode):
            return None, _folder(rel)
        if not stat.S_ISREG(st.st_mode):
            return None, special_file(rel, st.st_mode)
        fd = os.open(full, _READ_FLAGS)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):  # replaced between the stat and the open
                return None, special_file(rel, st.st_mode)
            data = read_fd_capped(fd, st.st_size)
        finally:
            os.close(fd)
    except OSError as exc:
        return None, _reading(rel, 1, 1, "KP003", f"cannot read the file: {exc.strerror or exc}")
    except RuntimeError:  # Path.resolve() on a symlink loop (Python < 3.13)
        return None, _reading(rel, 1, 1, "KP003", "the file is a symbolic link that loops back on itself: "
                              "replace it with the plan file")
    return data, None


# Never wait on the file: opening a FIFO for reading blocks until a writer comes, unless
# non-blocking (the stat refuses FIFOs before this; the flag covers a file replaced meanwhile).
_READ_FLAGS: Final = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words (``a FIFO (named pipe)``)."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def special_file(rel: str, mode: int) -> Diagnostic:
    return _reading(rel, 1, 1, "KP003", f"this is {file_kind(mode)}, not a plan file: kolplan does not open it; "
                    "replace it with the plan's YAML file or remove it")


def unreadable_folder(rel: str, exc: OSError) -> Diagnostic:
    """KP003 on a folder under ``plans/`` that cannot be listed: its plans were not checked."""
    why = exc.strerror or str(exc)
    return _reading(rel, 1, 1, "KP003", f"cannot read this folder ({why}): the plans in it were not checked; "
                    "make it readable (and searchable) by the user who runs kolplan")


def _folder(rel: str) -> Diagnostic:
    return _reading(rel, 1, 1, "KP003", "this is a folder, not a plan file: rename it "
                    "(folders under plans/ must not end in .yaml)")


def read_capped(fh: BinaryIO, size: int) -> bytes:
    """At most :data:`MAX_READ` bytes of ``fh``, whose size was ``size`` a moment ago.

    Asking for exactly what is there, rather than for ``MAX_READ`` each time, spares a
    1 MiB buffer per file (an mmap and munmap each); a file that grew meanwhile is
    read on, up to the cap.
    """
    data = fh.read(min(max(size, 0), MAX_READ - 1) + 1)
    if len(data) > size and len(data) < MAX_READ:
        data += fh.read(MAX_READ - len(data))
    return data


def read_fd_capped(fd: int, size: int, cap: int = MAX_READ) -> bytes:
    """At most ``cap`` bytes of the open file ``fd``, whose size was ``size`` a moment ago.

    As :func:`read_capped`, without a file object: the first read asks for one byte more
    than ``size`` (a file of that size is read in one call and its end seen in the next),
    later reads for at most 64 KiB at a time, so that no buffer of ``cap`` bytes is
    allocated for a file that is small.
    """
    want = min(max(size, 0), cap - 1) + 1
    chunks: list[bytes] = []
    total = 0
    while total < cap:
        chunk = os.read(fd, want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = min(cap - total, 65536)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)




def read_config_bytes(path: Path) -> bytes:
    """The bytes of ``kolplan.yaml``, read as a plan's are (:func:`read_plan_bytes`): only a
    regular file is opened, and at most :data:`MAX_READ` bytes are read (the reader then
    says the file is too large). Raises :class:`OSError` saying what is wrong."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise OSError(0, f"it is {file_kind(mode)}, not a file")
    fd = os.open(path, _READ_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(0, f"it is {file_kind(st.st_mode)}, not a file")
        return read_fd_capped(fd, st.st_size, MAX_READ)
    finally:
        os.close(fd)
