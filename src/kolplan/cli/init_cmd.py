"""``kolplan init``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kolplan.cli.output import write_plain


def init(
    directory: Annotated[Path, typer.Argument(metavar="[DIR]", help="Where to create the repository (default: "
                                              "the current folder; created if missing).")] = Path("."),
    install: Annotated[str | None, typer.Option(
        "--install", metavar="SPEC", show_default=False,
        help="What the workflow and the pre-commit hook pip install (default: kolplan==<this version>): "
        "a requirement, URL or path, with pip options if needed, as shell words, e.g. "
        "'kolplan==1.2 --index-url https://pypi.example.com/simple'.")] = None,
) -> None:
    """Create a plan repository: kolplan.yaml (commented), plans/, .gitignore, a GitHub
    Actions workflow, a pre-commit config and the JSON Schemas for editors.

    Works in an existing repository: writes only what is missing and never overwrites. An
    existing .gitignore gets the lines it lacks (.kolplan/, *.kolplan-tmp) appended; an
    existing workflow or pre-commit config is left alone and the lines to add are printed.
    Refuses (exit 1, nothing written) only when kolplan.yaml exists.

    Examples:

      kolplan init medical-affairs-plans

      kolplan init && kolplan new jane-okafor --name "Jane Okafor" --lead a.chen

      kolplan init --install 'kolplan==0.1.0 -i https://pypi.example.com/simple'
    """
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    import shlex

    from kolplan.authoring.init import APPENDED, CREATED, LEFT_ALONE, init_repo

    results = init_repo(directory, install)
    shown = directory.as_posix()
    fresh = all(r.status == CREATED for r in results)
    width = max(len(r.file.path) for r in results)
    status_width = max(len(s) for s in (CREATED, APPENDED, LEFT_ALONE))
    head = "created a kolplan repository in" if fresh else "set up kolplan in the existing repository"
    lines = [f"{head} {shown}:"]
    for r in results:
        if r.status == APPENDED:
            about = "added " + ", ".join(r.lines)
        elif r.status == LEFT_ALONE and r.snippet:
            about = {".gitignore": "not a regular file; add these lines to it:",
                     ".pre-commit-config.yaml": "it exists; add these lines under repos:"}.get(
                         r.file.path, "it exists; add these lines to it:")
        elif r.status == LEFT_ALONE:
            about = "it exists and already has what kolplan needs" if r.file.path in (
                ".gitignore", ".github/workflows/kolplan.yml", ".pre-commit-config.yaml") else "it exists"
        else:
            about = r.file.about
        lines.append(f"  {r.status:<{status_width}}  {r.file.path:<{width}}  {about}")
        if r.snippet:
            lines += [f"      {line}" if line else "" for line in r.snippet.splitlines()]
    cd = "" if directory == Path(".") else f"cd {shlex.quote(shown)} && "
    lines.append(f"next: edit kolplan.yaml (departments, people), then {cd}kolplan new jane-okafor "
                 '--name "Jane Okafor" --lead a.chen')
    write_plain("\n".join(lines) + "\n")
    raise typer.Exit(0)
