"""``kolplan shortlist``: who to invite, every reason shown (SPEC 14)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kolplan.cli import complete
from kolplan.cli.common import AsOfOpt, OutputOpt, RepoOpt, parse_as_of
from kolplan.errors import UsageError

if TYPE_CHECKING:
    from kolplan.views.shortlist.build import Shortlist

FORMATS = complete.SHORTLIST_FORMATS


def shortlist(
    kind: Annotated[str, typer.Option("--for", metavar="TYPE", help="The activity type being planned, e.g. "
                                      "advisory-board, speaker-program, investigator-initiated-study.",
                                      autocompletion=complete.activity_types, show_default=False)],
    topic: Annotated[str, typer.Option("--topic", metavar="TEXT", help="What it is about, in a few words: "
                                       "matched against scientific interests and therapeutic areas.",
                                       show_default=False)],
    ta: Annotated[list[str] | None, typer.Option("--ta", metavar="TA", help="Only KOLs with this therapeutic "
                                                 "area (repeatable).", show_default=False)] = None,
    tier: Annotated[list[str] | None, typer.Option("--tier", metavar="TIER", help="Only KOLs of this tier "
                                                   "(comma-separated or repeated).", show_default=False,
                                                   autocompletion=complete.tiers)] = None,
    country: Annotated[list[str] | None, typer.Option("--country", metavar="CC", help="Only KOLs in this "
                                                      "country, e.g. GB (comma-separated or repeated).",
                                                      show_default=False)] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="DATE", help="When the engagement would take "
                                             "place (YYYY-MM-DD; default: --as-of).", show_default=False)] = None,
    hours: Annotated[str | None, typer.Option("--hours", metavar="H", help="The time it asks of the KOL, in "
                                              "hours.", show_default=False)] = None,
    compensation: Annotated[str | None, typer.Option("--compensation", metavar="FEE", help="The fee, in "
                                                     "compliance.currency.", show_default=False)] = None,
    by: Annotated[str | None, typer.Option("--by", metavar="DEPT", help="The department that would run it "
                                           "(an id from kolplan.yaml departments): the firewall and "
                                           "collisions are checked for it.", show_default=False,
                                           autocompletion=complete.departments)] = None,
    size: Annotated[str | None, typer.Option("--size", "-n", metavar="N", help="How many eligible KOLs to "
                                             "list (default 10).", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="table|md|json", help="Output format.",
                                     autocompletion=complete.shortlist_formats)] = "table",
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
) -> None:
    """A shortlist of KOLs for an engagement, with every reason for and against each.

    kolplan does not choose: it leaves out the KOLs the compliance and ownership rules exclude (KP205,
    KP301, KP302, KP401, KP402, KP403, as validate reports them with the engagement added to each plan)
    and the filters, and gives the others points for the topic, the wish for this kind of engagement and
    a recent high satisfaction score, less points for a repeat of the same type, the quarter's load, a
    collision with another department, a cap nearly reached and an overdue check-in. The weights are in
    --format json and the README. Plans that cannot be read are left out and named on stderr.

    Exit 2: an unknown type or department, a bad date or number, or an -o FILE that cannot be written.

    Examples:

      kolplan shortlist --for advisory-board --topic "MRD in CLL" --hours 4

      kolplan shortlist --for speaker-program --topic lupus --by commercial \\
        --date 2026-12-10 --hours 3 --compensation 1200 --country US

      kolplan shortlist --for advisory-board --topic MRD --format md -o list.md
    """
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    import json

    from kolplan.cli.asof import parse_date
    from kolplan.cli.documents import note_skipped
    from kolplan.cli.outfile import open_output
    from kolplan.formats.escape import json_text
    from kolplan.repo.root import open_repo
    from kolplan.views.listing import check_filters
    from kolplan.views.shortlist import request as rq
    from kolplan.views.shortlist.build import build
    from kolplan.views.shortlist.markdown import render

    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt}: unknown format; choose one of {', '.join(FORMATS)}")
    day = parse_as_of(as_of)
    kind = rq.check_type(kind)
    rq.check_topic(topic)
    when = parse_date(date, day)
    fee = rq.parse_number(compensation, "--compensation")
    time_asked = rq.parse_number(hours, "--hours")
    n = rq.parse_size(size)
    countries = rq.check_countries(country or [])
    opened = open_repo(repo)
    out = open_output(output, opened.root)  # before the work: a refused -o fails fast
    tiers = rq.split_values(tier or [])
    check_filters(opened.config, list(tiers), [])
    if by is not None:
        opened.view.require_department(by, "--by")
    request = rq.Request(kind, topic, when, day, time_asked, fee, by, rq.split_values(ta or []), tiers, countries, n)
    result = build(opened, request)
    if fmt == "json":
        # compact, as validate's: without indent the json module uses its C encoder (10,000 plans, most of
        # them listed as not eligible with their rules' messages: ~1 s saved)
        out.write(json_text(json.dumps(result.to_json(), ensure_ascii=False)) + "\n")
    elif fmt == "md":
        out.write(render(result))
    else:
        with out.captured():
            _table(result)
    note_skipped(result.skipped)
    raise typer.Exit(0)


def _table(s: Shortlist) -> None:
    # lazy: rich's tables: the CLI imports every command module at start-up
    import textwrap

    from kolplan.cli.tables import print_lines, print_table, table_width
    from kolplan.views.shortlist.markdown import signed

    width = max(table_width(), 40)
    r = s.request

    def wrapped(text: str, first: str, rest: str) -> list[str]:
        return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=rest,
                             break_long_words=False, break_on_hyphens=False) or [first.rstrip()]

    lines = wrapped(f"Shortlist for {s.engagement()}; topic: {r.topic}; as of {r.as_of}"
                    + (f"; {s.filters()}" if s.filters() else ""), "", "  ")
    print_lines([*lines, ""])
    if s.listed:
        print_table(["#", "KOL", "name", "tier", "country", "points"],
                    [[str(i), c.id, c.name, c.tier, c.country or "", signed(c.points)]
                     for i, c in enumerate(s.listed, 1)])
        lines = []
        for i, c in enumerate(s.listed, 1):
            lines += ["", f"{i}. {c.name} ({c.id}, {signed(c.points)}), lead {c.lead}"]
            for x in c.reasons:
                lead = f"   {signed(x.points):>3} "
                lines += wrapped(x.text, lead, " " * len(lead))
            if not c.reasons:
                lines.append("   no reason for or against")
        print_lines(lines)
    else:
        print_lines(["No KOL is eligible."])
    lines = []
    if s.ineligible:
        lines += ["", f"Not eligible ({len(s.ineligible)}):"]
        for c in s.ineligible:
            lines.append(f"  {c.id}")
            for e in c.exclusions:
                rule = e.code if e.rule == "filter" else f"{e.code} {e.rule}"
                lines += wrapped(f"{rule}: {e.message}", "    ", "      ")
    if s.notes:
        lines += ["", "Not checked:"]
        for note in s.notes:
            lines += wrapped(note, "  - ", "    ")
    eligible = len(s.listed) + s.more
    more = f" ({s.more} more with --size)" if s.more else ""
    lines += ["", f"{len(s.listed)} of {eligible} eligible KOL{'' if eligible == 1 else 's'} shown{more}; "
                  f"{len(s.ineligible)} not eligible"]
    print_lines(lines)
