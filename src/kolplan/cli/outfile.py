"""``-o FILE``: the one gate every command's output file goes through (SPEC 5.1).

``-o FILE`` writes where the user says, inside or outside the repository, relative to
the current directory; ``-o -`` is standard output. Refused with exit 2 and one line,
before any work and again right before the write, the file untouched:

* an empty name, a folder, a missing parent folder, a parent that is not a folder, a
  read-only file or a folder the user cannot write in, a socket or block device;
* what kolplan reads as input or git keeps (:func:`protected_reason`): a ``kolplan.yaml``,
  a file discovery would read as a plan (under ``plans/``, in any sub-folder, whether it
  exists yet or not), anything under the repository's ``templates/`` or the built-in
  templates, anything in a git dir (the repository's, found by walking up for ``.git``
  as git does, a worktree's ``gitdir:`` and its common dir, ``$GIT_DIR``, and any
  ``.git`` folder on the way), and files ``validate`` was asked to check.

Paths are compared as the system sees them, not as written: symlinks resolved, ``..``
folded, folders compared by device and inode (so a bind mount or another spelling on a
case-insensitive disk is the same folder), and an existing target compared by inode with
every protected file (a hard link or symlink to a plan is that plan).

The write itself is :func:`~kolplan.yamlio.atomic.atomic_write` (temporary file in the
same folder, fsync, rename). A terminal, ``/dev/null`` or a named pipe is written to
directly, since it cannot be replaced.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from kolplan.errors import UsageError, WriteError
from kolplan.formats.escape import clean, undecodable
from kolplan.repo.discovery import discover, is_plan_name
from kolplan.repo.root import find_root

STDOUT: Final = "-"
_CONFIG_NAME: Final = "kolplan.yaml"
_UNWRITABLE: Final = frozenset({1, 13, 30})  # EPERM, EACCES, EROFS


@dataclass(frozen=True)
class Output:
    """Where a command's result goes: standard output, or a checked file."""

    given: str | None  # as the user wrote it; None or "-" for standard output
    root: Path
    inputs: tuple[Path, ...] = field(default=())

    @property
    def to_stdout(self) -> bool:
        return self.given is None or self.given == STDOUT

    def write(self, text: str) -> None:
        """Print ``text``, or check the file again and write it atomically (a note on stderr).

        The bytes of a file name that are not UTF-8 are shown escaped (``\\xe9``): what is
        written is UTF-8 text."""
        text = undecodable(text)
        if self.to_stdout:
            sys.stdout.write(text)
            return
        assert self.given is not None
        # lazy: only when -o writes a file; list, owners, render and report import this module
        from kolplan.yamlio.atomic import atomic_write

        target, stream = check_output_file(self.given, self.root, self.inputs)
        if stream:
            _write_stream(self.given, target, text)
        else:
            try:
                atomic_write(target, text)
            except WriteError as exc:
                if exc.errno in _UNWRITABLE:
                    raise UsageError(f"-o {_shown(self.given)}: {exc.message}") from None
                raise
        sys.stderr.write(f"kolplan: wrote {clean(self.given)}\n")

    @contextlib.contextmanager
    def captured(self) -> Iterator[None]:
        """What the block prints goes to the output file (it goes to standard output anyway)."""
        if self.to_stdout:
            yield
            return
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            yield
        self.write(buffer.getvalue())


def open_output(given: str | None, root: Path, inputs: Iterable[Path] = ()) -> Output:
    """Check ``-o given`` before the work (exit 2 if refused); the :class:`Output` to write to later."""
    out = Output(given, root, tuple(inputs))
    if not out.to_stdout:
        assert given is not None
        check_output_file(given, root, out.inputs)
    return out


def check_output_file(given: str, root: Path, inputs: Sequence[Path] = ()) -> tuple[Path, bool]:
    """The real path to write for ``-o given``, and whether it is a stream; UsageError (exit 2) if refused."""
    shown = _shown(given)
    if not given:
        raise UsageError("-o needs a file name (or - for standard output)")
    if given.endswith(("/", os.sep)):
        raise UsageError(f"-o {shown} names a folder: give a file name, e.g. -o {shown}report.md")
    absolute = Path.cwd() / given  # ".." is left to the system, which applies it after the symlinks before it
    try:
        st: os.stat_result | None = os.stat(absolute)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        raise UsageError(f"-o {shown}: {_shown(str(Path(given).parent))} is not a folder") from None
    except OSError as exc:
        raise UsageError(f"-o {shown}: {exc.strerror or exc}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise UsageError(f"-o {shown} is a folder: give a file name, e.g. -o {shown.rstrip('/')}/report.md")
    try:
        real = absolute.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        raise UsageError(f"-o {shown} is a symbolic link that loops back on itself") from None
    folder = real.parent
    if not folder.is_dir():
        parent = _shown(str(Path(given).parent))
        if folder.exists() or os.path.lexists(folder):
            raise UsageError(f"-o {shown}: {parent} is not a folder")
        raise UsageError(f"-o {shown}: the folder {parent} does not exist: create it first")
    reason = protected_reason(real, st, root, inputs, given_name=absolute.name)
    if reason is not None:
        raise UsageError(f"-o {shown} {reason}: -o never overwrites kolplan's inputs or git's files; write the "
                         "output somewhere else")
    stream = st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode))
    if st is not None and not stream and not stat.S_ISREG(st.st_mode):
        raise UsageError(f"-o {shown} is not a regular file (a socket or a device): give a file name")
    if st is not None and not os.access(absolute, os.W_OK):
        raise UsageError(f"-o {shown}: the file is read-only (permission denied)")
    if not stream and not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"-o {shown}: cannot write in the folder {_shown(str(Path(given).parent))} "
                         "(permission denied)")
    return (absolute if stream else real), stream


def protected_reason(real: Path, st: os.stat_result | None, root: Path, inputs: Sequence[Path] = (),
                     *, given_name: str | None = None) -> str | None:
    """Why ``real`` (a resolved path; ``st`` its stat or None) must not be written by ``-o``, or None."""
    if _CONFIG_NAME in {real.name.casefold(), (given_name or "").casefold()}:
        return "is a kolplan.yaml, a repository's configuration"
    if ".git" in real.parts:
        return "is one of git's own files (.git)"

    repos = _unique([root.absolute(), find_root(real.parent)])
    folders = _Folders(real.parent)
    for repo in repos:
        for gitdir in _git_dirs(repo):
            if folders.under(gitdir) is not None:
                return "is one of git's own files (the repository's git folder)"
        if folders.under(repo / "templates") is not None:
            return "is under templates/, where kolplan reads templates"
        below = folders.under(repo / "plans")
        if below is not None and _is_plan_path([*below, real.name]):
            return "is a plan file (kolplan reads every .yaml and .yml file under plans/)"
    for gitdir in _env_git_dirs(real.parent):
        if folders.under(gitdir) is not None:
            return "is one of git's own files (the repository's git folder)"
    with contextlib.suppress(FileNotFoundError):
        # lazy: only when -o names a file to write; list and owners import this module
        from kolplan.resources import builtin_templates_dir

        if folders.under(builtin_templates_dir()) is not None:
            return "is among kolplan's built-in templates"
    for given in inputs:
        path = Path(os.path.abspath(given))
        if path.is_dir():
            below = folders.under(path)
            if below is not None and _is_plan_path([*below, real.name]):
                return "is a file validate was asked to check"
    if st is None:
        return None
    identity = (st.st_dev, st.st_ino)
    for repo in repos:
        if identity in _plan_identities(repo):
            return "is a plan file (the same file as one under plans/)"
        if identity in _identities([repo / _CONFIG_NAME]):
            return "is the repository's kolplan.yaml"
    if identity in _identities(Path(os.path.abspath(p)) for p in inputs):
        return "is a file validate was asked to check"
    return None


class _Folders:
    """The folders above a path, by device and inode: ``under(folder)`` says where, if at all."""

    def __init__(self, folder: Path) -> None:
        self.chain: list[tuple[tuple[int, int], list[str]]] = []
        below: list[str] = []
        for f in (folder, *folder.parents):
            with contextlib.suppress(OSError):
                st = os.stat(f)
                self.chain.append(((st.st_dev, st.st_ino), list(below)))
            below.insert(0, f.name)

    def under(self, folder: Path) -> list[str] | None:
        """The names between ``folder`` and the path (empty: directly in it), or None if not under it."""
        try:
            st = os.stat(folder)
        except OSError:
            return None
        if not stat.S_ISDIR(st.st_mode):
            return None
        key = (st.st_dev, st.st_ino)
        for identity, below in self.chain:
            if identity == key:
                return below
        return None


def _is_plan_path(parts: list[str]) -> bool:
    """Whether discovery would read the file at ``parts`` (below plans/) as a plan."""
    return is_plan_name(parts[-1]) and not any(p.startswith((".", "_")) for p in parts[:-1])


def _plan_identities(repo: Path) -> set[tuple[int, int]]:
    plans = repo / "plans"
    if not plans.is_dir():
        return set()
    return _identities(repo / rel for rel in discover(plans, repo))


def _identities(paths: Iterable[Path]) -> set[tuple[int, int]]:
    out = set()
    for p in paths:
        with contextlib.suppress(OSError):
            st = os.stat(p)
            out.add((st.st_dev, st.st_ino))
    return out


def _git_dirs(start: Path) -> list[Path]:
    """The git dir of the work tree ``start`` is in (and its common dir, for a worktree), as git finds it."""
    for folder in (start, *start.parents):
        dot = folder / ".git"
        if dot.is_dir():
            return [dot, *_common_dir(dot)]
        if dot.is_file():
            try:
                line = dot.read_text(encoding="utf-8", errors="replace").splitlines()[0]
            except (OSError, IndexError):
                return []
            if not line.startswith("gitdir:"):
                return []
            gitdir = (folder / line[len("gitdir:"):].strip()).absolute()
            return [gitdir, *_common_dir(gitdir)]
    return []


def _common_dir(gitdir: Path) -> list[Path]:
    try:
        text = (gitdir / "commondir").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return []
    return [(gitdir / text).absolute()] if text else []


def _env_git_dirs(cwd: Path) -> list[Path]:
    """``$GIT_DIR`` and ``$GIT_COMMON_DIR`` (set in git hooks), and the git dir above the target."""
    out = [Path(os.path.abspath(os.environ[v])) for v in ("GIT_DIR", "GIT_COMMON_DIR") if os.environ.get(v)]
    return [*out, *_git_dirs(cwd)]


def _unique(paths: Iterable[Path | None]) -> list[Path]:
    return list(dict.fromkeys(p for p in paths if p is not None))


def _write_stream(given: str, path: Path, text: str) -> None:
    """Write to a terminal, ``/dev/null`` or a pipe, which cannot be replaced by a rename."""
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise UsageError(f"-o {_shown(given)}: {exc.strerror or exc}") from None


def _shown(path: str) -> str:
    return clean(path)
