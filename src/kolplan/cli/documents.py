"""What ``render`` and ``report`` share: writing the document, naming the plans left out."""

from __future__ import annotations

import sys
from pathlib import Path
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


def finish_document(root: Path, text: str, output: Path | None) -> None:
    """Print the document, or write it atomically to ``output`` inside the repository.

    The bytes of a file name that are not UTF-8 are shown escaped (``\\xe9``): the
    document is UTF-8 text (the templates' ``md`` filter escapes control characters)."""
    from kolplan.cli.output import write_plain
    from kolplan.formats.escape import undecodable

    text = undecodable(text)
    if output is None:
        write_plain(text)
        return
    from kolplan.yamlio.atomic import atomic_write

    atomic_write(output, text, root=root)
    sys.stderr.write(f"kolplan: wrote {output.as_posix()}\n")
