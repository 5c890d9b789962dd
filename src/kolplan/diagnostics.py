"""The one diagnostic type every check, loader and formatter shares."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Final


class Severity(str, Enum):
    """How bad a finding is. ``off`` only appears in configuration, never on a diagnostic."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK: Final = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at one place.

    ``path`` is relative to the repository root with ``/`` separators; ``line`` and
    ``column`` are 1-based and always inside the file (1:1 for whole-file findings).
    """

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    rule: str
    message: str

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def with_severity(self, severity: Severity) -> Diagnostic:
        return Diagnostic(self.path, self.line, self.column, severity, self.code, self.rule, self.message)

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code,
            "rule": self.rule,
            "message": self.message,
        }


def always_on(code: str) -> bool:
    """Reading and schema rules (KP0xx) are always reported, at their own severity: never
    switched off, suppressed or given another severity (SPEC 6). A plan with such an
    error did not read or validate, so it ran no other rule."""
    return code.startswith("KP0")


def sort_diagnostics(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Sort by path, line, column, code (the order every format prints)."""
    return sorted(diags, key=Diagnostic.sort_key)


def count_by_severity(diags: list[Diagnostic]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for d in diags:
        counts[d.severity.value] += 1
    return counts


_READING_NAMES: Final = {"KP001": "yaml-syntax", "KP002": "duplicate-key", "KP003": "unreadable-file",
                         "KP010": "schema"}


def reading_diagnostic(path: str, line: int, column: int, code: str, message: str) -> Diagnostic:
    """A reading or schema error (KP001-KP003, KP010), as the loader reports them."""
    return Diagnostic(path, line, column, Severity.ERROR, code, _READING_NAMES[code], message)
