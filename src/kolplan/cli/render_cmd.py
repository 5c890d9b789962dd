"""``kolplan render``: one KOL's plan document in Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kolplan.cli import complete
from kolplan.cli.common import AsOfOpt, OutputOpt, RepoOpt, parse_as_of
from kolplan.errors import RefusedError, UsageError

if TYPE_CHECKING:
    from kolplan.diagnostics import Diagnostic


def render(
    plan_id: Annotated[str, typer.Argument(metavar="ID", help="The plan's id (its file name without .yaml).",
                                           show_default=False, autocompletion=complete.plan_ids)],
    output: OutputOpt = None,
    template: Annotated[str, typer.Option("--template", "-t", metavar="NAME",
                                          help="Template file name from the repository's templates/ or the "
                                          "built-in ones.")] = "plan.md.j2",
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
) -> None:
    """The plan document in Markdown: profile, owners, objectives, activities, timeline, governance,
    satisfaction, interactions, feedback and open diagnostics.

    Exit 1: the plan cannot be read (its diagnostics are printed).
    Exit 2: an unknown ID, a bad template, or an -o FILE that cannot be written or is one of
    kolplan's inputs (kolplan.yaml, a plan, a template) or under .git/.

    Examples:

      kolplan render jane-okafor

      kolplan render jane-okafor -o docs/jane-okafor.md --as-of 2026-11-20
    """
    from kolplan.cli.outfile import open_output
    from kolplan.lint.engine import ValidateOptions, validate
    from kolplan.lint.portfolio import discover, stem_of
    from kolplan.repo.config import open_repo
    from kolplan.schema import Plan
    from kolplan.schema.types import SLUG_RE
    from kolplan.views.plandoc import build_plan_doc
    from kolplan.views.render import check_template, make_environment, render_template

    r = open_repo(repo)
    out = open_output(output, r.root)  # before the work: a refused -o fails fast
    day = parse_as_of(as_of)
    if not SLUG_RE.fullmatch(plan_id):
        raise UsageError(f"'{plan_id}' is not a plan id: ids look like jane-okafor (lowercase letters, digits and "
                         "hyphens; the plan's file name without .yaml)")
    unreadable: list[Diagnostic] = []
    files = discover(r.plans_dir, r.root, unreadable) if r.plans_dir.is_dir() else []
    paths = [p for p in files if stem_of(p) == plan_id]
    if not paths:
        import difflib

        guess = difflib.get_close_matches(plan_id, sorted({stem_of(p) for p in files}), n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'?" if guess else "`kolplan list` shows the plans"
        if unreadable:
            hint += f"; kolplan cannot read {', '.join(d.path for d in unreadable)}, which may hold it"
        raise UsageError(f"no plan with id '{plan_id}' under plans/ ({hint})")
    env = make_environment(r.root)
    check_template(env, template)
    path = paths[0]
    # The whole portfolio is checked (the cross-plan rules), but only this plan's model comes back.
    result = validate(r, ValidateOptions(as_of=day, project=lambda rel, plan: plan if rel == path else None))
    broken = [d for d in result.diagnostics if d.path in paths and d.code.startswith("KP0")]
    plan = result.parts.get(path)
    if broken or not isinstance(plan, Plan):
        where = ", ".join(paths)
        raise RefusedError(f"{where} cannot be rendered: fix the reading or schema errors above, then run "
                           "again", diagnostics=broken)
    doc = build_plan_doc(r.config, path, plan, result.for_path(path), day)
    text = render_template(env, template, {"doc": doc})
    out.write(text)
    raise typer.Exit(0)
