"""``kolplan feedback``."""

from __future__ import annotations

from typing import Annotated

import typer

from kolplan.cli import complete
from kolplan.cli.asof import parse_date
from kolplan.cli.common import AsOfOpt, RepoOpt, parse_as_of
from kolplan.cli.output import write_plain
from kolplan.errors import UsageError


def feedback(
    plan_id: Annotated[str, typer.Argument(metavar="ID", help="The plan's id (its file name without .yaml).",
                                           show_default=False, autocompletion=complete.plan_ids)],
    summary: Annotated[str | None, typer.Option("--summary", metavar="TEXT", help="What the KOL said, in one "
                                                "line: appends a feedback entry.", show_default=False)] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="When (default: --as-of, "
                                             "i.e. today).", show_default=False)] = None,
    respond: Annotated[str | None, typer.Option("--respond", metavar="YYYY-MM-DD", help="The date of the "
                                                "feedback to record a response to.", show_default=False)] = None,
    response: Annotated[str | None, typer.Option("--response", metavar="TEXT", help="What was done about it, "
                                                 "in one line (with --respond).", show_default=False)] = None,
    index: Annotated[int | None, typer.Option("--index", metavar="N", help="Which of several feedback entries "
                                              "of the --respond date, counted from 1.", show_default=False)] = None,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
) -> None:
    """Append a feedback entry to a plan, or record the response to one, leaving every other byte of the
    file as it was.

    The entry goes after the last item of feedback: (the key is added if missing), in the
    file's own indentation and line endings; the file is written only if it then reads
    back as before plus exactly the new entry.

    Examples:

      kolplan feedback jane-okafor --summary "Wants more safety data"

      kolplan feedback jane-okafor --date 2026-06-02 --summary "Kits arrived late"

      kolplan feedback jane-okafor --respond 2026-06-02 --response "New courier"
    """
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    from kolplan.authoring.notes import add_feedback, add_response, check_feedback, check_response
    from kolplan.repo.root import open_repo

    today = parse_as_of(as_of)
    if respond is not None or response is not None or index is not None:
        if summary is not None or date is not None:
            raise UsageError("--summary/--date add an entry, --respond/--response answer one: give one or the other")
        if respond is None or response is None:
            raise UsageError("--respond DATE and --response TEXT go together, e.g. --respond 2026-06-02 "
                             '--response "Deck revised in June"')
        on = parse_date(respond, today, option="--respond")
        check_response(response)
        the_repo = open_repo(repo)
        rel = add_response(the_repo, plan_id, on, response, index)
        write_plain(f"recorded the response to the feedback of {on} in {rel}\n")
        raise typer.Exit(0)
    if summary is None:
        raise UsageError('give --summary TEXT to add feedback, e.g. --summary "Wants more safety data", or '
                         "--respond DATE --response TEXT to answer one")
    when = parse_date(date, today)
    data = check_feedback(summary, when, today)
    the_repo = open_repo(repo)
    rel = add_feedback(the_repo, plan_id, data)
    write_plain(f"recorded feedback of {when} in {rel}\n")
    raise typer.Exit(0)
