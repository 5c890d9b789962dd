"""Tables for people (rich): colour only on a terminal, plan text never read as markup."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from kolplan.cli.output import use_colour
from kolplan.formats.text import clean

# Piped output is for grep and less, not a terminal's width: do not wrap it at 80 columns.
PIPE_WIDTH = 200


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None = None,
                stream: TextIO | None = None) -> None:
    """One rich table; every cell is plain text (``[red]`` in a plan stays ``[red]``)."""
    from rich import box
    from rich.console import Console
    from rich.table import Column, Table
    from rich.text import Text

    stream = stream or sys.stdout
    colour = use_colour(stream)
    columns = [Column(h, overflow="fold") for h in headers]  # wrap long cells, never cut them short
    table = Table(*columns, title=title, box=box.SIMPLE_HEAD, safe_box=True, title_justify="left",
                  header_style="bold" if colour else "", pad_edge=False)
    for row in rows:
        table.add_row(*(Text(clean(cell)) for cell in row))
    if colour:
        Console(file=stream, force_terminal=True, highlight=False).print(table)
        return
    width = int(os.environ.get("COLUMNS", "0") or 0) or PIPE_WIDTH
    buffer = io.StringIO()
    Console(file=buffer, color_system=None, force_terminal=False, highlight=False, width=width).print(table)
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    stream.write("\n".join(lines).rstrip("\n") + "\n")


def print_lines(lines: Sequence[str], stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write("".join(f"{clean(line)}\n" for line in lines))
