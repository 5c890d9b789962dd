"""Shell completion of values (``kolplan --install-completion``): plan ids, people, channels,
tiers, and each command's format names.

Completion runs on every <TAB>: each function reads as little as it can and never fails
(a broken repository just completes nothing). The repository is the one ``--repo`` names
when it comes before the word being completed, else the one around the current folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kolplan.errors import KolplanError
from kolplan.formats import FORMAT_NAMES
from kolplan.vocabulary import CHANNELS, SOURCES, TIERS


def _root(ctx: Any) -> Path | None:
    # lazy: every command module imports this one when the CLI starts
    from kolplan.repo.root import find_root

    given = getattr(ctx, "params", {}).get("repo") if ctx is not None else None
    if given is not None:
        folder = Path(given)
        return folder if (folder / "kolplan.yaml").is_file() else None
    return find_root(Path.cwd())


def plan_ids(ctx: Any, incomplete: str) -> list[str]:
    # lazy: every command module imports this one when the CLI starts
    from kolplan.repo.discovery import discover, stem_of

    try:
        root = _root(ctx)
        if root is None or not (root / "plans").is_dir():
            return []
        ids = sorted({stem_of(p) for p in discover(root / "plans", root)})
    except (OSError, ValueError):
        return []
    return [i for i in ids if i.startswith(incomplete)]


def people(ctx: Any, incomplete: str) -> list[str]:
    try:
        root = _root(ctx)
        if root is None:
            return []
        # lazy: every command module imports this one when the CLI starts
        from kolplan.repo.root import open_repo

        handles = list(open_repo(root).config.people)
    except (OSError, ValueError, KolplanError):
        return []
    return [h for h in handles if h.startswith(incomplete)]


def channels(incomplete: str) -> list[str]:
    return [c for c in CHANNELS if c.startswith(incomplete)]


def sources(incomplete: str) -> list[str]:
    return [s for s in SOURCES if s.startswith(incomplete)]


def tiers(incomplete: str) -> list[str]:
    return [t for t in TIERS if t.startswith(incomplete)]


def _starting(names: tuple[str, ...], incomplete: str) -> list[str]:
    return [n for n in names if n.startswith(incomplete)]


def validate_formats(incomplete: str) -> list[str]:
    return _starting(FORMAT_NAMES, incomplete)


def list_formats(incomplete: str) -> list[str]:
    # lazy: list_cmd imports this module (an import cycle)
    from kolplan.cli.list_cmd import FORMATS

    return _starting(FORMATS, incomplete)


def owners_formats(incomplete: str) -> list[str]:
    # lazy: owners_cmd imports this module (an import cycle)
    from kolplan.cli.owners_cmd import FORMATS

    return _starting(FORMATS, incomplete)


def rules_formats(incomplete: str) -> list[str]:
    # lazy: rules_cmd imports this module (an import cycle)
    from kolplan.cli.rules_cmd import FORMATS

    return _starting(FORMATS, incomplete)
