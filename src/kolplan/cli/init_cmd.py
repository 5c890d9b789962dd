"""``kolplan init``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def init(
    directory: Annotated[Path, typer.Argument(metavar="[DIR]", help="Where to create the repository (default: "
                                              "the current folder; created if missing).")] = Path("."),
) -> None:
    """Create a plan repository: kolplan.yaml (commented), plans/, .gitignore, a GitHub
    Actions workflow, a pre-commit config and the JSON Schemas for editors.

    Never overwrites: if any of these files exists, nothing is written (exit 1).

    Examples:

      kolplan init medical-affairs-plans

      kolplan init && kolplan new jane-okafor --name "Jane Okafor" --lead a.chen
    """
    from kolplan.cli.output import write_plain
    from kolplan.initrepo import init_repo

    files = init_repo(directory)
    shown = directory.as_posix()
    width = max(len(f.path) for f in files)
    lines = [f"created a kolplan repository in {shown}:"]
    lines += [f"  {f.path:<{width}}  {f.about}" for f in files]
    cd = "" if directory == Path(".") else f"cd {shown} && "
    lines.append(f"next: edit kolplan.yaml (departments, people), then {cd}kolplan new jane-okafor "
                 '--name "Jane Okafor" --lead a.chen')
    write_plain("\n".join(lines) + "\n")
    raise typer.Exit(0)
