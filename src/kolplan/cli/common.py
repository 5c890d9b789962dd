"""Options every command shares, and small parsers that turn bad values into exit 2."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kolplan.cli.asof import parse_as_of  # typer-free, shared with the validate fast path

__all__ = ["AsOfOpt", "OutputOpt", "RepoOpt", "parse_as_of"]

RepoOpt = Annotated[
    Path | None,
    typer.Option("--repo", metavar="DIR", help="Repository root (default: the first folder upwards holding "
                 "kolplan.yaml).", show_default=False, file_okay=False),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE", help="Evaluate dates as of this day (YYYY-MM-DD; default: today).",
                 show_default=False),
]

WideOpt = Annotated[
    bool,
    typer.Option("--wide", help="Show every column of the table at full width (by default columns are left out "
                 "or shortened to fit the terminal)."),
]

OutputOpt = Annotated[
    str | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of printing (- prints): any file "
                 "you can write, relative to the current folder; never kolplan.yaml, a plan, a template or a file "
                 "under .git/.", show_default=False),
]
