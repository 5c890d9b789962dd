"""Rendering templates (SPEC 8): the repository's ``templates/`` first, then the built-in ones;
sandboxed, ``StrictUndefined``, plain data only, bounded; every failure is one clear error (exit 2).

A repository's templates are code that anyone with commit access can write, and CI runs
them. So:

* they get plain data (:func:`kolplan.views.plaindata.plain`: mappings, lists, text, numbers,
  dates), never kolplan's or pydantic's objects and their methods;
* they read only files inside the template folders (:class:`kolplan.views.sandbox.TemplateFolders`);
* they are bounded in time and output size (:class:`kolplan.views.limits.RenderLimits`; 60 s and 50 MB unless
  ``KOLPLAN_TEMPLATE_TIMEOUT`` and ``KOLPLAN_TEMPLATE_MAX_OUTPUT`` say otherwise) and in
  memory: where the platform can ``fork`` (Linux, macOS), a template is compiled (unless it
  is a built-in one, compiled once in this process) and rendered in a child process with
  ``RLIMIT_AS`` and ``RLIMIT_CPU`` that this process kills at the deadline
  (:mod:`kolplan.views.bounded`). Elsewhere it renders here, its time and output checked as it goes.

The filters the templates use are :mod:`kolplan.views.filters`.
"""

from __future__ import annotations

import math
import os
import re
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2 import TemplateError as JinjaError
from jinja2.exceptions import SecurityError

from kolplan.errors import TemplateError, TemplateRefused
from kolplan.resources import builtin_templates_dir
from kolplan.views.filters import FILTERS
from kolplan.views.limits import (
    CHECK_EVERY,
    MAX_OUTPUT_VAR,
    REPLY_SLACK,
    TIMEOUT_VAR,
    LimitExceeded,
    RenderLimits,
    RenderTimeout,
)
from kolplan.views.plaindata import plain_context
from kolplan.views.sandbox import Sandbox, TemplateFolders


def make_environment(repo_root: Path | None) -> Sandbox:
    """Templates from ``<repo>/templates`` override the built-in ones by file name.

    A ``templates/`` that resolves outside the repository is refused (exit 2), and so is
    ``KOLPLAN_TEMPLATE_TIMEOUT`` or ``KOLPLAN_TEMPLATE_MAX_OUTPUT`` set to something that is not a limit.
    """
    limits = RenderLimits.from_environ()
    folders: list[tuple[str, str]] = []
    if repo_root is not None:
        own = repo_root / "templates"
        if own.is_dir():
            real = os.path.realpath(own)
            if not real.startswith(os.path.realpath(repo_root).rstrip(os.sep) + os.sep):
                raise TemplateRefused("templates/ is a symlink to a folder outside the repository: refused (kolplan "
                                      "reads a repository's templates only from inside it; make templates/ a folder)")
            folders.append((real, "templates/"))
    builtin = os.path.realpath(builtin_templates_dir())
    folders.append((builtin, "the built-in templates"))
    env = Sandbox(
        limits=limits,
        loader=TemplateFolders(folders, builtin),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    return env


def check_template(env: Sandbox, name: str) -> None:
    """Find ``name`` in the template folders only and check its syntax: a path, a missing,
    unreadable or refused file, or a syntax error is exit 2.

    A built-in template is compiled here, once. A repository's template is only parsed:
    compiling it evaluates its constant expressions (``'x'|center(10**9)``), so that happens
    in the bounded child, with the rendering.
    """
    if not name or "/" in name or "\\" in name or name.startswith(".") or ".." in name:
        raise TemplateError(f"template '{name}': give a file name from templates/, not a path")
    loader = env.loader
    assert isinstance(loader, TemplateFolders)
    try:
        source, filename, _ = loader.get_source(env, name)
        if loader.is_builtin(filename):
            env.get_template(name)
        else:
            env.parse(source, name, filename)
    except TemplateNotFound:
        known = ", ".join(template_names(env)) or "none"
        raise TemplateError(f"template '{name}' not found in templates/ or among the built-in templates "
                            f"(available: {known})") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template {exc.name or name}, line {exc.lineno}: {exc.message}") from None
    except (RecursionError, MemoryError):
        raise TemplateError(f"template {name} is nested too deeply to read: simplify it") from None
    except (ValueError, OverflowError) as exc:  # e.g. a number literal too long to convert
        raise TemplateError(f"template {name}: {exc}") from None


def render_template(env: Sandbox, name: str, context: dict[str, Any]) -> str:
    """Render ``name`` with ``context`` made plain data; a missing template, a failure inside
    it or a limit crossed is a :class:`TemplateError`."""
    check_template(env, name)
    data = plain_context(context)
    limits = env.limits
    deadline = time.monotonic() + limits.timeout
    if not _can_fork():
        try:
            text = render_text(env, name, data, deadline)
        except MemoryError:
            raise TemplateError(f"template {name} ran out of memory and was stopped: look for text it builds up or "
                                "repeats in a loop") from None
        if len(text) * 4 > limits.max_output and len(text.encode("utf-8", "surrogatepass")) > limits.max_output:
            raise TemplateError(_output_message(name, limits))
        return text

    def work() -> bytes:
        out = render_text(env, name, data, deadline).encode("utf-8", "surrogatepass")
        if len(out) > limits.max_output:
            raise TemplateError(_output_message(name, limits))
        return out

    return _run_bounded(work, name, limits, deadline).decode("utf-8", "surrogatepass")


def render_many(env: Sandbox, name: str, contexts: list[dict[str, Any]]) -> list[str]:
    """Render ``name`` once for each context, as :func:`render_template` does, but all of them in
    one bounded child (``kolplan import`` writes thousands of plans from one template: a child
    each would cost a fork each). The limits hold for the batch: its time, and its output
    together. Give batches of a few hundred."""
    if not contexts:
        return []
    check_template(env, name)
    datas = [plain_context(c) for c in contexts]
    limits = env.limits
    deadline = time.monotonic() + limits.timeout

    def work() -> bytes:
        out: list[bytes] = []
        size = 0
        for data in datas:
            text = render_text(env, name, data, deadline).encode("utf-8", "surrogatepass")
            size += len(text)
            if size > limits.max_output:
                raise TemplateError(_output_message(name, limits))
            out.append(len(text).to_bytes(8, "big") + text)
        return b"".join(out)

    if not _can_fork():
        try:
            reply = work()
        except MemoryError:
            raise TemplateError(_memory_message(name, limits)) from None
    else:
        reply = _run_bounded(work, name, limits, deadline, 8 * len(datas))
    texts: list[str] = []
    at = 0
    while at < len(reply):
        size = int.from_bytes(reply[at:at + 8], "big")
        texts.append(reply[at + 8:at + 8 + size].decode("utf-8", "surrogatepass"))
        at += 8 + size
    return texts


def _run_bounded(work: Callable[[], bytes], name: str, limits: RenderLimits, deadline: float,
                 framing: int = 0) -> bytes:
    """``work()`` in the forked, bounded child; each limit it crosses is a :class:`TemplateError`."""
    # lazy: the forked, bounded child: init renders templates without it
    from kolplan.views import bounded

    try:
        return bounded.run_forked(work, deadline=deadline, cpu_seconds=math.ceil(limits.timeout) + 1,
                                  memory_headroom=limits.memory_headroom,
                                  max_reply=limits.max_output + REPLY_SLACK + framing)
    except bounded.ChildRefused as exc:
        raise TemplateError(str(exc)) from None
    except bounded.ChildLimit as exc:
        if exc.kind == "memory":
            raise TemplateError(_memory_message(name, limits)) from None
        if exc.kind == "reply":
            raise TemplateError(_output_message(name, limits)) from None
        raise TemplateError(_timeout_message(name, limits)) from None


def _can_fork() -> bool:
    # lazy: the forked, bounded child: init renders templates without it
    from kolplan.views.bounded import can_fork

    return can_fork()


def render_text(env: Sandbox, name: str, data: dict[str, Any], deadline: float) -> str:
    """Render ``name`` in this process (in the forked child, or where there is none), its output
    and the clock checked as it goes; every failure of the template is a :class:`TemplateError`."""
    limits = env.limits
    filename: str | None = None
    env.deadline = deadline
    try:
        template = env.get_template(name)
        filename = template.filename
        pieces = template.generate(data)
        chunks: list[str] = []
        size = 0
        while batch := list(islice(pieces, CHECK_EVERY)):  # the generator runs at C speed between checks
            chunk = "".join(batch)
            size += len(chunk)
            if size > limits.max_output:
                raise TemplateError(_output_message(name, limits))
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise RenderTimeout("time limit")
        return "".join(chunks)
    except RenderTimeout:
        raise TemplateError(_timeout_message(name, limits)) from None
    except TemplateRefused as exc:  # an {% include %} or {% import %} of a file kolplan will not read
        raise TemplateError(f"{_where(exc, name, filename)}: {exc.message}") from None
    except TemplateSyntaxError as exc:  # in this template (compiled here) or one it includes
        raise TemplateError(f"template {exc.name or name}, line {exc.lineno}: {exc.message}") from None
    except TemplateNotFound as exc:
        raise TemplateError(f"{_where(exc, name, filename)}: template '{exc.name}' not found in templates/ or among "
                            "the built-in templates") from None
    except LimitExceeded as exc:
        raise TemplateError(f"{_where(exc, name, filename)}: {exc}") from None
    except (UndefinedError, SecurityError, JinjaError, ArithmeticError, TypeError, ValueError, AttributeError,
            LookupError, RecursionError) as exc:
        raise TemplateError(f"{_where(exc, name, filename)}: {exc}{_hint(exc)}") from None
    finally:
        env.deadline = None


def _where(exc: BaseException, name: str, filename: str | None) -> str:
    line = _template_line(exc, filename)
    return f"template {name}" + (f", line {line}" if line else "")


def _timeout_message(name: str, limits: RenderLimits) -> str:
    return (f"template {name} took longer than {limits.timeout:g} s and was stopped: look for loops within loops, "
            f"or allow more time with {TIMEOUT_VAR}=SECONDS")


def _output_message(name: str, limits: RenderLimits) -> str:
    return (f"template {name} wrote more than {limits.max_output:,} bytes and was stopped: look for loops that "
            f"repeat text, or allow more with {MAX_OUTPUT_VAR}=BYTES")


def _memory_message(name: str, limits: RenderLimits) -> str:
    return (f"template {name} needed more than {limits.memory_headroom // 2**20:,} MiB of memory and was stopped: "
            "look for text it builds up or repeats in a loop")


def template_names(env: Sandbox, suffix: str = ".md.j2") -> list[str]:
    """The document templates a user may choose with ``--template`` (for error messages)."""
    try:
        return sorted(n for n in env.list_templates() if n.endswith(suffix) and "/" not in n)
    except (OSError, TypeError):
        return []


def _hint(exc: BaseException) -> str:
    if isinstance(exc, SecurityError):
        return " (templates run in a sandbox: internal attributes are not available)"
    if isinstance(exc, UndefinedError):
        if re.search(r"Report object' has no attribute '(kpis|departments|others|diagnostics)'", str(exc)):
            return (" (the review was rewritten in kolplan 1.2: report.kpis.* is now report.kols, report.outcomes, "
                    "report.satisfaction, report.coordination and report.compliance; report.departments is "
                    "report.coordination.departments; report.others is report.appendix; the built-in "
                    "templates/report.md.j2 shows every variable)")
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
