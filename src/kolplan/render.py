"""The Jinja environment every template runs in: the repository's ``templates/`` first,
then the built-in ones; sandboxed, ``StrictUndefined``; failures become one clear error."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kolplan.errors import UsageError

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment


class TemplateError(UsageError):
    """A template is missing or failed (exit 2), named with its file and line."""


def make_environment(repo_root: Path | None) -> SandboxedEnvironment:
    """Templates from ``<repo>/templates`` override the built-in ones by file name."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from kolplan.resources import builtin_templates_dir

    loaders = []
    if repo_root is not None and (repo_root / "templates").is_dir():
        loaders.append(FileSystemLoader(repo_root / "templates"))
    loaders.append(FileSystemLoader(builtin_templates_dir()))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    return env


def render_template(env: SandboxedEnvironment, name: str, context: dict[str, Any]) -> str:
    """Render ``name``; a missing template or a failure inside it is a :class:`TemplateError`."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    if "/" in name or "\\" in name or name.startswith(".") or ".." in name:
        raise TemplateError(f"template '{name}': give a file name from templates/, not a path")
    try:
        template = env.get_template(name)
    except TemplateNotFound:
        raise TemplateError(f"template '{name}' not found in templates/ or among the built-in templates") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template {exc.name or name}, line {exc.lineno}: {exc.message}") from None
    try:
        return template.render(context)
    except (UndefinedError, SecurityError, TypeError, ValueError, AttributeError, LookupError) as exc:
        line = _template_line(exc, template.filename)
        where = f"template {name}" + (f", line {line}" if line else "")
        raise TemplateError(f"{where}: {exc}") from None


def _template_line(exc: BaseException, filename: str | None) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if filename and tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        elif tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
