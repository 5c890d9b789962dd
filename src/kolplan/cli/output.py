"""Printing for people: colour only on a terminal, ``NO_COLOR`` respected, errors on stderr."""

from __future__ import annotations

import os
import re
import sys
from typing import TextIO

from kolplan.errors import KolplanError
from kolplan.formats.escape import clean, undecodable


def use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_LINE = re.compile(r"^(?P<loc>[^\s].*?:\d+:\d+:) (?P<sev>error|warning|info) (?P<code>KP\d+) (?P<rule>[\w-]+):")


def quiet_rich_broken_pipes() -> None:
    """rich answers a closed pipe with its own ``SystemExit(1)``; make it raise
    :class:`BrokenPipeError` instead, so that kolplan decides the code (the same for every
    command: see :func:`kolplan.cli._run`)."""
    # lazy: rich: validate's fast path imports this module and prints without rich
    from rich.console import Console

    def on_broken_pipe(self: Console) -> None:
        self.quiet = True
        raise BrokenPipeError

    Console.on_broken_pipe = on_broken_pipe  # type: ignore[method-assign]


def write_text_report(text: str, stream: TextIO | None = None) -> None:
    """Print a text-format report, with colour where the stream is a terminal."""
    stream = stream or sys.stdout
    text = undecodable(text)
    if not use_colour(stream):
        stream.write(text)
        return
    # lazy: rich: only for a terminal; validate's fast path imports this module
    from rich.console import Console
    from rich.text import Text

    quiet_rich_broken_pipes()
    console = Console(file=stream, highlight=False, soft_wrap=True)
    for line in text.splitlines():
        t = Text(line)
        m = _LINE.match(line)
        if m:
            t.stylize("bold", *m.span("loc"))
            t.stylize(_STYLES[m.group("sev")], *m.span("sev"))
            t.stylize("dim", m.start("code"), m.end("rule"))
        console.print(t)


def write_plain(text: str, stream: TextIO | None = None) -> None:
    """Print ``text`` as it is, but for bytes of a file name that are not UTF-8 (shown as
    ``\\xe9``): with them the write would fail."""
    (stream or sys.stdout).write(undecodable(text))


def print_error(exc: KolplanError) -> None:
    """One line (plus positioned diagnostics, if any) on stderr."""
    # lazy: only on an error
    from kolplan.formats.text import line_of

    lines = [line_of(d) for d in exc.diagnostics]
    lines.append(f"kolplan: {'error' if exc.exit_code else 'note'}: {clean(exc.message)}")
    text = "\n".join(lines) + "\n"
    if use_colour(sys.stderr):
        write_text_report(text, sys.stderr)
    else:
        sys.stderr.write(text)
