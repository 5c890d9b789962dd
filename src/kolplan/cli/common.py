"""Options every command shares, and small parsers that turn bad values into exit 2."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

RepoOpt = Annotated[
    Path | None,
    typer.Option("--repo", help="Repository root (default: the first folder upwards holding kolplan.yaml).",
                 show_default=False, file_okay=False),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE", help="Evaluate dates as of this day (YYYY-MM-DD; default: today).",
                 show_default=False),
]


def parse_as_of(value: str | None) -> dt.date:
    from kolplan.cli.asof import parse_as_of as parse  # typer-free, for the validate fast path

    return parse(value)
