"""The plan files of a repository: found under ``plans/`` (or where named), and looked up by id."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kolplan.diagnostics import Diagnostic
from kolplan.repo.files import unreadable_folder

if TYPE_CHECKING:
    from kolplan.repo.root import Repo

PLAN_SUFFIXES: Final = (".yaml", ".yml")


def is_plan_name(name: str) -> bool:
    return name.endswith(PLAN_SUFFIXES) and not name.startswith((".", "_"))


def discover(folder: Path, root: Path, unreadable: list[Diagnostic] | None = None) -> list[str]:
    """Plan files under ``folder`` (recursively), as sorted repo-relative paths.

    Names starting with ``.`` or ``_`` are skipped, and so are such folders. A folder
    whose name ends in ``.yaml`` is listed, so that it is reported rather than missed.
    A folder that cannot be listed (permissions) is never skipped in silence: with
    ``unreadable``, a KP003 diagnostic naming it is appended there, one per folder
    (SPEC 9: a CI gate must not pass without checking every plan).
    """
    found: list[str] = []
    base = os.path.relpath(folder, root)

    def failed(exc: OSError) -> None:
        if unreadable is None:
            return
        where = exc.filename if isinstance(exc.filename, str) else os.fspath(folder)
        rel = _join(base, os.path.relpath(where, folder), "").rstrip("/") or "."
        unreadable.append(unreadable_folder(rel, exc))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=failed):
        prefix = _join(base, os.path.relpath(dirpath, folder), "")  # once per folder, not per file
        keep = []
        for d in dirnames:
            if d.startswith((".", "_")):
                continue
            if is_plan_name(d):
                found.append(prefix + d)
                continue
            keep.append(d)
        dirnames[:] = sorted(keep)
        found.extend(prefix + f for f in filenames if is_plan_name(f))
    return sorted(found)


def _join(base: str, rel_dir: str, name: str) -> str:
    parts = [p for p in (base, rel_dir) if p and p != "."]
    return "/".join([*(Path(p).as_posix() for p in parts), name])


def stem_of(rel: str) -> str:
    return os.path.splitext(rel.rsplit("/", 1)[-1])[0]


def plan_files(repo: Repo, unreadable: list[Diagnostic] | None = None) -> list[str]:
    """Every plan file under ``plans/`` (none when there is no such folder); see :func:`discover`."""
    return discover(repo.plans_dir, repo.root, unreadable) if repo.plans_dir.is_dir() else []


@dataclass
class PlanLookup:
    """The files whose name is a plan id, among every plan file of the repository."""

    plan_id: str
    matches: list[str]
    ids: list[str]  # every plan id, sorted
    unreadable: list[Diagnostic] = field(default_factory=list)  # folders that may hold it

    def guess(self) -> str | None:
        """The closest known id, for "did you mean"."""
        found = difflib.get_close_matches(self.plan_id, self.ids, n=1, cutoff=0.6)
        return found[0] if found else None


def look_up(repo: Repo, plan_id: str) -> PlanLookup:
    """The plan files named ``<plan_id>.yaml`` / ``.yml`` anywhere under ``plans/``."""
    unreadable: list[Diagnostic] = []
    files = plan_files(repo, unreadable)
    return PlanLookup(plan_id, [p for p in files if stem_of(p) == plan_id], sorted({stem_of(p) for p in files}),
                      unreadable)
