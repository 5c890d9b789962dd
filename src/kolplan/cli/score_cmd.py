"""``kolplan score``."""

from __future__ import annotations

from typing import Annotated

import typer

from kolplan.cli import complete
from kolplan.cli.asof import parse_date
from kolplan.cli.common import AsOfOpt, RepoOpt, parse_as_of
from kolplan.cli.output import write_plain


def score(
    plan_id: Annotated[str, typer.Argument(metavar="ID", help="The plan's id (its file name without .yaml).",
                                           show_default=False, autocompletion=complete.plan_ids)],
    value: Annotated[str, typer.Argument(metavar="SCORE", help="The KOL's satisfaction, a whole number 0-10.",
                                         show_default=False)],
    date: Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="When it was measured "
                                             "(default: --as-of, i.e. today).", show_default=False)] = None,
    source: Annotated[str | None, typer.Option("--source", metavar="survey|interview|other",
                                               help="How it was measured.", show_default=False,
                                               autocompletion=complete.sources)] = None,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
) -> None:
    """Append a satisfaction score to a plan, leaving every other byte of the file as it was.

    The entry goes after the last item of plan.satisfaction (the key is added if missing),
    in the file's own indentation and line endings; the file is written only if it then
    reads back as before plus exactly the new entry.

    Examples:

      kolplan score jane-okafor 8 --source survey

      kolplan score jane-okafor 9 --date 2026-06-02 --source interview
    """
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    from kolplan.authoring.notes import add_score, check_score
    from kolplan.repo.root import open_repo

    today = parse_as_of(as_of)
    when = parse_date(date, today)
    data = check_score(value, source, when, today)
    the_repo = open_repo(repo)
    rel = add_score(the_repo, plan_id, data)
    write_plain(f"scored {data['score']}/10 on {when} in {rel}\n")
    raise typer.Exit(0)
