"""``kolplan report``: the quarterly review in Markdown."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer

from kolplan.cli.common import AsOfOpt, OutputOpt, RepoOpt, parse_as_of
from kolplan.errors import UsageError

if TYPE_CHECKING:
    from kolplan.repo.root import Repo
    from kolplan.views.fiscal import Quarter
    from kolplan.views.kol import KolFacts

NoGitOpt = Annotated[
    bool,
    typer.Option("--no-git", help="Do not read git: no commit line, no changes from history. The output then "
                 "depends only on the files, --as-of and --quarter (reproducible documents, golden tests)."),
]


def report(
    quarter: Annotated[str | None, typer.Option("--quarter", metavar="YYYY-Qn",
                                                help="Fiscal quarter, e.g. 2026-Q3: the third quarter of fiscal "
                                                "year 2026, which ends in calendar 2026 (kolplan.yaml "
                                                "fiscal_year_start). Default: the quarter containing --as-of.",
                                                show_default=False)] = None,
    output: OutputOpt = None,
    template: Annotated[str, typer.Option("--template", "-t", metavar="NAME",
                                          help="Template file name from the repository's templates/ or the "
                                          "built-in ones.")] = "report.md.j2",
    department: Annotated[str | None, typer.Option("--department", "-d", metavar="ID",
                                                   help="Only KOLs whose owners include this department "
                                                   "(an id from kolplan.yaml departments).",
                                                   show_default=False)] = None,
    as_of: AsOfOpt = None,
    no_git: NoGitOpt = False,
    repo: RepoOpt = None,
) -> None:
    """The quarterly review in Markdown: at a glance, needs action, trends, breakdowns, coordination, insights,
    compliance, next quarter, the KOLs that need action, an appendix; the same sections at any portfolio size.

    Plans that cannot be read (KP0xx errors) are left out and named on stderr and in the document; exit 0.
    Exit 2: a bad --quarter or --department, a bad template, or an -o FILE that cannot be written or is
    one of kolplan's inputs (kolplan.yaml, a plan, a template) or under .git/.

    Examples:

      kolplan report --quarter 2026-Q3 -o reviews/2026-Q3.md

      kolplan report --department field-medical --as-of 2026-11-20

      kolplan report --quarter 2026-Q4 --as-of 2026-11-20 --no-git
    """
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    from kolplan.cli.documents import note_skipped
    from kolplan.cli.outfile import open_output
    from kolplan.engagement.disclosure import settings_of
    from kolplan.repo.root import open_repo
    from kolplan.views.figures import plan_figures
    from kolplan.views.fiscal import parse_quarter, quarter_of
    from kolplan.views.loader import load_plans
    from kolplan.views.render import check_template, make_environment, render_template
    from kolplan.views.report import build_report

    r = open_repo(repo)
    out = open_output(output, r.root)  # before the work: a refused -o fails fast
    day = parse_as_of(as_of)
    fys = r.config.fiscal_year_start
    if quarter is None:
        q = quarter_of(day, fys)
    else:
        try:
            q = parse_quarter(quarter, fys)
        except ValueError as exc:
            raise UsageError(f"--quarter {exc}") from None
    if department is not None and department not in r.config.departments:
        known = ", ".join(r.config.departments) or "none are defined"
        raise UsageError(f"--department {department}: not a department in kolplan.yaml (departments: {known})")
    env = make_environment(r.root)
    check_template(env, template)  # before the work: a missing or broken template fails fast
    # Each plan's figures are computed where it is parsed (in the workers); only they come back.
    settings = settings_of(r.config)  # the filing settings, once for every plan
    loaded = load_plans(r, day, partial(plan_figures, r.config, q, day, settings=settings))
    figures = loaded.parts
    git_state = changes = None
    if not no_git:
        from kolplan.repo import git as gitinfo  # lazy: not with --no-git

        git_state = gitinfo.state(r.root)
        if git_state.available:
            current = {p: dict(zip(f.kol.objective_ids, f.kol.objective_status, strict=True))
                       for p, f in figures.items()}
            changes = gitinfo.quarter_changes(r.root, q.start, q.end, current, git_state)
        else:
            changes = gitinfo.QuarterChanges(False, note=git_state.note)
    data = build_report(r.config, figures, loaded.diagnostics, q, day, partial(kol_detail, r, q, day),
                        department=department, git=git_state, changes=changes, git_used=not no_git)
    note_skipped(loaded.skipped)
    text = render_template(env, template, {"report": data})
    out.write(text)
    raise typer.Exit(0)


def kol_detail(repo: Repo, quarter: Quarter, as_of: dt.date, path: str) -> KolFacts | None:
    """One KOL's full facts for their section of the review: their plan read again (the workers
    send back only what every KOL needs; at most 25 KOLs get a section). ``None`` when the plan
    no longer reads."""
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    from kolplan.lint.check import parse_plan
    from kolplan.views.kol import kol_facts

    try:
        data = (repo.root / path).read_bytes()
    except OSError:
        return None
    parsed, _ = parse_plan(path, data)
    return None if parsed is None else kol_facts(repo.config, path, parsed.model, quarter, as_of)
