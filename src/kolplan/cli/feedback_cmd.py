"""``kolplan feedback``."""

from __future__ import annotations

from typing import Annotated

import typer

from kolplan.cli import complete
from kolplan.cli.common import AsOfOpt, RepoOpt, parse_as_of
from kolplan.cli.score_cmd import parse_date


def feedback(
    plan_id: Annotated[str, typer.Argument(metavar="ID", help="The plan's id (its file name without .yaml).",
                                           show_default=False, autocompletion=complete.plan_ids)],
    summary: Annotated[str, typer.Option("--summary", metavar="TEXT", help="What the KOL said, in one line.",
                                         show_default=False)],
    date: Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="When (default: --as-of, "
                                             "i.e. today).", show_default=False)] = None,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
) -> None:
    """Append a feedback entry to a plan, leaving every other byte of the file as it was.

    The entry goes after the last item of feedback: (the key is added if missing), in the
    file's own indentation and line endings; the file is written only if it then reads
    back as before plus exactly the new entry.

    Examples:

      kolplan feedback jane-okafor --summary "Wants more safety data"

      kolplan feedback jane-okafor --date 2026-06-02 --summary "Kits arrived late"
    """
    from kolplan.cli.output import write_plain
    from kolplan.config import open_repo
    from kolplan.plan_notes import add_feedback, check_feedback

    today = parse_as_of(as_of)
    when = parse_date(date, today)
    data = check_feedback(summary, when, today)
    the_repo = open_repo(repo)
    rel = add_feedback(the_repo, plan_id, data)
    write_plain(f"recorded feedback of {when} in {rel}\n")
    raise typer.Exit(0)
