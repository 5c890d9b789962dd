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
from kolplan.vocabulary import ACTIVITY_TYPES, CHANNELS, OBJECTIVE_STATUSES, SOURCES, TIERS

# The formats of the table commands (validate's are kolplan.formats.FORMAT_NAMES); the
# commands check --format against these.
LIST_FORMATS = ("table", "json", "csv")
OWNERS_FORMATS = ("table", "json", "md")
RULES_FORMATS = ("table", "md", "json")
CALENDAR_FORMATS = ("table", "md", "json", "ics")
DISCLOSE_FORMATS = ("ledger", "open-payments", "efpia", "json")
SHORTLIST_FORMATS = ("table", "md", "json")


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


def _item_ids(ctx: Any, incomplete: str, key: str) -> list[str]:
    """The ids of the activities or objectives of the plan named before the word being completed."""
    # lazy: every command module imports this one when the CLI starts
    from kolplan.repo.discovery import discover, stem_of
    from kolplan.yamlio.document import Document
    from kolplan.yamlio.reader import read_bytes

    try:
        root = _root(ctx)
        plan_id = getattr(ctx, "params", {}).get("plan_id") if ctx is not None else None
        if root is None or not plan_id or not (root / "plans").is_dir():
            return []
        files = [p for p in discover(root / "plans", root) if stem_of(p) == plan_id]
        if len(files) != 1:
            return []
        doc = read_bytes((root / files[0]).read_bytes())
        if not isinstance(doc, Document) or not isinstance(doc.data, dict):
            return []
        body = doc.data.get("plan")
        items = body.get(key) if isinstance(body, dict) else None
        ids = [str(i["id"]) for i in items or [] if isinstance(i, dict) and "id" in i] if isinstance(items, list) \
            else []
    except (OSError, ValueError, KolplanError):
        return []
    return [i for i in ids if i.startswith(incomplete)]


def activity_ids(ctx: Any, incomplete: str) -> list[str]:
    return _item_ids(ctx, incomplete, "activities")


def objective_ids(ctx: Any, incomplete: str) -> list[str]:
    return _item_ids(ctx, incomplete, "objectives")


def statuses(ctx: Any, incomplete: str) -> list[str]:
    """An objective's statuses after --objective, an activity's otherwise."""
    params = getattr(ctx, "params", {}) if ctx is not None else {}
    names = OBJECTIVE_STATUSES if params.get("objective") else ("done", "cancelled", "planned")
    return [n for n in names if n.startswith(incomplete)]


def departments(ctx: Any, incomplete: str) -> list[str]:
    try:
        root = _root(ctx)
        if root is None:
            return []
        # lazy: every command module imports this one when the CLI starts
        from kolplan.repo.root import open_repo

        ids = list(open_repo(root).config.departments)
    except (OSError, ValueError, KolplanError):
        return []
    return [d for d in ids if d.startswith(incomplete)]


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


def activity_types(incomplete: str) -> list[str]:
    return [t for t in ACTIVITY_TYPES if t.startswith(incomplete)]


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
    return _starting(LIST_FORMATS, incomplete)


def owners_formats(incomplete: str) -> list[str]:
    return _starting(OWNERS_FORMATS, incomplete)


def rules_formats(incomplete: str) -> list[str]:
    return _starting(RULES_FORMATS, incomplete)


def calendar_formats(incomplete: str) -> list[str]:
    return _starting(CALENDAR_FORMATS, incomplete)


def disclose_formats(incomplete: str) -> list[str]:
    return _starting(DISCLOSE_FORMATS, incomplete)


def shortlist_formats(incomplete: str) -> list[str]:
    return _starting(SHORTLIST_FORMATS, incomplete)
