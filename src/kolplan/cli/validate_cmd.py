"""``kolplan validate``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kolplan.cli import complete
from kolplan.cli.common import AsOfOpt, OutputOpt, RepoOpt


def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Plan files or folders (default: plans/). "
                                                       "Naming kolplan.yaml checks every plan.",
                                                       show_default=False)] = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", metavar="text|json|github|sarif|markdown",
                                            help="Output format (default: text; github under GitHub Actions).",
                                            autocompletion=complete.validate_formats,
                                            show_default=False)] = None,
    select: Annotated[list[str] | None, typer.Option("--select", metavar="CODES",
                                                     help="Only these rules (codes or names, comma-separated).",
                                                     show_default=False)] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", metavar="CODES",
                                                     help="Skip these rules (codes or names, comma-separated).",
                                                     show_default=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write .kolplan/cache.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q",
                                        help="Text format: print only the summary line, and nothing at all when "
                                        "there is no diagnostic. json, github, sarif and markdown are documents, "
                                        "so -q leaves them whole.")] = False,
    repo: RepoOpt = None,
) -> None:
    """Check plans against the schema and the rule catalogue.

    Exit 0: no errors (warnings allowed); 1: errors, or warnings with --strict;
    2: could not run (bad config, bad flag, path not found).

    Examples:

      kolplan validate

      kolplan validate plans/jane-okafor.yaml --format json

      kolplan validate --format sarif -o kolplan.sarif

      kolplan validate --format markdown >> "$GITHUB_STEP_SUMMARY"

      kolplan validate --select KP101,no-kol-value --as-of 2026-10-01

      kolplan validate -q
    """
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    from kolplan.cli.validate_run import run_validate

    code = run_validate(list(paths or []), fmt, list(select or []), list(ignore or []), strict, as_of, no_cache,
                        repo, output, quiet)
    raise typer.Exit(code)
