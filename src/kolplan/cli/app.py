"""The typer application: one module per command, wired here."""

from __future__ import annotations

import inspect
import re
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption

from kolplan import __version__
from kolplan.cli.calendar_cmd import calendar
from kolplan.cli.disclose_cmd import disclose
from kolplan.cli.feedback_cmd import feedback
from kolplan.cli.import_cmd import import_csv
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
from kolplan.cli.score_cmd import score
from kolplan.cli.shortlist_cmd import shortlist
from kolplan.cli.update_cmd import update
from kolplan.cli.validate_cmd import validate

# A sentence ends a source line: the next line may start a new one on its own line ("Exit 2: ...").
_SENTENCE_END = re.compile(r"[.:!?][)\]`'\"]*$")


def reflow(text: str) -> str:
    """A docstring as help: the lines of a prose paragraph joined into one (typer's rich mode
    keeps the docstring's line breaks, so "a GitHub / Actions workflow" was printed as two
    short lines), except where a line ends a sentence and the next starts another with a
    capital. Indented paragraphs (examples) and ``\\b`` paragraphs are kept as written."""
    out = []
    for para in inspect.cleandoc(text).split("\n\n"):
        lines = para.split("\n")
        if para.startswith("\b") or all(line.startswith(" ") for line in lines if line):
            out.append(para)
            continue
        joined = lines[0]
        for line in lines[1:]:
            keep = _SENTENCE_END.search(joined.rstrip()) and line[:1].isupper()
            joined += "\n" + line if keep else " " + line.strip()
        out.append(joined)
    return "\n\n".join(out)


class KolplanCommand(TyperCommand):
    """A command whose help reads well at 80 columns: prose reflowed (:func:`reflow`), and
    no type after a flag (typer 0.2x shows ``<bool>`` for ``--wide``, ``--help``...)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.help:
            self.help = reflow(self.help)

    def get_params(self, ctx: Any) -> list[Any]:
        return _no_flag_types(super().get_params(ctx))  # --help is added here


class KolplanGroup(TyperGroup):
    """The top-level ``kolplan --help``: no type after ``--version``, ``--debug``, ``--help``..."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _no_flag_types(super().get_params(ctx))


def _no_flag_types(params: list[Any]) -> list[Any]:
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""  # typer prints the metavar, when set, instead of the type
    return params


quiet_rich_broken_pipes()  # every command's tables and reports: a closed pipe is kolplan's to answer

app = typer.Typer(
    cls=KolplanGroup,
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


for _name, _command in (("validate", validate), ("schema", schema), ("rules", rules), ("owners", owners),
                        ("list", list_kols), ("init", init), ("new", new), ("log", log), ("score", score),
                        ("feedback", feedback), ("update", update), ("import", import_csv), ("render", render),
                        ("report", report), ("calendar", calendar), ("disclose", disclose), ("shortlist", shortlist)):
    app.command(_name, cls=KolplanCommand)(_command)
