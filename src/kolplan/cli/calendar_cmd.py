"""``kolplan calendar``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from kolplan.cli import complete
from kolplan.cli.common import AsOfOpt, OutputOpt, RepoOpt, WideOpt, parse_as_of
from kolplan.errors import UsageError

if TYPE_CHECKING:
    from kolplan.views.calendar import Item, Window

FORMATS = complete.CALENDAR_FORMATS


def calendar(
    start: Annotated[str | None, typer.Option("--from", metavar="DATE", help="First day shown (YYYY-MM-DD; "
                                              "default: --as-of).", show_default=False)] = None,
    end: Annotated[str | None, typer.Option("--to", metavar="DATE", help="Last day shown (YYYY-MM-DD; default: "
                                            "90 days after --from).", show_default=False)] = None,
    department: Annotated[list[str] | None, typer.Option("--department", metavar="DEPT", help="Only what this "
                                                         "department owns (comma-separated or repeated).",
                                                         show_default=False,
                                                         autocompletion=complete.departments)] = None,
    kol: Annotated[list[str] | None, typer.Option("--kol", metavar="ID", help="Only this KOL's plan "
                                                  "(comma-separated or repeated).", show_default=False,
                                                  autocompletion=complete.plan_ids)] = None,
    redact: Annotated[bool, typer.Option("--redact", help="The firewall-safe view for another function: KOL, "
                                         "date, department and activity type only (no titles, owners, "
                                         "objectives or notes), in every format.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="table|md|json|ics", help="Output format.",
                                     autocompletion=complete.calendar_formats)] = "table",
    wide: WideOpt = False,
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
) -> None:
    """Every dated engagement and plan review across departments, with the collisions (KP306).

    Planned and done activities and governance reviews from --from to --to (both included),
    across the portfolio: date, KOL, activity, owner and department, status, and the
    collision each is part of. --format ics writes an iCalendar file (one all-day event
    each, stable UIDs) that Outlook or Google Calendar can subscribe to. Plans with
    reading or schema errors are skipped and named on stderr.

    Examples:

      kolplan calendar --from 2026-12-01 --to 2027-03-31

      kolplan calendar --department commercial --redact --format md

      kolplan calendar --format ics -o kol-calendar.ics
    """
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    import json
    from functools import partial

    from kolplan.cli.asof import parse_date
    from kolplan.cli.outfile import open_output
    from kolplan.cli.tables import print_lines
    from kolplan.formats.escape import json_text
    from kolplan.repo.root import open_repo
    from kolplan.views import calendar as cal
    from kolplan.views.loader import load_plans

    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt}: unknown format; choose one of {', '.join(FORMATS)}")
    date = parse_as_of(as_of)
    first = parse_date(start, date, "--from") if start is not None else None
    last = parse_date(end, date, "--to") if end is not None else None
    opened = open_repo(repo)
    out = open_output(output, opened.root)  # before the work: a refused -o fails fast
    win = cal.window(opened, date, first, last, list(department or []), list(kol or []))
    if fmt == "ics":
        # lazy: the iCalendar writer (and its library) only for --format ics
        from kolplan.views import ics

        ics.require_library()  # before the work, and imported once for the workers
        events = load_plans(opened, date, partial(ics.plan_events, opened.config, win, date, redact))
        out.write(ics.ics([e for part in events.parts.values() for e in part],
                          f"{opened.config.organization} KOL calendar", redact))
        print_lines([f"kolplan: {s.note()}" for s in events.skipped], sys.stderr)
        raise typer.Exit(0)
    loaded = load_plans(opened, date, partial(cal.plan_items, opened.config, win))
    items = cal.items_of(loaded)
    skipped = [s.path for s in loaded.skipped]
    with out.captured():
        if fmt == "json":
            doc = cal.json_doc(items, win, date, skipped, redact)
            typer.echo(json_text(json.dumps(doc, ensure_ascii=False, indent=2)))
        elif fmt == "md":
            typer.echo(cal.markdown(items, win, date, skipped, redact), nl=False)
        else:
            _table(items, win, redact, wide)
    print_lines([f"kolplan: {s.note()}" for s in loaded.skipped], sys.stderr)
    raise typer.Exit(0)


def _table(items: list[Item], win: Window, redact: bool, wide: bool) -> None:
    # lazy: rich's tables: the CLI imports every command module at start-up
    from kolplan.cli.tables import Col, left_out_note, print_fitted_table, print_lines
    from kolplan.views import calendar as cal

    headers, body = cal.rows(items, redact)
    # Priority (lower is kept longer): when, who, which activity and department, then the rest.
    spec = {"date": Col("date", 0), "KOL": Col("KOL", 1, shorten=True, min_width=12, keep_words=2),
            "activity": Col("activity", 2, shorten=True, min_width=8, keep_words=1),
            "title": Col("title", 6, shorten=True, min_width=12),
            "owner": Col("owner", 3, shorten=True, min_width=12, keep_words=2), "status": Col("status", 5),
            "collision": Col("collision", 4, shorten=True, min_width=12, keep_words=2),
            "department": Col("department", 2, shorten=True, min_width=10), "type": Col("type", 3)}
    dropped: list[str] = []
    if body:
        dropped = print_fitted_table([spec[h] for h in headers], body, wide=wide)
    head = f"{win.start} to {win.end}: {cal.summary(items, redact)}"
    print_lines(["", *left_out_note(dropped), head] if body else [head])
