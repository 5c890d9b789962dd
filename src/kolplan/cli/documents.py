"""What ``render`` and ``report`` share: naming the plans left out (``-o`` is :mod:`kolplan.cli.outfile`)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from kolplan.formats.text import clean

if TYPE_CHECKING:
    from kolplan.views.loader import Skipped


def note_skipped(skipped: list[Skipped]) -> None:
    """One line on stderr per plan left out of a document because it does not read (KP0xx)."""
    for s in skipped:
        errors = f"{s.errors} reading or schema error{'s' if s.errors != 1 else ''}"
        sys.stderr.write(f"kolplan: skipped {clean(s.path)}: {errors} ({', '.join(s.codes)}); "
                         f"see `kolplan validate {clean(s.path)}`\n")
