"""``path:line:col: severity CODE rule: message`` lines and a summary line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kolplan.formats.escape import clean

if TYPE_CHECKING:
    from kolplan.diagnostics import Diagnostic
    from kolplan.lint.engine import ValidationReport

__all__ = ["clean", "diagnostic_line", "line_of", "render", "summary"]


def render(report: ValidationReport) -> str:
    lines = [line_of(d) for d in report.diagnostics]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def diagnostic_line(path: str, line: int, column: int, severity: str, code: str, rule: str, message: str) -> str:
    """``path:line:col: severity CODE rule: message``, the one way a diagnostic is written on a
    line: the text format, diagnostics on stderr and ``owners``' conflicts. The path and the
    message come from outside kolplan, so their control characters are shown, not obeyed."""
    return f"{clean(path)}:{line}:{column}: {severity} {code} {rule}: {clean(message)}"


def line_of(d: Diagnostic) -> str:
    """:func:`diagnostic_line` of a diagnostic."""
    return diagnostic_line(d.path, d.line, d.column, d.severity.value, d.code, d.rule, d.message)


def summary(report: ValidationReport) -> str:
    c = report.counts()
    parts = [_n(c["error"], "error"), _n(c["warning"], "warning")]
    if c["info"]:
        parts.append(f"{c['info']} info")
    return f"{', '.join(parts)} in {_n(report.files, 'file')}"


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
