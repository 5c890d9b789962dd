"""Output formats for ``kolplan validate``: one module each, one interface.

A formatter turns a :class:`~kolplan.lint.engine.ValidationReport` into text. The
core never colours anything; the CLI styles the ``text`` format on a terminal.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from kolplan.lint.engine import ValidationReport

Formatter = Callable[["ValidationReport"], str]

# The formats, the one place that lists them: name -> the module whose ``render`` is the
# formatter. Only the module of the format asked for is imported (start-up time).
FORMATTERS: Final = {
    "text": "kolplan.formats.text",
    "json": "kolplan.formats.json",
    "github": "kolplan.formats.github",
    "sarif": "kolplan.formats.sarif",
    "markdown": "kolplan.formats.markdown",
}
FORMAT_NAMES: Final = tuple(FORMATTERS)


def get_formatter(name: str) -> Formatter | None:
    module = FORMATTERS.get(name)
    if module is None:
        return None
    render: Formatter = importlib.import_module(module).render
    return render
