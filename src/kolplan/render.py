"""The Jinja environment every template runs in: the repository's ``templates/`` first,
then the built-in ones; sandboxed, ``StrictUndefined``; failures become one clear error.

Filters for the Markdown documents (SPEC 8):

* ``md``: plan text made safe where it would break Markdown structure: ``|`` and ``\\``
  escaped, newlines as ``<br>`` (a cell or list item stays one line), a leading ``#``
  escaped, raw HTML (``<``, ``>``, ``&``) as entities, control characters shown, not obeyed.
* ``mmd``: text for a Mermaid label or Gantt task (no ``:``, ``;``, ``#``, quotes or
  newlines, never a Mermaid keyword first, at most 60 characters).
* ``date`` (ISO, or a dash for none), ``pct`` (0.42 -> 42%), ``signed`` (+3 / -2),
  ``num`` (1,600 or 8.5), ``score`` (one decimal).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kolplan.errors import UsageError

if TYPE_CHECKING:
    from jinja2 import Template
    from jinja2.sandbox import SandboxedEnvironment


class TemplateError(UsageError):
    """A template is missing or failed (exit 2), named with its file and line."""


def make_environment(repo_root: Path | None) -> SandboxedEnvironment:
    """Templates from ``<repo>/templates`` override the built-in ones by file name."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined

    from kolplan.resources import builtin_templates_dir

    loaders = []
    if repo_root is not None and (repo_root / "templates").is_dir():
        loaders.append(FileSystemLoader(repo_root / "templates"))
    loaders.append(FileSystemLoader(builtin_templates_dir()))
    env = _sandbox_class()(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(FILTERS)
    return env


@functools.cache
def _sandbox_class() -> type[SandboxedEnvironment]:  # built on first use: jinja2 is imported lazily
    from jinja2.sandbox import SandboxedEnvironment

    class Sandbox(SandboxedEnvironment):
        """The sandbox, with a fast path for kolplan's own plain data (dataclasses, pydantic models).

        For instances of those classes the sandbox's answer is always the same: an attribute
        is safe unless its name starts with ``_``. Deciding that once per type instead of once
        per lookup keeps a 10,000-plan report fast; anything else takes the sandbox's full check.
        """

        _plain: dict[type, bool] = {}  # noqa: RUF012 - a cache shared by all environments

        def getattr(self, obj: Any, attribute: str) -> Any:
            kind = type(obj)
            plain = self._plain.get(kind)
            if plain is None:
                plain = self._plain[kind] = hasattr(kind, "__dataclass_fields__") or hasattr(
                    kind, "__pydantic_fields__")
            if plain and not attribute.startswith("_"):
                try:
                    return getattr(obj, attribute)
                except AttributeError:
                    pass
            return super().getattr(obj, attribute)

    return Sandbox


def check_template(env: SandboxedEnvironment, name: str) -> Template:
    """Load ``name`` from the template folders only; a path, a missing file or a syntax error is exit 2."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    if not name or "/" in name or "\\" in name or name.startswith(".") or ".." in name:
        raise TemplateError(f"template '{name}': give a file name from templates/, not a path")
    try:
        return env.get_template(name)
    except TemplateNotFound:
        known = ", ".join(template_names(env)) or "none"
        raise TemplateError(f"template '{name}' not found in templates/ or among the built-in templates "
                            f"(available: {known})") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template {exc.name or name}, line {exc.lineno}: {exc.message}") from None


def render_template(env: SandboxedEnvironment, name: str, context: dict[str, Any]) -> str:
    """Render ``name``; a missing template or a failure inside it is a :class:`TemplateError`."""
    from jinja2 import TemplateError as JinjaError
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    template = check_template(env, name)
    try:
        return template.render(context)
    except TemplateSyntaxError as exc:  # in a template it includes
        raise TemplateError(f"template {exc.name or name}, line {exc.lineno}: {exc.message}") from None
    except (UndefinedError, SecurityError, JinjaError, ArithmeticError, TypeError, ValueError, AttributeError,
            LookupError, RecursionError) as exc:
        line = _template_line(exc, template.filename)
        where = f"template {name}" + (f", line {line}" if line else "")
        hint = _hint(exc)
        raise TemplateError(f"{where}: {exc}{hint}") from None


def template_names(env: SandboxedEnvironment, suffix: str = ".md.j2") -> list[str]:
    """The document templates a user may choose with ``--template`` (for error messages)."""
    try:
        return sorted(n for n in env.list_templates() if n.endswith(suffix) and "/" not in n)
    except (OSError, TypeError):
        return []


def _hint(exc: BaseException) -> str:
    from jinja2 import UndefinedError
    from jinja2.exceptions import SecurityError

    if isinstance(exc, SecurityError):
        return " (templates run in a sandbox: internal attributes are not available)"
    if isinstance(exc, UndefinedError):
        return " (check the spelling against the variables the built-in template uses)"
    return ""


def _template_line(exc: BaseException, filename: str | None) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        code_file = tb.tb_frame.f_code.co_filename
        if (filename and code_file == filename) or code_file == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


# -- filters -------------------------------------------------------------------------------
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINE: Final = re.compile(r"\r\n|\r|\n")
_MERMAID_DROP: Final = re.compile(r"[:;#\"`{}\[\]<>\\|]")
_SPACES: Final = re.compile(r"\s+")
_MD_SPECIAL: Final = re.compile(r"[&<>\\|\x00-\x1f\x7f-\x9f]")
_BLOCK_START: Final = re.compile(r"#|[-+*](?:\s|$)")
# Words a Mermaid gantt or pie reads as a statement when they start a line.
_MERMAID_KEYWORDS: Final = frozenset({
    "title", "section", "dateformat", "axisformat", "tickinterval", "excludes", "includes", "todaymarker",
    "weekday", "click", "acctitle", "accdescr", "inclusiveenddates", "topaxis", "showdata", "end",
})
MERMAID_MAX: Final = 60


def md(value: object) -> str:
    """Plan text for a Markdown table cell, list item or heading (see the module docstring)."""
    if value is None:
        return ""
    text = str(value)
    if not _MD_SPECIAL.search(text) and not _BLOCK_START.match(text) and text == text.strip():
        return text  # the common case, ten times faster
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    text = _NEWLINE.sub("<br>", text.strip()).replace("\t", " ")
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if _BLOCK_START.match(text):  # would open a heading or a list where it starts a line
        text = "\\" + text
    return text


def mmd(value: object, limit: int = MERMAID_MAX) -> str:
    """Text for a Mermaid label: one line, no syntax characters, not starting with a keyword."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub(" ", text.replace("%%", "%"))
    text = _SPACES.sub(" ", _MERMAID_DROP.sub(" ", text)).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    if not text:
        return "untitled"
    if text.split(" ", 1)[0].lower() in _MERMAID_KEYWORDS:
        text = "- " + text
    return text


def date(value: object, empty: str = "—") -> str:
    if value is None or value == "":
        return empty
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def pct(value: float | None, empty: str = "—") -> str:
    """A fraction as a whole percentage: 0.425 -> ``43%``."""
    if value is None:
        return empty
    return f"{round(value * 100):d}%"


def signed(value: float | None, empty: str = "—") -> str:
    """``+3``, ``-2`` (with a true minus sign), ``±0``; one decimal when not whole."""
    if value is None:
        return empty
    text = f"{abs(value):g}" if float(value).is_integer() else f"{abs(value):.1f}"
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return "±0"


def num(value: float | None, empty: str = "—") -> str:
    """``1,600`` for whole numbers, ``8.5`` otherwise."""
    if value is None:
        return empty
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def score(value: float | None, empty: str = "—") -> str:
    """A mean score with one decimal: ``8.3``."""
    return empty if value is None else f"{value:.1f}"


FILTERS: Final = {"md": md, "mmd": mmd, "date": date, "pct": pct, "signed": signed, "num": num, "score": score}
