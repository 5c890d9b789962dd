"""GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=…::message``.

Escaping follows GitHub's toolkit (``@actions/core`` ``command.ts``): in the message
``%``, CR and LF; in properties also ``:`` and ``,``. Before that, control characters
(ESC, BEL) and bytes of a file name that are not UTF-8 are shown as ``\\x1b``,
``\\xe9``: the runner's log is a terminal too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kolplan.formats.escape import clean
from kolplan.formats.text import summary

if TYPE_CHECKING:
    from kolplan.lint.engine import ValidationReport

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render(report: ValidationReport) -> str:
    out = []
    for d in report.diagnostics:
        props = ",".join([
            f"file={escape_property(clean(d.path))}",
            f"line={d.line}",
            f"col={d.column}",
            f"title={escape_property(f'{d.code} {d.rule}')}",
        ])
        out.append(f"::{_LEVEL[d.severity.value]} {props}::{escape_data(clean(d.message, keep_layout=True))}")

    out.append(summary(report))
    return "\n".join(out) + "\n"
