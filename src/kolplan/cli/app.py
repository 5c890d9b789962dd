"""The typer application: one module per command, wired here."""

from __future__ import annotations

from typing import Annotated

import typer

from kolplan import __version__
from kolplan.cli.init_cmd import init
from kolplan.cli.list_cmd import list_kols
from kolplan.cli.log_cmd import log
from kolplan.cli.new_cmd import new
from kolplan.cli.output import quiet_rich_broken_pipes
from kolplan.cli.owners_cmd import owners
from kolplan.cli.render_cmd import render
from kolplan.cli.report_cmd import report
from kolplan.cli.rules_cmd import rules
from kolplan.cli.schema_cmd import schema
from kolplan.cli.validate_cmd import validate

quiet_rich_broken_pipes()  # every command's tables and reports: a closed pipe is kolplan's to answer

app = typer.Typer(
    name="kolplan",
    help="Plan, lint and report Key Opinion Leader engagement plans kept as YAML in git.\n\n"
    "Example: kolplan validate --as-of 2026-10-01",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kolplan {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error "
                                        "(accepted anywhere on the command line).")] = False,
) -> None:
    """kolplan: KOL engagement plans as YAML in git, validated in CI."""


app.command("validate")(validate)
app.command("schema")(schema)
app.command("rules")(rules)
app.command("owners")(owners)
app.command("list")(list_kols)
app.command("init")(init)
app.command("new")(new)
app.command("log")(log)
app.command("render")(render)
app.command("report")(report)
