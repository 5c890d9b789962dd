"""What ``render`` and ``report`` share: naming the plans left out (``-o`` is :mod:`kolplan.cli.outfile`)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kolplan.diagnostics import Diagnostic


def note_skipped(skipped: list[str], diagnostics: list[Diagnostic]) -> None:
    """One line on stderr per plan left out of a document because it does not read (KP0xx)."""
    from kolplan.formats.text import clean

    for path in skipped:
        codes = sorted({d.code for d in diagnostics if d.path == path and d.code.startswith("KP0")})
        n = sum(1 for d in diagnostics if d.path == path and d.code.startswith("KP0"))
        sys.stderr.write(f"kolplan: skipped {clean(path)}: {n} reading or schema error{'s' if n != 1 else ''} "
                         f"({', '.join(codes)}); see `kolplan validate {clean(path)}`\n")
