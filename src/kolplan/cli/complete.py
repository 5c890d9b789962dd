"""Shell completion of values (``kolplan --install-completion``): plan ids, people, channels, tiers.

Completion runs on every <TAB>: each function reads as little as it can and never fails
(a broken repository just completes nothing).
"""

from __future__ import annotations

from pathlib import Path


def plan_ids(incomplete: str) -> list[str]:
    from kolplan.config import find_root
    from kolplan.portfolio import discover, stem_of

    try:
        root = find_root(Path.cwd())
        if root is None or not (root / "plans").is_dir():
            return []
        ids = sorted({stem_of(p) for p in discover(root / "plans", root)})
    except OSError:
        return []
    return [i for i in ids if i.startswith(incomplete)]


def people(incomplete: str) -> list[str]:
    from kolplan.config import find_root
    from kolplan.errors import KolplanError

    try:
        root = find_root(Path.cwd())
        if root is None:
            return []
        from kolplan.config import open_repo

        handles = list(open_repo(root).config.people)
    except (OSError, KolplanError):
        return []
    return [h for h in handles if h.startswith(incomplete)]


def channels(incomplete: str) -> list[str]:
    from kolplan.interaction_log import CHANNELS

    return [c for c in CHANNELS if c.startswith(incomplete)]


def tiers(incomplete: str) -> list[str]:
    from kolplan.model.types import TIERS

    return [t for t in TIERS if t.startswith(incomplete)]
