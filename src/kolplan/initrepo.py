"""``kolplan init``: a new plan repository from the templates under ``templates/init/``.

Nothing is overwritten: if any file to be written exists, nothing is written at all.
Every file goes through :func:`~kolplan.yamlio.atomic.atomic_write` with ``exclusive``;
if one write fails, the files already written are removed again.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kolplan.errors import RefusedError, UsageError


@dataclass(frozen=True)
class InitFile:
    path: str  # relative to the new repository, "/" separators
    source: str  # a template under templates/init/, or "schema:plan" / "schema:config" / "" (empty file)
    about: str


FILES: Final = (
    InitFile("kolplan.yaml", "kolplan.yaml.j2", "organisation, departments and people: edit these first"),
    InitFile("plans/.gitkeep", "", "plans/ holds one file per KOL: kolplan new ID --name ... --lead ..."),
    InitFile(".gitignore", "gitignore", "keeps kolplan's cache (.kolplan/) and temporary files out of git"),
    InitFile(".github/workflows/kolplan.yml", "kolplan-workflow.yml.j2",
             "GitHub Actions: validate on every pull request, findings in code scanning"),
    InitFile(".pre-commit-config.yaml", "pre-commit-config.yaml.j2",
             "pre-commit hook: pip install pre-commit && pre-commit install"),
    InitFile("schema/plan.schema.json", "schema:plan", "JSON Schema for editors (the first line of every plan)"),
    InitFile("schema/config.schema.json", "schema:config", "JSON Schema of kolplan.yaml for editors"),
)


def render_files() -> dict[str, str]:
    """The content of every file ``init`` writes, by relative path."""
    from jinja2 import TemplateError as JinjaError

    from kolplan import __version__
    from kolplan.render import TemplateError, make_environment
    from kolplan.schema import json_schema

    env = make_environment(None)  # built-in templates only: the repository does not exist yet
    out: dict[str, str] = {}
    for f in FILES:
        if not f.source:
            out[f.path] = ""
        elif f.source.startswith("schema:"):
            out[f.path] = json_schema("plan" if f.source == "schema:plan" else "config")
        else:
            try:
                out[f.path] = env.get_template(f"init/{f.source}").render(version=__version__)
            except JinjaError as exc:
                raise TemplateError(f"built-in template init/{f.source}: {exc}; reinstall kolplan") from None
    return out


def init_repo(target: Path) -> list[InitFile]:
    """Create a kolplan repository in ``target`` (created if missing); the files written."""
    from kolplan.yamlio.atomic import WriteError, atomic_write

    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file, not a folder: give a folder for the new repository")
    existing = [f.path for f in FILES if (target / f.path).exists() or (target / f.path).is_symlink()]
    if existing:
        raise RefusedError(f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''} in {target}: "
                           "kolplan init never overwrites, so nothing was written. Move them aside (or use "
                           "another folder) and run it again")
    contents = render_files()
    made_dirs = [d for d in _folders(target) if not d.exists()]
    written: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        root = target.resolve()
        for f in FILES:
            path = root / f.path
            atomic_write(path, contents[f.path], root=root, exclusive=True)
            written.append(path)
    except BaseException as exc:
        for path in reversed(written):
            with contextlib.suppress(OSError):
                path.unlink()
        for d in sorted(made_dirs, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                d.rmdir()
        # A folder that cannot be made or written to (`kolplan init /proc/x`, a read-only
        # disk) is a wrong request (exit 2), not a bug; later failures stay what they are.
        hint = "kolplan init needs a folder it can write to"
        if isinstance(exc, OSError):
            raise UsageError(f"cannot create {target}: {exc.strerror or exc}; {hint}") from None
        if isinstance(exc, WriteError) and not written:
            raise UsageError(f"{exc.message}; nothing was written: {hint}") from None
        raise
    return list(FILES)


def _folders(target: Path) -> list[Path]:
    """Every folder ``init`` may create: ``target``, its missing ancestors, and the files' folders."""
    t = target.absolute()
    dirs = {t, *(p for p in t.parents if not p.exists())}
    for f in FILES:
        dirs.update(q for q in (t / f.path).parents if q.is_relative_to(t))
    return list(dirs)
