"""The ``validate`` cache under ``<repo>/.kolplan/cache/`` (SPEC 5).

One file's check (:func:`kolplan.lint.check.check_bytes`) yields its diagnostics, its inline
suppressions and the :class:`~kolplan.lint.facts.PlanFacts` the cross-plan rules
need. That result depends only on the file's bytes and path, ``kolplan.yaml``, kolplan
itself and ``--as-of`` (date rules). The cache keeps the results of every plan under a
key made of everything but the bytes, and each entry is used only for the content
digest it was computed from. Suppressions, ``rules:`` and ``--select``/``--ignore``
apply on every run, so ``validate`` prints the same diagnostics with and without it.

Two files per key, because a warm run needs much less than a cold one:

- ``validate-<key>.json``: per file its digest, stat, diagnostics, suppressions and the
  digest of its cross-plan facts, plus the cross-plan diagnostics of the last run and a
  digest of the inputs they were computed from: every file's path, place and facts'
  digest, which is all the cross-plan rules see. When no file was added or removed and
  no plan's facts changed (most edits: a logged interaction, a new status, anything
  below ``owners:``), the cross-plan rules are not run again and no facts are read.
- ``facts-<key>.json``: per file the facts the cross-plan rules need, with their digest.
  Read only when the cross-plan rules must run; a missing or mismatched entry has that
  file checked again.

Reading a cached entry must not cost a read of the file: an entry also keeps the file's
``(size, mtime_ns, inode, ctime_ns)``, and when all four still match the file is taken
as unchanged. A file modified within :data:`RACY_NS` of the moment it was read could be
modified again in the same clock tick without changing its stat, so such an entry keeps
no stat and is hashed next time (git's "racily clean" rule).

The cache is a speed-up, never a source of truth (SPEC 9). The folder lives in the
repository, and a CI cache may be restored from another branch, so its content is
checked, never believed:

- every file (``validate-``, ``facts-``, ``config-``) starts with a header naming its
  format, its kind and its key, with a blake2b digest of its body keyed by that key: the
  key stands for the inputs (kolplan's code, byte for byte, :func:`code_fingerprint`;
  ``kolplan.yaml``'s digest; ``--as-of``), the digest for the content. A file of another
  key, kind or format, or changed by even one byte, is not used (:func:`unseal`);
- every per-file entry stands for the digest of the plan's bytes it was computed from
  (the stat only spares hashing a file whose stat, inode change time included, has not
  moved); every facts entry for the facts' digest, which must be the one its plan's
  entry names; the cross-plan findings for the digest of every input they were made from;
- every entry's shape is checked before use (a bad entry is a miss), and JSON, never
  pickle, is read;
- a cache file is read only if it is a regular file (never a FIFO, device or link: the
  ``lstat`` says so before it is opened, non-blocking) of at most
  :data:`MAX_CACHE_BYTES` (:func:`read_cache_file`).

Anything that does not match is recomputed and the file written anew, silently. The
digests detect damage and mismatch (a flipped byte, a truncated file, another branch's
or another kolplan's cache), not a writer who recomputes them: whoever can write the
cache folder can also write the plans, kolplan.yaml or kolplan itself.

Writes go through :func:`atomic_write` (a temp file and a rename), so a concurrent run
reads the old file or the new one, never half of one. Any error while reading or
writing the cache is swallowed: the run goes on as if there were no cache.

When ``kolplan.yaml`` has been validated once, its checked content is kept too (a
"snapshot", keyed by the file's digest and kolplan's code), so that a run that finds
every plan in the cache needs neither pydantic nor the models: see :func:`config_snapshot`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kolplan import __version__
from kolplan.diagnostics import Diagnostic, Severity
from kolplan.lint.check import FileResult
from kolplan.lint.facts import PlanFacts
from kolplan.lint.suppressions import Suppression
from kolplan.repo.files import read_fd_capped

if TYPE_CHECKING:
    import datetime as dt

    from kolplan.schema.configview import ConfigView

CACHE_DIR: Final = ".kolplan/cache"
FORMAT: Final = 4
# No cache file is read past this many bytes (one at 10,000 plans is about 3 MB); a bigger
# one is ignored, and rewritten by the run.
MAX_CACHE_BYTES: Final = 64 * 1024 * 1024
# Cache files of other keys (another --as-of, an older kolplan.yaml) kept besides the current one.
KEEP_FILES: Final = 4
# A file modified less than this before it was read keeps no stat in its entry (see above).
RACY_NS: Final = 3_000_000_000

Stamp = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns
Record = list[Any]  # [diagnostics, facts or None, suppressions], JSON-compatible
_SEVERITIES: Final = {s.value: s for s in Severity}


class BadEntry(ValueError):
    """A cached entry whose shape is not what this version writes."""


def open_cache(root: Path, config_digest: str, as_of: dt.date, enabled: bool) -> ResultCache | None:
    """The cache for one ``validate`` run, or None under ``--no-cache``."""
    return ResultCache.open(root, config_digest, as_of) if enabled else None


def digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def facts_digest(facts: dict[str, Any]) -> str:
    """The digest of a record's facts (what the cross-plan rules see of one plan).

    Their ``repr``: it shows the content only (strings, numbers, lists, dicts), is about
    twice as fast as ``json.dumps`` on an object this small, and needs no sorting: the
    same code writes the facts in the same key order, and kolplan's code is part of the
    cache key.
    """
    return hashlib.blake2b(repr(facts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


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


def cacheable(rel: str) -> bool:
    """Only files inside the repository are cached (named files may lie outside it)."""
    return not (rel.startswith(("../", "/")) or rel == "..")


def stamp_of(st: os.stat_result, now_ns: int) -> Stamp | None:
    """The stat to keep for a regular file just read, or None when it changed too recently."""
    if now_ns - st.st_mtime_ns < RACY_NS or now_ns - st.st_ctime_ns < RACY_NS:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


# -- one file's result as JSON-compatible lists ------------------------------------------
def encode(result: FileResult) -> Record | None:
    """The record kept for ``result``, or None if it cannot be kept (it is then rechecked).
    What :attr:`CheckEnv.project` made of the plan is not part of it."""
    diags = []
    for d in result.diagnostics:
        if d.path != result.path:
            return None
        diags.append([d.line, d.column, d.severity.value, d.code, d.rule, d.message])
    facts = None
    if result.facts is not None:
        if result.facts.path != result.path:
            return None
        facts = result.facts.to_json()
        del facts["path"], facts["in_portfolio"]  # given by where the file is, not by its content
    sups = [[s.line, s.column, list(s.tokens), s.file_level] for s in result.suppressions]
    return [diags, facts, sups]


def decode_fresh(rel: str, in_portfolio: bool, rec: Record) -> FileResult:
    """The result a worker of this very run has just made, from its record. What is read
    back from disk (:meth:`ResultCache.lookup`, :meth:`ResultCache.facts_of`) is built by
    the same constructors, after shape checks."""
    diags_raw, f, sups_raw = rec
    diags = [Diagnostic(rel, d[0], d[1], _SEVERITIES[d[2]], d[3], d[4], d[5]) for d in diags_raw]
    sups = [Suppression(s[0], s[1], tuple(s[2]), s[3]) for s in sups_raw]
    facts = None
    if f is not None:
        facts = PlanFacts(rel, f["id"], f["name"], f["institution"], f["name_key"], f["institution_key"],
                          f["identifiers"], {k: (v[0], v[1]) for k, v in f["identifier_pos"].items()},
                          (f["name_pos"][0], f["name_pos"][1]), f["leads"],
                          (f["owners_pos"][0], f["owners_pos"][1]), in_portfolio)
    return FileResult(rel, diags, facts, sups, valid=facts is not None)


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise BadEntry("not a list")
    return value


def _pos_int(value: Any) -> int:
    if type(value) is not int or value < 1:
        raise BadEntry("not a position")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise BadEntry("not text")
    return value


def _diagnostics(rel: str, raw: Any) -> list[Diagnostic]:
    return [_diagnostic(rel, d) for d in _list(raw)] if raw else []


def _suppressions(raw: Any) -> list[Suppression]:
    return [_suppression(s) for s in _list(raw)] if raw else []


def _diagnostic(rel: str, d: Any) -> Diagnostic:
    line, col, sev, code, rule, message = _list(d)
    severity = _SEVERITIES.get(sev) if type(sev) is str else None
    if severity is None:
        raise BadEntry("bad severity")
    return Diagnostic(rel, _pos_int(line), _pos_int(col), severity, _str(code), _str(rule), _str(message))


def _suppression(s: Any) -> Suppression:
    line, col, tokens, file_level = _list(s)
    if type(file_level) is not bool:
        raise BadEntry("bad suppression")
    return Suppression(_pos_int(line), _pos_int(col), tuple(_str(t) for t in _list(tokens)), file_level)


_FACT_KEYS: Final = frozenset({"id", "name", "institution", "name_key", "institution_key", "identifiers",
                                "identifier_pos", "name_pos", "leads", "owners_pos"})


def _facts(rel: str, in_portfolio: bool, raw: Any) -> PlanFacts:
    if type(raw) is not dict:
        raise BadEntry("facts are not a mapping")
    if raw.keys() != _FACT_KEYS:  # PlanFacts has changed shape: let it read what it wrote
        f = PlanFacts.from_json({**raw, "path": rel, "in_portfolio": in_portfolio})
        for p in (*f.identifier_pos.values(), f.name_pos, f.owners_pos):
            _pos(p)
    else:  # the usual case, without from_json's copies
        ids, id_pos = raw["identifiers"], raw["identifier_pos"]
        if type(ids) is not dict or type(id_pos) is not dict:
            raise BadEntry("bad identifiers")
        f = PlanFacts(rel, raw["id"], raw["name"], raw["institution"], raw["name_key"], raw["institution_key"],
                      ids, {k: _pos(v) for k, v in id_pos.items()}, _pos(raw["name_pos"]), raw["leads"],
                      _pos(raw["owners_pos"]), in_portfolio)
    # check what the cross-plan rules rely on
    if not (type(f.id) is str and type(f.name) is str and type(f.name_key) is str
            and type(f.institution_key) is str and (f.institution is None or type(f.institution) is str)
            and type(f.leads) is list and all(type(h) is str for h in f.leads)
            and type(f.identifiers) is dict and all(type(v) is str for v in f.identifiers.values())):
        raise BadEntry("bad facts")
    return f


def _pos(value: Any) -> tuple[int, int]:
    line, col = value
    if type(line) is not int or type(col) is not int or line < 1 or col < 1:
        raise BadEntry("not a position")
    return (line, col)


def _cross_row(d: Diagnostic) -> list[Any]:
    return [d.path, d.line, d.column, d.severity.value, d.code, d.rule, d.message]


# -- the cache files ---------------------------------------------------------------------
# Every cache file is one header line and a JSON body. The header names the format, the
# kind of file and the key (which stands for kolplan's code, kolplan.yaml and --as-of), and
# carries a blake2b digest of the body keyed by that key: a file of another key, a body
# changed by even one byte, a truncated or garbled file does not match, and is not used.
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
        fd = os.open(path, _READ_FOLLOWING if follow else _CACHE_READ_FLAGS)
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
_CACHE_READ_FLAGS: Final = _READ_FOLLOWING | getattr(os, "O_NOFOLLOW", 0)


class ResultCache:
    """The cache of one key for one run.

    ``old`` is what the last run left (``rel -> [digest, stamp or None, diagnostics,
    suppressions, valid, facts' digest or None]``); ``new`` collects this run's entries,
    so that files no longer in the portfolio drop out. The facts of valid plans live
    beside them (``rel -> [facts' digest, facts]``) and are read on first need.
    """

    def __init__(self, root: Path, key: str, config_digest: str, entries: dict[str, Any] | None = None,
                 cross: Any = None) -> None:
        self.root = root
        self._prefix = os.path.join(root, "")
        self.key = key
        self.config_digest = config_digest
        self.old: dict[str, Any] = entries or {}
        self.new: dict[str, list[Any]] = {}
        self.changed = False
        self._cross_old = cross
        self._cross_new: list[Any] | None = None
        self._facts_old: dict[str, Any] | None = None
        self._facts_new: dict[str, list[Any]] = {}
        self._facts_changed = False

    @property
    def folder(self) -> Path:
        return self.root / CACHE_DIR

    @property
    def path(self) -> Path:
        return self.folder / f"validate-{self.key}.json"

    @property
    def facts_path(self) -> Path:
        return self.folder / f"facts-{self.key}.json"

    @classmethod
    def open(cls, root: Path, config_digest: str, as_of: dt.date) -> ResultCache:
        """The cache of this key; empty when there is none or it cannot be read or trusted."""
        cache = cls(root, cache_key(config_digest, as_of), config_digest)
        raw = cache._read(cache.path, "validate")
        if raw is not None and type(raw.get("files")) is dict:
            cache.old = raw["files"]
            cache._cross_old = raw.get("cross")
        return cache

    def _read(self, path: Path, kind: str) -> dict[str, Any] | None:
        """The content of one of this key's files, if it is whole and is what it says it is."""
        data = read_cache_file(path)
        raw = unseal(data, kind, self.key) if data is not None else None
        return raw if type(raw) is dict else None

    # -- per file ------------------------------------------------------------------------
    def lookup(self, rel: str, in_portfolio: bool, *, diagnostics: bool = True) -> FileResult | None:
        """The cached result of ``rel`` if its content has not changed since; None otherwise.

        Its facts are not read here (``facts`` is None, ``valid`` says whether it has
        some): :meth:`facts_of` reads them when the cross-plan rules must run. With
        ``diagnostics=False`` (a file that is not reported) its diagnostics and
        suppressions are not read either, and the result carries none.
        """
        entry = self.old.get(rel)
        if entry is None:
            return None
        try:
            digest, old_stamp, diags_raw, sups_raw, valid, facts = entry
            if type(digest) is not str or type(valid) is not bool or valid != (type(facts) is str):
                return None
            path = self._prefix + rel
            st = os.lstat(path)
            # a kept stamp is a regular file's: if it matches, this is still that file
            if old_stamp != [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]:
                if not stat.S_ISREG(st.st_mode):
                    return None
                now = time.time_ns()
                fd = os.open(path, _CACHE_READ_FLAGS)  # the plan: never a FIFO or a link swapped in since
                try:
                    if not stat.S_ISREG(os.fstat(fd).st_mode):
                        return None
                    data = read_fd_capped(fd, st.st_size)
                finally:
                    os.close(fd)
                if digest_bytes(data) != digest:
                    return None
                stamp = stamp_of(st, now)
                entry = [digest, None if stamp is None else list(stamp), diags_raw, sups_raw, valid, facts]
                self.changed = True
            if diagnostics:
                result = FileResult(rel, _diagnostics(rel, diags_raw), None, _suppressions(sups_raw), valid=valid)
            else:
                if type(diags_raw) is not list or type(sups_raw) is not list:
                    return None
                result = FileResult(rel, [], None, [], valid=valid)
        except (OSError, BadEntry, TypeError, ValueError):
            return None
        self.new[rel] = entry
        return result

    def store(self, rel: str, digest: str, stamp: Stamp | None, rec: Record, facts_id: str | None = None) -> None:
        """Keep a file's fresh result: its :func:`encode` record, and the
        :func:`facts_digest` of its facts when the worker made it already."""
        diags, facts, sups = rec
        if facts is None:
            facts_id = None
        elif facts_id is None:
            facts_id = facts_digest(facts)
        self.new[rel] = [digest, None if stamp is None else list(stamp), diags, sups, facts is not None, facts_id]
        self.changed = True
        if facts is not None:
            self._facts_new[rel] = [facts_id, facts]
            old = self.old.get(rel)
            # the facts file already holds these facts unless they are new (or it lost them:
            # then the next run that needs them checks the file again and writes them back)
            if not (type(old) is list and len(old) == 6 and old[5] == facts_id):
                self._facts_changed = True

    def facts_of(self, rel: str, in_portfolio: bool) -> PlanFacts | None:
        """The facts of a file :meth:`lookup` found, or None (then check it again)."""
        entry = self.new.get(rel)
        if entry is None:
            return None
        if self._facts_old is None:
            raw = self._read(self.facts_path, "facts")
            facts = raw.get("facts") if raw is not None else None
            self._facts_old = facts if type(facts) is dict else {}
        try:
            facts_id, raw_facts = self._facts_old[rel]
            if facts_id != entry[5]:
                return None
            facts = _facts(rel, in_portfolio, raw_facts)
        except (KeyError, BadEntry, TypeError, ValueError, IndexError, AttributeError):
            return None
        self._facts_new[rel] = [facts_id, raw_facts]
        return facts

    # -- the cross-plan diagnostics --------------------------------------------------------
    def inputs_digest(self, items: Sequence[tuple[str, bool]]) -> str | None:
        """What the cross-plan rules saw: every file's path, place and facts' digest (a file
        without facts contributes its path only). None when a file has no entry (it could
        not be cached), so its facts are not pinned down."""
        h = hashlib.blake2b(digest_size=16)
        new = self.new
        parts = []
        for rel, inp in items:
            entry = new.get(rel)
            if entry is None:
                return None
            parts.append(f"{rel}\0{entry[5] or '-'}\0{int(inp)}")
        h.update("\n".join(parts).encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def cross_memo(self, inputs: str) -> list[Diagnostic] | None:
        """The cross-plan diagnostics kept for exactly these inputs, or None."""
        memo = self._cross_old
        try:
            if type(memo) is not list or memo[0] != inputs:
                return None
            out = []
            for row in _list(memo[1]):
                path, *rest = _list(row)
                out.append(_diagnostic(_str(path), rest))
        except (BadEntry, TypeError, ValueError, IndexError):
            return None
        self._cross_new = memo
        return out

    def remember_cross(self, inputs: str, diags: list[Diagnostic]) -> None:
        self._cross_new = [inputs, [_cross_row(d) for d in diags]]
        if self._cross_new != self._cross_old:
            self.changed = True

    # -- writing -------------------------------------------------------------------------
    def save_config(self, view: ConfigView) -> None:
        save_config_snapshot(self.root, self.config_digest, view)

    def save(self) -> None:
        """Write the entries of this run (if anything changed); errors are ignored."""
        main_changed = self.changed or self.new.keys() != self.old.keys() or self._cross_new != self._cross_old
        if main_changed:
            self._write(self.path, "validate", {"files": self.new, "cross": self._cross_new})
        # The facts file is rewritten when facts were added, or when they were all read
        # (the cross-plan rules ran) and some belong to files that are gone.
        if self._facts_changed or (self._facts_old is not None and self._facts_old.keys() != self._facts_new.keys()):
            # facts stored but the old ones never read: keep those of unchanged files too
            facts = self._facts_new if self._facts_old is not None else self._merged_facts()
            self._write(self.facts_path, "facts", {"facts": facts})

    def _merged_facts(self) -> dict[str, list[Any]]:
        raw = self._read(self.facts_path, "facts")
        old = raw.get("facts") if raw is not None else None
        out: dict[str, list[Any]] = {}
        for rel, entry in self.new.items():
            if rel in self._facts_new:
                out[rel] = self._facts_new[rel]
            elif entry[4] and type(old) is dict and type(old.get(rel)) is list and old[rel][:1] == [entry[5]]:
                out[rel] = old[rel]
        return out

    def _write(self, path: Path, kind: str, content: dict[str, Any]) -> None:
        try:
            payload = seal(kind, self.key, content)
        except (ValueError, TypeError):
            return
        _write_cache_file(self.root, path, payload, f"{kind}-")


def _write_cache_file(root: Path, path: Path, payload: bytes, prefix: str) -> None:
    """Write one cache file atomically, over whatever is in its place but a folder (a FIFO
    or a link there is removed, not followed); prune the older files of its kind. Errors
    are ignored: an unwritable cache is no error (SPEC 5.1)."""
    from kolplan.errors import KolplanError
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
    from kolplan.schema.configview import ConfigView

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
    _write_cache_file(root, path, payload, "config-")
