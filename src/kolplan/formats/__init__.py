"""Output formats for ``kolplan validate``: one module each, one interface.

A formatter turns a :class:`~kolplan.lint.engine.ValidationReport` into text. The
core never colours anything; the CLI styles the ``text`` format on a terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kolplan.lint.engine import ValidationReport

Formatter = Callable[["ValidationReport"], str]


def get_formatter(name: str) -> Formatter | None:
    if name == "text":
        from kolplan.formats.text import render
    elif name == "json":
        from kolplan.formats.json import render
    elif name == "github":
        from kolplan.formats.github import render
    elif name == "sarif":
        from kolplan.formats.sarif import render
    else:
        return None
    return render


FORMAT_NAMES = ("text", "json", "github", "sarif")
