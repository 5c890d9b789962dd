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
  key stands for the inputs (kolplan's code, byte for byte, :func:`~kolplan.lint.cachefiles.code_fingerprint`;
  ``kolplan.yaml``'s digest; ``--as-of``), the digest for the content. A file of another
  key, kind or format, or changed by even one byte, is not used (:func:`~kolplan.lint.cachefiles.unseal`);
- every per-file entry stands for the digest of the plan's bytes it was computed from
  (the stat only spares hashing a file whose stat, inode change time included, has not
  moved); every facts entry for the facts' digest, which must be the one its plan's
  entry names; the cross-plan findings for the digest of every input they were made from;
- every entry's shape is checked before use (a bad entry is a miss), and JSON, never
  pickle, is read;
- a cache file is read only if it is a regular file (never a FIFO, device or link: the
  ``lstat`` says so before it is opened, non-blocking) of at most
  :data:`~kolplan.lint.cachefiles.MAX_CACHE_BYTES` (:func:`~kolplan.lint.cachefiles.read_cache_file`).

Anything that does not match is recomputed and the file written anew, silently. The
digests detect damage and mismatch (a flipped byte, a truncated file, another branch's
or another kolplan's cache), not a writer who recomputes them: whoever can write the
cache folder can also write the plans, kolplan.yaml or kolplan itself.

Writes go through :func:`atomic_write` (a temp file and a rename), so a concurrent run
reads the old file or the new one, never half of one. Any error while reading or
writing the cache is swallowed: the run goes on as if there were no cache.

When ``kolplan.yaml`` has been validated once, its checked content is kept too (a
"snapshot", keyed by the file's digest and kolplan's code), so that a run that finds
every plan in the cache needs neither pydantic nor the models: see :func:`~kolplan.lint.cachefiles.config_snapshot`.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kolplan.diagnostics import Diagnostic
from kolplan.lint.cachefiles import (
    CACHE_DIR,
    CACHE_READ_FLAGS,
    cache_key,
    read_cache_file,
    save_config_snapshot,
    seal,
    unseal,
    write_cache_file,
)
from kolplan.lint.facts import PlanFacts
from kolplan.lint.records import (
    BadEntry,
    Record,
    cross_row,
    read_diagnostic,
    read_diagnostics,
    read_facts,
    read_list,
    read_suppressions,
    read_text,
)
from kolplan.lint.result import FileResult
from kolplan.repo.files import read_fd_capped

if TYPE_CHECKING:
    import datetime as dt

    from kolplan.schema.configview import ConfigView

RACY_NS: Final = 3_000_000_000

Stamp = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns



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


def cacheable(rel: str) -> bool:
    """Only files inside the repository are cached (named files may lie outside it)."""
    return not (rel.startswith(("../", "/")) or rel == "..")


def stamp_of(st: os.stat_result, now_ns: int) -> Stamp | None:
    """The stat to keep for a regular file just read, or None when it changed too recently."""
    if now_ns - st.st_mtime_ns < RACY_NS or now_ns - st.st_ctime_ns < RACY_NS:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


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
                fd = os.open(path, CACHE_READ_FLAGS)  # the plan: never a FIFO or a link swapped in since
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
                result = FileResult(rel, read_diagnostics(rel, diags_raw), None, read_suppressions(sups_raw),
                                    valid=valid)
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
            facts = read_facts(rel, in_portfolio, raw_facts)
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
            for row in read_list(memo[1]):
                path, *rest = read_list(row)
                out.append(read_diagnostic(read_text(path), rest))
        except (BadEntry, TypeError, ValueError, IndexError):
            return None
        self._cross_new = memo
        return out

    def remember_cross(self, inputs: str, diags: list[Diagnostic]) -> None:
        self._cross_new = [inputs, [cross_row(d) for d in diags]]
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
        write_cache_file(self.root, path, payload, f"{kind}-")


