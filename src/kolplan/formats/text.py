"""``path:line:col: severity CODE rule: message`` lines and a summary line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kolplan.formats.escape import clean

if TYPE_CHECKING:
    from kolplan.lint.engine import ValidationReport

__all__ = ["clean", "render", "summary"]


def render(report: ValidationReport) -> str:
    lines = [
        f"{clean(d.path)}:{d.line}:{d.column}: {d.severity.value} {d.code} {d.rule}: {clean(d.message)}"
        for d in report.diagnostics
    ]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: ValidationReport) -> str:
    c = report.counts()
    parts = [_n(c["error"], "error"), _n(c["warning"], "warning")]
    if c["info"]:
        parts.append(f"{c['info']} info")
    return f"{', '.join(parts)} in {_n(report.files, 'file')}"


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
