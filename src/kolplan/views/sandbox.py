"""The Jinja side of rendering (SPEC 8): the sandbox every template runs in and the loader that
keeps templates inside their folders. Imported only when something is rendered: jinja2 is
slow to import, and ``kolplan validate`` never needs it.

* :class:`Sandbox` is Jinja's ``ImmutableSandboxedEnvironment`` (no changing the data) for
  plain data (:mod:`kolplan.views.plaindata`): a :class:`~kolplan.views.plaindata.Record`'s keys are its
  only attributes. ``*``, ``**`` and ``%``, the padding string methods and the ``center``,
  ``indent`` and ``format`` filters refuse, at once and with a clear message, a result larger
  than the output limit (the forked child's memory limit catches whatever else grows).
* :class:`TemplateFolders` finds a template name in the repository's ``templates/`` then
  among the built-in ones, and reads it only if it is a regular file inside its folder once
  every symlink is resolved, and not larger than :data:`MAX_TEMPLATE_BYTES`. It serves
  ``{% include %}``, ``{% import %}`` and ``{% extends %}`` the same way.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import time
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from jinja2 import BaseLoader, TemplateNotFound
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from kolplan.errors import TemplateRefused
from kolplan.views.plaindata import Record
from kolplan.views.render import LimitExceeded, RenderLimits, RenderTimeout

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.runtime import Context, Undefined

MAX_TEMPLATE_BYTES: Final = 1 << 20  # 1 MiB: the built-in report template is 15 KB
MAX_INT_BITS: Final = 100_000  # about 30,000 digits: more than any figure, far less than 10**(10**10)
DEADLINE_EVERY: Final = 256  # calls between two looks at the clock
_PADDING: Final = frozenset({"ljust", "rjust", "center", "zfill"})
_PERCENT_FIELD: Final = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_SIZED: Final = (str, list, tuple)


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox for plain data, with kolplan's limits (see the module docstring)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *, limits: RenderLimits, **options: Any) -> None:
        super().__init__(**options)
        self.limits = limits
        self.deadline: float | None = None  # set while rendering in this process
        self._calls = 0
        filters = self.filters
        filters["center"] = self._guard_filter(filters["center"], _center_size)
        filters["indent"] = self._guard_filter(filters["indent"], _indent_size)
        filters["format"] = self._guard_filter(filters["format"], _format_size)

    # -- plain data: a record's keys are its attributes, and it has no others -------------------
    def getattr(self, obj: Any, attribute: str) -> Any | Undefined:
        if isinstance(obj, Record):
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any | Undefined:
        if isinstance(obj, Record):
            try:
                return obj[argument]
            except (KeyError, TypeError):
                return self.undefined(obj=obj, name=argument)
        return super().getitem(obj, argument)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, Record):  # its dict methods (copy, items, ...) are not for templates
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    # -- bounds ------------------------------------------------------------------------------------
    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            self._check_repeat(left, right)
        elif operator == "**":
            self._check_power(left, right)
        elif isinstance(left, str):  # "%": printf-style formatting
            self._check_size(_percent_size(left, right), "'%' formatting with a width or precision")
        return self.binop_table[operator](left, right)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.check_deadline()
        if isinstance(obj, types.BuiltinMethodType) and isinstance(obj.__self__, str):
            self._check_str_method(obj.__self__, obj.__name__, args, kwargs)
        return super().call(context, obj, *args, **kwargs)

    def check_deadline(self) -> None:
        """Past the deadline, stop (what stops a template that renders in this process; a forked
        child is also killed by its parent). The clock is read once every :data:`DEADLINE_EVERY` calls."""
        if self.deadline is None:
            return
        self._calls += 1
        if self._calls % DEADLINE_EVERY == 0 and time.monotonic() > self.deadline:
            raise RenderTimeout("time limit")

    def _check_size(self, size: int, what: str) -> None:
        limit = self.limits.max_output
        if size > limit:
            raise LimitExceeded(f"{what} would make {size:,} characters or items, more than the output limit of "
                                f"{limit:,} bytes (KOLPLAN_TEMPLATE_MAX_OUTPUT)")

    def _check_repeat(self, left: Any, right: Any) -> None:
        if isinstance(left, _SIZED) and isinstance(right, int):
            self._check_size(len(left) * right, "repeating with '*'")
        elif isinstance(right, _SIZED) and isinstance(left, int):
            self._check_size(len(right) * left, "repeating with '*'")
        elif isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise LimitExceeded(f"'*' would make a number of more than {MAX_INT_BITS:,} bits: templates do not "
                                "compute with numbers that large")

    def _check_power(self, left: Any, right: Any) -> None:
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1 \
                and right * (abs(left).bit_length() - 1) > MAX_INT_BITS:
            raise LimitExceeded(f"'**' would make a number of more than {MAX_INT_BITS:,} bits: templates do not "
                                "compute with numbers that large")

    def _check_str_method(self, text: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if name in _PADDING:
            width = args[0] if args else kwargs.get("width", 0)
            if isinstance(width, int):
                self._check_size(width, f"str.{name}()")
        elif name == "expandtabs":
            size = args[0] if args else kwargs.get("tabsize", 8)
            if isinstance(size, int):
                self._check_size(len(text) + text.count("\t") * size, "str.expandtabs()")
        elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
            self._check_size(len(text) + text.count(args[0]) * len(args[1]), "str.replace()")

    def _guard_filter(self, func: Callable[..., Any], size: Callable[..., int]) -> Callable[..., Any]:
        @functools.wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self._check_size(size(*args, **kwargs), f"the {func.__name__.removeprefix('do_')} filter")
            return func(*args, **kwargs)

        return guarded


def _center_size(value: Any, width: Any = 80, *_: Any, **__: Any) -> int:
    return width if isinstance(width, int) else 0


def _indent_size(s: Any, width: Any = 4, *_: Any, **__: Any) -> int:
    text = str(s)
    pad = width if isinstance(width, int) else len(str(width))
    return len(text) + (text.count("\n") + 1) * max(pad, 0)


def _format_size(value: Any, *args: Any, **kwargs: Any) -> int:
    return _percent_size(str(value), kwargs or args)


def _percent_size(fmt: str, values: Any) -> int:
    """A bound on the widths and precisions a printf-style format asks for (``%*d`` takes its
    width from the values)."""
    numbers = [v for v in (values if isinstance(values, tuple) else (values,)) if isinstance(v, int)]
    largest = 0
    for m in _PERCENT_FIELD.finditer(fmt):
        for group in m.groups():
            if group == "*":
                largest = max([largest, *(abs(n) for n in numbers)])
            elif group:
                largest = max(largest, int(group) if len(group) < 20 else 10**20)
    return largest


class TemplateFolders(BaseLoader):
    """Template names looked up in ``folders`` in order: ``(real path, label for messages)``.

    A name is found where a file of that name exists in a folder; it is read only if, with
    every symlink resolved, it is inside that folder, a regular file (a FIFO, device or
    folder is never opened) and at most :data:`MAX_TEMPLATE_BYTES`. Anything else is a
    :class:`~kolplan.errors.TemplateRefused`, never a silent fall-back to the next folder.
    """

    def __init__(self, folders: list[tuple[str, str]], builtin: str) -> None:
        self.folders = folders
        self.builtin = builtin

    def is_builtin(self, filename: str) -> bool:
        return _inside(filename, self.builtin)

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # no "..": TemplateNotFound
        for root, label in self.folders:
            path = os.path.join(root, *pieces)
            try:
                os.lstat(path)
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError as exc:
                raise TemplateRefused(f"template '{template}' in {label} cannot be read ({exc.strerror})") from None
            real = os.path.realpath(path)
            if not _inside(real, root):
                raise TemplateRefused(
                    f"template '{template}' in {label} is, or goes through, a symlink to outside {label}: refused "
                    "(kolplan reads templates only from inside the template folders; put the file itself there)")
            return _read(real, template, label), real, _fresh
        raise TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        names: set[str] = set()
        for root, _ in self.folders:
            for folder, _dirs, files in os.walk(root):
                rel = os.path.relpath(folder, root)
                for f in files:
                    names.add(f if rel == "." else f"{rel.replace(os.sep, '/')}/{f}")
        return sorted(names)


def _fresh() -> bool:
    return True  # an environment lives for one command: nothing to reload


def _inside(path: str, root: str) -> bool:
    return path.startswith(root.rstrip(os.sep) + os.sep)


def _read(real: str, template: str, label: str) -> str:
    """The template's text: a regular file, checked before it is opened (a FIFO would block) and
    again once open, read up to the size bound."""
    where = f"template '{template}' in {label}"
    try:
        before = os.stat(real)
    except OSError as exc:
        raise TemplateRefused(f"{where} cannot be read ({exc.strerror})") from None
    _check_file(before, where)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise TemplateRefused(f"{where} cannot be read ({exc.strerror})") from None
    try:
        now = os.fstat(fd)
        _check_file(now, where)
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            raise TemplateRefused(f"{where} changed while it was read: run again")
        data = bytearray()
        while len(data) <= MAX_TEMPLATE_BYTES:
            chunk = os.read(fd, MAX_TEMPLATE_BYTES + 1 - len(data))
            if not chunk:
                break
            data += chunk
    except OSError as exc:
        raise TemplateRefused(f"{where} cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateRefused(f"{where} is larger than a template may be ({MAX_TEMPLATE_BYTES:,} bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateRefused(f"{where} is not UTF-8 text (byte {exc.start + 1}): save it as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as a file opened as text reads


def _check_file(st: os.stat_result, where: str) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise TemplateRefused(f"{where} is not a regular file: refused (a FIFO, device or folder is never opened)")
    if st.st_size > MAX_TEMPLATE_BYTES:
        raise TemplateRefused(f"{where} is larger than a template may be ({MAX_TEMPLATE_BYTES:,} bytes)")
