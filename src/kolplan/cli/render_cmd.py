"""``kolplan render``: one KOL's plan document in Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kolplan.cli import complete
from kolplan.cli.common import AsOfOpt, OutputOpt, RepoOpt, parse_as_of
from kolplan.errors import RefusedError, UsageError

if TYPE_CHECKING:
    pass


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
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    from kolplan.cli.outfile import open_output
    from kolplan.diagnostics import always_on
    from kolplan.repo.discovery import look_up
    from kolplan.repo.root import open_repo
    from kolplan.schema.types import SLUG_RE
    from kolplan.views.loader import load_plans
    from kolplan.views.plandoc import build_plan_doc
    from kolplan.views.render import check_template, make_environment, render_template

    r = open_repo(repo)
    out = open_output(output, r.root)  # before the work: a refused -o fails fast
    day = parse_as_of(as_of)
    if not SLUG_RE.fullmatch(plan_id):
        raise UsageError(f"'{plan_id}' is not a plan id: ids look like jane-okafor (lowercase letters, digits and "
                         "hyphens; the plan's file name without .yaml)")
    lookup = look_up(r, plan_id)
    paths = lookup.matches
    if not paths:
        guess = lookup.guess()
        hint = f"did you mean '{guess}'?" if guess else "`kolplan list` shows the plans"
        if lookup.unreadable:
            hint += f"; kolplan cannot read {', '.join(d.path for d in lookup.unreadable)}, which may hold it"
        raise UsageError(f"no plan with id '{plan_id}' under plans/ ({hint})")
    env = make_environment(r.root)
    check_template(env, template)
    path = paths[0]
    # The whole portfolio is checked (the cross-plan rules), but only this plan's model comes back.
    loaded = load_plans(r, day, lambda rel, plan: plan if rel == path else None)
    broken = [d for d in loaded.diagnostics if d.path in paths and always_on(d.code)]
    plan = loaded.parts.get(path)
    if broken or plan is None:
        where = ", ".join(paths)
        raise RefusedError(f"{where} cannot be rendered: fix the reading or schema errors above, then run "
                           "again", diagnostics=broken)
    doc = build_plan_doc(r.config, path, plan, loaded.for_path(path), day)
    text = render_template(env, template, {"doc": doc})
    out.write(text)
    raise typer.Exit(0)
