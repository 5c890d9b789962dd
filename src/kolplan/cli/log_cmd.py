"""``kolplan log``."""

from __future__ import annotations

from typing import Annotated

import typer

from kolplan.cli import complete
from kolplan.cli.asof import parse_date
from kolplan.cli.common import AsOfOpt, RepoOpt, parse_as_of
from kolplan.cli.output import write_plain


def log(
    plan_id: Annotated[str, typer.Argument(metavar="ID", help="The plan's id (its file name without .yaml).",
                                           show_default=False, autocompletion=complete.plan_ids)],
    by: Annotated[str, typer.Option("--by", metavar="HANDLE", help="Who met the KOL: a handle from kolplan.yaml "
                                    "people.", show_default=False, autocompletion=complete.people)],
    channel: Annotated[str, typer.Option("--channel", metavar="in-person|virtual|phone|email|congress|other",
                                         help="How you met.", show_default=False,
                                         autocompletion=complete.channels)],
    summary: Annotated[str, typer.Option("--summary", metavar="TEXT", help="What was discussed, in one line.",
                                         show_default=False)],
    date: Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="When (default: --as-of, "
                                             "i.e. today).", show_default=False)] = None,
    insight: Annotated[list[str] | None, typer.Option("--insight", metavar="TEXT", help="Something learned about "
                                                      "the KOL (repeat for more).", show_default=False)] = None,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
) -> None:
    """Append an interaction to a plan, leaving every other byte of the file as it was.

    The entry goes after the last item of interactions: (the key is added if missing), in
    the file's own indentation and line endings; the file is written only if it then
    reads back as before plus exactly the new entry.

    Examples:

      kolplan log jane-okafor --by a.chen --channel in-person \\
          --summary "Discussed MRD assay variability"

      kolplan log jane-okafor --by r.patel --channel congress --date 2026-06-02 \\
          --summary "Met at ASCO" --insight "wants data on older patients"
    """
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    from kolplan.authoring.log import LogEntry, log_interaction
    from kolplan.repo.root import open_repo

    today = parse_as_of(as_of)
    when = parse_date(date, today)
    the_repo = open_repo(repo)
    entry = LogEntry(plan_id, by, channel, summary, when, list(insight or []))
    rel = log_interaction(the_repo, entry, today)
    write_plain(f"logged {channel} interaction of {when} by {by} in {rel}\n")
    raise typer.Exit(0)
