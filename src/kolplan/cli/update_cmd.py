"""``kolplan update``."""

from __future__ import annotations

from typing import Annotated

import typer

from kolplan.cli import complete
from kolplan.cli.asof import parse_date
from kolplan.cli.common import AsOfOpt, RepoOpt, parse_as_of
from kolplan.cli.output import write_plain


def update(
    plan_id: Annotated[str, typer.Argument(metavar="ID", help="The plan's id (its file name without .yaml).",
                                           show_default=False, autocompletion=complete.plan_ids)],
    activity: Annotated[str | None, typer.Option("--activity", metavar="ACTIVITY", help="The id of the activity "
                                                 "to change, e.g. A3.", show_default=False,
                                                 autocompletion=complete.activity_ids)] = None,
    objective: Annotated[str | None, typer.Option("--objective", metavar="OBJECTIVE", help="The id of the "
                                                  "objective to change, e.g. O1.", show_default=False,
                                                  autocompletion=complete.objective_ids)] = None,
    status: Annotated[str | None, typer.Option("--status", metavar="STATUS", help="The new status: done, "
                                               "cancelled or planned for an activity; not-started, on-track, "
                                               "at-risk, achieved, missed or dropped for an objective.",
                                               show_default=False, autocompletion=complete.statuses)] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="The activity's date (a done "
                                             "or cancelled activity without one gets --as-of).",
                                             show_default=False)] = None,
    hours: Annotated[str | None, typer.Option("--hours", metavar="H", help="Time asked of the KOL, in hours.",
                                              show_default=False)] = None,
    compensation: Annotated[str | None, typer.Option("--compensation", metavar="C", help="The fee paid to the "
                                                     "KOL, in compliance.currency.", show_default=False)] = None,
    next_review: Annotated[str | None, typer.Option("--next-review", metavar="YYYY-MM-DD", help="Move the "
                                                    "governance review to this date.", show_default=False)] = None,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
) -> None:
    """Change an activity, an objective's status or the next review of a plan, leaving every other byte of
    the file as it was.

    Each changed value is replaced where it stands (keeping its quotes); a missing key (date:
    on an activity that had none) is added after the item's last key, in its own style. The
    file is written only if it then reads back as before with exactly that change. A done
    activity needs a date: its own, --date, or --as-of when it has none; one dated after today is
    refused (KP014).

    Examples:

      kolplan update jane-okafor --activity A3 --status done --hours 4

      kolplan update jane-okafor --activity A4 --compensation 1600

      kolplan update jane-okafor --objective O1 --status at-risk

      kolplan update jane-okafor --next-review 2026-10-01
    """
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    from kolplan.authoring.update import Update, parse_amount, update_plan
    from kolplan.repo.root import open_repo

    today = parse_as_of(as_of)
    request = Update(
        plan_id, activity=activity, objective=objective, status=status,
        date=parse_date(date, today) if date is not None else None,
        hours=parse_amount(hours, "--hours"), compensation=parse_amount(compensation, "--compensation"),
        next_review=parse_date(next_review, today, "--next-review") if next_review is not None else None,
    )
    outcome = update_plan(open_repo(repo), request, today)
    if not outcome.changed:
        write_plain(f"nothing to change: {outcome.what} in {outcome.rel} already says so\n")
    else:
        said = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in outcome.changed.items())
        write_plain(f"updated {outcome.what} in {outcome.rel}: {said}\n")
    raise typer.Exit(0)
