"""``kolplan import``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final

import typer

from kolplan.cli import complete
from kolplan.cli.common import AsOfOpt, RepoOpt, parse_as_of
from kolplan.cli.output import write_plain
from kolplan.formats.escape import clean

if TYPE_CHECKING:
    from kolplan.authoring.csvimport.importer import ImportResult

LISTED: Final = 10  # new and up-to-date plans named one by one; the rest are counted (git status lists them)


def import_csv(
    csv_file: Annotated[Path, typer.Argument(metavar="FILE.csv", help="The export: one row per KOL, a header row "
                                             "naming the columns.", show_default=False)],
    mapping: Annotated[Path | None, typer.Option("--mapping", metavar="FILE.yaml", help="A YAML mapping from "
                                                 "column headers to fields, for headers kolplan does not "
                                                 "recognise (e.g. 'Account Name: name').",
                                                 show_default=False)] = None,
    lead: Annotated[str | None, typer.Option("--lead", metavar="HANDLE", help="The lead of new plans whose row "
                                             "names none: a handle from kolplan.yaml people.", show_default=False,
                                             autocompletion=complete.people)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Write nothing; print what would happen.")] = False,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="Write the good rows and list the bad ones (by "
                                           "default a bad row stops every write).")] = False,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
) -> None:
    """Create or complete plans from a CRM or spreadsheet export, without duplicating anyone.

    Columns are recognised by their header (name, or first and last name; institution, country,
    npi, email, orcid, crm_id, tier, therapeutic_areas, lead, and the names common exports use);
    --mapping names any other. Each row is matched with the plans as validate matches them (a
    shared identifier, or the same name and institution) and with the other rows: no match
    is a new plan, written as kolplan new writes it; a match completes the plan with what it
    lacks and never overwrites it (a value that disagrees is a conflict, left alone); a
    possible match is reported, not written.
    All or nothing: a bad row writes nothing (exit 1) unless --skip-bad. Rows are numbered as a
    spreadsheet shows them (the header is row 1). Exit 0: every row created, completed or up to
    date; 1: a row refused, a conflict or a possible duplicate; 2: a bad request.

    Examples:

      kolplan import crm-export.csv --dry-run

      kolplan import crm-export.csv --lead a.chen --skip-bad
    """
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    from kolplan.authoring.csvimport.importer import ImportRequest, run_import
    from kolplan.repo.root import open_repo

    day = parse_as_of(as_of)
    the_repo = open_repo(repo)
    result = run_import(the_repo, ImportRequest(csv_file, mapping, lead, dry_run, skip_bad, day))
    write_plain(report(result))
    verdict = closing_line(result)
    if verdict:
        sys.stderr.write(f"kolplan: {'error' if result.exit_code else 'note'}: {verdict}\n")
    raise typer.Exit(result.exit_code)


def report(result: ImportResult) -> str:
    """The text ``kolplan import`` prints: the file, the rows that need a look, the summary."""
    # lazy: the CLI imports every command module at start-up
    from kolplan.authoring.csvimport.importer import COMPLETED, CONFLICT, CREATED, KINDS, REFUSED, UP_TO_DATE

    t = result.table
    rows = len(result.outcomes)
    lines = [f"{clean(t.shown)}: {rows} row{'s' if rows != 1 else ''} of KOLs, {t.encoding}, "
             f"{t.delimiter_name}-separated"]
    if result.ignored:
        lines.append(f"ignored columns (not fields kolplan imports): {', '.join(clean(h) for h in result.ignored)}")
    would = not result.wrote
    add = "would add" if would else "added"
    created, up_to_date = [], []
    for o in result.outcomes:
        if o.kind == CREATED:
            created.append(o)
        elif o.kind == COMPLETED:
            lines.append(f"row {o.row}: {'would complete' if would else 'completed'} {o.plan}: {add} {clean(o.added)}")
        elif o.kind == CONFLICT:
            also = f" ({add} {clean(o.added)})" if o.added else ""
            lines.append(f"row {o.row}: conflict with {o.plan}: {clean(o.detail)}: left alone{also}")
        elif o.kind == UP_TO_DATE:
            up_to_date.append(o)
        else:
            lines.append(f"row {o.row}: {o.kind}: {clean(o.detail)}")
    for o in up_to_date[:LISTED]:
        lines.append(f"row {o.row}: up to date: {o.plan}")
    if len(up_to_date) > LISTED:
        lines.append(f"... and {len(up_to_date) - LISTED} more up to date")
    for o in created[:LISTED]:
        lines.append(f"row {o.row}: {'would create' if would else 'created'} {o.plan} ({o.detail})")
    if len(created) > LISTED:
        lines.append(f"... and {len(created) - LISTED} more new plans")
    labels = {CREATED: "to create", COMPLETED: "to complete"} if would else {}
    counts = ", ".join(f"{result.count(k)} {labels.get(k, k)}" for k in KINDS
                       if result.count(k) or k in (CREATED, REFUSED))
    lines.append(f"summary{' (nothing written)' if would else ''}: {counts}")
    return "\n".join(lines) + "\n"


def closing_line(result: ImportResult) -> str:
    """What was (not) written and what to do next, for stderr."""
    # lazy: the CLI imports every command module at start-up
    from kolplan.authoring.csvimport.importer import CONFLICT, POSSIBLE_DUPLICATE, REFUSED

    refused = result.count(REFUSED)
    if result.dry_run:
        return "dry run: nothing was written" + (f"; {refused} row{'s' if refused != 1 else ''} would stop the "
                                                 "import (fix them, or run with --skip-bad)" if refused and not
                                                 result.skip_bad else "")
    if refused and not result.wrote:
        return (f"{refused} row{'s' if refused != 1 else ''} refused, so nothing was written: fix "
                f"{'them' if refused != 1 else 'it'} and import again, or run with --skip-bad to write the other "
                "rows")
    notes = []
    if refused:
        notes.append(f"{refused} row{'s' if refused != 1 else ''} refused (not written)")
    if result.count(CONFLICT):
        notes.append(f"{result.count(CONFLICT)} conflict{'s' if result.count(CONFLICT) != 1 else ''} left alone "
                     "(the plans keep their values: edit them if the export is right)")
    if result.count(POSSIBLE_DUPLICATE):
        notes.append(f"{result.count(POSSIBLE_DUPLICATE)} possible duplicate"
                     f"{'s' if result.count(POSSIBLE_DUPLICATE) != 1 else ''} not written")
    return "; ".join(notes)
