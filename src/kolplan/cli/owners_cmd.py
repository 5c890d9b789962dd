"""``kolplan owners``."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from kolplan.cli import complete
from kolplan.cli.common import AsOfOpt, OutputOpt, RepoOpt, WideOpt, parse_as_of
from kolplan.errors import UsageError
from kolplan.formats.escape import clean, json_text, undecodable

FORMATS = complete.OWNERS_FORMATS


def owners(
    conflicts: Annotated[bool, typer.Option("--conflicts", help="Only KOLs with a duplicate-owner conflict "
                                            "(KP301-KP304).")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="table|json|md", help="Output format.",
                                     autocompletion=complete.owners_formats)] = "table",
    wide: WideOpt = False,
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
) -> None:
    """The ownership map: each KOL, its lead, the departments involved, and every conflict.

    A conflict is a plan with no lead or several (KP301), a KOL with two plans (KP302,
    KP303), or an activity owned by someone not on the plan (KP304). This is a report:
    it exits 0 whether or not it lists conflicts (`kolplan validate` is the gate).
    Plans with reading or schema errors are skipped and named on stderr.

    Examples:

      kolplan owners

      kolplan owners --conflicts --format md -o ownership.md
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
    pf = listing.load(opened, date, listing.owner_row)
    rows = listing.owners(pf, conflicts_only=conflicts)
    with out.captured():
        if fmt == "json":
            doc = {"version": 1, "as_of": date.isoformat(), "kols": rows, "skipped": [s.path for s in pf.skipped]}
            typer.echo(json_text(json.dumps(doc, ensure_ascii=False, indent=2)))
        elif fmt == "md":
            typer.echo(_markdown(rows, date.isoformat(), [s.path for s in pf.skipped], conflicts), nl=False)
        else:
            _table(rows, conflicts, wide)
    print_lines([f"kolplan: {s.note()}" for s in pf.skipped], _stderr())
    raise typer.Exit(0)


def _stderr() -> Any:
    return sys.stderr


def _table(rows: list[dict[str, Any]], conflicts_only: bool, wide: bool = False) -> None:
    # lazy: rich's tables: the CLI imports every command module at start-up
    from kolplan.cli.tables import Col, left_out_note, print_fitted_table, print_lines
    from kolplan.formats.text import diagnostic_line

    with_conflicts = [r for r in rows if r["conflicts"]]
    # Priority (lower is kept longer): the KOL, its lead, its conflicts, then the departments.
    columns = [Col("KOL", 0), Col("name", 1, shorten=True, min_width=10), Col("lead", 2, shorten=True, keep_words=1),
               Col("departments", 4, shorten=True, min_width=14), Col("conflicts", 3)]
    dropped: list[str] = []
    if rows:
        dropped = print_fitted_table(columns, [
            [r["id"], r["name"], r["lead_label"], ", ".join(r["departments"]),
             ", ".join(dict.fromkeys(c["code"] for c in r["conflicts"])) or "-"]
            for r in rows
        ], wide=wide)
    lines = ["", *left_out_note(dropped)] if dropped else []
    if with_conflicts:
        # a conflict is a diagnostic as JSON: its keys are diagnostic_line's parameters
        lines += ["", "Conflicts:"] + [diagnostic_line(**c) for r in with_conflicts for c in r["conflicts"]]
    n = len(rows)
    kols = f"{n} KOL{'' if n == 1 else 's'}"
    lines += ["", f"{kols} with a conflict" if conflicts_only else f"{kols}, {len(with_conflicts)} with conflicts"]
    print_lines(lines if rows else lines[-1:])


def _markdown(rows: list[dict[str, Any]], as_of: str, skipped: list[str], conflicts_only: bool) -> str:
    # lazy: only for --format markdown; the CLI imports every command module at start-up
    from kolplan.views.filters import md

    title = "KOL ownership conflicts" if conflicts_only else "KOL ownership"
    out = [f"# {title} (as of {as_of})", ""]
    if rows:
        out += ["| KOL | Name | Lead | Departments | Conflicts |", "|---|---|---|---|---|"]
        for r in rows:
            codes = ", ".join(dict.fromkeys(c["code"] for c in r["conflicts"])) or "—"
            out.append(f"| {md(r['id'])} | {md(r['name'])} | {md(r['lead_label'])} | "
                       f"{md(', '.join(r['departments']))} | {codes} |")
    else:
        out.append("No KOL has an ownership conflict." if conflicts_only else "No plans.")
    with_conflicts = [r for r in rows if r["conflicts"]]
    if with_conflicts:
        out += ["", "## Conflicts", ""]
        for r in with_conflicts:
            for c in r["conflicts"]:
                out.append(f"- **{md(r['id'])}** (`{clean(c['path'])}:{c['line']}:{c['column']}`) {c['severity']} "
                           f"{c['code']} {c['rule']}: {md(c['message'])}")
    if skipped:
        out += ["", "## Skipped", "", "Plans with reading or schema errors (run `kolplan validate` on them):", ""]
        out += [f"- `{clean(p)}`" for p in skipped]  # file names: controls and bytes not UTF-8 escaped
    return undecodable("\n".join(out) + "\n")
