"""Tables for people (rich): colour only on a terminal, plan text never read as markup."""

from __future__ import annotations

import io
import os
import shutil
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from rich import box
from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

from kolplan.cli.output import use_colour
from kolplan.formats.text import clean

# Piped output is for grep and less, not a terminal's width: do not wrap it at 80 columns.
PIPE_WIDTH = 200


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None = None,
                stream: TextIO | None = None) -> None:
    """One rich table; every cell is plain text (``[red]`` in a plan stays ``[red]``)."""
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


@dataclass(frozen=True)
class Col:
    """A column of a table that fits the terminal.

    ``priority``: lower is kept longer (columns are dropped from the highest number down).
    ``shorten``: free text that may be cut short with an ellipsis, never below ``min_width``;
    a column that may not (ids, dates, counts) is shown whole or left out, never broken.
    ``keep_words``: a shortened cell still shows its first words whole (a lead's handle,
    the date and id of an activity before its title).
    """

    header: str
    priority: int
    shorten: bool = False
    min_width: int = 12
    keep_words: int = 0


GAP = 3  # SIMPLE_HEAD: a space of padding either side of the (blank) column separator
EDGE = 2  # the box's blank left and right edges (pad_edge=False)


def table_width(stream: TextIO | None = None) -> int:
    """The width a table may use: ``COLUMNS``, else the terminal's, else (piped) ``PIPE_WIDTH``."""
    stream = stream or sys.stdout
    env = os.environ.get("COLUMNS", "")
    if env.strip().isdigit() and int(env) > 0:
        return int(env)
    if use_colour(stream) or (hasattr(stream, "isatty") and stream.isatty()):
        return shutil.get_terminal_size((80, 24)).columns
    return PIPE_WIDTH


def fit_columns(cols: Sequence[Col], rows: Sequence[Sequence[str]], width: int,
                wide: bool = False) -> tuple[list[int], list[int]]:
    """The columns to show (indexes, in table order) and their widths, and the ones left out.

    Every kept column not marked ``shorten`` gets its full width; the shortenable ones get
    what is left, in priority order, down to their minimum. The first column by priority is
    always kept, even when it alone is wider than ``width`` (an id is never broken).
    """
    natural = [max([cell_len(clean(c.header))] + [cell_len(clean(r[i])) for r in rows]) for i, c in enumerate(cols)]
    least = [min(natural[i], max(c.min_width, cell_len(c.header), _words_width(c, rows, i))) if c.shorten
             else natural[i] for i, c in enumerate(cols)]
    order = sorted(range(len(cols)), key=lambda i: cols[i].priority)
    if wide:
        return natural, []

    def need(keep: list[int], widths: Sequence[int]) -> int:
        return sum(widths[i] for i in keep) + GAP * (len(keep) - 1) + EDGE

    keep: list[int] = []
    for i in order:
        if not keep or need([*keep, i], least) <= width:
            keep.append(i)
    widths = [0] * len(cols)
    for i in keep:
        widths[i] = least[i]
    spare = width - need(keep, widths)
    while spare > 0:  # grow the shortened columns back one cell at a time, most important first
        growing = [i for i in keep if widths[i] < natural[i]][:spare]
        if not growing:
            break
        for i in growing:
            widths[i] += 1
        spare -= len(growing)
    dropped = [i for i in range(len(cols)) if i not in keep]
    return widths, dropped


def _words_width(col: Col, rows: Sequence[Sequence[str]], i: int) -> int:
    """The width that keeps the first ``keep_words`` words of every cell whole, then "…"."""
    if not col.keep_words:
        return 0
    return max([cell_len(" ".join(clean(r[i]).split(" ")[:col.keep_words])) + 2 for r in rows], default=0)


def print_fitted_table(cols: Sequence[Col], rows: Sequence[Sequence[str]], *, wide: bool = False,
                       stream: TextIO | None = None) -> list[str]:
    """A table that fits the terminal: no cell is wrapped, free text may end in an ellipsis,
    the least important columns are left out (``wide``: none, each at full width). Returns
    the headers of the columns left out, in table order."""
    stream = stream or sys.stdout
    colour = use_colour(stream)
    width = table_width(stream)
    widths, dropped = fit_columns(cols, rows, width, wide)
    shown = [i for i in range(len(cols)) if i not in dropped]
    if not colour:
        stream.write("".join(f"{line}\n" for line in plain_table_lines(cols, rows, widths, shown)))
        return [cols[i].header for i in dropped]
    columns = [Column(cols[i].header, width=widths[i], no_wrap=True,
                      overflow="ellipsis" if cols[i].shorten else "ignore") for i in shown]
    table = Table(*columns, box=box.SIMPLE_HEAD, safe_box=True, header_style="bold" if colour else "",
                  pad_edge=False)
    for row in rows:
        table.add_row(*(Text(clean(row[i])) for i in shown))
    # rich must not squeeze what was measured to fit (nor, with --wide, what is meant to be wider)
    console_width = max(width, sum(widths[i] for i in shown) + GAP * (len(shown) - 1) + EDGE)
    Console(file=stream, force_terminal=True, highlight=False, width=console_width).print(table)
    return [cols[i].header for i in dropped]


def plain_table_lines(cols: Sequence[Col], rows: Sequence[Sequence[str]], widths: Sequence[int],
                      shown: Sequence[int]) -> list[str]:
    """The lines rich prints for :func:`print_fitted_table`'s table without colour (SIMPLE_HEAD,
    no edge padding, trailing blanks stripped), laid out directly: the widths are already
    fitted and no cell wraps, so each cell is cut (with "…" where it may be shortened) and
    padded. Rich's renderer takes about 0.1 ms a cell; a calendar of 10,000 KOLs has 170,000
    cells. ``tests/cli/test_table_width.py`` checks that both give the same text."""

    def cell(text: str, i: int) -> str:
        text = clean(text)
        w = widths[i]
        n = cell_len(text)
        if n > w and cols[i].shorten:
            return set_cell_size(text, w - 1) + "…"
        return text + " " * (w - n) if n < w else text

    rule = "─" * (sum(widths[i] for i in shown) + GAP * (len(shown) - 1))
    out = [(" " + "   ".join(cell(cols[i].header, i) for i in shown)).rstrip(), " " + rule]
    out += [(" " + "   ".join(cell(row[i], i) for i in shown)).rstrip() for row in rows]
    return out


def left_out_note(dropped: Sequence[str], stream: TextIO | None = None) -> list[str]:
    """The lines under a table that had to leave columns out (none when nothing was),
    wrapped between words to the table's width."""
    if not dropped:
        return []
    note = f"Columns left out: {', '.join(dropped)} (--wide shows all)."
    return textwrap.wrap(note, width=max(table_width(stream), 20), break_long_words=False, break_on_hyphens=False)


def print_lines(lines: Sequence[str], stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write("".join(f"{clean(line)}\n" for line in lines))
