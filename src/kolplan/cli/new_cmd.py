"""``kolplan new``."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from kolplan.cli import complete, interrupted
from kolplan.cli.common import AsOfOpt, RepoOpt, parse_as_of
from kolplan.cli.output import write_plain
from kolplan.errors import UsageError
from kolplan.formats.escape import clean
from kolplan.vocabulary import TIERS

if TYPE_CHECKING:
    from kolplan.repo.root import Repo


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # closed or detached stdin
        return False


def ask(value: str | None, flag: str, question: str, example: str,
        check: Callable[[str], str | None] | None = None) -> str:
    """``value``, or an answer typed on the terminal; never a prompt when stdin is not a terminal.

    ``check`` looks at a typed answer: None accepts it, a text refuses it, and the question
    is asked again (what was typed before is kept), offering the text's suggestion, if any,
    as the default. Ctrl-C or the end of input (Ctrl-D) at the prompt: ``kolplan:
    interrupted``, exit 130, nothing written."""
    if value is not None:
        return value
    if not stdin_is_terminal():
        raise UsageError(f"missing {flag}: give it on the command line, e.g. {flag} {example} "
                         "(kolplan new asks for it only when run in a terminal)")

    default: str | None = None
    while True:
        try:
            answer: str = typer.prompt(question, default=default)
        except (typer.Abort, KeyboardInterrupt, EOFError):
            sys.stderr.write("\n")  # the prompt's line was left open
            raise interrupted() from None
        problem = check(answer.strip()) if check is not None else None
        if problem is None:
            return answer
        sys.stderr.write(f"kolplan: {problem}\n")
        default = _suggestion(problem)


def _suggestion(problem: str) -> str | None:
    """The 'x' of "did you mean 'x'?" in ``problem``."""
    m = re.search(r"did you mean '([^']*)'\?", problem)
    return m.group(1) if m else None


def _lead_problem(repo: Repo) -> Callable[[str], str | None]:
    """For the lead prompt: why a typed handle is not a person in kolplan.yaml (None if it is)."""
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    from kolplan.authoring.scaffold import check_person

    def problem(handle: str) -> str | None:
        try:
            check_person(repo, handle, "lead")
        except UsageError as exc:
            return exc.message
        return None

    return problem


def new(
    plan_id: Annotated[str, typer.Argument(metavar="ID", help="The plan id and file name: plans/ID.yaml "
                                           "(lowercase, digits, hyphens; e.g. jane-okafor).", show_default=False)],
    name: Annotated[str | None, typer.Option("--name", help="The KOL's name (asked on a terminal if missing).",
                                             show_default=False)] = None,
    lead: Annotated[str | None, typer.Option("--lead", metavar="HANDLE", help="The accountable lead: a handle "
                                             "from kolplan.yaml people (asked on a terminal if missing).",
                                             show_default=False, autocompletion=complete.people)] = None,
    institution: Annotated[str | None, typer.Option("--institution", help="The KOL's institution.",
                                                    show_default=False)] = None,
    tier: Annotated[str | None, typer.Option("--tier", metavar="|".join(TIERS),
                                             help="The KOL's tier (default: local, marked to check).",
                                             show_default=False, autocompletion=complete.tiers)] = None,
    ta: Annotated[list[str] | None, typer.Option("--ta", metavar="AREA", help="A therapeutic area (repeat the "
                                                 "option, or separate with commas).", show_default=False)] = None,
    country: Annotated[str | None, typer.Option("--country", metavar="CC", help="ISO 3166-1 alpha-2 code, e.g. GB.",
                                                show_default=False)] = None,
    crm_id: Annotated[str | None, typer.Option("--crm-id", help="The KOL's id in your CRM or master data.",
                                               show_default=False)] = None,
    npi: Annotated[str | None, typer.Option("--npi", help="US NPI (10 digits, checked).", show_default=False)] = None,
    orcid: Annotated[str | None, typer.Option("--orcid", help="ORCID iD (checked).", show_default=False)] = None,
    email: Annotated[str | None, typer.Option("--email", help="The KOL's email address.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Write even if another plan seems to hold the same KOL "
                                        "(only that check is skipped).")] = False,
    period: Annotated[str | None, typer.Option("--period", metavar="START..END", help="The plan period, e.g. "
                                               "2026-04-01..2027-03-31 (default: from --as-of to the end of the "
                                               "fiscal year, or of the next one when fewer than 90 days remain).",
                                               show_default=False)] = None,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
) -> None:
    """Write plans/ID.yaml for a new KOL, with the KOL-centred questions to answer.

    The plan period starts today (--as-of) and ends with the fiscal year (kolplan.yaml
    fiscal_year_start), or with the next one when fewer than 90 days of this one remain, so
    a new plan has no date findings on the day it is written; --period sets it. The lead is
    its owner, and the file passes `kolplan validate` with no errors as written.
    Refuses (exit 1) if the file exists or another plan already holds this KOL (a shared
    CRM id, NPI, ORCID or email, or the same name and institution): one KOL, one plan.

    Examples:

      kolplan new jane-okafor --name "Jane Okafor" --lead a.chen \\
          --institution "University Hospital Example"

      kolplan new hans-muller --name "Prof. Hans Müller" --lead r.patel \\
          --tier national --country DE --ta oncology
    """
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    from kolplan.authoring.scaffold import NewPlan, check_plan_id, new_plan, parse_period
    from kolplan.repo.root import open_repo

    check_plan_id(plan_id)  # before anything else: `kolplan new ../../x` is refused at once
    day = parse_as_of(as_of)
    plan_period = parse_period(period) if period is not None else None
    the_repo = open_repo(repo)
    name = ask(name, "--name", "KOL name", '"Jane Okafor"')
    handles = ", ".join(list(the_repo.config.people)[:6])
    lead = ask(lead, "--lead", f"Lead (a handle from kolplan.yaml people: {handles})", "a.chen",
               check=_lead_problem(the_repo))
    identifiers = {k: v for k, v in (("crm_id", crm_id), ("npi", npi), ("orcid", orcid), ("email", email))
                   if v is not None}
    areas = [a.strip() for value in (ta or []) for a in value.split(",")]
    req = NewPlan(plan_id, name.strip(), lead.strip(), institution.strip() if institution is not None else None,
                  tier, areas, country, identifiers, day, plan_period)
    written = new_plan(the_repo, req, force=force)
    if written.duplicates_overridden:
        sys.stderr.write("kolplan: note: written despite " + "; ".join(written.duplicates_overridden)
                         + " (--force); validate reports KP302/KP303 until the plans are merged\n")
    if written.unchecked:
        sys.stderr.write("kolplan: warning: could not read " + ", ".join(clean(p) for p in written.unchecked)
                         + ": the plans in it were not checked for this KOL; `kolplan validate` says why\n")
    lead_dept = the_repo.config.people[req.lead].department
    start, end = written.period
    write_plain(f"wrote {written.path}: lead {req.lead} ({lead_dept}), plan period {start}..{end} "
                f"({written.period_note})\nnext: answer the questions in the file with the KOL, add objectives, "
                f"then run kolplan validate {written.path}\n")
    raise typer.Exit(0)
