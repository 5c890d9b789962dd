"""A summary line and a table of the diagnostics, errors first (SPEC 6), for a GitHub job
summary (``>> "$GITHUB_STEP_SUMMARY"``) or a pull-request comment.

Paths and messages come from outside kolplan: each cell goes through the ``md`` filter of
the Markdown documents (pipes, backslashes, HTML and line breaks cannot break the table),
after :func:`~kolplan.formats.escape.clean` has shown control characters and bytes that are
not UTF-8 as escapes.

The document is never longer than :data:`LIMIT` characters, whatever the portfolio:
GitHub takes at most 1 MiB of job summary per step and 65,536 characters in a comment, and
65,536 characters are at most 256 KiB of UTF-8. Rows that do not fit are left off, the
least severe first (the table is sorted errors first), and a last line says how many, of
which severity, and how to see them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from kolplan.formats.escape import clean
from kolplan.formats.text import summary
from kolplan.views.filters import md

if TYPE_CHECKING:
    from kolplan.diagnostics import Diagnostic
    from kolplan.lint.engine import ValidationReport

LIMIT: Final = 65_536  # characters: a pull-request comment's limit, and far under a job summary's 1 MiB
# Longer paths and messages are cut (with an ellipsis) before escaping, so one row cannot take the page.
PATH_MAX: Final = 300
MESSAGE_MAX: Final = 1_000
HEADER: Final = "| Severity | Code | Rule | Location | Message |\n| --- | --- | --- | --- | --- |\n"
# room kept for the last line ("... and N more ...") and the final newline
_RESERVE: Final = 400


def render(report: ValidationReport) -> str:
    head = f"### kolplan validate: {summary(report)}\n"
    if not report.diagnostics:
        return head
    ordered = sorted(report.diagnostics, key=lambda d: d.severity.rank)  # stable: the report's order within
    out = [head, "\n", HEADER]
    size = len(head) + 1 + len(HEADER)
    shown = 0
    for d in ordered:
        row = _row(d)
        if size + len(row) > LIMIT - _RESERVE:
            break
        out.append(row)
        size += len(row)
        shown += 1
    if shown < len(ordered):
        out.append("\n" + _more(ordered[shown:]) + "\n")
    return "".join(out)


def _row(d: Diagnostic) -> str:
    where = f"{md(clean(_cut(d.path, PATH_MAX)))}:{d.line}:{d.column}"
    message = md(clean(_cut(d.message, MESSAGE_MAX), keep_layout=True))
    return f"| {d.severity.value} | {md(d.code)} | {md(d.rule)} | {where} | {message} |\n"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _more(rest: list[Diagnostic]) -> str:
    counts: dict[str, int] = {}
    for d in rest:
        counts[d.severity.value] = counts.get(d.severity.value, 0) + 1
    parts = [f"{n:,} {name}{'s' if n != 1 and name != 'info' else ''}" for name, n in counts.items()]
    return (f"… and {len(rest):,} more ({', '.join(parts)}) not shown here: run `kolplan validate` to "
            "see them all.")
