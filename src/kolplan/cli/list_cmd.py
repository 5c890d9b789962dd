"""``kolplan list``."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from kolplan.cli import complete
from kolplan.cli.common import AsOfOpt, OutputOpt, RepoOpt, WideOpt, parse_as_of
from kolplan.errors import UsageError
from kolplan.formats.escape import csv_cell, json_text
from kolplan.vocabulary import OBJECTIVE_STATUSES, TIERS

FORMATS = complete.LIST_FORMATS


def list_kols(
    tier: Annotated[list[str] | None, typer.Option("--tier", metavar="TIER", help="Only KOLs of this tier "
                                                   f"({', '.join(TIERS)}; comma-separated or repeated).",
                                                   show_default=False)] = None,
    department: Annotated[list[str] | None, typer.Option("--department", metavar="DEPT", help="Only KOLs this "
                                                         "department leads or works on (as an owner or an "
                                                         "activity owner).", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="table|json|csv", help="Output format.",
                                     autocompletion=complete.list_formats)] = "table",
    wide: WideOpt = False,
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
) -> None:
    """One row per KOL: tier, lead, objectives by status, last contact, next activity, open diagnostics.

    Plans with reading or schema errors are skipped and named on stderr.

    Examples:

      kolplan list

      kolplan list --tier global,national --department field-medical

      kolplan list --format csv -o kols.csv
    """
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    import json

    from kolplan.cli.outfile import open_output
    from kolplan.cli.tables import print_lines
    from kolplan.repo.root import open_repo
    from kolplan.views import listing

    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt}: unknown format; choose one of {', '.join(FORMATS)}")
    date = parse_as_of(as_of)
    opened = open_repo(repo)
    out = open_output(output, opened.root)  # before the work: a refused -o fails fast
    tiers, departments = listing.check_filters(opened.config, list(tier or []), list(department or []))
    pf = listing.load(opened, date, listing.kol_row)
    rows = listing.kol_rows(pf, tiers, departments)
    with out.captured():
        if fmt == "json":
            doc = {"version": 1, "as_of": date.isoformat(), "kols": rows, "skipped": [s.path for s in pf.skipped]}
            typer.echo(json_text(json.dumps(doc, ensure_ascii=False, indent=2)))
        elif fmt == "csv":
            _csv(rows)
        else:
            _table(rows, wide)
    print_lines([f"kolplan: {s.note()}" for s in pf.skipped], sys.stderr)
    raise typer.Exit(0)


def _table(rows: list[dict[str, Any]], wide: bool = False) -> None:
    # lazy: rich's tables: the CLI imports every command module at start-up
    from kolplan.cli.tables import Col, left_out_note, print_fitted_table, print_lines
    from kolplan.views import listing

    # Priority (lower is kept longer): who the KOL is and who leads, then what comes next.
    # Ids, tiers, dates and counts are shown whole or not at all; free text may end in "…".
    columns = [Col("KOL", 0), Col("name", 1, shorten=True, min_width=10), Col("tier", 2),
               Col("lead", 3, shorten=True, min_width=10, keep_words=1), Col("objectives", 7, shorten=True),
               Col("last contact", 5), Col("next activity", 4, shorten=True, min_width=16, keep_words=2),
               Col("diagnostics", 6)]
    dropped: list[str] = []
    if rows:
        dropped = print_fitted_table(columns, [
            [r["id"], r["name"], r["tier"], r["lead_label"], listing.objectives_text(r["objectives"]),
             r["last_contact"] or "never", listing.next_activity_text(r["next_activity"]),
             listing.diagnostics_text(r["diagnostics"])]
            for r in rows
        ], wide=wide)
    count = f"{len(rows)} KOL{'' if len(rows) == 1 else 's'}"
    print_lines(["", *left_out_note(dropped), count] if rows else [count])


def _csv(rows: list[dict[str, Any]]) -> None:
    # lazy: only for --format csv; the CLI imports every command module at start-up
    import csv

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["id", "name", "tier", "lead", "lead_department", "departments",
                     *(f"objectives_{s.replace('-', '_')}" for s in OBJECTIVE_STATUSES),
                     "last_contact", "next_activity_date", "next_activity_id", "next_activity_title",
                     "errors", "warnings", "info", "path"])
    for r in rows:
        nxt = r["next_activity"] or {}
        writer.writerow([csv_cell(v) for v in [
            r["id"], r["name"], r["tier"], r["lead"] or r["lead_label"], r["lead_department"] or "",
            " ".join(r["departments"]), *(r["objectives"][s] for s in OBJECTIVE_STATUSES),
            r["last_contact"] or "", nxt.get("date") or "", nxt.get("id", ""), nxt.get("title", ""),
            r["diagnostics"]["error"], r["diagnostics"]["warning"], r["diagnostics"]["info"], r["path"],
        ]])
