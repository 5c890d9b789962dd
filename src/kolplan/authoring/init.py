"""``kolplan init``: a new plan repository from the templates under ``templates/init/``.

Works in an existing repository: only missing files are written, nothing is overwritten.
An existing ``.gitignore`` gets the lines it lacks appended; an existing workflow or
pre-commit config is left alone and the lines to add are reported. Refused (nothing written)
only when ``kolplan.yaml`` exists. Every new file goes through
:func:`~kolplan.yamlio.atomic.atomic_write` with ``exclusive``; if one write fails, the files
already written are removed again.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from jinja2 import TemplateError as JinjaError

from kolplan import __version__
from kolplan.authoring.install import install_spec
from kolplan.errors import RefusedError, TemplateError, UsageError, WriteError
from kolplan.schema.jsonschema import json_schema
from kolplan.views.render import make_environment
from kolplan.yamlio import atomic  # looked up at each call: the tests replace atomic_write


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
    InitFile(".vscode/settings.json", "vscode-settings.json",
             "VS Code (YAML extension): the schemas for plans/**/*.yaml and kolplan.yaml"),
)


CREATED: Final = "created"
APPENDED: Final = "appended to"
LEFT_ALONE: Final = "left alone"

# Where the lines to merge into an existing file start, and what shows it already runs kolplan.
_MERGE_FROM: Final = {".github/workflows/kolplan.yml": "permissions:", ".pre-commit-config.yaml": "  - repo:",
                      ".vscode/settings.json": '  "yaml.schemas"'}
_ALREADY: Final = {".github/workflows/kolplan.yml": "kolplan validate", ".pre-commit-config.yaml": "kolplan-validate",
                   ".vscode/settings.json": "schema/plan.schema.json"}
# A JSON file's snippet is its keys, without the braces of the object that holds them.
_JSON_BODY: Final = frozenset({".vscode/settings.json"})


@dataclass(frozen=True)
class InitResult:
    file: InitFile
    status: str  # CREATED, APPENDED or LEFT_ALONE
    snippet: str = ""  # LEFT_ALONE: the lines to add by hand ("" when nothing is missing)
    added: bytes = b""  # APPENDED: the bytes appended
    lines: tuple[str, ...] = ()  # APPENDED: the lines appended


def render_files(install: str | None = None) -> dict[str, str]:
    """The content of every file ``init`` writes, by relative path. ``install``: what the workflow
    and the pre-commit hook ``pip install`` (:func:`~kolplan.authoring.install.install_spec`)."""
    pip = install_spec(install)  # checked first: a refused --install writes nothing
    env = make_environment(None)  # built-in templates only: the repository does not exist yet
    out: dict[str, str] = {}
    for f in FILES:
        if not f.source:
            out[f.path] = ""
        elif f.source.startswith("schema:"):
            out[f.path] = json_schema("plan" if f.source == "schema:plan" else "config")
        else:
            try:
                out[f.path] = env.get_template(f"init/{f.source}").render(version=__version__, install=pip)
            except JinjaError as exc:
                raise TemplateError(f"built-in template init/{f.source}: {exc}; reinstall kolplan") from None
    return out


def init_repo(target: Path, install: str | None = None) -> list[InitResult]:
    """Set up a kolplan repository in ``target`` (created if missing): what happened to each file.

    Only what is missing is written; nothing is overwritten. An existing ``.gitignore`` gets the
    lines it lacks appended; an existing workflow or pre-commit config is left alone and the
    lines to add are returned as ``snippet``. Refused (nothing written) when ``kolplan.yaml`` exists.
    ``install``: ``--install SPEC``, what the workflow and the pre-commit hook install.
    """
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file, not a folder: give a folder for the new repository")
    config = target / "kolplan.yaml"
    if config.exists() or config.is_symlink():
        raise RefusedError(f"kolplan.yaml already exists in {target.as_posix()}: this is a kolplan repository "
                           "already; kolplan init never overwrites, so nothing was written")
    contents = render_files(install)
    present = {f.path for f in FILES if (target / f.path).exists() or (target / f.path).is_symlink()}
    results: list[InitResult] = []
    append: tuple[Path, bytes, bytes] | None = None  # (.gitignore, old content, new content)
    for f in FILES:
        if f.path not in present:
            results.append(InitResult(f, CREATED))
        elif f.path == ".gitignore":
            results.append(_gitignore(target / f.path, contents[f.path]))
            if results[-1].status == APPENDED:
                old = (target / f.path).read_bytes()
                append = (target / f.path, old, old + results[-1].added)
        else:
            results.append(InitResult(f, LEFT_ALONE, snippet=_snippet(f, target / f.path, contents[f.path])))
    made_dirs = [d for d in _folders(target) if not d.exists()]
    written: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        root = target.resolve()
        for r in results:
            if r.status == CREATED:
                path = root / r.file.path
                atomic.atomic_write(path, contents[r.file.path], root=root, exclusive=True)
                written.append(path)
        if append is not None:  # last: nothing to undo after it
            path, old, new = append

            def unchanged() -> None:
                if path.read_bytes() != old:
                    raise RefusedError(f"{path.as_posix()} changed while kolplan init ran: it was left as it is; "
                                       "run kolplan init again")

            atomic.atomic_write(path, new, root=root, before_replace=unchanged)
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
    return results


def _gitignore(path: Path, template: str) -> InitResult:
    """An existing ``.gitignore``: the template's patterns it lacks, in its own line endings."""
    f = next(x for x in FILES if x.path == ".gitignore")
    if path.is_symlink() or not path.is_file():
        return InitResult(f, LEFT_ALONE, snippet=template)
    try:
        old = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path.as_posix()}: {exc.strerror or exc}") from None
    have = {line.strip().rstrip(b"/").lstrip(b"/") for line in old.splitlines()}
    wanted = [line for line in template.splitlines() if line and not line.startswith("#")]
    missing = [line for line in wanted if line.encode().rstrip(b"/") not in have]
    if not missing:
        return InitResult(f, LEFT_ALONE)
    eol = b"\r\n" if b"\r\n" in old else b"\n"
    lead = eol if old and not old.endswith(b"\n") else b""
    added = lead + b"".join(line.encode() + eol for line in missing)
    return InitResult(f, APPENDED, added=added, lines=tuple(missing))


def _snippet(f: InitFile, path: Path, content: str) -> str:
    """What to add to an existing workflow or pre-commit config (empty when it already runs kolplan)."""
    if f.path not in _MERGE_FROM:
        return ""
    try:
        existing = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    except OSError:
        existing = ""
    if _ALREADY[f.path] in existing:
        return ""
    lines = content.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(_MERGE_FROM[f.path]))
    end = len(lines) - 1 if f.path in _JSON_BODY else len(lines)
    return "\n".join(lines[start:end]) + "\n"


def _folders(target: Path) -> list[Path]:
    """Every folder ``init`` may create: ``target``, its missing ancestors, and the files' folders."""
    t = target.absolute()
    dirs = {t, *(p for p in t.parents if not p.exists())}
    for f in FILES:
        dirs.update(q for q in (t / f.path).parents if q.is_relative_to(t))
    return list(dirs)
