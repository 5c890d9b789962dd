"""Where GitHub finds a diagnostic's file: the paths ``--format github`` and ``--format sarif`` write.

Diagnostics carry paths relative to the kolplan root (what ``text``, ``json`` and
``markdown`` print). GitHub places annotations and code-scanning alerts by the path from
the top of the repository's work tree, so in a monorepo (``medical/kolplan.yaml``) these
two formats write ``medical/plans/x.yaml`` (SPEC 6). Outside any git work tree the kolplan
root is the base and paths stay as they are.

A file named on the command line outside the base (``validate ../elsewhere/x.yaml``) gets
its absolute path instead of a ``../`` path: GitHub resolves paths from the checkout and
cannot place a ``../`` one, while an absolute path is at least true (the Actions runner
turns an absolute ``file=`` under ``$GITHUB_WORKSPACE`` into a workspace-relative one, and
keeps any other as it is). SARIF writes it as a ``file://`` URI with no ``uriBaseId``, which
is what SARIF requires of an absolute URI.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from kolplan.formats.escape import uri_path
from kolplan.repo.worktree import work_tree_top


class Places:
    """The GitHub-facing path of each diagnostic path (relative to the kolplan ``root``), cached."""

    def __init__(self, root: Path | None) -> None:
        self.root = root.absolute() if root is not None else None
        top = work_tree_top(self.root) if self.root is not None else None
        if top is None and self.root is not None and self.root.resolve() != self.root:
            # reached through a symbolic link to a folder inside a work tree: git's view of it
            top = work_tree_top(self.root.resolve())
            if top is not None:
                self.root = self.root.resolve()
        self.base = top or self.root
        # the kolplan root's folder from the top: "medical/" in a monorepo, "" at the top or outside git
        self.prefix = ""
        if top is not None and self.root is not None and top != self.root:
            self.prefix = Path(os.path.relpath(self.root, top)).as_posix() + "/"
        self._seen: dict[str, tuple[str, bool]] = {}

    def of(self, path: str) -> tuple[str, bool]:
        """``(path from the work tree's top, True)``, or ``(absolute path, False)`` for a file
        outside it (or, outside git, outside the kolplan root)."""
        known = self._seen.get(path)
        if known is None:
            known = self._seen[path] = self._place(path)
        return known

    def _place(self, path: str) -> tuple[str, bool]:
        if self.root is None or self.base is None:
            return path, True
        if path != ".." and not path.startswith("../") and not PurePosixPath(path).is_absolute():
            return self.prefix + path, True  # the usual case: a plan under the kolplan root
        full = os.path.normpath(os.path.join(self.root, path))
        rel = Path(os.path.relpath(full, self.base)).as_posix()
        if rel == ".." or rel.startswith("../"):
            return Path(full).as_posix(), False
        return rel, True

    def github_path(self, path: str) -> str:
        """The ``file=`` of a GitHub annotation."""
        return self.of(path)[0]

    def artifact_location(self, path: str) -> dict[str, str]:
        """SARIF ``artifactLocation``: a relative URI with ``uriBaseId: %SRCROOT%``, or an
        absolute ``file://`` URI (and then no ``uriBaseId``, as SARIF requires)."""
        place, inside = self.of(path)
        if inside:
            return {"uri": uri_path(place), "uriBaseId": "%SRCROOT%"}
        uri = uri_path(place)
        if not uri.startswith("/"):  # C:/x on Windows: file:///C:/x
            uri = "/" + uri.replace("%3A", ":", 1)
        return {"uri": "file://" + uri}
