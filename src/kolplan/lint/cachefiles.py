"""The files of the ``validate`` cache (:mod:`kolplan.lint.cache`): sealed, read safely,
written atomically, pruned; the key that names them; and the checked ``kolplan.yaml``'s
view kept beside them.

Every cache file is one header line and a JSON body. The header names the format, the
kind of file and the key (which stands for kolplan's code, kolplan.yaml and --as-of), and
carries a blake2b digest of the body keyed by that key: a file of another key, a body
changed by even one byte, a truncated or garbled file does not match, and is not used.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kolplan import __version__
from kolplan.errors import KolplanError
from kolplan.repo.files import read_fd_capped
from kolplan.schema.configview import ConfigView

if TYPE_CHECKING:
    import datetime as dt

CACHE_DIR: Final = ".kolplan/cache"
FORMAT: Final = 4
# No cache file is read past this many bytes (one at 10,000 plans is about 3 MB); a bigger
# one is ignored, and rewritten by the run.
MAX_CACHE_BYTES: Final = 64 * 1024 * 1024
# Cache files of other keys (another --as-of, an older kolplan.yaml) kept besides the current one.
KEEP_FILES: Final = 4
# A file modified less than this before it was read keeps no stat in its entry (see above).


@functools.cache
def code_fingerprint() -> str:
    """kolplan's version and the content of every file of the installed package, with
    Python's version and those of the libraries that shape a result (pydantic's messages
    in KP010, PyYAML's parser).

    A new kolplan version changes it, and so does any edit of kolplan's code, even one
    that keeps a file's size and modification time (a development install keeps its
    version number while its rules change; a checkout of another commit can leave both
    as they were). Hashing the package's ~400 KB costs a few milliseconds, once a run.
    """
    h = hashlib.blake2b(f"{__version__}\0{sys.version}\0".encode(), digest_size=16)
    h.update(tree_digest(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))).encode())
    for name in _library_versions():
        h.update(name.encode("utf-8", "surrogateescape") + b"\0")
    return h.hexdigest()


def tree_digest(package: str) -> str:
    """The digest of every file's path and content under ``package`` (not the bytecode
    caches, nor the templates, which validate never reads)."""
    h = hashlib.blake2b(digest_size=16)
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "templates"))
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(folder, name)
            data = read_cache_file(path, MAX_CACHE_BYTES, follow=True)  # an install may link its files
            rel = os.path.relpath(path, package).encode("utf-8", "surrogateescape")
            if data is None:
                h.update(b"?" + rel + b"\0")
                continue
            h.update(b"%s\0%d\0" % (rel, len(data)))
            h.update(data)
    return h.hexdigest()


_LIBRARIES: Final = ("pydantic", "pyyaml")  # pydantic and pydantic_core; PyYAML


def _library_versions() -> list[str]:
    """The ``*.dist-info`` names (name and version) of :data:`_LIBRARIES` on ``sys.path``:
    one listing of each site-packages folder, no import."""
    names: list[str] = []
    for entry in sys.path:
        if not entry.endswith(("site-packages", "dist-packages")):
            continue
        try:
            listing = os.listdir(entry)
        except OSError:
            continue
        names += sorted(n for n in listing if n.endswith(".dist-info") and n.lower().startswith(_LIBRARIES))
    return names


def cache_key(config_digest: str, as_of: dt.date) -> str:
    raw = json.dumps([FORMAT, code_fingerprint(), config_digest, as_of.isoformat()])
    return hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()



_MAGIC: Final = b"kolplan-cache"


def seal(kind: str, key: str, content: Any) -> bytes:
    """``content`` as the bytes of a cache file of ``kind`` under ``key``."""
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    return b"%s %d %s %s %s\n" % (_MAGIC, FORMAT, kind.encode(), key.encode(), _check(kind, key, body).encode()) \
        + body


def unseal(data: bytes, kind: str, key: str) -> Any | None:
    """The content of a cache file's bytes, or None unless its header and digest match."""
    head, nl, body = data.partition(b"\n")
    if not nl or head.count(b" ") != 4:
        return None
    magic, fmt, got_kind, got_key, check = head.split(b" ")
    if (magic != _MAGIC or fmt != str(FORMAT).encode() or got_kind != kind.encode() or got_key != key.encode()
            or check != _check(kind, key, body).encode()):
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _check(kind: str, key: str, body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16, key=key.encode()[:64],
                           person=f"{kind}/{FORMAT}".encode()[:16]).hexdigest()


def read_cache_file(path: str | Path, cap: int = MAX_CACHE_BYTES, *, follow: bool = False) -> bytes | None:
    """The bytes of a regular file of at most ``cap`` bytes; None for anything else.

    A FIFO, socket, device or symbolic link (unless ``follow``: then what it points to
    must be a regular file) is refused from its stat, before it is opened, and the file
    is opened non-blocking and checked again once open: nothing in the cache folder can
    make a run wait or read without end.
    """
    try:
        st = os.stat(path) if follow else os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > cap:
            return None
        fd = os.open(path, _READ_FOLLOWING if follow else CACHE_READ_FLAGS)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > cap:
                return None
            data = read_fd_capped(fd, st.st_size, cap + 1)
        finally:
            os.close(fd)
    except OSError:
        return None
    return data if len(data) <= cap else None


_READ_FOLLOWING: Final = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
CACHE_READ_FLAGS: Final = _READ_FOLLOWING | getattr(os, "O_NOFOLLOW", 0)



def write_cache_file(root: Path, path: Path, payload: bytes, prefix: str) -> None:
    """Write one cache file atomically, over whatever is in its place but a folder (a FIFO
    or a link there is removed, not followed); prune the older files of its kind. Errors
    are ignored: an unwritable cache is no error (SPEC 5.1)."""
    # lazy: only when the cache is written (a warm validate only reads it)
    from kolplan.yamlio.atomic import atomic_write

    try:
        _ensure_folder(root)
        try:
            mode = os.lstat(path).st_mode
            if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
                os.unlink(path)
        except FileNotFoundError:
            pass
        atomic_write(path, payload, root=root)
        _prune(path.parent, prefix, path.name)
    except (OSError, KolplanError, ValueError, TypeError):
        pass


def _ensure_folder(root: Path) -> None:
    """Create ``.kolplan/cache`` with a ``.gitignore`` of its own (``*``), in case the
    repository's does not list it."""
    # lazy: only when the cache is written (a warm validate only reads it)
    from kolplan.yamlio.atomic import atomic_write

    folder = root / CACHE_DIR
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True)
    ignore = root / ".kolplan" / ".gitignore"
    if not ignore.exists():
        atomic_write(ignore, "# written by kolplan: its cache is not part of the repository\n*\n", root=root)


def _prune(folder: Path, prefix: str, keep: str) -> None:
    """Remove all but the newest :data:`KEEP_FILES` cache files besides ``keep``."""
    try:
        olds = [p for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(".json")
                and p.name != keep]
        if len(olds) <= KEEP_FILES:
            return
        olds.sort(key=lambda p: p.lstat().st_mtime_ns, reverse=True)
        for p in olds[KEEP_FILES:]:
            p.unlink(missing_ok=True)
    except OSError:
        pass


# -- kolplan.yaml, checked once -------------------------------------------------------------
def _snapshot_path(root: Path, config_digest: str) -> Path:
    key = hashlib.blake2b(f"{FORMAT}:{code_fingerprint()}:{config_digest}".encode(), digest_size=16).hexdigest()
    return root / CACHE_DIR / f"config-{key}.json"


def config_snapshot(root: Path, config_digest: str) -> ConfigView | None:
    """The view of the checked config of this digest, or None.

    Only ever written after ``kolplan.yaml`` with exactly this digest validated, under
    exactly this kolplan code, and used only if its file is whole and says so (its key
    stands for both). It serves the cross-plan rules, the rule settings and the labels;
    plan rules always get the real model (:attr:`kolplan.repo.root.Repo.config`).
    """
    path = _snapshot_path(root, config_digest)
    data = read_cache_file(path)
    if data is None:
        return None
    raw = unseal(data, "config", path.stem.removeprefix("config-"))
    try:
        if type(raw) is not dict or raw.get("digest") != config_digest:
            return None
        return ConfigView.from_json(raw["view"])
    except (ValueError, KeyError, TypeError, RecursionError):
        return None


def save_config_snapshot(root: Path, config_digest: str, view: ConfigView) -> None:
    """Keep ``view`` (of a validated ``kolplan.yaml``) for :func:`config_snapshot`.

    Called when a run had to load the real config, so that whatever is in the snapshot's
    place (nothing, or a file that did not verify) is replaced."""
    path = _snapshot_path(root, config_digest)
    try:
        payload = seal("config", path.stem.removeprefix("config-"), {"digest": config_digest,
                                                                      "view": view.to_json()})
    except (ValueError, TypeError):
        return
    write_cache_file(root, path, payload, "config-")
